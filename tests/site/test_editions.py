"""Editions: periods in the site's timezone (ISO weeks across a year's end), grouping, what was updated in a
period, introductions, settings errors, the web page, the email and its text, the feeds, and audiences."""

from __future__ import annotations

import json
import re
from datetime import date

import feedparser
import pytest

from briefsite.site.editions import label, period

from conftest import brief_text, build, failure

SITE = "title: Desk\nbase_url: https://example.org/desk/\ntimezone: Asia/Bangkok\n"
EDITIONS = SITE + "editions:\n  weekly: {group_by: countries}\n  monthly: {group_by: thread}\n  daily:\n"


@pytest.mark.parametrize("day, kind, expected", [
    (date(2024, 1, 1), "weekly", ("2024-w01", date(2024, 1, 1), date(2024, 1, 7))),
    (date(2023, 12, 31), "weekly", ("2023-w52", date(2023, 12, 25), date(2023, 12, 31))),
    (date(2025, 12, 29), "weekly", ("2026-w01", date(2025, 12, 29), date(2026, 1, 4))),
    (date(2026, 12, 31), "weekly", ("2026-w53", date(2026, 12, 28), date(2027, 1, 3))),
    (date(2027, 1, 3), "weekly", ("2026-w53", date(2026, 12, 28), date(2027, 1, 3))),
    (date(2024, 2, 29), "monthly", ("2024-02", date(2024, 2, 1), date(2024, 2, 29))),
    (date(2025, 12, 31), "monthly", ("2025-12", date(2025, 12, 1), date(2025, 12, 31))),
    (date(2025, 2, 27), "daily", ("2025-02-27", date(2025, 2, 27), date(2025, 2, 27))),
])
def test_periods_are_days_iso_weeks_and_months(day, kind, expected):
    assert period(kind, day) == expected


def test_periods_are_named_as_a_reader_says_them():
    assert label("daily", date(2025, 2, 27), date(2025, 2, 27)) == "Thursday 27 February 2025"
    assert label("weekly", date(2025, 2, 24), date(2025, 3, 2)) == "Week 9, 2025: 24 February – 2 March 2025"
    assert label("weekly", date(2025, 12, 29), date(2026, 1, 4)) == "Week 1, 2026: 29 December 2025 – 4 January 2026"
    assert label("monthly", date(2025, 2, 1), date(2025, 2, 28)) == "February 2025"


@pytest.fixture(scope="module")
def editions_site(tmp_path_factory):
    from conftest import write_site
    root = tmp_path_factory.mktemp("editions")
    src = write_site(root / "src", {
        "a.md": brief_text(title="Raid in Mae Sot", date="2025-02-24", countries="[Thailand, Myanmar]",
                           location="Mae Sot", sources="[{name: Xinhua, credibility: 2}]"),
        "b.md": brief_text(title="Return flight", date="2025-02-26", countries="[Myanmar]"),
        "c.md": brief_text(title="Talks in Geneva", date="2025-02-27"),
        # filed late on Sunday in UTC: Monday in Bangkok, so in the next week
        "d.md": brief_text(title="Monday note", date="2025-03-02T20:30:00+00:00", countries="[Thailand]"),
        "e.md": brief_text(title="Old report", date="2025-01-06",
                           updates="[{date: 2025-02-25, type: correction, note: 'Forty, not fourteen.'}]"),
        "f.md": brief_text(title="Partner note", date="2025-02-25", audience="amber"),
        "g.md": brief_text(title="Amber week", date="2025-04-08", audience="amber"),
    }, EDITIONS)
    (src / "editions").mkdir()
    (src / "editions/2025-02.md").write_text("---\ntitle: February on the border\nsummary: A month of raids.\n"
                                             "trends: {Myanmar: deteriorated, Thailand: unchanged}\n---\n"
                                             "The **border** closed.\n")
    (src / "editions/2025-w20.md").write_text("---\ntitle: Nothing yet\n---\n")
    result = build(src, root / "out")
    return src, root / "out", result


def test_an_edition_groups_its_periods_briefs_and_lists_what_was_corrected_in_it(editions_site):
    src, out, result = editions_site
    page = (out / "editions/2025-w09/index.html").read_text()
    headings = re.findall(r'<h2 id="(g-[^"]+)-h">([^<]+)</h2>', page)
    # a brief each: by name; a brief without a country last
    assert headings == [("g-myanmar", "Myanmar"), ("g-thailand", "Thailand"), ("g-other", "Other briefs")]
    titles = re.findall(r'<span class="edition-number">(\d+)\.</span> <a href="/desk/briefs/(\w)/"', page)
    assert titles == [("1", "b"), ("2", "a"), ("3", "c")]  # d: Monday 3 March in Bangkok; f: amber
    assert '<h2 id="updated-h">New since the last edition</h2>' in page and ">Old report</a>" in page
    assert "Week 9, 2025: 24 February – 2 March 2025" in page and 'rel="next"' in page
    assert "Partner note" not in page
    assert (out / "editions/2025-w10/index.html").is_file() and not (out / "editions/2025-w08").exists()
    assert not (out / "editions/2025-w15").exists()  # only an amber brief that week: no clear edition


