"""Hostile and broken input: arbitrary header values, an XSS corpus through every page type, crafted paths."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from datetime import timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefsite.build import Options, build_site, read_inputs
from briefsite.config import Config
from briefsite.config.load import load_site_config
from briefsite.errors import BuildError, BuildFailed
from briefsite.media.files import media_url
from briefsite.memory.briefs import BriefCache
from briefsite.output.pages import make_pages
from briefsite.output.render import static_files, template_dirs
from briefsite.reading.brief import parse_brief
from briefsite.reading.parse import parse_briefs
from briefsite.site import urls
from briefsite.site.index import build_index
from briefsite.site.urls import output_file
from briefsite.values.slugs import is_segment, short_hash

from conftest import SEARCH_SCRIPT, theme_element, tree, write_site

FILE = "briefings/x.md"
MARKER = ".briefsite"  # what a build writes into its output folder to claim it: not a page
HEADER_KEYS = ("title", "date", "updated", "location", "summary", "sources", "slug", "draft", "extra",
               "tags", "countries", "organizations")
CONFIGS = [Config(), dataclasses.replace(Config(), timezone="Pacific/Kiritimati"),
           dataclasses.replace(Config(), timezone="Etc/GMT+12")]

# ---------------------------------------------------------------------------
# Arbitrary YAML values in every header key
# ---------------------------------------------------------------------------

offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes)))
moments = st.one_of(st.dates(), st.datetimes(), st.datetimes(timezones=st.one_of(offsets, st.timezones())))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), moments)
keys = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                 st.sampled_from(["name", "url", "title"]))
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=10)

# Plausible values too, so that examples also get past the required keys into slugs, dates and markup.
plausible = {
    "title": st.text(min_size=1),
    "date": moments,
    "updated": moments,
    "sources": st.lists(st.one_of(st.text(min_size=1), st.fixed_dictionaries(
        {"name": st.text(min_size=1)}, optional={"url": st.one_of(st.text(), st.just("http://["))}))),
    "slug": st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
    "draft": st.booleans(),
    "extra": st.dictionaries(keys, values, max_size=3),
    "tags": st.lists(st.text(min_size=1, max_size=20), max_size=4),
    "countries": st.text(min_size=1, max_size=20),
}
headers = st.fixed_dictionaries(
    {}, optional={key: st.one_of(values, plausible[key]) if key in plausible else values for key in HEADER_KEYS})


def brief_bytes(header: dict, body: str, unicode: bool) -> bytes:
    text = yaml.safe_dump(header, sort_keys=False, allow_unicode=unicode, width=60)
    return f"---\n{text}---\n{body}".encode()


@settings(max_examples=400, deadline=None)
@given(headers, st.text(max_size=40), st.booleans(), st.sampled_from(CONFIGS))
def test_any_yaml_value_in_any_header_key_is_a_brief_or_located_errors(header, body, unicode, config):
    brief, problems = parse_brief(FILE, brief_bytes(header, body, unicode), config)
    assert all(isinstance(p, BuildError) and p.path == FILE for p in problems)
    assert all(p.line >= 1 for p in problems), problems  # every header problem is located
    if brief is None:
        assert any(not p.warning for p in problems)
    else:
        assert not any(not p.warning for p in problems)
        assert is_segment(brief.slug)
        assert brief.filed.tzinfo is not None and 1 <= brief.filed.year <= 9999


def test_date_outside_the_calendar_in_the_site_timezone_is_an_error():
    text = "---\ntitle: T\ndate: 0001-01-01T00:00:00+05:00\nupdated: 9999-12-31T23:00:00-05:00\n---\n"
    brief, problems = parse_brief(FILE, text.encode(), Config())
    assert brief is None
    assert [str(p) for p in problems] == [
        f"{FILE}:3:7: date: '0001-01-01T00:00:00+05:00' falls outside the years 1 to 9999 in the site's timezone (UTC)",
        f"{FILE}:4:10: updated: '9999-12-31T23:00:00-05:00' falls outside the years 1 to 9999 in the site's timezone (UTC)",
    ]


def test_calendar_edges_that_fit_the_timezone_are_briefs():
    text = "---\ntitle: T\ndate: 0001-01-01\nupdated: 9999-12-31T23:59:59\n---\n"
    brief, problems = parse_brief(FILE, text.encode(), CONFIGS[1])
    assert problems == []
    assert (brief.filed.year, brief.updated.year) == (1, 9999)


@pytest.mark.parametrize(("url", "reason"), [
    ("http://[", "Invalid IPv6 URL"),
    ("https://ex\uff03ample.org/", "netloc 'ex＃ample.org' contains invalid characters under NFKC normalization"),
])
def test_malformed_source_url_is_dropped_with_a_warning(url, reason):
    text = f'---\ntitle: T\ndate: 2025-02-27\nsources:\n  - name: A\n    url: "{url}"\n---\n'
    brief, problems = parse_brief(FILE, text.encode(), Config())
    assert brief.sources[0].url is None
    assert [str(p) for p in problems] == [
        f"{FILE}:6:10: warning: sources: link {url!r} is not a valid URL ({reason}) and is left out"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(headers, st.text(max_size=30)), min_size=1, max_size=4), st.sampled_from(CONFIGS))
def test_a_site_of_arbitrary_briefs_builds_or_fails_with_located_errors(briefs, config):
    with tempfile.TemporaryDirectory() as folder:
        src, out = Path(folder) / "src", Path(folder) / "out"
        (src / "briefings").mkdir(parents=True)
        (src / "site.yml").write_text(f"timezone: {config.timezone}\nbase_url: https://example.org/b/\n")
        names = []
        for number, (header, body) in enumerate(briefs):
            path = src / "briefings" / f"b{number}.md"
            path.write_bytes(brief_bytes(header, body, True))
            names.append(str(path))
        try:
            result = build_site(Options(src, out, jobs=1, cache=False))
        except BuildFailed as failure:
            assert failure.errors
            assert all(p.path in names for p in failure.problems), failure.problems
            assert not out.exists()
        else:
            assert (out / "index.html").is_file()
            assert result.briefs <= len(briefs)
            assert_machine_readable(out)


def assert_machine_readable(out: Path) -> None:
    """Every feed and sitemap is well-formed XML, every JSON file strict JSON (no NaN or Infinity)."""
    for path in out.rglob("*.xml"):
        ET.parse(path)
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"), parse_constant=not_json)


def not_json(name: str):
    pytest.fail(f"{name} is not JSON")


forbidden = st.sampled_from(["\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff",
                             "\U0010ffff", "&#27;", "&#xFFFE;", "&#x7f;"])
hostile_text = st.lists(st.one_of(forbidden, st.text(max_size=5)), max_size=6).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text, hostile_text, st.lists(hostile_text, max_size=3), hostile_text,
       st.sampled_from([".nan", ".inf", "-.Inf", "1.5", "!!float 1e400"]))
def test_forbidden_characters_and_numbers_never_reach_the_output(title, body, tags, note, number):
    def quoted(text: str) -> str:  # a YAML double-quoted scalar with every other character escaped
        return '"' + "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}"
                             for c in text) + '"'

    header = (f"title: {quoted('T ' + title)}\ndate: 2025-02-27\ntags: [{', '.join(quoted(t + 'x') for t in tags)}]\n"
              f"extra: {{note: {quoted(note)}, n: {number}}}\n")
    with tempfile.TemporaryDirectory() as folder:
        src, out = Path(folder) / "src", Path(folder) / "out"
        (src / "briefings").mkdir(parents=True)
        (src / "site.yml").write_text("search: false\n")
        (src / "briefings" / "b.md").write_text(f"---\n{header}---\n{body}\n", encoding="utf-8", errors="surrogatepass")
        if number == "1.5":
            build_site(Options(src, out, jobs=1, cache=False))
            assert_machine_readable(out)
        else:
            with pytest.raises(BuildFailed) as failure:
                build_site(Options(src, out, jobs=1, cache=False))
            shown = {".nan": ".nan", "-.Inf": "-.inf"}.get(number, ".inf")
            assert [(p.line, p.message) for p in failure.value.errors] == [
                (5, f"extra: {shown} is not a finite number; put it in quotes if it is meant as text")]


# ---------------------------------------------------------------------------
# An XSS corpus through every page type
# ---------------------------------------------------------------------------

XSS_CONFIG = """\
share_images: false
title: "<script>alert('site')</script>Site{{ 7*7 }}"
description: "\\"><img src=x onerror=alert('description')>"
base_url: https://example.org/briefs/
page_size: 2
list_page_size: 2
taxonomies:
  tags: {title: "<svg onload=alert('taxonomy')>Tags"}
  countries:
  organizations:
