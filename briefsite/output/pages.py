"""Decide every page of the site: its URL, template and view. Nothing is rendered here."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from ..errors import BuildError, fail_on_errors
from ..model.brief import MONTH_NAMES
from ..model.site import Site
from ..site import urls
from ..site.entities import alias_urls
from ..site.index import newest_first
from ..site.places import COUNTRIES
from ..values.tlp import marked
from .chart import Chart, monthly
from .editions import edition_pages
from .maps import Atlas
from .page import Page, feed_pages, listing, paginate
from .places import place_pages
from .views.brief import brief_view
from .views.common import Parts, View, joined, parts
from .views.templates import (
    AuthorPage,
    AuthorsPage,
    Correction,
    CorrectionsPage,
    ExportPage,
    IndexPage,
    PeriodPage,
    RedirectPage,
    SearchPage,
    SitemapPage,
    SourcePage,
    SourcesPage,
    TaxonomyPage,
    TermPage,
    TermRow,
    ThreadPage,
    ThreadRow,
    ThreadsPage,
    TimelinePage,
    YearRow,
    month_links,
)


def make_pages(site: Site) -> list[Page]:
    """Every page of the site, in a stable order, each with its file; raises BuildFailed for unsafe
    or colliding paths."""
    made, atlas = parts(site), Atlas(site)
    pages = (_home(made) + _briefs(made) + _taxonomies(made, atlas) + _authors(made) + _threads(made) + _sources(made)
             + place_pages(made, atlas) + _timeline(made, atlas) + edition_pages(made) + _corrections(made)
             + _extras(made))
    sitemap = tuple((p.url, p.context.modified) for p in pages if p.url == "" or p.url.endswith("/"))
    pages.append(Page("sitemap.xml", "sitemap.xml", SitemapPage(locations=sitemap, chrome=made.chrome), "sitemap"))
    return placed(pages + _redirects(made))


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
                alias = page.context.alias
                what = f"old URL '/{page.url}' is the file {path}" if alias is None else \
                    f"alias '{alias}' redirects from /{page.url}, the file {path}"
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


def _home(made: Parts) -> list[Page]:
    site = made.site
    pages = [Page(urls.home(p.number), "index.html", IndexPage(pager=p, chrome=made.chrome, section=""), "home page")
             for p in paginate(made.listed(site.briefs), site.config.page_size, urls.home)]
    if not site.briefs:
        return pages
    feed = made.feed(site.config.title, urls.feed(), urls.feed(kind="json"), urls.home(), site.briefs)
    return pages + feed_pages(feed, "site feed", made)


def _extras(made: Parts) -> list[Page]:
    """Search, data exports and the files static hosts look for."""
    site, chrome = made.site, made.chrome
    filters = [[t.config.name, f"All {t.config.title.lower()}"] for t in site.taxonomies] + [["year", "All years"]]
    if marked(site.config.audience):  # each brief page carries its TLP marking as a filter
        filters.append(["audience", "All markings"])
    if site.sources:  # each brief page carries the sources it cites, and its best source's grade
        filters += [["source", "All sources"], ["grade", "Any grade"]]
    search = SearchPage(filters=filters, total=len(site.briefs), chrome=chrome,
                        filtered_by=", ".join(t.config.title.lower() for t in site.taxonomies),
                        browse=joined((t.config for t in site.taxonomies), last=" or ", going_on=True))
    pages = [Page(urls.search(), "search.html", search, "search page")] if site.config.search else []
    export = ExportPage(entries=tuple(made.entries.values()), threads=site.threads, chrome=chrome)
    return pages + [
        Page("briefs.json", "briefs.json", export, "briefs export"),
        Page("timeline.json", "timeline.json", export, "timeline export"),
        *([Page("briefs.geojson", "briefs.geojson", export, "places export")] if site.places else []),
        Page("404.html", "404.html", View(chrome=chrome), "404 page"),
        Page("robots.txt", "robots.txt", View(chrome=chrome), "robots.txt"),
    ]


def _briefs(made: Parts) -> list[Page]:
    return [Page(urls.brief(brief), "brief.html", brief_view(made, brief), brief.path) for brief in made.site.briefs]


REDIRECT = "redirect.html"


def _redirects(made: Parts) -> list[Page]:
    """A small page at each old URL of a brief (aliases, redirect_from), and at the URL each declared
    alias of an entity would have as a term of its own, pointing to its page."""
    site, chrome = made.site, made.chrome
    pages = [Page(url, REDIRECT, RedirectPage(target=urls.brief(brief), title=brief.title, alias=None, chrome=chrome),
                  brief.path, place=(line, column))
             for brief in site.briefs for url, line, column in brief.aliases]
    places = {(entity.taxonomy, entity.name): entity.place for entity in site.data.entities}
    for taxonomy in site.taxonomies:
        for term in taxonomy.terms:
            file, line, column = places.get((taxonomy.config.name, term.name), ("", 0, 0))
            pages += [Page(urls.term_alias(taxonomy.config, slug), REDIRECT,
                           RedirectPage(target=urls.term(term), title=term.name, alias=alias, chrome=chrome),
                           file, place=(line, column)) for alias, slug in alias_urls(term)]
    return pages


def _taxonomies(made: Parts, atlas: Atlas) -> list[Page]:
    site, chrome, pages = made.site, made.chrome, []
    for taxonomy in site.taxonomies:
        config = taxonomy.config
        most = max((term.count for term in taxonomy.terms), default=0)
        rows = tuple(TermRow(term, term.count, (term.count * 4) // most + 1 if most else 1) for term in taxonomy.terms)
        pages.append(Page(urls.taxonomy(config), "taxonomy.html", TaxonomyPage(
            taxonomy=config, terms=rows, total=len(site.briefs), chrome=chrome, section=config.segment),
            f"taxonomy '{config.name}'"))
        for term in taxonomy.terms:
            figure = atlas.country(term) if config.name == COUNTRIES else None
            pages += listing(made, f"{config.singular.lower()} '{term.name}'", term.name, term, urls.term, urls.feed,
                             term.briefs, made.listed(term.briefs), "term.html",
                             partial(TermPage, taxonomy=config, term=term, chrome=chrome, section=config.segment,
                                     map=figure))
    return pages


def _authors(made: Parts) -> list[Page]:
    """The authors' index and each author's pages and feeds; none when no brief names an author."""
    site, chrome = made.site, made.chrome
    if not site.authors:
        return []
    pages = [Page(urls.authors(), "authors.html", AuthorsPage(authors=site.authors, total=len(site.briefs),
                                                             chrome=chrome), "authors")]
    for author in site.authors:
        pages += listing(made, f"author '{author.name}'", author.name, author, urls.author, urls.author_feed,
                          author.briefs, made.listed(author.briefs), "author.html",
                          partial(AuthorPage, author=author, chrome=chrome))
    return pages


def _threads(made: Parts) -> list[Page]:
    """The threads' index and each thread's pages (first brief first) and feeds (newest first); none
    while no brief of the build is in a thread."""
    site, chrome = made.site, made.chrome
    if not site.threads:
        return []
    rows = tuple(ThreadRow(thread, thread.count, thread.briefs[-1]) for thread in site.threads)
    pages = [Page(urls.threads(), "threads.html", ThreadsPage(threads=rows, chrome=chrome, section="threads"),
                  "threads")]
    size = site.config.list_page_size
    for thread in site.threads:
        pages += listing(made, f"thread '{thread.slug}'", thread.title, thread, urls.thread, urls.thread_feed,
                          newest_first(thread.briefs), made.listed(thread.briefs, dated=True), "thread.html",
                          lambda pager, feed, t=thread: ThreadPage(pager=pager, thread=t, feed=feed, chrome=chrome,
                                                                   start=(pager.number - 1) * size + 1,
                                                                   section="threads"))
    return pages


def _sources(made: Parts) -> list[Page]:
    """The sources' index and each source's pages and feeds (briefs citing it, newest first); none while
    no brief of the build cites one."""
    site, chrome = made.site, made.chrome
    if not site.sources:
        return []
    pages = [Page(urls.sources(), "sources.html", SourcesPage(sources=site.sources, total=len(site.briefs),
                                                             chrome=chrome), "sources")]
    for source in site.sources:
        pages += listing(made, f"source '{source.name}'", source.name, source, urls.source, urls.source_feed,
                          source.briefs, made.listed(source.briefs), "source.html",
                          partial(SourcePage, source=source, chrome=chrome))
    return pages


def corrections_of(made: Parts) -> tuple[Correction, ...]:
    """Every correction of every brief, newest first."""
    found = [Correction(brief, made.entries[brief.slug].marking, update)
             for brief in made.site.briefs for update in brief.updates if update.kind == "correction"]
    return tuple(sorted(found, key=lambda found: (found.update.date, found.brief.slug), reverse=True))


def _corrections(made: Parts) -> list[Page]:
    """The corrections page and its feeds; none while no brief was corrected."""
    found = corrections_of(made)
    if not found:
        return []
    home, chrome, newest = urls.corrections(), made.chrome, found[0].update.date
    newer = CorrectionsPage(corrections=found[: made.site.config.feed_size], home=home, updated=newest, chrome=chrome)
    return [Page(home, "corrections.html", CorrectionsPage(corrections=found, home=home, updated=newest,
                                                            chrome=chrome), "corrections"),
            Page(urls.corrections("xml"), "corrections.xml", newer, "corrections"),
            Page(urls.corrections("json"), "corrections.json", newer, "corrections")]


def _timeline(made: Parts, atlas: Atlas) -> list[Page]:
    site, chrome = made.site, made.chrome
    rows = tuple(YearRow(year.year, year.count, month_links(year)) for year in site.years)
    view = TimelinePage(chart=month_chart(site), years=rows, total=len(site.briefs), chrome=chrome, section="timeline")
    pages = [Page(urls.timeline(), "timeline.html", view, "timeline")]
    size = site.config.list_page_size
    for year in site.years:
        for pager in paginate(made.listed(year.briefs, dated=True), size, lambda n, y=year.year: urls.year(y, n)):
            view = PeriodPage(pager=pager, period=year, heading=str(year.year), year=None, months=month_links(year),
                              chrome=chrome, section="timeline")
            pages.append(Page(urls.year(year.year, pager.number), "period.html", view, f"year {year.year}"))
        for month in year.months:
            heading = f"{MONTH_NAMES[month.month - 1]} {month.year}"
            url_of = lambda n, m=month: urls.month(m.year, m.month, n)  # noqa: E731
            figure = atlas.locator(atlas.places_of(month.briefs), f"Map of the places of {heading}'s briefs")
            for pager in paginate(made.listed(month.briefs, dated=True), size, url_of):
                view = PeriodPage(pager=pager, period=month, heading=heading, year=month.year, months=(),
                                  chrome=chrome, section="timeline", map=figure)
                pages.append(Page(url_of(pager.number), "period.html", view, heading))
    return pages


def month_chart(site: Site) -> Chart | None:
    """The timeline's chart: a bar per month from the first brief's month to the last, empty months included."""
    return monthly({(m.year, m.month): len(m.briefs) for y in site.years for m in y.months}, MONTH_NAMES)
