"""One call from a case to a finished dossier: gathered, rendered, signed, sealed, journaled."""

from __future__ import annotations

import logging

from helper import vocabulary
from helper.dossier.data import DossierOptions, gather
from helper.dossier.manifest import build_manifest, fingerprint, seal
from helper.dossier.render import render_dossier

log = logging.getLogger(__name__)


def export_dossier(vault, case_id: str, options: DossierOptions) -> bytes:
    """The dossier's PDF bytes, in memory. Writing them anywhere is the caller's (the person's) act."""
    key = vault.signing_key()
    data = gather(vault, case_id, options, signer=fingerprint(key.public_key()))
    manifest = build_manifest(data, key.public_key())
    pdf = seal(render_dossier(data), manifest, key, options.password)
    vault.note_handed_out(
        case_id,
        vocabulary.DOSSIER_EXPORTED,
        {
            "items": len(data.items),
            "lang": options.lang,
            "password": bool(options.password),
            "journal_head": data.journal_head,
            "unblurred": sorted(options.show_intimate),
        },
    )
    return pdf
