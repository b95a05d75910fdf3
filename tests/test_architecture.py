"""The shape the house style asks for, enforced."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The only floors that may know Flask: the web layer and the command line that starts it.
FLASK_FLOORS = ("helper/web", "helper/cli/", "helper/__main__.py")
FLASK_PACKAGES = {"flask", "flask_wtf", "flask_babel", "werkzeug", "wtforms"}


def domain_files() -> list[Path]:
    """Every module of the program outside the web layer: the vault, case, evidence, content, dossier,
    letters (and whatever comes next) are found, not listed, so a new one cannot be forgotten."""
    return sorted(
        path
        for path in (ROOT / "helper").rglob("*.py")
        if not str(path.relative_to(ROOT)).startswith(FLASK_FLOORS)
    )


def flask_imports(source: str) -> list[str]:
    """The imports of `source` that reach Flask or the web layer."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [n for n in names if n.split(".")[0] in FLASK_PACKAGES or n.startswith("helper.web")]
    return found


def test_the_domain_list_covers_the_dossier_and_every_other_domain_package():
    listed = {str(p.relative_to(ROOT)) for p in domain_files()}
    for expected in ("helper/dossier/render.py", "helper/vault/store.py", "helper/evidence/desk.py",
                     "helper/vocabulary.py", "helper/case.py", "helper/i18n.py", "helper/letters/engine.py",
                     "helper/letters/tracker.py", "helper/letters/plan.py"):  # fmt: skip
        assert expected in listed


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_code_never_imports_flask(path):
    assert flask_imports(path.read_text()) == [], path


@pytest.mark.parametrize(
    "bad",
    ["from flask import current_app", "import flask_babel", "from helper.web.services import services",
     "def f():\n    from werkzeug import Request"],
)  # fmt: skip
def test_the_flask_check_catches_a_bad_import(bad):
    """The guard itself is tested: adding `from flask import current_app` to render.py must fail."""
    source = (ROOT / "helper/dossier/render.py").read_text() + "\n" + bad + "\n"
    assert flask_imports(source)


def test_the_vault_knows_nothing_of_intake():
    """The vault is a store of blobs and cases; receiving files is the evidence desk's job."""
    for path in (ROOT / "helper/vault").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("helper.evidence"), (path, node.module)


APPS_AFTER_IMPORT = """
import gc, importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import flask
import helper
for module in pkgutil.walk_packages(helper.__path__, "helper."):
    if module.name != "helper.__main__":  # runs the command
        importlib.import_module(module.name)
for extra in sys.argv[2:]:
    importlib.import_module(extra)
print(sum(isinstance(o, flask.Flask) for o in gc.get_objects()))
"""


def apps_made_by_importing(*extra: str, path: Path = ROOT) -> int:
    result = subprocess.run(
        [sys.executable, "-c", APPS_AFTER_IMPORT, str(path), *extra],
        capture_output=True,
        text=True,
        cwd=path,
        check=True,
    )
    return int(result.stdout.strip())


def test_importing_any_module_creates_no_app():
    assert apps_made_by_importing() == 0


def test_the_app_at_import_check_catches_a_module_that_makes_one(tmp_path):
    (tmp_path / "makes_an_app.py").write_text(
        "from helper.web import create_app\nfrom helper.config import Config\n"
        "app = create_app(Config(vault_path='/nonexistent', port=1))\n"
    )
    assert apps_made_by_importing("makes_an_app", path=tmp_path) >= 1


def test_no_test_file_imports_another_test_file():
    """Shared helpers live in tests/support (or fixtures in conftest), never in a test module."""
    for path in (ROOT / "tests").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            for module in modules:
                last = module.split(".")[-1]
                assert not (
                    module.startswith("tests") and (last.startswith("test_") or last == "conftest")
                ), (
                    path.name,
                    module,
                )


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
    names: set[str] = set()
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


# -- casework: every verb of a case in one place ----------------------------------------------------

# Vault methods that change a case. Only the verbs (helper/casework/), the vault itself and the
# exporters that journal their own act (the dossier, the originals, the hand-over) call them.
CASE_WRITERS = {"update_case", "note", "note_handed_out", "rename_case", "describe_evidence",
                "remove_evidence", "delete_case"}  # fmt: skip
WRITING_FLOORS = ("helper/casework/", "helper/vault/")
SELF_JOURNALING = ("helper/dossier/export.py", "helper/dossier/bundle.py", "helper/handover.py")


def _program_files() -> list[Path]:
    return sorted((ROOT / "helper").rglob("*.py"))


def _calls_to(path: Path, names: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names
    ]


