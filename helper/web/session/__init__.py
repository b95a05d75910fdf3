"""The vault's door: first setup, unlock, lock, quick exit, the way back, the language switch."""

# The blueprint is this package's; its views are in the modules beside this one, which the app factory
# imports. Nothing here imports them, so no module of the package imports its own package back.
from flask import Blueprint

bp = Blueprint("session", __name__, url_prefix="/session")
