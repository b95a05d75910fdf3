"""Intake in the domain: fingerprints, PDQ, EXIF, renditions, chat exports, names, links."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from PIL import Image

from helper.evidence.chats import parse_chat
from helper.evidence.desk import EvidenceDesk
from helper.evidence.images import PDQ_MATCH_DISTANCE, analyse_image, pdq_distance
from helper.evidence.intake import inspect
from helper.evidence.names import check_file_name
from helper.evidence.sample import Sample
from helper.vault.crypto import Fingerprints
from tests.support import samples
from tests.support.evidence import add_file


def sample_of(data: bytes, chunk: int = 7000) -> Sample:
    s = Sample()
    for i in range(0, len(data), chunk):
        s.update(data[i : i + chunk])
    return s


# -- fingerprints ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "sha256", "md5"),
    [
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "d41d8cd98f00b204e9800998ecf8427e",
        ),
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "900150983cd24fb0d6963f7d28e17f72",
        ),
        (
            b"The quick brown fox jumps over the lazy dog",
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
            "9e107d9d372bb6826bd81d3542a419d6",
        ),
    ],
)
def test_hashes_match_published_known_answers(data, sha256, md5):
    fp = Fingerprints()
    for i in range(0, len(data), 5):
        fp.update(data[i : i + 5])
    digest = fp.digest()
    assert (digest.sha256, digest.md5, digest.size) == (sha256, md5, len(data))


def test_sample_keeps_head_tail_and_the_body_of_kinds_it_opens():
    data = samples.png(400, 300)
    s = sample_of(data)
    assert s.head == data[:8192]
    assert s.tail == data[-len(s.tail) :]
    assert s.body() == data


def test_sample_does_not_keep_a_video_in_memory():
    s = Sample()
    s.update(samples.MP4_HEAD + b"\0" * 10_000)
    for _ in range(20):
        s.update(b"\1" * 100_000)
    assert s.body() is None
    assert not s.too_large_to_open  # videos are never opened, whatever their size


def test_sample_gives_up_on_an_image_over_its_limit():
    s = Sample(limits={"image": 50_000})
    s.update(samples.png(800, 600))
    assert s.body() is None
    assert s.too_large_to_open


# -- images ------------------------------------------------------------------------------------


def test_pdq_matches_a_resized_recompressed_copy_and_not_an_unrelated_image():
    original = analyse_image(samples.png(1600, 1200, seed=7), "image/png")
    copy = samples.picture(1600, 1200, seed=7).resize((640, 480))
    recompressed = analyse_image(samples.encode(copy, "JPEG", quality=55), "image/jpeg")
    other = analyse_image(samples.png(1600, 1200, seed=8), "image/png")
    assert pdq_distance(original.pdq, recompressed.pdq) <= PDQ_MATCH_DISTANCE
    assert pdq_distance(original.pdq, other.pdq) > 2 * PDQ_MATCH_DISTANCE
    assert len(original.pdq) == 64
    assert int(original.pdq, 16) >= 0
    assert original.pdq_quality >= 50


def test_pdq_is_stable():
    data = samples.png(640, 480, seed=3)
    assert analyse_image(data, "image/png").pdq == analyse_image(data, "image/png").pdq


def test_exif_date_device_and_dimensions_are_read():
    facts = analyse_image(samples.jpeg(1200, 900, exif=samples.camera_exif()), "image/jpeg")
    assert (facts.width, facts.height, facts.format) == (1200, 900, "JPEG")
    assert facts.taken_at == "2026-10-25T21:05:00+02:00"
    assert facts.device == "SampleCo Phone 7"
    assert facts.software == "SampleOS 3.1"


def test_thumbnails_are_small_jpegs_and_the_blurred_one_hides_detail():
    facts = analyse_image(samples.png(1600, 1200), "image/png")
    thumb = Image.open(io.BytesIO(facts.thumbnail))
    blurred = Image.open(io.BytesIO(facts.blurred))
    assert thumb.format == blurred.format == "JPEG"
    assert max(thumb.size) == 320
    assert max(blurred.size) == 320
    # The blurred one holds no more than a 12-pixel image would: rebuilding it from 12 pixels loses
    # almost nothing, while the thumbnail loses a lot.
    from PIL import ImageChops, ImageStat

    def loss_from_12_pixels(im):
        rebuilt = im.resize((12, 9), Image.BOX).resize(im.size, Image.BILINEAR)
        return ImageStat.Stat(ImageChops.difference(im, rebuilt).convert("L")).mean[0]

    assert loss_from_12_pixels(blurred) < 6, loss_from_12_pixels(thumb)
    assert loss_from_12_pixels(thumb) > 3 * loss_from_12_pixels(blurred)
    assert facts.display is None  # a browser shows PNG itself


def test_heic_is_read_and_given_a_display_rendition():
    facts = analyse_image(samples.encode(samples.picture(900, 600), "HEIF"), "image/heic")
    assert facts.format == "HEIF"
    assert (facts.width, facts.height) == (900, 600)
    assert Image.open(io.BytesIO(facts.display)).format == "JPEG"


def test_transparent_png_and_palette_gif_and_webp_are_read():
    rgba = samples.picture(300, 200).convert("RGBA")
    assert analyse_image(samples.encode(rgba, "PNG"), "image/png").width == 300
    assert analyse_image(samples.encode(samples.picture(300, 200).convert("P"), "GIF"), "image/gif")
    assert analyse_image(samples.encode(samples.picture(300, 200), "WEBP"), "image/webp")


def test_an_image_format_intake_does_not_open_is_kept_without_renditions():
    tiff = samples.encode(samples.picture(100, 80), "TIFF")
    findings = inspect(sample_of(tiff))
    assert findings.detected.mime == "image/tiff"
    assert findings.image is None


# -- chat exports ------------------------------------------------------------------------------


def test_whatsapp_android_export():
    chat = parse_chat(samples.WHATSAPP_ANDROID.encode(), "text/plain", "WhatsApp Chat with Sam Sample.txt")
    assert chat.format == "whatsapp"
    assert chat.title == "Sam Sample"
    assert chat.participants == ("Sam Sample", "Pat Example")
    system, first, *_ = chat.messages
    assert system.sender == ""
    assert "end-to-end" in system.text
    assert (first.sender, first.at, first.text) == (
        "Sam Sample",
        "2026-10-25T21:05:00",
        "hi, saw your profile",
    )
    threat = chat.messages[3]
    assert threat.text == "I have your pictures. Pay 500 or I send them to everyone\non your friends list"
    assert chat.messages[4].attachment == "IMG-20261026-WA0001.jpg"
    assert not chat.dates_ambiguous


def test_whatsapp_iphone_export_with_month_first_dates_and_12_hour_clock():
    chat = parse_chat(samples.WHATSAPP_IPHONE.encode(), "text/plain", "_chat.txt")
    assert [m.at for m in chat.messages] == [
        "2026-10-25T21:05:03",
        "2026-10-25T21:07:41",
        "2026-10-26T08:15:00",
        "2026-10-26T08:16:12",
    ]
    assert chat.messages[3].attachment == "00000012-PHOTO-2026-10-26-08-16-12.jpg"


def test_whatsapp_dates_that_could_be_either_order_are_flagged():
    text = "01/02/2026, 10:00 - Sam Sample: one\n03/04/2026, 11:00 - Sam Sample: two\n"
    chat = parse_chat(text.encode(), "text/plain")
    assert chat.dates_ambiguous
    assert chat.messages[0].at == "2026-02-01T10:00:00"  # read day-first, and said so


def test_whatsapp_zip_with_media():
    findings = inspect(sample_of(samples.whatsapp_zip()), "WhatsApp Chat - Sam Sample.zip")
    assert findings.detected.mime == "application/zip"
    assert findings.chat.format == "whatsapp"
    assert len(findings.chat.messages) == 4


def test_telegram_json_export():
    chat = parse_chat(samples.telegram_json(), "text/plain", "result.json")
    assert chat.format == "telegram"
    assert chat.title == "Sam Sample"
    assert chat.messages[1].text == "Pay 500 by midnight"  # formatted pieces joined
    assert chat.messages[1].at == "2026-10-26T08:15:00"
    assert chat.messages[2].attachment.startswith("photos/")
    assert chat.messages[3].text == "block user"


def test_instagram_json_export_is_sorted_and_its_text_repaired():
    chat = parse_chat(samples.instagram_json(), "text/plain", "message_1.json")
    assert chat.format == "meta"
    assert [m.text for m in chat.messages] == [
        "hi, saw your profile",
        "qui êtes-vous ?",
        "Pay 500 by midnight",
    ]
    assert chat.messages[1].sender == "Pat Exémple"
    assert chat.messages[0].at == "2026-10-25T19:05:03+00:00"


def test_facebook_html_export():
    chat = parse_chat(samples.facebook_html(), "text/html", "message_1.html")
    assert chat.title == "Sam Sample"
    assert [(m.sender, m.at) for m in chat.messages] == [
        ("Sam Sample", "2026-10-25T21:05:00"),
        ("Pat Example", "2026-10-25T21:07:00"),
        ("Sam Sample", "2026-10-26T08:15:00"),
    ]
    assert chat.messages[2].text == "Pay 500 by midnight & don't tell"
    assert all("ignored" not in m.text for m in chat.messages)


def test_a_meta_data_download_zip_with_several_conversations():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "your_instagram_activity/messages/inbox/sam_1/message_1.json", samples.instagram_json()
        )
        archive.writestr(
            "your_instagram_activity/messages/inbox/other_2/message_1.html", samples.facebook_html()
        )
    chat = parse_chat(out.getvalue(), "application/zip")
    assert chat.title == ""  # no English made up here: each message names its conversation
    assert len({m.thread for m in chat.messages}) == 2
    assert {m.thread for m in chat.messages} == {"sam.sample.42", "Sam Sample"}


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"just some notes\nno chat here\n", "text/plain"),
        (b"{" * 100_000, "text/plain"),
        (b"[" * 100_000 + b"]" * 100_000, "text/plain"),
        (json.dumps({"messages": "nope"}).encode(), "text/plain"),
        (json.dumps({"messages": [1, None, "x"], "participants": []}).encode(), "text/plain"),
        (b"<html><div class='pam uiBoxWhite'><div>only one</div></div>", "text/html"),
        (b"<div>" * 50_000, "text/html"),
        (b"PK\x03\x04 not really a zip", "application/zip"),
        (b"\xff\xfe\x00garbage", "text/plain"),
    ],
)
def test_parsers_never_raise_on_junk(data, mime):
    chat = parse_chat(data, mime)
    assert chat is None or chat.messages == ()


@pytest.mark.parametrize(
    "unix", ["²", "9" * 5000], ids=["a superscript digit", "more digits than int() reads"]
)
def test_a_telegram_time_no_clock_can_hold_is_left_out(unix):
    """Found by tests/test_fuzz_chats.py: `str.isdigit` says yes to "²", `int` says no, and the whole
    export was lost (parse_chat's catch-all read it as no chat at all)."""
    from helper.evidence.chats.telegram import parse_telegram

    chat = parse_telegram({"name": "Sam Sample", "messages": [{"date": "", "date_unixtime": unix}]})
    assert chat is not None
    assert chat.messages[0].at is None


@pytest.mark.parametrize("stamp", [10**400, -(10**400), float("nan"), True])
def test_a_meta_time_no_clock_can_hold_is_left_out(stamp):
    """Found by tests/test_fuzz_chats.py: 10**400 / 1000 raises OverflowError before any check."""
    from helper.evidence.chats.meta import parse_meta_json

    message = {"sender_name": "sam.sample.42", "timestamp_ms": stamp, "content": "Pay 500 by midnight"}
    chat = parse_meta_json({"participants": [], "messages": [message]})
    assert chat is not None
    assert (chat.messages[0].at, chat.messages[0].text) == (None, "Pay 500 by midnight")


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["shot.png", "Capture d’écran 2026-10-25 à 21.05.png", "👀 proof.jpg", "a" * 255]
)
def test_ordinary_names_are_kept_as_they_are(name):
    assert check_file_name(name) == name


