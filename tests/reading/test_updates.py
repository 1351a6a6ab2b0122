"""Corrections and updates: a brief's log, its "Corrected" marker, and the site's corrections page and feeds."""

from __future__ import annotations

import json

import feedparser
import pytest

from briefsite.build import Options, build_site
from briefsite.config import Config
from briefsite.memory.briefs import CACHE_DIR, _load
from briefsite.reading.brief import parse_brief

from conftest import brief_text, tree

LOG = """
  - {date: 2025-03-01, type: correction, note: "The number repatriated was 40, not 14."}
  - {date: "2025-03-04 10:00", type: update, note: Thai police confirmed a second group.}"""


def problems_of(updates: str) -> list[str]:
    _, problems = parse_brief("briefings/a.md", brief_text(date="2025-02-28", updates=updates).encode(), Config())
    return [str(p) for p in problems]


def test_the_log_is_newest_first_and_gives_updated():
    brief, problems = parse_brief("briefings/a.md", brief_text(date="2025-02-28", updates=LOG).encode(), Config())
    assert problems == []
    assert [(u.date.isoformat(), u.kind, u.note) for u in brief.updates] == [
        ("2025-03-04T10:00:00+00:00", "update", "Thai police confirmed a second group."),
        ("2025-03-01T00:00:00+00:00", "correction", "The number repatriated was 40, not 14."),
    ]
    assert brief.updated.isoformat() == "2025-03-04T10:00:00+00:00" and brief.corrected
    given, _ = parse_brief("briefings/a.md", brief_text(date="2025-02-28", updated="2025-03-10",
                                                        updates=LOG).encode(), Config())
    assert given.updated.isoformat() == "2025-03-10T00:00:00+00:00"  # `updated` as given wins


@pytest.mark.parametrize(("updates", "message"), [
    ("[{date: 2025-02-01, type: correction, note: x}]",
     "briefings/a.md:4:18: updates: 2025-02-01T00:00:00+00:00 is before the brief's date 2025-02-28T00:00:00+00:00"),
    ("[{date: 2025-03-01, type: fix, note: x}]", "briefings/a.md:4:36: updates: expected correction or update, got 'fix'"),
    ("[{date: 2025-03-01, note: x}]",
     "briefings/a.md:4:11: updates: an entry needs a date, a type (correction or update) and a note"),
    ("[{date: someday, type: update, note: x}]", "briefings/a.md:4:18: updates: expected a date as YYYY-MM-DD or an "
                                                 "ISO 8601 date-time, got 'someday'"),
    ("{a: 1}", "briefings/a.md:4:10: updates: expected a list of {date, type, note}"),
    ("[{date: 2025-03-01, type: update, note: x, by: me}]",
     "briefings/a.md:4:57: updates: unknown key 'by'; expected date, type and note"),
])
def test_a_wrong_entry_is_an_error_at_its_place(updates, message):
    assert problems_of(updates) == [message]


@pytest.fixture
def built(make_site, tmp_path):
    src = make_site({"a.md": brief_text(title="Alpha", date="2025-02-28", updates=LOG),
                     "b.md": brief_text(title="Bravo", date="2025-02-20",
                                        updates="[{date: 2025-02-21, type: correction, note: Wrong province.}]"),
                     "c.md": brief_text(title="Charlie", date="2025-02-25", event="2025-02-24")},
                    config="search: false\n")
    out = tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    return src, out


def test_the_brief_page_shows_the_log_and_the_marker(built):
    _, out = built
    page = (out / "briefs" / "a" / "index.html").read_text()
    assert ('<p class="corrected" data-pagefind-ignore><a href="#updates">Corrected</a> '
            '<time datetime="2025-03-01">1 March 2025</time></p>') in page
    assert page.index("Thai police confirmed") < page.index("The number repatriated")
    assert '<li class="update-update"><strong>Update</strong>, <time datetime="2025-03-04T10:00:00+00:00">' in page
    assert "Corrected" not in (out / "briefs" / "c" / "index.html").read_text().split("<footer")[0]


def test_the_corrections_page_and_feeds_list_every_correction_newest_first(built):
    _, out = built
    page = (out / "corrections" / "index.html").read_text()
    assert page.index("The number repatriated") < page.index("Wrong province.")
    assert "second group" not in page  # updates are not corrections
    atom = feedparser.parse((out / "corrections" / "feed.xml").read_bytes())
    assert not atom.bozo
    assert [(e.title, e.summary, e.link) for e in atom.entries] == [
        ("Correction: Alpha", "The number repatriated was 40, not 14.", "http://127.0.0.1:8000/briefs/a/#updates"),
        ("Correction: Bravo", "Wrong province.", "http://127.0.0.1:8000/briefs/b/#updates"),
    ]
    data = json.loads((out / "corrections" / "feed.json").read_text())
    assert [item["title"] for item in data["items"]] == ["Correction: Alpha", "Correction: Bravo"]
    assert '<a href="/corrections/">Corrections</a>' in (out / "index.html").read_text()
    site_feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert {e.title: e.updated for e in site_feed.entries}["Alpha"] == "2025-03-04T10:00:00+00:00"
    briefs = {b["slug"]: b for b in json.loads((out / "briefs.json").read_text())["briefs"]}
    assert briefs["a"]["updates"][1] == {"date": "2025-03-01", "type": "correction",
                                         "note": "The number repatriated was 40, not 14."}


def test_no_corrections_no_page_and_no_footer_link(make_site, tmp_path):
    build_site(Options(make_site({"a.md": brief_text()}, config="search: false\n"), tmp_path / "out", jobs=1))
    assert not (tmp_path / "out" / "corrections").exists()
    assert "Corrections" not in (tmp_path / "out" / "index.html").read_text()


def test_a_first_correction_reaches_every_page_incrementally(built, tmp_path):
    src, out = built
    for name in ("a.md", "b.md"):
        text = (src / "briefings" / name).read_text()
        (src / "briefings" / name).write_text(text.split("updates:")[0] + "---\nBody text.\n")
    build_site(Options(src, out, jobs=1))
    assert not (out / "corrections").exists() and "Corrections" not in (out / "index.html").read_text()
    (src / "briefings" / "c.md").write_text(brief_text(title="Charlie", date="2025-02-25",
                                                       updates="[{date: 2025-02-26, type: correction, note: N.}]"))
    build_site(Options(src, out, jobs=1))
    build_site(Options(src, tmp_path / "clean", jobs=1, cache=False))
    assert tree(out) == tree(tmp_path / "clean")
    assert "/corrections/" in (out / "timeline" / "index.html").read_text()


def test_the_parse_cache_keeps_events_and_logs(built):
    src, _ = built
    stored = _load(src / CACHE_DIR / "briefs.pickle") or _load(src / CACHE_DIR / "briefs-new.pickle")
    assert sorted(brief.title for brief, _ in stored.values()) == ["Alpha", "Bravo", "Charlie"]
    assert any(brief.updates for brief, _ in stored.values()) and any(brief.event for brief, _ in stored.values())
