"""Decide every page of the site: its URL, template and context. Nothing is rendered here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ..errors import BuildError, fail_on_errors
from ..model.brief import MONTH_NAMES, Brief
from ..model.site import Site
from ..site import urls
from ..site.entities import alias_urls
from ..site.index import newest_first
from ..values.tlp import marked
from .chart import Chart, monthly

MONTHS = MONTH_NAMES


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template makes it, and from what."""

    url: str
    template: str
    context: dict = field(hash=False, compare=False)
    source: str = ""  # what asked for the page, for collision errors
    path: str = ""  # its file in the output folder, set once checked (see `placed`)
    place: tuple[int, int] = (0, 0)  # line and column in `source` that asked for it, when known


@dataclass(frozen=True)
class Feed:
    """The newest briefs of the site or of one term, as Atom and JSON Feed."""

    title: str
    url: str  # the Atom feed; the JSON feed sits beside it
    json_url: str
    home: str  # the page the feed follows
    briefs: tuple[Brief, ...]

    @property
    def updated(self) -> datetime:
        """The newest entry's date: a build time would make the output irreproducible."""
        return max(brief.modified for brief in self.briefs)


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


def by_month(briefs, period=None) -> list[tuple[str, str, list[tuple[Brief, bool]]]]:
    """Consecutive briefs grouped under month headings: (anchor, heading, [(brief, continuing)]).

    A list in filed order groups by each brief's date; a period's page (`period`, a Year or Month)
    by the month the brief is listed under there, `continuing` when its event began before it.
    """
    groups: list[tuple[str, str, list[tuple[Brief, bool]]]] = []
    for brief in briefs:
        year, month = _listed_in(brief, period)
        anchor = f"m{year}-{month:02d}" if month else f"m{year}"
        if not groups or groups[-1][0] != anchor:
            groups.append((anchor, f"{MONTHS[month - 1]} {year}" if month else f"{year}, month not known", []))
        continuing = period is not None and brief.happened < date(year, month or 1, 1)
        groups[-1][2].append((brief, continuing))
    return groups


def _listed_in(brief: Brief, period) -> tuple[int, int]:
    """The (year, month) a brief is listed under: its date's, else in `period` its latest month there (0: none)."""
    if period is None:
        return brief.date.year, brief.date.month
    if hasattr(period, "month"):
        return period.year, period.month
    return period.year, max((m for y, m in brief.months if y == period.year), default=0)


def make_pages(site: Site) -> list[Page]:
    """Every page of the site, in a stable order, each with its file; raises BuildFailed for unsafe
    or colliding paths."""
    pages = (_home(site) + _briefs(site) + _taxonomies(site) + _authors(site) + _threads(site) + _sources(site)
             + _timeline(site) + _corrections(site) + _extras(site))
    sitemap = [(p.url, _lastmod(p)) for p in pages if p.url == "" or p.url.endswith("/")]
    pages.append(Page("sitemap.xml", "sitemap.xml", {"locations": sitemap}, "sitemap"))
    return placed(pages + _redirects(site))


def every_brief_pages(everything: Site | None) -> dict[str, str]:
    """The files of the site as it would be with every brief in it (`everything`; None when the build
    leaves none out), by path, with what writes each; raises BuildFailed for colliding paths.

    Checked in every build, so that an alias on an embargoed or red brief's page, or on a term page only
    it makes, fails today's build, not the unattended one the day that brief enters.
    """
    return {page.path: page.source for page in make_pages(everything)} if everything else {}


def placed(pages: list[Page]) -> list[Page]:
    """The pages with their output files, with an error for unsafe paths and for two pages on one path."""
    result, problems, first = [], [], {}
    for page in pages:
        try:
            path = urls.output_file(page.url)
        except urls.UnsafePath as exc:
            problems.append(BuildError(page.source, 0, 0, str(exc)))
            continue
        if path in first:
            what = f"writes {path}"
            if page.template == REDIRECT:
                what = f"alias '{page.context['alias']}' redirects from /{page.url}, the file {path}" \
                    if "alias" in page.context else f"old URL '/{page.url}' is the file {path}"
            problems.append(BuildError(page.source, *page.place, f"{what}, which {first[path]} writes too"))
            continue
        first[path] = page.source
        result.append(replace(page, path=path))
    by_path = {page.path: page for page in result}
    for path, under in urls.folders_taken(by_path).items():  # blamed on the page needing the folder: often an alias
        page = by_path[under]
        problems.append(BuildError(page.source, *page.place, f"writes {under}, which needs a folder at {path}, where "
                                                             f"{by_path[path].source} writes a file"))
    fail_on_errors(problems)
    return result


