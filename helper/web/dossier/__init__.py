"""The dossier: what goes in it, and the PDF and the originals it is made into."""

# The blueprint is this package's; its views are in the modules beside this one, which the app factory
# imports. Nothing here imports them, so no module of the package imports its own package back.
from flask import Blueprint

bp = Blueprint("dossier", __name__, url_prefix="/dossier")
