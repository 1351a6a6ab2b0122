"""The one place that maps model objects to URLs and URLs to output files.

A URL here is site-relative ("briefs/x/", "" for home); `Links` adds the
base path for pages, `absolute` the whole base URL for feeds and sitemaps.
The base URL itself is checked here, so that every link made from it stays
on its host.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..config import TaxonomyConfig
from ..model.brief import Brief
from ..model.edition import Edition
from ..model.site import Author, CitedSource, Place, Term, Thread


def _paged(url: str, page: int) -> str:
    return url if page <= 1 else f"{url}page/{page}/"


def home(page: int = 1) -> str:
    return _paged("", page)


BRIEFS = "briefs"  # the folder of brief pages, the only pages search indexes
MARKER = ".briefsite"  # in an output folder a build made
BUNDLE = "pagefind"  # the search bundle's folder
MEDIA = "media"  # the folder of published files: briefs' images and documents, share images


def brief(item: Brief) -> str:
    return f"{BRIEFS}/{item.slug}/"


def share_image(item: Brief) -> str:
    """The brief's share image, beside its page (whose folder name, the slug, always fits the disk)."""
    return f"{brief(item)}share.png"


def taxonomy(config: TaxonomyConfig) -> str:
    return f"{config.segment}/"


def term(item: Term, page: int = 1) -> str:
    return _paged(f"{item.taxonomy.segment}/{item.slug}/", page)


def term_alias(config: TaxonomyConfig, slug: str) -> str:
    """Where a declared alias of an entity would have its term page: a redirect to the entity's."""
    return f"{config.segment}/{slug}/"


def timeline() -> str:
    return "timeline/"


def year(number: int, page: int = 1) -> str:
    return _paged(f"timeline/{number}/", page)


def month(year_number: int, month_number: int, page: int = 1) -> str:
    return _paged(f"timeline/{year_number}/{month_number:02d}/", page)


def feed(item: Term | None = None, kind: str = "xml") -> str:
    """The Atom (kind 'xml') or JSON feed of the site, or of one term."""
    return f"{term(item) if item else ''}feed.{kind}"


class Listing:
    """A reserved segment with an index page and a page per item (an author, a thread, a source), each
    item's briefs with an Atom and a JSON feed: /authors/, /authors/jane-doe/, /authors/jane-doe/feed.xml."""

    def __init__(self, segment: str):
        self.segment = segment

    def index(self) -> str:
        return f"{self.segment}/"

    def page(self, item, page: int = 1) -> str:
        return _paged(f"{self.segment}/{item.slug}/", page)

    def feed(self, item, kind: str = "xml") -> str:
        """The Atom (kind 'xml') or JSON feed of the item's briefs."""
        return f"{self.page(item)}feed.{kind}"


AUTHORS, THREADS, SOURCES = Listing("authors"), Listing("threads"), Listing("sources")  # no taxonomy takes them
PLACES = Listing("places")
authors, author, author_feed = AUTHORS.index, AUTHORS.page, AUTHORS.feed
threads, thread, thread_feed = THREADS.index, THREADS.page, THREADS.feed
sources, source, source_feed = SOURCES.index, SOURCES.page, SOURCES.feed
places, place, place_feed = PLACES.index, PLACES.page, PLACES.feed
MAPS = "maps"  # the base maps pages share, one file per extent: static/ is the theme's


def editions() -> str:
    return "editions/"


def edition(item: Edition, name: str = "") -> str:
    """An edition's page, or a file beside it: 'email.html', 'email.txt', 'edition.pdf'."""
    return f"editions/{item.id}/{name}"


def editions_feed(kind: str = "xml") -> str:
    """The Atom (kind 'xml') or JSON feed of every edition."""
    return f"editions/feed.{kind}"


def world_map() -> str:
    return "map/"


def base_map(key: str) -> str:
    """A base map's file: the countries of one extent, shaded or not, which pages draw their dots over."""
    return f"{MAPS}/{key}.svg"


def search() -> str:
    return "search/"


def corrections(kind: str | None = None) -> str:
    """The page of every correction, or (kind 'xml' or 'json') its feed."""
    return f"corrections/feed.{kind}" if kind else "corrections/"


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


