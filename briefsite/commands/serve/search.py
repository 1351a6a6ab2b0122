"""The preview's search index, brought up to date after the pages it indexes are in place and reloaded.

In a build for serve, the search stage only records what to index: the last bundle is moved into the new
tree (or the new bundle's folder) as it is, and Pagefind runs after the reload has been published, on the
rebuild thread, between builds. Until it has, the search page finds what the last index held. The index is
made in a child process, so that a save stops it at once: the rebuild goes first, and indexing starts again
after it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ...errors import BuildError, BuildFailed
from ...output import search
from ...output.folder import SEARCH, clear_leftovers, locked, remove, side_folder
from ...output.write import replace_folder
from ...parallel import die_with_parent
from ...site.urls import BUNDLE

ENGINE = Path(__file__).resolve().parents[3]  # the folder `briefsite` is imported from, for the child
# Not `-m` this module: its package imports it first, and runpy would warn of running it twice.
CHILD = "from briefsite.commands.serve.search import main; main()"


class LaterSearch:
    """What the builds since the index was last brought up to date changed, and the indexing of it."""

    def __init__(self, output: Path):
        self.output = output.absolute()
        self.lock = threading.Lock()  # `record` runs in a build, `run` after it: each sees the other's whole work
        self.wanted = False  # a build with search on recorded something since the last run
        self.changed: set[str] | None = set()  # the pages they wrote or deleted; None: index every part
        self.parts: dict[str, str] = {}  # the last build's: each brief page's part

    def record(self, folder: Path, bundle: Path, output: Path, changed: list[str] | None = None, *,
               parts: dict[str, str]) -> None:
        """The search stage of a serve build (index_search's arguments): the old bundle moved to `bundle`,
        where the build puts its bundle, and `changed` remembered for `run`."""
        with self.lock:
            old = self.output / BUNDLE
            try:
                os.rename(old, bundle)  # no copy: Pagefind's thousands of files would cost more than the edit
                kept = True
            except OSError:  # none yet (the first build), or lost with a failed build
                bundle.mkdir(parents=True, exist_ok=True)
                kept = False
            self.wanted, self.parts = True, parts
            if changed is None or not kept or self.changed is None:
                self.changed = None
            else:
                self.changed |= set(changed)

    def run(self, stop: Callable[[], bool] = lambda: False) -> str | None:
        """Index what the recorded builds changed and put the new bundle in place, holding the output's lock;
        None, or why it failed. Once `stop()` (a save), Pagefind is stopped and nothing changes. What was
        recorded is kept, for the next run, unless the new bundle is in place."""
        with self.lock:
            bundle = self.output / BUNDLE
            if not self.wanted or not bundle.is_dir():  # nothing new, or the last build had search off
                self.wanted = False
                return None
            changed = None if self.changed is None else sorted(self.changed)
            try:
                with locked(self.output):
                    clear_leftovers(self.output)
                    fresh = side_folder(self.output, SEARCH)
                    try:
                        if not index_apart(self.output, fresh / BUNDLE, changed, self.parts, stop):
                            return None
                        replace_folder(fresh / BUNDLE, bundle, fresh / "old")
                    finally:
                        remove(fresh)
            except BuildFailed as failure:  # Pagefind failed, a full disk: serve on, say so
                return "; ".join(problem.message for problem in failure.problems)
            except Exception as exc:  # a bug must not stop the server either
                return repr(exc)
            self.wanted, self.changed = False, set()
            return None


def index_apart(output: Path, bundle: Path, changed: list[str] | None, parts: dict[str, str],
                stop: Callable[[], bool]) -> bool:
    """index_search over `output` into `bundle`, in a child process; False once `stop()`, the child killed
    (its Pagefind with it). Raises BuildFailed as index_search does."""
    job = {"output": str(output), "bundle": str(bundle), "changed": changed, "parts": parts,
           "pagefind": search.PAGEFIND}
    parent = os.getpid()
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, preexec_fn=lambda: die_with_parent(parent),
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (
                                 str(ENGINE), os.environ.get("PYTHONPATH"))))})
    try:
        child.stdin.write(json.dumps(job))
        child.stdin.close()
        while child.poll() is None:
            if stop():
                child.kill()
                return False
            time.sleep(0.02)
        said = child.stdout.read().strip()
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()
    if child.returncode != 0:  # what it said last: index_search's message, or a traceback's last line
        lines = said.splitlines()
        raise BuildFailed([BuildError(str(output), 0, 0, lines[-1] if lines else f"exit {child.returncode}")])
    return True


def main() -> None:
    """The child: one index_search, as the job on stdin says; a failure's message is its last line."""
    job = json.loads(sys.stdin.read())
    search.PAGEFIND = job["pagefind"]  # the parent's: a test's stand-in too
    try:
        search.index_search(folder=Path(job["output"]), bundle=Path(job["bundle"]), output=Path(job["output"]),
                            changed=job["changed"], parts=job["parts"])
    except BuildFailed as failure:
        print("; ".join(problem.message for problem in failure.problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
