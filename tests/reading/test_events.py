"""Event time: when what a brief reports happened, apart from when it was filed, at its precision."""

from __future__ import annotations

import json

import pytest

from briefsite.build import Options, build_site
from briefsite.config import Config
from briefsite.reading.brief import parse_brief

from conftest import brief_text


def event_of(value: str, filed: str = "2025-02-28"):
    brief, problems = parse_brief("briefings/a.md", brief_text(date=filed, event=value).encode(), Config())
    return brief.event if brief else None, [str(p) for p in problems]


@pytest.mark.parametrize(("value", "label", "start", "end", "months"), [
    ("2025-02-27", "27 February 2025", "2025-02-27", "2025-02-27", [(2025, 2)]),
    ("2025-02", "February 2025", "2025-02", "2025-02", [(2025, 2)]),
    ("2025", "2025", "2025", "2025", []),
    ("{date: 2025, circa: true}", "c. 2025", "2025", "2025", []),
    ("{date: 2025-02, circa: true}", "c. February 2025", "2025-02", "2025-02", [(2025, 2)]),
    ("{start: 2025-02-20, end: 2025-02-27}", "20–27 February 2025", "2025-02-20", "2025-02-27", [(2025, 2)]),
    ("{start: 2025-01-30, end: 2025-02-02}", "30 January – 2 February 2025", "2025-01-30", "2025-02-02",
     [(2025, 1), (2025, 2)]),
    ("{start: 2024-12-28, end: 2025-01-03}", "28 December 2024 – 3 January 2025", "2024-12-28", "2025-01-03",
     [(2024, 12), (2025, 1)]),
    ("{start: 2024-11, end: 2025-01}", "November 2024 – January 2025", "2024-11", "2025-01",
     [(2024, 11), (2024, 12), (2025, 1)]),
    ("{start: 2024-12, end: 2025-02}", "December 2024 – February 2025", "2024-12", "2025-02",
     [(2024, 12), (2025, 1), (2025, 2)]),
    ("{start: 2025-01, end: 2025-02}", "January–February 2025", "2025-01", "2025-02", [(2025, 1), (2025, 2)]),
    ("{start: 2023, end: 2024}", "2023–2024", "2023", "2024", []),
    ("{start: 2025-02-20, end: 2025-02}", "20 February 2025 – February 2025", "2025-02-20", "2025-02",
     [(2025, 2)]),
    ("{start: 2025-02-20}", "20 February 2025", "2025-02-20", "2025-02-20", [(2025, 2)]),
])
def test_an_event_keeps_its_precision(value, label, start, end, months):
    event, problems = event_of(value)
    assert problems == []
    assert (event.label, event.iso("start"), event.iso("end"), event.months) == (label, start, end, months)


@pytest.mark.parametrize(("value", "message"), [
    ("2025-02-30", "briefings/a.md:4:8: event: '2025-02-30' is not a real date (day is out of range for month)"),
    ("soon", "briefings/a.md:4:8: event: expected a day, month or year (2025-02-27, 2025-02 or 2025), got 'soon'"),
    ("{start: 2025-02-20, end: 2025-02-01}", "briefings/a.md:4:33: event: 2025-02-01 is before the start, 2025-02-20"),
    ("{colour: 1}", "briefings/a.md:4:17: event: unknown key 'colour'; expected date, or start and end, and circa"),
    ("{date: 2025, start: 2024}", "briefings/a.md:4:15: event: give either date, or start and end, not both"),
    ("{date: 2025, circa: maybe}", "briefings/a.md:4:28: event: expected true or false, got 'maybe'"),
    ("{end: 2025}", "briefings/a.md:4:8: event: expected a date, or a start (and an end)"),
    ("2025-03-01", "briefings/a.md:4:8: event: starts on 2025-03-01, after the brief's date 2025-02-28; a brief "
                   "is filed on or after what it reports"),
])
def test_a_wrong_event_is_an_error_at_its_place(value, message):
    assert event_of(value) == (None, [message])


BRIEFS = {
    "range.md": brief_text(title="Cross-month raid", date="2025-02-03", location="Mae Sot",
                           event="{start: 2025-01-28, end: 2025-02-02}"),
    "year.md": brief_text(title="Sometime last year", date="2025-01-10", event="{date: 2024, circa: true}"),
    "plain.md": brief_text(title="Plain brief", date="2025-02-01"),
}


@pytest.fixture
def built(make_site, tmp_path):
    out = tmp_path / "out"
    build_site(Options(make_site(BRIEFS, config="search: false\n"), out, jobs=1))
    return out


def test_periods_place_a_brief_by_its_event_and_mark_it_continuing(built):
    january = (built / "timeline" / "2025" / "01" / "index.html").read_text()
    february = (built / "timeline" / "2025" / "02" / "index.html").read_text()
    assert '<span class="event">28 January – 2 February 2025</span> · <span class="dateline">' in january
    assert ('<span class="event">28 January – 2 February 2025</span> <span class="continuing">continuing</span>'
            in february)
    assert "Sometime last year" not in january  # filed in January, it happened in 2024
    year = (built / "timeline" / "2024" / "index.html").read_text()
    assert '<h2 class="month-heading" id="m2024">2024, month not known</h2>' in year
    assert '<span class="event">c. 2024</span>' in year
    assert not (built / "timeline" / "2024" / "01").exists()  # known only to the year: in no month


def test_the_brief_page_shows_event_and_filed_date_when_they_differ(built):
    page = (built / "briefs" / "range" / "index.html").read_text()
    assert '<span class="event">Event: 28 January – 2 February 2025</span> · Filed <span' in page
    assert "Event:" not in (built / "briefs" / "plain" / "index.html").read_text()


def test_home_and_feeds_stay_in_filed_order(built):
    home = (built / "index.html").read_text()
    assert home.index("Cross-month raid") < home.index("Plain brief") < home.index("Sometime last year")


def test_exports_carry_the_event(built):
    briefs = {b["slug"]: b for b in json.loads((built / "briefs.json").read_text())["briefs"]}
    assert briefs["range"]["event"] == {"start": "2025-01-28", "end": "2025-02-02", "circa": False,
                                        "label": "28 January – 2 February 2025"}
    assert briefs["year"]["event"] == {"start": "2024", "end": None, "circa": True, "label": "c. 2024"}
    assert briefs["plain"]["event"] is None
    events = json.loads((built / "timeline.json").read_text())["events"]
    assert [(e["unique_id"], e["start_date"], e.get("end_date"), e.get("display_date")) for e in events] == [
        ("year", {"year": 2024}, None, "c. 2024"),
        ("range", {"year": 2025, "month": 1, "day": 28}, {"year": 2025, "month": 2, "day": 2},
         "28 January – 2 February 2025"),
        ("plain", {"year": 2025, "month": 2, "day": 1}, None, None),
    ]
