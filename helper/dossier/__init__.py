"""The evidence dossier: a PDF police, lawyers, schools and platforms can act on (reportlab).

`gather` reads a case into a plain `DossierData`; `render_dossier` turns it into PDF bytes, in memory;
`manifest` signs what the dossier vouches for. No Flask here.
"""

from helper.dossier.data import DossierData, DossierOptions, ItemEntry, gather
from helper.dossier.export import export_dossier
from helper.dossier.render import render_dossier

__all__ = ["DossierData", "DossierOptions", "ItemEntry", "export_dossier", "gather", "render_dossier"]
