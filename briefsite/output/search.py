"""Full-text search: index a written site with Pagefind, and check what it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .. import faults
from ..errors import BuildError, BuildFailed
from ..parallel import die_with_parent
from ..site import urls

BUNDLE = "pagefind"
ENTRY = "pagefind-entry.json"
PAGEFIND = [sys.executable, "-m", "pagefind"]  # the command; tests put a stand-in here


def index_site(folder: Path, bundle: Path, output: Path) -> None:
    """Write Pagefind's index of `folder` into `bundle` and check it; raises BuildFailed naming `output`."""
    try:
        import pagefind_bin  # noqa: F401  (the binary ships in this package)
    except ImportError:
        raise BuildFailed([BuildError("site.yml", 0, 0, "search needs Pagefind: install it with "
                                      "`pip install 'pagefind[bin]'`, or set `search: false`")]) from None
    # Only brief pages carry data-pagefind-body: globbing them halves Pagefind's work.
    # A site without briefs still gets an (empty) index, which a glob matching nothing would refuse.
    glob = ["--glob", f"{urls.BRIEFS}/**/*.html"] if (folder / urls.BRIEFS).is_dir() else []
    parent = os.getpid()
    run = subprocess.Popen(
        [*PAGEFIND, "--site", str(folder), "--silent", *glob, "--output-path", str(bundle)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: die_with_parent(parent))
    try:
        faults.point("searching")
        stdout, stderr = run.communicate()
    except BaseException:  # an error or Ctrl+C here must not leave Pagefind writing on
        run.kill()
        run.wait()
        raise
    if run.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit status {run.returncode}"
        raise BuildFailed([BuildError(str(output), 0, 0, f"Pagefind failed: {reason}")])
    if problem := broken(bundle):  # e.g. a full disk: Pagefind still exits 0
        raise BuildFailed([BuildError(str(output), 0, 0, f"Pagefind wrote a broken search index: {problem}; "
                                      "is the disk full?")])


def broken(bundle: Path) -> str | None:
    """What is wrong with a search bundle: its entry file unreadable, a file it names missing, an empty file."""
    try:
        entry = json.loads((bundle / ENTRY).read_bytes())
        named = ["pagefind.js"] + [name for language in entry["languages"].values() for name in (
            f"pagefind.{language['hash']}.pf_meta", language["wasm"] and f"wasm.{language['wasm']}.pagefind")
            if name]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"{ENTRY} is missing, empty or not what Pagefind writes"
    for name in named:
        if not (bundle / name).is_file():
            return f"{name} is missing"
    for root, _, files in os.walk(bundle):
        for name in sorted(files):
            if os.path.getsize(os.path.join(root, name)) == 0:
                return f"{Path(root, name).relative_to(bundle).as_posix()} is empty"
    return None
