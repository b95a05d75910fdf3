"""A separate process that encrypts a stream with age, so large uploads use a second core.

pyrage holds Python's GIL while it encrypts, so in one process parsing, hashing and encrypting an
upload take turns. Here the parent reads and hashes; this worker, with its own GIL, encrypts.
Plaintext only ever travels through an anonymous pipe (memory), never a file.

Protocol: the first line on standard input is the age recipient (kept off the command line, where
other local users could read it); everything after it is the plaintext. The ciphertext goes to the
file descriptor named on the command line. Exit status 0 means the whole stream was encrypted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

MAX_RECIPIENT_LINE = 200


def read_recipient_line() -> str:
    """Byte by byte, so not one byte of the plaintext after it is taken from the pipe."""
    line = bytearray()
    while len(line) < MAX_RECIPIENT_LINE:
        byte = os.read(0, 1)
        if not byte or byte == b"\n":
            break
        line += byte
    return line.decode("ascii").strip()


def main() -> int:
    from helper.hardening import harden_process

    harden_process()  # it holds the plaintext of a large upload: no core dump
    out_fd = int(sys.argv[1])
    import pyrage

    recipient = pyrage.x25519.Recipient.from_str(read_recipient_line())
    stdin_path, out_path = Path("/dev/stdin"), Path(f"/dev/fd/{out_fd}")
    if stdin_path.exists() and out_path.exists():
        # rage reads the pipe and writes the file itself: no Python call per block.
        pyrage.encrypt_file(str(stdin_path), str(out_path), [recipient])
    else:
        with os.fdopen(0, "rb", closefd=False) as source, os.fdopen(out_fd, "wb") as sink:
            pyrage.encrypt_io(source, sink, [recipient])
    return 0


if __name__ == "__main__":
    sys.exit(main())