def test_no_name_becomes_unnamed():
    assert check_file_name("  ") == "unnamed"


def test_evidence_fingerprint_is_of_the_original_bytes_unchanged(unlocked):
    data = samples.jpeg(640, 480, exif=samples.camera_exif())
    case = unlocked.create_case("Bytes")
    item = add_file(unlocked, case.id, io.BytesIO(data), "photo.jpg", "image/jpeg")
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    out = io.BytesIO()
    unlocked.open_evidence(case.id, item.id).write_to(out)
    assert out.getvalue() == data  # EXIF and all: renditions are separate files
    assert item.image.taken_at == "2026-10-25T21:05:00+02:00"
    assert unlocked.journal(case.id)[-1].detail["pdq"] == item.image.pdq


def test_a_form_upload_is_looked_at_and_let_go_as_soon_as_it_has_arrived(unlocked):
    """Werkzeug rewinds each file of a form when it is complete: intake runs then, and drops the bytes,
    so a form of many pictures holds one in memory at a time."""
    case = unlocked.create_case("Form")
    desk = EvidenceDesk(unlocked)
    incoming = desk.begin("shot.png")
    incoming.write(samples.png(640, 480))
    incoming.seek(0)
    assert incoming.sample.size == 0  # the kept bytes are gone
    outcome = desk.receive(case.id, incoming, name="shot.png", media_type="image/png")
    assert outcome.item.image.width == 640


