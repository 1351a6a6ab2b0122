"""TLP markings in headless Chromium: the golden site is built for TLP:AMBER, so every page carries the
banner; it is visible in TLP's colours, printed, reachable by no key, and changes nothing the keyboard reaches."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from served import serve
from test_browser import PAGE_IDS, PAGES

from briefsite.build import Options, build_site

from conftest import brief_text

AMBER = "rgb(255, 192, 0)"
BLACK = "rgb(0, 0, 0)"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("name", "path", "h1"), PAGES, ids=PAGE_IDS)
def test_the_banner_is_visible_at_the_top_in_tlp_colours(context, served_golden, name, path, h1, scheme):
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(served_golden + path)
    label = page.locator(".tlp-banner .tlp")
    assert label.inner_text() == "TLP:AMBER"
    box = label.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0 and box["y"] < 40, f"{name}: {box}"
    colour, background = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.tlp-banner .tlp'));
        return [s.color, getComputedStyle(document.querySelector('.tlp-banner')).backgroundColor]; }""")
    assert (colour, background) == (AMBER, BLACK)


def test_a_brief_shows_its_own_marking(context, served_golden):
    page = context.new_page()
    page.goto(served_golden + "briefs/2024-12-03-myanmar-border-crackdown/")
    marking = page.locator(".brief-marking .tlp")
    assert marking.inner_text() == "TLP:GREEN"
    assert page.evaluate("getComputedStyle(document.querySelector('.brief-marking .tlp')).color") == (
        "rgb(51, 255, 0)")


def test_the_banner_is_printed_on_every_sheet(context, served_golden):
    page = context.new_page()
    page.goto(served_golden + "briefs/2025-02-27-thai-police-scam-centre-raid/")
    page.emulate_media(media="print")
    style = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.tlp-banner'));
        return [s.display, s.position, s.printColorAdjust || s.webkitPrintColorAdjust]; }""")
    assert style == ["block", "fixed", "exact"]  # a fixed element repeats on every printed page


FOCUSABLE = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && e.getClientRects().length)
    .map(e => e.tagName + ' ' + (e.getAttribute('href') || e.name || '') + ' ' + e.textContent.trim())"""


def test_the_marking_adds_nothing_the_keyboard_reaches(browser, tmp_path):
    """The same clear briefs built for clear and for amber: the same stops for Tab, in the same order."""
    src = tmp_path / "src"
    (src / "briefings").mkdir(parents=True)
    for number in range(3):
        (src / "briefings" / f"b{number}.md").write_text(brief_text(
            title=f"Brief {number}", date=f"2025-02-0{number + 1}", tags="[raid]", body=f"Body {number}."))
    stops = {}
    for audience in ("clear", "amber"):
        out = tmp_path / audience / "briefs"
        with serve(out, "/briefs/") as url:
            build_site(Options(src, out, base_url=url, jobs=1, audience=audience))
            page = browser.new_page()
            stops[audience] = []
            for path in ("", "briefs/b1/", "tags/raid/"):
                page.goto(url + path)
                assert (page.locator(".tlp-banner").count() == 1) == (audience == "amber")
                stops[audience].append([stop.replace(url, "") for stop in page.evaluate(FOCUSABLE)])
            page.close()
    assert stops["amber"] == stops["clear"] and all(stops["clear"])


def test_search_filters_by_marking(context, served_golden):
    page = context.new_page()
    page.goto(served_golden + "search/")
    markings = page.locator('#search-filters select[name="audience"]')
    expect(markings).to_be_visible()
    assert markings.locator("option").all_inner_texts() == [
        "All markings", "TLP:AMBER (1)", "TLP:CLEAR (9)", "TLP:GREEN (1)"]
    markings.select_option("TLP:GREEN")
    expect(page.locator("#search-results li")).to_have_count(1)
    assert "Myanmar junta announces crackdown" in page.locator("#search-results").inner_text()
    expect(page.locator("#search-results .item-meta .tlp")).to_have_text("TLP:GREEN")