def _lastmod(page: Page):
    """When a page's content last changed, from its briefs; None when unknown."""
    if "brief" in page.context:
        return page.context["brief"].modified
    items = page.context["pager"].items if "pager" in page.context else ()
    return max((brief.modified for brief in items), default=None)


def _feed_pages(feed: Feed, source: str) -> list[Page]:
    return [Page(feed.url, "atom.xml", {"feed": feed}, source),
            Page(feed.json_url, "feed.json", {"feed": feed}, source)]


def site_feed(site: Site) -> Feed | None:
    """The feed of the newest briefs; None for a site without briefs."""
    if not site.briefs:
        return None
    return Feed(site.config.title, urls.feed(), urls.feed(kind="json"), urls.home(),
                site.briefs[: site.config.feed_size])


def _home(site: Site) -> list[Page]:
    pagers = paginate(site.briefs, site.config.page_size, urls.home)
    pages = [Page(urls.home(p.number), "index.html", {"pager": p}, "home page") for p in pagers]
    feed = site_feed(site)
    return pages + (_feed_pages(feed, "site feed") if feed else [])


def _extras(site: Site) -> list[Page]:
    """Search, data exports and the files static hosts look for."""
    filters = [[t.config.name, f"All {t.config.title.lower()}"] for t in site.taxonomies] + [["year", "All years"]]
    if marked(site.config.audience):  # each brief page carries its TLP marking as a filter
        filters.append(["audience", "All markings"])
    if site.sources:  # each brief page carries the sources it cites, and its best source's grade
        filters += [["source", "All sources"], ["grade", "Any grade"]]
    search = Page(urls.search(), "search.html", {"filters": filters}, "search page")
    pages = [search] if site.config.search else []
    return pages + [
        Page("briefs.json", "briefs.json", {}, "briefs export"),
        Page("timeline.json", "timeline.json", {}, "timeline export"),
        Page("404.html", "404.html", {}, "404 page"),
        Page("robots.txt", "robots.txt", {}, "robots.txt"),
    ]


def _briefs(site: Site) -> list[Page]:
    pages = []
    for brief in site.briefs:
        context = {"brief": brief, "place": site.placement(brief)}
        pages.append(Page(urls.brief(brief), "brief.html", context, brief.path))
    return pages


REDIRECT = "redirect.html"


def _redirects(site: Site) -> list[Page]:
    """A small page at each old URL of a brief (aliases, redirect_from), and at the URL each declared
    alias of an entity would have as a term of its own, pointing to its page."""
    pages = [Page(url, REDIRECT, {"brief": brief}, brief.path, place=(line, column))
             for brief in site.briefs for url, line, column in brief.aliases]
    places = {(entity.taxonomy, entity.name): entity.place for entity in site.data.entities}
    for taxonomy in site.taxonomies:
        for term in taxonomy.terms:
            file, line, column = places.get((taxonomy.config.name, term.name), ("", 0, 0))
            pages += [Page(urls.term_alias(taxonomy.config, slug), REDIRECT, {"term": term, "alias": alias}, file,
                           place=(line, column)) for alias, slug in alias_urls(term)]
    return pages


def _taxonomies(site: Site) -> list[Page]:
    pages = []
    size = site.config.list_page_size
    for taxonomy in site.taxonomies:
        source = f"taxonomy '{taxonomy.config.name}'"
        pages.append(Page(urls.taxonomy(taxonomy.config), "taxonomy.html", {"taxonomy": taxonomy}, source))
        for term in taxonomy.terms:
            source = f"{taxonomy.config.singular.lower()} '{term.name}'"
            feed = Feed(f"{term.name} — {site.config.title}", urls.feed(term), urls.feed(term, "json"),
                        urls.term(term), term.briefs[: site.config.feed_size])
            for pager in paginate(term.briefs, size, lambda n, t=term: urls.term(t, n)):
                context = {"taxonomy": taxonomy, "term": term, "pager": pager, "feed": feed}
                pages.append(Page(urls.term(term, pager.number), "term.html", context, source))
            pages += _feed_pages(feed, source)
    return pages


