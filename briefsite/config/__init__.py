"""The site configuration's schema: everything `site.yml` can say, each key declared once with its default."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

CONFIG_FILE = "site.yml"

# Front-matter keys a taxonomy may not take, and URL segments a taxonomy may
# not use because the site's own pages live there.
BRIEF_KEYS = ("title", "date", "updated", "location", "lang", "summary", "sources", "slug", "draft", "published",
              "aliases", "redirect_from", "author", "authors", "extra", "audience", "publish_at", "expires", "event",
              "updates", "thread", "attachments", "image", "places")
RESERVED_SEGMENTS = ("briefs", "page", "timeline", "static", "search", "pagefind", "feed", "404",
                     "authors", "corrections", "threads", "sources", "media", "map", "places", "maps",
                     "editions")


@dataclass(frozen=True)
class TaxonomyConfig:
    """A way of classifying briefs: its front-matter key, names and URL segment."""

    name: str
    title: str
    singular: str
    segment: str
    split: str | None = None  # a value given as one string is split on this: Jekyll's "a b c"


@dataclass(frozen=True)
class OutputConfig:
    """One named build of `build --all`: the audience it is for, its URL and its folder."""

    name: str
    audience: str
    base_url: str
    output: str  # relative to the site folder


def default_taxonomy(name: str) -> TaxonomyConfig:
    """A taxonomy as site.yml need not describe it: its titles and segment made from its name."""
    title = name.replace("_", " ").capitalize()
    if title.endswith("ies"):
        singular = title[:-3] + "y"
    elif title.endswith(("sses", "ches", "shes", "xes")):
        singular = title[:-2]
    elif title.endswith("s") and not title.endswith("ss"):
        singular = title[:-1]
    else:
        singular = title
    return TaxonomyConfig(name, title, singular, name.replace("_", "-"))


DEFAULT_TAXONOMIES = tuple(default_taxonomy(n) for n in ("tags", "countries", "organizations"))
DEFAULT_EXTENSIONS = ("tables", "footnotes", "attr_list", "smarty", "toc",
                      "fenced_code", "sane_lists", "abbr", "def_list")


def option(default, doc: str):
    """Declare a configuration key with its default and one line of doc."""
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Config:
    """Everything `site.yml` can say; each key declared once, with its default."""

    title: str = option("Briefings", "Site title, in the header and every <title>.")
    description: str = option("", "One sentence about the site, for the home page and meta tags.")
    base_url: str = option("http://127.0.0.1:8000/", "Absolute URL the site is served from; may have a sub-path.")
    language: str = option("en", "Language of the briefs, as a BCP 47 tag.")
    author: str = option("", "Author or desk named in page metadata.")
    timezone: str = option("UTC", "IANA timezone for dates without an offset and for calendar days.")
    taxonomies: tuple = option(DEFAULT_TAXONOMIES, "Taxonomies: name -> {title, singular, segment, split}.")
    page_size: int = option(10, "Briefs per home page.")
    list_page_size: int = option(30, "Briefs per term, year and month page.")
    markdown_extensions: tuple = option(DEFAULT_EXTENSIONS, "Python-Markdown extensions for brief bodies.")
    allow_raw_html: bool = option(False, "Keep raw HTML in briefs instead of sanitising it.")
    feed_size: int = option(50, "Briefs in each Atom and JSON feed.")
    search: bool = option(True, "Build the Pagefind full-text search index and the /search/ page.")
    timeline_group: str = option("", "Taxonomy whose first term groups events in timeline.json; '' for the first.")
    vocabulary: tuple = option((), "Allowed terms per taxonomy: {countries: [China, ...]}; others are errors.")
    max_header_size: int = option(65536, "Most characters in a brief's header, each alias counted as what it repeats.")
    max_body_size: int = option(1048576, "Most characters in a brief's body.")
    max_terms: int = option(200, "Most terms in one brief, all taxonomies together.")
    extra_keys: tuple = option((), "Header keys passed to templates as brief.extra without a warning: [layout, ...].")
    audience: str = option("clear", "TLP level a build is for (clear, green, amber, amber+strict, red); --audience.")
    default_audience: str = option("clear", "TLP level of a brief whose header names none.")
    outputs: tuple = option((), "Named builds for `build --all`: name -> {audience, base_url, output}.")
    share_images: bool = option(True, "Draw each brief's 1200x630 share image for link previews (og:image).")
    editions: tuple = option((), "Editions: daily, weekly, monthly -> {title, group_by}; none by default.")
    unverified_label: str = option("Unverified", "Marker of a brief whose every source is social or graded E or F.")

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/': '/' or '/briefs/'."""
        return urlsplit(self.base_url).path

    @property
    def taxonomy_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.taxonomies)

    @property
    def timeline_taxonomy(self) -> str:
        """The taxonomy that groups timeline.json's events."""
        return self.timeline_group or self.taxonomies[0].name


KEYS = {f.name: f for f in dataclasses.fields(Config)}


def did_you_mean(word: str, choices) -> str:
    """"; did you mean 'x'?" for the closest choice, or ''."""
    # 0.75: close spellings only; 'categories' is not a misspelling of 'countries' (0.63).
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""
