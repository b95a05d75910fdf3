"""The `incident-helper` command: init, import, verify, help, and its exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helper import cli
from helper.vault.store import BLOBS
from tests.support import samples
from tests.support.cli import ROOT, run
from tests.support.web import PASSPHRASE


def test_help_explains_every_command():
    result = run("--help")
    assert result.returncode == 0
    for word in ("serve", "init", "verify", "import", "exit codes", "Nothing is sent anywhere"):
        assert word in result.stdout
    serve = run("serve", "--help").stdout
    for option in ("--vault", "--port", "--no-browser", "--idle-lock"):
        assert option in serve


def test_init_reads_the_passphrase_from_stdin_and_prints_the_recovery_key(tmp_path):
    result = run("init", "--vault", str(tmp_path / "v"), stdin=f"{PASSPHRASE}\n")
    assert result.returncode == cli.EXIT_OK, result.stderr
    assert "recovery key" in result.stdout
    assert (tmp_path / "v" / "identity.age").exists()


def test_init_refuses_a_short_passphrase(tmp_path):
    result = run("init", "--vault", str(tmp_path / "v"), stdin="short\n")
    assert result.returncode == cli.EXIT_USAGE
    assert "at least 10" in result.stderr
    assert not (tmp_path / "v").exists()


def test_init_refuses_a_folder_with_files(vault_dir):
    result = run("init", "--vault", str(vault_dir), stdin=f"{PASSPHRASE}\n")
    assert result.returncode == cli.EXIT_VAULT_EXISTS
    assert "Traceback" not in result.stderr


def test_import_then_verify(vault_dir, tmp_path):
    shots = []
    for n in range(3):
        shot = tmp_path / f"shot-{n}.png"
        shot.write_bytes(samples.png(200 + n, 150))
        shots.append(str(shot))
    result = run(
        "import", "--vault", str(vault_dir), "--case", "Instagram, March", *shots, stdin=f"{PASSPHRASE}\n"
    )
    assert result.returncode == cli.EXIT_OK, result.stderr
    assert "Started a new case" in result.stdout
    assert "3 of 3 file(s) added" in result.stdout
    again = run(
        "import", "--vault", str(vault_dir), "--case", "instagram, march", shots[0], stdin=f"{PASSPHRASE}\n"
    )
    assert "Started a new case" not in again.stdout  # the same case, found by name
    result = run("verify", "--vault", str(vault_dir), stdin=f"{PASSPHRASE}\n")
    assert result.returncode == cli.EXIT_OK
    assert "All 4 item(s) are intact" in result.stdout


def test_verify_names_the_damaged_item_and_fails(vault_dir, tmp_path):
    shot = tmp_path / "evidence-SAMPLE.png"
    shot.write_bytes(b"SAMPLE" * 1000)
    run("import", "--vault", str(vault_dir), "--case", "Case A", str(shot), stdin=f"{PASSPHRASE}\n")
    blob = next((vault_dir / BLOBS).iterdir())
    data = bytearray(blob.read_bytes())
    data[-5] ^= 1
    blob.write_bytes(bytes(data))
    result = run("verify", "--vault", str(vault_dir), stdin=f"{PASSPHRASE}\n")
    assert result.returncode == cli.EXIT_PROBLEMS
    assert "Case A" in result.stdout
    assert "evidence-SAMPLE.png" in result.stdout


def test_wrong_passphrase_has_its_own_exit_code(vault_dir):
    result = run("verify", "--vault", str(vault_dir), stdin="not the passphrase\n")
    assert result.returncode == cli.EXIT_WRONG_PASSPHRASE
    assert "does not open" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["missing", "foreign"])
def test_a_missing_or_foreign_folder_is_explained(tmp_path, kind):
    folder = tmp_path / "somewhere"
    if kind == "foreign":
        folder.mkdir()
        (folder / "photo.jpg").write_bytes(b"SAMPLE")
    result = run("verify", "--vault", str(folder), stdin=f"{PASSPHRASE}\n")
    assert result.returncode == cli.EXIT_NO_VAULT
    assert "No vault found" in result.stderr


def test_import_refuses_a_hostile_file_with_plain_words_and_keeps_the_rest(vault_dir, tmp_path):
    good = tmp_path / "shot.png"
    good.write_bytes(samples.png(200, 150))
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(samples.jpeg(64, 48)[:300])
    result = run(
        "import", "--vault", str(vault_dir), "--case", "C", str(good), str(bad), stdin=f"{PASSPHRASE}\n"
    )
    assert result.returncode == cli.EXIT_PROBLEMS
    assert "Not added: “photo.jpg” is damaged or incomplete" in result.stderr
    assert "1 of 2 file(s) added" in result.stdout
    assert "Traceback" not in result.stderr


def test_import_of_a_missing_file_changes_nothing(vault_dir, tmp_path):
    result = run(
        "import",
        "--vault",
        str(vault_dir),
        "--case",
        "X",
        str(tmp_path / "nope.png"),
        stdin=f"{PASSPHRASE}\n",
    )
    assert result.returncode == cli.EXIT_IO
    assert list((vault_dir / "cases").iterdir()) == []


def test_serve_refuses_a_foreign_folder(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"SAMPLE")
    result = run("serve", "--no-browser", "--vault", str(tmp_path))
    assert result.returncode == cli.EXIT_NO_VAULT


@pytest.mark.parametrize("argv", [[], ["--no-browser", "--port", "8123"]])
def test_serving_is_the_default_command(monkeypatch, argv):
    seen = []
    monkeypatch.setattr(cli.serve, "cmd_serve", lambda args: seen.append(args) or 0)
    assert cli.main(argv) == 0
    assert seen[0].command == "serve"
    assert seen[0].vault is not None  # the platform's data folder by default


def test_serve_prints_a_launch_link_and_binds_loopback_only(vault_dir):
    proc = subprocess.Popen(
        [sys.executable, "-m", "helper", "--no-browser", "--vault", str(vault_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        link = None
        for line in proc.stdout:
            if "?token=" in line:
                link = line.strip()
                break
        assert link
        assert link.startswith("http://127.0.0.1:")
        port = int(link.split(":")[2].split("/")[0])
        import socket

        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        rest = proc.stdout.read()
        proc.stdout.close()
    assert proc.returncode == 0
    assert "Your vault is locked" in rest


# -- the terminal's language ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "fr"),
        ({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANGUAGE": "es_US:en", "LANG": "en_US.UTF-8"}, "es"),
    ],
)
def test_the_terminal_language_is_read_as_gettext_reads_it(environ, lang):
    from helper.i18n import terminal_language

    assert terminal_language(environ) == lang


def test_help_is_in_french_on_a_french_terminal():
    result = run("--help", lang="fr_FR.UTF-8")
    assert result.returncode == 0
    assert "Rien n’est envoyé nulle part" in result.stdout
    assert "codes de sortie" in result.stdout
    assert "Nothing is sent anywhere" not in result.stdout


def test_help_is_in_spanish_on_a_spanish_terminal():
    """Our words and argparse's, with no English or French line among them."""
    result = run("--help", lang="es_ES.UTF-8")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("uso: incident-helper")
    assert "No se envía nada a ningún sitio" in out
    assert "códigos de salida" in out
    assert "mostrar esta ayuda y salir" in out
    english = ("Nothing is sent anywhere", "show this help", "exit codes", "usage:", "examples:")
    french = ("Rien n’est envoyé", "afficher cette aide", "codes de sortie", "utilisation")
    for foreign in english + french:
        assert foreign not in out, foreign
    error = run("dossier", lang="es_MX.UTF-8")
    assert "error: se necesitan estos argumentos: --case" in error.stderr
    assert "required" not in error.stderr


