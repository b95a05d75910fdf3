"""The order of the walkthrough: one thing per screen, every step skippable and resumable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from helper.case import Case


@dataclass(frozen=True)
class Step:
    name: str  # also the URL segment and the template name
    title: object  # a lazy, translated string
    applies: Callable[[Case], bool] = lambda case: True


STEPS: tuple[Step, ...] = (
    Step("safety", _l("Are you safe?")),
    Step("right-now", _l("What to do right now")),
    Step("age", _l("How old were you?")),
    Step("minor", _l("Help for people under 18"), lambda case: case.incident.is_minor_path),
    Step("kind", _l("What is happening")),
    Step("story", _l("What happened")),
    Step("accounts", _l("Their accounts")),
    Step("threats", _l("The threats")),
    Step("payments", _l("Demands and payments")),
    Step("places", _l("Where the images are")),
    Step("originals", _l("The photos that were used"), lambda case: case.incident.kind == "ai_altered"),
    Step("reports", _l("Reports already made")),
    Step("evidence", _l("Screenshots and files")),
    Step("timeline", _l("Timeline")),
    Step("review", _l("Check everything")),
)


def steps_for(case: Case) -> list[Step]:
    return [step for step in STEPS if step.applies(case)]


def position(case: Case, name: str) -> tuple[int, int]:
    names = [s.name for s in steps_for(case)]
    return (names.index(name) + 1 if name in names else 0, len(names))


def next_step(case: Case, name: str) -> Step | None:
    steps = steps_for(case)
    names = [s.name for s in steps]
    index = names.index(name) if name in names else -1
    return steps[index + 1] if index + 1 < len(steps) else None


def previous_step(case: Case, name: str) -> Step | None:
    steps = steps_for(case)
    names = [s.name for s in steps]
    index = names.index(name) if name in names else 0
    return steps[index - 1] if index > 0 else None


def resume_step(case: Case) -> Step | None:
    """The first step not saved yet; None once every step was saved."""
    return next((s for s in steps_for(case) if s.name not in case.steps_done), None)


def by_name(name: str) -> Step | None:
    return next((s for s in STEPS if s.name == name), None)
