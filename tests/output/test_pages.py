"""Page planning: pagination, month groups and the timeline chart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefsite.config import Config
from briefsite.model.brief import MONTH_NAMES as MONTHS
from briefsite.output import chart
from briefsite.output.chart import WIDTH, Bar, YearLabel, monthly
from briefsite.output.pages import make_pages, month_chart, paginate
from briefsite.output.views.common import by_month, parts
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
    groups = by_month(parts(site).listed(site.briefs))
    assert [(group.anchor, group.heading, [item.brief for item in group.items]) for group in groups] == [
        ("m2025-02", "February 2025", list(site.briefs[:2])), ("m2024-12", "December 2024", [site.briefs[2]])]


def test_month_chart_has_a_bar_for_every_month_between_first_and_last():
    site = site_of("2024-11-05", "2025-02-27", "2025-02-01")
    assert [(b.year, b.month, b.count, b.label) for b in month_chart(site).bars] == [
        (2024, 11, 1, "November 2024: 1 brief"),
        (2024, 12, 0, "December 2024: 0 briefs"),
        (2025, 1, 0, "January 2025: 0 briefs"),
        (2025, 2, 2, "February 2025: 2 briefs"),
    ]
    assert (month_chart(site).first, month_chart(site).last) == ("November 2024", "February 2025")
    assert month_chart(site_of()) is None


# The chart's geometry, in viewBox units: 1080 wide, bars from y 240 (the axis) up to 34 (the gridline).

def months_from(year: int, month: int, n: int, count=lambda i: 1) -> dict:
    counts = {}
    for i in range(n):
        counts[(year, month)] = count(i)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return counts


def test_bars_share_the_width_in_equal_slots_with_capped_bars():
    view = monthly({(2025, 1): 1, (2025, 2): 2, (2025, 4): 4}, MONTHS)
    assert (view.width, view.height, view.top, view.grid_y, view.axis_y) == (1080, 280, 4, 34.5, 240.5)
    assert view.bars == (  # slots of 270, the bar capped at 48 in the middle of each
        Bar(2025, 1, 1, "January 2025: 1 brief", 111, 188.5, 48, 51.5),
        Bar(2025, 2, 2, "February 2025: 2 briefs", 381, 137, 48, 103),
        Bar(2025, 3, 0, "March 2025: 0 briefs", 651, 240, 48, 0),
        Bar(2025, 4, 4, "April 2025: 4 briefs", 921, 34, 48, 206),
    )
    assert view.years == (YearLabel("2025", 111, "start", 3),)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 22, 61, 120, 250, 600])
def test_bars_fill_the_width(n):
    bars = monthly(months_from(2020, 5, n), MONTHS).bars
    step = WIDTH / n
    assert len(bars) == n
    for i, bar in enumerate(bars):
        assert bar.width == pytest.approx(min(step * 0.8, 48), abs=0.005)
        assert bar.x + bar.width / 2 == pytest.approx((i + 0.5) * step, abs=0.01)  # centred in its slot
    assert bars[0].x - (step - bars[0].width) / 2 == pytest.approx(0, abs=0.01)
    assert bars[-1].x + bars[-1].width + (step - bars[-1].width) / 2 == pytest.approx(WIDTH, abs=0.01)


def test_a_one_month_timeline():
    view = monthly({(2025, 2): 3}, MONTHS)
    assert view.bars == (Bar(2025, 2, 3, "February 2025: 3 briefs", 516, 34, 48, 206),)
    assert view.years == (YearLabel("2025", 516, "start", 3),)
    assert (view.first, view.last, view.top) == ("February 2025", "February 2025", 3)


def test_a_120_month_timeline_labels_every_year_on_every_screen():
    view = monthly(months_from(2015, 1, 120, count=lambda i: i % 7), MONTHS)
    assert len(view.bars) == 120 and view.top == 6
    assert [(b.x, b.width) for b in view.bars[:3]] == [(0.9, 7.2), (9.9, 7.2), (18.9, 7.2)]
    assert (view.bars[-1].x, view.bars[-1].year, view.bars[-1].month) == (1071.9, 2024, 12)
    assert view.bars[0].height == 0 and view.bars[6].height == 206 and view.bars[1].height == pytest.approx(34.33)
    assert view.years == tuple(YearLabel(str(2015 + k), round(108 * k + 0.9, 2), "start", 3) for k in range(10))


def test_december_then_january_labels_both_years_apart():
    view = monthly({(2024, 12): 1, (2025, 1): 2}, MONTHS)
    assert view.years == (YearLabel("2024", 246, "start", 3), YearLabel("2025", 786, "start", 3))


def test_a_december_start_gives_way_to_the_next_january():
    # These two years were drawn one on top of the other: the first bar's year now shows only where it fits.
    view = monthly(months_from(2024, 12, 25), MONTHS)  # December 2024 to December 2026, slots of 43.2
    assert view.years == (YearLabel("2024", 4.32, "start", 0), YearLabel("2025", 47.52, "start", 3), YearLabel("2026", 565.92, "start", 3))
    view = monthly(months_from(2015, 12, 109), MONTHS)  # slots of 9.9: no room for "2015" anywhere
    assert [y.text for y in view.years] == [str(year) for year in range(2016, 2025)]
    assert {y.fits for y in view.years} == {3}


def shown(view, screen: int) -> list[tuple[float, float, str]]:
    """The year labels drawn on `screen`: (start, end, text) at that screen's font, left to right."""
    return sorted((*chart.extent(y, chart.FONTS[screen]), y.text) for y in view.years if y.fits >= screen)