def test_only_the_casework_verbs_and_the_self_journaling_exporters_write_a_case():
    """A rule written in a view is a rule the command line does not obey: views and commands call
    a verb, and the verb writes the record and its journal."""
    found = []
    for path in _program_files():
        relative = str(path.relative_to(ROOT))
        if relative.startswith(WRITING_FLOORS) or relative in SELF_JOURNALING:
            continue
        found += _calls_to(path, CASE_WRITERS)
    assert found == []


def _journal_codes() -> dict[str, str]:
    from helper import vocabulary

    return {
        name: value
        for name, value in vars(vocabulary).items()
        if name.isupper() and isinstance(value, str) and value in vocabulary.JOURNAL_ACTIONS
    }


def test_every_journal_code_is_written_by_exactly_one_function():
    """Each act has one verb: the code it journals is named in one function of the writing floors,
    and nowhere is it spelled as a bare string (a typo there would journal an act no one can read).
    A code only compared with (an entry of the journal recognised, as receiving recognises its own
    receipt) is read, not written."""
    codes = _journal_codes()
    assert len(codes) == len(__import__("helper.vocabulary").vocabulary.JOURNAL_ACTIONS.codes)
    writers: dict[str, set[str]] = {name: set() for name in codes}
    literals = []
    for path in _program_files():
        relative = str(path.relative_to(ROOT))
        if relative == "helper/vocabulary.py":
            continue
        tree = ast.parse(path.read_text())
        literals += [
            f"{relative}:{node.lineno} {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in codes.values()
        ]
        if relative.startswith(WRITING_FLOORS) or relative in SELF_JOURNALING:
            for function in _outermost_functions(tree):
                compared = {
                    id(operand)
                    for node in ast.walk(function)
                    if isinstance(node, ast.Compare)
                    for operand in (node.left, *node.comparators)
                }
                for node in ast.walk(function):
                    name = getattr(node, "id", None) or getattr(node, "attr", None)
                    if name in writers and id(node) not in compared:
                        writers[name].add(f"{relative}:{function.name}")
    assert literals == []
    assert {name: sorted(found) for name, found in writers.items() if len(found) != 1} == {}


def _outermost_functions(tree: ast.Module) -> list[ast.FunctionDef]:
    """Module functions and class methods; a function nested in one is part of it."""
    tops = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        tops += [n for n in cls.body if isinstance(n, ast.FunctionDef)]
    return tops


# -- the command line imports only what a command uses -------------------------------------------------

HEAVY = ("flask", "reportlab", "numpy", "PIL", "helper.dossier")

PARSE_OR_RUN_THEN_LIST_IMPORTS = """
import contextlib, io, json, sys
sys.path.insert(0, sys.argv[1])
from helper.cli.program import build_parser, main
argv = json.loads(sys.argv[2])
code = None
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        if sys.argv[3] == "parse":
            build_parser().parse_args(argv)
        else:
            code = main(argv)
    except SystemExit as exc:  # --help exits once it has printed
        code = exc.code
print(json.dumps({"code": code, "imported": [name for name in sys.argv[4:] if name in sys.modules]}))
"""


def imported_by_cli(how: str, argv: list[str], stdin: str = "", code: int | None = 0) -> set[str]:
    """Which of HEAVY a fresh interpreter holds once the command line has parsed `argv` (`how` is
    "parse") or run it ("run") to the exit `code`, on an English terminal."""
    import json

    from tests.support.cli import terminal_env

    result = subprocess.run(
        [sys.executable, "-c", PARSE_OR_RUN_THEN_LIST_IMPORTS, str(ROOT), json.dumps(argv), how, *HEAVY],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=terminal_env(),
        check=True,
    )
    outcome = json.loads(result.stdout)
    assert outcome["code"] in (code, None), outcome
    return set(outcome["imported"])


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["verify", "--vault", "v"], ["letters", "--vault", "v", "--case", "A"],
     ["import", "--vault", "v", "--case", "A", "shot.png"], ["letter", "--case", "A", "--kind", "dmca"],
     ["dossier", "--case", "A", "-o", "d.pdf"], ["serve", "--no-browser"]],
    ids=lambda argv: argv[0],
)  # fmt: skip
def test_parsing_any_command_imports_no_web_pdf_or_image_library(argv):
    assert imported_by_cli("parse", argv) == set()


def test_help_and_verify_import_none_of_them_when_they_run(vault_dir):
    from tests.support.web import PASSPHRASE

    assert imported_by_cli("run", ["--help"]) == set()
    assert imported_by_cli("run", ["verify", "--vault", str(vault_dir)], f"{PASSPHRASE}\n") == set()


