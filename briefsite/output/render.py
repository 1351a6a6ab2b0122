"""Render pages through one Jinja environment: site templates over the default theme."""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import css_inline
import jinja2

from ..config import Config
from ..errors import BuildError, BuildFailed, fail_on_errors, shown
from ..filesystem import TooLarge, not_a_file, read_limited
from ..model.site import Output, Site
from ..parallel import spread
from ..resources import THEME
from ..site import urls
from . import exports, maps
from .page import Page
from .views.common import Item, long_date, variables
from .views.places import coordinates

STATIC = "static"
SEARCH_SCRIPT = "search.js"


@dataclass(frozen=True)
class Theme:
    """The templates and assets a site is rendered with: the site's own folder over the default theme."""

    dirs: list[Path]
    files: list[tuple[str, str, bytes]]  # every file of the template folders, for digests
    assets: dict[str, bytes]  # static files by name

    def outputs(self, search: bool) -> list[Output]:
        """The static assets (the search page's script only with search on) and .nojekyll."""
        outputs = [Output(urls.static(n), data) for n, data in self.assets.items() if search or n != SEARCH_SCRIPT]
        return outputs + [Output(".nojekyll", b"")]


def load_theme(source: Path) -> Theme:
    """The theme of the site folder `source`, read once."""
    dirs = template_dirs(source)
    found = [(d, p) for d in dirs for p in d.rglob("*") if p.exists() and not p.is_dir()]  # a dangling link: none
    odd = [(p, kind) for _, p in found if (kind := not_a_file(p))]
    if odd:  # Jinja would open a named pipe and wait for ever
        fail_on_errors([BuildError(shown(p), 0, 0, f"is {kind}, not a template file") for p, kind in odd])
    try:
        files = sorted((str(d), p.relative_to(d).as_posix(), read_limited(p)) for d, p in found)
        assets = {name: read_limited(path) for name, path in static_files(dirs).items()}
    except TooLarge as exc:  # a template is read whole, and digested with the build's inputs
        raise BuildFailed([BuildError(shown(Path(exc.path)), 0, 0, str(exc))]) from None
    return Theme(dirs, files, assets)


def template_dirs(source: Path) -> list[Path]:
    """Where templates are looked up: the site's own folder first, then the theme."""
    own = source / "templates"
    return [own, THEME] if own.is_dir() and own.resolve() != THEME else [THEME]


def static_files(dirs: list[Path]) -> dict[str, Path]:
    """Static assets by name; a site's own file overrides the theme's."""
    found: dict[str, Path] = {}
    for folder in reversed(dirs):
        root = folder / STATIC
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


class Environment(jinja2.Environment):
    """Jinja's environment, each template's code compiled once a process, not once a build: serve builds again
    and again, and compiling the theme took a third of an edit's rendering. Code is kept in memory by its
    source, names and every setting Jinja's compiler reads, so an edited template is compiled anew and a
    failure is never kept; never on disk, where a planted file could run code."""

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):  # a template already parsed: as Jinja does
            return super().compile(source, name, filename, raw, defer_init)
        key = (source, name, filename, raw, defer_init, _compile_settings(self))
        code = _COMPILED.get(key)
        if code is None:
            if len(_COMPILED) >= COMPILED_KEPT:  # a long serve session of template edits
                _COMPILED.clear()
            code = _COMPILED[key] = super().compile(source, name, filename, raw, defer_init)
        return code


_COMPILED: dict[tuple, object] = {}
COMPILED_KEPT = 256


def _compile_settings(env: jinja2.Environment) -> tuple:
    """What Jinja's compiler reads of an environment besides the source: its syntax (the lexer's settings),
    extensions, autoescape, finalize, async mode and the names of its filters and tests."""
    return (type(env), (
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline),
        tuple(sorted(env.extensions)), env.optimized, env.autoescape, env.finalize, env.is_async,
        env.code_generator_class, tuple(sorted(env.filters)), tuple(sorted(env.tests)))


class Tracking(Environment):
    """An environment that records what templates read beyond their page's view.

    Every `a.b` and `a['b']` in a template goes through getattr/getitem; what
    `track(obj, attribute)` names as a dependency (a term's briefs, a year's months)
    is noted in `reads`.
    """

    reads: set
    track = staticmethod(lambda obj, attribute: None)

    def getattr(self, obj, attribute):
        key = self.track(obj, attribute)
        if key:
            self.reads.add(key)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        if isinstance(argument, str):
            key = self.track(obj, argument)
            if key:
                self.reads.add(key)
        return super().getitem(obj, argument)


def environment(dirs: list[Path], config: Config, fingerprints: dict[str, str], track=None) -> jinja2.Environment:
    """The Jinja environment: autoescape everywhere, undefined names are errors; reads recorded with `track`.

    Its globals are `config` and `links` alone; all else a template shows comes in its page's view.
    """
    env = (Tracking if track else Environment)(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    links = urls.Links(config.base_url, config.base_path, fingerprints)
    env.reads = set()
    if track:
        env.track = track
    env.globals.update(config=config, links=links)
    # Exports keep the spec's key order and readable non-Latin text.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    env.filters.update(
        long_date=long_date, card=cards(env),
        json_feed=partial(exports.json_feed, config, links), news_article=partial(exports.news_article, config, links),
        corrections_feed=partial(exports.corrections_feed, config, links),
        briefs_export=partial(exports.briefs_export, config, links),
        timeline_export=partial(exports.timeline_export, config, links),
        geojson_export=partial(exports.geojson_export, config, links),
        editions_feed=partial(exports.editions_feed, config, links),
        locator=partial(maps.locator, config.base_path), coordinates=coordinates)
    return env


