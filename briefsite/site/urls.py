"""The one place that maps model objects to URLs and URLs to output files.

A URL here is site-relative ("briefs/x/", "" for home); `Links` adds the
base path for pages, `absolute` the whole base URL for feeds and sitemaps.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..config import TaxonomyConfig
from .model import Brief, Term


def _paged(url: str, page: int) -> str:
    return url if page <= 1 else f"{url}page/{page}/"


def home(page: int = 1) -> str:
    return _paged("", page)


BRIEFS = "briefs"  # the folder of brief pages, the only pages search indexes


def brief(item: Brief) -> str:
    return f"{BRIEFS}/{item.slug}/"


def taxonomy(config: TaxonomyConfig) -> str:
    return f"{config.segment}/"


def term(item: Term, page: int = 1) -> str:
    return _paged(f"{item.taxonomy.segment}/{item.slug}/", page)


def timeline() -> str:
    return "timeline/"


def year(number: int, page: int = 1) -> str:
    return _paged(f"timeline/{number}/", page)


def month(year_number: int, month_number: int, page: int = 1) -> str:
    return _paged(f"timeline/{year_number}/{month_number:02d}/", page)


def feed(item: Term | None = None, kind: str = "xml") -> str:
    """The Atom (kind 'xml') or JSON feed of the site, or of one term."""
    return f"{term(item) if item else ''}feed.{kind}"


def search() -> str:
    return "search/"


def static(name: str) -> str:
    return f"static/{name}"


class UnsafePath(ValueError):
    """A URL that would write outside the output folder."""


def output_file(url: str) -> str:
    """The file, relative to the output folder (POSIX separators), that serves `url`."""
    name = url + "index.html" if url.endswith("/") or not url else url
    parts = name.split("/")
    if any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
        raise UnsafePath(f"unsafe output path {url!r}")
    return name


def contained(root: Path, relative: PurePosixPath) -> Path:
    """`root / relative`, refusing anything that resolves outside `root`."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UnsafePath(f"output path {str(relative)!r} leaves the output folder")
    return target


class Links:
    """URL helpers for templates, bound to the site's base URL."""

    def __init__(self, base_url: str, base_path: str, fingerprints: dict[str, str]):
        self.base_url = base_url
        self.base_path = base_path
        self.fingerprints = fingerprints

    def path(self, url: str) -> str:
        """Root-relative href under the base path, percent-encoded."""
        return self.base_path + quote(url, safe="/#")

    def absolute(self, url: str) -> str:
        return self.base_url + quote(url, safe="/#")

    def asset(self, name: str) -> str:
        """A static file's href, versioned by content so caches never go stale."""
        return f"{self.path(static(name))}?v={self.fingerprints[name]}"

    # Hrefs for templates: links.brief(b), links.term(t, 2), ...
    def home(self, page: int = 1) -> str:
        return self.path(home(page))

    def brief(self, item: Brief) -> str:
        return self.path(brief(item))

    def permalink(self, item: Brief) -> str:
        """The brief's absolute URL: its id in feeds and exports."""
        return self.absolute(brief(item))

    def taxonomy(self, config: TaxonomyConfig) -> str:
        return self.path(taxonomy(config))

    def term(self, item: Term, page: int = 1) -> str:
        return self.path(term(item, page))

    def timeline(self) -> str:
        return self.path(timeline())

    def feed(self, item: Term | None = None, kind: str = "xml") -> str:
        return self.path(feed(item, kind))

    def search(self) -> str:
        return self.path(search())

    def year(self, number: int, page: int = 1) -> str:
        return self.path(year(number, page))

    def month(self, year_number: int, month_number: int, page: int = 1) -> str:
        return self.path(month(year_number, month_number, page))
