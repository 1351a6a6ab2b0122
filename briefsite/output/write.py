"""The write stage: a build's files, drafted beside the output, put in place as a whole tree or file by file.

A whole build (the first, or one without a ledger) swaps its complete tree in
with one atomic exchange: readers and a crash see the old site or the new one.
An incremental build moves each changed file over its old version with one
rename: a crash leaves every file whole, old or new, and the next build, which
no longer trusts the ledger, makes a whole new tree.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import faults
from ..errors import BuildError, BuildFailed
from ..site import urls
from ..site.urls import UnsafePath, contained
from .search import BUNDLE

STAGING = ".{name}.staging"
RETIRED = ".{name}.old"
PENDING = ".{name}.pending"
SEARCH = ".{name}.search"


@dataclass(frozen=True)
class Written:
    """One file a build drafted: what it read while rendering, and its size and modification time."""

    reads: frozenset
    reads_digest: bytes
    size: int
    mtime_ns: int


class Draft:
    """A fresh folder beside the output that a build's files are written into (by it or its workers).

    With no output (a check), files are rendered but written nowhere.
    """

    def __init__(self, output: Path | None, in_place: bool = False):
        self.output, self.in_place = output, in_place
        self.root = side_folder(output, PENDING if in_place else STAGING) if output else None
        # A file equal to the one in the output is linked, not rewritten: it keeps its modification time.
        self.previous = output if output and output.is_dir() else None
        self.made: set[Path] = {self.root}
        self.written: dict[str, Written] = {}  # every file drafted, by its path in the output
        self.pages = 0  # how many of them are pages
        self.stale: list[str] = []  # files of the last build this one no longer makes

    def put(self, path: str, data: bytes) -> tuple[int, int]:
        """Write one file; its size and modification time (which survive the later rename)."""
        if self.root is None:
            return len(data), 0
        target = self.root / path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        if not (self.previous and _link_unchanged(self.previous / path, target, data)):
            target.write_bytes(data)
        stat = target.stat()
        return stat.st_size, stat.st_mtime_ns

    def discard(self) -> None:
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)


def write_site(draft: Draft, index: Callable[..., None] | None) -> None:
    """Put the drafted files in place; `index(site[, bundle])` makes the search bundle, None without search."""
    if draft.in_place:
        put_in_place(draft.root, draft.output, list(draft.written), draft.stale)
        if index:
            search_again(draft.output, list(draft.written) + draft.stale, index)
        else:
            shutil.rmtree(draft.output / BUNDLE, ignore_errors=True)
    else:
        swap_in(draft.root, draft.output, finish=index)


def side_folder(output: Path, pattern: str) -> Path:
    """A work folder beside `output` (same file system, so renames are atomic), cleared of leftovers."""
    output = output.absolute()
    for leftover in (STAGING, RETIRED, PENDING, SEARCH):  # from a build that was killed
        shutil.rmtree(output.parent / leftover.format(name=output.name), ignore_errors=True)
    folder = output.parent / pattern.format(name=output.name)
    output.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir()
    return folder


@contextmanager
def writing(output: Path):
    """Turn OSError (disk full, permissions) into a build error naming the output folder."""
    try:
        yield
    except OSError as exc:
        raise BuildFailed([BuildError(str(output.absolute()), 0, 0,
                                      f"cannot write the site: {exc.strerror or exc}")]) from None


def swap_in(staging: Path, output: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Replace `output` with the complete tree in `staging`; readers see the old or the new tree."""
    output = output.absolute()
    retired = output.parent / RETIRED.format(name=output.name)
    shutil.rmtree(retired, ignore_errors=True)
    try:
        with writing(output):
            faults.point("staged")
            if finish:  # e.g. the search index, built over the complete new tree
                finish(staging)
            faults.point("finished")
            _swap(staging, output, retired)
            faults.point("swapped")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)


def put_in_place(pending: Path, output: Path, changed: list[str], stale: list[str]) -> None:
    """Move each changed file from `pending` over its old version (one rename each), then delete stale files."""
    output = output.absolute()
    try:
        with writing(output):
            made: set[Path] = set()
            for path in changed:
                target = _inside(output, path)
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                faults.point("move")
                os.replace(pending / path, target)
            for path in stale:
                faults.point("delete")
                target = _inside(output, path)
                target.unlink(missing_ok=True)
                _prune(target.parent, output)
    finally:
        shutil.rmtree(pending, ignore_errors=True)


def search_again(output: Path, changed: list[str], index: Callable[[Path, Path], None]) -> None:
    """Index the site again when a searchable page changed (or the bundle is gone), and swap the new bundle in."""
    bundle = output / BUNDLE
    if bundle.is_dir() and not any(path.startswith(f"{urls.BRIEFS}/") for path in changed):
        return
    fresh = side_folder(output, SEARCH)
    try:
        index(output, fresh / BUNDLE)
        with writing(output):
            faults.point("bundle")
            replace_folder(fresh / BUNDLE, bundle)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def replace_folder(new: Path, old: Path) -> None:
    """Put folder `new` where `old` is (e.g. a rebuilt search bundle)."""
    retired = old.with_name(f".{old.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        os.rename(old, retired)
    os.rename(new, old)
    shutil.rmtree(retired, ignore_errors=True)


def _inside(output: Path, path: str) -> Path:
    try:
        return contained(output, PurePosixPath(path))
    except UnsafePath as exc:  # a symlink planted in the old output
        raise BuildFailed([BuildError(str(output), 0, 0, str(exc))]) from None


def _prune(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _link_unchanged(old: Path, target: Path, data: bytes) -> bool:
    """Hard-link `old` as `target` when it holds `data`: the file keeps its modification
    time, so rsync and CDNs upload only what changed."""
    try:
        if old.is_symlink() or old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
    except OSError:
        return False
    return True


def _swap(staging: Path, output: Path, retired: Path) -> None:
    """Put `staging` in place of `output` so that readers see the old or the new tree."""
    if not output.exists():
        os.rename(staging, output)
    elif not _exchange(staging, output):
        # No atomic exchange here: two renames, with a moment of no output.
        os.rename(output, retired)
        try:
            os.rename(staging, output)
        except OSError:
            os.rename(retired, output)
            raise
        return
    if staging.exists():  # after an exchange, staging holds the old tree
        os.rename(staging, retired)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories with Linux's renameat2; False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
