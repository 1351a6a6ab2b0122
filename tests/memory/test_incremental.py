"""Page-level incrementality: a rebuild renders and writes only the pages whose inputs changed,
and its output is always the tree a clean build makes."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, datetime

import pytest

from briefsite import faults
from briefsite.build import Options, build_site
from briefsite.errors import BuildError, BuildFailed
from briefsite.memory.briefs import CACHE_DIR
from briefsite.memory.ledger import Entry, Ledger, Summary, ledger_path, load_ledger, save_ledger
from briefsite.output import search
from briefsite.site.related import RelatedRecord

from conftest import RECORDING_PAGEFIND, brief_text, clean_tree, rewritten, stamps, tree

CONFIG = "search: false\n"


def site_with_briefs(make_site):
    return make_site({
        "a.md": brief_text(title="Alpha", date="2025-01-01", tags="[shared, x]"),
        "b.md": brief_text(title="Bravo", date="2025-01-02", tags="[shared]"),
        "c.md": brief_text(title="Charlie", date="2024-06-01", tags="[y]", body="Old news."),
    }, config=CONFIG)


def test_a_build_with_nothing_changed_renders_and_writes_nothing(make_site, tmp_path):
    src, out = site_with_briefs(make_site), tmp_path / "out"
    first = build_site(Options(src, out, jobs=1))
    before = stamps(out)
    again = build_site(Options(src, out, jobs=1))
    assert (again.rendered, again.briefs, again.pages) == (0, first.briefs, first.pages)
    assert rewritten(out, before) == set()


def test_editing_a_body_renders_the_pages_that_show_the_brief_and_no_others(make_site, tmp_path):
    src, out = site_with_briefs(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    before = stamps(out)
    (src / "briefings" / "c.md").write_text(brief_text(title="Charlie", date="2024-06-01", tags="[y]",
                                                       body="Old news, corrected."))
    result = build_site(Options(src, out, jobs=1))
    # Its page and every list, feed and export showing its summary or body; a page that names it only
    # by title (its neighbour's) is rendered again but, its bytes being the same, not rewritten.
    assert sorted(rewritten(out, before)) == [
        "briefs.json", "briefs/c/index.html", "feed.json", "feed.xml", "index.html", "tags/y/feed.json",
        "tags/y/feed.xml", "tags/y/index.html", "timeline.json", "timeline/2024/06/index.html",
        "timeline/2024/index.html"]
    assert result.rendered < result.pages
    assert tree(out) == clean_tree(src, tmp_path)


def test_editing_a_later_paragraph_leaves_the_lists_and_exports_alone(make_site, tmp_path):
    src, out = site_with_briefs(make_site), tmp_path / "out"
    (src / "briefings" / "c.md").write_text(brief_text(title="Charlie", date="2024-06-01", tags="[y]",
                                                       body="Old news.\n\nMore."))
    build_site(Options(src, out, jobs=1))
    before = stamps(out)
    (src / "briefings" / "c.md").write_text(brief_text(title="Charlie", date="2024-06-01", tags="[y]",
                                                       body="Old news.\n\nMore, corrected."))
    build_site(Options(src, out, jobs=1))
    # The summary is the first paragraph: only the page and the feeds, which carry the body, change.
    assert sorted(rewritten(out, before)) == [
        "briefs/c/index.html", "feed.json", "feed.xml", "tags/y/feed.json", "tags/y/feed.xml"]
    assert tree(out) == clean_tree(src, tmp_path)


def test_a_deleted_or_altered_output_file_is_restored(make_site, tmp_path):
    src, out = site_with_briefs(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    before = tree(out)
    (out / "briefs" / "a" / "index.html").unlink()
    (out / "tags" / "y" / "index.html").write_text("defaced")
    result = build_site(Options(src, out, jobs=1))
    assert result.rendered == 2
    assert tree(out) == before


def test_a_template_reading_through_a_term_tracks_those_briefs(make_site, tmp_path):
    """A custom template that shows another brief's title through `term.briefs` is rendered again when
    that title changes, although the brief is not in its page's context."""
    src, out = site_with_briefs(make_site), tmp_path / "out"
    (src / "templates").mkdir()
    (src / "templates" / "taxonomy.html").write_text(
        "{% for row in terms %}{{ row.term.name }}: {{ row.term.briefs[0].title }}\n{% endfor %}")
    build_site(Options(src, out, jobs=1))
    assert (out / "tags" / "index.html").read_text() == "shared: Bravo\nx: Alpha\ny: Charlie\n"
    (src / "briefings" / "c.md").write_text(brief_text(title="Charlie renamed", date="2024-06-01", tags="[y]"))
    build_site(Options(src, out, jobs=1))
    assert (out / "tags" / "index.html").read_text() == "shared: Bravo\nx: Alpha\ny: Charlie renamed\n"
    assert tree(out) == clean_tree(src, tmp_path)


