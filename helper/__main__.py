"""`python -m helper`: the `incident-helper` command.

For `-m`, Python puts the current folder first on sys.path (for a script, the script's own folder),
so a `pyrage.py` or `flask.py` left there, in a downloads or shared folder, would be imported instead
of the real module and run with the passphrase about to be typed. The console script `incident-helper`
has its own bin folder there instead, which holds no such module. That first entry goes here, before
anything else is imported: `helper` itself is imported already, and finds its own modules through its
package. (`os` and `sys` are loaded before any folder is searched.)
"""

import os
import sys


def _starting_folders() -> set[str]:
    """The folders Python may have put first: the current one, this package's, the script's."""
    folders = {"", os.path.dirname(os.path.abspath(__file__))}
    if sys.argv and sys.argv[0] not in ("", "-c", "-m"):
        folders.add(os.path.dirname(os.path.abspath(sys.argv[0])))
    try:  # noqa: SIM105 - contextlib is not loaded yet, and would be looked for in that very folder
        folders.add(os.getcwd())
    except OSError:  # the current folder was deleted: "" stands for it
        pass
    return {os.path.realpath(folder) if folder else folder for folder in folders}


def drop_starting_folder(path: list[str]) -> None:
    """Removes sys.path's first entry when it is one of those folders (nothing under `-P` or `-I`,
    which add none; nothing when another program runs this module with a path of its own)."""
    if sys.flags.safe_path or not path:
        return
    first = path[0]
    if (os.path.realpath(first) if first else first) in _starting_folders():
        del path[0]


drop_starting_folder(sys.path)

from helper.cli import main  # noqa: E402 - only once the starting folder is gone

sys.exit(main())
