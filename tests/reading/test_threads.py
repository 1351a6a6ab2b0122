"""Threads: data/threads.yml, the brief's `thread` key, /threads/ pages and feeds, a brief's place in its story."""

from __future__ import annotations

import json
import re

import feedparser
import pytest

from briefsite.build import Options, build_site

from conftest import brief_text, build, clean_tree, failure, rewritten, stamps, tree

CONFIG = "search: false\nlist_page_size: 2\n"
THREADS = """\
mekong-scam-centres:
  title: Mekong scam centres
  status: developing
  summary: Raids on compounds along the Mekong, and where their workers go.
border-fuel:
  title: Border fuel smuggling
  status: closed
"""


def threaded_site(make_site, threads: str | None = THREADS, **more):
    # Filed in one order, happened in another: the thread follows what happened.
    src = make_site({
        "raid.md": brief_text(title="Raid", date="2025-02-20", thread="mekong-scam-centres"),
        "return.md": brief_text(title="Return", date="2025-02-27", event="2025-02-25", thread="mekong-scam-centres"),
        "warning.md": brief_text(title="Warning", date="2025-02-28", event="2025-01", thread="mekong-scam-centres"),
        "fuel.md": brief_text(title="Fuel", date="2025-01-05", thread="border-fuel"),
        "other.md": brief_text(title="Other", date="2025-03-01"),
        **more,
    }, config=CONFIG)
    if threads is not None:
        (src / "data").mkdir()
        (src / "data" / "threads.yml").write_text(threads, encoding="utf-8")
    return src



