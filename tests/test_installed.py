"""What people run is built from this repository: the wheel, installed outside the checkout, and the
self-contained app (PyInstaller, `make bundle`). Each must carry everything it reads (templates, static
files, content, translations, the font) and need nothing of the source tree. Both are built here, in
temporary folders, and driven from an empty folder by `tests/support/smoke.py`."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.support.cli import ROOT
from tests.support.smoke import smoke

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("incident_helper-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh environment with the wheel installed. Its dependencies are those this test run already
    has (a path to them, not a copy, and no `.pth` of theirs is read: the checkout's editable install
    stays out of reach)."""
    env = tmp_path_factory.mktemp("env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, timeout=120)
    python = env / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return env


def test_the_wheel_carries_what_the_app_reads(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "helper/_data/templates/base.html",
        "helper/_data/static/app.js",
        "helper/_data/content/schema.toml",
        "helper/_data/translations/fr/LC_MESSAGES/messages.mo",
        "helper/_data/fonts/DejaVuSans.ttf",
        "helper/_data/fonts/LICENSE-DejaVu.txt",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/"))]


def test_the_installed_app_runs_from_an_empty_folder(installed, tmp_path):
    where = subprocess.run(
        [installed / "bin" / "python", "-c", "import helper, helper.resources as r; print(helper.__file__);"
         "print(r.data_dir('content'))"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    ).stdout  # fmt: skip
    assert str(ROOT) not in where  # the package and its data come from the environment, not the checkout
    smoke([str(installed / "bin" / "incident-helper")], tmp_path / "person")


def test_python_dash_m_helper_works_too(installed, tmp_path):
    result = subprocess.run(
        [installed / "bin" / "python", "-m", "helper", "--help"],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    assert "incident-helper" in result.stdout


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The one-folder app, built by the spec `make bundle` uses, outside the checkout."""
    out = tmp_path_factory.mktemp("bundle")
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(out / "dist"), "--workpath", str(out / "build"),
         str(ROOT / "packaging" / "incident-helper.spec")],
        check=True, capture_output=True, timeout=900, cwd=out,
    )  # fmt: skip
    return out / "dist" / "incident-helper" / "incident-helper"


def test_the_bundle_runs_with_no_python_on_the_path(bundle, tmp_path):
    smoke([str(bundle)], tmp_path / "person", bare=True)


def test_the_bundle_speaks_french_and_helps(bundle, tmp_path):
    result = subprocess.run(
        [str(bundle), "--help"], capture_output=True, text=True, cwd=tmp_path, check=False,
        env={"LANG": "fr_FR.UTF-8", "PATH": ""},
    )  # fmt: skip
    assert result.returncode == 0
    assert "Rien n’est envoyé nulle part" in result.stdout
