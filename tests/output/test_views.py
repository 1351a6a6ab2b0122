"""The views templates get: everything a page shows decided in Python, and nothing else reachable."""

from __future__ import annotations

import dataclasses

import jinja2
import pytest

from briefsite.config import Config
from briefsite.config.load import load_site_config
from briefsite.memory.fingerprints import CONTAINERS, Fingerprints, dependency_of
from briefsite.model.site import Site
from briefsite.output import render
from briefsite.output.pages import make_pages
from briefsite.output.views.common import View, joined, variables
from briefsite.reading.brief import parse_brief
from briefsite.reading.data import load_site_data
from briefsite.resources import THEME
from briefsite.site.index import build_index

from conftest import brief_text

DATA = {
    "data/threads.yml": "story:\n  title: The story\n  status: developing\n",
    "data/sources.yml": "- {name: Wire, type: wire, reliability: C}\n- {name: Chat, type: social, reliability: F}\n"
                        "- {name: Paper, reliability: A}\n",
    "data/countries.yml": "- name: Alphaland\n  aliases: [Al, A-land, Alpha Land]\n  ids: {wikidata: Q42, desk: C-1}\n"
                          "- {name: Betaland, parent: Alphaland}\n- {name: Gammaland, parent: Alphaland}\n",
}
BRIEFS = {
    "a.md": brief_text("Alpha", "2025-01-01", thread="story", authors="[Ann, Bob, Cy]", countries="[Alphaland]",
                       sources="[{name: Wire, credibility: 2}, {name: Paper}, {name: Unknown}]",
                       updated="2025-01-03T10:30:00Z",
                       updates="[{date: 2025-01-03, type: correction, note: Two.}, "
                               "{date: 2025-01-02, type: correction, note: One.}]"),
    "b.md": brief_text("Bravo", "2025-02-01", thread="story", author="Ann", countries="[Betaland, Gammaland]",
                       event="2025-02-01", updated="2025-02-02", sources="[Chat]"),
    "c.md": brief_text("Charlie", "2025-03-01", event="{start: 2024-12-20, end: 2025-03-01}", countries="[Betaland]"),
}


@pytest.fixture
def site(make_site) -> Site:
    src = make_site(BRIEFS, config="search: false\naudience: amber\n")
    (src / "data").mkdir()
    for name, text in DATA.items():
        (src / name).write_text(text)
    config, _ = load_site_config(src)
    data, _ = load_site_data(src, config)
    briefs = [parse_brief(f"briefings/{name}", text.encode(), config)[0] for name, text in BRIEFS.items()]
    return build_index(briefs, config, data=data)


def view(pages, url: str):
    return next(page.context for page in pages if page.url == url)


def test_joined_puts_what_goes_before_each_item():
    assert joined("a") == (("", "a"),)
    assert joined("ab") == (("", "a"), (" and ", "b"))
    assert joined("abc") == (("", "a"), (", ", "b"), (" and ", "c"))
    assert joined("ab", last=" or ", going_on=True) == ((", ", "a"), (" or ", "b"))
    assert joined("ab", last=" · ", between=" · ") == (("", "a"), (" · ", "b"))
    assert joined(()) == ()


def test_a_brief_page_has_everything_it_shows_decided(site):
    pages = make_pages(site)
    alpha = view(pages, "briefs/a/")
    assert [(before, author.name) for before, author in alpha.byline] == [("", "Ann"), (", ", "Bob"), (" and ", "Cy")]
    assert (alpha.story.thread.slug, alpha.story.number, alpha.story.count) == ("story", 1, 2)
    assert (alpha.earlier, alpha.later.title) == (None, "Bravo")
    assert alpha.correction.note == "Two."  # the latest correction
    assert [(c.name, grading) for c, grading in alpha.sources] == [("Wire", "wire, C2"), ("Paper", "A"),
                                                                  ("Unknown", "")]
    assert alpha.best_grade == "A"
    assert (alpha.event, alpha.updated_timed, alpha.twitter_card) == (None, True, "summary")
    assert (alpha.entry.marking.label, alpha.entry.marking.css, alpha.entry.unverified) == ("TLP:CLEAR", "clear", False)
    bravo = view(pages, "briefs/b/")
    assert (bravo.story.number, bravo.event, bravo.updated_timed) == (2, None, False)  # its event is its date
    assert (bravo.entry.unverified, bravo.best_grade) == (True, "F")
    charlie = view(pages, "briefs/c/")
    assert (charlie.event, charlie.story, charlie.sources, charlie.best_grade) == (
        "20 December 2024 – 1 March 2025", None, (), "")
    assert (alpha.section, alpha.chrome.marking.label, alpha.chrome.threads, alpha.chrome.corrections) == (
        None, "TLP:AMBER", True, True)


