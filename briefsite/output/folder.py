"""The output folder: the marker that proves a build made it, the lock that lets one build at a time write
it, and the work folders beside it.

A build replaces or updates only a folder that is missing, empty, or carries
the marker a build writes into every tree; anything else is someone's files
and is refused unless forced. The lock is held on the folder that holds the
output, where the work folders live: the output itself is swapped away by each
whole build, and a lock file beside it would be left behind by a killed one.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from .. import faults
from ..errors import BuildError, BuildFailed, shown
from ..site.urls import MARKER

STAGING = ".{name}.staging"
RETIRED = ".{name}.old"
PENDING = ".{name}.pending"
SEARCH = ".{name}.search"
WORK_FOLDERS = (STAGING, RETIRED, PENDING, SEARCH)
MARKER_TEXT = b"briefsite built this folder; a build replaces everything in it.\n"



def owned(output: Path) -> bool:
    """Whether a build made `output`: its marker file is there."""
    return (output / MARKER).is_file() and not (output / MARKER).is_symlink()


def mark(tree: Path) -> None:
    """Write the marker into a new tree."""
    faults.point("marker")
    (tree / MARKER).write_bytes(MARKER_TEXT)


def claim(output: Path, force: bool) -> bool:
    """Whether `output` is a previous build's; raises BuildFailed when it holds other files, unless `force`."""
    if owned(output):
        return True
    with writing(output):
        if not output.exists() or force or not any(output.iterdir()):
            return False
    raise BuildFailed([BuildError(shown(output), 0, 0, f"not made by briefsite (there is no {MARKER} file in it) "
                                  "and not empty; choose a new or empty folder, or pass --force to replace "
                                  "everything in it")])


@contextmanager
def locked(output: Path, wait: bool = True, notice=None):
    """Hold the lock of the folder that holds `output` while a build writes; `notice(line)` hears of a wait.

    Without `wait`, a lock held by another build is an error at once.
    """
    folder = output.absolute().parent
    with writing(output):
        folder.mkdir(parents=True, exist_ok=True)
        faults.point("lock")
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        with writing(output):
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise BuildFailed([BuildError(shown(output), 0, 0, f"another build is writing into "
                                                  f"{shown(folder)}/; try again when it has finished, or "
                                                  "leave out --no-wait to wait for it")]) from None
                if notice:
                    notice(f"Waiting for another build writing into {shown(folder)}/ to finish...")
                fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # the lock goes with it, as it does when a build is killed


def beside(output: Path, pattern: str) -> Path:
    output = output.absolute()
    return output.parent / pattern.format(name=output.name)


def clear_leftovers(output: Path) -> None:
    """Remove the work folders a killed build left beside `output`; one that cannot be removed is an error,
    except the retired tree, which a swap then leaves aside (see write.swap_in). A folder of that name that
    no build made (it has no marker) is someone's, and an error: it is never removed."""
    for pattern in WORK_FOLDERS:
        leftover = beside(output, pattern)
        if not os.path.lexists(leftover):
            continue
        if not owned(leftover) and not _empty(leftover):  # empty: killed before its marker was written
            raise BuildFailed([BuildError(shown(leftover), 0, 0, f"is where a build of {shown(output)}/ keeps its "
                                          f"work, but briefsite did not make it (there is no {MARKER} file in "
                                          "it); rename or move it")])
        if (reason := remove(leftover, "clear")) and pattern != RETIRED:
            raise BuildFailed([BuildError(str(leftover), 0, 0, f"left by an earlier build and cannot be removed "
                                                               f"({reason}); remove it by hand")])


def side_folder(output: Path, pattern: str) -> Path:
    """A new work folder beside `output` (same file system, so renames are atomic), marked as a build's."""
    folder = beside(output, pattern)
    folder.parent.mkdir(parents=True, exist_ok=True)
    faults.point("draft")
    folder.mkdir()
    try:
        (folder / MARKER).write_bytes(MARKER_TEXT)  # a killed build's leftover is then known as one
    except BaseException:
        os.rmdir(folder)
        raise
    return folder


def _empty(folder: Path) -> bool:
    """Whether `folder` is a folder (not a link to one) with nothing in it."""
    return folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir())


def remove(folder: Path, fault: str = "") -> str | None:
    """Remove `folder` and everything in it, its marker last: a build killed meanwhile leaves a folder still
    known as a build's, which the next one clears (removed first, the marker left an unknown folder that every
    later build refused). None, or why it could not be removed (what is left keeps its marker)."""
    try:
        faults.point(fault)
        if os.path.islink(folder):
            raise OSError(errno.ENOTDIR, "is a symbolic link, not a folder")
        with os.scandir(folder) as entries:
            for entry in [entry for entry in entries if entry.name != MARKER]:
                faults.point(f"{fault}-inside" if fault else "")
                shutil.rmtree(entry.path) if entry.is_dir(follow_symlinks=False) else os.unlink(entry.path)
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


@contextmanager
def writing(output: Path):
    """Turn OSError (disk full, permissions) into a build error naming the output folder."""
    try:
        yield
    except OSError as exc:
        raise BuildFailed([BuildError(str(output.absolute()), 0, 0,
                                      f"cannot write the site: {exc.strerror or exc}")]) from None
