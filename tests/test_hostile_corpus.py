"""Every hostile or broken file is refused with its reason, and nothing else changes."""

from __future__ import annotations

import io

import pytest

from helper.evidence.rejections import REASONS, Rejected
from tests.support.evidence import add_file
from tests.support.hostile import CORPUS


def test_the_corpus_is_large_and_covers_every_reason():
    assert len(CORPUS) >= 50
    assert len({h.id for h in CORPUS}) == len(CORPUS)
    # "unreadable" is the desk's answer to a failure nobody foresaw: no file is known to cause one (that
    # would be a bug to fix), so tests/test_evidence_intake.py reaches it by injecting a failure.
    assert {h.reason for h in CORPUS} == set(REASONS) - {"unreadable"}


@pytest.fixture(scope="module")
def corpus_vault(tmp_path_factory):
    from helper.vault import Vault
    from tests.support.web import PASSPHRASE

    vault, _ = Vault.create(tmp_path_factory.mktemp("hostile") / "vault", PASSPHRASE)
    return vault, vault.create_case("Hostile files")


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.id for h in CORPUS])
def test_refused_with_its_reason_and_nothing_kept(corpus_vault, hostile):
    vault, case = corpus_vault
    before_case = vault.load_case(case.id)
    before_journal = vault.journal(case.id)
    before_files = sorted(p.name for p in (vault.path / "blobs").iterdir())
    with pytest.raises(Rejected) as refused:
        add_file(
            vault, case.id, io.BytesIO(hostile.make()), hostile.name, "image/png", max_size=hostile.max_size
        )
    assert refused.value.reason == hostile.reason, refused.value
    assert vault.load_case(case.id) == before_case
    assert vault.journal(case.id) == before_journal
    assert sorted(p.name for p in (vault.path / "blobs").iterdir()) == before_files
