import sys

from helper.cli import main

sys.exit(main())