@pytest.mark.parametrize("start", range(1, 13))
def test_year_labels_never_overlap_on_any_screen(start):
    for n in [*range(1, 40), 59, 60, 61, 119, 120, 121, 180, 240, 241, 480, 600, 1200]:
        view = monthly(months_from(2001, start, n), MONTHS)
        januaries = {b.year for b in view.bars if b.month == 1}
        for screen, font in enumerate(chart.FONTS):
            labels = shown(view, screen)
            assert labels, (start, n, screen)
            for (_, end, text), (x, _, after) in zip(labels, labels[1:], strict=False):
                assert x >= end + chart.GAP * font, f"{text} and {after} overlap ({start}/{n} months, screen {screen})"
            assert all(x >= 0 and end <= WIDTH for x, end, _ in labels), (start, n, screen)
            if not januaries:
                continue
            missing = januaries - {int(text) for _, _, text in labels}
            assert max(januaries) not in missing, (start, n, screen)  # the latest year is always named
            if n <= 120:  # up to ten years, every January is named on the wide screens; on the narrow
                # ones the last may be drawn back from the right edge and crowd out the one before it
                assert missing <= ({max(januaries) - 1} if screen >= 2 else set()), (start, n, screen)


def test_label_widths_are_not_underestimated():
    # DejaVu Sans, the widest of the fonts --sans falls back to, draws a digit 1303/2048 em wide.
    assert chart.CHAR >= 1303 / 2048


def test_chart_fonts_match_the_stylesheet():
    css = (Path(__file__).parents[2] / "templates" / "static" / "style.css").read_text()
    sizes = [int(size) for size in re.findall(r"\.chart \.tick \{[^}]*?(\d+)px", css)]
    assert sizes == list(chart.FONTS)
    content = re.search(r"\.wrap \{ max-width: ([\d.]+)rem; margin: 0 auto; padding: 0 ([\d.]+)rem; \}", css)
    assert (float(content[1]) - 2 * float(content[2])) * 16 == WIDTH  # the content column, at 16px a rem
    hidden = re.findall(r"max-width: (\d+)rem\) \{ \.chart \.tick \{[^}]*\} \.chart \.fits-(\d) \{ display: none; \}", css)
    assert [int(screen) for _, screen in hidden] == list(range(len(chart.FONTS) - 1))


def test_pages_of_an_empty_site():
    assert [p.url for p in make_pages(site_of())] == [
        "", "tags/", "countries/", "organizations/", "timeline/", "search/", "briefs.json", "timeline.json",
        "404.html", "robots.txt", "sitemap.xml"]  # no feed: it would have no date to carry
    assert make_pages(site_of())[-1].context.locations == (
        ("", None), ("tags/", None), ("countries/", None), ("organizations/", None), ("timeline/", None),
        ("search/", None))
