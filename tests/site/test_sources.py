"""Sources as evidence: graded citations, data/sources.yml, /sources/ pages and feeds, the unverified marker."""

from __future__ import annotations

import html
import json
import re

import feedparser
import pytest

from briefsite.build import Options, build_site

from conftest import brief_text, build, clean_tree, failure, rewritten, stamps, tree

CONFIG = "search: false\nlist_page_size: 2\n"
SOURCES = """\
- name: Xinhua
  aliases: [新华社, Xinhua News Agency]
  type: wire
  reliability: b
  url: https://english.news.cn/
- name: "Telegram: Border Watch"
  type: social
  reliability: F
- name: Rumour Mill
  type: press
  reliability: E
"""
XINHUA = "[{name: 新华社, url: 'https://example.org/x', accessed: 2025-02-27, credibility: 2}, Khmer Times]"


def graded_site(make_site, sources: str | None = SOURCES, **more):
    src = make_site({
        "a.md": brief_text(title="Alpha", date="2025-01-01", sources=XINHUA),
        "b.md": brief_text(title="Bravo", date="2025-01-02", sources="[{name: Xinhua News Agency, credibility: 3}]"),
        "c.md": brief_text(title="Charlie", date="2025-01-03", sources="[xinhua]"),
        "d.md": brief_text(title="Delta", date="2025-01-04", sources="['Telegram: Border Watch', Rumour Mill]"),
        "e.md": brief_text(title="Echo", date="2025-01-05"),
        **more,
    }, config=CONFIG)
    if sources is not None:
        (src / "data").mkdir()
        (src / "data" / "sources.yml").write_text(sources, encoding="utf-8")
    return src



@pytest.mark.parametrize(("sources", "message"), [
    ("Xinhua: {}\n", "1:1: expected a list of sources, each with a name and maybe aliases, type, reliability and "
                     "url, got a mapping"),
    ("- Xinhua\n", "1:3: entry 1: expected a mapping with name, aliases, type, reliability and url, got 'Xinhua'"),
    ("- {type: wire}\n", "1:3: entry 1: a source needs a name"),
    ("- {name: X, kind: wire}\n", "1:19: X: unknown key 'kind'; expected name, aliases, type, reliability and url"),
    ("- {name: X, typ: wire}\n", "1:18: X: unknown key 'typ'; did you mean 'type'?"),
    ("- {name: X, type: blog}\n", "1:19: X.type: expected official, wire, press, ngo, social or other, got 'blog'"),
    ("- {name: X, reliability: G}\n", "1:26: X.reliability: expected a reliability grade A to F (Admiralty code: A "
                                      "completely reliable, B usually reliable, C fairly reliable, D not usually "
                                      "reliable, E unreliable, F cannot be judged), got 'G'"),
    ("- {name: X, url: 'ftp://x'}\n", "1:18: X.url: 'ftp://x' is not an http(s) URL"),
    ("- {name: X}\n- {name: x}\n", "2:10: 'x' is already the name of the source on line 1; keep one"),
    ("- {name: X, aliases: [Y]}\n- {name: Z, aliases: y}\n", "2:22: Z.aliases: 'y' is already an alias of 'X'"),
])
def test_a_wrong_sources_file_is_an_error_naming_file_line_and_column(make_site, tmp_path, sources, message):
    src = graded_site(make_site, sources)
    assert failure(src, tmp_path) == [f"{src}/data/sources.yml:{message}"]


@pytest.mark.parametrize(("value", "message"), [
    ("[{name: X, credibility: 7}]", "4:34: sources: credibility 7 is not 1 to 6 (Admiralty code: 1 confirmed, "
                                    "2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged)"),
    ("[{name: X, credibility: '2'}]", "4:34: sources: credibility '2' is not 1 to 6 (Admiralty code: 1 confirmed, "
                                      "2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be "
                                      "judged)"),
    ("[{name: X, accessed: 2025-02-30}]", "4:31: sources: '2025-02-30' is not a real date or time (day is out of "
                                          "range for month)"),
    ("[{name: X, accessed: '2025-02-27T10:00'}]", "4:31: sources: expected the day the source was read, as "
                                                  "YYYY-MM-DD, got '2025-02-27T10:00'"),
    ("[{name: X, grade: B2}]", "4:28: sources: unknown key 'grade' in a source; expected name, url, accessed and "
                               "credibility"),
])
def test_a_wrong_citation_is_an_error_at_its_place(make_site, tmp_path, value, message):
    src = make_site({"x.md": brief_text(title="X", date="2025-03-01", sources=value)}, config=CONFIG)
    assert failure(src, tmp_path) == [f"{src}/briefings/x.md:{message}"]


def test_a_brief_page_numbers_its_sources_with_their_grades(make_site, tmp_path):
    out = tmp_path / "out"
    build(graded_site(make_site), out)
    alpha = (out / "briefs" / "a" / "index.html").read_text()
    assert ('<li><a href="/sources/xinhua/" data-pagefind-filter="source">Xinhua</a> <span class="grade">— wire, '
            'B2</span> <span class="accessed">(read 27 February 2025)</span> <a class="source-out" '
            'href="https://example.org/x" rel="noopener noreferrer">original</a></li>') in alpha
    assert '<li><a href="/sources/khmer-times/" data-pagefind-filter="source">Khmer Times</a></li>' in alpha
    assert 'data-pagefind-filter="grade:B"' in alpha
    charlie = (out / "briefs" / "c" / "index.html").read_text()
    assert '<span class="grade">— wire, B</span>' in charlie  # no credibility given
    assert 'href="https://english.news.cn/"' in charlie  # the declared link, the brief giving none
    assert "Unverified" not in alpha + charlie


