"""Render pages through one Jinja environment: site templates over the default theme."""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

import jinja2

from . import exports, urls
from .errors import BuildError
from .incremental import dependency_of
from .model import Site
from .pages import MONTHS, Page, by_month

THEME = Path(__file__).resolve().parent.parent / "templates"
STATIC = "static"
SEARCH_SCRIPT = "search.js"


@dataclass(frozen=True)
class Output:
    """A file to write: its path in the output folder, bytes, and what made it."""

    path: PurePosixPath
    data: bytes
    source: str


def template_dirs(source: Path) -> list[Path]:
    """Where templates are looked up: the site's own folder first, then the theme."""
    own = source / "templates"
    return [own, THEME] if own.is_dir() and own.resolve() != THEME else [THEME]


def template_files(dirs: list[Path]) -> list[tuple[str, str, bytes]]:
    """Every file of the template folders (assets included), for digests."""
    return sorted((str(d), p.relative_to(d).as_posix(), p.read_bytes()) for d in dirs for p in d.rglob("*")
                  if p.is_file())


def static_files(dirs: list[Path]) -> dict[str, Path]:
    """Static assets by name; a site's own file overrides the theme's."""
    found: dict[str, Path] = {}
    for folder in reversed(dirs):
        root = folder / STATIC
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


class Tracking(jinja2.Environment):
    """An environment that records what templates read beyond their page's context.

    Every `a.b` and `a['b']` in a template goes through getattr/getitem; reading
    a term's briefs or anything on `site` is noted in `reads` as a dependency.
    """

    reads: set

    def getattr(self, obj, attribute):
        key = dependency_of(obj, attribute)
        if key:
            self.reads.add(key)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        if isinstance(argument, str):
            key = dependency_of(obj, argument)
            if key:
                self.reads.add(key)
        return super().getitem(obj, argument)


def environment(dirs: list[Path], site: Site, fingerprints: dict[str, str]) -> Tracking:
    """The Jinja environment: autoescape everywhere, undefined names are errors."""
    env = Tracking(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    config = site.config
    links = urls.Links(config.base_url, config.base_path, fingerprints)
    env.reads = set()

    def headers(function):
        def read(*args):  # these read every brief's header (not its body): the page depends on them all
            env.reads.add(("site", "headers"))
            return function(*args)
        return read

    env.globals.update(
        site=site, config=config, by_month=by_month, months=MONTHS, links=links,
        has_feed=bool(site.briefs), terms_of=lambda brief: site.terms_of[brief.slug],
        json_feed=partial(exports.json_feed, site, links), feed_content=exports.feed_content,
        briefs_export=headers(partial(exports.briefs_export, site, links)),
        timeline_export=headers(partial(exports.timeline_export, site, links)),
        news_article=partial(exports.news_article, site, links),
    )
    # Exports keep the spec's key order and readable non-Latin text.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    env.filters.update(long_date=long_date, month_name=lambda m: MONTHS[m - 1])
    return env


def long_date(moment) -> str:
    """'27 February 2025', whatever the machine's locale."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


class Renderer:
    """Renders pages of one site; every call records what the page read beyond its context."""

    def __init__(self, site: Site, source: Path):
        self.dirs = template_dirs(source)
        self.assets = {name: path.read_bytes() for name, path in static_files(self.dirs).items()}
        fingerprints = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in self.assets.items()}
        self.env = environment(self.dirs, site, fingerprints)

    def shared_digest(self, templates: list) -> bytes:
        """What every page depends on: the template files (`template_files`), settings and whether there is a feed."""
        return hashlib.sha256(repr((templates, repr(self.env.globals["config"]),
                                    self.env.globals["has_feed"])).encode()).digest()

    def static_outputs(self) -> list[Output]:
        """The static assets (the search page's script only with search on) and .nojekyll."""
        search = self.env.globals["config"].search
        outputs = [Output(PurePosixPath(urls.static(n)), data, f"static file {n}") for n, data in self.assets.items()
                   if search or n != SEARCH_SCRIPT]
        return outputs + [Output(PurePosixPath(".nojekyll"), b"", ".nojekyll")]

    def render(self, page: Page) -> tuple[bytes, frozenset]:
        """The page's bytes and the dependencies it read; raises TemplateFault, located, if the template fails."""
        self.env.reads = set()
        try:
            template = self.env.get_template(page.template)
            data = template.render(page.context, page_url=page.url).encode("utf-8")
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
