"""The serving process's rebuilds (issue 28): what a session keeps between builds, in process.

A `Preview` is driven here without its watcher's thread: each `build()` is one rebuild after a burst of
saves, each `index()` the search indexing that follows it. Parses and stored-file reads are counted by
injection, never timed.
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import datetime

import pytest

from briefsite.build import Options, build_site
from briefsite.commands.serve import Preview, preview_folder
from briefsite.commands.serve.server import Server
from briefsite.memory import store
from briefsite.output import search
from briefsite.reading import parse

from conftest import brief_text, tree

FIRST = "2025-02-27-first.md"
SECRET = "Zanzibarite"  # in the briefs no build of this site may show
SITE = "title: Warm\nbase_url: https://example.org/briefs/\nsearch: false\n"


@pytest.fixture
def previews():
    """Start a Preview of a site folder (a real server on a free port, never serving); closed at the end."""
    started: list[Preview] = []

    def start(site, **options) -> Preview:
        options = Options(site, preview_folder(site), jobs=1, preview=True, **options)
        preview = Preview(options, Server(("127.0.0.1", 0), options.output, "/"), "127.0.0.1", quiet=True)
        started.append(preview)
        return preview

    yield start
    for preview in started:
        preview.server.server_close()


def page(preview, slug: str) -> str:
    return (preview.options.output / "briefs" / slug / "index.html").read_text(encoding="utf-8")


def write(site, name: str, text: str) -> None:
    (site / "briefings" / name).write_text(text, encoding="utf-8")


def clean_build(preview, tmp_path):
    """A fresh build of the same sources for the same URL, from nothing, beside the preview."""
    clean = tmp_path / "clean"
    build_site(Options(preview.options.source, clean, jobs=1, preview=True, cache=False, base_url=preview.url,
                       now=preview.options.now))
    return clean


# 1. An edit parses only the edited brief, and reads back none of what the last build stored.

def test_an_edit_parses_only_the_edited_brief_and_reads_no_stored_file(make_site, previews, monkeypatch):
    site = make_site({FIRST: brief_text("First"), "2025-02-28-second.md": brief_text("Second", date="2025-02-28"),
                      "2025-03-01-third.md": brief_text("Third", date="2025-03-01")}, SITE)
    preview = previews(site)
    parsed, loaded = [], []
    real_parse, real_load = parse.parse_brief, store.load
    monkeypatch.setattr(parse, "parse_brief", lambda name, *rest: parsed.append(name.rpartition("/")[2]) or real_parse(name, *rest))
    monkeypatch.setattr(store, "load", lambda path, *rest: loaded.append(path.name) or real_load(path, *rest))
    preview.build(first=True)
    assert sorted(parsed) == ["2025-02-27-first.md", "2025-02-28-second.md", "2025-03-01-third.md"]
    assert preview.server.hub.builds == 1
    parsed.clear(), loaded.clear()

    write(site, FIRST, brief_text("First", body="An edited body."))
    preview.build()
    assert parsed == ["2025-02-27-first.md"]
    assert loaded == []  # the parse cache, its file stats and the ledger came from memory
    assert "An edited body." in page(preview, "2025-02-27-first")
    assert preview.server.hub.builds == 2


def test_a_store_file_changed_on_disk_is_read_again(make_site, previews, monkeypatch):
    site = make_site({FIRST: brief_text("First")}, SITE)
    preview = previews(site)
    preview.build(first=True)
    ledgers = [path for path in (site / ".briefsite-cache").glob("pages-*.pickle")]
    assert len(ledgers) == 1
    ledgers[0].unlink()  # as a build killed midway leaves it: the folder is not trusted, whatever memory says
    loaded = []
    real_load = store.load
    monkeypatch.setattr(store, "load", lambda path, *rest: loaded.append(path.name) or real_load(path, *rest))
    write(site, FIRST, brief_text("First, again"))
    preview.build()
    assert ledgers[0].name in loaded
    assert "First, again" in page(preview, "2025-02-27-first")


def test_kept_files_are_read_again_once_replaced_or_gone(tmp_path, monkeypatch):
    kept, path = store.Kept(), tmp_path / "ledger.pickle"
    assert kept.save(path, {"pages": 1})
    loaded = []
    real_load, real_save = store.load, store.save
    monkeypatch.setattr(store, "load", lambda where, *rest: loaded.append(where) or real_load(where, *rest))
    assert kept.load(path) == {"pages": 1} and loaded == []
    real_save(path, {"pages": 2})  # another process's build
    assert kept.load(path) == {"pages": 2} and loaded == [path]
    path.unlink()
    assert kept.load(path) is None
    monkeypatch.setattr(store, "save", lambda where, data: False)  # a folder that cannot be written
    assert not kept.save(path, {"pages": 3}) and kept.load(path) is None


# 2. The reload is published once the pages are in place; the search index follows it.

GATED_PAGEFIND = """
import os, sys, time
while not os.path.exists(os.environ["PAGEFIND_GATE"]):
    time.sleep(0.01)
