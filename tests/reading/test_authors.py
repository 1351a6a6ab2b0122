"""Authors: the `author`/`authors` header keys, data/authors.yml, author pages, bylines and feeds."""

from __future__ import annotations

import json

import feedparser
import pytest

from briefsite.build import Options, build_site
from briefsite.config import RESERVED_SEGMENTS

from conftest import brief_text, build, clean_tree, failure, rewritten, stamps, tree

CONFIG = "search: false\nauthor: The Desk\nlist_page_size: 2\n"
PROFILES = """\
Jane Doe:
  bio: Covers the Mekong.
  role: Correspondent
  url: https://example.org/jane
"""


def authored_site(make_site, profiles: str | None = PROFILES):
    src = make_site({
        "a.md": brief_text(title="Alpha", date="2025-01-01", author="Jane Doe"),
        "b.md": brief_text(title="Bravo", date="2025-01-02", authors="[jane doe, Li Wei]"),
        "c.md": brief_text(title="Charlie", date="2025-01-03", author="JANE DOE"),
        "d.md": brief_text(title="Delta", date="2025-01-04"),
    }, config=CONFIG)
    if profiles is not None:
        (src / "data").mkdir()
        (src / "data" / "authors.yml").write_text(profiles, encoding="utf-8")
    return src



@pytest.mark.parametrize(("header", "message"), [
    ({"author": "X", "authors": "[Y]"}, "b.md:5:10: authors: give either 'author' or 'authors', not both"),
    ({"authors": "[Y]", "author": "X"}, "b.md:5:9: author: give either 'author' or 'authors', not both"),
    ({"authors": "[]"}, "b.md:4:10: authors: expected a name or a list of names, got an empty list"),
    ({"author": "''"}, "b.md:4:9: author: expected text, got an empty value"),
    ({"author": "{name: X}"}, "b.md:4:9: author: expected a name or a list of names, got a mapping"),
    ({"authors": "[X, [Y]]"}, "b.md:4:14: authors: expected a name, got a list"),
    ({"authors": "[X, true]"}, "b.md:4:14: authors: expected text, got True"),
    ({"author": "'?!'"}, "b.md:4:9: author: '?!' makes no URL slug; an author's name needs letters or digits"),
])
def test_a_wrong_author_header_is_an_error_at_its_place(make_site, tmp_path, header, message):
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01", **header)}, config=CONFIG)
    assert failure(src, tmp_path) == [f"{src}/briefings/{message}"]


@pytest.mark.parametrize(("profiles", "messages"), [
    ("- Jane\n", ["1:1: expected a mapping of author names to {bio, role, url}, got a list"]),
    ("Jane: [x]\n", ["1:7: Jane: expected a mapping with bio, role and url, got a list"]),
    ("Jane:\n  bioo: x\n", ["2:9: Jane: unknown key 'bioo'; did you mean 'bio'?"]),
    ("Jane:\n  age: 3\n", ["2:8: Jane: unknown key 'age'; expected bio, role and url"]),
    ("Jane:\n  role: 3\n", ["2:9: Jane.role: expected text, got 3"]),
    ("Jane:\n  url: javascript:alert(1)\n", ["2:8: Jane.url: 'javascript:alert(1)' is not an http(s) URL"]),
    ("Jane Doe: {}\njane-doe: {}\n",
     ["2:11: 'jane-doe' is the same author as 'Jane Doe' (both make the slug 'jane-doe'); keep one"]),
    ("Jane: {bio: [x\n", ["2:1: invalid YAML: did not find expected ',' or ']'"]),
])
def test_a_wrong_authors_file_is_an_error_naming_file_line_and_column(make_site, tmp_path, profiles, messages):
    src = authored_site(make_site, profiles)
    found = failure(src, tmp_path)
    assert len(found) == len(messages)
    for error, message in zip(found, messages, strict=True):
        assert error.startswith(f"{src}/data/authors.yml:{message}"), error


def test_authors_is_reserved_and_both_keys_are_brief_keys(make_site, tmp_path):
    assert "authors" in RESERVED_SEGMENTS
    src = make_site({}, config="taxonomies:\n  people: {segment: authors}\n")
    assert "must be a lowercase URL segment not in" in failure(src, tmp_path)[0]
    src = make_site({}, config="taxonomies:\n  authors: {}\n", folder="two")
    assert failure(src, tmp_path)[0].endswith("taxonomies.authors: 'authors' is a brief key and cannot name a taxonomy")


