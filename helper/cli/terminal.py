"""The terminal's words, in its language (LANG / LC_ALL / LANGUAGE), and the passphrase it types.

`_`, `say` and `warn` are the names the catalogue's extraction looks for (babel.cfg, `make translations`).
"""

from __future__ import annotations

import getpass
import gettext
import sys
from pathlib import Path

from helper.i18n import translator
from helper.resources import data_dir
from helper.vocabulary import N_

_t = translator("en")

# argparse's own words, so that `--help` and usage errors are wholly in the terminal's language. They are
# listed here only to keep them in the catalogue: argparse looks them up itself (`use_language`).
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
)


def use_language(lang: str) -> None:
    """Speak `lang` from now on: our words, and argparse's."""
    global _t
    _t = translator(lang)
    bind_argparse_words(lang)


def bind_argparse_words(lang: str) -> None:
    """argparse translates its words with the standard `gettext.gettext`, in the default text domain,
    "messages", which is also the name of our catalogue: binding that domain to our translations folder
    is enough. gettext then chooses the catalogue from the same variables as `terminal_language`; it is
    bound only when that choice is `lang`, so argparse never speaks another language than the rest (as
    with LANGUAGE=en:fr, where gettext would skip English for want of an English catalogue)."""
    domain = gettext.textdomain()
    folder = str(data_dir("translations"))
    found = gettext.find(domain, folder)
    if found is not None and Path(found).parent.parent.name == lang:
        gettext.bindtextdomain(domain, folder)


def _(message: str) -> str:
    return _t.gettext(message)


def say(text: str, **params) -> None:
    print(_(text) % params if params else _(text), flush=True)


def warn(text: str, **params) -> None:
    print(_(text) % params if params else _(text), file=sys.stderr, flush=True)


def read_passphrase(prompt: str, confirm: bool = False) -> str:
    """From the terminal (asked twice when `confirm`); from the first line of standard input otherwise."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Type it again: ")) != first:
        from helper.vault import WeakPassphrase

        raise WeakPassphrase(_("the two passphrases are not the same"))
    return first
