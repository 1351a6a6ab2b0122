"""The pipeline: load -> parse -> index -> render -> write, one call per stage."""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .cache import CACHE_DIR, BriefCache, engine_key
from .config import Config, load_config
from .content import BRIEFS_DIR, find_briefs
from .errors import BuildError, BuildFailed, fail_on_errors
from .incremental import Entry, Fingerprints, Ledger, digest, forget_ledger, ledger_path, load_ledger, save_ledger
from .index import build_index, duplicate_slugs, resolve_links
from .model import Brief
from .pages import Page, make_pages
from .render import Renderer, template_dirs, template_files
from .search import BUNDLE, index_site
from .workers import parse_all, render_pages
from .write import PENDING, SEARCH, STAGING, Folder, put_in_place, replace_folder, side_folder, swap_in, writing


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
    rendered: int = 0  # pages rendered by this build; the others were unchanged


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
    # The ledger of the last build lets this one render and write only what changed.
    ledger_file = ledger_path(options.source / CACHE_DIR, options.output) if write and options.cache else None
    ledger = load_ledger(ledger_file) if ledger_file else Ledger()
    with stage("parse"):
        sources = read_sources(options, config)
        templates = template_files(template_dirs(options.source))
        inputs = digest(engine_key(), options.drafts, options.base_url, repr(config), sources.keys, templates)
        if ledger_file and ledger.inputs == inputs and ledger.files and all(
                ledger.intact(options.output, path) for path in ledger.files):
            briefs, pages, warnings = ledger.summary  # nothing changed since the last build
            return Result(briefs, pages, time.perf_counter() - started, list(warnings), stage)
        briefs, warnings = parse_briefs(sources, config, warnings, options)
    with stage("index"):
        related = dict(ledger.related) if ledger_file else None
        site = build_index(briefs, config, related)
        pages = make_pages(site)
        paths = page_paths(pages)
    if write:
        check_output_folder(options)
    with stage("render"):
        run = Run(options, ledger if ledger_file and options.output.is_dir() else Ledger(), paths)
        renderer = Renderer(site, options.source)
        prints = Fingerprints(site, sources.keys) if ledger_file else None
        if prints:
            shared = digest(engine_key(), renderer.shared_digest(templates))
            run.marks = [prints.page(shared, p.url, p.template, p.context) for p in pages]
        todo = [i for i in range(len(pages)) if not run.unchanged(i, prints)]
        if progress:
            progress.start(len(todo))
        run.render(renderer, pages, todo, prints, write, progress and progress.advance)
    result = Result(len(briefs), len(pages), 0.0, warnings, stage, rendered=len(run.done))
    if not write:
        return result
    with stage("write"):
        entries = run.write(config.search, stage)
    if "search" in stage:
        stage["write"] -= stage["search"]
    if ledger_file:
        save_ledger(ledger_file, Ledger(inputs, entries, (len(briefs), len(pages), tuple(warnings)), related))
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


class Run:
    """One build's rendering and writing: into a new tree, or, with the last build's ledger, in place."""

    def __init__(self, options: Options, ledger: Ledger, paths: list[str]):
        self.options, self.ledger, self.paths = options, ledger, paths
        self.in_place = bool(ledger.files)
        self.marks: list[bytes] = []
        self.folder: Folder | None = None
        self.done: dict = {}
        self.statics: list = []

    def unchanged(self, number: int, prints: Fingerprints | None) -> bool:
        """Whether page `number` on disk is still what it would be rendered as now."""
        entry = self.ledger.holds(self.options.output, self.paths[number], self.marks[number]) if prints else None
        return entry is not None and prints.dependencies(entry.dependencies) == entry.dependency_digest

    def render(self, renderer: Renderer, pages, todo, prints, write: bool, progress) -> None:
        """Render the pages in `todo` and the changed static files into a side folder."""
        output = self.options.output
        if write:
            side = side_folder(output, PENDING if self.in_place else STAGING)
            self.folder = Folder(side, output if output.is_dir() else None)
        try:
            with writing(output):
                self.done = render_pages(renderer, pages, self.paths, todo, self.folder, prints,
                                         self.options.jobs, progress)
                statics = renderer.static_outputs()
                for static in statics:
                    if not self.ledger.holds(output, str(static.path), digest(static.data)):
                        self.statics.append((static, self.folder.put(static.path, static.data) if write else None))
                self.wanted = set(self.paths) | {str(s.path) for s in statics}
        except BaseException:
            if self.folder:
                shutil.rmtree(self.folder.root, ignore_errors=True)
            raise

    def write(self, search: bool, stage: Stages) -> dict:
        """Put the rendered files in place; the ledger entries of the new output."""
        output = self.options.output
        entries = dict(self.ledger.files)
        for number, (reads, reads_digest, size, mtime) in self.done.items():
            mark = self.marks[number] if self.marks else b""
            entries[self.paths[number]] = Entry(mark, tuple(sorted(reads)), reads_digest, size, mtime)
        for static, (size, mtime) in self.statics:
            entries[str(static.path)] = Entry(digest(static.data), (), b"", size, mtime)
        stale = [path for path in entries if path not in self.wanted]  # pages and assets no longer made
        for path in stale:
            del entries[path]
        if not self.in_place:
            swap_in(self.folder.root, output, finish=stage.timed("search", index_site) if search else None)
            return entries
        forget_ledger(ledger_path(self.options.source / CACHE_DIR, output))  # a build killed now must not be trusted
        changed = [self.paths[n] for n in self.done] + [static.path for static, _ in self.statics]
        put_in_place(self.folder.root, output, changed, stale)
        if search:
            search_changed(output, [str(p) for p in changed] + stale, stage)
        else:
            shutil.rmtree(output / BUNDLE, ignore_errors=True)
        return entries


