"""Memory: what the last build of an output folder left, consulted and updated by the pipeline.

The pipeline asks it three things: has nothing changed since the last build,
which pages must be rendered again, and, once the site is written, to remember
this build. A memory that remembers nothing (the cache off, or a check) answers
"everything" and stores nothing, so every build runs the same pipeline.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from ..config import Config
from ..site.related import RELATED_COUNT, affected, related_briefs, rows
from . import store
from .briefs import CACHE_DIR, BriefCache, engine_key
from .fingerprints import Fingerprints, dependency_of, digest
from .ledger import Entry, Ledger, ledger_path, load_ledger, save_ledger


class Memory:
    """The last build's ledger and parse cache for one site folder and output folder."""

    def __init__(self, source: Path, output: Path, config: Config, remembers: bool = True, trusts: bool = True):
        """`trusts`: whether `output` is the folder its ledger describes (a build's marker is in it)."""
        folder = source / CACHE_DIR
        self.output = output
        self.briefs = BriefCache(folder if remembers else None, config)
        self.file = ledger_path(folder, output) if remembers else None
        self.last = load_ledger(self.file) if self.file and trusts else Ledger()
        self.inputs = b""
        self.brief_keys: dict[str, bytes] = {}
        self.prints: Fingerprints | None = None
        self.marks: dict[str, bytes] = {}  # output path -> fingerprint, of every page and asset
        # Whether this build updates the last one's output in place, else it makes a whole new tree.
        self.in_place = bool(self.last.files) and output.is_dir()

    @property
    def track(self):
        """What templates' reads depend on (see render.Tracking); None when nothing is remembered."""
        return dependency_of if self.file else None

    def unchanged(self, brief_keys: dict[str, bytes], now, *inputs) -> tuple | None:
        """The last build's (briefs, pages, warnings) if neither the brief files (by their keys) nor
        `inputs` changed, `now` is in the span its choice of briefs held for, and its files are as written."""
        self.brief_keys = brief_keys
        self.inputs = digest(engine_key(), brief_keys, *inputs)
        last = self.last
        since, until = last.window
        now = now.timestamp()
        if self.file and last.inputs == self.inputs and last.files and (since is None or since <= now) and (
                until is None or now < until) and all(last.intact(self.output, path) for path in last.files):
            return last.summary
        return None

    def related(self, briefs, terms_of) -> dict:
        """Related briefs: the last build's answer for every brief whose choice cannot have changed, the
        others computed afresh."""
        if self.file is None:
            return related_briefs(briefs, terms_of)
        now, last = rows(briefs, terms_of), self.last.related
        if last.get("count") == RELATED_COUNT and "rows" in last:
            redo = affected(now, last["rows"])
            by_slug = {brief.slug: brief for brief in briefs}
            fresh = related_briefs(briefs, terms_of, only=redo) if redo else {}
            chosen = {slug: fresh[slug] if slug in redo else tuple(by_slug[s] for s in last["related"][slug])
                      for slug in now}
        else:
            chosen = related_briefs(briefs, terms_of)
        self.last.related = {"count": RELATED_COUNT, "rows": now,
                             "related": {slug: tuple(b.slug for b in items) for slug, items in chosen.items()}}
        return chosen

    def to_render(self, site, pages, outputs, shared: bytes) -> tuple[list, list]:
        """The pages and assets (`outputs`) whose files are not already what they would be made as now.

        `shared` is what every page depends on (templates, settings).
        """
        if self.file is None:
            return pages, outputs
        self.prints = prints = Fingerprints(site, self.brief_keys, digest(engine_key(), shared))
        self.marks = {page.path: prints.page(page.url, page.template, page.context) for page in pages}
        self.marks |= {output.path: digest(output.data) for output in outputs}
        last = self.last if self.in_place else Ledger()

        def held(path: str) -> bool:
            entry = last.holds(self.output, path, self.marks[path])
            return entry is not None and prints.dependencies(entry.dependencies) == entry.dependency_digest

        return [p for p in pages if not held(p.path)], [o for o in outputs if not held(o.path)]

    def dependencies(self, reads) -> bytes:
        """The digest of what a page read while it rendered (forked render workers call this)."""
        return self.prints.dependencies(reads) if self.prints else b""

    def stale(self) -> list[str]:
        """Files the last build wrote that this one no longer makes."""
        return [path for path in self.last.files if path not in self.marks] if self.in_place else []

    def forget(self) -> None:
        """Drop the ledger before the output changes: a build killed midway must not be trusted."""
        if self.file:
            with suppress(OSError):  # a read-only cache: the ledger it keeps is checked file by file anyway
                store.forget(self.file)

    def remember(self, written: dict, summary: tuple, window: tuple = (None, None)) -> None:
        """Record this build: every file of the output as written (`written`: path -> Written), its summary,
        and the span of moments its choice of briefs holds for (embargoes and expiries bound it)."""
        if self.file is None:
            return
        files = dict(self.last.files) if self.in_place else {}
        for path, done in written.items():
            files[path] = Entry(self.marks[path], tuple(sorted(done.reads)), done.reads_digest, done.size,
                                done.mtime_ns)
        files = {path: entry for path, entry in files.items() if path in self.marks}
        window = tuple(None if moment is None else moment.timestamp() for moment in window)
        save_ledger(self.file, Ledger(self.inputs, files, summary, self.last.related, window))
