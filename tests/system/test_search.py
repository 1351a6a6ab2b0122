"""The search page in headless Chromium, on the golden site served under a sub-path:
a query finds the right brief, filters narrow and are remembered in the URL, sorting
follows the dates, the empty and no-result states, the header box, no JavaScript,
nothing loaded from elsewhere — and (slow) the same on a 500-brief corpus."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from urllib.request import urlopen

import pytest
import yaml
from browser_helpers import Watcher
from served import serve

from briefsite.build import Options, build_site
from briefsite.output import search

from conftest import GOLDEN, RECORDING_PAGEFIND, ROOT, undraw_share_images

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the browser fixture (conftest): a skip locally, a failure in CI
    expect = None

CORPUS = ROOT / "bench" / "make_corpus.py"

PROMPT = "Type a word, or choose a filter, to search the briefs."
CAMBODIA_BRIEF = ("Cambodia deports 200 fraud suspects to China", "briefs/2025-01-16-cambodia-deports-fraud-suspects/")
# "fraud" in the title, summary or body (tags are not indexed) of exactly these golden briefs.
FRAUD_TITLES = {
    "Thai police raid scam centre near Myanmar border",
    "China repatriates 40 nationals stranded in Thailand after illegal border crossings",
    "Cambodia deports 200 fraud suspects to China",
    "Myanmar junta announces crackdown on border casinos",
    "ASEAN ministers agree plan against transnational crime",
    "Vietnam extradites fraud ring leader to China",
}
# The tag "Telecom Fraud", newest first (the raid's 16:30 puts it after midnight the same day).
TELECOM_FRAUD_NEWEST = [
    "briefs/2025-02-27-thai-police-scam-centre-raid/",
    "briefs/2025-02-27-china-thailand-repatriation/",
    "briefs/2025-01-16-cambodia-deports-fraud-suspects/",
    "briefs/thai-police-online-fraud-arrests/",
    "briefs/2024-10-08-interpol-operation/",
    "briefs/2023-05-30-vietnam-extradition/",
]


# ---------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(served_golden):
    return served_golden


@pytest.fixture(scope="module")
def golden_briefs(site) -> dict[str, dict]:
    """The served golden site's briefs.json records (normalised headers), by URL."""
    with urlopen(site + "briefs.json") as response:
        data = json.load(response)
    return {brief["url"]: brief for brief in data["briefs"]}


def open_search(context, url: str):
    """A page at `url` with a Watcher attached, once the search app has shown itself."""
    page = context.new_page()
    watcher = Watcher()
    watcher.attach(page)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    expect(page.locator("#search-app")).to_be_visible()
    return page, watcher


def status(page):
    return page.locator("#search-status")


def results(page) -> list[tuple[str, str]]:
    """The listed results as (title, absolute URL), in order."""
    links = page.locator("#search-results .item-title a")
    return [(links.nth(i).inner_text().strip(), links.nth(i).evaluate("a => a.href")) for i in range(links.count())]


def found(n: int) -> str:
    return f"{n} brief{'' if n == 1 else 's'} found."


def count_found(text: str) -> int:
    """The number in "N briefs found." (a longer list adds " The first 50 are shown.")."""
    match = re.fullmatch(r"(\d+) briefs? found\.( The first 50 are shown\.)?", text.strip())
    assert match, f"not a result count: {text!r}"
    return int(match.group(1))


def search_for(page, words: str) -> None:
    """Type `words` into the search page's box and submit the form."""
    page.fill("#search-query", words)
    page.press("#search-query", "Enter")


# ---------------------------------------------------------------------------
# 1. A query finds the right brief
# ---------------------------------------------------------------------------

