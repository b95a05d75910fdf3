"""What to do to get the images taken down and report what happened, in order, from the record.

First what blocks the images everywhere at once (StopNCII for adults; Take It Down, Report Remove,
Cybertip.ca or the 3018 for images of someone under 18), then each platform where the images are or
were threatened, with its letter, then search engines, then the police, the money, and what to do if
a platform does not act. Each step is one click from its letter.

Which services and letters, and in which step, is content: the services from
`content/removal-blocking.toml`, each letter kind's `group` and `purposes` from kinds.toml, each
platform's channels from platforms/. A letter to a platform is offered where a channel for it is
known for the person's country, or where its law is the person's own (a DSA notice in the EU even
to a platform whose form is not known: the page then says so, and what to do instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from helper.case import Case, Payment
from helper.content.model import Blocking, Channel, Element, LetterKind, Platform, RemovalService
from helper.letters.engine import LetterWriter, payees

# The kinds of channel listed with the police (regulators come later, as escalations).
REPORTING = ("police", "online-report", "hotline")


@dataclass(frozen=True)
class Action:
    group: str  # one of vocabulary.TAKEDOWN_GROUPS
    kind: LetterKind | None = None
    platform: Platform | None = None
    service: RemovalService | None = None
    blocking: Blocking | None = None  # for whose images the service works, and where
    channel: Channel | None = None  # somewhere to report that has no letter of its own
    missing: tuple[Element, ...] = ()
    sent: bool = False  # a report with this letter is already in the tracker
    payment: Payment | None = None  # a letter written per payee: the first payment to that payee


def plan(writer: LetterWriter, case: Case) -> list[Action]:
    content = writer.content
    incident = case.incident
    actions = [
        Action("block", service=content.removal_service(b.service), blocking=b)
        for b in content.blocking_for(incident.is_minor_path, incident.country)
    ]

    sent = {(r.kind, r.platform, r.payment) for r in case.reports if r.kind and r.status not in ("", "draft")}

    def letter(
        group: str, kind: LetterKind, platform: Platform | None, payment: Payment | None = None
    ) -> Action:
        facts = writer.facts(case, kind, platform, payment.id if payment else None)
        done = (kind.id, platform.id if platform else "", payment.id if payment else "") in sent
        return Action(group, kind, platform, missing=writer.missing(facts), sent=done, payment=payment)

    def grouped(group: str) -> list[LetterKind]:
        return [k for k in content.kinds if k.group == group and writer.applies(k, case)]

    # Each platform once, with its letters in the order kinds.toml gives them.
    removal = grouped("platform")
    targets = {k.id: writer.platforms_of(case, k) for k in removal}
    platforms: list[Platform] = []
    for kind in removal:
        platforms += [p for p in targets[kind.id] if p not in platforms]
    for platform in platforms:
        for kind in removal:
            if platform in targets[kind.id] and offered(writer, case, kind, platform):
                actions.append(letter("platform", kind, platform))
    if case.places:
        for kind in grouped("search"):
            actions += [letter("search", kind, platform) for platform in writer.platforms_of(case, kind)]

    police = [letter("police", kind, None) for kind in grouped("police")]
    kinds = {k.id for k in content.kinds if writer.applies(k, case)}
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
    # A bank can act only on money that was paid: the kind says so (its `conditions`); a fraud desk
    # acts on one payee at a time (`per_payee`): one letter each.
    for kind in grouped("money"):
        firsts = [group[0] for group in payees(case)] if kind.per_payee else [None]
        actions += [letter("money", kind, None, first) for first in firsts]
    return actions


def offered(writer: LetterWriter, case: Case, kind: LetterKind, platform: Platform) -> bool:
    """A letter that goes to a platform's channel is offered where one is known for the person's
    country, or where the law it invokes is the person's own: a TAKE IT DOWN request to any site for
    someone in the US, but to a site abroad only through a process open to them."""
    if not kind.purposes or writer.route(case, kind, platform).channel is not None:
        return True
    home = (kind.jurisdiction,) if kind.jurisdiction else ()
    return writer.content.covers(home, case.incident.country)
