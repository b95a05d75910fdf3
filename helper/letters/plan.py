"""What to do to get the images taken down and report what happened, in order, from the record.

First what blocks the images everywhere at once (StopNCII for adults; Take It Down, Report Remove,
Cybertip.ca or the 3018 for images of someone under 18), then each platform where the images are or
were threatened, with its letter, then search engines, then the police, the money, and what to do if
a platform does not act. Each step is one click from its letter.
"""

from __future__ import annotations

from dataclasses import dataclass

from helper.case import Case
from helper.content.model import Channel, Element, LetterKind, Platform, RemovalService
from helper.letters.engine import LetterWriter

# Hash-matching services first: one report reaches many platforms. By age path and country.
BLOCKING: dict[str, dict[str, tuple[str, ...]]] = {
    "young": {
        "US": ("take-it-down", "cybertipline"),
        "GB": ("report-remove", "take-it-down"),
        "CA": ("cybertip-ca", "take-it-down"),
        "FR": ("e-enfance-3018", "take-it-down"),
        "": ("take-it-down",),
    },
    "adult": {"": ("stopncii",)},
}

# The removal letters a platform gets, by the country where the person lives (first that applies).
PLATFORM_KINDS = ("take-it-down", "uk-intimate-image-report", "dsa-notice", "platform-report")
# The kinds of channel listed with the police (regulators come later, as escalations).
REPORTING = ("police", "online-report", "hotline")
POLICE_KINDS = (
    "police-us-ic3",
    "police-fr-procureur",
    "police-fr-thesee",
    "police-uk",
    "police-ca",
    "esafety",
)


@dataclass(frozen=True)
class Action:
    group: str  # one of vocabulary.TAKEDOWN_GROUPS
    kind: LetterKind | None = None
    platform: Platform | None = None
    service: RemovalService | None = None
    channel: Channel | None = None  # somewhere to report that has no letter of its own
    missing: tuple[Element, ...] = ()
    sent: bool = False  # a report with this letter is already in the tracker


def plan(writer: LetterWriter, case: Case) -> list[Action]:
    content = writer.content
    incident = case.incident
    actions: list[Action] = []

    ages = BLOCKING["young" if incident.is_minor_path else "adult"]
    for service_id in ages.get(incident.country, ages[""]):
        service = next((s for s in content.removal if s.id == service_id), None)
        if service:
            actions.append(Action("block", service=service))

    sent = {(r.kind, r.platform) for r in case.reports if r.kind and r.status not in ("", "draft")}

    def letter(group: str, kind: LetterKind, platform: Platform | None) -> Action:
        facts = writer.facts(case, kind, platform)
        done = (kind.id, platform.id if platform else "") in sent
        return Action(group, kind, platform, missing=writer.missing(facts), sent=done)

    kinds = {k.id: k for k in content.kinds if writer.applies(k, case)}
    for platform in writer.platforms_of(case, content.kind("platform-report")):
        for kind_id in PLATFORM_KINDS:
            if kind_id not in kinds:
                continue
            if kind_id == "take-it-down" and not _takes_tida(platform, incident.country):
                continue
            actions.append(letter("platform", kinds[kind_id], platform))
    if case.places and "search-delisting" in kinds:
        for platform in writer.platforms_of(case, kinds["search-delisting"]):
            actions.append(letter("search", kinds["search-delisting"], platform))
    police = [letter("police", kinds[k], None) for k in POLICE_KINDS if k in kinds]
    lettered = {a.kind.id for a in police if a.kind}
    for jurisdiction in content.jurisdictions_for(incident.country) if incident.country else ():
        for channel in jurisdiction.channels:
            fits = channel.audience == "everyone" or incident.is_minor_path
            # A channel whose letter does not fit the case is not offered either (THESEE without a
            # money demand by someone never met).
            fits = fits and (channel.letter is None or channel.letter in kinds)
            shown = channel.letter not in lettered or channel.phone  # a letter page gives no number
            if channel.channel in REPORTING and fits and shown and not channel.public_only:
                police.append(Action("police", channel=channel))
    actions += police or [Action("police")]  # no channel known: the police where the person lives
    if any(p.paid for p in case.payments) and "payment-report" in kinds:
        actions.append(letter("money", kinds["payment-report"], None))
    return actions


def _takes_tida(platform: Platform, country: str) -> bool:
    """A TAKE IT DOWN request fits a platform with a form for it, or any site for someone in the US.
    (X's and Discord's forms say they are for people in the US: the letter page says so.)"""
    return platform.form("take-it-down") is not None or country == "US"
