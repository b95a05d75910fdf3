"""Get it taken down: the plan, the letters, the details they need, and the tracker."""

# The blueprint is this package's; its views are in the modules beside this one, which the app factory
# imports. Nothing here imports them, so no module of the package imports its own package back.
from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/letters")