def test_query_finds_the_one_brief_with_that_word(context, site):
    page, watcher = open_search(context, site + "search/")
    search_for(page, "chartered")  # only in the Cambodia brief's body
    expect(status(page)).to_have_text(found(1))
    title, path = CAMBODIA_BRIEF
    assert results(page) == [(title, site + path)]
    assert urlsplit(site + path).path.startswith("/briefs/briefs/")
    excerpt = page.locator("#search-results .item-summary").inner_html()
    assert "<mark>chartered</mark>" in excerpt, excerpt
    assert page.locator("#search-results .item-meta").inner_text().strip() == "TLP:CLEAR 16 January 2025 · Phnom Penh"  # the desk build marks
    assert page.url == site + "search/?q=chartered"
    # The result's link leads to the brief.
    with page.expect_navigation(wait_until="load"):
        page.locator("#search-results .item-title a").click()
    assert page.url == site + path
    assert page.locator("h1").inner_text().strip() == title
    watcher.assert_clean("searching for 'chartered'")


# ---------------------------------------------------------------------------
# 2. A filter narrows results, and the URL remembers it
# ---------------------------------------------------------------------------

def test_country_filter_narrows_and_is_restored_from_the_url(context, site, golden_briefs):
    page, watcher = open_search(context, site + "search/")
    search_for(page, "fraud")
    expect(status(page)).to_have_text(found(len(FRAUD_TITLES)))
    assert {title for title, _ in results(page)} == FRAUD_TITLES

    countries = page.locator('#search-filters select[name="countries"]')
    assert countries.locator("option").first.inner_text() == "All countries"
    assert countries.locator('option[value="Cambodia"]').inner_text() == "Cambodia (3)"
    countries.select_option("Cambodia")
    expect(status(page)).to_have_text(found(2))
    narrowed = results(page)
    assert {title for title, _ in narrowed} == {"Cambodia deports 200 fraud suspects to China",
                                                "ASEAN ministers agree plan against transnational crime"}
    for title, url in narrowed:
        assert "Cambodia" in golden_briefs[url]["countries"], f"{title} is not about Cambodia"
    assert page.url == site + "search/?" + urlencode({"q": "fraud", "countries": "Cambodia"})

    page.reload(wait_until="load")
    expect(page.locator("#search-app")).to_be_visible()
    expect(status(page)).to_have_text(found(2))
    assert sorted(results(page)) == sorted(narrowed)
    assert page.input_value("#search-query") == "fraud"
    assert countries.input_value() == "Cambodia"
    assert page.input_value("#search-sort") == "relevance"
    # Back to all countries: the URL forgets the filter and the results widen again.
    countries.select_option("")
    expect(status(page)).to_have_text(found(len(FRAUD_TITLES)))
    assert page.url == site + "search/?q=fraud"
    watcher.assert_clean("filtering 'fraud' by country")


# ---------------------------------------------------------------------------
# 3. Filters alone, and sorting by date
# ---------------------------------------------------------------------------

def test_tag_filter_alone_and_date_sorting(context, site, golden_briefs):
    page, watcher = open_search(context, site + "search/")
    page.locator('#search-filters select[name="tags"]').select_option("Telecom Fraud")
    expect(status(page)).to_have_text(found(len(TELECOM_FRAUD_NEWEST)))
    expected = [url for url, brief in golden_briefs.items() if "Telecom Fraud" in brief["tags"]]
    assert sorted(url for _, url in results(page)) == sorted(expected)
    assert page.url == site + "search/?" + urlencode({"tags": "Telecom Fraud"})

    # briefs.json is newest first (ties by slug): the same order the sort must give.
    assert expected == [site + path for path in TELECOM_FRAUD_NEWEST]
    page.select_option("#search-sort", "newest")
    expect(page.locator("#search-results .item-title a").first).to_have_attribute(
        "href", re.compile(re.escape(urlsplit(site).path + TELECOM_FRAUD_NEWEST[0]) + "$"))
    assert [url for _, url in results(page)] == expected
    dates = [golden_briefs[url]["date"] for _, url in results(page)]
    assert dates == sorted(dates, reverse=True)
    assert page.url == site + "search/?" + urlencode({"tags": "Telecom Fraud", "sort": "newest"})

    page.select_option("#search-sort", "oldest")
    expect(page.locator("#search-results .item-title a").first).to_have_attribute(
        "href", re.compile(re.escape(urlsplit(site).path + TELECOM_FRAUD_NEWEST[-1]) + "$"))
    assert [url for _, url in results(page)] == expected[::-1]
    assert page.url == site + "search/?" + urlencode({"tags": "Telecom Fraud", "sort": "oldest"})

    # The sort is restored from the URL too.
    page.reload(wait_until="load")
    expect(status(page)).to_have_text(found(len(TELECOM_FRAUD_NEWEST)))
    assert page.input_value("#search-sort") == "oldest"
    assert [url for _, url in results(page)] == expected[::-1]
    watcher.assert_clean("filtering by tag and sorting by date")


