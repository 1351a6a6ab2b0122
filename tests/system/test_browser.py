"""The golden site in headless Chromium, served over HTTP under a sub-path base URL:
every page type loads cleanly, links lead where they say, the layout fits 360 px,
axe-core finds nothing serious, the keyboard works, and so does the site without JavaScript."""

from __future__ import annotations

import calendar
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from browser_helpers import Watcher, png_size

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

BRIEF = "briefs/2025-02-27-thai-police-scam-centre-raid/"
BRIEF_TITLE = "Thai police raid scam centre near Myanmar border"
MISSING = "briefs/no-such-brief/"

# One page of each type: (name, path under the base URL, its h1).
PAGES = [
    ("home", "", "Latest briefs"),
    ("brief", BRIEF, BRIEF_TITLE),
    ("bundle", "briefs/2025-01-16-cambodia-deports-fraud-suspects/", "Cambodia deports 200 fraud suspects to China"),
    ("term", "tags/telecom-fraud/", "Telecom Fraud"),
    ("entity", "organizations/ministry-of-public-security/", "Ministry of Public Security"),
    ("taxonomy", "tags/", "Tags"),
    ("timeline", "timeline/", "Timeline"),
    ("year", "timeline/2025/", "2025"),
    ("month", "timeline/2025/02/", "February 2025"),
    ("corrections", "corrections/", "Corrections"),
    ("threads", "threads/", "Threads"),
    ("sources", "sources/", "Sources"),
    ("source", "sources/xinhua/", "Xinhua"),
    ("thread", "threads/mekong-scam-centres/", "Mekong scam centres"),
    ("not-found", MISSING, "Page not found"),
    ("map", "map/", "Map"),
    ("country", "countries/thailand/", "Thailand"),  # a term page with a map; a place's page is one like it
    ("edition", "editions/2025-02/", "February in the Mekong"),
]
PAGE_IDS = [name for name, _, _ in PAGES]

# Absolute URLs of the elements' href attributes (SVG links' .href is not a string).
ALL_HREFS = "elements => elements.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"



@pytest.fixture
def site(served_golden):
    return served_golden


def h1_texts(page) -> list[str]:
    return [text.strip() for text in page.locator("h1").all_inner_texts()]


def open_page(context, url: str, expect_status: int = 200):
    """A new page at `url` with a Watcher attached before navigation; checks the status."""
    page = context.new_page()
    watcher = Watcher({url: expect_status} if expect_status != 200 else {})
    watcher.attach(page)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == expect_status, f"{url}: {response and response.status}"
    return page, watcher


def follow(page, link, expected_url: str) -> None:
    """Click `link` for real, wait for the new page, and check where it landed."""
    with page.expect_navigation(wait_until="load"):
        link.click()
    assert page.url == expected_url, f"the link led to {page.url}, not {expected_url}"


def status_of(path: str) -> int:
    return 404 if path == MISSING else 200


# 1. Every page type loads cleanly.

@pytest.mark.parametrize(("name", "path", "h1"), PAGES, ids=PAGE_IDS)
def test_page_loads_without_errors(context, site, name, path, h1):
    page, watcher = open_page(context, site + path, status_of(path))  # "load": every subresource is in
    assert h1_texts(page) == [h1], f"{name}: expected exactly one h1 {h1!r}"
    assert page.title().endswith("Mekong Security Briefs")
    # The stylesheet really applied (a failed or mis-based CSS link would leave the default margin).
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    # Every link to this host stays under the base path (the 404 page is served at any depth).
    base = urlsplit(site)
    for href in page.eval_on_selector_all("a[href], link[href]", ALL_HREFS):
        if urlsplit(href).netloc == base.netloc:
            assert urlsplit(href).path.startswith(base.path), f"{name}: link outside {base.path}: {href}"
    watcher.assert_clean(f"{name} page {path or '/'}")


def test_hostile_brief_runs_no_script(context, site):
    """The golden brief full of script payloads shows no dialog and has no script element but
    its JSON-LD data block (its one remote image may fail to load offline; that is not the theme's doing)."""
    page, watcher = open_page(context, site + "briefs/2024-10-08-hostile-markup/")
    page.wait_for_load_state("networkidle")
    page.mouse.move(200, 300)
    for link in page.locator("main a").all():
        link.hover()
    assert len(h1_texts(page)) == 1
    assert page.evaluate("[...document.scripts].map(s => s.type)") == ["application/ld+json"]
    watcher.problems = [p for p in watcher.problems if "example.com" not in p]
    watcher.assert_clean("hostile-markup brief")


# 2. Following real links.

def test_click_through_brief_tag_and_timeline(context, site):
    base_path = urlsplit(site).path
    page, watcher = open_page(context, site)

    follow(page, page.locator(".item-title a", has_text=BRIEF_TITLE), site + BRIEF)
    assert h1_texts(page) == [BRIEF_TITLE]

    chip = page.locator("#terms-tags + .chips a", has_text="Telecom Fraud")
    assert chip.count() == 1
    follow(page, chip, site + "tags/telecom-fraud/")
    assert h1_texts(page) == ["Telecom Fraud"]

    follow(page, page.locator("nav.site-nav").get_by_role("link", name="Timeline", exact=True), site + "timeline/")
    assert h1_texts(page) == ["Timeline"]
    assert page.locator('nav.site-nav a[aria-current="page"]').inner_text().strip().lower() == "timeline"

    hrefs = page.eval_on_selector_all("a[href]", ALL_HREFS)
    assert len(hrefs) > 20
    for href in hrefs:
        if urlsplit(href).netloc == urlsplit(site).netloc:
            assert urlsplit(href).path.startswith(base_path), f"link outside the base path: {href}"
    watcher.assert_clean("clicking from home to a brief, a tag and the timeline")


