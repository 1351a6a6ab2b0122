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


def parse_all(jobs: list[tuple[str, bytes]], config: Config, workers: int):
    """Parse results of (name, bytes) jobs, in order."""
    parse = partial(_parse_one, config=config)
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        return list(map(parse, jobs))
    chunk = max(16, len(jobs) // (workers * 4))
    context = multiprocessing.get_context("fork" if _can_fork() else "forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(parse, jobs, chunksize=chunk))


def _parse_one(job: tuple[str, bytes], config: Config):
    return parse_brief(job[0], job[1], config)


# What forked render workers inherit instead of receiving it pickled.
_RENDERING: tuple = ()


def render_pages(renderer: Renderer, pages, paths, todo: list[int], folder: Folder | None,
                 prints: Fingerprints | None, workers: int, progress=None) -> dict:
    """Render the pages numbered in `todo` into `folder`: {number: (reads, their digest, size, mtime)}."""
    global _RENDERING
    _RENDERING = (renderer, pages, paths, folder, prints)
    chunks = [todo[i:i + RENDER_CHUNK] for i in range(0, len(todo), RENDER_CHUNK)]
    try:
        if workers > 1 and len(todo) >= PARALLEL_FROM and _can_fork():
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                results = list(_progressing(pool.map(_render_chunk, chunks), progress))
        else:
            results = []
            for chunk in _progressing(map(_render_chunk, chunks), progress):
                results.append(chunk)
                if any(isinstance(outcome, BuildError) for _, outcome in chunk):
                    break  # a broken template fails every page alike: one chunk shows it
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


def _progressing(results, progress):
    for chunk in results:
        if progress:
            progress(len(chunk))
        yield chunk


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