# ---------------------------------------------------------------------------
# 4. The empty and no-result states
# ---------------------------------------------------------------------------

def test_empty_and_no_result_states(context, site):
    page, watcher = open_search(context, site + "search/")
    expect(status(page)).to_have_text(PROMPT)
    assert page.locator("#search-results > li").count() == 0
    assert page.url == site + "search/"

    search_for(page, "zzyzxq")
    expect(status(page)).to_have_text("No briefs match “zzyzxq”.")
    assert page.locator("#search-results > li").count() == 0
    assert page.url == site + "search/?q=zzyzxq"

    # A match, then clearing the box: back to the prompt, with no results left over.
    search_for(page, "chartered")
    expect(status(page)).to_have_text(found(1))
    search_for(page, "")
    expect(status(page)).to_have_text(PROMPT)
    assert page.locator("#search-results > li").count() == 0
    assert page.url == site + "search/"

    # A word that matches, under a filter that excludes it.
    page.goto(site + "search/?" + urlencode({"q": "chartered", "countries": "France"}))
    expect(status(page)).to_have_text("No briefs match “chartered” with these filters.")
    assert page.locator("#search-results > li").count() == 0
    watcher.assert_clean("the empty and no-result states")


# ---------------------------------------------------------------------------
# 5. The header's search box
# ---------------------------------------------------------------------------

def test_header_search_box_leads_to_the_results(context, site):
    page = context.new_page()
    watcher = Watcher()
    watcher.attach(page)
    page.goto(site + "briefs/2025-02-27-thai-police-scam-centre-raid/")
    page.fill("#site-search-query", "chartered")
    with page.expect_navigation(wait_until="load"):
        page.press("#site-search-query", "Enter")
    assert page.url == site + "search/?q=chartered"
    assert page.title() == "Search — Mekong Security Briefs"
    expect(status(page)).to_have_text(found(1))
    assert page.input_value("#search-query") == "chartered"
    title, path = CAMBODIA_BRIEF
    assert results(page) == [(title, site + path)]
    watcher.assert_clean("the header search box")


# ---------------------------------------------------------------------------
# 6. Without JavaScript
# ---------------------------------------------------------------------------

def test_without_javascript_the_notice_shows_and_the_app_stays_hidden(browser, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        response = page.goto(site + "search/?q=fraud")
        assert response.status == 200
        notice = page.locator("main p.notice")
        assert notice.is_visible()
        assert " ".join(notice.inner_text().split()) == (
            "Search needs JavaScript, which is turned off in this browser. You can still browse the briefs "
            "by date, by tag, by country or by organization.")
        assert notice.locator("a").evaluate_all("links => links.map(a => a.href)") == [
            site + "timeline/", site + "tags/", site + "countries/", site + "organizations/"]
        assert page.locator("#search-app").is_hidden()
        assert not page.locator("#search-query").is_visible()
    finally:
        context.close()


# ---------------------------------------------------------------------------
# 7. Nothing from elsewhere, nothing broken
# ---------------------------------------------------------------------------

def test_search_loads_only_from_the_site_itself(context, site):
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    watcher = Watcher()
    watcher.attach(page)
    page.goto(site + "search/", wait_until="load")
    search_for(page, "fraud")
    expect(status(page)).to_have_text(found(len(FRAUD_TITLES)))
    page.locator('#search-filters select[name="year"]').select_option("2025")
    expect(status(page)).to_have_text(found(3))
    page.wait_for_load_state("networkidle")

    pagefind = [url for url in requests if urlsplit(url).path.startswith(urlsplit(site).path + "pagefind/")]
    assert any(url.endswith("/pagefind.js") for url in pagefind), requests
    assert any(".pf_fragment" in url for url in pagefind), "no result fragment was loaded"
    outside = [url for url in requests if not url.startswith(site)]
    assert not outside, f"requests outside {site}: {outside}"
    watcher.assert_clean("the search page through a query and a filter change")


# ---------------------------------------------------------------------------
# 8. Done when: a 500-brief corpus under a sub-path
# ---------------------------------------------------------------------------

def corpus_countries() -> set[str]:
    """The generator's COUNTRIES list (slugs such as "sri-lanka")."""
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.COUNTRIES)


