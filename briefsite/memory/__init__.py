"""Memory: what the last build of an output folder left, asked three times by the pipeline.

`skip()`: has nothing changed since the last build (then the build stops), and
what of it the index stage reuses; `plan()`: which pages and files must be
made again; `commit()`: remember this build, once it is written. A memory that
remembers nothing (the cache off, or a check) answers "everything" and stores
nothing, so every build runs the same pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..model.site import Site
from ..output.page import Page
from ..output.render import Theme, shared_by_pages
from ..output.write import File, Written
from ..site.related import RelatedRecord, record
from .briefs import CACHE_DIR, engine_key
from .fingerprints import Fingerprints, dependency_of, digest
from .ledger import Entry, Ledger, Summary, ledger_path, load_ledger, save_ledger
from .store import Kept


@dataclass(frozen=True)
class Recall:
    """What `skip()` answers: the last build's summary when it stands, else what the index stage reuses."""

    unchanged: Summary | None  # set when nothing changed: the build reports it and stops
    related: RelatedRecord | None  # the last build's related briefs


@dataclass(frozen=True)
class Plan:
    """What `plan()` answers: what this build makes, and how it writes it."""

    pages: list[Page]  # to render: their files are not already what they would be made as now
    files: list[File]  # assets and published files to write, likewise
    stale: list[str]  # files of the last build that this one no longer makes
    in_place: bool  # update the last build's output file by file, else make a whole new tree
    track: Callable | None  # what templates' reads depend on (see render.Tracking); None: nothing is remembered
    ledger: Path | None  # to drop before the output changes: a build killed midway must not be trusted


class Memory:
    """The last build's ledger for one site folder and output folder."""

    def __init__(self, source: Path, output: Path, remembers: bool = True, trusts: bool = True,
                 kept: Kept | None = None):
        """`trusts`: whether `output` is the folder its ledger describes (a build's marker is in it); `kept`:
        serve's memory of the ledger it last wrote, not read back while the file is that one."""
        self.output, self.kept = output, kept
        self.file = ledger_path(source / CACHE_DIR, output) if remembers else None
        self.last = load_ledger(self.file, kept) if self.file and trusts else Ledger()
        self.inputs = b""
        self.brief_keys: dict[str, bytes] = {}
        self.prints: Fingerprints | None = None
        self.marks: dict[str, bytes] = {}  # output path -> fingerprint, of every page and file
        self.related: RelatedRecord | None = None
        # Whether this build updates the last one's output in place, else it makes a whole new tree.
        self.in_place = bool(self.last.files) and output.is_dir()

    def skip(self, *, briefs: dict[str, bytes], now: datetime, inputs: tuple) -> Recall:
        """The last build's summary if neither the brief files (`briefs`: name -> key) nor `inputs` changed,
        `now` is in the window its choice of briefs held for, and its files are as written."""
        self.brief_keys = briefs
        self.inputs = digest(engine_key(), briefs, *inputs)
        last = self.last
        if self.file and last.inputs == self.inputs and last.files and last.summary.holds(now) and all(
                last.intact(self.output, path) for path in last.files):
            return Recall(last.summary, None)
        return Recall(None, last.related if self.file else None)

    def plan(self, *, site: Site, pages: list[Page], files: list[File], theme: Theme) -> Plan:
        """The pages and `files` whose files are not already what they would be made as now with `theme`,
        and the last build's files that this build no longer makes."""
        if self.file is None:
            return Plan(pages, files, [], False, None, None)
        placements = [site.placement(brief) for brief in site.briefs]
        self.related = record(site.briefs, {b.slug: p.terms for b, p in zip(site.briefs, placements, strict=True)},
                              {b.slug: p.related for b, p in zip(site.briefs, placements, strict=True)})
        self.prints = prints = Fingerprints(site, self.brief_keys, digest(engine_key(), shared_by_pages(site, theme)))
        self.marks = {page.path: prints.page(page.url, page.template, page.context) for page in pages}
        self.marks |= {file.path: file.mark for file in files}
        last = self.last if self.in_place else Ledger()

        def held(path: str) -> bool:
            entry = last.holds(self.output, path, self.marks[path])
            return entry is not None and prints.dependencies(entry.dependencies) == entry.dependency_digest

        stale = [path for path in last.files if path not in self.marks]
        return Plan([p for p in pages if not held(p.path)], [f for f in files if not held(f.path)], stale,
                    self.in_place, dependency_of, self.file)

    def commit(self, summary: Summary, *, written: dict[str, Written]) -> None:
        """Record this build: its summary and every file of the output as `written` (path -> Written)."""
        if self.file is None:
            return
        files = dict(self.last.files) if self.in_place else {}
        for path, done in written.items():
            files[path] = Entry(self.marks[path], tuple(sorted(done.reads)), self.prints.dependencies(done.reads),
                                done.size, done.mtime_ns)
        files = {path: entry for path, entry in files.items() if path in self.marks}
        save_ledger(self.file, Ledger(self.inputs, files, summary, self.related), self.kept)
