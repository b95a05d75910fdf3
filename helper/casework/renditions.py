"""A picture's renditions (thumbnail, blurred thumbnail, display copy, PDQ hash) join its item after
the file itself was saved: made in the background by helper/evidence/renditions.py, kept here.

Not journaled: they are made by the program from the original, whose SHA-256 the journal sealed when
it came in, and can be made again from it; what they are is pinned in the record (each rendition's
SHA-256), and the PDQ hash is in the evidence index and the dossier's signed manifest.
"""

from __future__ import annotations

from dataclasses import replace

from helper.case import Case, ImageInfo
from helper.vault import UnlockedVault


class NotPreparing(Exception):
    """The item is gone, or its renditions were already made or found impossible (another worker, or
    the same one after a restart, got there first): nothing was written."""


def _preparing(case: Case, item_id: str) -> ImageInfo:
    item = case.item(item_id)
    if item is None or item.image is None or item.image.blurred_blob or item.image.unreadable:
        raise NotPreparing(item_id)
    return item.image


def add_renditions(vault: UnlockedVault, case_id: str, item_id: str, made: ImageInfo) -> Case:
    """Pin the renditions `made` (their files already durable) on an item still waiting for them, in one
    write. Raises NotPreparing (nothing written) when the item no longer waits for them."""

    def change(case: Case) -> Case:
        waiting = _preparing(case, item_id)
        image = replace(
            made,
            # The facts read at intake stay as they were pinned.
            format=waiting.format,
            width=waiting.width,
            height=waiting.height,
            taken_at=waiting.taken_at,
            device=waiting.device,
            software=waiting.software,
            unreadable=False,
        )
        return case.with_evidence_details(item_id, image=image)

    return vault.update_case(case_id, change)


def mark_unreadable(vault: UnlockedVault, case_id: str, item_id: str) -> Case:
    """The picture's pixels do not decode: the item stays, whole and encrypted, marked so that every page
    says it plainly (and never shows anything in its place but a neutral placeholder)."""

    def change(case: Case) -> Case:
        waiting = _preparing(case, item_id)
        return case.with_evidence_details(item_id, image=replace(waiting, unreadable=True))

    return vault.update_case(case_id, change)
