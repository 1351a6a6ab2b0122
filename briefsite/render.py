"""Render pages through one Jinja environment: site templates over the default theme."""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

import jinja2

from . import exports, urls
from .errors import BuildError, BuildFailed
from .model import Site
from .pages import MONTHS, Page, by_month, site_feed

THEME = Path(__file__).resolve().parent.parent / "templates"
STATIC = "static"


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


def static_files(dirs: list[Path]) -> dict[str, Path]:
    """Static assets by name; a site's own file overrides the theme's."""
    found: dict[str, Path] = {}
    for folder in reversed(dirs):
        root = folder / STATIC
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


def environment(dirs: list[Path], site: Site, fingerprints: dict[str, str]) -> jinja2.Environment:
    """The Jinja environment: autoescape everywhere, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    config = site.config
    links = urls.Links(config.base_url, config.base_path, fingerprints)
    env.globals.update(
        site=site, config=config, by_month=by_month, months=MONTHS, links=links,
        site_feed=site_feed(site),
        json_feed=partial(exports.json_feed, site, links), feed_content=exports.feed_content,
        briefs_export=partial(exports.briefs_export, site, links),
        timeline_export=partial(exports.timeline_export, site, links),
        news_article=partial(exports.news_article, site, links),
    )
    # Exports keep the spec's key order and readable non-Latin text.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    env.filters.update(long_date=long_date, month_name=lambda m: MONTHS[m - 1])
    return env


def long_date(moment) -> str:
    """'27 February 2025', whatever the machine's locale."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def render_site(site: Site, pages: list[Page], source: Path, progress=None) -> list[Output]:
    """Every output file of the site, rendered in memory; raises BuildFailed."""
    dirs = template_dirs(source)
    assets = {name: path.read_bytes() for name, path in static_files(dirs).items()}
    fingerprints = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in assets.items()}
    env = environment(dirs, site, fingerprints)
    outputs = [Output(PurePosixPath(urls.static(n)), data, f"static file {n}") for n, data in assets.items()]
    outputs.append(Output(PurePosixPath(".nojekyll"), b"", ".nojekyll"))
    errors: list[BuildError] = []
    for page in pages:
        try:
            outputs.append(Output(urls.output_file(page.url), _render(env, page), page.source))
        except (jinja2.TemplateError, ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as exc:
            # A template is code: whatever it raises is reported at its file and line.
            errors.append(_template_error(exc, page, dirs))
            if len(errors) >= 20:  # one broken template fails every page alike
                break
        except urls.UnsafePath as exc:
            errors.append(BuildError(page.source, 0, 0, str(exc)))
        if progress:
            progress(1)
    if errors:
        raise BuildFailed(_dedupe(errors))
    return outputs


def _render(env: jinja2.Environment, page: Page) -> bytes:
    template = env.get_template(page.template)
    return template.render(page.context, page_url=page.url).encode("utf-8")


def _template_error(exc: Exception, page: Page, dirs: list[Path]) -> BuildError:
    """Locate a template error at its template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return BuildError(exc.filename, exc.lineno or 0, 0, f"template syntax error: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return BuildError(page.source, 0, 0, f"template not found: {exc.name}")
    roots = [str(d.resolve()) for d in dirs]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(frame.filename.startswith(root) for root in roots):
            return BuildError(frame.filename, frame.lineno or 0, 0, f"while rendering {page.url or '/'}: {exc}")
    return BuildError(page.template, 0, 0, f"while rendering {page.url or '/'}: {exc}")


def _dedupe(errors: list[BuildError]) -> list[BuildError]:
    # A template bug repeats on every page that uses it: report it once.
    seen, unique = set(), []
    for error in errors:
        key = (error.path, error.line, error.message.split(": ", 1)[-1])
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return unique


def collisions(outputs: list[Output]) -> list[BuildError]:
    """An error for each output path that two sources would both write."""
    first: dict[PurePosixPath, str] = {}
    errors = []
    for output in outputs:
        if output.path in first:
            errors.append(BuildError(output.source, 0, 0,
                                     f"writes {output.path}, which {first[output.path]} writes too"))
        first.setdefault(output.path, output.source)
    return errors
