"""The golden site's every page type for readers without a mouse, a screen or JavaScript: axe-core in light
and dark, the keyboard from the skip link, and the site with JavaScript off. Apart from test_browser.py so
that the served tests' two processes share the browser work evenly (one module runs on one process)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from browser_helpers import format_violations, serious_violations
from test_browser import PAGE_IDS, PAGES, h1_texts, status_of

from conftest import AXE_JS, require_client


@pytest.fixture
def site(served_golden):
    return served_golden


# 6. axe-core.

@pytest.mark.parametrize(("name", "path", "h1"), PAGES, ids=PAGE_IDS)
def test_axe_finds_no_serious_violations(context, site, name, path, h1):
    require_client(AXE_JS.is_file(), "axe-core", "run `npm ci`")
    page = context.new_page()
    page.goto(site + path)
    found = serious_violations(page, AXE_JS)
    assert list(found) == ["light", "dark"]
    for scheme, serious in found.items():
        assert not serious, f"{name} ({scheme}):\n  {format_violations(serious)}"


# 7. Keyboard.

@pytest.mark.parametrize(("name", "path", "h1"), PAGES, ids=PAGE_IDS)
def test_skip_link_is_first_visible_and_moves_focus(context, site, name, path, h1):
    page = context.new_page()
    page.goto(site + path)
    skip = page.locator("a.skip-link")
    box = skip.bounding_box()
    assert box is None or box["y"] + box["height"] <= 0, "the skip link shows before it is focused"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.inner_text().strip() == "Skip to content"
    box = skip.bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert box["x"] >= 0 and box["y"] >= 0, f"focused skip link is off-screen at {box}"
    assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"]
    # Its focus ring is drawn, and drawn entirely inside the viewport.
    style, ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset)]; }""")
    assert style != "none" and ring > 0
    assert box["x"] - ring >= 0 and box["y"] - ring >= 0, f"the focus ring is cut off by the viewport edge: {box}"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content", "Enter on the skip link did not focus main#content"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # The next Tab continues inside main, not back at the masthead.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')"), "Tab after the skip link left main"


# 8. Without JavaScript.

@pytest.mark.parametrize(("name", "path", "h1"), PAGES, ids=PAGE_IDS)
def test_pages_work_without_javascript(browser, site, name, path, h1):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        response = page.goto(site + path)
        assert response.status == status_of(path)
        assert h1_texts(page) == [h1]
        nav = page.locator("nav.site-nav a")
        assert nav.count() >= 3
        for i in range(nav.count()):
            assert nav.nth(i).is_visible(), f"nav link {i} is not shown without JavaScript"
            assert urlsplit(urljoin(page.url, nav.nth(i).get_attribute("href"))).path.startswith(urlsplit(site).path)
        if name == "timeline":
            chart = page.locator("svg.chart-svg")
            assert chart.is_visible(), "the timeline chart is not shown without JavaScript"
            box = chart.bounding_box()
            assert box["width"] > 300 and box["height"] > 50
            bars = page.locator("svg.chart-svg a[aria-label] rect")
            assert bars.count() == 7
            assert all(bars.nth(i).bounding_box()["height"] > 0 for i in range(bars.count()))
            with page.expect_navigation():
                bars.first.click()
            assert re.search(r"/timeline/\d{4}/\d{2}/$", page.url), page.url
            assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", h1_texts(page)[0])
    finally:
        context.close()
