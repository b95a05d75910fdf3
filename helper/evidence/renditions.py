"""A picture's renditions, made after the file is saved: the thumbnail, the blurred thumbnail, the
display copy (HEIC) and the PDQ hash.

Decoding a 12 MP photo takes tens of milliseconds even at 1/8 scale, most of it JPEG entropy decoding;
the person uploading two hundred of them should not wait for it. So the evidence desk keeps the file at
once (encrypted, hashed, pinned, its header read and checked, the under-18 rule applied) with an image
record whose renditions are empty: *preparing*. Then `prepare` reads the original back from the vault
(checked whole against its pinned SHA-256), decodes it in memory, encrypts each rendition into the
vault and pins them on the item in one write (helper/casework/renditions.py). Pixels that do not decode
mark the item *unreadable*: it stays, whole and encrypted, and is never lost for it.

Crash safety comes from that order. A kill before the renditions are pinned leaves an item still
*preparing*, and its renditions are asked for again whenever a page shows it (`RenditionWorker.request`
is cheap and idempotent); rendition files written but never pinned are files no case refers to, swept
as orphans. There is no state that cannot be shown: *preparing* and *unreadable* have their neutral
placeholder on every page, and nothing sharper ever stands in for a missing blurred rendition.

`RenditionWorker` is the app's background worker: a fixed number of threads (one by default, at a lower
CPU priority on Linux so that files arriving keep the processor), each holding one decoded picture at a
time; the queue holds only ids, each once. No Flask here.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from helper.case import EvidenceItem, ImageInfo
from helper.casework.renditions import NotPreparing, add_renditions, mark_unreadable
from helper.evidence.images import ImageHeader, Renditions, make_renditions
from helper.evidence.rejections import Rejected
from helper.vault import MissingItem, TamperedItem, UnlockedVault, VaultError

log = logging.getLogger(__name__)

# What a picture's renditions are, as pages say it. An item that is not a picture intake decodes has
# none (NONE): a video, a PDF, a TIFF.
NONE = "none"
READY = "ready"
PREPARING = "preparing"
UNREADABLE = "unreadable"


def state(item: EvidenceItem) -> str:
    image = item.image
    if image is None:
        return NONE
    if image.unreadable:
        return UNREADABLE
    return READY if image.blurred_blob else PREPARING


def waiting_image(header: ImageHeader) -> ImageInfo:
    """The image record of a picture just kept: the facts of its header, its renditions to come."""
    return ImageInfo(
        format=header.format,
        width=header.width,
        height=header.height,
        taken_at=header.taken_at,
        device=header.device,
        software=header.software,
    )


def store_renditions(
    vault: UnlockedVault, header: ImageInfo, made: Renditions, stored: list[str]
) -> ImageInfo:
    """Encrypt each rendition into the vault; the image record that pins them. `stored` lists the files
    as they are written, so a failure half-way leaves nothing behind once the caller removes them."""

    def keep(data: bytes) -> tuple[str, str]:
        stored.append(vault.store_blob(data))
        return stored[-1], hashlib.sha256(data).hexdigest()

    thumbnail, blurred = keep(made.thumbnail), keep(made.blurred)
    display = keep(made.display) if made.display else ("", "")
    return replace(
        header,
        pdq=made.pdq,
        pdq_quality=made.pdq_quality,
        thumbnail_blob=thumbnail[0],
        blurred_blob=blurred[0],
        display_blob=display[0],
        thumbnail_sha256=thumbnail[1],
        blurred_sha256=blurred[1],
        display_sha256=display[1],
        unreadable=False,
    )


def prepare(vault: UnlockedVault, case_id: str, item_id: str, make=make_renditions) -> str:
    """Make an item's renditions if it still waits for them; its state after. The original is read from
    the vault and checked whole before a byte of it is decoded. A damaged or missing original leaves
    the item as it was (its page says what is wrong with the file); a vault locked meanwhile raises."""
    item = vault.load_case(case_id).item(item_id)
    if item is None or state(item) != PREPARING:
        return NONE if item is None else state(item)
    assert item.image is not None  # noqa: S101 - PREPARING says so
    try:
        data = b"".join(vault.open_item(item).single_pass())  # checked at its end, before any use
    except (MissingItem, TamperedItem):
        log.warning("a picture's original could not be read back for its renditions")
        return PREPARING
    try:
        made = make(data, item.detected_type)
    except Rejected:
        del data
        with contextlib.suppress(NotPreparing):
            mark_unreadable(vault, case_id, item_id)
        return UNREADABLE
    del data
    stored: list[str] = []
    try:
        image = store_renditions(vault, item.image, made, stored)
        add_renditions(vault, case_id, item_id, image)
    except NotPreparing:  # removed, or prepared by another window meanwhile
        vault.remove_blobs(stored)
        return NONE
    except BaseException:
        vault.remove_blobs(stored)
        raise
    return READY


@dataclass(frozen=True)
class _Task:
    vault: UnlockedVault
    case_id: str
    item_id: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (str(self.vault.path), self.case_id, self.item_id)


class RenditionWorker:
    """Makes renditions in the background, a picture at a time on each of `threads` threads.

    `request` queues an item (once, however often it is asked); `wait` blocks until the queue is empty
    (the tests). A worker made with `paused=True` takes nothing until `resume()`. A task whose vault was
    locked meanwhile ends at once and quietly (the vault's key went with the lock, so it reads nothing):
    the item stays preparing, and is asked for again the next time a page shows it.
    """

    def __init__(
        self,
        threads: int = 1,
        *,
        paused: bool = False,
        prepare: Callable[[UnlockedVault, str, str], str] = prepare,
    ) -> None:
        self._threads_wanted = max(1, threads)
        self._prepare = prepare
        self._lock = threading.Condition()
        self._queue: collections.deque[_Task] = collections.deque()
        self._queued: set[tuple[str, str, str]] = set()
        self._failed: set[tuple[str, str, str]] = set()  # failures nobody foresaw: not retried until restart
        self._busy = 0
        self._paused = paused
        self._closed = False
        self._threads: list[threading.Thread] = []

    def request(self, vault: UnlockedVault, item: EvidenceItem, case_id: str) -> bool:
        """Ask for an item's renditions when it waits for them; True when it does (it is then queued,
        or already is)."""
        if state(item) != PREPARING:
            return False
        task = _Task(vault, case_id, item.id)
        with self._lock:
            if self._closed or task.key in self._failed:
                return True
            if task.key not in self._queued:
                self._queued.add(task.key)
                self._queue.append(task)
                self._start_threads()
                self._lock.notify()
        return True

    def pending(self) -> int:
        with self._lock:
            return len(self._queued)

    @property
    def paused(self) -> bool:
        return self._paused

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            self._lock.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Until nothing is queued or being made; False when `timeout` (seconds) passed first."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._queued and not self._busy, timeout)

    def close(self) -> None:
        """Stop taking work; the picture being made (if any) is finished or dropped with the process."""
        with self._lock:
            self._closed = True
            self._queue.clear()
            self._queued.clear()
            self._lock.notify_all()

    def _start_threads(self) -> None:
        while len(self._threads) < self._threads_wanted:
            thread = threading.Thread(target=self._run, name="renditions", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _next(self) -> _Task | None:
        with self._lock:
            self._lock.wait_for(lambda: self._closed or (self._queue and not self._paused))
            if self._closed:
                return None
            self._busy += 1
            return self._queue.popleft()

    def _run(self) -> None:
        _lower_priority()
        while (task := self._next()) is not None:
            try:
                self._prepare(task.vault, task.case_id, task.item_id)
            except VaultError:
                pass  # locked, or the case deleted meanwhile: asked for again when next shown
            except OSError:
                log.warning("a picture's renditions could not be written (the disk?): they are asked again")
            except Exception:
                log.exception("making a picture's renditions failed")
                with self._lock:
                    self._failed.add(task.key)
            finally:
                with self._lock:
                    self._busy -= 1
                    self._queued.discard(task.key)
                    self._lock.notify_all()


def _lower_priority() -> None:
    """On Linux a thread has a niceness of its own: the renditions wait while files arrive. Elsewhere
    the thread keeps the process's priority."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
