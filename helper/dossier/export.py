"""One call from a case to a finished dossier: gathered, rendered, signed, sealed, journaled."""

from __future__ import annotations

import logging

from helper import vocabulary
from helper.dossier.data import DossierOptions, gather
from helper.dossier.manifest import build_manifest, fingerprint, seal
from helper.dossier.render import Progress, render_dossier

log = logging.getLogger(__name__)


def export_dossier(
    vault, case_id: str, options: DossierOptions, on_progress: Progress | None = None
) -> bytes:
    """The dossier's PDF bytes, in memory. Writing them anywhere is the caller's (the person's) act.
    `on_progress` hears (parts done, parts in all) as it is made, the last part being the seal."""
    key = vault.signing_key()
    data = gather(vault, case_id, options, signer=fingerprint(key.public_key()))
    manifest = build_manifest(data, key.public_key())
    total = [0]

    def rendering(done: int, parts: int) -> None:
        total[0] = parts
        if on_progress is not None:
            on_progress(done, parts)

    pdf = seal(render_dossier(data, rendering, steps_after=1), manifest, key, options.password)
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
    if on_progress is not None:
        on_progress(total[0], total[0])
    return pdf
