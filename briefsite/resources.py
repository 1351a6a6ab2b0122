"""What ships with the engine: the default theme, the demo desk and the starter site.

In a built wheel the theme and the demo desk are inside the package (setup.py carries them in);
in a checkout they are the repository's own `templates/` and site, so there is one copy of each.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _carried(inside: str, in_checkout: str) -> Path:
    """The package's folder `inside` when installed from a wheel, else the checkout's `in_checkout`."""
    packaged = PACKAGE / inside
    return packaged if packaged.is_dir() else PACKAGE.parent / in_checkout


THEME = _carried("theme", "templates")
EXAMPLE = _carried("example", ".")  # the demo desk: site.yml, briefings/, data/ (and static/ if any)
EXAMPLE_PARTS = ("site.yml", "briefings", "data", "static")
WORKFLOW = EXAMPLE / ".github" / "workflows" / "pages.yml"  # publishes to GitHub Pages: the repository's own
STARTER = PACKAGE / "commands" / "starter"
