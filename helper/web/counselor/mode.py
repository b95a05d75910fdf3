"""Counselor mode lives in this browser's session (server-side memory, never on disk): who the
counselor is, since when, which items the person agreed to show, and which cases were opened.

While it is on: intimate items are never shown, not even blurred; any other picture, video, text or
chat is shown only after the person agrees for that item; consent ends with the mode."""

from __future__ import annotations

import secrets
from typing import Any

from flask import session
from werkzeug.exceptions import Forbidden

from helper.case import EvidenceItem, utc_now
from helper.casework import counselor
from helper.vault import UnlockedVault

KEY = "counselor"


class NotShownInCounselorMode(Forbidden):
    """An item's content asked for in counselor mode that the mode does not show (an intimate item, or
    one the person has not agreed to show). Answered with a calm page of its own, not the closed one."""


def active() -> dict[str, Any] | None:
    return session.get(KEY)


def start(name: str, organisation: str) -> dict[str, Any]:
    state = {
        "id": secrets.token_hex(8),
        "name": name,
        "organisation": organisation,
        "since": utc_now(),
        "consents": [],
        "cases": [],
    }
    session[KEY] = state
    return state


def end() -> dict[str, Any] | None:
    return session.pop(KEY, None)


def finish(vault: UnlockedVault | None) -> dict[str, Any] | None:
    """End the mode, with its button or a quick exit: each case opened in it has its journal say so,
    with how many agreements end with it."""
    state = end()
    if state and vault is not None:
        for case_id in state["cases"]:
            if vault.has_case(case_id):
                consents = [c for c in state["consents"] if c.startswith(case_id + "/")]
                counselor.note_ended(vault, case_id, state["name"], len(consents))
    return state


def _key(case_id: str, item_id: str) -> str:
    return f"{case_id}/{item_id}"


def consented(case_id: str, item_id: str) -> bool:
    state = active()
    return state is not None and _key(case_id, item_id) in state["consents"]


def set_consent(case_id: str, item_id: str, granted: bool) -> None:
    state = active()
    if state is None:
        return
    consents = [c for c in state["consents"] if c != _key(case_id, item_id)]
    if granted:
        consents.append(_key(case_id, item_id))
    state["consents"] = consents
    session[KEY] = state


def allows(case_id: str, item: EvidenceItem) -> bool:
    """Whether an item's content may be shown on this screen. Outside counselor mode: always (the
    intimate blur applies as before). In it: never an intimate item; others after consent."""
    if active() is None:
        return True
    return not item.intimate and consented(case_id, item.id)


def note_case(case_id: str) -> bool:
    """Remember a case opened in this session; True the first time (its journal then says so)."""
    state = active()
    if state is None or case_id in state["cases"]:
        return False
    state["cases"] = [*state["cases"], case_id]
    session[KEY] = state
    return True
