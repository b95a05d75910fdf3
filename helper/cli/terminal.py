"""The terminal's words, in its language (LANG / LC_ALL / LANGUAGE), and the passphrase it types.

`_`, `say` and `warn` are the names the catalogue's extraction looks for (babel.cfg, `make translations`).

Whatever they print from outside the program (a bundle's title and file names, a dossier's manifest, a
case's fields) goes through `shown` first: `say` and `warn` pass every text value through it, and a
line printed otherwise calls it itself. A terminal obeys escape sequences, so a name could otherwise
move the cursor, rewrite a line already printed, or print a line of its own ("signed by …").
"""

from __future__ import annotations

import getpass
import gettext
import os
import sys
import unicodedata
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


# Characters a terminal acts on or that change how a line reads, rather than letters: controls (C0, DEL,
# C1: ESC starts every escape sequence), line and paragraph separators, lone surrogates (which would
# also stop `print`), and the invisible format characters, the bidirectional overrides among them (they
# make a line read backwards). The joiners stay: emoji and some scripts are written with them.
_SHOWN_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_KEPT_FORMAT = frozenset("\u200c\u200d")


def _escaped(ch: str) -> str:
    if ch in _SHOWN_ESCAPES:
        return _SHOWN_ESCAPES[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _acts(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs", "Zl", "Zp") or (category == "Cf" and ch not in _KEPT_FORMAT)


def shown(value: object) -> str:
    """`value` as text safe to print on a terminal: each character that is not a letter, a digit, a
    mark, punctuation or a space is written out as an escape (ESC as `\\x1b`, a new line as `\\n`), so
    outside data never reaches the terminal as anything but visible characters. Printable text comes
    back as it is, and escaping twice changes nothing more."""
    text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    if text.isprintable():
        return text
    return "".join(_escaped(ch) if _acts(ch) else ch for ch in text)


def shown_lines(text: str) -> str:
    """`shown` for a text of several lines (a letter printed on the terminal): its line breaks stay."""
    return "\n".join(shown(line.removesuffix("\r")) for line in text.split("\n"))


def _filled(text: str, params: dict) -> str:
    message = _(text)
    if not params:
        return message
    # Numbers stay numbers (a translation may format them); anything else is shown as text, escaped.
    return message % {k: v if isinstance(v, int | float) else shown(v) for k, v in params.items()}


def say(text: str, **params) -> None:
    """One of our sentences, its text values shown escaped (see `shown`)."""
    print(_filled(text, params), flush=True)


def warn(text: str, **params) -> None:
    """`say`, on standard error."""
    print(_filled(text, params), file=sys.stderr, flush=True)


def read_passphrase(prompt: str, confirm: bool = False) -> str:
    """From the terminal (asked twice when `confirm`); from the first line of standard input otherwise."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Type it again: ")) != first:
        from helper.vault import WeakPassphrase

        raise WeakPassphrase(_("the two passphrases are not the same"))
    return first