def test_letters_imports_none_of_them_when_it_runs(vault_dir, unlocked):
    from tests.support.web import PASSPHRASE

    unlocked.create_case("Sample case")
    argv = ["letters", "--vault", str(vault_dir), "--case", "Sample case"]
    assert imported_by_cli("run", argv, f"{PASSPHRASE}\n") == set()


def test_import_reads_pictures_but_imports_no_web_or_pdf_library(vault_dir, tmp_path):
    from tests.support import samples
    from tests.support.web import PASSPHRASE

    shot = tmp_path / "shot.png"
    shot.write_bytes(samples.png(64, 48))
    argv = ["import", "--vault", str(vault_dir), "--case", "Sample case", str(shot)]
    assert imported_by_cli("run", argv, f"{PASSPHRASE}\n") <= {"numpy", "PIL"}


def test_the_import_check_sees_what_a_command_imports(tmp_path):
    """The guard itself is tested: checking a dossier needs the dossier's code, and the check says so."""
    from helper.cli import EXIT_IO

    argv = ["verify-dossier", str(tmp_path / "missing.pdf")]
    assert "helper.dossier" in imported_by_cli("run", argv, code=EXIT_IO)


# -- the import graph -------------------------------------------------------------------------------


def _module_names() -> dict[str, Path]:
    names = {}
    for path in _program_files():
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def import_graph() -> dict[str, set[str]]:
    """Each module of `helper` and the modules of `helper` it imports, at the top or inside a function
    (an import inside a function is a cycle put off, not removed). `from a import b` is an edge to
    `a.b` when that is a module, else to `a`."""
    modules = _module_names()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_helper_has_no_import_cycle_even_through_imports_inside_functions():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle_put_off_inside_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


BLUEPRINTS = sorted(p.parent.name for p in (ROOT / "helper/web").glob("*/routes.py"))


@pytest.mark.parametrize("area", BLUEPRINTS)
def test_no_module_of_a_blueprint_imports_another_blueprints_routes(area):
    """What two areas share lives in a module with no views (planning, receiving, countries)."""
    graph = import_graph()
    ours = [m for m in graph if m.startswith(f"helper.web.{area}.") or m == f"helper.web.{area}"]
    reached = {target for m in ours for target in graph[m]}
    others = {t for t in reached if t.endswith(".routes") and not t.startswith(f"helper.web.{area}.")}
    assert others == set()


@pytest.mark.parametrize("area", BLUEPRINTS)
def test_each_blueprint_is_owned_by_its_package(area):
    package = (ROOT / f"helper/web/{area}/__init__.py").read_text()
    assert f'bp = Blueprint("{area}", __name__, url_prefix="/{area}")' in package
    assert "Blueprint(" not in (ROOT / f"helper/web/{area}/routes.py").read_text()


def test_uploads_know_no_endpoint_names_views_declare_what_they_take(app):
    """The request class asks the view (a decorator's mark), so a renamed view cannot silently start
    writing its files somewhere, or stop encrypting them."""
    source = (ROOT / "helper/web/uploads.py").read_text()
    assert not re.search(r'"[a-z_]+\.[a-z_]+"', source), "an endpoint name in the upload request class"
    from helper.web.uploads import UPLOADS

    declared = {name for name, view in app.view_functions.items() if getattr(view, UPLOADS, None)}
    assert {"evidence.upload", "evidence.find_copies_view"} <= declared


# -- the vault: one way out for an item's bytes ------------------------------------------------------

# The vault's reads of raw bytes, old and new: only helper/vault calls them. Everything else opens an
# item (`open_item`, `open_evidence`) and reads through the handle, whose every read is verified.
RAW_READS = {"read_blob", "stream_evidence", "stream_checked", "read_evidence", "stream_once",
             "check_evidence", "check_pieces", "verified_pieces", "decrypt_bytes", "_read_small",
             "_decrypt_pieces", "_check_pieces", "_verified_pieces"}  # fmt: skip


def _raw_reads(source: str) -> list[str]:
    return [
        node.func.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RAW_READS
    ]


def test_only_the_vault_reads_raw_bytes_everything_else_goes_through_the_verified_handle():
    found = {
        str(path.relative_to(ROOT)): calls
        for path in _program_files()
        if not str(path.relative_to(ROOT)).startswith("helper/vault/")
        and (calls := _raw_reads(path.read_text()))
    }
    assert found == {}


def test_the_raw_read_check_catches_an_old_read_path():
    """The guard itself is tested: a thumbnail read by bare file id must fail it."""
    source = (ROOT / "helper/web/evidence/media.py").read_text()
    assert _raw_reads(source) == []
    assert _raw_reads(source + "\nvault.read_blob(item.image.thumbnail_blob, '')\n") == ["read_blob"]
