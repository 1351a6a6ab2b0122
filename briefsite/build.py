"""The pipeline: config -> read -> parse -> select -> media -> index -> render -> write, each stage once."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from .config import Config
from .config.load import load_site_config
from .errors import BuildError, BuildFailed, fail_on_errors, shown
from .media.cache import MediaCache, ReadOnlyCache
from .media.publish import Media, publish_media
from .media.site_files import STATIC_DIR, site_file_stats, untaken
from .memory import Memory
from .memory.briefs import CACHE_DIR, PREVIEW_DIR, BriefCache
from .memory.ledger import Summary
from .memory.store import Kept
from .model.site import Data, Site
from .output.folder import claim, locked
from .output.maps import Atlas
from .output.page import Page
from .output.pages import every_brief_pages, make_pages
from .output.render import Theme, load_theme, render_site
from .output.search import brief_parts, index_search
from .output.write import File, write_site
from .reading.data import load_site_data
from .reading.files import BRIEFS_DIR, BriefFiles, read_brief_files
from .reading.parse import parse_briefs
from .reading.records import DATA_DIR
from .site.audience import Selection, select_briefs
from .site.index import every_brief, index_site
from .site.related import RelatedRecord


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
class Warm:
    """What a process that builds one site again and again (serve) keeps between its builds."""

    kept: Kept  # the parse cache and ledger it last read or wrote, not read back while their files are those
    search: Callable = index_search  # the search stage; serve's records what to index, and indexes after the reload


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


def build_site(options: Options, write: bool = True, progress=None, notice=None, warm: Warm | None = None) -> Result:
    """Build the site, or with write=False only check it; raises BuildFailed.

    A build holds the lock of the folder its output is in; `notice(line)` hears that it waits for another.
    """
    stage = Stages()
    config, warnings = stage("config", load_site_config, source=options.source, base_url=options.base_url,
                             audience=options.audience)
    if options.preview:  # no link preview reads a local preview: its share images are not drawn
        config = replace(config, share_images=False)
    require_briefings(options.source)
    if not write:
        return run_pipeline(stage, options=options, config=config, warnings=warnings, output=None, progress=progress)
    output = check_output_folder(options)
    with locked(output, options.wait, notice):
        return run_pipeline(stage, options=options, config=config, warnings=warnings, output=output, progress=progress,
                            warm=warm)


def run_pipeline(stage: Stages, *, options: Options, config: Config, warnings: list[BuildError],
                 output: Path | None, progress, warm: Warm | None = None) -> Result:
    """Every stage after the config, each once, writing into `output` (None: a check, written nowhere)."""
    remembers = options.cache and output is not None
    trusted = output is not None and claim(output, options.force)  # the ledger describes a folder a build made
    kept = warm.kept if warm else None
    memory = Memory(options.source, output or options.output, remembers, trusted, kept)
    cache = BriefCache(options.source / CACHE_DIR if remembers else None, config, kept)
    read = stage("read", read_inputs, source=options.source, config=config, cache=cache)
    now = options.moment(config)
    last = memory.skip(briefs=read.briefs.keys, now=now, inputs=(options.drafts, options.base_url, repr(config),
                                                                  *read.compared()))
    if last.unchanged:
        return stage.result(last.unchanged, audience=config.audience)
    briefs, problems = stage("parse", parse_briefs, files=read.briefs, config=config, cache=cache, jobs=options.jobs)
    chosen = stage("select", select_briefs, briefs=briefs, audience=config.audience, now=now, drafts=options.drafts)
    media = stage("media", publish_media, chosen=chosen, source=options.source, beside=read.briefs.beside,
                  static=list(read.static), config=config, cache=media_cache(options, output), jobs=options.jobs)
    index = stage("index", index_pages, media=media, source=options.source, config=config, data=read.data,
                  theme=read.theme, problems=warnings + read.warnings + problems, related=last.related)
    plan = stage("plan", memory.plan, site=index.site, pages=index.pages, files=index.files, theme=read.theme)
    pages = stage("render", render_site, site=index.site, pages=plan.pages, theme=read.theme, track=plan.track,
                  jobs=options.jobs, progress=progress)
    if output is None:  # a check: every page rendered, none written
        return stage.result(index.summary, audience=config.audience, rendered=len(pages), selection=media.chosen)
    search = partial(stage, "search", warm.search if warm else index_search,
                     parts=brief_parts(index.site.briefs)) if config.search else None
    written, left = stage("write", write_site, pages=pages, files=plan.files, output=output, in_place=plan.in_place,
                          stale=plan.stale, ledger=plan.ledger, search=search)
    memory.commit(index.summary, written=written)
    # `left` is not remembered: a build that changes nothing has nothing left to remove.
    return stage.result(index.summary, audience=config.audience, rendered=len(pages), selection=media.chosen,
                        left=left)


@dataclass(frozen=True)
class Inputs:
    """What the read stage found: the brief files (each with the key of its contents), what data/ declares,
    the theme and the files of static/."""

    briefs: BriefFiles
    data: Data
    theme: Theme
    static: dict[str, tuple[int, int]]  # static/'s files: (size, modification time) by path
    warnings: list[BuildError]  # data/'s

    def compared(self) -> tuple:
        """What the no-op check compares of them besides the brief files' keys."""
        return repr(self.data), self.theme.files, sorted(self.briefs.beside.items()), sorted(self.static.items())


