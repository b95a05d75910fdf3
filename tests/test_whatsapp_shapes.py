"""WhatsApp's export lines as phones really write them: Android and iPhone, English, French, German and
Spanish, 12- and 24-hour clocks, with and without seconds, brackets and narrow no-break spaces.

Shapes from public descriptions of the "Export chat" format and exports made on phones set to each
language; the names and words are invented."""

from __future__ import annotations

import pytest

from helper.evidence.chats import parse_chat
from helper.evidence.chats.whatsapp import parse_whatsapp

NNBSP = "\u202f"
LRM = "\u200e"

# (line, sender, ISO time, text)
SHAPES = [
    ("31/12/2025, 21:15 - Alex Sample: hello", "Alex Sample", "2025-12-31T21:15:00", "hello"),
    (f"12/31/25, 9:15{NNBSP}PM - Alex Sample: hello", "Alex Sample", "2025-12-31T21:15:00", "hello"),
    ("12/31/25, 9:15 PM - Alex Sample: hello", "Alex Sample", "2025-12-31T21:15:00", "hello"),
    ("31/12/2025 à 21:15 - Léa Exemple: bonsoir", "Léa Exemple", "2025-12-31T21:15:00", "bonsoir"),
    ("31/12/2025 21:15 - Léa Exemple: bonsoir", "Léa Exemple", "2025-12-31T21:15:00", "bonsoir"),
    ("[31/12/2025 21:15:03] Léa Exemple: bonsoir", "Léa Exemple", "2025-12-31T21:15:03", "bonsoir"),
    ("[31/12/2025 à 21:15:03] Léa Exemple: bonsoir", "Léa Exemple", "2025-12-31T21:15:03", "bonsoir"),
    ("31.12.25, 21:15 - Lena Beispiel: Hallo", "Lena Beispiel", "2025-12-31T21:15:00", "Hallo"),
    ("31.12.25 um 21:15 - Lena Beispiel: Hallo", "Lena Beispiel", "2025-12-31T21:15:00", "Hallo"),
    ("[31.12.25, 21:15:03] Lena Beispiel: Hallo", "Lena Beispiel", "2025-12-31T21:15:03", "Hallo"),
    ("31/12/25, 21:15 - Lucía Ejemplo: hola", "Lucía Ejemplo", "2025-12-31T21:15:00", "hola"),
    ("31/12/2025 a las 9:15 p. m. - Lucía Ejemplo: hola", "Lucía Ejemplo", "2025-12-31T21:15:00", "hola"),
    (
        f"31/12/25, 9:15{NNBSP}a.{NNBSP}m. - Lucía Ejemplo: hola",
        "Lucía Ejemplo",
        "2025-12-31T09:15:00",
        "hola",
    ),
    (f"[31/12/25, 9:15:03{NNBSP}PM] Alex Sample: hello", "Alex Sample", "2025-12-31T21:15:03", "hello"),
    (f"{LRM}[31/12/2025, 21:15:03] Alex Sample: {LRM}hello", "Alex Sample", "2025-12-31T21:15:03", "hello"),
]


def chat_of(line: str):
    # Enough lines to count as a chat; the first one is the shape under test.
    rest = "\n".join(line for _ in range(3))
    return parse_whatsapp(f"{line}\n{rest}")


@pytest.mark.parametrize(("line", "sender", "at", "text"), SHAPES, ids=[s[0][:34] for s in SHAPES])
def test_every_phone_shape_is_read(line, sender, at, text):
    chat = chat_of(line)
    assert chat is not None, line
    message = chat.messages[0]
    assert (message.sender, message.at, message.text) == (sender, at, text)


FRENCH_ANDROID = """\
12/03/2026 à 21:14 - Les messages et les appels sont chiffrés de bout en bout.
12/03/2026 à 21:14 - Sam Exemple: Salut
12/03/2026 à 21:15 - Léa: Qui es-tu ?
13/03/2026 à 08:02 - Sam Exemple: Paie 200 € avant ce soir
ou j'envoie tout
13/03/2026 à 08:03 - Sam Exemple: IMG-20260313-WA0001.jpg (fichier joint)
"""


def test_a_french_android_export_is_read_into_messages():
    chat = parse_chat(FRENCH_ANDROID.encode(), "text/plain", "Discussion WhatsApp avec Sam Exemple.txt")
    assert chat is not None
    assert chat.title == "Sam Exemple"
    assert [m.sender for m in chat.messages] == ["", "Sam Exemple", "Léa", "Sam Exemple", "Sam Exemple"]
    assert chat.messages[3].at == "2026-03-13T08:02:00"
    assert chat.messages[3].text == "Paie 200 € avant ce soir\nou j'envoie tout"
    assert chat.messages[4].attachment == "IMG-20260313-WA0001.jpg"
    assert not chat.dates_ambiguous


@pytest.mark.parametrize(
    ("line", "name"),
    [
        (f"[31/12/2025 21:15:03] Léa: {LRM}<pièce jointe : 0001-PHOTO-2025.jpg>", "0001-PHOTO-2025.jpg"),
        (f"[31.12.25, 21:15:03] Lena: {LRM}<Anhang: 0001-PHOTO-2025.jpg>", "0001-PHOTO-2025.jpg"),
        ("31/12/25, 21:15 - Lucía: IMG-0001.jpg (archivo adjunto)", "IMG-0001.jpg"),
        ("31.12.25, 21:15 - Lena: IMG-0001.jpg (Datei angehängt)", "IMG-0001.jpg"),
    ],
)
def test_attachments_are_recognised_in_each_language(line, name):
    assert chat_of(line).messages[0].attachment == name


def test_the_french_export_can_be_ticked_in_the_app(client, token, unlocked):
    from tests.support.web import new_case, upload_raw

    case_id = new_case(client, token)
    upload_raw(
        client, token, case_id, FRENCH_ANDROID.encode(), "Discussion WhatsApp avec Sam Exemple.txt",
        **{"Content-Type": "text/plain"},
    )  # fmt: skip
    [item] = unlocked.load_case(case_id).evidence
    page = client.get(f"/evidence/{case_id}/{item.id}/messages").get_data(as_text=True)
    assert page.count('type="checkbox" name="quote"') == 5
    assert "Paie 200 € avant ce soir" in page
    assert ":00</span>" not in page  # minutes, no seconds