def folders_taken(paths) -> dict[str, str]:
    """Each of the output files `paths` that another needs as a folder -> the first path under it
    (`index.html` -> `index.html/foo.txt`): the file system holds one or the other, never both."""
    under: dict[str, str] = {}
    for path in sorted(paths):
        parts = path.split("/")
        for end in range(1, len(parts)):
            under.setdefault("/".join(parts[:end]), path)
    return {path: under[path] for path in paths if path in under}


def _relative(url: str) -> str:
    # "/x" after a base path of "/" would make "//x": a link to the host "x".
    if url.startswith("/"):
        raise UnsafePath(f"expected a site-relative URL, got {url!r}")
    return url


def contained(root: Path, relative: PurePosixPath) -> Path:
    """`root / relative`, refusing anything that resolves outside `root`."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UnsafePath(f"output path {str(relative)!r} leaves the output folder")
    return target


class Links:
    """URL helpers for templates, bound to the site's base URL."""

    def __init__(self, base_url: str, base_path: str, fingerprints: dict[str, str]):
        if not (base_path.startswith("/") and base_path.endswith("/") and "//" not in base_path
                and base_url.endswith(base_path)):
            raise UnsafePath(f"base path {base_path!r} of {base_url!r} would link off the site")
        self.base_url = base_url
        self.base_path = base_path
        self.fingerprints = fingerprints

    def path(self, url: str) -> str:
        """Root-relative href under the base path, percent-encoded."""
        return self.base_path + quote(_relative(url), safe="/#")

    def absolute(self, url: str) -> str:
        """The absolute URL of a site-relative one, on the base URL's host."""
        return self.base_url + quote(_relative(url), safe="/#")

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

    def share_image(self, item: Brief) -> str:
        """The brief's share image as an absolute URL, as link previews fetch it."""
        return self.absolute(share_image(item))

    def taxonomy(self, config: TaxonomyConfig) -> str:
        return self.path(taxonomy(config))

    def taxonomy_permalink(self, config: TaxonomyConfig) -> str:
        """The taxonomy's page as an absolute URL: the scheme of its terms in feeds."""
        return self.absolute(taxonomy(config))

    def term(self, item: Term, page: int = 1) -> str:
        return self.path(term(item, page))

    def term_permalink(self, item: Term) -> str:
        """The term's page as an absolute URL, for redirects to it."""
        return self.absolute(term(item))

    def timeline(self) -> str:
        return self.path(timeline())

    def feed(self, item: Term | None = None, kind: str = "xml") -> str:
        return self.path(feed(item, kind))

    def search(self) -> str:
        return self.path(search())

    def corrections(self, kind: str | None = None) -> str:
        return self.path(corrections(kind))

    def authors(self) -> str:
        return self.path(authors())

    def author(self, item: Author, page: int = 1) -> str:
        return self.path(author(item, page))

    def author_feed(self, item: Author, kind: str = "xml") -> str:
        return self.path(author_feed(item, kind))

    def author_permalink(self, item: Author) -> str:
        """The author's page as an absolute URL, for feeds and exports."""
        return self.absolute(author(item))

    def threads(self) -> str:
        return self.path(threads())

    def thread(self, item: Thread, page: int = 1) -> str:
        return self.path(thread(item, page))

    def thread_feed(self, item: Thread, kind: str = "xml") -> str:
        return self.path(thread_feed(item, kind))

    def sources(self) -> str:
        return self.path(sources())

    def source(self, item: CitedSource | str, page: int = 1) -> str:
        """A source's page, by the source or its slug (a citation knows only that)."""
        return self.path(_paged(f"{SOURCES.segment}/{item}/", page) if isinstance(item, str) else source(item, page))

    def source_feed(self, item: CitedSource, kind: str = "xml") -> str:
        return self.path(source_feed(item, kind))

    def places(self) -> str:
        return self.path(places())

    def place(self, item: Place, page: int = 1) -> str:
        return self.path(place(item, page))

    def place_feed(self, item: Place, kind: str = "xml") -> str:
        return self.path(place_feed(item, kind))

    def world_map(self) -> str:
        return self.path(world_map())

    def editions(self) -> str:
        return self.path(editions())

    def edition(self, item: Edition, name: str = "") -> str:
        return self.path(edition(item, name))

    def editions_feed(self, kind: str = "xml") -> str:
        return self.path(editions_feed(kind))

    def year(self, number: int, page: int = 1) -> str:
        return self.path(year(number, page))

    def month(self, year_number: int, month_number: int, page: int = 1) -> str:
        return self.path(month(year_number, month_number, page))
