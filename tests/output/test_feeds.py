"""Feeds as feed readers see them: Atom through feedparser, JSON Feed by its spec."""

from __future__ import annotations

import json

import feedparser
import pytest

from briefsite.build import Options, build_site

from conftest import brief_text, write_site

TRICKY_BODY = ("Prices rose 5% & more <em>sharply</em> than 3 < 4 expected; "
               "the text ]]> and <![CDATA[ x ]]> must survive.\n\n"
               "公安部周三通报 — ตำรวจไทย — Привет.\n")


@pytest.fixture(scope="module")
def feed_site(tmp_path_factory):
    briefs = {
        "a.md": brief_text(title="First <brief> & co", date="2025-01-02", tags="[Fraud, 电信诈骗]",
                           body=TRICKY_BODY, sources="[{name: Xinhua, url: 'https://example.com/x?a=1&b=2'}, AP]"),
        "b.md": brief_text(title="Second", date="2025-01-03T09:30:00+00:00", updated="2025-01-05", tags="[fraud]"),
        "c.md": brief_text(title="Third", date="2024-12-31", tags="[Other]"),
    }
    src = write_site(tmp_path_factory.mktemp("feeds") / "src", briefs,
                     "title: Desk & Co\nbase_url: https://example.org/desk/\ntimezone: Asia/Bangkok\n"
                     "author: Regional Desk\nfeed_size: 2\nsearch: false\n")
    out = src.parent / "out"
    build_site(Options(src, out, jobs=1))
    return out


def test_site_atom_feed_parses_cleanly(feed_site):
    parsed = feedparser.parse((feed_site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Desk & Co"
    assert parsed.feed.updated == "2025-01-05T00:00:00+07:00"  # the newest entry's, not the build's
    assert [link.href for link in parsed.feed.links] == ["https://example.org/desk/feed.xml", "https://example.org/desk/"]
    # feed_size 2: newest first by date
    assert [e.title for e in parsed.entries] == ["Second", "First <brief> & co"]
    second, first = parsed.entries
    assert all(e.updated_parsed and e.published_parsed for e in parsed.entries)
    assert (second.id, second.published, second.updated) == (
        "https://example.org/desk/briefs/b/", "2025-01-03T16:30:00+07:00", "2025-01-05T00:00:00+07:00")
    assert first.author == "Regional Desk"
    assert [(t.term, t.label) for t in first.tags] == [("fraud", "Fraud"), ("电信诈骗", "电信诈骗")]
    assert [link.href for link in first.links if link.rel == "related"] == ["https://example.com/x?a=1&b=2"]


def test_content_round_trips_ampersands_markup_cdata_and_scripts(feed_site):
    entry = feedparser.parse((feed_site / "feed.xml").read_bytes()).entries[1]
    content = entry.content[0].value
    assert "Prices rose 5% &amp; more <em>sharply</em> than 3 &lt; 4 expected;" in content
    assert "the text ]]&gt; and" in content
    assert "公安部周三通报 — ตำรวจไทย — Привет." in content
    assert '<li><a href="https://example.com/x?a=1&amp;b=2">Xinhua</a></li><li>AP</li>' in content
    assert entry.summary.startswith("Prices rose 5% & more sharply than 3 < 4 expected;")


def test_term_feeds_and_their_links(feed_site):
    parsed = feedparser.parse((feed_site / "tags" / "fraud" / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.version == "atom10"
    assert parsed.feed.title == "Fraud — Desk & Co"
    assert [e.title for e in parsed.entries] == ["Second", "First <brief> & co"]
    chinese = feedparser.parse((feed_site / "tags" / "电信诈骗" / "feed.xml").read_bytes())
    assert [e.title for e in chinese.entries] == ["First <brief> & co"]
    term_page = (feed_site / "tags" / "fraud" / "index.html").read_text()
    assert ('<link rel="alternate" type="application/atom+xml" title="Fraud (Atom)" '
            'href="/desk/tags/fraud/feed.xml">') in term_page
    assert ('<link rel="alternate" type="application/atom+xml" title="Desk &amp; Co (Atom)" '
            'href="/desk/feed.xml">') in term_page
    home = (feed_site / "index.html").read_text()
    assert ('<link rel="alternate" type="application/feed+json" title="Desk &amp; Co (JSON Feed)" '
            'href="/desk/feed.json">') in home


def test_json_feed_has_the_spec_keys_and_round_trips(feed_site):
    feed = json.loads((feed_site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert (feed["title"], feed["home_page_url"], feed["feed_url"]) == (
        "Desk & Co", "https://example.org/desk/", "https://example.org/desk/feed.json")
    assert feed["authors"] == [{"name": "Regional Desk"}]
    assert [item["id"] for item in feed["items"]] == [
        "https://example.org/desk/briefs/b/", "https://example.org/desk/briefs/a/"]
    second, first = feed["items"]
    assert (second["date_published"], second["date_modified"]) == ("2025-01-03T16:30:00+07:00", "2025-01-05T00:00:00+07:00")
    assert first["title"] == "First <brief> & co"
    assert first["tags"] == ["Fraud", "电信诈骗"]
    assert "3 &lt; 4 expected" in first["content_html"] and "公安部周三通报" in first["content_html"]
    ungraded = {"type": None, "reliability": None, "credibility": None, "grade": None, "accessed": None}
    assert first["_briefsite"]["sources"] == [{"name": "Xinhua", "url": "https://example.com/x?a=1&b=2", **ungraded},
                                              {"name": "AP", **ungraded}]
    term = json.loads((feed_site / "tags" / "电信诈骗" / "feed.json").read_text(encoding="utf-8"))
    assert term["feed_url"] == "https://example.org/desk/tags/%E7%94%B5%E4%BF%A1%E8%AF%88%E9%AA%97/feed.json"


def test_golden_feeds_all_parse(golden_site):
    feeds = sorted(golden_site.rglob("feed.xml"))
    assert len(feeds) > 35
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10" and parsed.entries, path
        assert all(e.updated_parsed for e in parsed.entries), path
        data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert {"version", "title", "items"} <= set(data) and all("id" in item for item in data["items"]), path


def test_a_site_without_briefs_has_no_feed(make_site, cli):
    src = make_site({})
    assert cli("build", "--source", src, "--quiet").exit_code == 0
    assert not (src / "site" / "feed.xml").exists()
    assert 'type="application/atom+xml"' not in (src / "site" / "index.html").read_text()
