"""Real clients on the built site: the Nu HTML Checker, and a crawler over HTTP."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin

import pytest

from briefsite.build import Options, build_site

from conftest import ROOT, nu_errors, require_client

CORPUS = ROOT / "bench" / "make_corpus.py"


@pytest.mark.slow
def test_the_golden_site_and_a_generated_300_brief_site_are_valid_html(golden_site, tmp_path, undrawn_share_images):
    """Both checked by one start of the Nu HTML Checker; the cards are not drawn, their tags are in the pages."""
    require_client(CORPUS.is_file(), "The shared corpus generator", f"it is expected at {CORPUS}")
    (tmp_path / "src" / "briefings").mkdir(parents=True)
    subprocess.run([sys.executable, str(CORPUS), "--format", "briefs", "--n", "300",
                    "--out", str(tmp_path / "src" / "briefings")], check=True, capture_output=True)
    build_site(Options(tmp_path / "src", tmp_path / "site", base_url="https://example.org/desk/"))
    assert len(list((tmp_path / "site").rglob("*.html"))) > 500
    assert nu_errors(golden_site, tmp_path / "site") == ""


class Links(HTMLParser):
    """Every URL a page refers to: links, stylesheets, icons, images."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src", "action"):
            if attrs.get(name):
                self.urls.append(attrs[name])


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except HTTPError as error:
        return error.code, "", b""


def crawl(base: str) -> dict[str, Links]:
    """Start at the home page under `base`, follow every internal URL, and check each one and its anchors;
    the HTML pages found, by URL."""
    pages: dict[str, Links] = {}
    queue, seen, broken = [base], {base}, []
    anchors: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        status, kind, body = fetch(url)
        if status != 200:
            broken.append(f"{url}: HTTP {status}")
            continue
        if kind != "text/html":
            continue
        links = pages[url] = Links()
        links.feed(body.decode("utf-8"))
        for href in links.urls:
            target, fragment = urldefrag(urljoin(url, href))
            if not target.startswith(base):
                assert not target.startswith("http://127.0.0.1"), f"{url}: link outside the base path: {href}"
                continue
            if fragment:
                anchors.append((url, target, fragment))
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert broken == []
    missing = [f"{page} -> {target}#{fragment}" for page, target, fragment in anchors
               if fragment not in pages[target].ids]
    assert missing == []
    status, _, sitemap = fetch(base + "sitemap.xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap.decode())
    # every page is linked, and in the sitemap; but an edition's email, a copy of its page kept from search engines
    indexed = {page for page in pages if not page.endswith("/email.html")}
    assert status == 200 and set(locations) == indexed
    return pages


def test_crawl_every_internal_link_over_http(served_golden):
    assert len(crawl(served_golden)) > 60
