"""A generated corpus of hostile and broken files, each with the reason intake must give.

Everything is built here from scratch: no file in it was ever downloaded.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from tests.support import samples


@dataclass(frozen=True)
class Hostile:
    id: str
    name: str
    make: Callable[[], bytes]
    reason: str
    max_size: int | None = None


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` but whose data is a few bytes: a bomb's shape."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_with_text(key: bytes, text: bytes) -> bytes:
    good = samples.png(120, 90)
    end = good.rindex(b"IEND") - 4
    return good[:end] + _chunk(b"tEXt", key + b"\0" + text) + good[end:]


def jpeg_with_size(width: int, height: int) -> bytes:
    data = bytearray(samples.jpeg(64, 48))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_with_comment(comment: bytes) -> bytes:
    data = samples.jpeg(64, 48)
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return data[:2] + segment + data[2:]


def gif_with_size(width: int, height: int) -> bytes:
    data = bytearray(samples.encode(samples.picture(32, 24).convert("P"), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    at = data.index(b"\x2c", 13)  # image descriptor
    data[at + 5 : at + 9] = struct.pack("<HH", width, height)
    return bytes(data)


def webp_canvas(width: int, height: int) -> bytes:
    """A real WebP with an extended header (VP8X) whose canvas claims `width` x `height`."""
    data = bytearray(samples.encode(samples.picture(32, 24), "WEBP", exif=samples.camera_exif()))
    at = data.index(b"VP8X") + 8 + 4
    data[at : at + 6] = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return bytes(data)


def bmp_with_size(width: int, height: int) -> bytes:
    header = struct.pack("<2sIHHI", b"BM", 54 + 16, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 16, 2835, 2835, 0, 0)
    return header + info + b"\0" * 16


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_with_overlap() -> bytes:
    """Two central-directory entries that point at the same local file (the "better zip bomb" shape)."""
    data = zipped({"a.txt": b"SAMPLE" * 10, "b.txt": b"SAMPLE" * 10}, zipfile.ZIP_STORED)
    second = data.rindex(b"PK\x01\x02")
    offset_field = second + 42
    return data[:offset_field] + struct.pack("<I", 0) + data[offset_field + 4 :]


def many_members(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"f{n}", b"")
    return out.getvalue()


def zip_without_directory() -> bytes:
    """A zip whose central directory has been overwritten."""
    data = bytearray(samples.whatsapp_zip())
    at = data.index(b"PK\x01\x02")
    data[at : at + 4] = b"XXXX"
    return bytes(data)


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


_PNG = samples.png(400, 300)
_JPEG = samples.jpeg(400, 300)
_GIF = samples.encode(samples.picture(200, 150).convert("P"), "GIF")
_WEBP = samples.encode(samples.picture(200, 150), "WEBP")
_HEIC = samples.encode(samples.picture(200, 150), "HEIF")
_ZIP = zipped({"note.txt": b"SAMPLE"})
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 8 + b"\x02\x00\x3e\x00" + b"\0" * 200
_PE = b"MZ" + b"\x90\x00" + b"\0" * 56 + b"PE\0\0" + b"\0" * 200


def _png_idat_offset(data: bytes) -> int:
    return data.index(b"IDAT") + 40


CORPUS: tuple[Hostile, ...] = (
    # names no ordinary device produces
    Hostile("name-parent-dirs", "../../etc/passwd", lambda: b"SAMPLE", "bad_name"),
    Hostile("name-windows-path", "..\\..\\win.ini", lambda: b"SAMPLE", "bad_name"),
    Hostile("name-folder", "photos/shot.png", lambda: _PNG, "bad_name"),
    Hostile("name-drive", "C:\\Users\\shot.png", lambda: _PNG, "bad_name"),
    Hostile("name-nul", "shot\x00.png", lambda: _PNG, "bad_name"),
    Hostile("name-newline", "shot\n.png", lambda: _PNG, "bad_name"),
    Hostile("name-tab", "shot\t.png", lambda: _PNG, "bad_name"),
    Hostile("name-bell", "shot\x07.png", lambda: _PNG, "bad_name"),
    Hostile("name-escape-sequence", "\x1b[31mshot.png", lambda: _PNG, "bad_name"),
    Hostile("name-delete", "shot\x7f.png", lambda: _PNG, "bad_name"),
    Hostile("name-right-to-left-override", "photo\u202egnp.exe", lambda: _PNG, "bad_name"),
    Hostile("name-isolate", "\u2066shot.png", lambda: _PNG, "bad_name"),
    Hostile("name-line-separator", "shot\u2028.png", lambda: _PNG, "bad_name"),
    Hostile("name-too-long", "a" * 256 + ".png", lambda: _PNG, "bad_name"),
    Hostile("name-dot", ".", lambda: b"SAMPLE", "bad_name"),
    Hostile("name-dot-dot", "..", lambda: b"SAMPLE", "bad_name"),
    # nothing in it, or too much
    Hostile("empty-png", "empty.png", lambda: b"", "empty"),
    Hostile("empty-mp4", "empty.mp4", lambda: b"", "empty"),
    Hostile("empty-txt", "empty.txt", lambda: b"", "empty"),
    Hostile("over-limit-video", "long.mp4", lambda: samples.MP4_HEAD + b"\0" * 5000, "too_large", 4096),
    Hostile("over-limit-image", "big.png", lambda: _PNG, "too_large", 1000),
    Hostile("over-limit-by-one", "one.txt", lambda: b"S" * 1025, "too_large", 1024),
    # programs
    Hostile("program-elf", "photo.jpg", lambda: _ELF, "program"),
    Hostile("program-exe", "invoice.pdf", lambda: _PE, "program"),
    Hostile(
        "program-macho", "video.mp4", lambda: b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\0" * 200, "program"
    ),
    Hostile("program-dex", "chat.txt", lambda: b"dex\n035\0" + b"\0" * 200, "program"),
    Hostile("program-wasm", "image.png", lambda: b"\0asm\x01\0\0\0" + b"\0" * 100, "program"),
    Hostile("program-flash", "movie.mp4", lambda: b"FWS\x0a" + b"\0" * 100, "program"),
    Hostile("program-chrome-extension", "x.zip", lambda: b"Cr24\x03\0\0\0" + b"\0" * 100, "program"),
    Hostile("program-deb", "x.zip", lambda: b"!<arch>\ndebian-binary   " + b"\0" * 100, "program"),
    # polyglots
    Hostile("polyglot-jpeg-zip", "shot.jpg", lambda: _JPEG + _ZIP, "polyglot"),
    Hostile("polyglot-png-zip", "shot.png", lambda: _PNG + _ZIP, "polyglot"),
    Hostile("polyglot-gif-zip", "anim.gif", lambda: _GIF + _ZIP, "polyglot"),
    Hostile("polyglot-mp4-zip", "clip.mp4", lambda: samples.MP4_HEAD + b"\0" * 4000 + _ZIP, "polyglot"),
    Hostile("polyglot-pdf-zip", "doc.pdf", lambda: _PDF + _ZIP, "polyglot"),
    Hostile(
        "polyglot-jpeg-script",
        "shot.jpg",
        lambda: jpeg_with_comment(b"<script>alert(1)</script>"),
        "polyglot",
    ),
    Hostile(
        "polyglot-png-html",
        "shot.png",
        lambda: png_with_text(b"Comment", b"<html><body>hi</body></html>"),
        "polyglot",
    ),
    Hostile(
        "polyglot-png-php",
        "shot.png",
        lambda: png_with_text(b"Comment", b"<?php system($_GET[1]); ?>"),
        "polyglot",
    ),
    Hostile(
        "polyglot-gif-svg", "anim.gif", lambda: _GIF[:-1] + b"<svg onload=alert(1)>" + _GIF[-1:], "polyglot"
    ),
    Hostile("polyglot-jpeg-pdf", "shot.jpg", lambda: jpeg_with_comment(b"%PDF-1.4 obj"), "polyglot"),
    Hostile("polyglot-webp-iframe", "shot.webp", lambda: _WEBP + b"<iframe src=x>", "polyglot"),
    Hostile(
        "polyglot-png-javascript-url",
        "shot.png",
        lambda: png_with_text(b"URL", b"javascript:alert(1)"),
        "polyglot",
    ),
    # dimensions a decoder would need gigabytes for
    Hostile("bomb-png-100k-square", "bomb.png", lambda: png_with_size(100_000, 100_000), "image_too_big"),
    Hostile("bomb-png-wide", "wide.png", lambda: png_with_size(40_000, 10), "image_too_big"),
    Hostile("bomb-png-400-megapixels", "big.png", lambda: png_with_size(20_000, 20_000), "image_too_big"),
    Hostile("bomb-jpeg-65k", "bomb.jpg", lambda: jpeg_with_size(65_000, 65_000), "image_too_big"),
    Hostile("bomb-gif-65k", "bomb.gif", lambda: gif_with_size(65_535, 65_535), "image_too_big"),
    # libwebp itself refuses a canvas that does not match the picture inside it
    Hostile("webp-lying-canvas", "bomb.webp", lambda: webp_canvas(16_383, 16_383), "damaged_image"),
    Hostile("bomb-bmp", "bomb.bmp", lambda: bmp_with_size(50_000, 50_000), "image_too_big"),
    # images whose structure is not whole (their pixels are not decoded to see it)
    Hostile("truncated-jpeg-header", "shot.jpg", lambda: _JPEG[:300], "damaged_image"),
    Hostile("truncated-png-half", "shot.png", lambda: _PNG[: len(_PNG) // 2], "damaged_image"),
    Hostile("truncated-png-header", "shot.png", lambda: _PNG[:40], "damaged_image"),
    Hostile("png-bad-crc", "shot.png", lambda: flip(_PNG, _png_idat_offset(_PNG)), "damaged_image"),
    Hostile("png-zero-size", "zero.png", lambda: png_with_size(0, 0), "damaged_image"),
    Hostile("truncated-webp", "shot.webp", lambda: _WEBP[: len(_WEBP) // 2], "damaged_image"),
    Hostile("jpeg-signature-only", "shot.jpg", lambda: b"\xff\xd8\xff\xe0" + b"\0" * 100, "damaged_image"),
    # archives
    Hostile("zip-parent-path", "export.zip", lambda: zipped({"../evil.txt": b"SAMPLE"}), "unsafe_archive"),
    Hostile(
        "zip-absolute-path", "export.zip", lambda: zipped({"/etc/cron.d/x": b"SAMPLE"}), "unsafe_archive"
    ),
    Hostile("zip-drive-path", "export.zip", lambda: zipped({"C:/evil.txt": b"SAMPLE"}), "unsafe_archive"),
    Hostile(
        "zip-bomb-ratio",
        "export.zip",
        lambda: zipped({"zeros.txt": b"\0" * (40 * 1024 * 1024)}),
        "unsafe_archive",
    ),
    Hostile("zip-overlapping", "export.zip", zip_with_overlap, "unsafe_archive"),
    Hostile("zip-too-many-entries", "export.zip", lambda: many_members(20_001), "unsafe_archive"),
    Hostile("zip-truncated", "export.zip", lambda: samples.whatsapp_zip()[:-30], "damaged_archive"),
    Hostile("zip-bad-directory", "export.zip", zip_without_directory, "damaged_archive"),
)


# Pictures whose header is whole but whose pixels do not decode: by the time that is known, the file has
# been kept (its renditions are made after it is saved), so it stays, marked unreadable, never lost.
UNDECODABLE: tuple[Hostile, ...] = (
    Hostile("truncated-jpeg-half", "shot.jpg", lambda: _JPEG[: len(_JPEG) // 2], "damaged_image"),
    Hostile("truncated-gif", "anim.gif", lambda: _GIF[: len(_GIF) // 2], "damaged_image"),
    Hostile("truncated-heic", "photo.heic", lambda: _HEIC[: len(_HEIC) // 2], "damaged_image"),
)
