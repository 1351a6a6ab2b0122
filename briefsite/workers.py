"""Work spread over processes: parsing briefs and rendering pages, on every core."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from .config import Config
from .content import parse_brief
from .errors import BuildError, BuildFailed
from .incremental import Fingerprints
from .render import Renderer, TemplateFault, dedupe
from .write import Folder

# Below this many jobs a process pool costs more to start than it saves.
PARALLEL_FROM = 200
RENDER_CHUNK = 64


def _can_fork() -> bool:
    # Forking a process with running threads (`serve`) can leave a child holding a
    # lock no thread will release.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def spread(work, chunks: list[list], workers: int, context, progress=None) -> list:
    """`work(chunk)` for every chunk, on `workers` processes, this one included; results in chunk order.

    This process takes a share instead of waiting: one fewer child means one fewer copy
    of the inherited site counted in the process tree's memory.
    """
    if workers <= 1 or len(chunks) < 2:
        return [_advanced(work(chunk), len(chunk), progress) for chunk in chunks]
    results: list = [None] * len(chunks)
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
        theirs = {pool.submit(work, chunk): i for i, chunk in enumerate(chunks) if i % workers}
        for i in range(0, len(chunks), workers):
            results[i] = _advanced(work(chunks[i]), len(chunks[i]), progress)
        for future, i in theirs.items():
            results[i] = _advanced(future.result(), len(chunks[i]), progress)
    return results


def _advanced(result, size: int, progress):
    if progress:
        progress(size)
    return result


def parse_all(jobs: list[tuple[str, bytes]], config: Config, workers: int):
    """Parse results of (name, bytes) jobs, in order."""
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        return [parse_brief(name, data, config) for name, data in jobs]
    size = max(16, len(jobs) // (workers * 4))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    context = multiprocessing.get_context("fork" if _can_fork() else "forkserver")
    parsed = spread(partial(_parse_chunk, config=config), chunks, workers, context)
    return [result for chunk in parsed for result in chunk]


def _parse_chunk(jobs: list[tuple[str, bytes]], config: Config) -> list:
    return [parse_brief(name, data, config) for name, data in jobs]


# What forked render workers inherit instead of receiving it pickled.
_RENDERING: tuple = ()


def render_pages(renderer: Renderer, pages, paths, todo: list[int], folder: Folder | None,
                 prints: Fingerprints | None, workers: int, progress=None) -> dict:
    """Render the pages numbered in `todo` into `folder`: {number: (reads, their digest, size, mtime)}."""
    global _RENDERING
    _RENDERING = (renderer, pages, paths, folder, prints)
    chunks = [todo[i:i + RENDER_CHUNK] for i in range(0, len(todo), RENDER_CHUNK)]
    # Workers are forked, so they inherit the site instead of unpickling a copy each; where
    # forking is unsafe, this process renders alone.
    parallel = workers > 1 and len(todo) >= PARALLEL_FROM and _can_fork()
    try:
        results = spread(_render_chunk, chunks, workers if parallel else 1,
                         multiprocessing.get_context("fork") if parallel else None, progress)
    finally:
        _RENDERING = ()
    done, errors = {}, []
    for number, outcome in (item for chunk in results for item in chunk):
        if isinstance(outcome, BuildError):
            errors.append(outcome)
        else:
            done[number] = outcome
    if errors:
        raise BuildFailed(dedupe(errors))
    return done


def _render_chunk(numbers: list[int]) -> list:
    renderer, pages, paths, folder, prints = _RENDERING
    results, failed = [], 0
    for number in numbers:
        try:
            data, reads = renderer.render(pages[number])
        except TemplateFault as fault:
            results.append((number, fault.error))
            failed += 1
            if failed >= 20:  # one broken template fails every page alike
                break
            continue
        size, mtime = folder.put(paths[number], data) if folder else (len(data), 0)
        results.append((number, (reads, prints.dependencies(reads) if prints else b"", size, mtime)))
    return results


