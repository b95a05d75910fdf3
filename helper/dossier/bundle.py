"""The originals bundle for an investigator: a ZIP of every original file, byte for byte, with the
signed manifest. It is streamed: each file is decrypted piece by piece into the ZIP as it is sent,
so a bundle of gigabytes never sits in memory or on disk in clear."""

from __future__ import annotations

import base64
import zipfile
from collections.abc import Iterator

from helper import vocabulary
from helper.dossier.data import DossierOptions, gather
from helper.dossier.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    archive_name,
    build_manifest,
    fingerprint,
)


class _Spool:
    """A write-only, unseekable file for zipfile; what is written is taken out piece by piece."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []

    def write(self, data: bytes, /) -> int:
        self._pieces.append(bytes(data))
        return len(data)

    # The rest of what zipfile asks of a file it writes to: nothing is buffered, nothing held open.
    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        out, self._pieces = b"".join(self._pieces), []
        return out


def originals_bundle(vault, case_id: str, options: DossierOptions) -> Iterator[bytes]:
    """The ZIP's bytes, piece by piece. Every file is checked whole against its pinned SHA-256 before
    this returns: a changed or missing one raises (`TamperedItem`, `MissingItem`, naming the item) and
    not one byte of the ZIP is produced; while streaming, each piece is handed on only once checked."""
    key = vault.signing_key()
    data = gather(vault, case_id, options, signer=fingerprint(key.public_key()))
    checked = {entry.item.id: vault.open_item(entry.item).check() for entry in data.items}
    manifest = build_manifest(data, key.public_key())
    vault.note_handed_out(
        case_id, vocabulary.ORIGINALS_EXPORTED, {"items": len(data.items), "journal_head": data.journal_head}
    )
    return _stream(vault, data, checked, key, manifest)


def _stream(vault, data, checked, key, manifest: bytes) -> Iterator[bytes]:
    spool = _Spool()
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(MANIFEST_NAME, manifest)
        archive.writestr(SIGNATURE_NAME, base64.b64encode(key.sign(manifest)))
        yield spool.take()
        for entry in data.items:
            with archive.open(
                archive_name(entry.number, entry.item.original_name), "w", force_zip64=True
            ) as dst:
                for chunk in checked[entry.item.id].pieces():
                    dst.write(chunk)
                    if piece := spool.take():
                        yield piece
            yield spool.take()
    yield spool.take()