def split_header(text: str) -> tuple[dict, str]:
    match = re.match(r"---\n(.*?)\n---\n(.*)\Z", text, re.S)
    assert match, "a generated brief without a YAML header"
    return yaml.safe_load(match.group(1)), match.group(2)


def make_corpus_with_countries(folder: Path, n: int) -> dict[str, tuple[dict, str]]:
    """Generate n briefs into folder/briefings, moving country tags into `countries:`;
    returns each file's (header, body) by file stem."""
    subprocess.run([sys.executable, str(CORPUS), "--format", "briefs", "--n", str(n),
                    "--out", str(folder / "briefings")], check=True, capture_output=True)
    countries = corpus_countries()
    briefs = {}
    for path in sorted((folder / "briefings").glob("*.md")):
        header, body = split_header(path.read_text(encoding="utf-8"))
        tags = header.get("tags") or []
        header["tags"] = [tag for tag in tags if tag not in countries]
        header["countries"] = [tag for tag in tags if tag in countries]
        dumped = yaml.safe_dump(header, sort_keys=False, allow_unicode=True)
        path.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")
        briefs[path.stem] = (header, body)
    return briefs


WORD = re.compile(r"[^\W\d_]{6,}")


def distinctive_word(briefs: dict[str, tuple[dict, str]]) -> tuple[str, str]:
    """A word of six letters or more found in one brief's body and in no other brief at all,
    whose five-letter prefix is in no other brief either (so no stemming joins it to another)."""
    words, prefixes = {}, Counter()
    for stem, (header, body) in briefs.items():
        text = " ".join([str(header["title"]), str(header.get("summary", "")), body]).lower()
        words[stem] = set(WORD.findall(text))
        prefixes.update({word[:5] for word in words[stem]})
    for stem, (_, body) in sorted(briefs.items()):
        for word in sorted(set(WORD.findall(body.lower()))):
            if prefixes[word[:5]] == 1:
                return word, stem
    pytest.fail("no word of the generated corpus occurs in one brief only")


@dataclass(frozen=True)
class Corpus:
    """The generated corpus built and served under a sub-path, shared by the tests of sections 8 and 9."""

    briefs: dict[str, tuple[dict, str]]
    out: Path
    url: str


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    src = tmp_path_factory.mktemp("corpus")
    briefs = make_corpus_with_countries(src, 500)
    out = src / "served" / "desk"
    with serve(out, "/desk/") as url:
        with pytest.MonkeyPatch.context() as monkeypatch:
            undraw_share_images(monkeypatch)  # the cards are not looked at here
            # One process: here, beside the server's and the browser's threads, a build cannot fork its
            # workers (parallel.can_fork) and would send the whole site to a forkserver's.
            build_site(Options(src, out, base_url=url, jobs=1))
        yield Corpus(briefs, out, url)


