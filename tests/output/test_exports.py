"""Data exports, page metadata, the sitemap's dates, and the search switch."""

from __future__ import annotations

import json
import re

import pytest

from briefsite.build import Options, build_site
from briefsite.errors import BuildFailed

from conftest import brief_text, write_site


@pytest.fixture(scope="module")
def export_site(tmp_path_factory):
    briefs = {
        "a.md": brief_text(title="Alpha <b>", date="2025-01-02", location="Bangkok", countries="[Thailand, Laos]",
                           tags="[Fraud]", sources="[{name: Xinhua, url: 'https://example.com/x'}, AP]",
                           extra="{confidence: high}", body="Alpha body word zebra."),
        "b.md": brief_text(title="Beta", date="2025-01-03T09:30:00+07:00", updated="2025-01-05"),
    }
    src = write_site(tmp_path_factory.mktemp("exports") / "src", briefs,
                     "title: Desk\ndescription: Cross-border <crime>.\nbase_url: https://example.org/desk/\n"
                     "timezone: Asia/Bangkok\ntimeline_group: countries\nshare_images: true\n")  # og:image
    out = src.parent / "out"
    build_site(Options(src, out, jobs=1))
    return out


def test_briefs_json_has_every_brief_normalised(export_site):
    data = json.loads((export_site / "briefs.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["site"] == {"title": "Desk", "url": "https://example.org/desk/", "timezone": "Asia/Bangkok",
                            "audience": "clear"}
    assert data["briefs"] == [
        {"slug": "b", "url": "https://example.org/desk/briefs/b/", "title": "Beta",
         "date": "2025-01-03T09:30:00+07:00", "updated": "2025-01-05T00:00:00+07:00", "location": None, "places": [],
         "summary": "Body text.", "sources": [], "authors": [], "audience": "clear", "expires": None, "event": None, "updates": [], "thread": None, "image": None, "attachments": [], "tags": [], "countries": [], "organizations": [],
         "extra": {}},
        {"slug": "a", "url": "https://example.org/desk/briefs/a/", "title": "Alpha <b>", "date": "2025-01-02",
         "updated": None, "location": "Bangkok",
         "places": [{"name": "Bangkok", "lat": 13.754, "lon": 100.5014, "country": "TH", "precision": "town"}],
         "summary": "Alpha body word zebra.",
         "sources": [{"name": "Xinhua", "url": "https://example.com/x", "type": None, "reliability": None, "credibility": None, "grade": None, "accessed": None},
                     {"name": "AP", "type": None, "reliability": None, "credibility": None, "grade": None, "accessed": None}], "authors": [],
         "audience": "clear", "expires": None, "event": None, "updates": [], "thread": None, "image": None, "attachments": [], "tags": ["Fraud"], "countries": ["Thailand", "Laos"], "organizations": [], "extra": {"confidence": "high"}},
    ]


def test_timeline_json_is_timelinejs(export_site):
    data = json.loads((export_site / "timeline.json").read_text(encoding="utf-8"))
    assert data["title"] == {"text": {"headline": "Desk", "text": "Cross-border &lt;crime&gt;."}}
    assert data["events"] == [
        {"start_date": {"year": 2025, "month": 1, "day": 2},
         "text": {"headline": '<a href="https://example.org/desk/briefs/a/">Alpha &lt;b&gt;</a>',
                  "text": "<p>Alpha body word zebra.</p>"},
         "unique_id": "a", "group": "Thailand", "location": {"name": "Bangkok", "lat": 13.754, "lon": 100.5014}},
        {"start_date": {"year": 2025, "month": 1, "day": 3, "hour": 9, "minute": 30},
         "text": {"headline": '<a href="https://example.org/desk/briefs/b/">Beta</a>', "text": "<p>Body text.</p>"},
         "unique_id": "b"},
    ]


def test_brief_pages_carry_metadata_and_json_ld(export_site):
    page = (export_site / "briefs" / "a" / "index.html").read_text(encoding="utf-8")
    for tag in ('<title>Alpha &lt;b&gt; — Desk</title>',
                '<meta name="description" content="Alpha body word zebra.">',
                '<link rel="canonical" href="https://example.org/desk/briefs/a/">',
                '<meta property="og:type" content="article">',
                '<meta property="og:title" content="Alpha &lt;b&gt; — Desk">',
                '<meta property="og:url" content="https://example.org/desk/briefs/a/">',
                '<meta name="twitter:card" content="summary_large_image">',
                '<meta property="og:image" content="https://example.org/desk/briefs/a/share.png">',
                '<meta property="article:published_time" content="2025-01-02T00:00:00+07:00">'):
        assert tag in page, tag
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld == {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": "Alpha <b>",
        "description": "Alpha body word zebra.", "url": "https://example.org/desk/briefs/a/",
        "mainEntityOfPage": "https://example.org/desk/briefs/a/",
        "datePublished": "2025-01-02T00:00:00+07:00", "dateModified": "2025-01-02T00:00:00+07:00",
        "inLanguage": "en", "author": {"@type": "Organization", "name": "Desk"},
        "publisher": {"@type": "Organization", "name": "Desk"}, "keywords": ["Fraud", "Thailand", "Laos"],
        "citation": [{"@type": "CreativeWork", "name": "Xinhua", "url": "https://example.com/x"},
                     {"@type": "CreativeWork", "name": "AP"}],
        "contentLocation": {"@type": "Place", "name": "Bangkok",
                            "geo": {"@type": "GeoCoordinates", "latitude": 13.754, "longitude": 100.5014}}}
    home = (export_site / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:type" content="website">' in home
    assert '<meta property="og:description" content="Cross-border &lt;crime&gt;.">' in home


def test_sitemap_dates_pages_by_their_briefs(export_site):
    sitemap = (export_site / "sitemap.xml").read_text()
    assert "<url><loc>https://example.org/desk/briefs/b/</loc><lastmod>2025-01-05</lastmod></url>" in sitemap
    assert "<url><loc>https://example.org/desk/briefs/a/</loc><lastmod>2025-01-02</lastmod></url>" in sitemap
    assert "<url><loc>https://example.org/desk/</loc><lastmod>2025-01-05</lastmod></url>" in sitemap
    assert "<url><loc>https://example.org/desk/tags/</loc></url>" in sitemap


def test_search_index_covers_brief_pages_only(export_site):
    assert json.loads((export_site / "pagefind" / "parts.json").read_text()) == ["2025"]
    entry = json.loads((export_site / "pagefind" / "2025" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2
    assert (export_site / "search" / "index.html").is_file()
    assert 'action="/desk/search/"' in (export_site / "index.html").read_text()


def test_search_false_leaves_out_the_index_page_and_box(make_site, cli):
    src = make_site({"a.md": brief_text()}, config="search: false\n")
    assert cli("build", "--source", src, "--quiet").exit_code == 0
    assert not (src / "site" / "pagefind").exists() and not (src / "site" / "search").exists()
    assert 'role="search"' not in (src / "site" / "index.html").read_text()


def test_timeline_group_must_name_a_taxonomy(make_site):
    src = make_site({"a.md": brief_text()}, config="timeline_group: people\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, src / "site"))
    assert [str(p) for p in failure.value.problems] == [
        f"{src}/site.yml:1:17: timeline_group: 'people' is not a taxonomy; expected one of tags, countries, organizations"]
