"""The hand-over page (issue 21, item 12): what goes is listed before the file is made, a file ticked
means only the files ticked, and intimate pictures and the counselor's notes go only when chosen."""

from __future__ import annotations

import io
import json
import tarfile

import pyrage
import pytest

from helper.case import Signer
from helper.casework import counselor
from helper.vault import crypto
from tests.support import samples
from tests.support.evidence import add_file
from tests.support.web import csrf_token

NOTE = "SAMPLE-NOTE-private: call back Monday"


@pytest.fixture
def case(unlocked):
    made = unlocked.create_case("Hand-over case")
    add_file(unlocked, made.id, samples.png(200, 120), "profile-SAMPLE.png", "image/png")
    add_file(
        unlocked, made.id, samples.png(200, 120, seed=4), "private-SAMPLE.png", "image/png", intimate=True
    )
    add_file(
        unlocked, made.id, samples.WHATSAPP_ANDROID.encode(), "WhatsApp Chat with Sample.txt", "text/plain"
    )
    counselor.add_note(unlocked, made.id, "Alex Sample", NOTE)
    unlocked.update_case(
        made.id,
        lambda c: c.with_signer(Signer(name="Sam Sample", email="sam@example.org", phone="+44 20 7946 0000")),
        None,
        {},
    )
    return unlocked.load_case(made.id)


@pytest.fixture
def identity():
    return crypto.generate_identity()


def post(client, case, identity, **fields):
    token = csrf_token(client, f"/counselor/{case.id}/handover")
    data = {"csrf_token": token, "recipient": str(identity.to_public()), **fields}
    return client.post(f"/counselor/{case.id}/handover", data=data)


def opened(response, identity):
    """The bundle's names and its case record, read as the organisation would."""
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    plain = pyrage.decrypt(response.data, [identity])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        names = tar.getnames()
        record = json.loads(tar.extractfile("case.json").read())
    return names, record


def ids(case, *names):
    return [it.id for it in case.evidence if it.original_name in names]


def test_ticking_one_file_while_every_file_stays_ticked_hands_over_only_that_file(client, case, identity):
    [picture] = ids(case, "profile-SAMPLE.png")
    names, record = opened(post(client, case, identity, all_items="y", items=picture, step="make"), identity)
    assert [n for n in names if n.startswith("evidence/")] == [f"evidence/{picture}"]
    assert [it["original_name"] for it in record["evidence"]] == ["profile-SAMPLE.png"]


def test_every_file_leaves_out_the_intimate_ones_and_the_notes_unless_they_are_chosen(client, case, identity):
    _names, record = opened(post(client, case, identity, all_items="y", step="make"), identity)
    assert sorted(it["original_name"] for it in record["evidence"]) == [
        "WhatsApp Chat with Sample.txt",
        "profile-SAMPLE.png",
    ]
    assert record["counselor_notes"] == []
    assert NOTE not in json.dumps(record)
    chosen = post(client, case, identity, all_items="y", intimate="y", notes="y", step="make")
    _names, record = opened(chosen, identity)
    assert len(record["evidence"]) == 3
    assert [n["text"] for n in record["counselor_notes"]] == [NOTE]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            (
                "Check what goes in the file",
                "e-mail address",
                "They stay out.",
                "1 file of the case stays out.",
            ),
        ),
        (
            "fr",
            (
                "Vérifier ce que contient le fichier",
                "adresse e-mail",
                "Elles restent en dehors.",
                "1 fichier",
            ),
        ),
    ],
)
def test_the_page_lists_what_goes_before_anything_is_made(client, case, identity, lang, words, unlocked):
    client.post(
        "/session/language",
        data={"csrf_token": csrf_token(client, f"/counselor/{case.id}/handover"), "lang": lang, "next": "/"},
    )
    review = post(client, case, identity, all_items="y", step="review")
    assert review.status_code == 200
    assert review.mimetype == "text/html"
    page = review.get_data(as_text=True)
    for word in words:
        assert word in page
    assert "profile-SAMPLE.png" in page
    assert "WhatsApp Chat with Sample.txt" in page
    assert "private-SAMPLE.png" not in page  # left out, and not named either
    assert "handover.exported" not in [e.action for e in unlocked.journal(case.id)]
    # What the page lists is what is made from it: the files it names, each by its id.
    [picture, chat] = ids(case, "profile-SAMPLE.png", "WhatsApp Chat with Sample.txt")
    assert page.count('name="items"') == 2
    assert f'value="{picture}"' in page
    assert f'value="{chat}"' in page
    assert 'name="all_items"' not in page


def test_an_intimate_file_chosen_is_said_so_before_it_goes(client, case, identity):
    [private] = ids(case, "private-SAMPLE.png")
    page = post(client, case, identity, items=private, step="review").get_data(as_text=True)
    assert "is marked intimate: the organisation will be able to see it" in page
    names, _record = opened(post(client, case, identity, items=private, step="make"), identity)
    assert f"evidence/{private}" in names


def test_nothing_chosen_hands_over_the_record_alone(client, case, identity):
    names, record = opened(post(client, case, identity, step="make"), identity)
    assert record["evidence"] == []
    assert not [n for n in names if n.startswith(("evidence/", "derived/"))]


def test_a_file_of_another_case_is_never_handed_over(client, case, identity, unlocked):
    other = unlocked.create_case("Another case")
    stranger = add_file(unlocked, other.id, samples.png(100, 80, seed=8), "other-SAMPLE.png", "image/png")
    names, record = opened(post(client, case, identity, items=stranger.id, step="make"), identity)
    assert record["evidence"] == []