@pytest.mark.slow
@pytest.mark.xdist_group("corpus")  # one worker builds the corpus for both
def test_500_brief_corpus_search_under_a_sub_path(browser, corpus):
    briefs, out, url = corpus.briefs, corpus.out, corpus.url
    assert len(briefs) == 500
    assert sum(bool(header["countries"]) for header, _ in briefs.values()) > 100, "too few briefs with countries"
    word, stem = distinctive_word(briefs)
    title = str(briefs[stem][0]["title"])
    assert (out / "feed.xml").is_file()
    assert json.loads((out / "pagefind" / "parts.json").read_text()) == [str(y) for y in range(2024, 2018, -1)]
    assert (out / "pagefind" / "2024" / "pagefind.js").is_file()
    with urlopen(url + "briefs.json") as response:
        records = json.load(response)["briefs"]
    assert len(records) == 500
    by_url = {record["url"]: record for record in records}
    counts = Counter(country for record in records for country in record["countries"])
    country, count = counts.most_common(1)[0]
    assert 2 <= count < 500
    slug = country.lower()
    assert (out / "countries" / slug / "feed.xml").is_file()
    with urlopen(url + f"countries/{slug}/feed.xml") as response:
        assert response.status == 200 and b"<feed" in response.read(400)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    try:
        requests: list[str] = []
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        watcher = Watcher()
        watcher.attach(page)
        page.goto(url + "search/?" + urlencode({"q": word}), wait_until="load")
        expect(page.locator("#search-app")).to_be_visible()
        expect(status(page)).to_have_text(re.compile(r"briefs? found\."))
        listed = results(page)
        assert status(page).inner_text() == found(1), f"{word!r} (from {stem}) listed {listed}"
        assert listed[0][0] == title
        assert urlsplit(listed[0][1]).path.startswith("/desk/briefs/")
        assert by_url[listed[0][1]]["title"] == title
        assert f"<mark>{word}" in page.locator("#search-results .item-summary").first.inner_html().lower()

        # A word common to many briefs, then the most frequent country narrows it.
        search_for(page, "police")
        expect(status(page)).not_to_have_text(found(1))
        before_text = status(page).inner_text()
        before = count_found(before_text)
        assert before > 50 and before_text.endswith(" The first 50 are shown.")
        page.locator('#search-filters select[name="countries"]').select_option(country)
        expect(status(page)).not_to_have_text(before_text)
        after = count_found(status(page).inner_text())
        assert 0 < after < before
        narrowed = results(page)
        assert len(narrowed) == min(after, 50)
        for listed_title, listed_url in narrowed:
            assert country in by_url[listed_url]["countries"], f"{listed_title} is not about {country}"
        assert page.url == url + "search/?" + urlencode({"q": "police", "countries": country})
        outside = [request for request in requests if not request.startswith(url)]
        assert not outside, f"requests outside {url}: {outside}"
        watcher.assert_clean("searching the 500-brief corpus")
    finally:
        context.close()