def cards(env: jinja2.Environment):
    """`item | card`: the theme's `brief_item` of a list's item, rendered once per build.

    A brief is listed on the home page, its terms', its periods' and its related briefs' pages alike;
    the macro reads nothing but the item and the globals, so one rendering serves them all.
    """
    made: dict = {}

    def card(item: Item):
        key = (item.brief.path, item.event, item.continuing)
        if key not in made:
            made[key] = env.get_template("_macros.html").module.brief_item(item)
        return made[key]
    return card


EMAIL = "email.html"


class Renderer:
    """Renders pages of one site; every call records what the page read beyond its view."""

    def __init__(self, site: Site, theme: Theme, track=None):
        self.dirs = theme.dirs
        fingerprints = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in theme.assets.items()}
        self.env = environment(self.dirs, site.config, fingerprints, track)

    def render(self, page: Page) -> tuple[bytes, frozenset]:
        """The page's bytes and the dependencies it read; raises TemplateFault, located, if the template fails."""
        self.env.reads = set()
        try:
            template = self.env.get_template(page.template)
            text = template.render(variables(page.context), page_url=page.url)
            if page.template == EMAIL:  # mail clients drop <style>: every element gets its styles inline
                text = css_inline.inline(text)
            data = text.encode("utf-8")
        except (jinja2.TemplateError, ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as exc:
            # A template is code: whatever it raises is reported at its file and line.
            raise _template_error(exc, page, self.dirs) from None
        return data, frozenset(self.env.reads)


class TemplateFault(Exception):
    """A page's template failed; carries the located error."""

    def __init__(self, error: BuildError):
        super().__init__(str(error))
        self.error = error


def _template_error(exc: Exception, page: Page, dirs: list[Path]) -> TemplateFault:
    """Locate a template error at its template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return TemplateFault(BuildError(exc.filename, exc.lineno or 0, 0, f"template syntax error: {exc.message}"))
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateFault(BuildError(page.source, 0, 0, f"template not found: {exc.name}"))
    roots = [str(d.resolve()) for d in dirs]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(frame.filename.startswith(root) for root in roots):
            return TemplateFault(BuildError(frame.filename, frame.lineno or 0, 0,
                                            f"while rendering {page.url or '/'}: {exc}"))
    return TemplateFault(BuildError(page.template, 0, 0, f"while rendering {page.url or '/'}: {exc}"))


def dedupe(errors: list[BuildError]) -> list[BuildError]:
    # A template bug repeats on every page that uses it: report it once.
    seen, unique = set(), []
    for error in errors:
        key = (error.path, error.line, error.message.split(": ", 1)[-1])
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return unique


RENDER_CHUNK = 64  # pages handed to a worker at a time (fewer when there are few, to share them out)
POOL_FROM = 50  # pages: forking a worker costs about as much as rendering a few dozen (an edit renders ~100)
GIVE_UP_AFTER = 20  # failed pages in a chunk: one broken template fails every page alike


def shared_by_pages(site: Site, theme: Theme) -> bytes:
    """What every page depends on: the template files, the settings and what data/ declares (rarely edited:
    a change renders every page). All else a page shows is in its view, fingerprinted page by page."""
    return hashlib.sha256(repr((theme.files, repr(site.config), repr(site.data))).encode()).digest()


@dataclass(frozen=True)
class Rendered:
    """One rendered page: its file in the output, its bytes, and what its template read beyond its context."""

    path: str
    data: bytes
    reads: frozenset


def render_site(*, site: Site, pages: list[Page], theme: Theme, track=None, jobs: int = 1,
                progress=None) -> list[Rendered]:
    """The render stage: every page of `pages`, its reads recorded with `track` (None: not recorded).

    Raises BuildFailed with every template error.
    """
    renderer = Renderer(site, theme, track)
    if progress:
        progress.start(len(pages))
    # Forked workers inherit the site instead of unpickling a copy each; where forking
    # is unsafe, this process renders alone.
    results = spread(_render, (renderer, pages), list(range(len(pages))), jobs,
                     min(RENDER_CHUNK, max(16, len(pages) // (2 * jobs))), progress and progress.advance,
                     fork_only=True, least=POOL_FROM)
    fail_on_errors(dedupe([outcome for outcome in results if isinstance(outcome, BuildError)]))
    return results


def _render(state, numbers: list[int]) -> list:
    renderer, pages = state
    results, failed = [], 0
    for number in numbers:
        try:
            data, reads = renderer.render(pages[number])
        except TemplateFault as fault:
            results.append(fault.error)
            failed += 1
            if failed >= GIVE_UP_AFTER:
                break
            continue
        results.append(Rendered(pages[number].path, data, reads))
    return results