def test_a_brief_citing_only_social_or_e_and_f_sources_is_marked_unverified(make_site, tmp_path):
    src, out = graded_site(make_site), tmp_path / "out"
    (src / "site.yml").write_text(CONFIG + "unverified_label: Not corroborated\n")
    build(src, out)
    delta = (out / "briefs" / "d" / "index.html").read_text()
    assert '<p class="unverified" data-pagefind-ignore><strong>Not corroborated</strong>' in delta
    assert '· <strong class="unverified-chip">Not corroborated</strong>' in (out / "index.html").read_text()
    assert "Not corroborated" not in (out / "briefs" / "e" / "index.html").read_text()  # no source at all
    assert "Not corroborated" not in (out / "briefs" / "a" / "index.html").read_text()


def test_the_sources_index_lists_each_cited_source_with_type_grade_and_count(make_site, tmp_path):
    out = tmp_path / "out"
    build(graded_site(make_site), out)
    index = (out / "sources" / "index.html").read_text()
    rows = re.findall(r'<tr><th scope="row"><a href="/sources/([^/]+)/">([^<]+)</a></th><td>([^<]+)</td>'
                      r'<td>([^<]+)</td><td>(\d+)</td></tr>', index)
    assert rows == [("khmer-times", "Khmer Times", "—", "—", "1"), ("rumour-mill", "Rumour Mill", "press", "E", "1"),
                    ("telegram-border-watch", "Telegram: Border Watch", "social", "F", "1"),
                    ("xinhua", "Xinhua", "wire", "B", "3")]
    assert '<a href="/sources/">Sources</a>' in (out / "index.html").read_text()


def test_a_source_page_lists_the_briefs_citing_it_with_feeds(make_site, tmp_path):
    out = tmp_path / "out"
    build(graded_site(make_site), out)
    first = (out / "sources" / "xinhua" / "index.html").read_text()
    second = (out / "sources" / "xinhua" / "page" / "2" / "index.html").read_text()
    listed = re.findall(r'<h3 class="item-title"><a href="/briefs/(\w)/">', first + second)
    assert listed == ["c", "b", "a"]
    assert "Wire · reliability B · cited by 3 briefs" in first
    atom = feedparser.parse((out / "sources" / "xinhua" / "feed.xml").read_bytes())
    assert not atom.bozo and [e.title for e in atom.entries] == ["Charlie", "Bravo", "Alpha"]
    feed = json.loads((out / "sources" / "xinhua" / "feed.json").read_text())
    assert feed["title"] == "Xinhua — Briefings" and len(feed["items"]) == 3


def test_briefs_json_carries_graded_sources(make_site, tmp_path):
    out = tmp_path / "out"
    build(graded_site(make_site), out)
    briefs = {b["slug"]: b for b in json.loads((out / "briefs.json").read_text())["briefs"]}
    assert briefs["a"]["sources"] == [
        {"name": "Xinhua", "url": "https://example.org/x", "type": "wire", "reliability": "B", "credibility": 2,
         "grade": "B2", "accessed": "2025-02-27"},
        {"name": "Khmer Times", "type": None, "reliability": None, "credibility": None, "grade": None,
         "accessed": None}]


def test_search_filters_by_source_and_best_grade(make_site, tmp_path):
    src, out = graded_site(make_site), tmp_path / "out"
    (src / "site.yml").write_text("list_page_size: 2\n")
    build_site(Options(src, out, jobs=1, cache=False))
    search = (out / "search" / "index.html").read_text()
    filters = json.loads(html.unescape(re.search(r'data-filters="([^"]*)"', search).group(1)))
    assert filters[-2:] == [["source", "All sources"], ["grade", "Any grade"]]
    delta = (out / "briefs" / "d" / "index.html").read_text()
    assert 'data-pagefind-filter="grade:E"' in delta


def test_a_left_out_brief_leaves_no_source_behind(make_site, tmp_path):
    src = graded_site(make_site, **{"r.md": brief_text(title="Red", date="2025-01-06", audience="red",
                                                       sources="[Informant Kestrel]")})
    out = tmp_path / "out"
    build(src, out)
    assert b"Kestrel" not in b"".join(tree(out).values())
    assert not (out / "sources" / "informant-kestrel").exists()


def test_editing_the_sources_file_renders_what_shows_it_and_equals_a_clean_build(make_site, tmp_path):
    src, out = graded_site(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    before = stamps(out)
    (src / "data" / "sources.yml").write_text(SOURCES.replace("reliability: b", "reliability: C"))
    build_site(Options(src, out, jobs=1))
    assert {"sources/index.html", "sources/xinhua/index.html", "briefs/a/index.html"} <= rewritten(out, before)
    assert tree(out) == clean_tree(src, tmp_path)
    assert "— wire, C2" in (out / "briefs" / "a" / "index.html").read_text()
    (src / "data" / "sources.yml").unlink()
    build_site(Options(src, out, jobs=1))
    assert tree(out) == clean_tree(src, tmp_path, "clean2")
