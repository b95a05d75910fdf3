"""What intake decides about a file once all its bytes have passed: keep it, and what it is, or refuse it.

Runs on what `Sample` kept in memory (the head, the tail, and for images, text and zips the whole
file); nothing is ever written in clear. A refusal is a `Rejected` with the reason to tell the person.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field

from helper.evidence.chats import Chat, parse_chat
from helper.evidence.detect import DetectedType
from helper.evidence.images import ImageFacts, ImageHeader, analyse_image, read_header
from helper.evidence.rejections import Rejected
from helper.evidence.sample import Sample

PROGRAMS = frozenset(
    {
        "application/x-msdownload",
        "application/x-executable",
        "application/x-shockwave-flash",
        "application/x-google-chrome-extension",
        "application/wasm",
        "application/x-deb",
        "application/x-rpm",
    }
)
# Mach-O (both byte orders, 32/64 bit), Android DEX.
_PROGRAM_MAGIC = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"dex\n0",
)
# Markup a browser would act on, inside a file that claims to be an image.
_MARKUP = re.compile(
    rb"<(?:script|html|svg|iframe|body|object|embed)[\s>/]|<\?php|javascript:", re.IGNORECASE
)
_EOCD = b"PK\x05\x06"

MAX_ARCHIVE_ENTRIES = 20_000
MAX_ARCHIVE_TOTAL = 8 * 1024**3  # uncompressed, all members together
MAX_ARCHIVE_RATIO = 200  # uncompressed / compressed, for a member over 1 MiB


@dataclass(frozen=True)
class Findings:
    detected: DetectedType
    image: ImageFacts | None = None  # a picture decoded (`decode=True`)
    chat: Chat | None = None
    picture: ImageHeader | None = None  # a picture intake decodes, its header read
    # The picture's bytes, when it was not decoded here (`decode=False`): for whoever makes its
    # renditions now; dropped by whoever leaves that for later.
    source: bytes | None = field(default=None, repr=False)


def inspect(sample: Sample, name: str = "", max_size: int | None = None, *, decode: bool = True) -> Findings:
    """Keep or refuse. With `decode=False`, a picture's header is read and checked but its pixels are
    not decoded: the evidence desk keeps the file first and makes its renditions after."""
    if sample.size == 0:
        raise Rejected("empty")
    if max_size is not None and sample.size > max_size:
        raise Rejected("too_large", f"{sample.size} bytes")
    detected = sample.detected
    head = sample.head
    if detected.mime in PROGRAMS or head.startswith(_PROGRAM_MAGIC):
        raise Rejected("program", detected.mime)
    _refuse_polyglot(detected, head, sample.tail, sample.size)
    body = sample.body()
    if body is None:
        return Findings(detected)
    image = header = None
    if detected.family == "image":
        if any(_MARKUP.search(region) for region in metadata_regions(body, detected.mime)):
            raise Rejected("polyglot", "markup inside an image")
        header = read_header(body, detected.mime)
        if header is not None and decode:
            image = analyse_image(body, detected.mime)
    if detected.mime == "application/zip":
        check_archive(body)
    chat = parse_chat(body, detected.mime, name) if detected.family in ("text", "archive") else None
    source = body if header is not None and not decode else None
    return Findings(detected, image=image, chat=chat, picture=header, source=source)


EDGE = 4096


def metadata_regions(data: bytes, mime: str):
    """The parts of an image that are not compressed picture data: its first and last bytes, and its
    metadata (JPEG APPn and comment segments, PNG chunks other than image data, WebP chunks other
    than the bitstream). Markup is looked for there only: inside compressed data, a few bytes that
    happen to spell "<svg " would refuse an honest photo about once in a thousand."""
    yield data[:EDGE]
    yield data[-EDGE:]
    try:
        if mime == "image/jpeg":
            yield from _jpeg_segments(data)
        elif mime in ("image/png", "image/apng"):
            yield from _png_chunks(data)
        elif mime == "image/webp":
            yield from _riff_chunks(data)
    except (struct.error, IndexError):
        return  # a damaged structure: the decoder refuses it next


def _jpeg_segments(data: bytes):
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: compressed picture data follows
            return
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            yield data[at + 4 : at + 2 + length]
        at += 2 + length


def _png_chunks(data: bytes):
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind not in (b"IDAT", b"fdAT"):
            yield data[at + 8 : at + 8 + length]
        at += 12 + length
        if kind == b"IEND":
            yield data[at:]  # anything after the end
            return


def _riff_chunks(data: bytes):
    (riff_size,) = struct.unpack("<I", data[4:8])
    at = 12
    while at + 8 <= min(len(data), riff_size + 8):
        kind, length = struct.unpack("<4sI", data[at : at + 8])
        if kind not in (b"VP8 ", b"VP8L", b"ANMF", b"ALPH"):
            yield data[at + 8 : at + 8 + length]
        at += 8 + length + (length & 1)
    yield data[riff_size + 8 :]  # anything after the container


def _refuse_polyglot(detected: DetectedType, head: bytes, tail: bytes, size: int) -> None:
    """A file that is also another kind of file: an image or video that is also a zip or a PDF."""
    if detected.family not in ("image", "video", "audio", "document"):
        return
    if detected.mime != "application/pdf" and b"%PDF-" in head[:1024]:
        raise Rejected("polyglot", "PDF header inside another type")
    if _ends_with_zip(tail, size):
        raise Rejected("polyglot", "zip archive appended")


def _ends_with_zip(tail: bytes, size: int) -> bool:
    """True when the tail holds a coherent zip end-of-archive record, as an appended zip leaves."""
    at = tail.rfind(_EOCD)
    while at >= 0:
        record = tail[at : at + 22]
        if len(record) == 22:
            _sig, disk, cd_disk, here, total, cd_size, cd_offset, comment = struct.unpack("<IHHHHIIH", record)
            fits = cd_size + cd_offset <= size and len(tail) - at - 22 == comment
            if disk == cd_disk == 0 and here == total and fits:
                return True
        at = tail.rfind(_EOCD, 0, at)
    return False


def check_archive(data: bytes) -> None:
    """Refuse zip bombs and archives whose paths climb out; the archive is never unpacked to disk."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # zipfile meets hostile bytes: unreadable means refused
        raise Rejected("damaged_archive", str(exc)) from exc
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise Rejected("unsafe_archive", f"{len(infos)} entries")
    offsets = set()
    total = 0
    for info in infos:
        parts = info.filename.replace("\\", "/").split("/")
        if info.filename.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", info.filename):
            raise Rejected("unsafe_archive", f"path {info.filename!r}")
        if info.header_offset in offsets:
            raise Rejected("unsafe_archive", "overlapping entries")
        offsets.add(info.header_offset)
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_ARCHIVE_RATIO * max(info.compress_size, 1):
            raise Rejected(
                "unsafe_archive", f"{info.filename!r} expands {info.file_size // max(info.compress_size, 1)}x"
            )
    if total > MAX_ARCHIVE_TOTAL:
        raise Rejected("unsafe_archive", f"{total} bytes uncompressed")