def test_author_pages_list_each_authors_briefs_paginated(make_site, tmp_path):
    out = tmp_path / "out"
    build(authored_site(make_site), out)
    index = (out / "authors" / "index.html").read_text()
    assert '<a href="/authors/jane-doe/">Jane Doe</a> <span class="author-role">Correspondent</span> ' \
           '<span class="count">3</span>' in index
    assert '<a href="/authors/li-wei/">Li Wei</a> <span class="count">1</span>' in index
    assert index.index("Jane Doe") < index.index("Li Wei")
    jane = (out / "authors" / "jane-doe" / "index.html").read_text()
    assert "<h1>Jane Doe</h1>" in jane and '<p class="author-bio">Covers the Mekong.</p>' in jane
    assert '<a href="https://example.org/jane" rel="me noopener noreferrer">' in jane
    assert "page 1 of 2" in jane
    assert [t for t in ("Charlie", "Bravo", "Alpha") if f">{t}</a>" in jane] == ["Charlie", "Bravo"]
    assert ">Alpha</a>" in (out / "authors" / "jane-doe" / "page" / "2" / "index.html").read_text()
    li = (out / "authors" / "li-wei" / "index.html").read_text()
    assert ">Bravo</a>" in li and ">Alpha</a>" not in li and "author-bio" not in li
    sitemap = (out / "sitemap.xml").read_text()
    for url in ("authors/", "authors/jane-doe/", "authors/jane-doe/page/2/", "authors/li-wei/"):
        assert f"<loc>http://127.0.0.1:8000/{url}</loc>" in sitemap


def test_a_site_without_authors_has_no_author_pages(make_site, tmp_path):
    src = make_site({"a.md": brief_text()}, config=CONFIG)
    build(src, tmp_path / "out")
    assert not (tmp_path / "out" / "authors").exists()
    assert "byline" not in (tmp_path / "out" / "briefs" / "a" / "index.html").read_text()


def test_a_brief_page_has_a_byline_linking_each_author(make_site, tmp_path):
    out = tmp_path / "out"
    build(authored_site(make_site), out)
    assert ('<p class="byline" data-pagefind-ignore>By <a href="/authors/jane-doe/" rel="author">Jane Doe</a> '
            'and <a href="/authors/li-wei/" rel="author">Li Wei</a></p>') in (out / "briefs/b/index.html").read_text()
    # Named as data/authors.yml names them, whatever the spelling in the header.
    assert 'rel="author">Jane Doe</a></p>' in (out / "briefs/c/index.html").read_text()
    three = authored_site(make_site, None)
    (three / "briefings" / "e.md").write_text(brief_text(title="Echo", date="2025-01-05", authors="[A, B, C]"))
    build(three, tmp_path / "three")
    page = (tmp_path / "three" / "briefs/e/index.html").read_text()
    assert '>A</a>, <a href="/authors/b/" rel="author">B</a> and <a href="/authors/c/"' in page


def test_feeds_and_exports_carry_the_briefs_authors(make_site, tmp_path):
    out = tmp_path / "out"
    build(authored_site(make_site), out)
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    entries = {entry.title: entry for entry in parsed.entries}
    assert [a.name for a in entries["Bravo"].authors] == ["Jane Doe", "Li Wei"]
    assert entries["Bravo"].authors[1].href == "http://127.0.0.1:8000/authors/li-wei/"
    assert [a.name for a in entries["Delta"].authors] == ["The Desk"]  # the site's author, as before
    own = feedparser.parse((out / "authors" / "jane-doe" / "feed.xml").read_bytes())
    assert not own.bozo and [e.title for e in own.entries] == ["Charlie", "Bravo", "Alpha"]
    assert own.feed.title == "Jane Doe — Briefings"
    feed = json.loads((out / "authors" / "li-wei" / "feed.json").read_text())
    assert feed["feed_url"] == "http://127.0.0.1:8000/authors/li-wei/feed.json"
    assert feed["items"][0]["authors"] == [{"name": "Jane Doe", "url": "http://127.0.0.1:8000/authors/jane-doe/"},
                                           {"name": "Li Wei", "url": "http://127.0.0.1:8000/authors/li-wei/"}]
    items = {item["title"]: item for item in json.loads((out / "feed.json").read_text())["items"]}
    assert "authors" not in items["Delta"]
    briefs = {b["title"]: b for b in json.loads((out / "briefs.json").read_text())["briefs"]}
    assert briefs["Bravo"]["authors"] == ["Jane Doe", "Li Wei"] and briefs["Delta"]["authors"] == []


def test_editing_the_authors_file_renders_what_shows_it_and_equals_a_clean_build(make_site, tmp_path):
    src, out = authored_site(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    before = stamps(out)
    (src / "data" / "authors.yml").write_text(PROFILES.replace("the Mekong", "the Gulf"), encoding="utf-8")
    build_site(Options(src, out, jobs=1))
    changed = rewritten(out, before)
    assert {"authors/jane-doe/index.html", "authors/jane-doe/page/2/index.html"} <= changed
    assert "briefs/d/index.html" not in changed
    assert tree(out) == clean_tree(src, tmp_path)
    (src / "data" / "authors.yml").write_text("Jane Doe: {}\nLi Wei: {role: Editor}\n", encoding="utf-8")
    build_site(Options(src, out, jobs=1))
    assert tree(out) == clean_tree(src, tmp_path, "clean2")
    (src / "data" / "authors.yml").unlink()
    build_site(Options(src, out, jobs=1))
    assert tree(out) == clean_tree(src, tmp_path, "clean3")
    assert "Correspondent" not in (out / "authors" / "index.html").read_text()