def read_inputs(*, source: Path, config: Config, cache: BriefCache) -> Inputs:
    """The read stage: data/, the brief files and their keys (an unchanged file is not read), the theme and
    the files of static/; raises BuildFailed on errors in data/."""
    data, warnings = load_site_data(source, config)
    return Inputs(read_brief_files(source, shown(source), cache), data, load_theme(source), site_file_stats(source),
                  warnings)


@dataclass(frozen=True)
class Index:
    """What the index stage made: the site, its pages, every other file to write, and the build's summary."""

    site: Site
    pages: list[Page]
    files: list[File]  # the theme's assets, the briefs' files, share images and the site's own files
    summary: Summary  # the briefs and pages it has, those left out, the warnings


def index_pages(*, media: Media, source: Path, config: Config, data: Data, theme: Theme, problems: list[BuildError],
                related: RelatedRecord | None) -> Index:
    """The index stage: the site of the chosen briefs and its pages, and the files beside them; raises BuildFailed
    with every problem found so far (`problems`), and for the site's own files refused where a page, an asset or
    a brief's file is written, or a page the site has with every brief in it."""
    site, warnings = index_site(media.chosen, config, problems + media.problems, related, data)
    reserved = every_brief_pages(every_brief(media.chosen, config, data))
    pages = make_pages(site)
    assets = theme.outputs(config.search)
    maps = Atlas(site).files()
    taken = (reserved | {page.path: page.source for page in pages} | {asset.path: "the theme" for asset in assets}
             | {file.path: f"the brief's file {file.name}" for file in media.files}
             | {file.path: "a base map of the site's maps" for file in maps})
    own, refused = untaken(media.site_files, shown(source), taken)
    fail_on_errors(refused)
    chosen = media.chosen
    summary = Summary(len(chosen.briefs), len(pages), tuple(warnings), len(chosen.left_out), chosen.since, chosen.until)
    return Index(site, pages, assets + maps + media.files + own, summary)


def media_cache(options: Options, output: Path | None) -> MediaCache:
    """Where published images are remembered across builds; `check` and --no-cache read it but never write."""
    folder = options.source / CACHE_DIR / "media"
    return MediaCache(folder) if options.cache and output is not None else ReadOnlyCache(folder)


def read_briefs(options: Options):
    """The config and every brief that parses (drafts too), for commands that only read: raises BuildFailed."""
    config, _ = load_site_config(options.source, options.base_url, options.audience)
    require_briefings(options.source)
    cache = BriefCache(None, config)  # remembers nothing
    files = read_brief_files(options.source, shown(options.source), cache)
    briefs, problems = parse_briefs(files, config, cache, options.jobs)
    fail_on_errors(problems)
    return config, briefs


def require_briefings(source: Path) -> None:
    """A site folder holds its briefs in briefings/ (maybe none): without it, --source is likely wrong."""
    if not (source / BRIEFS_DIR).is_dir():
        raise BuildFailed([BuildError(shown(source), 0, 0, f"has no {BRIEFS_DIR}/ folder; create one "
                                      "(even empty), or pass the site folder with --source")])


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
            raise BuildFailed([BuildError(shown(options.source / folder), 0, 0, "is a symbolic link that cannot "
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
    """Seconds spent in each stage of a build, in the order they finished; a stage run inside another
    (search inside write) counted as its own, not in the other's."""

    def __init__(self):
        super().__init__()
        self.started = time.perf_counter()
        self.inner = 0.0  # seconds spent so far in stages run inside the running one

    def __call__(self, name: str, function, /, **arguments):
        """`function(**arguments)`, its time added to stage `name`."""
        started, outer, self.inner = time.perf_counter(), self.inner, 0.0
        try:
            return function(**arguments)
        finally:
            spent = time.perf_counter() - started
            self[name] = self.get(name, 0.0) + spent - self.inner
            self.inner = outer + spent

    def result(self, summary: Summary, *, audience: str, rendered: int = 0, selection: Selection | None = None,
               left: Sequence[BuildError] = ()) -> Result:
        """The build's result: its summary, the warnings `left` by writing, and the time of each stage."""
        return Result(summary.briefs, summary.pages, time.perf_counter() - self.started, [*summary.warnings, *left],
                      dict(self), rendered, summary.left_out, audience, selection)
