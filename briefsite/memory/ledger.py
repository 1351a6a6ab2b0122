"""The ledger of the last build of one output folder: its inputs, and every file it wrote."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from ..errors import BuildError
from . import store


@dataclasses.dataclass
class Entry:
    """What the ledger knows of one output file."""

    fingerprint: bytes
    dependencies: tuple  # keys recorded while rendering
    dependency_digest: bytes
    size: int
    mtime_ns: int


@dataclasses.dataclass
class Ledger:
    """The last build of one output folder: its inputs and every file it wrote."""

    inputs: bytes = b""
    files: dict = dataclasses.field(default_factory=dict)  # output path -> Entry
    summary: tuple = (0, 0, (), 0)  # briefs, pages, warnings, briefs left out: what a no-op build reports again
    related: dict = dataclasses.field(default_factory=dict)  # related briefs by the site's shape
    window: tuple = (None, None)  # POSIX seconds from and until which its choice of briefs holds (None: unbounded)

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


def load_ledger(path: Path) -> Ledger:
    """The ledger at `path`; an empty one when it is missing, damaged or from another version."""
    try:
        inputs, files, summary, related, window = store.load(path)  # plain data only: no class is allowed
        return Ledger(inputs, {p: Entry(*e) for p, e in files.items()},
                      (summary[0], summary[1], tuple(BuildError(*w) for w in summary[2]), summary[3]), related,
                      tuple(window))
    except (ValueError, TypeError, IndexError, AttributeError):
        return Ledger()


def save_ledger(path: Path, ledger: Ledger) -> None:
    """Store the ledger as plain data, atomically."""
    briefs, pages, warnings, left_out = ledger.summary
    store.save(path, (ledger.inputs,
                      {p: (e.fingerprint, e.dependencies, e.dependency_digest, e.size, e.mtime_ns)
                       for p, e in ledger.files.items()},
                      (briefs, pages, tuple((w.path, w.line, w.column, w.message, w.warning) for w in warnings),
                       left_out),
                      ledger.related, ledger.window))
