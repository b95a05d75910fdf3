"""Incident Helper: document sextortion, keep the evidence encrypted on your own device, report it."""

__version__ = "0.1.0"
