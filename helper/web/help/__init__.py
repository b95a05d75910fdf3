"""Help now: crisis lines and services, one click from every page."""

# The blueprint is this package's; its views are in the modules beside this one, which the app factory
# imports. Nothing here imports them, so no module of the package imports its own package back.
from flask import Blueprint

bp = Blueprint("help", __name__, url_prefix="/help")
