"""The pipeline: config -> parse -> index -> render -> write, one call per stage."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from .config.load import load_site_config
from .errors import BuildError, BuildFailed, display, fail_on_errors, shown
from .media.cache import MediaCache, ReadOnlyCache
from .media.files import place_files
from .media.previews import share_images
from .media.site_files import STATIC_DIR, site_file_stats, site_files
from .memory import Memory
from .memory.briefs import CACHE_DIR, PREVIEW_DIR
from .output.folder import claim, locked
from .output.pages import every_brief_pages, make_pages
from .output.render import load_theme, render_site
from .output.search import brief_parts
from .output.search import index_site as search_index
from .output.write import write_site
from .reading.data import load_site_data
from .reading.files import BRIEFS_DIR, read_sources
from .reading.parse import parse_briefs
from .reading.records import DATA_DIR
from .site.audience import Selection, select_briefs
from .site.index import every_brief, index_site


@dataclass(frozen=True)
class Options:
    """What one build is asked to do."""

    source: Path
    output: Path
    drafts: bool = False
    base_url: str | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache: bool = True
    force: bool = False  # replace an output folder that a build did not make
    wait: bool = True  # for another build writing beside the output, else fail at once
    preview: bool = False  # the output is serve's preview folder, the one output allowed in the cache folder
    audience: str | None = None  # the TLP level to build for, instead of site.yml's `audience`
    now: datetime | None = None  # the moment embargoes and expiries are judged at (naive: site time); None: the clock

    def moment(self, config) -> datetime:
        """The build's moment, aware."""
        if self.now is None:
            return datetime.now(UTC)
        return self.now if self.now.tzinfo else self.now.replace(tzinfo=config.tz)


@dataclass(frozen=True)
class Result:
    """What a build did, for the summary line."""

    briefs: int
    pages: int
    seconds: float
    warnings: list[BuildError]
    stages: dict = field(default_factory=dict)
    rendered: int = 0  # pages rendered by this build; the others were unchanged
    left_out: int = 0  # briefs of other audiences, embargoed, expired or drafts
    audience: str = "clear"  # the TLP level built for
    selection: Selection | None = None  # the briefs taken and left out; None when nothing changed


def build_site(options: Options, write: bool = True, progress=None, notice=None) -> Result:
    """Build the site, or with write=False only check it; raises BuildFailed.

    A build holds the lock of the folder its output is in; `notice(line)` hears that it waits for another.
    """
    stage = Stages()
    config, warnings = stage("config", load_site_config, options.source, options.base_url, options.audience)
    require_briefings(options.source)
    if not write:
        return run_pipeline(stage, options, config, warnings, None, progress)
    output = check_output_folder(options)
    with locked(output, options.wait, notice):
        return run_pipeline(stage, options, config, warnings, output, progress)


def run_pipeline(stage: Stages, options: Options, config, warnings, output: Path | None, progress) -> Result:
    """Parse, index, render and (into `output`, unless None) write: every stage after the config."""
    trusted = output is not None and claim(output, options.force)  # the ledger describes a folder a build made
    data, more = stage("config", load_site_data, options.source, config)
    warnings = warnings + more
    memory = Memory(options.source, output or options.output, config, options.cache and output is not None, trusted)
    sources, theme = stage("parse", read_inputs, options, memory)
    own = stage("parse", site_file_stats, options.source)
    now = options.moment(config)
    if last := memory.unchanged(sources.keys, now, options.drafts, options.base_url, repr(config), repr(data),
                                theme.files, sorted(sources.beside.items()), sorted(own.items())):
        return stage.result(*last, audience=config.audience)
    briefs, problems = stage("parse", parse_briefs, sources, config, memory.briefs, options.jobs)
    chosen = stage("select", select_briefs, briefs, config.audience, now, options.drafts)
    chosen, files, broken = stage("media", place_files, chosen, options.source, display(options.source),
                                  sources.beside, config.base_path, media_cache(options, output), options.jobs)
    cards, more = stage("media", share_images, chosen.briefs, config, media_cache(options, output), options.jobs)
    files = files + cards
    site, warnings = stage("index", index_site, chosen, config, warnings + problems + broken + more,
                           memory.related, data)
    reserved = stage("index", every_brief_pages, every_brief(chosen, config, data))
    pages = stage("index", make_pages, site)
    own_files, more = stage("media", publish_site_files, options.source, own, pages, theme.outputs(config.search),
                            files, reserved)
    files, warnings = files + own_files, warnings + more
    draft = stage("render", render_site, site, pages, theme, memory, output, options.jobs, progress, files)
    if output:
        memory.forget()  # a build killed while it writes must not trust the ledger
        search = partial(search_index, parts=brief_parts(site.briefs)) if config.search else None
        left = stage("write", write_site, draft, search and stage.timed("search", search))
        memory.remember(draft.written, (len(chosen.briefs), len(pages), tuple(warnings), len(chosen.left_out)),
                        (chosen.since, chosen.until))
        warnings = warnings + left  # not remembered: a build that changes nothing has nothing left to remove
    return stage.result(len(chosen.briefs), len(pages), warnings, len(chosen.left_out), chosen.audience,
                        draft.pages, chosen)