def test_markup_is_looked_for_in_metadata_not_in_compressed_picture_data():
    from helper.evidence.intake import metadata_regions

    data = samples.encode(samples.picture(1600, 1200).effect_spread(3), "JPEG", quality=95)
    regions = list(metadata_regions(data, "image/jpeg"))
    middle = len(data) // 2
    assert sum(len(r) for r in regions) < len(data) // 10
    assert all(data[middle : middle + 64] not in r for r in regions)


def test_a_picture_with_garbage_exif_is_kept_without_those_facts():
    data = bytearray(samples.jpeg(320, 240, exif=samples.camera_exif()))
    at = data.index(b"Exif\x00\x00") + 6
    data[at + 8 : at + 40] = b"\xff" * 32  # the IFD's entries turned to nonsense
    facts = analyse_image(bytes(data), "image/jpeg")
    assert facts.width == 320


# -- text no file can hold, and failures nobody foresaw ----------------------------------------

LONE = "\ud800"  # half of a UTF-16 pair, alone: JSON's "\ud800" escape reads as it


def telegram_with_a_lone_surrogate() -> bytes:
    data = json.loads(samples.telegram_json())
    data["name"] = f"Sam {LONE}"
    data["messages"][0]["from"] = f"Sam {LONE} Sample"
    data["messages"][1]["text"] = ["Pay ", {"type": "bold", "text": f"500{LONE}"}]
    data["messages"][2]["photo"] = f"photos/{LONE}.jpg"
    return json.dumps(data).encode()  # ASCII, with the escape written out as an export would


