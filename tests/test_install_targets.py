"""What `make run` and `make test` install. A person without a compiler must be able to start the app:
`make run` installs the app alone, from wheels, and never asks for g++ (pdqhash, the test suite's
reference PDQ, is published as source only). `make test` installs the test tools and PyInstaller too.
`make -n -B` prints every command a target would run, its prerequisites' included, and runs none."""

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Packages the app must not need: built from source, or only for tests and the bundle.
NOT_FOR_THE_APP = {"pdqhash", "pyinstaller", "playwright", "pytest", "mypy", "ruff"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower()


def _dry_run(target: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # Run from `make test`, this make is a sub-make: without a parent's flags, and printing no
    # "Entering directory" lines of its own.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", target],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60, env=env,
    )  # fmt: skip
    return done.stdout.splitlines()


def _pip_installs(lines: list[str]) -> list[str]:
    return [line for line in lines if re.search(r"-m pip install\b", line)]


def test_the_app_depends_on_nothing_that_is_built_from_source_or_only_tested_with():
    names = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert names.isdisjoint(NOT_FOR_THE_APP)


def test_pdqhash_is_a_test_extra_and_pyinstaller_the_bundle_extra():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "pdqhash" in {_name(r) for r in extras["test"]}
    assert "pyinstaller" in {_name(r) for r in extras["bundle"]}


def test_make_run_installs_the_app_without_extras_and_needs_no_compiler():
    lines = _dry_run("run")
    installs = _pip_installs(lines)
    assert len(installs) == 1
    assert installs[0].rstrip().endswith(" -e .")
    assert not any("g++" in line or "Python.h" in line for line in lines)
    assert not any(re.search(r"pyinstaller|playwright|chromium", line, re.IGNORECASE) for line in lines)
    assert lines[-1].strip().endswith("incident-helper serve")


@pytest.mark.parametrize("target", ["test", "lint", "bundle"])
def test_the_checks_install_the_test_tools_and_pyinstaller(target):
    lines = _dry_run(target)
    installs = _pip_installs(lines)
    assert len(installs) == 1
    assert installs[0].rstrip().endswith(" -e '.[test,bundle]'")
    assert any("g++" in line for line in lines)  # pdqhash is compiled here


def test_make_test_lints_and_types_before_it_tests_and_lists_the_slowest():
    lines = _dry_run("test")
    ruff = next(i for i, line in enumerate(lines) if "-m ruff check" in line)
    mypy = next(i for i, line in enumerate(lines) if "-m mypy" in line)
    pytest_run = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    assert ruff < pytest_run
    assert mypy < pytest_run
    assert "--durations=15" in lines[pytest_run]
