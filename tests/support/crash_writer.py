"""Child process for the crash tests: saves evidence and edits it, in a loop, until it is killed.

    python -m tests.support.crash_writer VAULT CASE START [KILL_AT]

Each loop adds an item, describes the one before, saves the story draft, and now and then adds a
counselor's note, renames the case and records a consent: the adds and every kind of edit, each a
change file, folded into the record every so often (every CRASH_FOLD_AFTER changes when set, to
reach the fold often). After each one returns it prints what it committed, which from then on must
survive:

    COMMITTED <name> <sha256>     an item
    DESCRIBED <name> <text>       its description
    DRAFT <n>                     the story draft "draft <n>"
    NOTE <n>                      a counselor's note "note <n>"
    RENAMED <n>                   the title "renamed <n>"
    CONSENT <item id>             a consent in the journal

With KILL_AT, the process kills itself (SIGKILL) at its KILL_AT-th step of a rename or a deletion,
just before or just after it: aimed at the write window of every file (the change files, the record,
the evidence) and at the fold (the record renamed into place, then each change file deleted).
"""

import itertools
import os
import signal
import sys
from pathlib import Path

import pyrage

from helper.casework import cases, counselor, evidence, walkthrough
from helper.vault import UnlockedVault, casefiles
from tests.support.evidence import add_file


def aim(kill_at: int) -> None:
    steps = itertools.count(1)

    def killing(real):
        def call(*args, **kwargs):
            if next(steps) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            result = real(*args, **kwargs)
            if next(steps) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return result

        return call

    os.replace = killing(os.replace)
    os.unlink = killing(os.unlink)


def say(*words: object) -> None:
    print(*words, flush=True)


def main() -> None:
    vault_dir, case_id, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if os.environ.get("CRASH_FOLD_AFTER"):
        casefiles.FOLD_AFTER = int(os.environ["CRASH_FOLD_AFTER"])
    vault = UnlockedVault(Path(vault_dir), pyrage.x25519.Identity.from_str(os.environ["VAULT_IDENTITY"]))
    if len(sys.argv) > 4:
        aim(int(sys.argv[4]))
    previous = None
    for n in itertools.count(start):
        size = 1000 + (n * 7919) % 900_000
        name = f"item-{n}.bin"
        item = add_file(vault, case_id, os.urandom(size), name, "application/octet-stream")
        say("COMMITTED", name, item.sha256)
        if previous is not None:
            evidence.describe(vault, case_id, previous.id, description=f"described-{n - 1}")
            say("DESCRIBED", previous.original_name, f"described-{n - 1}")
        walkthrough.save_draft(vault, case_id, walkthrough.Edit({"narrative": f"draft {n}"}))
        say("DRAFT", n)
        if n % 2 == 0:
            counselor.add_note(vault, case_id, "Sam", f"note {n}")
            say("NOTE", n)
        if n % 3 == 0:
            cases.rename(vault, case_id, f"renamed {n}")
            say("RENAMED", n)
        if n % 4 == 0:
            counselor.record_consent(vault, case_id, item.id, True)
            say("CONSENT", item.id)
        previous = item


if __name__ == "__main__":
    main()