os.execv(sys.argv[1], sys.argv[1:])
"""


def test_the_reload_is_published_before_the_search_index_is_brought_up_to_date(make_site, previews, monkeypatch,
                                                                                 tmp_path):
    site = make_site({FIRST: brief_text("First", body="Chartered flights."),
                      "2025-02-28-second.md": brief_text("Second", date="2025-02-28")},
                     SITE.replace("search: false", "search: true"))
    gate = tmp_path / "gate"
    script = tmp_path / "pagefind.py"
    script.write_text(GATED_PAGEFIND)
    monkeypatch.setenv("PAGEFIND_GATE", str(gate))
    # Pagefind as a Python module, run by the stand-in once the gate opens.
    monkeypatch.setattr(search, "PAGEFIND", [sys.executable, str(script), *search.PAGEFIND])
    preview = previews(site)
    gate.touch()
    preview.build(first=True)
    assert not (preview.options.output / "pagefind" / "parts.json").exists()  # not indexed before the reload
    preview.index()
    words = preview.options.output / "pagefind" / "2025" / "words.txt"
    assert "Chartered" in words.read_text(encoding="utf-8").split()

    gate.unlink()
    write(site, FIRST, brief_text("First", body="Zebras everywhere."))
    rebuild = threading.Thread(target=lambda: (preview.build(), preview.index()))
    rebuild.start()
    try:
        deadline = time.monotonic() + 20
        while preview.server.hub.builds < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert preview.server.hub.builds == 2, "no reload while Pagefind waits"
        assert "Zebras everywhere." in page(preview, "2025-02-27-first")
        assert rebuild.is_alive() and preview.search.wanted  # Pagefind is still held at the gate
        assert "Zebras" not in words.read_text(encoding="utf-8").split()  # the last index serves meanwhile
    finally:
        gate.touch()
        rebuild.join(20)
    assert not rebuild.is_alive() and not preview.search.wanted
    assert "Zebras" in words.read_text(encoding="utf-8").split()
    assert "Chartered" not in words.read_text(encoding="utf-8").split()


def test_a_save_stops_the_indexing_and_the_next_run_does_its_work(make_site, previews, monkeypatch, tmp_path):
    site = make_site({FIRST: brief_text("First", body="Chartered flights.")},
                     SITE.replace("search: false", "search: true"))
    gate = tmp_path / "gate"
    (tmp_path / "pagefind.py").write_text(GATED_PAGEFIND)
    monkeypatch.setenv("PAGEFIND_GATE", str(gate))
    monkeypatch.setattr(search, "PAGEFIND", [sys.executable, str(tmp_path / "pagefind.py"), *search.PAGEFIND])
    preview = previews(site)
    preview.build(first=True)
    saved = threading.Event()
    stopped = []
    indexing = threading.Thread(target=lambda: stopped.append(preview.search.run(stop=saved.is_set)))
    indexing.start()
    time.sleep(0.5)  # Pagefind held at the gate (a long index); then a save
    saved.set()
    indexing.join(20)
    assert not indexing.is_alive() and stopped == [None]
    assert preview.search.wanted and not (preview.options.output / "pagefind" / "parts.json").exists()
    assert not list(site.glob(".briefsite-cache/.serve.*"))  # no work folder left beside the preview
    gate.touch()
    assert preview.search.run() is None and not preview.search.wanted
    assert "Chartered" in (preview.options.output / "pagefind" / "2025" / "words.txt").read_text(encoding="utf-8")


def test_a_failing_search_is_a_warning_and_is_tried_again(make_site, previews, monkeypatch, tmp_path, capsys):
    site = make_site({FIRST: brief_text("First", body="Chartered flights.")},
                     SITE.replace("search: false", "search: true"))
    script = tmp_path / "pagefind.py"
    script.write_text("import sys\nsys.stderr.write('no space left\\n')\nsys.exit(1)\n")
    real = search.PAGEFIND
    monkeypatch.setattr(search, "PAGEFIND", [sys.executable, str(script)])
    preview = previews(site)
    preview.build(first=True)
    preview.index()
    assert "warning: the search index was not brought up to date (Pagefind failed: no space left)" in \
        capsys.readouterr().err
    assert preview.server.hub.errors is None and preview.search.wanted  # the site is still good; kept to retry
    monkeypatch.setattr(search, "PAGEFIND", real)
    preview.index()
    assert not preview.search.wanted and (preview.options.output / "pagefind" / "parts.json").is_file()


# 3. What the session keeps never changes what the preview holds: deletions, renames, errors, embargoes.

def test_a_deleted_or_renamed_brief_disappears(make_site, previews):
    site = make_site({FIRST: brief_text("First", tags="[fraud]"),
                      "2025-02-28-second.md": brief_text("Second", date="2025-02-28", tags="[fraud]")}, SITE)
    preview = previews(site)
    preview.build(first=True)
    (site / "briefings" / FIRST).rename(site / "briefings" / "2025-02-27-renamed.md")
    (site / "briefings" / "2025-02-28-second.md").unlink()
    preview.build()
    briefs = preview.options.output / "briefs"
    assert sorted(p.name for p in briefs.iterdir() if p.is_dir()) == ["2025-02-27-renamed"]
    tag = (preview.options.output / "tags" / "fraud" / "index.html").read_text(encoding="utf-8")
    assert "2025-02-27-renamed" in tag and "2025-02-28-second" not in tag and "2025-02-27-first/" not in tag


def test_a_failed_rebuild_keeps_the_last_good_site_and_the_next_one_recovers(make_site, previews):
    site = make_site({FIRST: brief_text("First")}, SITE)
    preview = previews(site)
    preview.build(first=True)
    write(site, FIRST, brief_text("Broken", date="2025-02-30"))
    preview.build()
    assert preview.server.hub.errors and preview.server.hub.builds == 1
    assert ">First<" in page(preview, "2025-02-27-first")
    write(site, FIRST, brief_text("Fixed"))
    preview.build()
    assert preview.server.hub.errors is None and preview.server.hub.builds == 2
    assert ">Fixed<" in page(preview, "2025-02-27-first")


def test_the_kept_state_never_shows_a_left_out_brief(make_site, previews, tmp_path):
    embargoed = "2025-02-28-embargoed.md"
    site = make_site({FIRST: brief_text("First", tags="[fraud]"),
                      embargoed: brief_text(f"{SECRET} raid", date="2025-02-28", tags="[fraud]",
                                            publish_at="2025-03-05 09:00"),
                      "2025-02-26-amber.md": brief_text(f"{SECRET} sources", date="2025-02-26", tags="[fraud]",
                                                       audience="amber")}, SITE)
    preview = previews(site, now=datetime(2025, 3, 1, 12))
    preview.build(first=True)
    # Edits to every brief, the left-out ones too: each parsed result goes into what the session keeps.
    write(site, embargoed, brief_text(f"{SECRET} raid, revised", date="2025-02-28", tags="[fraud]",
                                      publish_at="2025-03-05 09:00", body=f"{SECRET} body."))
    write(site, FIRST, brief_text("First, revised", tags="[fraud, customs]"))
    preview.build()
    write(site, "2025-02-26-amber.md", brief_text(f"{SECRET} sources", date="2025-02-26", tags="[fraud, customs]",
                                                  audience="amber", body=f"{SECRET} again."))
    preview.build()
    assert preview.server.hub.builds == 3
    files = tree(preview.options.output)
    assert files and not [path for path, data in files.items() if SECRET.encode() in data]
    assert files == tree(clean_build(preview, tmp_path))


def test_the_preview_after_edits_is_a_fresh_build_of_the_same_sources(make_site, previews, tmp_path):
    site = make_site({FIRST: brief_text("First", tags="[fraud]"),
                      "2025-02-28-second.md": brief_text("Second", date="2025-02-28", tags="[fraud, customs]"),
                      "2024-12-01-old.md": brief_text("Old", date="2024-12-01", tags="[customs]")}, SITE)
    preview = previews(site)
    preview.build(first=True)
    edits = [
        lambda: write(site, FIRST, brief_text("First, revised", tags="[fraud]", body="A longer body.")),
        lambda: write(site, "2025-03-02-new.md", brief_text("New", date="2025-03-02", tags="[customs]")),
        lambda: (site / "briefings" / "2024-12-01-old.md").unlink(),
        lambda: write(site, "2025-02-28-second.md", brief_text("Second", date="2025-02-28", tags="[smuggling]")),
        lambda: write(site, FIRST, brief_text("Broken", date="2025-02-30")),  # a failed rebuild between
        lambda: write(site, FIRST, brief_text("First, fixed", tags="[fraud]")),
        lambda: (site / "site.yml").write_text(SITE.replace("title: Warm", "title: Warmer"), encoding="utf-8"),
    ]
    for edit in edits:
        edit()
        preview.build()
    assert preview.server.hub.errors is None and preview.server.hub.builds == len(edits)  # one failed, one first
    assert tree(preview.options.output) == tree(clean_build(preview, tmp_path))
