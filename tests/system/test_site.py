"""Properties of the built golden site: links resolve, markup is safe, pages are well formed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import theme_element

BASE_URL = "https://example.org/briefs/"
BASE_PATH = "/briefs/"


class Page(HTMLParser):
    """The tags, attributes, ids and text of one HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if attrs.get("id")}

    @property
    def redirect(self) -> bool:
        """Whether the page only sends the reader on (an old URL, an entity's alias)."""
        return any(attrs.get("http-equiv") == "refresh" for attrs in self.all("meta"))


@pytest.fixture(scope="module")
def site(golden_site) -> Path:
    """The golden site, built once for the session (conftest); read, never changed."""
    return golden_site


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): Page(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


def resolve(site: Path, href: str) -> tuple[Path, str] | None:
    """The file and fragment an internal href points at, or None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if not href.startswith(BASE_URL):
            return None
        parts = urlsplit(href[len("https://example.org"):])
    assert parts.path.startswith(BASE_PATH), f"internal link outside the base path: {href}"
    path = unquote(parts.path[len(BASE_PATH):])
    target = site / (path + "index.html" if path.endswith("/") or not path else path)
    return target, parts.fragment


def test_every_internal_link_and_asset_resolves(site, pages):
    checked = 0
    for name, page in pages.items():
        for attrs in page.all("a") + page.all("link") + page.all("img"):
            href = attrs.get("href") or attrs.get("src")
            if not href:
                continue
            if href.startswith("#"):
                assert href[1:] in page.ids, f"{name}: no id for {href}"
                continue
            found = resolve(site, href)
            if found is None:
                continue
            target, fragment = found
            assert target.is_file(), f"{name}: broken link {href}"
            if fragment:
                assert fragment in pages[target.relative_to(site).as_posix()].ids, f"{name}: no anchor {href}"
            checked += 1
    assert checked > 1000


def test_no_page_carries_active_content(site, pages):
    for name, page in pages.items():
        for tag, attrs in page.tags:
            forbidden = tag in ("script", "iframe", "object", "embed", "form", "input", "button", "select")
            assert not forbidden or theme_element(tag, attrs), f"{name}: <{tag} {attrs}>"
            for attr, value in attrs.items():
                assert not attr.startswith("on"), f"{name}: <{tag} {attr}>"
                if attr in ("href", "src") and value:
                    scheme = urlsplit(value.strip()).scheme.lower()
                    assert scheme in ("", "http", "https", "mailto", "data"), f"{name}: {attr}={value}"
                    assert scheme != "data" or (tag == "img" and value.startswith("data:image/")), f"{name}: {value}"
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt"):
            assert not re.search(r"javascript:", path.read_text(), re.I), path


def test_hostile_text_is_shown_as_text(pages):
    page = pages["briefs/2024-10-08-hostile-markup/index.html"]
    assert page.all("h1") == [{"data-pagefind-meta": "title"}]
    text = "".join(page.text)
    assert "<script>alert('title')</script> Hostile <b>markup</b> test" in text
    assert "<b>Evil source</b>" in text
    assert "a&b" in text


def test_every_page_has_one_h1_landmarks_and_a_skip_link(pages):
    for name, page in pages.items():
        if page.redirect or name.endswith("/email.html"):  # an edition as an email: a letter, not a page of the site
            continue
        assert len(page.all("h1")) == 1, name
        assert len(page.all("main")) == 1 and page.all("main")[0]["id"] == "content", name
        assert page.all("a")[0] == {"class": "skip-link", "href": "#content"}, name
        assert page.all("html") == [{"lang": "en"}], name
        assert len(page.all("nav")) >= 1 and len(page.all("header")) >= 1 and len(page.all("footer")) >= 1, name


def test_pages_of_the_site(site):
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "page/2/index.html", "page/3/index.html", "404.html", "robots.txt", "sitemap.xml",
            ".nojekyll", "timeline/index.html", "timeline/2025/index.html", "timeline/2025/02/index.html",
            "tags/index.html", "tags/telecom-fraud/index.html", "tags/telecom-fraud/page/2/index.html",
            "tags/电信诈骗/index.html", "tags/การฉ้อโกงออนไลน์/index.html", "countries/ประเทศไทย/index.html",
            "briefs/2024-11-20-电信诈骗-案件/index.html", "briefs/thai-police-online-fraud-arrests/index.html",
            } <= names
    assert not any("draft" in n for n in names)
    assert not (site / "page" / "4").exists()


def test_terms_merge_spellings_and_show_the_most_used(pages):
    index = pages["tags/index.html"]
    text = " ".join("".join(index.text).split())
    # "Telecom Fraud" x2, "telecom fraud" x2, "telecom-fraud" x1, "Telecom fraud" x1: the tie goes to the first spelling
    assert "Telecom Fraud 6" in text
    assert "telecom fraud" not in text and "telecom-fraud" not in text


def test_same_day_briefs_and_month_groups_are_in_stable_order(pages):
    home = pages["index.html"]
    titles = [a["href"] for a in home.all("a") if a["href"].startswith("/briefs/briefs/")]
    assert titles == [
        "/briefs/briefs/2025-02-27-thai-police-scam-centre-raid/",  # 16:30 +07:00 on the same day
        "/briefs/briefs/2025-02-27-china-thailand-repatriation/",
        "/briefs/briefs/2025-01-16-cambodia-deports-fraud-suspects/",  # same day: by slug
        "/briefs/briefs/2025-01-16-laos-china-patrol-centre/",
    ]
    assert [h["id"] for h in home.all("h2")] == ["m2025-02", "m2025-01"]


def test_timeline_chart_links_every_month_with_briefs(pages):
    timeline = pages["timeline/index.html"]
    bars = [a for a in timeline.all("a") if "aria-label" in a]
    assert [b["aria-label"] for b in bars][:2] == ["June 2023: 1 brief", "August 2024: 1 brief"]  # by event: 2023, c. August 2024
    assert bars[-1] == {"href": "/briefs/timeline/2025/02/", "aria-label": "February 2025: 2 briefs"}
    assert len(bars) == 7  # months with events of briefs; empty months have no bar link
    assert len(timeline.all("rect")) == 7 and len(timeline.all("title")) == 9  # page title, chart title, 7 bars


def test_sitemap_lists_every_page_under_the_base_url(site, pages):
    sitemap = (site / "sitemap.xml").read_text()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    expected = sorted(BASE_URL + n[: -len("index.html")] for n, page in pages.items()
                      if n.endswith("index.html") and not page.redirect)
    assert sorted(unquote(loc) for loc in locations) == expected
    redirects = sorted(n for n, page in pages.items() if page.redirect)  # the entities' aliases: in no sitemap
    assert redirects == ["countries/burma/index.html", "countries/prc/index.html", "countries/ประเทศไทย/index.html",
                         "countries/中国/index.html", "countries/缅甸/index.html", "organizations/mps/index.html",
                         "organizations/nia/index.html", "organizations/public-security-ministry/index.html",
                         "organizations/rtp/index.html", "organizations/公安部/index.html"]
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE_URL}sitemap.xml\n"
