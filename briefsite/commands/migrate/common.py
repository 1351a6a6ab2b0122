"""What every peer shares: a post as read, the old site, names and URLs, and the migration's report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...reading.files import ENDINGS
from ...values.slugs import slugify

MARKDOWN = ENDINGS  # what a build reads as a brief
OTHER_MARKUP = (".rst", ".html", ".htm", ".textile")
STEM_LENGTH = 80  # a brief's file name makes its slug, and a slug has at most 80 characters


class Problem(Exception):
    """A post cannot be converted: what is wrong, and on which line of its file (0 when unknown)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass
class Post:
    """One peer post as read: its header already in briefsite's terms, its body still the peer's."""

    path: Path
    title: str
    day: date | datetime
    body: str
    body_line: int  # the file's line number of the body's first line
    name: str  # the slug part of the brief's file name
    updated: date | datetime | None = None
    publish_at: date | datetime | None = None  # Hugo's publishDate after its date: an embargo
    expires: date | datetime | None = None  # Hugo's expiryDate
    summary: str | None = None
    slug: str | None = None
    draft: bool = False
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    bundle: Path | None = None  # a Hugo page bundle's folder: every file in it goes with the brief
    url: str | None = None  # where the old site published it (its first old URL), relative links read from it
    image: str | dict | None = None  # the lead image as the peer wrote it: a path, or {file, alt, caption}
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what was repaired) for the summary

    @property
    def stem(self) -> str:
        return f"{self.day.isoformat()[:10]}-{self.name}"


@dataclass(frozen=True)
class Author:
    """What the old site said of an author: the name bylines show and, where known, a bio, role and page."""

    name: str
    bio: str | None = None
    role: str | None = None
    url: str | None = None


@dataclass
class OldSite:
    """What a peer knows of the site its posts come from, beyond each post's own file.

    `url` is the old site's address with its base path (Jekyll's `url` + `baseurl`, Hugo's `baseURL`, or
    `--old-url`): links to its pages that are no post become absolute links there. `roots` are the folders a
    root-relative path such as /assets/x.png is looked for in, first first (Jekyll's site folder; Hugo's
    static/). `hidden` are the name prefixes a site never publishes (Jekyll's `_` and `.`). `authors` maps a
    handle as posts write it to the author, so that a byline reads "Ron Bronson", not "ron-bronson". `base` is
    the base path when the address is unknown (Jekyll's `baseurl` without `url`).
    """

    url: str | None = None
    base: str = ""
    roots: list[Path] = field(default_factory=list)
    hidden: tuple[str, ...] = (".",)
    authors: dict[str, Author] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        """The path every old URL starts with ('/blog'), without its last '/'; '' at the host's root."""
        return urlsplit(self.url).path.rstrip("/") if self.url else self.base.rstrip("/")

    def absolute(self, path: str) -> str | None:
        """The old site's absolute URL of a path from its host's root, or None when its address is unknown."""
        if not self.url:
            return None
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}{path}"


def url_key(url: str) -> str:
    """An old URL as the build keys its redirect (reading/header.py `alias`): '/posts/a' -> 'posts/a/'."""
    path = unquote(url).strip("/")
    if not path.endswith((".html", ".htm")):
        path += "/"
    while "//" in path:
        path = path.replace("//", "/")
    return path


def terms(value, separator: str | None = None) -> list[str]:
    """A peer's list of terms: a list, or text split on `separator` (None: on spaces)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [str(item).strip() for item in value if item is not None]
    elif separator == "," and ";" in str(value):  # Pelican: ';' separates when present
        items = [part.strip() for part in str(value).split(";")]
    else:
        items = [part.strip() for part in str(value).split(separator)]
    return [item for item in items if item]


def outside_link(path: Path, site: Path) -> Path | None:
    """The symbolic link, `path` itself or a folder above it, that takes `path` outside `site`; else None."""
    site = site.resolve()
    if path.resolve().is_relative_to(site):
        return None
    for link in (path, *path.parents):
        if link.is_symlink() and not link.resolve().is_relative_to(site):
            return link
        if link.absolute() == site:
            break
    return path


def text_or_none(value) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def file_slug(text: str) -> str:
    """A valid slug for the brief's file name, short enough that the dated name still makes a slug."""
    slug = slugify(text)
    most = STEM_LENGTH - 11  # "YYYY-MM-DD-"
    if len(slug) > most:
        cut = slug[:most]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or "post"


def url_path(path: str) -> str:
    """An old URL as a path from the site root."""
    path = path.strip()
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", path, flags=re.IGNORECASE)  # an absolute URL's path
    return "/" + path.lstrip("/")


@dataclass
class Report:
    """What a migration did and could not do, for its summary."""

    converted: list[tuple[str, str]] = field(default_factory=list)  # (brief, from file)
    headers: int = 0
    links: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    not_converted: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # a brief whose file name or slug was taken
    old_urls_left_out: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # read as the peer reads it: a date, a YAML slip
    templates: int = 0  # template expressions converted ({{ site.baseurl }}, filters, raw, highlight)
    removed: list[str] = field(default_factory=list)  # hidden on the old site ({% comment %}): never published
    old_site_links: list[str] = field(default_factory=list)  # links to old pages that are no post, now absolute
    missing_files: list[str] = field(default_factory=list)  # referenced, but not in the old site's folder
    authors: list[str] = field(default_factory=list)  # entries added to data/authors.yml
    left_out: list[str] = field(default_factory=list)  # a part of a post the build would refuse, and why
    skipped: list[str] = field(default_factory=list)  # not posts, or posts migrated before: nothing lost
    errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether every post was converted (or had been before) and every file of theirs copied."""
        return not (self.not_converted or self.errors)


def fenced(code: str, language: str = "") -> str:
    """`code` as fenced Markdown code, its fence longer than any run of backticks in it."""
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code}\n{fence}"


def one_line(text: str) -> str:
    """Text on one line, cut short at 100 characters, as the summary quotes it."""
    text = " ".join(text.split())
    return text if len(text) <= 100 else text[:99] + "…"
