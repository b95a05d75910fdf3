"""The evidence desk: the one place a file is received, whatever brought it.

The form upload, the page script's upload, "keep this picture" (find copies) and the command line's
`import` all hand their bytes to an `EvidenceDesk`, and all get back one `Outcome`. Every rule is
applied here once: the file's name, intake's refusals (programs, polyglots, bombs...), the size limit,
and the under-18 rule, which the record itself checks again under the vault's write lock.

Bytes are encrypted into the vault as they arrive (a `PendingBlob`); what intake needs to look inside
them stays in memory (a `Sample`). Nothing is published until intake has accepted the file, and the
case refers to nothing that is not durable first.

A picture's header is read and checked here; its pixels are decoded into renditions (thumbnails, PDQ)
either at once, before the item is added complete in one write (a desk without a worker: the command
line), or after it was kept, by the `RenditionWorker` the desk was given (the app: the person does not
wait for the decoding). See helper/evidence/renditions.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import BinaryIO

from helper import vocabulary
from helper.case import EvidenceItem, ImageInfo, MinorImageRefused, utc_now
from helper.evidence.chats.model import valid_text
from helper.evidence.images import make_renditions
from helper.evidence.intake import Findings, inspect
from helper.evidence.names import check_file_name, shown_name
from helper.evidence.rejections import Rejected
from helper.evidence.renditions import RenditionWorker, store_renditions, waiting_image
from helper.evidence.sample import Sample
from helper.evidence.stored import store_chat
from helper.vault import CaseNotFound, DamagedCase, PendingBlob, UnlockedVault, VaultError
from helper.vault.errors import is_disk_full
from helper.vault.store import new_id

log = logging.getLogger(__name__)

READ_CHUNK = 1 << 20

# Every way receiving a file can end. "refused" carries intake's reason (helper/evidence/rejections.py).
SAVED = "saved"
REFUSED = "refused"
UNREADABLE = "unreadable"  # the refusal of a file whose reading failed unexpectedly
STATUSES = (SAVED, REFUSED, *vocabulary.RECEIVE_PROBLEMS.codes)


@dataclass(frozen=True)
class Outcome:
    """What became of one file. Views and the command line only put it into words."""

    status: str  # one of STATUSES
    name: str  # the file's name as it was given (shown through `shown_name`)
    item: EvidenceItem | None = None  # when saved
    reason: str = ""  # when refused: why, one of helper.evidence.rejections.REASONS

    @property
    def saved(self) -> bool:
        return self.status == SAVED

    def message(self, gettext: vocabulary.Translate) -> str:
        """The sentence for the person, in the language of `gettext` (empty when saved)."""
        if self.status == SAVED:
            return ""
        if self.status == REFUSED:
            return vocabulary.REFUSALS.label(self.reason, gettext) % {"name": shown_name(self.name)}
        return vocabulary.RECEIVE_PROBLEMS.label(self.status, gettext)


class Incoming:
    """A file arriving: written into, encrypted on the fly, looked at, then kept or discarded.

    It behaves enough like a file for Werkzeug's form parser to stream an upload into it, so the
    upload's plaintext never touches the disk.
    """

    def __init__(
        self, blob: PendingBlob, name: str = "", max_size: int | None = None, keep_picture: bool = True
    ) -> None:
        self.blob = blob
        self.name = valid_text(name)  # known while it arrives, for a chat export's title
        self.sample = Sample()  # what intake looks inside, kept in memory only
        self._max_size = max_size
        # A picture's bytes stay in memory until it is received when its renditions are made then;
        # otherwise they go as soon as intake has looked (the worker reads them back from the vault).
        self._keep_picture = keep_picture
        self._findings: Findings | None = None
        self._refusal: Rejected | None = None

    def write(self, data: bytes) -> int:
        if self._max_size is not None and self.blob.size + len(data) > self._max_size:
            raise Rejected("too_large", f"over {self._max_size} bytes")
        self.sample.update(data)
        return self.blob.write(data)

    def tell(self) -> int:
        return self.blob.size

    def seek(self, offset: int, whence: int = 0) -> int:
        """Werkzeug rewinds each file of a form once it has arrived: the moment to look inside it and
        let its bytes go, so a form with many pictures holds one in memory at a time, not all."""
        if self.blob.digest is None and self.blob.size:
            with contextlib.suppress(OSError, Rejected):  # both are reported when it is received
                self.conclude()
        return 0

    def conclude(self) -> Findings:
        """Finish encrypting and let intake look inside (once); raises `Rejected` for a refused file."""
        if self._findings is None and self._refusal is None:
            self.blob.finish()
            try:
                findings = inspect(self.sample, self.name, decode=False)
                self._findings = findings if self._keep_picture else replace(findings, source=None)
            except Rejected as exc:
                self._refusal = exc
            except Exception as exc:  # a file nobody foresaw is that file's refusal, whoever is reading
                log.exception("looking inside a file failed")
                self._refusal = Rejected(UNREADABLE, type(exc).__name__)
            self.sample = Sample()  # the bytes kept for intake are let go
        if self._refusal is not None:
            raise self._refusal
        assert self._findings is not None  # noqa: S101 - set just above
        return self._findings

    def discard(self) -> None:
        self.blob.discard()  # a no-op once published
        self.sample = Sample()

    def close(self) -> None:
        self.discard()


def _write_failed(exc: OSError, name: str) -> Outcome:
    """A write to the vault failed: a full disk is said plainly; anything else is logged."""
    if is_disk_full(exc):
        return Outcome("disk_full", name)
    log.exception("saving a file failed")
    return Outcome("disk", name)


class EvidenceDesk:
    """Receives files into one vault. `max_size` is the largest file taken, in bytes. With `renditions`,
    a picture is kept before it is decoded, and the worker makes its renditions after."""

    def __init__(
        self, vault: UnlockedVault, max_size: int | None = None, renditions: RenditionWorker | None = None
    ) -> None:
        self.vault = vault
        self.max_size = max_size
        self.renditions = renditions

    def precheck(
        self, case_id: str, *, intimate: bool = False, declared_not_intimate: bool = False
    ) -> Outcome | None:
        """An early answer, before any byte is sent: the case is gone, or the under-18 rule refuses.
        (The same rule is applied again when the file is added, under the write lock.)"""
        try:
            case = self.vault.load_case(case_id)
            case.check_accepts(intimate=intimate, declared_not_intimate=declared_not_intimate)
        except MinorImageRefused:
            return Outcome("minor", "")
        except (CaseNotFound, DamagedCase):
            return Outcome("case_gone", "")
        except VaultError:
            return Outcome("locked", "")
        return None

    def begin(
        self,
        name: str = "",
        expected_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        enforce_limit: bool = True,
    ) -> Incoming:
        """Start receiving a file; `expected_size` (when known) picks the fastest way to encrypt it.
        Past the size limit, writing raises `Rejected("too_large")`, unless the caller enforces the
        limit itself (`enforce_limit=False`: a form parser that stops the whole request instead)."""
        limit = self.max_size if enforce_limit else None
        blob = self.vault.begin_blob(expected_size, on_progress)
        return Incoming(blob, name, limit, keep_picture=self.renditions is None)

    def receive(
        self,
        case_id: str,
        incoming: Incoming,
        *,
        name: str,
        media_type: str = "application/octet-stream",
        file_modified: str | None = None,
        intimate: bool = False,
        declared_not_intimate: bool = False,
        wait_turn: Callable[[], None] | None = None,
    ) -> Outcome:
        """Keep a file that has fully arrived, or say why not. Nothing of a refused file is kept.
        Callers ask `precheck` first, so a refusal comes before the bytes do. `wait_turn`, when given,
        is called just before the file joins the case (files sent side by side join in order).
        A failure nobody foresaw is this file's refusal ("unreadable", logged): the files received
        after it, in the same form or command, are received as if it had not been sent."""
        name = valid_text(name)
        try:
            return self._receive(
                case_id, incoming, name, media_type, file_modified, intimate, declared_not_intimate, wait_turn
            )
        except Rejected as exc:
            return Outcome(REFUSED, name, reason=exc.reason)
        except MinorImageRefused:
            return Outcome("minor", name)
        except (CaseNotFound, DamagedCase):
            return Outcome("case_gone", name)
        except VaultError:  # locked from another window while the file was arriving
            return Outcome("locked", name)
        except OSError as exc:
            return _write_failed(exc, name)
        except Exception:
            log.exception("receiving a file failed")
            return Outcome(REFUSED, name, reason=UNREADABLE)
        finally:
            incoming.discard()

    def receive_stream(
        self,
        case_id: str,
        source: BinaryIO,
        *,
        name: str,
        expected_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        **details,
    ) -> Outcome:
        """Read `source` to its end into the vault, then `receive` it. With `expected_size`, a file
        that stops short (a closed tab, a pulled cable) is "incomplete" and nothing is kept."""
        name = valid_text(name)
        early = self.precheck(
            case_id,
            intimate=details.get("intimate", False),
            declared_not_intimate=details.get("declared_not_intimate", False),
        )
        if early is not None:
            return Outcome(early.status, name)
        if self.max_size is not None and expected_size is not None and expected_size > self.max_size:
            return Outcome(REFUSED, name, reason="too_large")
        try:
            incoming = self.begin(name, expected_size, on_progress)
        except VaultError:
            return Outcome("locked", name)
        except OSError as exc:
            return _write_failed(exc, name)
        try:
            while chunk := source.read(READ_CHUNK):
                incoming.write(chunk)
        except Rejected as exc:
            incoming.discard()
            return Outcome(REFUSED, name, reason=exc.reason)
        except OSError as exc:
            incoming.discard()
            return _write_failed(exc, name)
        except BaseException:
            incoming.discard()  # the sender went away: nothing half-received is kept
            raise
        if expected_size is not None and incoming.tell() != expected_size:
            incoming.discard()
            return Outcome("incomplete", name)
        return self.receive(case_id, incoming, name=name, **details)

    def _receive(
        self,
        case_id: str,
        incoming: Incoming,
        name: str,
        media_type: str,
        file_modified: str | None,
        intimate: bool,
        declared_not_intimate: bool,
        wait_turn: Callable[[], None] | None = None,
    ) -> Outcome:
        kept_name = check_file_name(name)
        incoming.name = incoming.name or kept_name
        digest = incoming.blob.finish()
        findings = incoming.conclude()
        # The under-18 rule and the case's existence were answered by `precheck` before the bytes came;
        # they are applied again, authoritatively, when the item is added under the write lock (below).
        stored: list[str] = []
        try:
            image, chat = self._store_renditions(findings, stored)
        except BaseException:
            self.vault.remove_blobs(stored)
            raise
        item = EvidenceItem(
            id=new_id(),
            blob=incoming.blob.blob_id,
            sha256=digest.sha256,
            size=digest.size,
            original_name=kept_name,
            media_type=media_type,
            added_at=utc_now(),
            md5=digest.md5,
            detected_type=findings.detected.mime,
            file_modified=file_modified,
            intimate=intimate,
            image=image,
            chat=chat,
        )
        if wait_turn is not None:
            wait_turn()
        try:
            incoming.blob.publish()
            self.vault.add_item(case_id, item, declared_not_intimate=declared_not_intimate)
        except BaseException:
            # The case said no (its under-18 answer changed meanwhile, or it is gone): its files go.
            self.vault.remove_blobs(item.blobs)
            raise
        if self.renditions is not None:
            self.renditions.request(self.vault, item, case_id)
        return Outcome(SAVED, name, item=item)

    def _store_renditions(self, findings: Findings, stored: list[str]):
        """The picture's record (its renditions made now, or to come) and the chat's messages, each
        rendition an encrypted file; `stored` lists them as they are written, so a failure half-way
        leaves nothing behind."""

        def keep(data: bytes) -> tuple[str, str]:
            stored.append(self.vault.store_blob(data))
            return stored[-1], hashlib.sha256(data).hexdigest()

        image = chat = None
        if findings.picture is not None:
            image = waiting_image(findings.picture)
            if self.renditions is None:
                image = self._renditions_now(image, findings, stored)
        if findings.chat is not None:
            chat = store_chat(findings.chat, keep)
        return image, chat

    def _renditions_now(self, image: ImageInfo, findings: Findings, stored: list[str]) -> ImageInfo:
        """Decode the picture before it is added: pixels that do not decode leave it kept and marked,
        as the worker would have."""
        assert findings.source is not None  # noqa: S101 - kept for this (`keep_picture`)
        try:
            made = make_renditions(findings.source, findings.detected.mime)
        except Rejected:
            return replace(image, unreadable=True)
        return store_renditions(self.vault, image, made, stored)
