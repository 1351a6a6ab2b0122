"""The pipeline: load -> parse -> index -> render -> write, one call per stage."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .cache import CACHE_DIR, BriefCache
from .config import Config, load_config
from .content import find_briefs, parse_brief
from .errors import BuildError, BuildFailed, fail_on_errors
from .index import build_index, duplicate_slugs, resolve_links
from .model import Brief
from .pages import make_pages
from .render import collisions, render_site
from .search import index_site
from .write import write_site

# Below this many briefs a process pool costs more to start than it saves.
PARALLEL_FROM = 200


@dataclass(frozen=True)
class Options:
    """What one build is asked to do."""

    source: Path
    output: Path
    drafts: bool = False
    base_url: str | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache: bool = True


@dataclass(frozen=True)
class Result:
    """What a build did, for the summary line."""

    briefs: int
    pages: int
    seconds: float
    warnings: list[BuildError]
    stages: dict = field(default_factory=dict)


class Stages(dict):
    """Seconds spent in each stage of a build, in the order they ran."""

    @contextmanager
    def __call__(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - started

    def timed(self, name: str, function):
        def run(*args):
            with self(name):
                return function(*args)
        return run


def build_site(options: Options, write: bool = True, progress=None) -> Result:
    """Build the site, or with write=False only check it; raises BuildFailed."""
    started, stage = time.perf_counter(), Stages()
    with stage("config"):
        config, warnings = load_site_config(options)
    with stage("parse"):
        briefs, warnings = parse_briefs(options, config, warnings)
    with stage("index"):
        site = build_index(briefs, config)
        pages = make_pages(site)
    if progress:
        progress.start(len(pages))
    with stage("render"):
        outputs = render_site(site, pages, options.source, progress and progress.advance)
        fail_on_errors(collisions(outputs))
    if write:
        check_output_folder(options)
        search = stage.timed("search", index_site) if config.search else None
        with stage("write"):
            write_site(outputs, options.output, finish=search)
        if search:
            stage["write"] -= stage["search"]
    return Result(len(briefs), len(pages), time.perf_counter() - started, warnings, stage)


def load_site_config(options: Options) -> tuple[Config, list[BuildError]]:
    """Stage 1: the validated configuration (errors stop the build here)."""
    if not options.source.is_dir():
        raise BuildFailed([BuildError(display(options.source), 0, 0, "site folder not found")])
    config, problems = load_config(options.source, display(options.source), options.base_url)
    return config, fail_on_errors(problems)


def parse_briefs(options: Options, config: Config, warnings: list[BuildError]) -> tuple[list[Brief], list[BuildError]]:
    """Stage 2: every brief file validated and rendered; all errors together."""
    files = find_briefs(options.source)
    prefix = display(options.source)
    names = [f"{prefix}/{p.relative_to(options.source).as_posix()}" if prefix
             else p.relative_to(options.source).as_posix() for p in files]
    jobs = [(name, path.read_bytes()) for name, path in zip(names, files, strict=True)]
    cache = BriefCache(options.source / CACHE_DIR, config) if options.cache else None
    problems = list(warnings)
    briefs = []
    for brief, found in _parse_cached(jobs, config, options.jobs, cache):
        problems += found
        if brief and (options.drafts or not brief.draft):
            briefs.append(brief)
    problems += duplicate_slugs(briefs)
    briefs, broken = resolve_links(briefs, config)
    problems += broken
    if cache:
        cache.save()
    return briefs, fail_on_errors(problems)


def _parse_cached(jobs: list[tuple[str, bytes]], config: Config, workers: int, cache: BriefCache | None):
    """Parse results in file order; from the cache when the file and settings are unchanged."""
    if cache is None:
        return list(_parse_all(jobs, config, workers))
    keys = [cache.key(name, data) for name, data in jobs]
    results = [cache.get(key) for key in keys]
    missing = [i for i, result in enumerate(results) if result is None]
    for i, result in zip(missing, _parse_all([jobs[i] for i in missing], config, workers), strict=True):
        results[i] = result
        cache.put(keys[i], result)
    return results


def _parse_all(jobs: list[tuple[str, bytes]], config: Config, workers: int):
    parse = partial(_parse_one, config=config)
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        return map(parse, jobs)
    chunk = max(16, len(jobs) // (workers * 4))
    # forkserver, not fork: `serve` builds from a process with running threads,
    # and forking those can leave a worker holding a lock no thread will release.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return list(pool.map(parse, jobs, chunksize=chunk))


def _parse_one(job: tuple[str, bytes], config: Config):
    return parse_brief(job[0], job[1], config)


def check_output_folder(options: Options) -> None:
    """Refuse an output folder whose replacement would destroy the sources."""
    source, output = options.source.resolve(), options.output.resolve()
    if output == source or source.is_relative_to(output) or output == Path.home().resolve():
        raise BuildFailed([BuildError(display(options.output) or ".", 0, 0,
                                      "the output folder would replace the site's sources; choose another")])
    for folder in ("briefings", "templates"):
        if output.is_relative_to(source / folder):
            raise BuildFailed([BuildError(display(options.output) or ".", 0, 0,
                                          f"the output folder may not be inside {folder}/")])
    if output.exists() and not output.is_dir():
        raise BuildFailed([BuildError(display(options.output) or ".", 0, 0, "exists and is not a folder")])


def display(path: Path) -> str:
    """How a path is shown in messages: relative to the working folder when inside it."""
    try:
        shown = path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
    return "" if shown == "." else shown
