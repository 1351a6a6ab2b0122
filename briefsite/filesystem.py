"""What a build may read as a file: a regular file, never a named pipe, socket or device.

Opening a named pipe (FIFO) blocks until something writes to it, so one in the site
folder would hang every build while it holds the output lock; a device or socket is
no content. Each is found by its type before anything opens it.
"""

from __future__ import annotations

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
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")

