"""The write stage: a build's files, staged beside the output, put in place as a whole tree or file by file.

A whole build (the first, or one without a ledger) swaps its complete tree in
with one atomic exchange: readers and a crash see the old site or the new one.
An incremental build moves each changed file over its old version with one
rename, keeping the old one until the end: an error puts every file back, a
crash leaves every file whole, old or new, and the next build, which no longer
trusts the ledger, makes a whole new tree. Every tree carries a marker file,
the proof that a later build may replace the folder.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from stat import S_ISREG
from typing import Protocol

from .. import faults
from ..errors import BuildError, BuildFailed
from ..site import urls
from ..site.urls import BUNDLE, MARKER, UnsafePath, contained
from .folder import (
    MARKER_TEXT,
    PENDING,
    RETIRED,
    SEARCH,
    STAGING,
    beside,
    clear_leftovers,
    mark,
    remove,
    side_folder,
    writing,
)
from .render import Rendered
from .search import searched, split

UNDO = ".undo"  # inside the pending or search folder: the old versions of the files an update replaced


class File(Protocol):
    """A file that no template makes (an asset, a brief's file, a share image): its path, its bytes, and its
    mark: a digest of what decides its bytes, so that a file the ledger shows unchanged is never read."""

    path: str
    data: bytes
    mark: bytes


@dataclass(frozen=True)
class Written:
    """One file a build wrote: what its template read (none for a file no template makes), its size and its
    modification time, as the ledger records them."""

    reads: frozenset
    size: int
    mtime_ns: int


def write_site(*, pages: list[Rendered], files: list[File], output: Path, in_place: bool, stale: list[str],
               ledger: Path | None = None, search: Callable[..., None] | None = None
               ) -> tuple[dict[str, Written], list[BuildError]]:
    """The write stage: `pages` and `files` staged beside `output`, then swapped in as a whole new tree, or
    (`in_place`) moved over their old versions one by one and the `stale` files deleted. `search(folder=,
    bundle=, output=[, changed=])` indexes the new tree before it is in place (with `changed`, only what they
    touch). `ledger`, which describes the output, is dropped before the output changes: a build killed midway
    must not trust it. Returns every file written, by path, and warnings: what could not be removed."""
    staging = Staging(output, in_place)
    try:
        with writing(output):
            written = {page.path: Written(page.reads, *staging.put(page.path, page.data)) for page in pages}
            written |= {file.path: Written(frozenset(), *staging.put(file.path, file.data)) for file in files}
            if not in_place:
                mark(staging.root)
    except BaseException:
        staging.discard()
        raise
    if ledger:
        with suppress(OSError):  # a read-only cache: the ledger it keeps is checked file by file anyway
            ledger.unlink(missing_ok=True)
    if not in_place:
        finish = search and (lambda staging: search(folder=staging, bundle=staging / BUNDLE, output=output))
        return written, swap_in(staging.root, output, finish=finish)
    put_in_place(staging.root, output, list(written), stale,
                 search and (lambda update: update.search(list(written) + stale, search)))
    if not search:
        shutil.rmtree(output / BUNDLE, ignore_errors=True)
    return written, []


class Staging:
    """A fresh folder beside the output that a build's files are written into, before they are put in place."""

    def __init__(self, output: Path, in_place: bool = False):
        with writing(output):
            clear_leftovers(output)
            self.root = side_folder(output, PENDING if in_place else STAGING)
        # A file equal to the one in the output is linked, not rewritten: it keeps its modification time.
        self.previous = output if output.is_dir() else None
        self.made: set[Path] = {self.root}

    def put(self, path: str, data: bytes) -> tuple[int, int]:
        """Write one file; its size and modification time (which survive the later rename)."""
        target = self.root / path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        faults.point("put")
        stat = self.previous and _link_unchanged(os.path.join(self.previous, path), target, data)
        if not stat:
            stat = _write(target, data)
        return stat.st_size, stat.st_mtime_ns

    def discard(self) -> None:
        remove(self.root)


def swap_in(staging: Path, output: Path, finish: Callable[[Path], None] | None = None) -> list[BuildError]:
    """Replace `output` with the complete tree in `staging`; readers see the old or the new tree.

    Returns a warning when the old tree, once replaced, cannot be removed.
    """
    output = output.absolute()
    retired = beside(output, RETIRED)
    try:
        with writing(output):
            faults.point("staged")
            if finish:  # e.g. the search index, built over the complete new tree
                finish(staging)
            faults.point("finished")
            _swap(staging, output, retired)
            faults.point("swapped")
    except BaseException:
        remove(staging)
        raise
    # The new site is in place: what is left to remove is the old one, in `retired` or, when an earlier
    # build left a tree there that could not be removed, still in `staging`.
    reasons = [(folder, remove(folder, "retire")) for folder in (staging, retired) if os.path.lexists(folder)]
    return [BuildError(str(folder), 0, 0, f"the previous site could not be removed ({reason}); "
                                          "the new site is in place: remove this folder by hand", warning=True)
            for folder, reason in reasons if reason]


def put_in_place(pending: Path, output: Path, changed: list[str], stale: list[str],
                 then: Callable[[Replacement], None] | None = None) -> None:
    """Move each changed file from `pending` over its old version (one rename each), delete stale files, then
    `then(update)`; on an error every file is put back as it was."""
    update = Replacement(output.absolute(), pending)
    try:
        with writing(update.output):
            for path in changed:
                faults.point("move")
                update.replace(path)
            for path in stale:
                faults.point("delete")
                update.delete(path)
            if then:
                then(update)
    except BaseException:
        update.undo()
        raise
    finally:
        for folder in update.folders:
            remove(folder, "clean")


class Replacement:
    """The files an incremental build replaced and deleted, with their old versions, to undo on an error."""

    def __init__(self, output: Path, pending: Path):
        self.output, self.pending, self.kept = output, pending, pending / UNDO
        self.folders = [pending]  # work folders, removed at the end
        self.done: list[tuple[str, bool]] = []  # (path, whether its old version is in self.kept)
        self.made: set[Path] = set()

    def replace(self, path: str) -> None:
        target = _inside(self.output, path)
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        self.done.append((path, self._keep(target, path, move=False)))
        os.replace(self.pending / path, target)

    def delete(self, path: str) -> None:
        target = _inside(self.output, path)
        if self._keep(target, path, move=True):
            self.done.append((path, True))
            _prune(target.parent, self.output)

    def search(self, changed: list[str], index: Callable[..., None]) -> None:
        """Index the parts of the site whose pages changed (all when the bundle is gone or of an older layout),
        and swap the new bundle, its other parts linked from the old one, in whole."""
        bundle = self.output / BUNDLE
        changed = [path for path in changed if _brief_page(path) and not self._searched_alike(path)]
        if split(bundle) and not changed:
            return
        fresh = side_folder(self.output, SEARCH)
        self.folders.append(fresh)
        index(folder=self.output, bundle=fresh / BUNDLE, output=self.output, changed=changed)
        if os.path.lexists(self.kept):  # the pending folder's work is done: only the search folder is left beside
            os.rename(self.kept, fresh / UNDO)
        self.kept = fresh / UNDO
        remove(self.pending)
        faults.point("bundle")
        replace_folder(fresh / BUNDLE, bundle, fresh / "old")

    def _searched_alike(self, path: str) -> bool:
        """Whether a replaced page is its old (kept) file, linked as unchanged, or one Pagefind reads alike."""
        new, old = self.output / path, self.kept / path
        try:
            return os.path.samefile(new, old) or searched(new.read_bytes()) == searched(old.read_bytes())
        except OSError:  # deleted, or new: it changed
            return False

    def undo(self) -> None:
        """Put back every file as it was before this update, last change first."""
        for path, kept in reversed(self.done):
            target = self.output / path
            try:
                if kept:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(self.kept / path, target)
                else:
                    target.unlink(missing_ok=True)
                    _prune(target.parent, self.output)
            except OSError:
                continue  # put back what can be; the next build, without a ledger, rebuilds the whole site

    def _keep(self, target: Path, path: str, move: bool) -> bool:
        """Keep the old version of `target` (moved, or linked while the new one replaces it); False if none."""
        if not os.path.lexists(target):
            return False
        kept = self.kept / path
        kept.parent.mkdir(parents=True, exist_ok=True)
        if move:
            os.rename(target, kept)
        else:
            try:
                os.link(target, kept, follow_symlinks=False)
            except OSError:  # a file system without hard links
                shutil.copy2(target, kept, follow_symlinks=False)
        return True


def replace_folder(new: Path, old: Path, retired: Path) -> None:
    """Put folder `new` where `old` is (e.g. a rebuilt search bundle), moving `old` to `retired`."""
    if old.exists():
        os.rename(old, retired)
    try:
        os.rename(new, old)
    except OSError:
        if os.path.lexists(retired):
            os.rename(retired, old)
        raise


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


def _brief_page(path: str) -> bool:
    """Whether `path` is a page the search index reads: only brief pages are indexed."""
    return path.startswith(f"{urls.BRIEFS}/") and path.endswith(".html")


def _link_unchanged(old: str, target: Path, data: bytes) -> os.stat_result | None:
    """Hard-link `old` as `target` when it holds `data`: the file keeps its modification
    time, so rsync and CDNs upload only what changed. Its stat, or None."""
    try:
        stat = os.lstat(old)
        if not S_ISREG(stat.st_mode) or stat.st_size != len(data):
            return None
        with open(old, "rb") as file:
            if file.read() != data:
                return None
        os.link(old, target)
    except OSError:
        return None
    return stat


def _write(target: Path, data: bytes) -> os.stat_result:
    """Write a new file with one open and one write (a page is written by the thousand)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


def _swap(staging: Path, output: Path, retired: Path) -> None:
    """Put `staging` in place of `output` so that readers see the old or the new tree; the old tree goes to
    `retired`, or stays in `staging` when `retired` is taken."""
    if not output.exists():
        os.rename(staging, output)
    elif _exchange(staging, output):
        with suppress(OSError):  # a forced build's old tree, left over if it cannot be removed, is known as one
            (staging / MARKER).write_bytes(MARKER_TEXT)
        with suppress(OSError):  # `retired` is taken: the old tree is removed from `staging`
            os.rename(staging, retired)
    else:  # no atomic exchange here: two renames, with a moment of no output
        if os.path.lexists(retired):
            raise BuildFailed([BuildError(str(retired), 0, 0, "left by an earlier build and cannot be removed; "
                                                              "remove it by hand")])
        os.rename(output, retired)
        try:
            faults.point("rename")
            os.rename(staging, output)
        except OSError:
            os.rename(retired, output)
            raise


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
