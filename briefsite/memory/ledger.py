"""The ledger of the last build of one output folder: its inputs, its summary, and every file it wrote."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from datetime import datetime
from pathlib import Path

from ..errors import BuildError
from ..site.related import RELATED_COUNT, RelatedRecord
from . import store


@dataclasses.dataclass(frozen=True)
class Summary:
    """What a build reports, which a build that changes nothing reports again while its window holds."""

    briefs: int = 0
    pages: int = 0
    warnings: tuple[BuildError, ...] = ()
    left_out: int = 0  # briefs of other audiences, embargoed, expired or drafts
    # The span of moments its choice of briefs holds for (embargoes and expiries bound it); None: unbounded.
    since: datetime | None = None
    until: datetime | None = None

    def holds(self, now: datetime) -> bool:
        """Whether a build at `now` would choose the same briefs."""
        return (self.since is None or self.since <= now) and (self.until is None or now < self.until)


@dataclasses.dataclass(frozen=True)
class Entry:
    """What the ledger knows of one output file."""

    fingerprint: bytes
    dependencies: tuple  # keys recorded while rendering
    dependency_digest: bytes
    size: int
    mtime_ns: int


@dataclasses.dataclass(frozen=True)
class Ledger:
    """The last build of one output folder: its inputs, its summary and every file it wrote."""

    inputs: bytes = b""
    files: dict = dataclasses.field(default_factory=dict)  # output path -> Entry
    summary: Summary = Summary()
    related: RelatedRecord | None = None  # its related briefs, for the next build to reuse

    def intact(self, output: Path, path: str) -> bool:
        """Whether the file is still the one this ledger recorded."""
        entry = self.files.get(path)
        try:
            stat = os.stat(f"{output}/{path}", follow_symlinks=False)
        except OSError:
            return False
        return entry is not None and (stat.st_size, stat.st_mtime_ns) == (entry.size, entry.mtime_ns)

    def holds(self, output: Path, path: str, fingerprint: bytes) -> Entry | None:
        """The entry of a file made from inputs with this fingerprint and still as written; else None."""
        entry = self.files.get(path)
        if entry is None or entry.fingerprint != fingerprint or not self.intact(output, path):
            return None
        return entry


def ledger_path(cache_folder: Path, output: Path) -> Path:
    # One ledger per output folder: a site may be built into several.
    name = hashlib.blake2b(str(output.absolute()).encode(), digest_size=8).hexdigest()
    return cache_folder / f"pages-{name}.pickle"


def load_ledger(path: Path, kept: store.Kept | None = None) -> Ledger:
    """The ledger at `path` (from `kept` while it is the file last seen there); an empty one when it is
    missing, damaged or from another version."""
    try:
        inputs, files, summary, related, window = (kept or store).load(path)  # plain data only: no class is allowed
        briefs, pages, warnings, left_out = summary
        since, until = (None if moment is None else datetime.fromisoformat(moment) for moment in window)
        return Ledger(inputs, {p: Entry(*e) for p, e in files.items()},
                      Summary(briefs, pages, tuple(BuildError(*w) for w in warnings), left_out, since, until),
                      _related(related))
    except (ValueError, TypeError, LookupError, AttributeError):
        return Ledger()


def _related(stored: dict) -> RelatedRecord | None:
    # A record of another count of related briefs would be reused wrongly: none.
    if stored.get("count") != RELATED_COUNT:
        return None
    return RelatedRecord(stored["rows"], stored["related"])


def save_ledger(path: Path, ledger: Ledger, kept: store.Kept | None = None) -> None:
    """Store the ledger as plain data, atomically (and in `kept`)."""
    summary, related = ledger.summary, ledger.related
    data = (ledger.inputs,
            {p: (e.fingerprint, e.dependencies, e.dependency_digest, e.size, e.mtime_ns)
             for p, e in ledger.files.items()},
            (summary.briefs, summary.pages,
             tuple((w.path, w.line, w.column, w.message, w.warning) for w in summary.warnings), summary.left_out),
            {"count": RELATED_COUNT, "rows": related.rows, "related": related.related} if related else {},
            tuple(None if moment is None else moment.isoformat() for moment in (summary.since, summary.until)))
    (kept or store).save(path, data)
