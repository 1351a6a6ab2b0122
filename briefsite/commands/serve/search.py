"""The preview's search index, brought up to date after the pages it indexes are in place and reloaded.

In a build for serve, the search stage only records what to index: the last bundle is moved into the new
tree (or the new bundle's folder) as it is, and Pagefind runs after the reload has been published, on the
rebuild thread, between builds. Until it has, the search page finds what the last index held.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from ...output.folder import SEARCH, clear_leftovers, locked, remove, side_folder
from ...output.search import index_search
from ...output.write import replace_folder
from ...site.urls import BUNDLE


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

    def run(self) -> str | None:
        """Index what the recorded builds changed and put the new bundle in place, holding the output's lock;
        None, or why it failed (what was recorded is then kept, for the next run)."""
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
                        index_search(folder=self.output, bundle=fresh / BUNDLE, output=self.output, changed=changed,
                                     parts=self.parts)
                        replace_folder(fresh / BUNDLE, bundle, fresh / "old")
                    finally:
                        remove(fresh)
            except Exception as exc:  # BuildFailed (Pagefind failed, a full disk) or a bug: serve on, say so
                problems = getattr(exc, "problems", None)
                return "; ".join(p.message for p in problems) if problems else repr(exc)
            self.wanted, self.changed = False, set()
            return None
