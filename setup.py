"""The wheel carries the app's data inside the package (helper/_data/), copied from the top-level
folders of the source tree at build time; everything else is in pyproject.toml."""

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).parent))
from helper.resources import DATA_DIRS  # noqa: E402 - the one list; the module imports only the stdlib

SKIP = shutil.ignore_patterns("*.po", "*.pot", "__pycache__")  # compiled catalogues (.mo) are enough


class BuildWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the source tree itself
        for name in DATA_DIRS:
            target = Path(self.build_lib) / "helper" / "_data" / name
            shutil.copytree(Path(__file__).parent / name, target, ignore=SKIP, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})
