"""Page planning: pagination, month groups and the timeline chart."""

from __future__ import annotations

from briefsite.config import Config
from briefsite.output.pages import by_month, make_pages, month_chart, paginate
from briefsite.reading.brief import parse_brief
from briefsite.site import urls
from briefsite.site.index import build_index

from conftest import brief_text


def site_of(*dates: str):
    briefs = [parse_brief(f"b/{i}.md", brief_text(date=d).encode(), Config())[0] for i, d in enumerate(dates)]
    return build_index(briefs, Config())


def test_paginate_splits_and_links_pages():
    pagers = paginate(tuple(range(7)), 3, urls.home)
    assert [p.items for p in pagers] == [(0, 1, 2), (3, 4, 5), (6,)]
    assert [(p.prev, p.next) for p in pagers] == [(None, "page/2/"), ("", "page/3/"), ("page/2/", None)]
    assert [(p.number, p.total) for p in paginate((), 3, urls.home)] == [(1, 1)]


def test_by_month_groups_consecutive_briefs():
    site = site_of("2025-02-27", "2025-02-01", "2024-12-31")
    groups = by_month(site.briefs)
    assert [(anchor, heading, len(group)) for anchor, heading, group in groups] == [
        ("m2025-02", "February 2025", 2), ("m2024-12", "December 2024", 1)]


def test_month_chart_has_a_bar_for_every_month_between_first_and_last():
    site = site_of("2024-11-05", "2025-02-27", "2025-02-01")
    assert [(b.year, b.month, b.count, b.label) for b in month_chart(site)] == [
        (2024, 11, 1, "November 2024: 1 brief"),
        (2024, 12, 0, "December 2024: 0 briefs"),
        (2025, 1, 0, "January 2025: 0 briefs"),
        (2025, 2, 2, "February 2025: 2 briefs"),
    ]
    assert month_chart(site_of()) == []


def test_pages_of_an_empty_site():
    assert [p.url for p in make_pages(site_of())] == [
        "", "tags/", "countries/", "organizations/", "timeline/", "search/", "briefs.json", "timeline.json",
        "404.html", "robots.txt", "sitemap.xml"]  # no feed: it would have no date to carry
    assert make_pages(site_of())[-1].context == {"locations": [
        ("", None), ("tags/", None), ("countries/", None), ("organizations/", None), ("timeline/", None),
        ("search/", None)]}
