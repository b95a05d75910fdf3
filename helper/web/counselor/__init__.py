"""Counselor-assisted sessions: the mode, consent before any picture, notes, the session summary and
the hand-over, in the web app."""

# The blueprint is this package's; its views are in the modules beside this one, which the app factory
# imports. Nothing here imports them, so no module of the package imports its own package back.
from flask import Blueprint

bp = Blueprint("counselor", __name__, url_prefix="/counselor")