def test_argparse_speaks_french_through_the_standard_gettext_binding():
    """argparse's own words ("usage:", the -h line, the headings) come from our catalogue, bound for the
    text domain argparse's gettext reads: no module of argparse is replaced."""
    french = run("--help", lang="fr_FR.UTF-8").stdout
    assert french.startswith("utilisation : incident-helper")
    assert "afficher cette aide et quitter" in french
    assert "\narguments:\n" in french
    assert "show this help message and exit" not in french
    english = run("--help").stdout
    assert english.startswith("usage: incident-helper")
    assert "show this help message and exit" in english


def test_argparse_speaks_the_language_the_rest_of_the_command_speaks():
    """LANGUAGE=en:fr asks for English: gettext alone would skip to French for want of an English
    catalogue, but argparse's words stay English with the rest."""
    from tests.support.cli import terminal_env

    env = {**terminal_env("fr_FR.UTF-8"), "LANGUAGE": "en:fr"}
    command = [sys.executable, "-m", "helper", "--help"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert "Nothing is sent anywhere" in result.stdout
    assert "show this help message and exit" in result.stdout
    assert "utilisation" not in result.stdout

def test_import_speaks_french_on_a_french_terminal(vault_dir, tmp_path):
    good = tmp_path / "capture.png"
    good.write_bytes(samples.png(64, 48))
    bad = tmp_path / "vide.png"
    bad.write_bytes(b"")
    result = run(
        "import", "--vault", str(vault_dir), "--case", "Essai", str(good), str(bad),
        stdin=f"{PASSPHRASE}\n", lang="fr_FR.UTF-8",
    )  # fmt: skip
    assert result.returncode == cli.EXIT_PROBLEMS
    assert "Nouveau dossier ouvert : Essai" in result.stdout
    assert "1 fichier(s) sur 2 ajouté(s)" in result.stdout
    assert "Non ajouté : « vide.png »" in result.stderr or "Non ajouté : “vide.png”" in result.stderr
    wrong = run("verify", "--vault", str(vault_dir), stdin="pas la bonne\n", lang="fr_FR.UTF-8")
    assert "Cette phrase secrète n’ouvre pas cet espace protégé" in wrong.stderr


def test_usage_errors_are_in_french_too():
    result = run("dossier", lang="fr_FR.UTF-8")
    assert result.returncode == 2
    assert "erreur : ces arguments sont nécessaires" in result.stderr
    assert "utilisation :" in result.stderr
    assert "usage:" not in result.stderr


def test_fingerprint_prints_the_key_that_signs_the_vaults_dossiers(vault_dir, unlocked, tmp_path):
    from helper.dossier import DossierOptions, export_dossier
    from helper.dossier.manifest import fingerprint
    from tests.support.dossier_case import build

    shown = run("fingerprint", "--vault", str(vault_dir), stdin=f"{PASSPHRASE}\n")
    assert shown.returncode == cli.EXIT_OK, shown.stderr
    own = fingerprint(unlocked.signing_key().public_key())
    assert f"    {own}" in shown.stdout.splitlines()
    assert "by phone or in person" in shown.stdout
    assert f'--expect-key "{own}"' in shown.stdout

    dossier = tmp_path / "dossier.pdf"
    dossier.write_bytes(export_dossier(unlocked, build(unlocked).id, DossierOptions()))
    checked = run("verify-dossier", str(dossier), "--expect-key", own)
    assert checked.returncode == cli.EXIT_OK, checked.stdout
    assert "the one you expected" in checked.stdout
