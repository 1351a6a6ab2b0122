"""One view per template: its variables, decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from ...config import TaxonomyConfig
from ...model.brief import MONTH_NAMES, Brief, Citation, LeadImage, Update
from ...model.site import Author, CitedSource, Month, Term, TermLink, Thread, Year
from ..chart import Chart
from .common import Entry, Feed, Item, Marking, MonthGroup, Paged, Parts, View, file_size, joined, long_date


@dataclass(frozen=True, kw_only=True)
class IndexPage(Paged):
    """`index.html`: a page of the latest briefs."""

    groups: tuple[MonthGroup, ...]


@dataclass(frozen=True)
class Story:
    """Where a brief stands in its developing story."""

    thread: Thread
    number: int  # from 1, in the order things happened
    count: int


@dataclass(frozen=True)
class Document:
    """A published attachment as a brief's page lists it."""

    url: str
    name: str
    kind: str  # 'PDF'
    size: str  # '240 KB'


@dataclass(frozen=True, kw_only=True)
class BriefPage(View):
    """`brief.html`: one brief and where it stands in the site."""

    entry: Entry  # its marking, terms, authors, citations, as feeds show it too
    brief: Brief
    kicker: Term | None  # shown above the title: its first term
    correction: Update | None  # its latest correction
    story: Story | None
    byline: tuple[tuple[str, Author], ...]  # joined: ('', a), (', ', b), (' and ', c)
    event: str | None  # when it happened, where that is not the day it was filed
    updated_timed: bool  # its `updated` gave a time of day
    figure: LeadImage | None  # the lead image, unless the body shows it
    documents: tuple[Document, ...]
    sources: tuple[tuple[Citation, str], ...]  # each citation with its type and grade: 'wire, B2'
    best_grade: str  # the best reliability among its sources ('A' first), '' when none is graded
    earlier: Brief | None  # in its thread
    later: Brief | None
    older: Brief | None  # in the site
    newer: Brief | None
    related: tuple[Item, ...]
    share_image: bool  # the build draws a share image beside the page
    twitter_card: str  # 'summary_large_image' with an image to show, else 'summary'

    @property
    def modified(self) -> datetime | None:
        return self.brief.modified


def brief_view(made: Parts, brief: Brief) -> BriefPage:
    """The view of `brief`'s page."""
    place, shown = made.site.placement(brief), made.entries[brief.slug]
    thread, image, drawn = place.thread, shown.image, made.share_images
    return BriefPage(
        entry=shown, brief=brief, kicker=place.kicker,
        correction=next((update for update in brief.updates if update.kind == "correction"), None),
        story=Story(thread, made.numbers[brief.slug], thread.count) if thread else None,
        byline=joined(place.authors),
        event=brief.event.label if brief.event and brief.event.label != long_date(brief.filed) else None,
        updated_timed=bool(brief.updated and (brief.updated.hour or brief.updated.minute)),
        figure=image if image and not image.in_body else None,
        documents=tuple(Document(a.url, a.name, a.kind, file_size(a.size)) for a in brief.attachments if a.url),
        sources=tuple((c, ", ".join(part for part in (c.type, c.grade) if part)) for c in place.citations),
        best_grade=min((c.reliability for c in place.citations if c.reliability), default=""),
        earlier=place.earlier, later=place.later, older=place.older, newer=place.newer,
        related=tuple(made.cards[other.slug] for other in place.related),
        share_image=drawn, twitter_card="summary_large_image" if drawn or image else "summary",
        chrome=made.chrome)


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
    groups: tuple[MonthGroup, ...]
    feed: Feed
    also_known_as: str  # its aliases joined: 'A, B and C'; '' for none
    includes: tuple[tuple[str, TermLink], ...]  # its children, joined
    identifiers: tuple[tuple[str, Identifier], ...]  # joined by ' · '


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
    groups: tuple[MonthGroup, ...]
    year: int | None  # a month's page: its year, which it links up to; None on a year's
    months: tuple[MonthLink, ...]  # a year's page: its months, first first; () on a month's


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
    groups: tuple[MonthGroup, ...]
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
    items: tuple[Item, ...]
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
    groups: tuple[MonthGroup, ...]
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
