"""What a build may read as a file: a regular file, never a named pipe, socket or device.

Opening a named pipe (FIFO) blocks until something writes to it, so one in the site
folder would hang every build while it holds the output lock; a device or socket is
no content. Each is found by its type before anything opens it.
"""

from __future__ import annotations

import errno
import os
import stat

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def not_a_file(path) -> str | None:
    """None when `path` (its target, for a symbolic link) is a regular file; else what it is, e.g.
    "a named pipe (FIFO)", "a symbolic link to nothing", or "missing"."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if os.path.islink(path) else "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return _kind(mode)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


# The most a settings, data or template file may hold: far beyond any real one, and a bound on what is read.
MAX_TEXT_FILE = 16_000_000


class TooLarge(Exception):
    """A file larger than what may be read of it; the message says both sizes."""

    def __init__(self, size: int, limit: int, path=""):
        super().__init__(f"is {megabytes(size)}, more than the {megabytes(limit)} allowed")
        self.path = str(path)


def read_limited(path, limit: int = MAX_TEXT_FILE) -> bytes:
    """The bytes of the regular file `path`, if at most `limit`; TooLarge (from its size, before it is read)
    or OSError. Opened without waiting, so a named pipe put in its place meanwhile cannot hang the build."""
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as file:
        status = os.fstat(file.fileno())
        if kind := _kind(status.st_mode):
            raise OSError(errno.EINVAL, f"it is {kind}, not a file", str(path))
        if status.st_size > limit:
            raise TooLarge(status.st_size, limit, path)
        data = file.read(limit + 1)  # it may have grown since
    if len(data) > limit:
        raise TooLarge(len(data), limit, path)
    return data


def megabytes(size: int) -> str:
    """A file's size as a reader says it: "2,147 MB", "100 MB", "5 KB", "480 bytes"."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:,.0f} MB"
    return f"{round(size / 1000)} KB" if size >= 1000 else f"{size} bytes"
