"""The bundled app's entry point: the same as `incident-helper` and `python -m helper`."""

import sys

from helper.cli import main

if __name__ == "__main__":
    sys.exit(main())