def page_paths(pages: list[Page]) -> list:
    """Each page's file in the output folder, with an error for unsafe paths and for two pages on one path."""
    paths, problems, first = [], [], {}
    for page in pages:
        try:
            path = urls.output_file(page.url)
        except urls.UnsafePath as exc:
            problems.append(BuildError(page.source, 0, 0, str(exc)))
            path = None
        if path in first:
            problems.append(BuildError(page.source, 0, 0, f"writes {path}, which {first[path]} writes too"))
        elif path is not None:
            first[path] = page.source
        paths.append(path)
    fail_on_errors(problems)
    return paths


def search_changed(output: Path, changed: list[str], stage: Stages) -> None:
    """Index the site again when a searchable page changed, and swap the new bundle in."""
    bundle = output / BUNDLE
    if bundle.is_dir() and not any(path.startswith(f"{urls.BRIEFS}/") for path in changed):
        return
    fresh = side_folder(output, SEARCH)
    try:
        with stage("search"):
            index_site(output, fresh / BUNDLE)
        with writing(output):
            replace_folder(fresh / BUNDLE, bundle)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def load_site_config(options: Options) -> tuple[Config, list[BuildError]]:
    """Stage 1: the validated configuration (errors stop the build here)."""
    if not options.source.is_dir():
        raise BuildFailed([BuildError(display(options.source), 0, 0, "site folder not found")])
    config, problems = load_config(options.source, display(options.source), options.base_url)
    return config, fail_on_errors(problems)


@dataclass
class Sources:
    """The brief files of a build: names as shown in messages, and the key of each one's contents."""

    files: dict[str, Path]
    keys: dict[str, bytes]
    cache: BriefCache


def read_sources(options: Options, config: Config) -> Sources:
    """The brief files and their keys; a file whose size and modification time are unchanged is not read."""
    prefix = display(options.source)
    folder = f"{prefix}/{BRIEFS_DIR}/" if prefix else f"{BRIEFS_DIR}/"
    cut = len(str(options.source / BRIEFS_DIR)) + 1  # every file's path starts with the folder's
    files = {folder + str(path)[cut:]: path for path in find_briefs(options.source)}
    cache = BriefCache(options.source / CACHE_DIR if options.cache else None, config)
    return Sources(files, {name: cache.key(name, path) for name, path in files.items()}, cache)


def parse_briefs(sources: Sources, config: Config, warnings: list[BuildError],
                 options: Options) -> tuple[list[Brief], list[BuildError]]:
    """Stage 2: every brief file validated and rendered; all errors together."""
    problems = list(warnings)
    briefs = []
    for brief, found in _parse_cached(sources, config, options.jobs):
        problems += found
        if brief and (options.drafts or not brief.draft):
            briefs.append(brief)
    problems += duplicate_slugs(briefs)
    briefs, broken = resolve_links(briefs, config)
    problems += broken
    sources.cache.save()
    return briefs, fail_on_errors(problems)


def _parse_cached(sources: Sources, config: Config, workers: int):
    """Parse results in file order; from the cache when the file and settings are unchanged."""
    cache = sources.cache
    names = list(sources.files)
    results = [cache.get(sources.keys[name]) for name in names]
    missing = [name for name, result in zip(names, results, strict=True) if result is None]
    jobs = [(name, cache.data(name, sources.files[name])) for name in missing]
    parsed = dict(zip(missing, parse_all(jobs, config, workers), strict=True))
    for name in missing:
        cache.put(sources.keys[name], parsed[name])
    return [result if result is not None else parsed[name] for name, result in zip(names, results, strict=True)]


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