def test_a_term_page_has_its_facts_joined(site):
    alphaland = view(make_pages(site), "countries/alphaland/")
    assert alphaland.also_known_as == "Al, A-land and Alpha Land"
    assert [(before, link.name) for before, link in alphaland.includes] == [("", "Betaland"), (" and ", "Gammaland")]
    assert [(before, i.label, i.id, i.url) for before, i in alphaland.identifiers] == [
        ("", "Wikidata", "Q42", "https://www.wikidata.org/wiki/Q42"), (" · ", "desk", "C-1", None)]
    assert (alphaland.section, alphaland.taxonomy.name) == ("countries", "countries")


def test_list_pages_group_cards_and_know_their_section(site):
    pages = make_pages(site)
    home = view(pages, "")
    assert home.section == ""
    assert [(g.heading, [i.brief.title for i in g.items]) for g in home.groups] == [
        ("March 2025", ["Charlie"]), ("February 2025", ["Bravo"]), ("January 2025", ["Alpha"])]
    january = view(pages, "timeline/2025/01/")
    assert (january.year, january.months, january.section) == (2025, (), "timeline")
    assert [(i.brief.title, i.event, i.continuing) for g in january.groups for i in g.items] == [
        ("Alpha", None, False), ("Charlie", "20 December 2024 – 1 March 2025", True)]
    year = view(pages, "timeline/2025/")
    assert (year.year, [(m.name, m.count) for m in year.months]) == (
        None, [("January", 2), ("February", 2), ("March", 1)])
    countries = view(pages, "countries/")
    assert [(row.term.name, row.count, row.weight) for row in countries.terms] == [
        ("Alphaland", 1, 3), ("Betaland", 2, 5), ("Gammaland", 1, 3)]
    thread = view(pages, "threads/story/")
    assert ([i.brief.title for i in thread.pager.items], thread.start) == (["Alpha", "Bravo"], 1)
    assert [(row.thread.slug, row.count, row.latest.title) for row in view(pages, "threads/").threads] == [
        ("story", 2, "Bravo")]


def test_no_view_reaches_the_whole_site(site):
    """A template can read only what its view holds: none holds the site, whose every brief it would reach."""
    def held(value, depth=0):
        if isinstance(value, Site):
            raise AssertionError("a view holds the site")
        if depth < 4 and dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                held(getattr(value, f.name), depth + 1)
        elif depth < 4 and isinstance(value, tuple | list):
            for item in value:
                held(item, depth + 1)

    for page in make_pages(site):
        assert isinstance(page.context, View), page.url
        held(page.context)


def test_a_views_variables_are_its_fields_and_what_it_works_out(site):
    alpha = view(make_pages(site), "briefs/a/")
    assert list(variables(alpha)) == [
        "chrome", "section", "entry", "place", "story", "related", "share_image", "brief", "kicker", "correction",
        "byline", "event", "updated_timed", "figure", "documents", "sources", "best_grade", "earlier", "later",
        "older", "newer", "twitter_card"]
    assert list(variables(view(make_pages(site), "countries/alphaland/"))) == [
        "chrome", "section", "pager", "taxonomy", "term", "feed", "map", "groups", "also_known_as", "includes",
        "identifiers"]


def test_what_views_work_out_reads_no_container_through(site, monkeypatch):
    """A view works out what it shows from its fields when its page renders: reading a term's briefs or a
    year's months there would escape the memory, which records such reads by templates only."""
    pages = make_pages(site)

    def refuse(container):
        raise AssertionError(f"a view read through a {type(container).__name__}")

    for kind, container in CONTAINERS.items():
        for name in container.tracked:
            monkeypatch.setattr(kind, name, property(refuse), raising=False)
    term = variables(view(pages, "countries/alphaland/"))["term"]
    with pytest.raises(AssertionError, match="a view read through a Term"):
        assert term.count  # the trap is set
    for page in pages:
        variables(page.context)


def test_templates_get_config_links_and_a_few_filters():
    env = render.environment([THEME], Config(), {})
    plain = jinja2.Environment()
    assert sorted(set(env.globals) - set(plain.globals)) == ["config", "links"]
    assert sorted(set(env.filters) - set(plain.filters)) == [
        "briefs_export", "card", "coordinates", "corrections_feed", "editions_feed", "geojson_export", "json_feed", "locator",
        "long_date", "news_article", "timeline_export"]


def test_a_card_and_an_entry_stand_in_by_their_brief(site):
    pages = make_pages(site)
    prints = Fingerprints(site, {brief.path: brief.path.encode() for brief in site.briefs}, b"")
    alpha = view(pages, "briefs/a/")
    assert prints.shallow(alpha.entry) == prints.shallow(alpha.brief) == prints.briefs[id(alpha.brief)]
    term = alpha.kicker
    assert dependency_of(term, "briefs") == ("term", "countries", term.name.lower(), "briefs")
    assert dependency_of(term, "name") is None  # what a term shows is in the view's own fingerprint
    assert dependency_of(alpha, "brief") is None  # a view's fields are its page's, not dependencies