def instagram_with_a_lone_surrogate() -> bytes:
    data = json.loads(samples.instagram_json())
    data["title"] = f"sam{LONE}"
    data["participants"][0]["name"] = f"Sam {LONE} Sample"
    data["messages"][0]["sender_name"] = f"Sam {LONE} Sample"
    data["messages"][0]["photos"] = [{"uri": f"photos/{LONE}.jpg"}]
    return json.dumps(data).encode()


def every_string_of(chat) -> list[str]:
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list | tuple):
            for v in value:
                yield from strings(v)

    return list(strings(chat.to_dict()))


@pytest.mark.parametrize("export", [telegram_with_a_lone_surrogate, instagram_with_a_lone_surrogate])
def test_a_lone_surrogate_in_a_chat_export_is_replaced_and_everything_else_kept(export):
    chat = parse_chat(export(), "text/plain", "result.json")
    assert chat is not None
    for text in every_string_of(chat):
        text.encode("utf-8")  # every string a parser gives can be written down
    assert "Sam \ufffd Sample" in chat.participants
    assert any(m.sender == "Sam \ufffd Sample" for m in chat.messages)
    assert any(m.attachment == "photos/\ufffd.jpg" for m in chat.messages)
    assert len(chat.messages) == (4 if chat.format == "telegram" else 3)


