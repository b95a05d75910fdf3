"""`letters` lists the letters that fit a case, each with what it still lacks; `letter` writes one (and
keeps a copy in the case). Nothing is ever sent."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from helper.cli.exits import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from helper.cli.terminal import _, say, shown, shown_lines, warn
from helper.cli.vaults import add_vault_option, unlock
from helper.i18n import listed, terminal_language
from helper.vocabulary import LANGUAGE_NAMES, LANGUAGES

if TYPE_CHECKING:
    from helper.letters.engine import LetterWriter


def register(commands: argparse._SubParsersAction) -> None:
    letters = commands.add_parser(
        "letters", help=_("list the letters that fit a case, each with what it still lacks")
    )
    add_vault_option(letters)
    letters.add_argument("--case", required=True, metavar="NAME", help=_("the case's name"))
    letters.set_defaults(run=cmd_letters)

    letter = commands.add_parser(
        "letter", help=_("write one letter or report from a case (exit 1: written, but something is missing)")
    )
    add_vault_option(letter)
    letter.add_argument("--case", required=True, metavar="NAME", help=_("the case's name"))
    letter.add_argument(
        "--kind", required=True, metavar="KIND", help=_("which letter (see 'incident-helper letters')")
    )
    letter.add_argument("--platform", default=None, metavar="ID", help=_("the platform it goes to (e.g. x)"))
    letter.add_argument(
        "--payment",
        default=None,
        metavar="ID",
        help=_(
            "for a letter to a bank: the payment it is about, as 'incident-helper letters' lists it "
            "(one letter per payee; default: the first payee)"
        ),
    )
    letter.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help=_("the letter's language (default: the one it is sent in)"),
    )
    letter.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help=_("the file to write (default: print it)")
    )
    letter.add_argument(
        "--format",
        choices=("txt", "eml"),
        default="txt",
        help=_("text, or an e-mail draft for your mail program (default: txt)"),
    )
    letter.set_defaults(run=cmd_letter)


def _letter_writer() -> LetterWriter:
    from helper.content import shipped
    from helper.letters.engine import LetterWriter
    from helper.resources import data_dir

    return LetterWriter.from_content_root(shipped(), data_dir("content"))


def _element_line(element, lang: str) -> str:
    return _("missing: %(what)s (%(clause)s). %(fix)s") % {
        "what": element.name.get(lang),
        "clause": element.clause.get(lang),
        "fix": element.fix.get(lang),
    }


def cmd_letters(args: argparse.Namespace) -> int:
    vault = unlock(args.vault)
    case = vault.find_case(args.case)
    writer = _letter_writer()
    lang = terminal_language()
    if not case.incident.country:
        say("The country where you live is not set in this case: only letters that fit anywhere are listed.")
    for option in writer.options(case):
        command = option.kind.id + (f" --platform {option.platform.id}" if option.platform else "")
        command += f" --payment {option.payment.id}" if option.payment else ""
        name = option.kind.name.get(lang)
        if option.payment:  # one letter per payee: say which
            name += " — " + writer.payee_words(option.payment, lang)
        print(f"{shown(command)}\n    {shown(name)}")
        if not option.missing:
            print("    " + _("complete"))
        for element in option.missing:
            print("    " + shown(_element_line(element, lang)))
    return EXIT_OK


def cmd_letter(args: argparse.Namespace) -> int:
    from helper.casework import letters
    from helper.letters.engine import UnknownPayment
    from helper.vault.atomic import atomic_file

    vault = unlock(args.vault)
    case = vault.find_case(args.case)
    writer = _letter_writer()
    spoken = terminal_language()
    try:
        kind = writer.content.kind(args.kind)
    except KeyError:
        warn(
            "There is no letter called “%(kind)s”. These exist: %(kinds)s.",
            kind=args.kind,
            kinds=", ".join(k.id for k in writer.content.kinds),
        )
        return EXIT_USAGE
    if args.platform is not None and writer.content.platform(args.platform) is None:
        warn(
            "There is no platform called “%(platform)s”. These exist: %(platforms)s.",
            platform=args.platform,
            platforms=", ".join(p.id for p in writer.content.platforms),
        )
        return EXIT_USAGE
    try:
        lang = letters.letter_language(kind, args.lang, spoken)
    except letters.LanguageNotOffered:
        names = listed((LANGUAGE_NAMES[code] for code in kind.langs), spoken)
        warn("This letter is written only in: %(languages)s.", languages=names)
        return EXIT_USAGE
    try:
        letter = writer.write(case, kind.id, args.platform, lang, payment_id=args.payment)
    except UnknownPayment:
        warn(
            "There is no payment made called “%(payment)s”. Those made: %(payments)s.",
            payment=args.payment,
            payments=", ".join(p.id for p in case.payments if p.paid) or "—",
        )
        return EXIT_USAGE
    data = letter.eml(case.signer.email) if args.format == "eml" else letter.text.encode()
    letters.keep_copy(vault, case.id, letter, args.format)
    if args.output is None and sys.stdout.isatty():  # the case's words, not the terminal's commands
        print(shown_lines(data.decode("utf-8", "replace")), flush=True)
    elif args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        with atomic_file(args.output) as out:
            out.write(data)
        say("Wrote %(path)s. Nothing was sent: you send it yourself.", path=args.output)
    if letter.form:
        say("Paste it into the form at %(url)s", url=letter.form.url)
    elif letter.no_channel:  # as the letter page says it: never another country's form instead
        platform = letter.platform.name if letter.platform and not letter.platform.generic else _("this site")
        say("No form for this letter is known for %(platform)s where you live.", platform=platform)
        if letter.platform and letter.platform.in_app:
            print(shown(_("In the app:") + " " + letter.platform.in_app.get(spoken)), flush=True)
        if kind.no_channel:
            print(shown(_("What to do instead:") + " " + kind.no_channel.get(spoken)), flush=True)
    if letter.payment:
        others = [p.id for p in case.payments if p.paid and p.id != letter.payment.id]
        if others:
            say(
                "This letter is about one payee only. Write one for each of the others with --payment "
                "(see 'incident-helper letters')."
            )
    for element in letter.missing:
        warn(_element_line(element, spoken))
    for url in letter.bare:
        warn("“%(url)s” names a site, not an image: add the full address of the post or image.", url=url)
    return EXIT_PROBLEMS if letter.missing else EXIT_OK
