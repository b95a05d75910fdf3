"""Fuzzing `verify-dossier` (helper/dossier/manifest.py): a dossier or an originals bundle damaged in any
few bytes, and a bundle whose signed manifest has any shape, give a `Verification` whose problems are
sentences, never an exception; and nothing damaged is ever found valid with another manifest than the
one signed. Examples are derandomized (tests/conftest.py)."""

from __future__ import annotations

import base64
import io
import json
import shutil
import zipfile

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helper.dossier import DossierOptions, export_dossier
from helper.dossier.bundle import originals_bundle
from helper.dossier.manifest import MANIFEST_NAME, SIGNATURE_NAME, Verification, verify_bundle, verify_dossier
from helper.vault import UnlockedVault
from tests.support import dossier_case

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]


class Exported:
    """A dossier and an originals bundle, each with the manifest it was signed with; shown short in a
    failing example's report, rather than as half a megabyte of bytes."""

    def __init__(self, pdf: bytes, pdf_manifest: dict, bundle: bytes, bundle_manifest: dict) -> None:
        self.pdf, self.pdf_manifest = pdf, pdf_manifest
        self.bundle, self.bundle_manifest = bundle, bundle_manifest

    def __repr__(self) -> str:
        return f"<the sample dossier ({len(self.pdf)} bytes) and its bundle ({len(self.bundle)} bytes)>"


@pytest.fixture(scope="module")
def exported(vault_template, tmp_path_factory) -> Exported:
    """Made once for every example."""
    path = tmp_path_factory.mktemp("fuzz") / "vault"
    shutil.copytree(vault_template.path, path)
    vault = UnlockedVault(path, pyrage.x25519.Identity.from_str(vault_template.identity))
    case = dossier_case.build(vault, pictures=1)
    pdf = export_dossier(vault, case.id, DossierOptions())
    bundle = b"".join(originals_bundle(vault, case.id, DossierOptions()))
    checked_pdf, checked_bundle = verify_dossier(pdf), verify_bundle(bundle)
    assert checked_pdf.ok, checked_pdf.problems
    assert checked_bundle.ok, checked_bundle.problems
    return Exported(pdf, checked_pdf.manifest, bundle, checked_bundle.manifest)


# A few changes, each at a place given as a fraction of the file's length (so one list of changes fits
# a file of any size): a bit flipped, a run cut, bytes inserted, or the rest cut off.
CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "insert", "truncate"]),
        st.floats(0, 1, exclude_max=True),
        st.integers(0, 255),
        st.binary(min_size=1, max_size=32),
    ),
    min_size=1,
    max_size=5,
)


def damaged(data: bytes, changes) -> bytes:
    out = bytearray(data)
    for how, where, number, inserted in changes:
        if not out:
            break
        at = int(where * len(out))
        if how == "flip":
            out[at] ^= 1 << (number % 8)
        elif how == "cut":
            del out[at : at + number + 1]
        elif how == "insert":
            out[at:at] = inserted
        else:
            del out[at:]
    return bytes(out)


def assert_said(result: Verification, signed_manifest: dict) -> None:
    assert isinstance(result, Verification)
    for problem in result.problems:
        assert str(problem)  # each problem is a sentence (its parameters fill its message)
    if result.ok:
        assert result.manifest == signed_manifest


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, *SLOW_OK]
)
@given(changes=CHANGES)
def test_a_damaged_dossier_is_checked_without_an_exception(exported, changes):
    assert_said(verify_dossier(damaged(exported.pdf, changes)), exported.pdf_manifest)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, *SLOW_OK]
)
@given(changes=CHANGES)
def test_a_damaged_bundle_is_checked_without_an_exception(exported, changes):
    assert_said(verify_bundle(damaged(exported.bundle, changes)), exported.bundle_manifest)


KEY = Ed25519PrivateKey.generate()
PUBLIC = base64.b64encode(KEY.public_key().public_bytes_raw()).decode("ascii")
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
    st.sampled_from(["E1", "E0", "e1", "helper.dossier-manifest.v1", "2026-12-03T12:00:00+00:00", "0" * 64]),
)  # fmt: skip
FIELD = st.sampled_from(
    ["format", "case", "id", "title", "exported_at", "journal_head", "journal_entries", "items", "number",
     "name", "type", "size", "sha256", "md5", "pdq"]
)  # fmt: skip
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.one_of(FIELD, st.text()), inner)),
    max_leaves=15,
)


@st.composite
def manifest_shapes(draw, signed: dict) -> dict:
    """A manifest as the program writes it, with a few fields replaced, removed or added."""
    manifest = json.loads(json.dumps(signed))
    for _ in range(draw(st.integers(1, 4))):
        table = manifest
        path = draw(st.sampled_from(["", "case", "items", "items.0"]))
        for step in filter(None, path.split(".")):
            if isinstance(table, dict) and step in table:
                table = table[step]
            elif isinstance(table, list) and table and step.isdigit():
                table = table[0]
        if isinstance(table, dict):
            key = draw(FIELD)
            if draw(st.booleans()):
                table.pop(key, None)
            else:
                table[key] = draw(VALUE)
        elif isinstance(table, list):
            table.append(draw(VALUE))
    manifest["public_key"] = PUBLIC
    return manifest


def bundle_with(manifest_bytes: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(MANIFEST_NAME, manifest_bytes)
        archive.writestr(SIGNATURE_NAME, base64.b64encode(KEY.sign(manifest_bytes)))
    return out.getvalue()


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture, *SLOW_OK])
@given(data=st.data())
def test_a_signed_manifest_of_any_shape_is_checked_without_an_exception(exported, data):
    manifest = data.draw(manifest_shapes(exported.bundle_manifest))
    result = verify_bundle(bundle_with(json.dumps(manifest).encode("utf-8")))
    assert isinstance(result, Verification)
    for problem in result.problems:
        assert str(problem)