def test_an_introduction_titles_an_edition_and_gives_its_trends(editions_site):
    src, out, result = editions_site
    page = (out / "editions/2025-02/index.html").read_text()
    assert "<h1>February on the border</h1>" in page and "A month of raids." in page
    assert "<p>The <strong>border</strong> closed.</p>" in page
    assert re.search(r'<th scope="row">Myanmar</th><td class="trend-deteriorated">▼ Deteriorated</td>', page)
    assert [str(w).replace(f"{src}/", "") for w in result.warnings] == [
        "editions/2025-w20.md: warning: no edition '2025-w20' is made: no brief of this build was filed in its "
        "period, or site.yml declares no edition of its kind"]


def test_the_email_is_self_contained_absolute_and_inlined(editions_site):
    src, out, result = editions_site
    email = (out / "editions/2025-w09/email.html").read_text()
    assert "<script" not in email and "<style" not in email and 'rel="stylesheet"' not in email
    assert "<svg" not in email and "@font-face" not in email
    urls = re.findall(r'(?:href|src)="([^"]*)"', email)
    assert urls and all(url.startswith("https://example.org/desk/") for url in urls), urls
    styled = re.findall(r"<(?:h1|h2|h3|p|td|table|body)\b[^>]*>", email)
    assert len(styled) > 20 and all('style="' in tag for tag in styled if "class=" in tag or tag[1] in "hpb")
    text = (out / "editions/2025-w09/email.txt").read_text()
    assert "== Thailand ==\n\n2. Raid in Mae Sot\n   Mae Sot · 24 February 2025\n   Body text.\n" in text
    assert "   Sources: Xinhua (2)\n   https://example.org/desk/briefs/a/\n" in text
    assert "&amp;" not in text and "<" not in text


def test_a_long_edition_mails_under_gmails_clipping_limit(make_site, tmp_path):
    long = "A long summary of what happened at the crossing, with the numbers and who said them. " * 3
    src = make_site({f"b{n:03d}.md": brief_text(title=f"Brief number {n} on the border crossings", date="2025-02-24",
                                                 summary=f"'{long}'", sources="[Xinhua, AP, Reuters]")
                     for n in range(120)}, EDITIONS)
    build(src, tmp_path / "out")
    email = (tmp_path / "out/editions/2025-w09/email.html").read_bytes()
    assert len(email) < 102_000
    text = email.decode()
    assert text.count('class="title"') == 40 and "More in this edition" in text and text.count("/briefs/b") >= 120


def test_the_editions_feeds_have_an_entry_per_edition(editions_site):
    src, out, result = editions_site
    atom = feedparser.parse((out / "editions/feed.xml").read_bytes())
    assert not atom.bozo
    titles = [entry.title for entry in atom.entries]
    assert "Weekly round-up: Week 9, 2025: 24 February – 2 March 2025" in titles
    assert "February on the border: February 2025" in titles
    feed = json.loads((out / "editions/feed.json").read_text())
    assert [item["title"] for item in feed["items"]] == titles
    index = (out / "editions/index.html").read_text()
    assert re.findall(r"<h2 id=\"kind-\d\">([^<]+)</h2>", index) == ["Daily note", "Weekly round-up", "Monthly report"]


@pytest.mark.parametrize("text, message", [
    ("editions: [weekly]\n", "editions: expected a mapping of daily, weekly or monthly to {title, group_by}"),
    ("editions:\n  weekley: {}\n", "editions.weekley: unknown edition 'weekley'; did you mean 'weekly'?"),
    ("editions:\n  weekly: {group_by: regions}\n",
     "editions.weekly.group_by: 'regions' is neither a taxonomy nor 'thread'; expected tags, countries, "
     "organizations, thread"),
    ("editions:\n  weekly: {title: 5}\n", "editions.weekly: expected a title, got 5"),
    ("editions:\n  weekly: {titel: X}\n", "editions.weekly.titel: unknown key 'titel'; did you mean 'title'?"),
])
def test_bad_editions_settings_are_errors(make_site, tmp_path, text, message):
    src = make_site({"a.md": brief_text()}, SITE + text)
    assert [e.split(": ", 1)[1] for e in failure(src, tmp_path)] == [message]


def test_a_bad_introduction_is_an_error_at_its_line(make_site, tmp_path):
    src = make_site({"a.md": brief_text(date="2025-02-03")}, EDITIONS)
    (src / "editions").mkdir()
    (src / "editions/2025-02.md").write_text("---\ntrends: {Myanmar: worse}\n---\n")
    (src / "editions/notes.md").write_text("---\ntitle: x\n---\n")
    assert failure(src, tmp_path) == [
        f"{src}/editions/2025-02.md:2:19: trends.Myanmar: expected deteriorated, improved or unchanged, got 'worse'",
        f"{src}/editions/notes.md: not an edition's name; expected the id of a day, an ISO week or a month, as in "
        "2025-02-27.md, 2025-w09.md or 2025-02.md"]
