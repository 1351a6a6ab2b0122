"""Decide every page of the site: its URL, template and context. Nothing is rendered here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import urls
from .model import Brief, Site

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template makes it, and from what."""

    url: str
    template: str
    context: dict = field(hash=False, compare=False)
    source: str = ""  # what asked for the page, for collision errors


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    number: int
    total: int
    items: tuple
    url_of: Callable[[int], str]

    @property
    def prev(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.total else None


def paginate(items: tuple, size: int, url_of: Callable[[int], str]) -> list[Pager]:
    """Split `items` into pages of `size`; an empty list still has one page."""
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [()]
    return [Pager(n, len(chunks), chunk, url_of) for n, chunk in enumerate(chunks, start=1)]


def by_month(briefs) -> list[tuple[str, str, list[Brief]]]:
    """Consecutive briefs grouped under month headings: (anchor, heading, briefs)."""
    groups: list[tuple[str, str, list[Brief]]] = []
    for brief in briefs:
        anchor = f"m{brief.date.year}-{brief.date.month:02d}"
        if not groups or groups[-1][0] != anchor:
            groups.append((anchor, f"{MONTHS[brief.date.month - 1]} {brief.date.year}", []))
        groups[-1][2].append(brief)
    return groups


def make_pages(site: Site) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages = _home(site) + _briefs(site) + _taxonomies(site) + _timeline(site)
    pages += [Page("404.html", "404.html", {}, "404 page"),
              Page("robots.txt", "robots.txt", {}, "robots.txt")]
    sitemap = [p.url for p in pages if p.url == "" or p.url.endswith("/")]
    pages.append(Page("sitemap.xml", "sitemap.xml", {"locations": sitemap}, "sitemap"))
    return pages


def _home(site: Site) -> list[Page]:
    pagers = paginate(site.briefs, site.config.page_size, urls.home)
    return [Page(urls.home(p.number), "index.html", {"pager": p}, "home page") for p in pagers]


def _briefs(site: Site) -> list[Page]:
    pages = []
    for brief in site.briefs:
        older, newer = site.neighbours[brief.slug]
        context = {"brief": brief, "terms": site.terms_of[brief.slug],
                   "related": site.related[brief.slug], "older": older, "newer": newer}
        pages.append(Page(urls.brief(brief), "brief.html", context, brief.path))
    return pages


def _taxonomies(site: Site) -> list[Page]:
    pages = []
    size = site.config.list_page_size
    for taxonomy in site.taxonomies:
        source = f"taxonomy '{taxonomy.config.name}'"
        pages.append(Page(urls.taxonomy(taxonomy.config), "taxonomy.html", {"taxonomy": taxonomy}, source))
        for term in taxonomy.terms:
            source = f"{taxonomy.config.singular.lower()} '{term.name}'"
            for pager in paginate(term.briefs, size, lambda n, t=term: urls.term(t, n)):
                context = {"taxonomy": taxonomy, "term": term, "pager": pager}
                pages.append(Page(urls.term(term, pager.number), "term.html", context, source))
    return pages


def _timeline(site: Site) -> list[Page]:
    pages = [Page(urls.timeline(), "timeline.html", {"chart": month_chart(site)}, "timeline")]
    size = site.config.list_page_size
    for year in site.years:
        for pager in paginate(year.briefs, size, lambda n, y=year.year: urls.year(y, n)):
            context = {"period": year, "heading": str(year.year), "pager": pager}
            pages.append(Page(urls.year(year.year, pager.number), "period.html", context, f"year {year.year}"))
        for month in year.months:
            heading = f"{MONTHS[month.month - 1]} {month.year}"
            url_of = lambda n, m=month: urls.month(m.year, m.month, n)  # noqa: E731
            for pager in paginate(month.briefs, size, url_of):
                context = {"period": month, "heading": heading, "pager": pager}
                pages.append(Page(url_of(pager.number), "period.html", context, heading))
    return pages


@dataclass(frozen=True)
class Bar:
    """One month in the timeline chart."""

    year: int
    month: int
    count: int
    label: str


def month_chart(site: Site) -> list[Bar]:
    """A bar per month from the first brief's month to the last, empty months included."""
    counts = {(m.year, m.month): len(m.briefs) for y in site.years for m in y.months}
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    bars = []
    while (year, month) <= last:
        count = counts.get((year, month), 0)
        noun = "brief" if count == 1 else "briefs"
        bars.append(Bar(year, month, count, f"{MONTHS[month - 1]} {year}: {count} {noun}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return bars
