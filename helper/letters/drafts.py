"""A letter as an e-mail draft (.eml) for the person's own mail program. The program sends nothing.

Every header written is one the message format allows, whatever the record holds: an address is
written only when it is one plain address (ASCII, or a domain IDNA can spell in ASCII; at most 254
characters, the longest an SMTP path carries); anything else — a line break that would end the
headers, a second address after a comma, ten thousand characters — is left out, and the person types
it in their mail program. The draft stays a draft (X-Unsent: 1) either way. The subject is made one
line and folded by the e-mail policy, so no header line is longer than 78 characters (RFC 5322 allows
998 at most).
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import SMTP

ADDRESS_MAX = 254
# RFC 5322's dot-atom local part, and a domain of letters, digits and hyphens with at least one dot.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*", re.ASCII)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+", re.ASCII)


def header_address(text: str) -> str | None:
    """`text` as one address a header can carry, or None when it is not one."""
    local, at, domain = text.strip(" ").rpartition("@")
    if not at or not _LOCAL.fullmatch(local):
        return None
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    address = f"{local}@{domain}"
    if len(address) > ADDRESS_MAX or not _DOMAIN.fullmatch(domain):
        return None
    return address


def one_line(text: str) -> str:
    """`text` on one line: line breaks and other control characters become spaces, runs of spaces one."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def email_draft(subject: str, text: str, to: str = "", sender: str = "") -> bytes:
    """The draft's bytes: Subject, To and From when each can be written, X-Unsent, the text in UTF-8."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = one_line(subject)
    for header, value in (("To", to), ("From", sender)):
        address = header_address(value)
        if address is not None:
            message[header] = address
    message["X-Unsent"] = "1"
    message.set_content(text, charset="utf-8")
    return message.as_bytes()
