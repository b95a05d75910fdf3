"""Save what a complaint to the police or the prosecutor asks for beyond the letters' details: the
date and place of birth of the person who files it, the city of the court it goes to, and the
witnesses (service-public F1524).

One verb, one write, from the revision the page was built from: like the signer's details, a field
another window saved since is kept, and a field both changed differently is an `EditConflict`, with
nothing saved. The journal says that the details were saved, never the details themselves (the journal is
printed in the dossier's chain of custody).
"""

from __future__ import annotations

from typing import Any

from helper import vocabulary
from helper.case import Case, Complaint, Witness
from helper.casework.walkthrough import Edit, merge
from helper.vault import UnlockedVault

# The fields of a complaint a page sends: witnesses as one field, the list as the page showed it.
FIELDS = ("birth_date", "birth_place", "court_city", "witnesses")


def complaint_values(complaint: Complaint) -> dict[str, Any]:
    """A complaint's values as a page shows them (for its fingerprints): witnesses as plain dicts."""
    return {
        "birth_date": complaint.birth_date or "",
        "birth_place": complaint.birth_place,
        "court_city": complaint.court_city,
        "witnesses": [{"name": w.name, "address": w.address, "knows": w.knows} for w in complaint.witnesses],
    }


def _complaint(values: dict[str, Any]) -> Complaint:
    witnesses = tuple(
        Witness(w["name"].strip(), w.get("address", "").strip(), w.get("knows", "").strip())
        for w in values["witnesses"]
        if w.get("name", "").strip()
    )
    return Complaint(
        birth_date=values["birth_date"] or None,
        birth_place=values["birth_place"].strip(),
        court_city=values["court_city"].strip(),
        witnesses=witnesses,
    )


def save_complaint(vault: UnlockedVault, case_id: str, edit: Edit) -> Case:
    """Save the details for a complaint (`edit.values`: any of FIELDS, as `complaint_values` gives
    them). A witness without a name is dropped. Raises EditConflict when another window saved a
    different value in the same field, and InvalidRecord for a value the record refuses (a birth
    date that is not a date)."""
    unknown = set(edit.values) - set(FIELDS)
    if unknown:
        raise ValueError(f"no complaint field {sorted(unknown)}")

    def change(case: Case) -> Case:
        latest = complaint_values(case.complaint)
        return case.with_complaint(_complaint({**latest, **merge(latest, case.revision, edit)}))

    return vault.update_case(case_id, change, vocabulary.COMPLAINT_DETAILS, {})