def test_an_incremental_build_indexes_an_edited_brief_again(browser, tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(GOLDEN / "site", src)
    edited = sorted((src / "briefings").glob("*.md"))[0]
    assert edited.name.startswith("2023-")
    title = split_header(edited.read_text(encoding="utf-8"))[0]["title"]
    out = tmp_path / "served" / "briefs"
    with serve(out, "/briefs/") as url:
        build_site(Options(src, out, base_url=url, jobs=1))
        (tmp_path / "pagefind.py").write_text(RECORDING_PAGEFIND)
        monkeypatch.setattr(search, "PAGEFIND", [sys.executable, str(tmp_path / "pagefind.py")])
        monkeypatch.setenv("PAGEFIND_LOG", str(tmp_path / "pagefind.log"))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nA zymurgist was consulted.\n", encoding="utf-8")
        result = build_site(Options(src, out, base_url=url, jobs=1))
        assert 0 < result.rendered < result.pages  # incremental
        # Pagefind ran for the edited brief's year, and the small index of every part's words; not for 2024 or 2025.
        assert sorted((tmp_path / "pagefind.log").read_text().split()) == ["2023", "words"]
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page, watcher = open_search(context, url + "search/?" + urlencode({"q": "zymurgist"}))
            expect(status(page)).to_have_text(found(1))
            assert [listed for listed, _ in results(page)] == [title]
            watcher.assert_clean("searching the rebuilt index")
        finally:
            context.close()


# ---------------------------------------------------------------------------
# 9. The index in parts finds what one index of the whole site finds
# ---------------------------------------------------------------------------

# One index of the whole site, searched with Pagefind's own API: the URLs of every result, in order.
WHOLE_SEARCH = """async ([base, query, filters, sort]) => {
  const pagefind = await import(`${base}whole/pagefind.js`);
  await pagefind.options({ baseUrl: base });
  const search = await pagefind.search(query, sort ? { filters, sort: { date: sort } } : { filters });
  return (await Promise.all(search.results.map((result) => result.data()))).map((data) => data.url);
}"""
WHOLE_FILTERS = """async (base) => {
  const pagefind = await import(`${base}whole/pagefind.js`);
  await pagefind.options({ baseUrl: base });
  return await pagefind.filters();
}"""


def listed_on_the_search_page(context, url: str, query: str | None, filters: dict, sort: str) -> tuple[int, list[str]]:
    """The split index's answer, as the search page shows it: how many found, and the URLs listed (50 at most)."""
    params = ({"q": query} if query else {}) | filters | ({"sort": sort} if sort != "relevance" else {})
    page, watcher = open_search(context, url + "search/?" + urlencode(params))
    expect(status(page)).to_have_text(re.compile(r"found\.|No briefs match"))
    text = status(page).inner_text()
    count = 0 if text.startswith("No briefs") else count_found(text)
    listed = [href for _, href in results(page)]
    watcher.assert_clean(f"searching {params}")
    page.close()
    return count, listed


@pytest.mark.slow
@pytest.mark.xdist_group("corpus")
def test_the_index_in_parts_finds_what_one_index_finds(browser, corpus):
    word, _ = distinctive_word(corpus.briefs)
    out, url = corpus.out, corpus.url
    assert json.loads((out / "pagefind" / "parts.json").read_text()) == ["2024", "2023", "2022", "2021", "2020", "2019"]
    # One index of every brief page, by hand, beside the site's parts.
    subprocess.run([*search.PAGEFIND, "--site", str(out), "--glob", "briefs/**/*.html", "--silent",
                    "--output-path", str(out / "whole")], check=True)
    origin = url.removesuffix("/desk/")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    try:
        reference = context.new_page()
        reference.goto(url, wait_until="load")

        def whole(query, filters, sort):
            paths = reference.evaluate(WHOLE_SEARCH, ["/desk/", query, filters, sort])
            return [origin + path for path in paths]

        # The filters' counts: the search page's menus, from the merged parts, against one index's.
        counts = reference.evaluate(WHOLE_FILTERS, "/desk/")
        page, watcher = open_search(context, url + "search/")
        for key in ("tags", "countries", "year"):
            menu = page.locator(f'#search-filters select[name="{key}"] option')
            shown = menu.evaluate_all("options => options.slice(1).map(o => [o.value, o.textContent])")
            assert sorted(shown) == sorted([value, f"{value} ({n})"] for value, n in counts[key].items()), key
        watcher.assert_clean("the filter menus")
        page.close()

        tag = max((n, value) for value, n in counts["tags"].items() if n <= 50)[1]  # the largest tag of 50 or fewer
        country = max(counts["countries"].items(), key=lambda item: item[1])[0]
        cases = [
            (word, {}, "relevance"),  # one brief of one year: no other year matches a part of it
            (word[:5], {}, "relevance"),  # a word begun: extended in one year only
            ("police", {"countries": country, "year": "2021"}, "relevance"),
            ("police", {}, "newest"),
            ("police", {}, "oldest"),
            ("police suspects", {"countries": country}, "newest"),
            (None, {"tags": tag}, "newest"),
            (None, {"tags": tag}, "oldest"),
            (None, {"year": "2022", "countries": country}, "oldest"),
            ("zzyzxq", {}, "relevance"),
        ]
        sizes = []
        for query, filters, sort in cases:
            expected = whole(query, filters, None if sort == "relevance" else {"newest": "desc",
                                                                                "oldest": "asc"}[sort])
            sizes.append(len(expected))
            count, listed = listed_on_the_search_page(context, url, query, filters, sort)
            assert count == len(expected), (query, filters, sort)
            if sort == "relevance":  # each part ranks by its own statistics: the same results, not in order
                assert len(expected) <= 50, (query, filters)
                assert sorted(listed) == sorted(expected), (query, filters)
            else:
                assert listed == expected[:50], (query, filters, sort)
        assert (sizes, tag, country) == ([1, 1, 10, 490, 490, 68, 29, 29, 13, 0], "counter-terrorism",
                                         "china")  # the generated corpus is the same every time
    finally:
        context.close()
