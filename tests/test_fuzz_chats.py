"""Fuzzing the chat parsers (WhatsApp, Telegram, Instagram/Facebook): whatever an export holds, a parser
returns a chat or None, never raises, and every string it returns can be stored and read back.

The exports are written by whoever sends the messages as much as by the app: a sender's name, a message
and a file name are theirs to choose. Examples are derandomized (tests/conftest.py)."""

from __future__ import annotations

import io
import json
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helper.evidence.chats import Chat, parse_chat
from helper.evidence.chats.meta import parse_meta_html, parse_meta_json
from helper.evidence.chats.telegram import parse_telegram
from helper.evidence.chats.whatsapp import parse_whatsapp
from tests.support import samples

# Letters of every kind, lone surrogates (JSON's "\ud800"), and the characters the formats lean on.
ODD = st.sampled_from(["\u200e", "\u200f", "\ufeff", "\u202f", "\u00a0", "\n", "\r", "\t", "\x00", "\u2028"])
CHARACTER = st.one_of(st.characters(), st.characters(categories=["Cs"]), ODD, st.sampled_from(":[]-/.,<>"))
TEXT = st.text(CHARACTER, max_size=40)
# Values a format's own fields could hold but the app never writes: a superscript digit (str.isdigit()
# says yes, int() says no), more digits than int() reads, a number past any float.
SPECIAL = st.sampled_from(["", "0", "²", "9" * 5000, "1792955103", 10**400, -(10**400), float("nan")])
NUMBER = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), SPECIAL)


def json_values(keys: list[str]) -> st.SearchStrategy:
    """JSON-shaped values (as `json.loads` gives them, NaN included), with the format's own keys."""
    scalars = st.one_of(st.none(), st.booleans(), NUMBER, TEXT, SPECIAL)
    key = st.one_of(st.sampled_from(keys), TEXT)
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(key, inner, max_size=5)),
        max_leaves=20,
    )


def assert_storable(chat: Chat | None) -> None:
    """What the desk does with a chat (helper/evidence/stored.py): JSON in UTF-8, read back the same."""
    if chat is None:
        return
    payload = json.dumps(chat.to_dict(), ensure_ascii=False).encode("utf-8")
    assert Chat.from_dict(json.loads(payload)) == chat
    assert all(isinstance(m.text, str) for m in chat.messages)


# -- WhatsApp ------------------------------------------------------------------------------------

DIGITS = st.text(st.sampled_from("0123456789١٢"), min_size=1, max_size=5)
STAMP = st.builds(
    "{}{}{}{}{}{}{}{}{}{}{}".format,
    st.sampled_from(["", "[", "\u200e["]),
    DIGITS,
    st.sampled_from(["/", ".", "-"]),
    DIGITS,
    st.sampled_from(["/", ".", "-"]),
    DIGITS,
    st.sampled_from([", ", " ", " à ", " a las ", " um ", "\u202f"]),
    DIGITS,
    st.sampled_from([":", "."]),
    DIGITS,
    st.sampled_from(["", " PM", "\u202fa.\u202fm.", ":07", "] ", " - "]),
)
LINE = st.one_of(
    st.builds(lambda stamp, sender, text: f"{stamp} - {sender}: {text}", STAMP, TEXT, TEXT),
    st.builds(lambda stamp, sender, text: f"{stamp}] {sender}: {text}", STAMP, TEXT, TEXT),
    st.builds(lambda stamp, name: f"{stamp} - Sam: {name} (file attached)", STAMP, TEXT),
    st.builds(lambda stamp, name: f"{stamp}] Sam: \u200e<attached: {name}>", STAMP, TEXT),
    TEXT,
)


@settings(max_examples=300)
@given(st.lists(LINE, max_size=25), TEXT)
def test_whatsapp_reads_any_lines_into_a_chat_or_nothing(lines, title):
    assert_storable(parse_whatsapp("\n".join(lines), title=title))


@settings(max_examples=150)
@given(st.binary(max_size=2000), st.sampled_from(["text/plain", "text/html", "application/zip"]), TEXT)
def test_any_bytes_are_a_chat_or_nothing(data, mime, name):
    assert_storable(parse_chat(data, mime, name))


# -- Telegram ------------------------------------------------------------------------------------