@pytest.mark.parametrize(("threads", "message"), [
    ("- mekong\n", "1:1: expected a mapping of thread slugs to {title, status, summary}, got a list"),
    ("Mekong Scams: {title: X}\n",
     "1:15: 'Mekong Scams' is not a thread slug; expected lowercase letters, digits and hyphens, such as "
     "'mekong-scams'"),
    ("x: [a]\n", "1:4: x: expected a mapping with title, status and summary, got a list"),
    ("x:\n  titel: X\n", "2:10: x: unknown key 'titel'; did you mean 'title'?"),
    ("x:\n  title: X\n  owner: Y\n", "3:10: x: unknown key 'owner'; expected title, status and summary"),
    ("x:\n  title: X\n  status: open\n", "3:11: x.status: expected developing or closed, got 'open'"),
    ("x:\n  title: [X]\n", "2:10: x.title: expected text, got a list"),
    ("x:\n  title: ' '\n", "2:10: x.title: expected text, got an empty value"),
    ("x:\n  status: closed\n", "2:3: x: a thread needs a title"),
    ("x: {title: [X\n", "2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
])
def test_a_wrong_threads_file_is_an_error_naming_file_line_and_column(make_site, tmp_path, threads, message):
    src = threaded_site(make_site, threads)
    found = [error for error in failure(src, tmp_path) if "data/threads.yml" in error]
    assert found[0] == f"{src}/data/threads.yml:{message}"


@pytest.mark.parametrize(("value", "message"), [
    ("mekong-scam-centre", "thread: 'mekong-scam-centre' is not a thread of data/threads.yml; "
                           "did you mean 'mekong-scam-centres'?"),
    ("unknown-story", "thread: 'unknown-story' is not a thread of data/threads.yml; declare it there with a title"),
    ("Mekong Scams", "thread: 'Mekong Scams' is not a thread slug; expected lowercase letters, digits and hyphens, "
                     "such as 'mekong-scams'"),
    ("[a, b]", "thread: expected text, got a list"),
])
def test_a_wrong_thread_key_is_an_error_at_its_place(make_site, tmp_path, value, message):
    src = threaded_site(make_site, **{"x.md": brief_text(title="X", date="2025-01-01", thread=value)})
    assert failure(src, tmp_path) == [f"{src}/briefings/x.md:4:9: {message}"]


def test_a_thread_key_without_a_threads_file_is_an_error(make_site, tmp_path):
    src = threaded_site(make_site, None)
    assert failure(src, tmp_path)[0] == (f"{src}/briefings/fuel.md:4:9: thread: 'border-fuel' is not a thread of "
                                         "data/threads.yml; declare it there with a title")


def test_the_threads_index_lists_developing_stories_first(make_site, tmp_path):
    out = tmp_path / "out"
    build(threaded_site(make_site), out)
    index = (out / "threads" / "index.html").read_text()
    titles = re.findall(r'<h2 class="item-title"><a href="/threads/([^/]+)/">', index)
    assert titles == ["mekong-scam-centres", "border-fuel"]
    assert '<span class="thread-status thread-developing">Developing</span> · 3 briefs · latest ' \
           '<a href="/briefs/return/">Return</a>' in index
    assert '<p class="item-summary">Raids on compounds along the Mekong, and where their workers go.</p>' in index
    assert '<a href="/threads/">Threads</a>' in (out / "index.html").read_text()


def test_a_thread_page_lists_its_briefs_in_the_order_things_happened(make_site, tmp_path):
    out = tmp_path / "out"
    build(threaded_site(make_site), out)
    first = (out / "threads" / "mekong-scam-centres" / "index.html").read_text()
    second = (out / "threads" / "mekong-scam-centres" / "page" / "2" / "index.html").read_text()
    listed = re.findall(r'<h3 class="item-title"><a href="/briefs/(\w+)/">', first + second)
    assert listed == ["warning", "raid", "return"]
    assert '<span class="event">January 2025</span>' in first
    assert '<a rel="next" href="/threads/mekong-scam-centres/page/2/">Later →</a>' in first
    assert '<ol class="items thread-briefs" start="3">' in second
    assert "<h1>Mekong scam centres</h1>" in first


def test_a_brief_page_shows_its_story_and_its_earlier_and_later_briefs(make_site, tmp_path):
    out = tmp_path / "out"
    build(threaded_site(make_site), out)
    raid = (out / "briefs" / "raid" / "index.html").read_text()
    assert ('<span class="thread-status thread-developing">Developing story</span> '
            '<a href="/threads/mekong-scam-centres/">Mekong scam centres</a> · brief 2 of 3') in raid
    assert '<a class="older" href="/briefs/warning/"><span class="label">← Earlier in this story</span>' in raid
    assert '<a class="newer" href="/briefs/return/"><span class="label">Later in this story →</span>' in raid
    fuel = (out / "briefs" / "fuel" / "index.html").read_text()
    assert "Closed story" in fuel and "in this story" not in fuel  # alone in its thread
    assert "thread-line" not in (out / "briefs" / "other" / "index.html").read_text()


def test_thread_feeds_parse_newest_filed_first(make_site, tmp_path):
    out = tmp_path / "out"
    build(threaded_site(make_site), out)
    atom = feedparser.parse((out / "threads" / "mekong-scam-centres" / "feed.xml").read_bytes())
    assert not atom.bozo and atom.feed.title == "Mekong scam centres — Briefings"
    assert [entry.title for entry in atom.entries] == ["Warning", "Return", "Raid"]
    feed = json.loads((out / "threads" / "mekong-scam-centres" / "feed.json").read_text())
    assert [item["title"] for item in feed["items"]] == ["Warning", "Return", "Raid"]


def test_briefs_json_carries_each_briefs_thread_and_the_threads(make_site, tmp_path):
    out = tmp_path / "out"
    build(threaded_site(make_site), out)
    export = json.loads((out / "briefs.json").read_text())
    assert {b["slug"]: b["thread"] for b in export["briefs"]}["raid"] == "mekong-scam-centres"
    assert {b["slug"]: b["thread"] for b in export["briefs"]}["other"] is None
    assert export["threads"][1] == {"slug": "border-fuel", "url": "http://127.0.0.1:8000/threads/border-fuel/",
                                    "title": "Border fuel smuggling", "status": "closed", "summary": None,
                                    "briefs": ["fuel"]}


def test_a_left_out_brief_leaves_no_trace_in_its_thread(make_site, tmp_path):
    src = threaded_site(make_site, **{"secret.md": brief_text(title="Secret", date="2025-02-26", audience="red",
                                                                thread="mekong-scam-centres"),
                                      "hidden.md": brief_text(title="Hidden", date="2025-02-01", draft="true",
                                                              thread="border-fuel")})
    (src / "data" / "threads.yml").write_text(THREADS + "informants:\n  title: Informants\n", encoding="utf-8")
    (src / "briefings" / "fuel.md").write_text(brief_text(title="Fuel", date="2025-01-05", thread="informants"))
    out = tmp_path / "out"
    build(src, out)
    written = b"".join(tree(out).values())
    assert b"Secret" not in written and b"Hidden" not in written
    assert not (out / "threads" / "border-fuel").exists()  # its only brief in the build is a draft
    assert b"brief 3 of 3" in (out / "briefs" / "return" / "index.html").read_bytes()


def test_no_thread_no_threads_pages_nor_link(make_site, tmp_path):
    out = tmp_path / "out"
    build(make_site({"a.md": brief_text()}, config=CONFIG), out)
    assert not (out / "threads").exists()
    assert "/threads/" not in (out / "index.html").read_text()


def test_editing_the_threads_file_renders_what_shows_it_and_equals_a_clean_build(make_site, tmp_path):
    src, out = threaded_site(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    before = stamps(out)
    (src / "data" / "threads.yml").write_text(THREADS.replace("status: developing", "status: closed"))
    build_site(Options(src, out, jobs=1))
    assert {"threads/index.html", "threads/mekong-scam-centres/index.html", "briefs/raid/index.html"} \
        <= rewritten(out, before)
    assert tree(out) == clean_tree(src, tmp_path)
    (src / "briefings" / "other.md").write_text(brief_text(title="Other", date="2025-03-01", thread="border-fuel"))
    build_site(Options(src, out, jobs=1))
    assert tree(out) == clean_tree(src, tmp_path, "clean2")
    assert "brief 2 of 2" in (out / "briefs" / "other" / "index.html").read_text()
