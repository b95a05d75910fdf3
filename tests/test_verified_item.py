"""One way out of the vault for an item's bytes (`VerifiedItem`): each of its reads checks the bytes
against the SHA-256 pinned in the case record, and a problem that is not the item's own (a vault locked
half-way) is never mistaken for a missing picture."""

from __future__ import annotations

import io

import pytest

from helper.dossier import DossierOptions, gather
from helper.vault import ItemNotFound, MissingItem, TamperedItem, VaultError
from tests.support import samples
from tests.support.evidence import add_file


@pytest.fixture
def picture(unlocked):
    case = unlocked.create_case("Read paths")
    item = add_file(unlocked, case.id, samples.png(320, 200), "screenshot.png", "image/png")
    return case.id, item


def blob_path(vault, blob_id):
    return vault.path / "blobs" / f"{blob_id}.age"


def flip_byte(path, at):
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_each_way_out_gives_the_bytes_that_came_in(unlocked, picture):
    case_id, item = picture
    opened = unlocked.open_evidence(case_id, item.id)
    whole = b"".join(opened.pieces())
    out = io.BytesIO()
    opened.write_to(out)
    assert out.getvalue() == whole == b"".join(unlocked.open_item(item).single_pass())
    assert len(whole) == item.size
    assert opened.derived(item.image.thumbnail_blob).startswith(b"\xff\xd8")  # a JPEG


def test_a_changed_original_is_refused_before_a_byte_of_it_is_handed_on(unlocked, picture):
    case_id, item = picture
    flip_byte(blob_path(unlocked, item.blob), -40)
    with pytest.raises(TamperedItem, match=item.id):
        unlocked.open_evidence(case_id, item.id).pieces()  # raised here, not when the first piece is read
    with pytest.raises(TamperedItem):
        b"".join(unlocked.open_item(item).single_pass())


def test_a_missing_original_is_named_missing(unlocked, picture):
    case_id, item = picture
    blob_path(unlocked, item.blob).unlink()
    with pytest.raises(MissingItem, match=item.id):
        unlocked.open_evidence(case_id, item.id).check()
    with pytest.raises(MissingItem):
        next(unlocked.open_item(item).single_pass())


def test_a_rendition_is_read_only_as_a_rendition_of_its_own_item(unlocked, picture):
    """No bare file id opens anything: a file is read only as one its item pins, with its hash."""
    case_id, item = picture
    other = add_file(unlocked, case_id, samples.png(64, 64), "other.png", "image/png")
    with pytest.raises(ItemNotFound):
        unlocked.open_item(item).derived(other.image.thumbnail_blob)
    with pytest.raises(ItemNotFound):
        unlocked.open_item(item).derived(item.blob)  # the original is not a rendition


def test_a_swapped_rendition_is_refused(unlocked, picture):
    _case_id, item = picture
    sharp, blurred = (
        blob_path(unlocked, item.image.thumbnail_blob),
        blob_path(unlocked, item.image.blurred_blob),
    )
    blurred.write_bytes(sharp.read_bytes())  # the sharp thumbnail put in the blurred one's place
    with pytest.raises(TamperedItem):
        unlocked.open_item(item).derived(item.image.blurred_blob)


class LockedAfterTheRecord:
    """The vault as an export sees it when the person locks it (quick exit) just after the case was
    read: the record and its journal were read, and from the next read on, the vault is locked."""

    def __init__(self, vault, case_id: str) -> None:
        self._vault = vault
        self._journal = vault.journal(case_id)

    def load_case(self, case_id: str):
        return self._vault.load_case(case_id)

    def journal(self, _case_id: str):
        return self._journal

    def __getattr__(self, name: str):
        self._vault.lock()
        return getattr(self._vault, name)


def test_a_vault_locked_mid_export_is_an_error_not_a_missing_picture(unlocked, picture):
    """Only a rendition missing or failing its check leaves the page without a picture; a vault
    locked while the dossier reads its pictures stops the export, rather than print it without them."""
    case_id, _item = picture
    assert gather(unlocked, case_id, DossierOptions()).items[0].thumbnail  # the picture is there
    with pytest.raises(VaultError, match="locked"):
        gather(LockedAfterTheRecord(unlocked, case_id), case_id, DossierOptions())


def test_a_rendition_that_fails_its_check_leaves_the_dossier_without_that_picture(unlocked, picture):
    case_id, item = picture
    flip_byte(blob_path(unlocked, item.image.thumbnail_blob), -40)
    (entry,) = gather(unlocked, case_id, DossierOptions()).items
    assert entry.thumbnail is None
