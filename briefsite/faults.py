"""Named points where a test may break a build, to prove what a crash or a failing disk there leaves.

`BRIEFSITE_FAULT=name:count:kind` acts the count-th time (default the first) this
process reaches point `name`: kind `kill` (the default) ends it with SIGKILL,
`stop` stops it with SIGSTOP (a test resumes it with SIGCONT), and `enospc`,
`edquot`, `erofs` or `eacces` raise that OSError there, as a full disk, a full
quota, a read-only disk or a folder without write permission would.
`BRIEFSITE_KILL_AT=name:count` is `kill` at that point. Tests in this process
call `arm()`. Unset, a point costs one comparison.
"""

from __future__ import annotations

import errno
import os
import signal
from contextlib import contextmanager
from dataclasses import dataclass

ERRORS = {"enospc": errno.ENOSPC, "edquot": errno.EDQUOT, "erofs": errno.EROFS, "eacces": errno.EACCES}
KINDS = {"kill", "stop", *ERRORS}


@dataclass
class Fault:
    """The one fault this process is armed with: at `point`, after `left` more visits, act as `kind`."""

    point: str = ""
    left: int = 0
    kind: str = "kill"


ARMED = Fault()  # this process's, as the environment or a test's arm() sets it


def arm(name: str, count: int = 1, kind: str = "kill") -> None:
    """Break the build the count-th time it reaches point `name`; `arm("")` disarms."""
    if kind not in KINDS:
        raise ValueError(f"unknown fault {kind!r}; expected one of {', '.join(sorted(KINDS))}")
    ARMED.point, ARMED.left, ARMED.kind = name, count, kind


@contextmanager
def armed(name: str, count: int = 1, kind: str = "kill"):
    """`arm` for the length of a with block, then back as before."""
    before = ARMED.point, ARMED.left, ARMED.kind
    arm(name, count, kind)
    try:
        yield
    finally:
        arm(*before)


def _from(text: str) -> None:
    name, _, rest = text.partition(":")
    count, _, kind = rest.partition(":")
    arm(name, int(count or 1), kind or "kill")


_from(os.environ.get("BRIEFSITE_FAULT") or os.environ.get("BRIEFSITE_KILL_AT", ""))


def point(name: str) -> None:
    """A moment of the build that a test may choose to break."""
    if name != ARMED.point or not name:
        return
    ARMED.left -= 1
    if ARMED.left != 0:
        return
    if ARMED.kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif ARMED.kind == "stop":
        os.kill(os.getpid(), signal.SIGSTOP)
    else:
        code = ERRORS[ARMED.kind]
        raise OSError(code, os.strerror(code))