def test_an_alias_url_lands_on_the_entity_page_and_its_links_lead_on(browser, context, site):
    """An alias's old term URL (公安部 was a term of its own) redirects, with and without JavaScript."""
    entity = site + "organizations/ministry-of-public-security/"
    page, watcher = open_page(context, site + "organizations/%E5%85%AC%E5%AE%89%E9%83%A8/")
    page.wait_for_url(entity)
    assert h1_texts(page) == ["Ministry of Public Security"]
    assert "Also known as MPS, 公安部 and Public Security Ministry." in page.locator(".page-head").inner_text()
    follow(page, page.locator(".page-head a", has_text="China"), site + "countries/china/")
    follow(page, page.locator(".page-head a", has_text="Ministry of Public Security"), entity)
    watcher.assert_clean("an alias redirect to an entity page")
    plain = browser.new_context(java_script_enabled=False)
    try:
        page = plain.new_page()
        page.goto(site + "organizations/mps/")
        page.wait_for_url(entity)
        assert h1_texts(page) == ["Ministry of Public Security"]
    finally:
        plain.close()


# 3. The timeline chart's bars.

def test_every_chart_bar_leads_to_its_month(context, site):
    page, watcher = open_page(context, site + "timeline/")
    bars = page.locator("svg.chart-svg a[aria-label]")
    hrefs = [urljoin(page.url, bars.nth(i).get_attribute("href")) for i in range(bars.count())]
    labels = [bars.nth(i).get_attribute("aria-label") for i in range(bars.count())]
    months = page.eval_on_selector_all("ul.months a", "links => links.map(a => a.href)")
    assert len(hrefs) == 7
    assert sorted(hrefs) == sorted(months), "the chart's bars and the month list disagree"

    # Click the first bar for real (its rect), then visit the rest.
    follow(page, bars.first.locator("rect"), hrefs[0])
    for href, label in zip(hrefs, labels, strict=True):
        if page.url != href:
            response = page.goto(href)
            assert response.status == 200, href
        year, month = re.search(r"/timeline/(\d{4})/(\d{2})/$", urlsplit(href).path).groups()
        expected = f"{calendar.month_name[int(month)]} {year}"
        assert label.startswith(expected + ":"), f"bar {href} is labelled {label!r}"
        assert h1_texts(page) == [expected], f"bar {label!r} led to {page.url}"
    watcher.assert_clean("following the chart's bars")


# 3b. The maps' dots.

@pytest.mark.parametrize("path", ["map/", BRIEF, "countries/thailand/"])
def test_every_map_dot_leads_to_its_place_and_nothing_leaves_the_host(context, site, path):
    page, watcher = open_page(context, site + path)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.reload(wait_until="networkidle")
    dots = page.locator("figure.map svg a")
    titles = [dots.nth(i).locator("title").text_content() for i in range(dots.count())]
    hrefs = page.eval_on_selector_all("figure.map svg a", ALL_HREFS)
    assert dots.count() >= 1 and len(hrefs) == len(titles)
    assert page.locator("figure.map svg image").evaluate("image => image.getBBox().width") > 100  # the base map drew
    assert hosts == {urlsplit(site).netloc}, f"{path}: requests to {hosts}"
    for href, title in zip(hrefs[1:], titles[1:], strict=True):  # fetched: a page load each would be slow
        response = page.request.get(href)
        assert response.status == 200 and f"<h1>{title.split(':')[0]}</h1>" in response.text(), href
    follow(page, dots.first.locator("circle"), hrefs[0])  # a real click on the dot
    assert h1_texts(page) == [titles[0].split(":")[0]], f"the dot {titles[0]!r} led to {page.url}"
    watcher.assert_clean(f"the dots of {path}")


# 4. Narrow screens.

@pytest.mark.parametrize(("name", "path", "h1"), PAGES, ids=PAGE_IDS)
def test_no_horizontal_scroll_at_360px(browser, site, name, path, h1):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(site + path)
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
        assert scroll_width <= inner_width, f"{name}: {scroll_width}px wide in a {inner_width}px viewport; {wide}"
    finally:
        context.close()


# 5. Screenshots, kept as test artifacts.

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_screenshots(browser, site, width, scheme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.emulate_media(color_scheme=scheme)
        for name, path, _ in PAGES:
            page.goto(site + path)
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            target = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
            target.unlink(missing_ok=True)
            page.screenshot(path=str(target), full_page=True)
            data = target.read_bytes()
            shot_width, shot_height = png_size(data)
            assert shot_width == width and shot_height >= 400, f"{target.name}: {shot_width}x{shot_height}"
            assert len(data) > 10_000, f"{target.name} is suspiciously small ({len(data)} bytes)"
    finally:
        context.close()


def test_dark_scheme_changes_the_colours(browser, site):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site)
        light = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.emulate_media(color_scheme="dark")
        dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert light != dark
        assert dark == "rgb(20, 20, 20)"
    finally:
        context.close()
