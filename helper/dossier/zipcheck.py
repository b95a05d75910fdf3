"""Reading a ZIP someone else made (an originals bundle to check), within bounds.

A ZIP's central directory says where each member is and how large; nothing makes it true. Before a
byte of any member is read, every entry is checked against the archive itself: each name once, only
the two methods this program's bundles could use (stored, deflated), nothing encrypted, each member's
local header where the directory says and its data inside the archive, no two members sharing bytes
(a "zip bomb" lists one large member hundreds of times, or nests members inside each other), and
sizes that a member of that length could really hold. Then a member is read only up to its declared
size, and only when the caller wants that size.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # APPNOTE 4.3.7, as zipfile reads it
_LOCAL_SIGNATURE = b"PK\x03\x04"
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# DEFLATE cannot expand more than 1032 times (a block of 258-byte matches); a declared size beyond
# that is a lie about the member, told to make a reader spend its time.
_DEFLATE_MAX_RATIO = 1032
_DEFLATE_SLACK = 1024


class ZipRefused(Exception):
    """The archive is not one to read: `code` says why (the caller words it), `name` which entry."""

    def __init__(self, code: str, name: str = "", params: dict | None = None) -> None:
        super().__init__(code, name)
        self.code = code  # "twice", "overlap", "sizes", "method", "encrypted", "too_many", "too_large"
        self.name = name
        self.params = params or {}


def checked_entries(
    archive: zipfile.ZipFile, source: BinaryIO, max_entries: int
) -> dict[str, zipfile.ZipInfo]:
    """Every entry of `archive` (opened on `source`), by name, once each has passed the checks above.
    Raises ZipRefused; reads only the local headers."""
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise ZipRefused("too_many", params={"limit": max_entries})
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename in by_name:
            raise ZipRefused("twice", info.filename)
        by_name[info.filename] = info
        if info.flag_bits & 0x1:
            raise ZipRefused("encrypted", info.filename)
        if info.compress_type not in _METHODS:
            raise ZipRefused("method", info.filename)
        _check_sizes(info)
    end = source.seek(0, 2)
    taken_to = 0
    for info in sorted(infos, key=lambda info: info.header_offset):
        if info.header_offset < taken_to:
            raise ZipRefused("overlap", info.filename)
        taken_to = _data_end(source, info, end)
    return by_name


def _check_sizes(info: zipfile.ZipInfo) -> None:
    if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
        raise ZipRefused("sizes", info.filename)
    if info.file_size > info.compress_size * _DEFLATE_MAX_RATIO + _DEFLATE_SLACK:
        raise ZipRefused("sizes", info.filename)


def _data_end(source: BinaryIO, info: zipfile.ZipInfo, archive_end: int) -> int:
    """Where the member's data ends, from its local header; refused unless it lies in the archive."""
    if info.header_offset < 0 or info.header_offset + _LOCAL_HEADER.size > archive_end:
        raise ZipRefused("overlap", info.filename)
    source.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(source.read(_LOCAL_HEADER.size))
    if header[0] != _LOCAL_SIGNATURE:
        raise ZipRefused("overlap", info.filename)
    data_end = info.header_offset + _LOCAL_HEADER.size + header[10] + header[11] + info.compress_size
    if data_end > archive_end:
        raise ZipRefused("sizes", info.filename)
    return data_end


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A small member whole (a manifest, a signature), refused above `limit` before it is read."""
    if info.file_size > limit:
        raise ZipRefused("too_large", info.filename, {"limit": limit})
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise ZipRefused("too_large", info.filename, {"limit": limit})
    return data


# What zipfile raises on a member whose local header or data is not what its entry says: a CRC that
# does not match, data that ends early, a broken deflate stream, flags that ask for what it cannot do.
MEMBER_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError, struct.error)


def member_pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int = 1 << 20):
    """A member's bytes, piece by piece, never more than its declared size; zipfile checks its CRC
    at the end (raising BadZipFile), and a member whose data ends early raises EOFError."""
    left = info.file_size
    with archive.open(info) as member:
        while left > 0:
            piece = member.read(min(chunk, left))
            if not piece:
                raise EOFError("member ends before its declared size")
            left -= len(piece)
            yield piece
        if member.read(1):
            raise zipfile.BadZipFile("member is longer than its declared size")
