"""Incident Helper: document sextortion, keep the evidence encrypted on your own device, report it."""

from pathlib import Path

__version__ = "0.1.0"

# Flat layout: templates/, static/, content/ and translations/ live beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