"""

XSS_BODY = """\
Plain <script>alert('body')</script> script and <iframe src="https://example.com/"></iframe> frame.

<img src="x" onerror="alert('onerror')"> <body onload="alert('onload')"> <input onfocus="alert('focus')" autofocus>
<a href="https://example.org/" onclick="alert('click')" onmouseover=alert(1)>handler link</a>

[md js](javascript:alert('md')) [md vb](vbscript:msgbox('vb')) [md data](data:text/html,<script>alert(1)</script>)
[md b64](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [Upper](JaVaScRiPt:alert('case'))
[spaced]( javascript:alert('space')) [tab](java	script:alert('tab'))
[ent tab](java&#x09;script:alert('enttab')) [ent j](&#106;avascript:alert('entj')) [ent colon](javascript&#58;alert(1))
[ent hex](&#x6A;&#x61;&#x76;&#x61;script:alert('hex')) [nl](java&#10;script:alert('nl'))

![img js](javascript:alert('img')) ![img data](data:text/html,<script>alert('imgdata')</script>)
![img svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) ![ok raster](data:image/png;base64,iVBORw0KGgo=)

[ref js][r1] [ref data][r2] ![ref img][r3]

[r1]: javascript:alert('ref')
[r2]: data:text/html,<script>alert('refdata')</script>
[r3]: vbscript:msgbox('refimg')

<a href="javascript:alert('raw')">raw js</a> <a href="&#106;avascript:alert('rawent')">raw ent</a>
<a href="java&#x09;script:alert('rawtab')">raw tab</a> <a href=" &#x01;javascript:alert('ctrl')">raw ctrl</a>
<a href="data:text/html,<script>alert('rawdata')</script>">raw data</a>
<img src="javascript:alert('rawimg')"> <img src="data:image/svg+xml,<svg onload=alert(1)>">

<svg><script>alert('svgscript')</script></svg> <svg onload="alert('svgonload')"><circle r="1"/></svg>
<svg><a xlink:href="javascript:alert('xlink')"><text>x</text></a></svg>
<math><mtext><table><mglyph><style><img src=x onerror=alert('math')></style></mglyph></table></mtext></math>
<style>@import 'https://evil.example/x.css'; body{background:url(javascript:alert(1))}</style>
<base href="https://evil.example/"> <meta http-equiv="refresh" content="0;url=javascript:alert('meta')">
<form action="javascript:alert('form')"><button formaction="javascript:alert(1)">go</button></form>
<object data="javascript:alert('object')"></object> <embed src="javascript:alert('embed')">
<link rel="import" href="https://evil.example/"> <frameset><frame src="javascript:alert(1)"></frameset>
<p style="background:url(javascript:alert('style'))">styled</p> <div style="x:expression(alert(1))">ie</div>
<video poster="javascript:alert(1)" src="javascript:alert(2)"></video> <template><script>alert(1)</script></template>
<noscript><p title="</noscript><img src=x onerror=alert('noscript')>"></p></noscript>
<details open ontoggle="alert('toggle')">d</details> <marquee onstart="alert(1)">m</marquee>

A paragraph with attributes {: onclick="alert('attrlist')" style="color:red" }

[attr link](https://example.org/){: href="javascript:alert('attrhref')" onmouseover="alert(1)" }

Template text: {{ 7\\*7 }} and {% raw %}raw{% endraw %} and ${7\\*7} and <%= 7\\*7 %>.

<!-- <script>alert('comment')</script> --> <![CDATA[<script>alert('cdata')</script>]]>
"""


PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")


def xss_brief(title, date_, body="Body text.", **header) -> str:
    header = {"title": title, "date": date_, **header}
    return f"---\n{yaml.safe_dump(header, sort_keys=False, allow_unicode=True)}---\n{body}"


XSS_BRIEFS = {
    "2024-01-05-payloads.md": xss_brief(
        "<script>alert('title')</script> Title {{ 7*7 }}", "2024-01-05",
        XSS_BODY,
        summary="\"><img src=x onerror=alert('summary')> {% raw %}",
        location="<svg onload=alert('location')>Here",
        sources=[{"name": "<b onmouseover=alert('srcname')>Src</b>", "url": "javascript:alert('srcurl')"},
                 {"name": "Data", "url": "data:text/html,<script>alert('srcdata')</script>"},
                 {"name": "Vb", "url": "vbscript:msgbox(1)"},
                 {"name": "Ctrl", "url": "\x01javascript:alert('ctrl')"},
                 {"name": "Tab", "url": "java\tscript:alert('tab')"},
                 {"name": "Ent", "url": "&#106;avascript:alert('ent')"},
                 {"name": "Good", "url": "https://example.org/\"><script>alert('quote')</script>"}],
        tags=["<script>alert('tag')</script>", "\"><img src=x onerror=alert('tag2')>", "javascript:alert(1)"],
        countries=["<iframe src=javascript:alert('country')>"],
        organizations=["{{ 7*7 }}", "{% raw %}"],
        extra={"note": "<script>alert('extra')</script>", "html": {"nested": ["<img src=x onerror=alert(1)>"]}},
    ),
    "2024-01-06-second.md": xss_brief(
        "\"><svg onload=alert('title2')>{{ 7*7 }}", "2024-01-06", "[x](javascript:alert(1))\n",
        tags=["<script>alert('tag')</script>"], countries=["<iframe src=javascript:alert('country')>"]),
    "2024-02-10-third.md": xss_brief(
        "</title><script>alert('title3')</script>", "2024-02-10T10:00:00+07:00",
        "<a href='javascript:alert(1)'>x</a>\n", tags=["<script>alert('tag')</script>"]),
    "2025-03-01-fourth.md": xss_brief("<base href=//evil.example/>", "2025-03-01", "Plain.\n",
                                      tags=["<script>alert('tag')</script>"]),
}

FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "input",
                  "button", "textarea", "select", "style", "template", "noscript", "math", "video", "audio",
                  "marquee"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "cite", "background", "srcset",
                  "data", "longdesc", "usemap", "manifest", "ping"}
RASTER_DATA = re.compile(r"data:image/(png|jpeg|gif|webp|avif);", re.IGNORECASE)
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


class Parsed(HTMLParser):
    """Every tag with its attributes (entities decoded) and the text of one file."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    @property
    def joined(self) -> str:
        return "".join(self.text)


def url_scheme(value: str) -> str:
    """The scheme a browser would see: leading C0 controls and spaces stripped, tabs and newlines removed."""
    value = value.lstrip("".join(chr(c) for c in range(0x21)))
    value = re.sub(r"[\t\n\r]", "", value)
    match = SCHEME.match(value)
    return match.group(1).lower() if match else ""


def assert_inert(name: str, page: Parsed) -> int:
    """No active content in one parsed file; returns the number of URLs checked."""
    checked = 0
    for tag, attrs in page.tags:
        assert tag not in FORBIDDEN_TAGS or theme_element(tag, attrs), f"{name}: <{tag} {attrs}>"
        assert not (tag == "meta" and "http-equiv" in attrs), f"{name}: <meta {attrs}>"
        feed = attrs.get("rel") == "alternate" and attrs.get("type") in ("application/atom+xml", "application/feed+json")
        atom = attrs.get("rel") in ("self", "related", "alternate") and name.endswith("feed.xml")
        assert not (tag == "link" and attrs.get("rel") not in ("canonical", "stylesheet", "icon")
                    and not feed and not atom), f"{name}: {attrs}"
        for attribute, value in attrs.items():
            assert not attribute.startswith("on"), f"{name}: <{tag} {attribute}={value!r}>"
            assert attribute != "style" or tag in ("td", "th"), f"{name}: <{tag} style={value!r}>"
            if attribute in URL_ATTRIBUTES:
                checked += 1
                scheme = url_scheme(value)
                if scheme == "data":
                    assert tag == "img" and attribute == "src" and RASTER_DATA.match(value), f"{name}: {value!r}"
                else:
                    assert scheme in ("", "http", "https", "mailto"), f"{name}: <{tag} {attribute}={value!r}>"
    return checked


def page_type(name: str) -> str:
    """Which kind of page an output file is."""
    if name in ("404.html", "sitemap.xml", "robots.txt", "briefs.json", "timeline.json"):
        return name
    if name == "search/index.html":
        return "search"
    if name.endswith(("feed.xml", "feed.json")):
        return "feed"
    if name == "sources/index.html":
        return "sources"
    if re.fullmatch(r"sources/[^/]+/(page/\d+/)?index\.html", name):
        return "source"
    if name == "index.html" or re.fullmatch(r"page/\d+/index\.html", name):
        return "home"
    if name.startswith("briefs/"):
        return "brief"
    if name == "timeline/index.html":
        return "timeline"
    if re.fullmatch(r"timeline/\d{4}/(page/\d+/)?index\.html", name):
        return "year"
    if re.fullmatch(r"timeline/\d{4}/\d{2}/(page/\d+/)?index\.html", name):
        return "month"
    if re.fullmatch(r"(tags|countries|organizations)/index\.html", name):
        return "taxonomy"
    if re.fullmatch(r"(tags|countries|organizations)/[^/]+/(page/\d+/)?index\.html", name):
        return "term"
    return "other: " + name


PAGE_TYPES = {"brief", "home", "term", "taxonomy", "year", "month", "timeline", "404.html", "sitemap.xml",
              "robots.txt", "search", "feed", "briefs.json", "timeline.json", "sources", "source"}


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory) -> Path:
    # "x": what the payloads' relative sources show
    src = write_site(tmp_path_factory.mktemp("xss") / "src", {**XSS_BRIEFS, "x": PIXEL}, XSS_CONFIG)
    out = src.parent / "out"
    build_site(Options(src, out, jobs=1, cache=False))
    return out


@pytest.fixture(scope="module")
def xss_pages(xss_site) -> dict[str, Parsed]:
    return {name: Parsed(data.decode("utf-8")) for name, data in tree(xss_site).items()
            if not name.startswith(("static/", "media/")) and name not in (".nojekyll", MARKER)}


def test_xss_corpus_covers_every_page_type(xss_pages):
    assert {page_type(name) for name in xss_pages} == PAGE_TYPES


def test_xss_corpus_leaves_no_active_content_on_any_page(xss_site, xss_pages):
    checked = sum(assert_inert(name, page) for name, page in xss_pages.items())
    assert checked > 300
    for name, data in tree(xss_site).items():
        if name.startswith(("static/", "media/")):  # the theme's files, and the brief's image
            continue
        text = data.decode("utf-8")
        assert not re.search(r"<\s*(iframe|object|embed|base|style|svg\s+on)", text, re.I), name
        for script in re.findall(r"<\s*script[^>]*>", text, re.I):
            assert script == '<script type="application/ld+json">' or re.fullmatch(
                rf'<script type="module" src="{SEARCH_SCRIPT.pattern}">', script), (name, script)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            assert "<" not in block and json.loads(block)["@type"] == "NewsArticle", name


def test_xss_corpus_leaves_no_active_content_in_feeds(xss_site):
    contents = []
    for path in xss_site.rglob("feed.xml"):
        root = ET.fromstring(path.read_bytes())
        contents += [(str(path), c.text) for c in root.iter("{http://www.w3.org/2005/Atom}content")]
    for path in xss_site.rglob("feed.json"):
        contents += [(str(path), item["content_html"]) for item in json.loads(path.read_text())["items"]]
    assert len(contents) > 20
    for name, html in contents:
        assert_inert(name, Parsed(html))


def test_xss_payloads_are_shown_as_text_on_every_page_type(xss_pages):
    site_title = "<script>alert('site')</script>Site{{ 7*7 }}"
    for name, page in xss_pages.items():
        if name.endswith(".html"):
            assert site_title in page.joined, name  # the masthead and <title>, escaped, on every HTML page
    title = "<script>alert('title')</script> Title {{ 7*7 }}"
    for name in ("page/2/index.html", "briefs/2024-01-05-payloads/index.html", "timeline/2024/page/2/index.html",
                 "timeline/2024/01/index.html", "organizations/7-7/index.html", "tags/script-alert-tag-script/page/2/index.html"):
        assert title in xss_pages[name].joined, name
    brief = xss_pages["briefs/2024-01-05-payloads/index.html"]
    h1 = [t for t, _ in brief.tags if t == "h1"]
    assert len(h1) == 1
    text = brief.joined
    for shown in ("\"><img src=x onerror=alert('summary')> {% raw %}", "<svg onload=alert('location')>Here",
                  "<b onmouseover=alert('srcname')>Src</b>", "<script>alert('tag')</script>",
                  "<iframe src=javascript:alert('country')>", "{{ 7*7 }}", "{% raw %}",
                  "Template text: {{ 7*7 }} and {% raw %}raw{% endraw %} and ${7*7} and <%= 7*7 %>."):
        assert shown in text, shown
    assert "49" not in text
    tags_index = xss_pages["tags/index.html"].joined
    assert "<script>alert('tag')</script>" in tags_index and "<svg onload=alert('taxonomy')>Tags" in tags_index
    assert "<svg onload=alert('taxonomy')>Tags" in xss_pages["404.html"].joined
    assert "\"><svg onload=alert('title2')>{{ 7*7 }}" in xss_pages["timeline/2024/01/index.html"].joined


def test_xss_source_links_keep_only_the_safe_url(xss_pages):
    brief = xss_pages["briefs/2024-01-05-payloads/index.html"]
    sources = [attrs["href"] for tag, attrs in brief.tags if tag == "a" and attrs.get("rel") == "noopener noreferrer"]
    assert sources == ["https://example.org/\"><script>alert('quote')</script>"]


def test_xss_body_keeps_safe_links_and_raster_images_only(xss_pages):
    brief = xss_pages["briefs/2024-01-05-payloads/index.html"]
    images = [attrs["src"] for tag, attrs in brief.tags if tag == "img"]
    # Relative sources point at their published file (their handlers go); script, HTML and SVG data URLs
    # and javascript: sources go. An image is known by its contents: the file "x" is published as a PNG.
    published = "/briefs/" + media_url("x", PIXEL) + ".png"
    assert images == [published, "data:image/png;base64,iVBORw0KGgo=", published]
    body_links = [attrs.get("href") for tag, attrs in brief.tags if tag == "a" and "href" in attrs]
    assert "https://example.org/" in body_links


def test_sitemap_and_robots_are_well_formed_and_inert(xss_site):
    root = ET.fromstring((xss_site / "sitemap.xml").read_bytes())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert root.tag == f"{namespace}urlset"
    locations = [loc.text for loc in root.iter(f"{namespace}loc")]
    assert all(loc.startswith("https://example.org/briefs/") for loc in locations)
    assert all(not re.search(r"[<>\"' ]", loc) for loc in locations), locations
    assert {unquote(loc) for loc in locations} >= {"https://example.org/briefs/tags/script-alert-tag-script/"}
    assert (xss_site / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\nSitemap: https://example.org/briefs/sitemap.xml\n")


# ---------------------------------------------------------------------------
# Paths: traversal, reserved names, long names, collisions
# ---------------------------------------------------------------------------

LONG_ASCII = "l" * 300
LONG_CJK = "电" * 300
LONG_ASTRAL = "\U00020000" * 300  # CJK Extension B: four bytes each in UTF-8
HOSTILE_TERMS = ["..", "../x", "/etc/passwd", "a\\b", "a\0b", "index", "page", "feed.xml", "static", "404.html",
                 "sitemap.xml", "robots.txt", ".nojekyll", LONG_ASCII, LONG_CJK, LONG_ASTRAL, "A b", "a-b",
                 "%2e%2e%2f", "C:\\Windows", "\u202e\u0644evil"]


def header_yaml(**header) -> str:
    return yaml.safe_dump(header, sort_keys=False, allow_unicode=True)


def hostile_brief(number: int, **header) -> str:
    header = {"title": f"Brief {number}", "date": f"2025-01-{number + 1:02d}", **header}
    return f"---\n{header_yaml(**header)}---\nBody {number}.\n"


PATH_BRIEFS = {
    "index.md": hostile_brief(0, tags=HOSTILE_TERMS[:7]),
    "page.md": hostile_brief(1, tags=HOSTILE_TERMS[7:14]),
    "feed.xml.md": hostile_brief(2, tags=HOSTILE_TERMS[14:], countries=HOSTILE_TERMS),
    "static.md": hostile_brief(3, organizations=HOSTILE_TERMS),
    "404.html.md": hostile_brief(4),
    "sitemap.xml.md": hostile_brief(5),
    "robots.txt.md": hostile_brief(6),
    ".nojekyll.md": hostile_brief(7),  # hidden: ignored
    "x\\y.md": hostile_brief(8),
    "x..md": hostile_brief(9),
    "l" * 247 + ".md": hostile_brief(10),
    "电" * 80 + ".md": hostile_brief(11),
    "\U00020000" * 62 + ".md": hostile_brief(12),
    "given.md": hostile_brief(13, slug="sitemap"),
    "nested/deeper/robots.md": hostile_brief(14, slug="page-2"),
}


def snapshot(root: Path, skip: str) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(root.rglob("*")) if not p.relative_to(root).as_posix().startswith(skip)}


def write_briefs(src: Path, briefs: dict[str, str]) -> None:
    write_site(src, briefs, "share_images: true\n")  # the default: a card's path is made from the slug too


def expected_files(src: Path, out: Path) -> list[str]:
    """The output files the pipeline's own stages plan: pages, static assets, .nojekyll and the marker, if written."""
    config, _ = load_site_config(src)
    cache = BriefCache(None, config)  # remembers nothing
    files = read_inputs(source=src, config=config, cache=cache).briefs
    briefs, _ = parse_briefs(files, config, cache, jobs=1)
    pages = make_pages(build_index(briefs, config))
    assets = [f"static/{name}" for name in static_files(template_dirs(src))]
    cards = [urls.share_image(brief) for brief in briefs if not brief.draft] if config.share_images else []
    return [str(output_file(page.url)) for page in pages] + assets + [".nojekyll"] + cards  # tree() leaves out the marker


def test_crafted_names_stay_inside_the_output_and_overwrite_nothing(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    write_briefs(src, PATH_BRIEFS)
    outside = tmp_path.parent / f"{tmp_path.name}-escape"
    before_parent = sorted(p.name for p in tmp_path.parent.iterdir())
    before = snapshot(tmp_path, "out")
    result = build_site(Options(src, out, jobs=1, cache=False))
    assert snapshot(tmp_path, "out") == before  # sources untouched, nothing beside the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before_parent
    assert not outside.exists()

    planned = expected_files(src, out)
    written = tree(out)
    assert len(planned) == len(set(planned))  # no two pages share a file
    assert set(written) == set(planned)
    cards = [name for name in written if name.endswith("/share.png")]
    assert len(cards) == result.briefs  # each brief's share image, beside its page
    assert len(written) == result.pages + len(static_files(template_dirs(src))) + 1 + (MARKER in written) + len(cards)
    assert result.briefs == len(PATH_BRIEFS) - 1  # .nojekyll.md is hidden
    for name in written:
        path = out / name
        assert not path.is_symlink() and path.resolve().is_relative_to(out.resolve())
        assert all(len(part.encode()) <= 255 for part in Path(name).parts)

    briefs = sorted(n.split("/")[1] for n in written if n.startswith("briefs/") and n.endswith("/index.html"))
    assert briefs == sorted(["index", "page", "feed-xml", "static", "404-html", "sitemap-xml", "robots-txt",
                             "x-y", "x", "l" * 80, "电" * 80, "\U00020000" * 60, "sitemap", "page-2"])

    def hashed(slug, key):
        return f"{slug}-{short_hash(key)}"

    def term_folders(taxonomy):
        return sorted(n.split("/")[1] for n in written if n.startswith(f"{taxonomy}/") and n.count("/") == 2
                      and n.endswith("/index.html"))

    tags = term_folders("tags")
    assert tags == sorted([
        # "a\0b" loses its NUL, which no feed may contain (with a warning), and is "ab"
        hashed("term", ".."), "x", "etc-passwd", hashed("a-b", "a\\b"), "ab", "a-b", "index",
        "page", "feed-xml", "static", "404-html", "sitemap-xml", "robots-txt", "nojekyll", "l" * 80, "电" * 80,
        "\U00020000" * 60, "2e-2e-2f", "c-windows", "\u0644evil"])
    assert tags == term_folders("organizations")
    assert all(f"tags/{tag}/feed.xml" in written and f"tags/{tag}/feed.json" in written for tag in tags)
    page = (out / "tags" / "x" / "index.html").read_text(encoding="utf-8")
    assert "<h1>../x</h1>" in page
    long_term = (out / "tags" / ("\U00020000" * 60) / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{LONG_ASTRAL}</h1>" in long_term


@pytest.mark.parametrize(("briefs", "messages"), [
    ({"A b.md": hostile_brief(0), "a-b.md": hostile_brief(1)},
     ["{src}/briefings/a-b.md: slug 'a-b' is already used by {src}/briefings/A b.md"]),
    ({"index.md": hostile_brief(0), "x.md": hostile_brief(1, slug="index"),
      "sub/index.md": hostile_brief(2, slug="index")},
     ["{src}/briefings/sub/index.md: slug 'index' is already used by {src}/briefings/index.md",
      "{src}/briefings/x.md: slug 'index' is already used by {src}/briefings/index.md"]),
    ({"a.md": hostile_brief(0, title="Same title", slug=None), "Same Title!.md": hostile_brief(1, title="x"),
      "b.md": hostile_brief(2, slug="same-title")},
     ["{src}/briefings/b.md: slug 'same-title' is already used by {src}/briefings/Same Title!.md"]),
    ({"l" * 247 + ".md": hostile_brief(0), "l" * 246 + ".md": hostile_brief(1)},
     ["{src}/briefings/" + "l" * 247 + ".md: slug '" + "l" * 80 + "' is already used by {src}/briefings/" + "l" * 246 + ".md"]),
])
def test_colliding_slugs_are_errors_naming_both_sources(tmp_path, briefs, messages):
    src, out = tmp_path / "src", tmp_path / "out"
    for name, text in briefs.items():
        briefs[name] = text.replace("slug: null\n", "")
    write_briefs(src, briefs)
    before = snapshot(tmp_path, "\0")
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, out, jobs=1, cache=False))
    assert [str(p) for p in failure.value.problems] == [m.format(src=src) for m in messages]
    assert snapshot(tmp_path, "\0") == before  # nothing written anywhere


SEGMENT = "is not one URL segment of lowercase words and hyphens"


@pytest.mark.parametrize(("slug", "message"), [
    ("..", f"'..' {SEGMENT}"),
    ("../x", f"'../x' {SEGMENT}; try 'x'"),
    ("/etc/passwd", f"'/etc/passwd' {SEGMENT}; try 'etc-passwd'"),
    ("a\\b", f"'a\\\\b' {SEGMENT}; try 'a-b'"),
    ("a\0b", f"'a\\x00b' {SEGMENT}; try 'a-b'"),
    ("index.html", f"'index.html' {SEGMENT}; try 'index-html'"),
    ("feed.xml", f"'feed.xml' {SEGMENT}; try 'feed-xml'"),
    (".nojekyll", f"'.nojekyll' {SEGMENT}; try 'nojekyll'"),
    ("404.html", f"'404.html' {SEGMENT}; try '404-html'"),
    (LONG_ASCII, f"'{LONG_ASCII}' {SEGMENT}; try '{'l' * 80}'"),
    (LONG_CJK, f"'{LONG_CJK}' {SEGMENT}; try '{'电' * 80}'"),
    (LONG_ASTRAL, f"'{LONG_ASTRAL}' {SEGMENT}; try '{chr(0x20000) * 60}'"),
])
def test_traversing_or_overlong_slugs_are_errors(tmp_path, slug, message):
    src, out = tmp_path / "src", tmp_path / "out"
    write_briefs(src, {"ok.md": hostile_brief(0), "bad.md": hostile_brief(1, slug=slug)})
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, out, jobs=1, cache=False))
    assert [str(p) for p in failure.value.problems] == [f"{src}/briefings/bad.md:4:7: slug: {message}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_brief_named_like_a_traversal_in_a_nested_folder_stays_in_briefs(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    write_briefs(src, {"..a/..md": hostile_brief(0), "b/...x.md": hostile_brief(1), "c/%2e%2e.md": hostile_brief(2)})
    result = build_site(Options(src, out, jobs=1, cache=False))
    assert result.briefs == 1  # '..a/' and '...x.md' start with a dot: hidden
    assert sorted(n for n in tree(out) if n.startswith("briefs/")) == ["briefs/2e-2e/index.html",
                                                                     "briefs/2e-2e/share.png"]

