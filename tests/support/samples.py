"""Synthetic, decent test files: generated pictures with "SAMPLE" drawn on them, invented chats.

Nothing here is, or looks like, a real person's data.
"""

from __future__ import annotations

import io
import json
import random
import zipfile

from PIL import Image, ImageDraw, ImageFilter
from pillow_heif import register_heif_opener

register_heif_opener()

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def picture(width: int = 800, height: int = 600, seed: int = 1, label: str = "SAMPLE") -> Image.Image:
    """Soft coloured shapes and a label: enough structure for a perceptual hash to mean something."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test pictures, not secrets
    im = Image.new("RGB", (width, height), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(im)
    for _ in range(24):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(max(8, width // 20), max(9, width // 3))
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256))
        )
    im = im.filter(ImageFilter.GaussianBlur(max(1, width // 200)))
    ImageDraw.Draw(im).text((width // 10, height // 3), label, fill="white", font_size=max(10, width // 8))
    return im


def encode(im: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


def png(width: int = 800, height: int = 600, seed: int = 1) -> bytes:
    return encode(picture(width, height, seed), "PNG")


def jpeg(
    width: int = 800, height: int = 600, seed: int = 1, quality: int = 90, exif: Image.Exif | None = None
) -> bytes:
    options: dict[str, object] = {"quality": quality}
    if exif is not None:
        options["exif"] = exif
    return encode(picture(width, height, seed), "JPEG", **options)


def camera_exif(when: str = "2026:10:25 21:05:00", offset: str = "+02:00") -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SampleCo"  # Make
    exif[0x0110] = "SampleCo Phone 7"  # Model
    exif[0x0131] = "SampleOS 3.1"  # Software
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = when  # DateTimeOriginal
    sub[0x9011] = offset  # OffsetTimeOriginal
    return exif


WHATSAPP_ANDROID = """\
25/10/2026, 21:05 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.
25/10/2026, 21:05 - Sam Sample: hi, saw your profile
25/10/2026, 21:07 - Pat Example: who is this?
26/10/2026, 08:15 - Sam Sample: I have your pictures. Pay 500 or I send them to everyone
on your friends list
26/10/2026, 08:16 - Sam Sample: IMG-20261026-WA0001.jpg (file attached)
26/10/2026, 09:00 - Pat Example: please stop
"""

WHATSAPP_IPHONE = """\
[10/25/26, 9:05:03 PM] Sam Sample: hi, saw your profile
[10/25/26, 9:07:41 PM] Pat Example: who is this?
[10/26/26, 8:15:00 AM] Sam Sample: Pay 500 by midnight
\u200e[10/26/26, 8:16:12 AM] Sam Sample: \u200e<attached: 00000012-PHOTO-2026-10-26-08-16-12.jpg>
"""


def whatsapp_zip(chat: str = WHATSAPP_IPHONE, chat_name: str = "_chat.txt") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(chat_name, chat)
        archive.writestr("00000012-PHOTO-2026-10-26-08-16-12.jpg", jpeg(64, 48))
    return out.getvalue()


def telegram_json() -> bytes:
    return json.dumps(
        {
            "name": "Sam Sample",
            "type": "personal_chat",
            "id": 4242,
            "messages": [
                {
                    "id": 1,
                    "type": "message",
                    "date": "2026-10-25T21:05:03",
                    "date_unixtime": "1792955103",
                    "from": "Sam Sample",
                    "from_id": "user4242",
                    "text": "hi, saw your profile",
                },
                {
                    "id": 2,
                    "type": "message",
                    "date": "2026-10-26T08:15:00",
                    "date_unixtime": "1792995300",
                    "from": "Sam Sample",
                    "from_id": "user4242",
                    "text": ["Pay ", {"type": "bold", "text": "500"}, " by midnight"],
                },
                {
                    "id": 3,
                    "type": "message",
                    "date": "2026-10-26T08:16:00",
                    "date_unixtime": "1792995360",
                    "from": "Pat Example",
                    "from_id": "user7",
                    "text": "",
                    "photo": "photos/photo_1@26-10-2026_08-16-00.jpg",
                },
                {
                    "id": 4,
                    "type": "service",
                    "date": "2026-10-26T08:20:00",
                    "actor": "Pat Example",
                    "action": "block_user",
                },
            ],
        },
        ensure_ascii=False,
    ).encode()


def _meta_escape(text: str) -> str:
    """Meta writes each UTF-8 byte as its own \\u00XX escape."""
    return text.encode("utf-8").decode("latin-1")


def instagram_json() -> bytes:
    return json.dumps(
        {
            "participants": [{"name": "sam.sample.42"}, {"name": _meta_escape("Pat Exémple")}],
            "messages": [
                {
                    "sender_name": "sam.sample.42",
                    "timestamp_ms": 1792995300000,
                    "content": "Pay 500 by midnight",
                    "is_geoblocked_for_viewer": False,
                },
                {
                    "sender_name": _meta_escape("Pat Exémple"),
                    "timestamp_ms": 1792955261000,
                    "content": _meta_escape("qui êtes-vous ?"),
                    "is_geoblocked_for_viewer": False,
                },
                {
                    "sender_name": "sam.sample.42",
                    "timestamp_ms": 1792955103000,
                    "content": "hi, saw your profile",
                    "is_geoblocked_for_viewer": False,
                },
            ],
            "title": "sam.sample.42",
            "is_still_participant": True,
            "thread_path": "inbox/samsample42_1234567890",
            "magic_words": [],
        }
    ).encode()


def facebook_html() -> bytes:
    def block(sender: str, text: str, when: str) -> str:
        return (
            '<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">'
            f'<h2 class="_3-95 _2pim _a6-h _a6-i">{sender}</h2>'
            f'<div class="_3-95 _a6-p"><div><div></div><div>{text}</div><div></div><div></div></div></div>'
            f'<div class="_3-94 _a6-o">{when}</div></div>'
        )

    return (
        "<!DOCTYPE html><html><head><title>Sam Sample</title><script>ignored()</script></head><body>"
        '<div class="_a705"><div class="_a706" role="main">'
        + block("Sam Sample", "Pay 500 by midnight &amp; don&#039;t tell", "Oct 26, 2026 8:15 am")
        + block("Pat Example", "who is this?", "Oct 25, 2026 9:07 pm")
        + block("Sam Sample", "hi, saw your profile", "Oct 25, 2026 9:05 pm")
        + "</div></div></body></html>"
    ).encode()