def media_cache(options: Options, output: Path | None) -> MediaCache:
    """Where published images are remembered across builds; `check` and --no-cache read it but never write."""
    folder = options.source / CACHE_DIR / "media"
    return MediaCache(folder) if options.cache and output is not None else ReadOnlyCache(folder)


def publish_site_files(source: Path, names, pages, assets, files, reserved: dict[str, str]
                       ) -> tuple[list, list[BuildError]]:
    """The site's own files of `static/` and the warnings about them; refused where a page, an asset or a
    brief's file is written, or a page the site has with every brief in it (`reserved`, path -> what)."""
    taken = (reserved | {page.path: page.source for page in pages} | {asset.path: "the theme" for asset in assets}
             | {file.path: f"the brief's file {file.name}" for file in files})
    outputs, errors = site_files(source, display(source), names, taken)
    return outputs, fail_on_errors(errors)


def read_briefs(options: Options):
    """The config and every brief that parses (drafts too), for commands that only read: raises BuildFailed."""
    config, _ = load_site_config(options.source, options.base_url, options.audience)
    require_briefings(options.source)
    memory = Memory(options.source, options.output, config, remembers=False)
    sources = read_sources(options.source, display(options.source), memory.briefs)
    briefs, problems = parse_briefs(sources, config, memory.briefs, options.jobs)
    fail_on_errors(problems)
    return config, briefs


def require_briefings(source: Path) -> None:
    """A site folder holds its briefs in briefings/ (maybe none): without it, --source is likely wrong."""
    if not (source / BRIEFS_DIR).is_dir():
        raise BuildFailed([BuildError(shown(source), 0, 0, f"has no {BRIEFS_DIR}/ folder; create one "
                                      "(even empty), or pass the site folder with --source")])


def read_inputs(options: Options, memory: Memory):
    """The brief files (each with the key of its contents) and the theme."""
    return read_sources(options.source, display(options.source), memory.briefs), load_theme(options.source)


# The site's own folders: a build replaces its output whole, so none of them may be one, forced or not.
SOURCE_FOLDERS = (BRIEFS_DIR, "templates", DATA_DIR, STATIC_DIR, CACHE_DIR)


def check_output_folder(options: Options) -> Path:
    """The output folder (a symbolic link's target), refused when its replacement would destroy the sources."""
    where = shown(options.output)
    try:
        source, output = options.source.resolve(), options.output.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise BuildFailed([BuildError(where, 0, 0, "is a symbolic link that cannot be followed")]) from None
    own = {}
    for folder in SOURCE_FOLDERS:
        try:
            own[folder] = (options.source / folder).resolve()
        except (OSError, RuntimeError):
            raise BuildFailed([BuildError(display(options.source / folder), 0, 0, "is a symbolic link that cannot "
                                          "be followed")]) from None
    if output == source or source.is_relative_to(output) or output == Path.home().resolve():
        message = "the output folder would replace the site's sources; choose another"
        raise BuildFailed([BuildError(where, 0, 0, message)])
    for folder, there in own.items():
        if folder == CACHE_DIR and options.preview and output == (source / PREVIEW_DIR).resolve():
            continue
        if output == there:
            raise BuildFailed([BuildError(where, 0, 0, f"the output folder would replace the site's {folder}/; "
                                                       "choose another")])
        if output.is_relative_to(there):
            raise BuildFailed([BuildError(where, 0, 0, f"the output folder may not be inside {folder}/")])
        if there.is_relative_to(output):  # a source folder linked into the output would go with it
            raise BuildFailed([BuildError(where, 0, 0, f"the output folder holds the site's {folder}/ (a symbolic "
                                                       "link leads there); choose another")])
    if output.exists() and not output.is_dir():
        raise BuildFailed([BuildError(where, 0, 0, "exists and is not a folder")])
    # A link is kept and its target built into: swapping the link itself would leave the target stale.
    return output if options.output.is_symlink() else options.output


class Stages(dict):
    """Seconds spent in each stage of a build, in the order they finished."""

    def __init__(self):
        super().__init__()
        self.started = time.perf_counter()

    def __call__(self, name: str, function, *args):
        """`function(*args)`, its time added to stage `name`."""
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - started

    def timed(self, name: str, function):
        """`function` as a stage of its own, inside another (search inside write)."""
        return lambda *args: self(name, function, *args)

    def result(self, briefs: int, pages: int, warnings, left_out: int, audience: str, rendered: int = 0,
               selection=None) -> Result:
        if "search" in self and "write" in self:  # search ran inside write: count it once
            self["write"] -= self["search"]
        return Result(briefs, pages, time.perf_counter() - self.started, list(warnings), dict(self), rendered,
                      left_out, audience, selection)
