"""The process pool: work spread over every core, this process taking a share.

A job is `work(state, items)`, a list of results for a list of items. The state reaches the workers
through the pool's initializer: forked workers inherit it instead of receiving a
pickled copy each, so a whole site costs nothing to hand over.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor

from . import faults

# Below this many items a process pool costs more to start than it saves.
PARALLEL_FROM = 200


def can_fork() -> bool:
    # Forking a process with running threads (`serve`) can leave a child holding a
    # lock no thread will release.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def spread(work, state, items: list, workers: int, chunk: int = 0, progress=None, fork_only: bool = False,
           least: int = PARALLEL_FROM) -> list:
    """work(state, items) over chunks of `items`, on up to `workers` processes; the results in order.

    `chunk` items go to a worker at a time (default: a quarter of an even share); the pool starts
    from `least` items (an image takes as long as a hundred pages).
    With `fork_only`, the work runs here alone where forking is unsafe, instead of
    in a forkserver pool that would have to pickle the state.
    """
    parallel = workers > 1 and len(items) >= least and (can_fork() or not fork_only)
    size = chunk or max(16, len(items) // (workers * 4))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    if not parallel or len(chunks) < 2:
        return [result for part in chunks for result in _advanced(work(state, part), progress)]
    context = multiprocessing.get_context("fork" if can_fork() else "forkserver")
    results: list = [None] * len(chunks)
    # This process takes every `workers`-th chunk instead of waiting: one fewer child is one
    # fewer copy of the inherited site counted in the process tree's memory.
    parent = os.getpid() if context.get_start_method() == "fork" else None  # else the forkserver is
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context,
                             initializer=_adopt, initargs=(work, state, parent)) as pool:
        theirs = {i: pool.submit(_run_adopted, part) for i, part in enumerate(chunks) if i % workers}
        faults.point("pooled")
        for i in range(0, len(chunks), workers):
            results[i] = _advanced(work(state, chunks[i]), progress)
        for i, future in theirs.items():
            results[i] = _advanced(future.result(), progress)
    return [result for part in results for result in part]


def _advanced(results: list, progress) -> list:
    if progress:
        progress(len(results))
    return results


# A worker process's own job (work, state), set once by the pool's initializer when the worker starts,
# so that the state is sent to each worker once rather than with every batch.
_ADOPTED: dict[str, tuple] = {}


def _adopt(work, state, parent: int | None) -> None:
    die_with_parent(parent)
    _ADOPTED["job"] = (work, state)


def _run_adopted(items: list) -> list:
    work, state = _ADOPTED["job"]
    return work(state, items)


_PR_SET_PDEATHSIG = 1
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: a child after fork must not import
except (OSError, AttributeError):  # not Linux
    _prctl = None


def die_with_parent(parent: int | None = None) -> None:
    """In a child process: be killed when the process that started it dies, even by SIGKILL (Linux).

    `parent`, the pid that started this child, closes the race of a parent dying before this call.
    """
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)  # it died before this call: the same end, just sooner
