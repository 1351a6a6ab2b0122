"""Write rendered files: a whole new tree swapped in atomically, or changed files put in place."""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import BuildError, BuildFailed
from .urls import UnsafePath, contained

STAGING = ".{name}.staging"
RETIRED = ".{name}.old"
PENDING = ".{name}.pending"
SEARCH = ".{name}.search"


class Folder:
    """A fresh folder that rendered files are written into (by the build or its workers)."""

    def __init__(self, root: Path, previous: Path | None = None):
        self.root = root
        self.previous = previous  # a file equal to the one here is linked, not rewritten
        self.made: set[Path] = {root}

    def put(self, path: str | PurePosixPath, data: bytes) -> tuple[int, int]:
        """Write one file; its size and modification time (which survive the later rename)."""
        target = self.root / path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        if not (self.previous and _link_unchanged(self.previous / path, target, data)):
            target.write_bytes(data)
        stat = target.stat()
        return stat.st_size, stat.st_mtime_ns


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
            if finish:  # e.g. the search index, built over the complete new tree
                finish(staging)
            _swap(staging, output, retired)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)


def put_in_place(pending: Path, output: Path, changed: Iterable[str | PurePosixPath],
                 stale: Iterable[str | PurePosixPath]) -> None:
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
                os.replace(pending / path, target)
            for path in stale:
                target = _inside(output, path)
                target.unlink(missing_ok=True)
                _prune(target.parent, output)
    finally:
        shutil.rmtree(pending, ignore_errors=True)


def replace_folder(new: Path, old: Path) -> None:
    """Put folder `new` where `old` is (e.g. a rebuilt search bundle)."""
    retired = old.with_name(f".{old.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        os.rename(old, retired)
    os.rename(new, old)
    shutil.rmtree(retired, ignore_errors=True)


def _inside(output: Path, path: PurePosixPath) -> Path:
    try:
        return contained(output, path)
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
