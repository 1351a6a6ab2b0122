"""Named points where a test may kill the build, to prove what a crash there leaves.

`BRIEFSITE_KILL_AT=name:count` kills this process with SIGKILL the count-th time
(default the first) it reaches point `name`. Unset, a point costs one comparison.
"""

from __future__ import annotations

import os
import signal

_POINT, _, _COUNT = os.environ.get("BRIEFSITE_KILL_AT", "").partition(":")
_left = int(_COUNT or 1)


def point(name: str) -> None:
    """A moment of the build that a test may choose to end with SIGKILL."""
    global _left
    if name == _POINT:
        _left -= 1
        if _left <= 0:
            os.kill(os.getpid(), signal.SIGKILL)
