"""The guided walkthrough: one step per screen, each saved to the vault."""

# The blueprint is this package's; its views are in the modules beside this one, which the app factory
# imports. Nothing here imports them, so no module of the package imports its own package back.
from flask import Blueprint

bp = Blueprint("walkthrough", __name__, url_prefix="/walkthrough")