def _authors(site: Site) -> list[Page]:
    """The authors' index and each author's pages and feeds; none when no brief names an author."""
    if not site.authors:
        return []
    pages = [Page(urls.authors(), "authors.html", {"authors": site.authors}, "authors")]
    for author in site.authors:
        source = f"author '{author.name}'"
        feed = Feed(f"{author.name} — {site.config.title}", urls.author_feed(author),
                    urls.author_feed(author, "json"), urls.author(author), author.briefs[: site.config.feed_size])
        for pager in paginate(author.briefs, site.config.list_page_size, lambda n, a=author: urls.author(a, n)):
            context = {"author": author, "pager": pager, "feed": feed}
            pages.append(Page(urls.author(author, pager.number), "author.html", context, source))
        pages += _feed_pages(feed, source)
    return pages


def _threads(site: Site) -> list[Page]:
    """The threads' index and each thread's pages (first brief first) and feeds (newest first); none
    while no brief of the build is in a thread."""
    if not site.threads:
        return []
    pages = [Page(urls.threads(), "threads.html", {"threads": site.threads}, "threads")]
    for thread in site.threads:
        source = f"thread '{thread.slug}'"
        feed = Feed(f"{thread.title} — {site.config.title}", urls.thread_feed(thread),
                    urls.thread_feed(thread, "json"), urls.thread(thread),
                    newest_first(thread.briefs)[: site.config.feed_size])
        for pager in paginate(thread.briefs, site.config.list_page_size, lambda n, t=thread: urls.thread(t, n)):
            context = {"thread": thread, "pager": pager, "feed": feed}
            pages.append(Page(urls.thread(thread, pager.number), "thread.html", context, source))
        pages += _feed_pages(feed, source)
    return pages


def _sources(site: Site) -> list[Page]:
    """The sources' index and each source's pages and feeds (briefs citing it, newest first); none while
    no brief of the build cites one."""
    if not site.sources:
        return []
    pages = [Page(urls.sources(), "sources.html", {"sources": site.sources}, "sources")]
    for source in site.sources:
        where = f"source '{source.name}'"
        feed = Feed(f"{source.name} — {site.config.title}", urls.source_feed(source), urls.source_feed(source, "json"),
                    urls.source(source), source.briefs[: site.config.feed_size])
        for pager in paginate(source.briefs, site.config.list_page_size, lambda n, s=source: urls.source(s, n)):
            context = {"source": source, "pager": pager, "feed": feed}
            pages.append(Page(urls.source(source, pager.number), "source.html", context, where))
        pages += _feed_pages(feed, where)
    return pages


def corrections_of(site: Site) -> tuple[tuple[Brief, object], ...]:
    """Every correction of every brief, newest first, with its brief."""
    found = [(brief, update) for brief in site.briefs for update in brief.updates if update.kind == "correction"]
    return tuple(sorted(found, key=lambda pair: (pair[1].date, pair[0].slug), reverse=True))


def _corrections(site: Site) -> list[Page]:
    """The corrections page and its feeds; none while no brief was corrected."""
    found = corrections_of(site)
    if not found:
        return []
    context = {"corrections": found[: site.config.feed_size]}
    return [Page(urls.corrections(), "corrections.html", {"corrections": found}, "corrections"),
            Page(urls.corrections("xml"), "corrections.xml", context, "corrections"),
            Page(urls.corrections("json"), "corrections.json", context, "corrections")]


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


def month_chart(site: Site) -> Chart | None:
    """The timeline's chart: a bar per month from the first brief's month to the last, empty months included."""
    return monthly({(m.year, m.month): len(m.briefs) for y in site.years for m in y.months}, MONTHS)
