"""Running the `incident-helper` command as a person would, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def terminal_env(lang: str = "C.UTF-8") -> dict[str, str]:
    """This environment, as a terminal whose locale is `lang` (nothing overrides LANG)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    return env


def run(*args: str, stdin: str = "", lang: str = "C.UTF-8") -> subprocess.CompletedProcess:
    """The command with `args`; `lang` is the terminal's locale (LANG), English by default."""
    env = terminal_env(lang)
    return subprocess.run(
        [sys.executable, "-m", "helper", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        env=env,
    )
