"""Child process for the crash test: saves evidence in a loop until it is killed.

After each save returns it prints `COMMITTED <name> <sha256>`: from then on the item must survive.
"""

import io
import os
import sys
from pathlib import Path

import pyrage

from helper.casework import cases
from helper.vault import UnlockedVault
from tests.support.evidence import add_file


def main() -> None:
    vault_dir, case_id, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    vault = UnlockedVault(Path(vault_dir), pyrage.x25519.Identity.from_str(os.environ["VAULT_IDENTITY"]))
    n = start
    while True:
        size = 1000 + (n * 7919) % 900_000
        data = os.urandom(size)
        name = f"item-{n}.bin"
        item = add_file(vault, case_id, io.BytesIO(data), name, "application/octet-stream")
        print(f"COMMITTED {name} {item.sha256}", flush=True)
        if n % 3 == 0:
            cases.rename(vault, case_id, f"renamed {n}")
        n += 1


if __name__ == "__main__":
    main()
