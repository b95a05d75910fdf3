"""The shape the house style asks for, enforced."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = [
    "helper/vault",
    "helper/content",
    "helper/evidence",
    "helper/case.py",
    "helper/records.py",
    "helper/timeline.py",
    "helper/checks.py",
    "helper/config.py",
]


def domain_files():
    for entry in DOMAIN:
        path = ROOT / entry
        yield from (path.rglob("*.py") if path.is_dir() else [path])


@pytest.mark.parametrize("path", list(domain_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_code_never_imports_flask(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            root = name.split(".")[0]
            assert root not in {"flask", "flask_wtf", "flask_babel", "werkzeug", "wtforms"}, f"{path}: {name}"
            assert not name.startswith("helper.web"), f"{path}: {name}"


def test_importing_the_package_creates_no_app():
    code = "import helper, helper.web, helper.cli, helper.vault; import flask; print(flask.current_app)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "unbound" in result.stdout.lower() or "working outside" in (result.stdout + result.stderr).lower()


NETWORK_CLIENTS = {
    "urllib.request",
    "http.client",
    "requests",
    "httpx",
    "urllib3",
    "aiohttp",
    "ftplib",
    "smtplib",
}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_code_fetches_anything_at_run_time():
    """No network client anywhere in the program: nothing leaves the machine."""
    for path in (ROOT / "helper").rglob("*.py"):
        assert imported_modules(path) & NETWORK_CLIENTS == set(), path


def test_templates_load_nothing_from_elsewhere():
    for path in (ROOT / "templates").rglob("*.html"):
        source = path.read_text()
        for address in ("http://", "https://", "//cdn"):
            assert address not in source, path


def test_blueprint_name_is_url_prefix_is_template_folder():
    from helper.config import Config
    from helper.web import create_app

    app = create_app(Config(vault_path=ROOT / "nonexistent", port=1))
    for name, blueprint in app.blueprints.items():
        assert blueprint.url_prefix == f"/{name}"
    shared = {"errors"}
    for folder in (ROOT / "templates").iterdir():
        if folder.is_dir():
            assert folder.name in app.blueprints or folder.name in shared, folder


def test_every_package_is_named_in_pyproject():
    """The flat layout needs the packages listed by hand; a forgotten one breaks a real install."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "helper").rglob("__init__.py")}
    assert found == listed