TELEGRAM_KEYS = [
    "name", "type", "id", "messages", "chats", "list", "date", "date_unixtime", "from", "actor", "action",
    "text", "photo", "file", "service", "message",
]  # fmt: skip
TELEGRAM_VALUE = json_values(TELEGRAM_KEYS)
TELEGRAM_MESSAGE = st.fixed_dictionaries(
    {"date": st.one_of(st.just("2026-10-25T21:05:03"), SPECIAL, TELEGRAM_VALUE)},
    optional={k: TELEGRAM_VALUE for k in ("type", "from", "actor", "action", "text", "photo")}
    | {"date_unixtime": st.one_of(SPECIAL, TELEGRAM_VALUE)},
)
TELEGRAM_CHAT = st.fixed_dictionaries(
    {"messages": st.lists(st.one_of(TELEGRAM_MESSAGE, TELEGRAM_VALUE), max_size=6)},
    optional={"name": TELEGRAM_VALUE, "type": TELEGRAM_VALUE},
)
TELEGRAM = st.one_of(
    TELEGRAM_CHAT,
    st.builds(lambda chats: {"chats": {"list": chats}}, st.lists(st.one_of(TELEGRAM_CHAT, TELEGRAM_VALUE))),
    TELEGRAM_VALUE,
)


@settings(max_examples=200)
@given(TELEGRAM)
def test_telegram_reads_any_json_into_a_chat_or_nothing(data):
    assert_storable(parse_telegram(data))


@settings(max_examples=200)
@given(st.lists(TELEGRAM_MESSAGE, min_size=1, max_size=6))
def test_telegram_reads_any_messages_into_a_chat_or_nothing(messages):
    assert_storable(parse_telegram({"name": "Sam Sample", "messages": messages}))


# -- Instagram and Facebook ------------------------------------------------------------------------

META_KEYS = [
    "participants", "messages", "title", "name", "sender_name", "timestamp_ms", "content", "photos",
    "videos", "files", "uri", "share", "link",
]  # fmt: skip
META_VALUE = json_values(META_KEYS)
META_MESSAGE = st.fixed_dictionaries(
    {"sender_name": st.one_of(TEXT, META_VALUE)},
    optional={k: META_VALUE for k in ("timestamp_ms", "content", "photos", "share")}
    | {"timestamp_ms": NUMBER, "photos": st.lists(st.fixed_dictionaries({"uri": META_VALUE}), max_size=2)},
)
META = st.one_of(
    st.fixed_dictionaries(
        {
            "participants": st.lists(st.one_of(st.fixed_dictionaries({"name": META_VALUE}), META_VALUE)),
            "messages": st.lists(st.one_of(META_MESSAGE, META_VALUE), max_size=6),
        },
        optional={"title": META_VALUE},
    ),
    META_VALUE,
)


@settings(max_examples=300)
@given(META)
def test_meta_json_reads_any_json_into_a_chat_or_nothing(data):
    assert_storable(parse_meta_json(data))


TAG = st.sampled_from(["div", "span", "p", "a", "br", "img", "script", "style", "title", "b", "table"])
CLASSES = st.sampled_from(["pam _3-95 _2ph- _a6-g uiBoxWhite noborder", "_3-96 _2let", "_3-94 _2lem", ""])
HTML_PIECE = st.one_of(
    st.builds(lambda tag, cls: f'<{tag} class="{cls}">', TAG, CLASSES),
    st.builds("</{}>".format, TAG),
    TEXT,
    st.sampled_from(
        ["&#xd800;", "&#0;", "&amp;", "&#x110000;", "<!--", "-->", "<![CDATA[", "<!", "<?x", "]]>"]
    ),
    st.sampled_from(["Dec 31, 2025 9:15 pm", "31 déc. 2025, 21:15", "Feb 30, 2026 9:15 pm"]),
)


@settings(max_examples=300)
@given(st.lists(HTML_PIECE, max_size=40))
def test_meta_html_reads_any_markup_into_a_chat_or_nothing(pieces):
    assert_storable(parse_meta_html("".join(pieces)))


# -- exports mutated byte by byte ----------------------------------------------------------------


def whatsapp_zip_with(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


EXPORTS = [
    (samples.WHATSAPP_ANDROID.encode(), "text/plain", "WhatsApp Chat with Sam Sample.txt"),
    (samples.telegram_json(), "text/plain", "result.json"),
    (samples.instagram_json(), "text/plain", "message_1.json"),
    (samples.facebook_html(), "text/html", "message_1.html"),
    (samples.whatsapp_zip(), "application/zip", "WhatsApp Chat - Sam Sample.zip"),
    (
        whatsapp_zip_with({"inbox/sam_1/message_1.json": samples.instagram_json()}),
        "application/zip",
        "instagram.zip",
    ),
]


@st.composite
def mutated_export(draw):
    data, mime, name = draw(st.sampled_from(EXPORTS))
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        how = draw(st.sampled_from(["flip", "cut", "insert", "escape"]))
        if how == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:  # an escape JSON reads as a lone surrogate, or a character reference to none
            data[at:at] = draw(st.sampled_from([b"\\ud800", b"\\udfff", b"&#xdfff;", b"\\u0000"]))
    return bytes(data), mime, name


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_export())
def test_a_damaged_export_is_a_chat_or_nothing(export):
    assert_storable(parse_chat(*export))
