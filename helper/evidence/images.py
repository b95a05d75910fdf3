"""Images at intake: checked whole, fingerprinted (PDQ), described (EXIF), and made small.

Decoding is bounded: dimensions are checked from the header before a single pixel is decoded, only
the formats listed are ever handed to a decoder, and a JPEG is decoded at a reduced scale. Intake
reads the header while the person waits (`read_header`: a damaged structure or a bomb is refused);
the decoding (`make_renditions`) comes after the file is saved, and a picture whose pixels then turn
out not to decode is kept, marked as such (helper/evidence/renditions.py).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from PIL import ExifTags, Image, ImageFile, ImageFilter, ImageOps
from pillow_heif import register_heif_opener

from helper.evidence.pdq import pdq_from_rgb
from helper.evidence.rejections import Rejected

register_heif_opener()
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Pillow's names for the formats intake decodes. Others (TIFF, ICO, PSD...) are kept, not opened.
DECODED = {
    "image/png": "PNG",
    "image/apng": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/heic": "HEIF",
    "image/heif": "HEIF",
    "image/bmp": "BMP",
}
BROWSER_SAFE = frozenset({"image/png", "image/apng", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
MAX_PIXELS = 120_000_000  # a 12 MP phone photo is 12 million; 120 million is a poster scan
MAX_SIDE = 32_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own bomb check, at the same line
THUMBNAIL_SIDE = 320
DISPLAY_SIDE = 2048  # a rendition for formats browsers cannot show (HEIC)
PDQ_SIDE = 512  # hashed at most 512 px a side: 4 ms instead of 1.2 s for 12 MP, a few bits apart
# A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) that keeps both sides at least this long: a
# 12 MP photo at 1/8 is 500 x 375, enough for the thumbnail and the hash, and decoding it is mostly
# reading the file (the picture is decoded once, for all of them).
DRAFT_SIDE = 256
BLUR_SIDE = 12  # the blurred thumbnail is built from a 12-pixel image: nothing recognisable survives

# Meta's threshold for a confident PDQ match (ThreatExchange, pdq_utils.PDQ_CONFIDENT_MATCH_THRESHOLD).
PDQ_MATCH_DISTANCE = 31


@dataclass(frozen=True)
class ImageHeader:
    """What an image says of itself before a single pixel is decoded: read at once, at intake."""

    format: str
    width: int
    height: int
    taken_at: str | None  # EXIF DateTimeOriginal: the camera's local time, with its offset when given
    device: str  # EXIF make and model
    software: str


@dataclass(frozen=True)
class Renditions:
    """What decoding an image makes: its fingerprint and the small pictures shown of it."""

    pdq: str  # 64 hex digits, ThreatExchange's order
    pdq_quality: int  # 0-100; under 50 the hash says little (a near-blank image)
    thumbnail: bytes  # JPEG
    blurred: bytes  # JPEG
    display: bytes | None  # JPEG, only for formats a browser cannot show


@dataclass(frozen=True)
class ImageFacts:
    format: str
    width: int
    height: int
    pdq: str
    pdq_quality: int
    taken_at: str | None
    device: str
    software: str
    thumbnail: bytes
    blurred: bytes
    display: bytes | None


def read_header(data: bytes, mime: str) -> ImageHeader | None:
    """The image's size and EXIF facts, with the checks that need no decoding (its structure, and
    dimensions a decoder would need gigabytes for): a fraction of a millisecond, so it is done while
    the person waits. `None` for an image format intake does not open; `Rejected` for a refused one."""
    fmt = DECODED.get(mime)
    if fmt is None:
        return None
    with _decoder_warnings():
        try:
            _check_whole(data, fmt)
            with Image.open(io.BytesIO(data), formats=[fmt]) as im:
                _check_dimensions(im)
                width, height = im.size
                taken_at, device, software = _exif_facts_or_none(im.getexif())
        except Rejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Rejected("image_too_big", str(exc)) from exc
        except Exception as exc:  # hostile bytes: whatever a parser raises means "not a whole image"
            raise Rejected("damaged_image", f"{type(exc).__name__}: {exc}") from exc
    return ImageHeader(fmt, width, height, taken_at, device, software)


def make_renditions(data: bytes, mime: str) -> Renditions:
    """Decode the image (once, a JPEG at a reduced scale) into its PDQ hash, a thumbnail, a blurred
    thumbnail and, for formats browsers cannot show, a display copy: tens of milliseconds for a phone
    photo, so the app does it after the file is saved. `Rejected` when the pixels do not decode whole."""
    fmt = DECODED.get(mime)
    if fmt is None:
        raise Rejected("damaged_image", f"{mime} is not decoded")
    needs_display = mime not in BROWSER_SAFE
    with _decoder_warnings():
        try:
            with Image.open(io.BytesIO(data), formats=[fmt]) as im:
                _check_dimensions(im)
                if fmt == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale: no rendition needs more
                    im.draft("RGB", (DISPLAY_SIDE,) * 2 if needs_display else (DRAFT_SIDE,) * 2)
                im.load()
                picture = _as_rgb(ImageOps.exif_transpose(im))
        except Rejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Rejected("image_too_big", str(exc)) from exc
        # Decoders meet hostile bytes here: whatever they raise means "this does not decode whole".
        except Exception as exc:
            raise Rejected("damaged_image", f"{type(exc).__name__}: {exc}") from exc
    display = _jpeg(_fit(picture, DISPLAY_SIDE), quality=85) if needs_display else None
    picture.thumbnail((PDQ_SIDE, PDQ_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)  # all else is smaller
    pdq, quality = pdq_hash(picture)
    return Renditions(
        pdq=pdq,
        pdq_quality=quality,
        thumbnail=_jpeg(_fit(picture, THUMBNAIL_SIDE), quality=80),
        blurred=_jpeg(blurred(picture), quality=70),
        display=display,
    )


def analyse_image(data: bytes, mime: str) -> ImageFacts | None:
    """Everything at once (find copies, which keeps nothing): `None` for a format intake does not
    open, or `Rejected`."""
    header = read_header(data, mime)
    if header is None:
        return None
    made = make_renditions(data, mime)
    return ImageFacts(
        format=header.format,
        width=header.width,
        height=header.height,
        pdq=made.pdq,
        pdq_quality=made.pdq_quality,
        taken_at=header.taken_at,
        device=header.device,
        software=header.software,
        thumbnail=made.thumbnail,
        blurred=made.blurred,
        display=made.display,
    )


@contextlib.contextmanager
def _decoder_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's notes on odd metadata ("Corrupt EXIF data") change nothing
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def image_pdq(data: bytes, mime: str) -> tuple[str, int] | None:
    """Only the PDQ hash of an image (for "find copies"), with the same checks as intake."""
    facts = analyse_image(data, mime)
    return None if facts is None else (facts.pdq, facts.pdq_quality)


def pdq_hash(picture: Image.Image) -> tuple[str, int]:
    small = _fit(picture, PDQ_SIDE)
    value, quality = pdq_from_rgb(np.asarray(small))
    return f"{value:064x}", quality  # ThreatExchange's text form


def pdq_distance(a: str, b: str) -> int:
    """Hamming distance between two PDQ hashes in hex."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def blurred(picture: Image.Image) -> Image.Image:
    """A blur made from a tiny copy, so the pixels sent to a browser hold nothing to recognise.
    (Blurred at a quarter of the thumbnail's size, then enlarged: the same look, a tenth of the work.)"""
    tiny = _fit(picture, BLUR_SIDE)
    w, h = picture.size
    scale = THUMBNAIL_SIDE / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    quarter = (max(1, size[0] // 4), max(1, size[1] // 4))
    bilinear = Image.Resampling.BILINEAR
    return tiny.resize(quarter, bilinear).filter(ImageFilter.GaussianBlur(3)).resize(size, bilinear)


def _check_whole(data: bytes, fmt: str) -> None:
    """Pillow's own structural check (chunk CRCs for PNG, frame layout for GIF) before decoding."""
    with Image.open(io.BytesIO(data), formats=[fmt]) as im:
        _check_dimensions(im)
        im.verify()


def _check_dimensions(im: Image.Image) -> None:
    width, height = im.size
    if width <= 0 or height <= 0:
        raise Rejected("damaged_image", "no pixels")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise Rejected("image_too_big", f"{width}x{height}")


def _as_rgb(im: Image.Image) -> Image.Image:
    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB")


def _fit(picture: Image.Image, side: int) -> Image.Image:
    small = picture.copy()
    small.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return small


def _jpeg(picture: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality, optimize=False)
    return out.getvalue()


_EXIF_IFD = ExifTags.IFD.Exif


def _exif_facts(exif: Image.Exif) -> tuple[str | None, str, str]:
    sub = exif.get_ifd(_EXIF_IFD) if exif else {}
    raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    offset = sub.get(ExifTags.Base.OffsetTimeOriginal) or sub.get(ExifTags.Base.OffsetTime)
    make = _text(exif.get(ExifTags.Base.Make))
    model = _text(exif.get(ExifTags.Base.Model))
    device = (
        model if make and model.lower().startswith(make.lower()) else " ".join(p for p in (make, model) if p)
    )
    return _exif_time(_text(raw), _text(offset)), device[:200], _text(exif.get(ExifTags.Base.Software))[:200]


def _exif_facts_or_none(exif: Image.Exif) -> tuple[str | None, str, str]:
    """EXIF is untrusted too: if it cannot be read, the picture is kept without those facts."""
    try:
        return _exif_facts(exif)
    except Exception:
        return None, "", ""


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if ch.isprintable()).strip("\x00 ").strip()


def _exif_time(raw: str, offset: str) -> str | None:
    """EXIF writes "2026:10:25 21:05:00" in the camera's local time; ISO 8601, with the offset if any."""
    try:
        moment = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    iso = moment.isoformat()
    if offset and len(offset) == 6 and offset[0] in "+-" and offset[3] == ":":
        iso += offset
    return iso
