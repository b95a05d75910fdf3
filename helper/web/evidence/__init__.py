"""Evidence in the web app: receiving files (streamed into the vault's encryption), showing them
without harm, chat messages, copies found elsewhere, links."""

# The blueprint is this package's; its views are in the modules beside this one, which the app factory
# imports. Nothing here imports them, so no module of the package imports its own package back.
from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/evidence")
