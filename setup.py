"""Carries the default theme and the demo desk into the package when a wheel is built.

They live at the repository's top level, where the repository is itself a site (templates/,
briefings/, data/, site.yml); briefsite/resources.py finds them there in a checkout, and in the
package's theme/ and example/ once installed, so there is one copy of each.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# Repository path -> path inside the package.
CARRIED = {
    "templates": "theme",
    "site.yml": "example/site.yml",
    "briefings": "example/briefings",
    "data": "example/data",
    "static": "example/static",
    ".github/workflows/pages.yml": "example/.github/workflows/pages.yml",
}


class BuildWithTheme(build_py):
    """build_py that also copies the CARRIED files into the built package (not for editable installs,
    which read them where they are)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        package = Path(self.build_lib) / "briefsite"
        for source, target in CARRIED.items():
            origin, destination = HERE / source, package / target
            if origin.is_dir():
                shutil.copytree(origin, destination, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns(".briefsite-cache", "__pycache__"))
            elif origin.is_file():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, destination)


setup(cmdclass={"build_py": BuildWithTheme})