def test_a_template_reading_through_a_period_tracks_its_briefs(make_site, tmp_path):
    """A year's first page shows a brief of its second page only through `period.briefs`: it is still
    rendered again when that brief's title changes."""
    src, out = site_with_briefs(make_site), tmp_path / "out"
    (src / "site.yml").write_text(CONFIG + "list_page_size: 1\n")
    (src / "templates").mkdir()
    (src / "templates" / "period.html").write_text(
        "{{ heading }}: {{ period.briefs | map(attribute='title') | join(', ') }}\n")
    build_site(Options(src, out, jobs=1))
    assert (out / "timeline" / "2025" / "index.html").read_text() == "2025: Bravo, Alpha\n"
    (src / "briefings" / "a.md").write_text(brief_text(title="Alpha renamed", date="2025-01-01", tags="[shared, x]"))
    build_site(Options(src, out, jobs=1))
    assert (out / "timeline" / "2025" / "index.html").read_text() == "2025: Bravo, Alpha renamed\n"
    assert tree(out) == clean_tree(src, tmp_path)


def test_a_template_change_renders_every_page_that_uses_it(make_site, tmp_path):
    src, out = site_with_briefs(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    (src / "templates").mkdir()
    (src / "templates" / "404.html").write_text("Gone.\n")
    result = build_site(Options(src, out, jobs=1))
    assert result.rendered == result.pages  # templates are shared by all pages: all are rendered again
    assert (out / "404.html").read_text() == "Gone.\n"
    assert tree(out) == clean_tree(src, tmp_path)


def test_a_failed_incremental_build_leaves_the_site_and_the_ledger(make_site, tmp_path):
    src, out = site_with_briefs(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    before = tree(out)
    ledger = ledger_path(src / CACHE_DIR, out).read_bytes()
    (src / "briefings" / "b.md").write_text("---\ntitle: [unclosed\n---\n")
    try:
        build_site(Options(src, out, jobs=1))
    except Exception as exc:  # noqa: BLE001 - BuildFailed, checked below
        assert type(exc).__name__ == "BuildFailed"
    assert tree(out) == before
    assert ledger_path(src / CACHE_DIR, out).read_bytes() == ledger
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


def test_a_full_disk_while_drafting_keeps_the_ledger_and_one_while_moving_files_in_drops_it(make_site, tmp_path):
    """The ledger is dropped only when the output is about to change: a write that fails before that
    (the drafts beside the output) leaves it for the next build, which is incremental again."""
    src, out = site_with_briefs(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    ledger = ledger_path(src / CACHE_DIR, out)
    before, kept = tree(out), ledger.read_bytes()
    (src / "briefings" / "b.md").write_text(brief_text(title="Bravo edited", date="2025-01-02", tags="[shared]"))
    with faults.armed("put", kind="enospc"), pytest.raises(BuildFailed):
        build_site(Options(src, out, jobs=1))
    assert (tree(out), ledger.read_bytes()) == (before, kept)
    with faults.armed("move", kind="enospc"), pytest.raises(BuildFailed):
        build_site(Options(src, out, jobs=1))
    assert tree(out) == before  # every file put back
    assert not ledger.exists()  # yet no longer trusted
    result = build_site(Options(src, out, jobs=1))
    assert result.rendered == result.pages  # a whole build
    assert tree(out) == clean_tree(src, tmp_path)


def test_the_ledger_keeps_the_summary_its_window_and_the_related_briefs(tmp_path):
    summary = Summary(3, 40, (BuildError("a.md", 4, 29, "odd", warning=True),), 1,
                      datetime(2025, 3, 1, 6, 0, tzinfo=UTC), datetime(2025, 3, 2, 7, 30, 15, 250, tzinfo=UTC))
    related = RelatedRecord({"a": (1.5, (("tags", "x"),))}, {"a": ("b", "c")})
    ledger = Ledger(b"inputs", {"index.html": Entry(b"f", (("site",),), b"d", 10, 20)}, summary, related)
    save_ledger(tmp_path / "ledger.pickle", ledger)
    assert load_ledger(tmp_path / "ledger.pickle") == ledger
    assert summary.holds(datetime(2025, 3, 1, 6, 0, tzinfo=UTC))
    assert not summary.holds(datetime(2025, 3, 1, 5, 59, tzinfo=UTC))
    assert not summary.holds(datetime(2025, 3, 2, 7, 30, 15, 250, tzinfo=UTC))  # the window ends before `until`


def test_a_planted_ledger_runs_no_code_and_is_ignored(make_site, tmp_path, monkeypatch):
    src, out = site_with_briefs(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    path = ledger_path(src / CACHE_DIR, out)
    calls = []
    monkeypatch.setattr(os, "getpid", lambda: calls.append("ran") or 1)
    path.write_bytes(b"\x80\x04cos\ngetpid\n)R.")  # calls os.getpid() if unpickled naively
    assert load_ledger(path) == Ledger()
    assert calls == []
    result = build_site(Options(src, out, jobs=1))
    assert result.rendered == result.pages  # nothing trusted: everything rendered again
    assert tree(out) == clean_tree(src, tmp_path)


def test_a_build_with_nothing_to_do_reports_the_same_warnings(make_site, tmp_path):
    src = make_site({"a.md": brief_text(sources="[{name: Wire, url: 'javascript:x'}]")}, config=CONFIG)
    first = build_site(Options(src, tmp_path / "out", jobs=1))
    again = build_site(Options(src, tmp_path / "out", jobs=1))
    assert again.rendered == 0
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings] == [
        f"{src}/briefings/a.md:4:29: warning: sources: link 'javascript:x' is not an http(s) URL and is left out"]


def test_a_new_slug_reaches_every_feed_of_a_brief_linking_to_it(make_site, tmp_path):
    """A brief's body depends on the briefs it links to: their new URLs reach its term feeds too."""
    src = make_site({"a.md": brief_text(title="Alpha", tags="[solo]", body="See [bravo](b.md)."),
                     "b.md": brief_text(title="Bravo", date="2025-01-01")}, config=CONFIG)
    out = tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    (src / "briefings" / "b.md").write_text(brief_text(title="Bravo", date="2025-01-01", slug="renamed"))
    build_site(Options(src, out, jobs=1))
    assert "/briefs/renamed/" in (out / "tags" / "solo" / "feed.xml").read_text()
    assert tree(out) == clean_tree(src, tmp_path)


# ---------------------------------------------------------------------------
# The search index, in parts by year: an incremental build re-indexes the years that changed
# ---------------------------------------------------------------------------

def test_an_edit_re_indexes_its_year_only_and_a_year_left_empty_goes(make_site, tmp_path, monkeypatch):
    src = make_site({
        "a.md": brief_text(title="Alpha", date="2025-01-01"),
        "b.md": brief_text(title="Bravo", date="2025-03-02"),
        "c.md": brief_text(title="Charlie", date="2024-06-01", body="Old news.\n\nMore."),
        "d.md": brief_text(title="Delta", date="2024-07-01"),
        "e.md": brief_text(title="Echo", date="2023-05-01"),
    }, config="")
    out, log = tmp_path / "out", tmp_path / "pagefind.log"
    (tmp_path / "pagefind.py").write_text(RECORDING_PAGEFIND)
    monkeypatch.setattr(search, "PAGEFIND", [sys.executable, str(tmp_path / "pagefind.py")])
    monkeypatch.setenv("PAGEFIND_LOG", str(log))

    def indexed() -> list[str]:
        """The parts Pagefind ran for since the last call."""
        names = sorted(log.read_text().split()) if log.exists() else []
        log.unlink(missing_ok=True)
        return names

    def inodes(part: str) -> set[int]:
        return {p.stat().st_ino for p in (out / "pagefind" / part).rglob("*") if p.is_file()}

    build_site(Options(src, out, jobs=1))
    assert indexed() == ["2023", "2024", "2025", "words"]
    assert json.loads((out / "pagefind" / "parts.json").read_text()) == ["2025", "2024", "2023"]
    kept = {part: inodes(part) for part in ("2025", "2023")}

    # A later paragraph, not the summary that other briefs' pages show: only its own page changes.
    (src / "briefings" / "c.md").write_text(brief_text(title="Charlie", date="2024-06-01",
                                                       body="Old news.\n\nMore, zymurgy."))
    assert build_site(Options(src, out, jobs=1)).rendered > 0
    assert indexed() == ["2024", "words"]  # the year of the edited brief, and the words of every part
    assert {part: inodes(part) for part in ("2025", "2023")} == kept  # the same files, linked
    # The words of 2024's pages (text and metadata, such as "1 July 2024"), for the words index.
    assert (out / "pagefind" / "2024" / search.WORDS_LIST).read_text() == (
        "1 2024 Body Charlie Charlie. Delta Delta. July June More, Old news. text. zymurgy.\n")

    build_site(Options(src, out, jobs=1))  # nothing changed
    assert indexed() == []

    # Echo moves to 2024: both years change, and 2023, left without briefs, goes.
    (src / "briefings" / "e.md").write_text(brief_text(title="Echo", date="2024-05-01"))
    build_site(Options(src, out, jobs=1))
    assert indexed() == ["2024", "words"]
    assert json.loads((out / "pagefind" / "parts.json").read_text()) == ["2025", "2024"]
    assert not (out / "pagefind" / "2023").exists()
    assert json.loads((out / "pagefind" / "pages.json").read_text()) == {
        "2024": ["briefs/c/index.html", "briefs/d/index.html", "briefs/e/index.html"],
        "2025": ["briefs/a/index.html", "briefs/b/index.html"]}
    assert search.broken(out / "pagefind") is None
    assert inodes("2025") == kept["2025"]
    assert tree(out) == clean_tree(src, tmp_path)


def test_a_retagged_brief_re_indexes_its_year_only_though_other_years_related_briefs_change(
        make_site, tmp_path, monkeypatch):
    src = make_site({"a.md": brief_text(title="Alpha", date="2025-01-01", tags="[x]"),
                     "c.md": brief_text(title="Charlie", date="2024-06-01", tags="[x]"),
                     "d.md": brief_text(title="Delta", date="2024-07-01", tags="[y]")}, config="")
    out, log = tmp_path / "out", tmp_path / "pagefind.log"
    build_site(Options(src, out, jobs=1))
    pages = {name: (out / f"briefs/{name}/index.html").read_bytes() for name in "cd"}
    (tmp_path / "pagefind.py").write_text(RECORDING_PAGEFIND)
    monkeypatch.setattr(search, "PAGEFIND", [sys.executable, str(tmp_path / "pagefind.py")])
    monkeypatch.setenv("PAGEFIND_LOG", str(log))
    (src / "briefings" / "a.md").write_text(brief_text(title="Alpha", date="2025-01-01", tags="[y]"))
    build_site(Options(src, out, jobs=1))
    # Charlie's and Delta's pages list other related briefs now, which Pagefind does not read.
    assert all((out / f"briefs/{name}/index.html").read_bytes() != pages[name] for name in "cd")
    assert sorted(log.read_text().split()) == ["2025", "words"]
    assert tree(out) == clean_tree(src, tmp_path)


def test_what_pagefind_reads_of_a_page_is_its_body_and_the_pagefind_attributes_after_it():
    page = (b'<html lang="en"><head><title>T</title></head><body><header data-pagefind-meta="site:S">Site</header>'
            b'<article data-pagefind-body><h1>T</h1><article>inner</article><p>Text</p></article>'
            b'<aside data-pagefind-filter="tag:x">Related: <a href="/b/">B</a></aside></body></html>')
    assert search.searched(page) == (
        b'<html lang="en"><head><title>T</title></head><body><header data-pagefind-meta="site:S">Site</header>'
        b'<article data-pagefind-body><h1>T</h1><article>inner</article><p>Text</p></article>'
        b' data-pagefind-filter="tag:x"')
    assert search.searched(page.replace(b"Related: ", b"See: ")) == search.searched(page)
    assert search.searched(page.replace(b"<p>Text", b"<p>Texts")) != search.searched(page)
    assert search.searched(page.replace(b"tag:x", b"tag:y")) != search.searched(page)
    # Where the body's end is not plain, all of the page.
    hidden = page.replace(b"<p>Text</p>", b"<!-- </article> --><p>Text</p>")
    assert search.searched(hidden) == hidden
    assert search.searched(page.replace(b"<article data-pagefind-body>", b"<article>")) == page.replace(
        b"<article data-pagefind-body>", b"<article>")


def test_a_bundle_of_the_single_index_layout_is_indexed_whole(make_site, tmp_path, monkeypatch):
    """An output an older version built has one index at pagefind/: the first incremental build indexes
    every part, even when no brief changed."""
    src = make_site({"a.md": brief_text(title="Alpha", date="2025-01-01"),
                     "c.md": brief_text(title="Charlie", date="2024-06-01")}, config="")
    out, log = tmp_path / "out", tmp_path / "pagefind.log"
    build_site(Options(src, out, jobs=1))
    shutil.rmtree(out / "pagefind")
    (out / "pagefind").mkdir()
    (out / "pagefind" / "pagefind-entry.json").write_text('{"version": "1.5.2", "languages": {}}')
    (tmp_path / "pagefind.py").write_text(RECORDING_PAGEFIND)
    monkeypatch.setattr(search, "PAGEFIND", [sys.executable, str(tmp_path / "pagefind.py")])
    monkeypatch.setenv("PAGEFIND_LOG", str(log))
    (src / "static").mkdir()
    (src / "static" / "note.txt").write_text("A note.\n")  # a change, though not to a brief page
    build_site(Options(src, out, jobs=1))
    assert (out / "note.txt").is_file()
    assert sorted(log.read_text().split()) == ["2024", "2025", "words"]
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == ["2024", "2025", "pages.json", "parts.json",
                                                                     "words"]
    assert search.broken(out / "pagefind") is None


def test_a_new_brief_at_a_place_updates_its_maps_as_a_clean_build_would_and_draws_no_base_map_again(
        make_site, tmp_path, monkeypatch):
    from briefsite.output import maps
    src, out = make_site({
        "a.md": brief_text(title="Alpha", date="2025-01-01", location="Mae Sot", countries="[Thailand]"),
        "b.md": brief_text(title="Bravo", date="2025-01-02", location="Bangkok", countries="[Thailand]"),
    }, config=CONFIG), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    drawn = []
    maps._drawn.cache_clear()  # as a new process starts: nothing drawn yet
    monkeypatch.setattr(maps, "basemap", lambda *args, **kwargs: drawn.append(args[0]) or "<svg/>")
    (src / "briefings" / "c.md").write_text(brief_text(title="Charlie", date="2025-01-03", location="Mae Sot",
                                                       countries="[Thailand]"))
    result = build_site(Options(src, out, jobs=1))
    assert result.rendered < result.pages and drawn == []  # every base map it uses is one the site has
    monkeypatch.undo()
    assert tree(out) == clean_tree(src, tmp_path)
    assert "Mae Sot: 2 briefs" in (out / "map" / "index.html").read_text()
    (src / "briefings" / "c.md").write_text(brief_text(title="Charlie", date="2025-01-03", location="Beijing",
                                                       countries="[China]"))
    build_site(Options(src, out, jobs=1))
    assert tree(out) == clean_tree(src, tmp_path)  # a new extent's base map, China's page and map
