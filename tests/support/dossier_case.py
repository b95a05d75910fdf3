"""A rich, invented case for dossier tests: every part filled, hostile strings included."""

from __future__ import annotations

import io

from helper.case import Account, Link, Payment, Place, Quote, Report, Signer, Threat
from tests.support import samples
from tests.support.cases import sample_case, save_case
from tests.support.evidence import add_file

HOSTILE = "<b>&amp; Ζωή Жанна </para> ${x} %(name)s"


def build(vault, pictures: int = 2):
    sample = sample_case(
        title=f"Instagram, March {HOSTILE}",
        kind="financial",
        minor="no",
        narrative=f"They wrote to me. {HOSTILE}",
        started_on="2026-10-25",
        first_contact_platform="Instagram",
        moved_to_platform="",
        country="",
        signer=Signer(),
        accounts=(
            Account(
                id="a1",
                platform="Instagram",
                display_name="Sam Sample",
                handle="@sam.sample.42",
                platform_id="1234567890",
                profile_url="https://instagram.example/sam.sample.42",
            ),
        ),
        threats=(
            Threat(
                id="t1",
                wording="I will send them to your family",
                received_at="2026-10-26T08:15",
                deadline="2026-10-27T00:00",
                targets="family, school",
            ),
        ),
        payments=(
            Payment(
                id="p1",
                paid=True,
                amount="150.00",
                currency="USD",
                method="crypto",
                at="2026-10-26T09:00",
                wallet_address="bc1qsampleaddressxxxxxxxxxxxxxxxxxxxxxxxx",
                tx_hash="ab" * 32,
            ),
        ),
        places=(
            Place(id="l1", url="https://posts.example/SAMPLE", platform="SAMPLE site", seen_on="2026-10-27"),
        ),
        originals=(),
        reports=(
            Report(
                id="r1",
                target="police",
                name="SAMPLE police station",
                made_on="2026-10-28",
                reference="REF-0001",
            ),
        ),
        links=(
            Link(
                id="k1",
                url="https://discord.com/channels/@me/175928847299117063/175928847299117063",
                note=HOSTILE,
            ),
        ),
        evidence=(),
    )
    case = save_case(vault, sample, step=None)
    for n in range(pictures):
        add_file(
            vault,
            case.id,
            io.BytesIO(samples.png(640, 480, seed=n)),
            f"shot-{n}.png",
            "image/png",
            intimate=n == 1,
        )
    chat = add_file(
        vault,
        case.id,
        io.BytesIO(samples.WHATSAPP_ANDROID.encode()),
        "WhatsApp Chat with Sam Sample.txt",
        "text/plain",
    )
    quote = Quote(
        id="q1",
        item_id=chat.id,
        index=3,
        sender="Sam Sample",
        at="2026-10-26T08:15:00",
        text="I have your pictures. Pay 500",
    )
    vault.update_case(case.id, lambda c: c.with_quotes((quote,)), "quotes.changed", {"item": chat.id})
    return vault.load_case(case.id)
