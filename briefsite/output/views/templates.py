"""The view of each template but `brief.html` (views/brief.py): its variables, decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import quote

from ...config import TaxonomyConfig
from ...model.brief import MONTH_NAMES, Brief, Update
from ...model.site import Author, CitedSource, Month, Term, TermLink, Thread, Year
from ..chart import Chart
from .common import Entry, Feed, Marking, MonthGroup, Paged, View, by_month, joined
from .places import Figure


@dataclass(frozen=True, kw_only=True)
class IndexPage(Paged):
    """`index.html`: a page of the latest briefs."""


@dataclass(frozen=True)
class TermRow:
    """A term in its taxonomy's index, weighted 1 to 5 by its share of the most briefs a term has."""

    term: Term
    count: int
    weight: int


@dataclass(frozen=True, kw_only=True)
class TaxonomyPage(View):
    """`taxonomy.html`: every term of a taxonomy."""

    taxonomy: TaxonomyConfig
    terms: tuple[TermRow, ...]  # by name
    total: int  # briefs in the site


@dataclass(frozen=True)
class Identifier:
    """An id an entity declares, as its page shows it: linked where its kind has a public register."""

    label: str  # 'Wikidata', else the kind as declared
    id: str
    url: str | None


REGISTERS = {"wikidata": ("Wikidata", "https://www.wikidata.org/wiki/")}  # kind -> (label, URL of an id but the id)


def identifier(kind: str, value: str) -> Identifier:
    """How the page shows the id `value` of `kind`."""
    label, register = REGISTERS.get(kind, (kind, None))
    return Identifier(label, value, register and register + quote(value, safe="/"))


@dataclass(frozen=True, kw_only=True)
class TermPage(Paged):
    """`term.html`: a page of one term's briefs, with what data/ declares of it."""

    taxonomy: TaxonomyConfig
    term: Term
    feed: Feed
    map: Figure | None = None  # a country's: the country and the places of its briefs

    @cached_property
    def also_known_as(self) -> str:
        """Its aliases, joined: 'A, B and C'; '' for none."""
        return "".join(before + alias for before, alias in joined(self.term.aliases))

    @cached_property
    def includes(self) -> tuple[tuple[str, TermLink], ...]:
        """Its children, joined."""
        return joined(self.term.children)

    @cached_property
    def identifiers(self) -> tuple[tuple[str, Identifier], ...]:
        """Its ids, joined by ' · '."""
        return joined((identifier(*pair) for pair in self.term.ids), last=" · ", between=" · ")


@dataclass(frozen=True)
class MonthLink:
    """A month of the timeline, linked to its page."""

    year: int
    month: int
    name: str  # 'February'
    count: int


def month_links(year: Year) -> tuple[MonthLink, ...]:
    """The months of `year`, first first."""
    return tuple(MonthLink(m.year, m.month, MONTH_NAMES[m.month - 1], m.count) for m in reversed(year.months))


@dataclass(frozen=True, kw_only=True)
class PeriodPage(Paged):
    """`period.html`: a page of a year's or a month's briefs, by when they happened."""

    period: Year | Month
    heading: str  # '2025', 'February 2025'
    year: int | None  # a month's page: its year, which it links up to; None on a year's
    months: tuple[MonthLink, ...]  # a year's page: its months, first first; () on a month's
    map: Figure | None = None  # a month's: the places of its briefs

    @cached_property
    def groups(self) -> tuple[MonthGroup, ...]:
        """The page's cards under the months they are listed in here: a brief's latest in a year."""
        return by_month(self.pager.items, self.period)


@dataclass(frozen=True)
class YearRow:
    """A year of the timeline with its months, first first."""

    year: int
    count: int
    months: tuple[MonthLink, ...]


@dataclass(frozen=True, kw_only=True)
class TimelinePage(View):
    """`timeline.html`: every year and month, and the chart."""

    chart: Chart | None
    years: tuple[YearRow, ...]  # newest first
    total: int


@dataclass(frozen=True, kw_only=True)
class AuthorsPage(View):
    """`authors.html`: every author."""

    authors: tuple[Author, ...]
    total: int


@dataclass(frozen=True, kw_only=True)
class AuthorPage(Paged):
    """`author.html`: a page of one author's briefs."""

    author: Author
    feed: Feed


@dataclass(frozen=True)
class ThreadRow:
    """A thread in the threads' index, with its latest brief."""

    thread: Thread
    count: int
    latest: Brief


@dataclass(frozen=True, kw_only=True)
class ThreadsPage(View):
    """`threads.html`: every thread, developing ones first."""

    threads: tuple[ThreadRow, ...]


@dataclass(frozen=True, kw_only=True)
class ThreadPage(Paged):
    """`thread.html`: a page of one thread's briefs, first first, numbered through the pages."""

    thread: Thread
    start: int  # the number of the page's first brief
    feed: Feed


@dataclass(frozen=True, kw_only=True)
class SourcesPage(View):
    """`sources.html`: every source cited."""

    sources: tuple[CitedSource, ...]
    total: int


@dataclass(frozen=True, kw_only=True)
class SourcePage(Paged):
    """`source.html`: a page of the briefs citing one source."""

    source: CitedSource
    feed: Feed


@dataclass(frozen=True)
class Correction:
    """A correction of a brief."""

    brief: Brief
    marking: Marking | None
    update: Update


@dataclass(frozen=True, kw_only=True)
class CorrectionsPage(View):
    """`corrections.html` (every correction) and its feeds `corrections.xml`, `corrections.json` (the newest)."""

    corrections: tuple[Correction, ...]  # newest first
    home: str  # the corrections page
    updated: datetime  # the newest correction's


@dataclass(frozen=True, kw_only=True)
class SearchPage(View):
    """`search.html`."""

    filters: list  # [name, label] of each filter, for the script
    total: int
    filtered_by: str  # the taxonomies' titles: 'tags, countries, organizations'
    browse: tuple[tuple[str, TaxonomyConfig], ...]  # the taxonomies, joined after 'by date': ', ' ... ' or '


@dataclass(frozen=True, kw_only=True)
class FeedPage(View):
    """`atom.xml` and `feed.json`: a feed."""

    feed: Feed


@dataclass(frozen=True, kw_only=True)
class ExportPage(View):
    """`briefs.json` and `timeline.json`: every brief (newest first) and thread."""

    entries: tuple[Entry, ...]
    threads: tuple[Thread, ...]


@dataclass(frozen=True, kw_only=True)
class SitemapPage(View):
    """`sitemap.xml`."""

    locations: tuple[tuple[str, datetime | None], ...]  # each page's URL and when it last changed


@dataclass(frozen=True, kw_only=True)
class RedirectPage(View):
    """`redirect.html`: an old URL of a brief, or an entity's alias, pointing to its page."""

    target: str  # the page's URL
    title: str
    alias: str | None  # the alias of an entity; None for a brief's old URL
