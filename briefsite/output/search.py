"""Full-text search: index a written site with Pagefind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import BuildError, BuildFailed
from ..site import urls

BUNDLE = "pagefind"


def index_site(folder: Path, bundle: Path | None = None) -> None:
    """Write Pagefind's index of `folder` into `bundle` (default `folder`/pagefind); raises BuildFailed if it cannot."""
    try:
        import pagefind_bin  # noqa: F401  (the binary ships in this package)
    except ImportError:
        raise BuildFailed([BuildError("site.yml", 0, 0, "search needs Pagefind: install it with "
                                      "`pip install 'pagefind[bin]'`, or set `search: false`")]) from None
    # Only brief pages carry data-pagefind-body: globbing them halves Pagefind's work.
    # A site without briefs still gets an (empty) index, which a glob matching nothing would refuse.
    glob = ["--glob", f"{urls.BRIEFS}/**/*.html"] if (folder / urls.BRIEFS).is_dir() else []
    run = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent", *glob,
         *(["--output-path", str(bundle)] if bundle else ["--output-subdir", BUNDLE])],
        capture_output=True, text=True)
    if run.returncode != 0:
        detail = (run.stderr or run.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit status {run.returncode}"
        raise BuildFailed([BuildError(str(folder), 0, 0, f"Pagefind failed: {reason}")])
