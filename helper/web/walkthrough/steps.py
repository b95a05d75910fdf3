"""The order of the walkthrough: one thing per screen, every step skippable and resumable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from helper import vocabulary
from helper.case import Case


@dataclass(frozen=True)
class Step:
    name: str  # also the URL segment, the template name and the code in helper/vocabulary.py (STEPS)
    applies: Callable[[Case], bool] = lambda case: True

    @property
    def title(self):
        """The step's title, lazily translated."""
        return _l(vocabulary.STEPS.term(self.name).label)


STEPS: tuple[Step, ...] = (
    Step("safety"),
    Step("right-now"),
    Step("age"),
    Step("minor", lambda case: case.incident.is_minor_path),
    Step("kind"),
    Step("story"),
    Step("accounts"),
    Step("threats"),
    Step("payments"),
    Step("places"),
    Step("originals", lambda case: case.incident.kind == "ai_altered"),
    Step("takedown"),
    Step("reports"),
    Step("evidence"),
    Step("timeline"),
    Step("review"),
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