def test_a_chat_export_with_a_lone_surrogate_is_kept_with_the_files_after_it(client, token, unlocked):
    from tests.support.web import new_case, upload

    case_id = new_case(client, token)
    response = upload(
        client,
        token,
        case_id,
        (io.BytesIO(samples.png(64, 48)), "before.png"),
        (io.BytesIO(telegram_with_a_lone_surrogate()), "result.json"),
        (io.BytesIO(samples.png(48, 64)), "after.png"),
    )
    assert response.status_code == 302
    assert "3 files saved and encrypted." in client.get(response.location).get_data(as_text=True)
    before, chat, after = unlocked.load_case(case_id).evidence
    assert (before.original_name, after.original_name) == ("before.png", "after.png")
    assert "Sam \ufffd Sample" in chat.chat.participants
    page = client.get(f"/evidence/{case_id}/{chat.id}/messages")
    assert page.status_code == 200
    assert "Sam \ufffd Sample" in page.get_data(as_text=True)
    assert unlocked.journal(case_id)[-1].detail  # the journal took it too


def test_a_file_whose_reading_fails_unexpectedly_is_refused_alone(client, token, unlocked, monkeypatch):
    """One file's unforeseen failure (here, intake itself breaking on it) is that file's refusal, said in
    one sentence; the files around it in the same form are saved, and nothing of it is kept."""
    from helper.evidence import desk
    from tests.support.web import new_case, upload

    real_inspect = desk.inspect

    def inspect_breaking_on_odd(sample, name, **options):
        if name == "odd.png":
            raise RuntimeError("a bug nobody foresaw")
        return real_inspect(sample, name, **options)

    monkeypatch.setattr(desk, "inspect", inspect_breaking_on_odd)
    case_id = new_case(client, token)
    before = sorted((unlocked.path / "blobs").iterdir())
    response = upload(
        client,
        token,
        case_id,
        (io.BytesIO(samples.png(64, 48)), "first.png"),
        (io.BytesIO(samples.png(64, 48)), "odd.png"),
        (io.BytesIO(samples.png(48, 64)), "last.png"),
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "2 files saved and encrypted." in page
    assert "Something went wrong while reading “odd.png”, so it was not kept." in page
    assert "Traceback" not in page
    evidence = unlocked.load_case(case_id).evidence
    assert [it.original_name for it in evidence] == ["first.png", "last.png"]
    kept = sorted((unlocked.path / "blobs").iterdir())
    assert len(kept) == len(before) + sum(len(it.blobs) for it in evidence)  # nothing of odd.png


def test_a_failure_while_keeping_a_file_leaves_nothing_of_it(unlocked, monkeypatch):
    from helper.evidence import desk

    def broken_store_chat(parsed, keep):
        keep(b"half of what was to be written")
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setattr(desk, "store_chat", broken_store_chat)
    case = unlocked.create_case("Chats")
    before = sorted((unlocked.path / "blobs").iterdir())
    outcome = EvidenceDesk(unlocked).receive_stream(
        case.id, io.BytesIO(samples.telegram_json()), name="result.json"
    )
    assert (outcome.status, outcome.reason) == ("refused", "unreadable")
    assert outcome.message(str) == (
        "Something went wrong while reading “result.json”, so it was not kept. Your other files are not "
        "affected. You can try adding it again."
    )
    assert sorted((unlocked.path / "blobs").iterdir()) == before
    assert unlocked.load_case(case.id).evidence == ()


def test_import_keeps_a_chat_with_a_lone_surrogate_and_a_name_no_text_can_hold(vault_dir, tmp_path):
    """The command line: a file name in bytes that are not UTF-8 (Linux allows any) and a chat export
    with a lone surrogate are both kept, their unwritable characters replaced, with no traceback."""
    import os

    from helper import cli
    from helper.vault import Vault
    from tests.support.cli import run
    from tests.support.web import PASSPHRASE

    chat = tmp_path / "result.json"
    chat.write_bytes(telegram_with_a_lone_surrogate())
    odd = tmp_path / os.fsdecode(b"notes-\xff.txt")
    odd.write_bytes(b"Seen on the profile page: sam.sample.42 (SAMPLE)\n")
    done = run(
        "import", "--vault", str(vault_dir), "--case", "Chats", str(chat), str(odd), stdin=f"{PASSPHRASE}\n"
    )
    assert done.returncode == cli.EXIT_OK, done.stderr
    assert "Traceback" not in done.stderr
    unlocked = Vault(vault_dir).unlock(PASSPHRASE)
    [case] = unlocked.list_cases()
    first, second = unlocked.load_case(case.id).evidence
    assert "Sam \ufffd Sample" in first.chat.participants
    assert second.original_name == "notes-\ufffd.txt"
