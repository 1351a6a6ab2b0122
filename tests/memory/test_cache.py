"""The brief cache: reused when nothing changed, invalidated when anything parsing reads changes,
never trusted to run code, and never changing the output."""

from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefsite.build import Options, build_site
from briefsite.config import Config
from briefsite.memory import briefs as cache
from briefsite.memory.briefs import CACHE_DIR, BriefCache, settings_key
from briefsite.reading.brief import parse_brief

from conftest import brief_text, tree, write_site

CONFIG = "search: false\n"


def test_unchanged_briefs_come_from_the_cache(make_site, tmp_path):
    src = make_site({"a.md": brief_text(title="Real title")}, config=CONFIG)
    build_site(Options(src, tmp_path / "out", jobs=1))
    stored = BriefCache(src / CACHE_DIR, Config(search=False))
    assert len(stored.stored) == 1
    # Plant a different result under the same key: a build that reuses the cache shows it.
    key = next(iter(stored.stored))
    brief, problems = stored.stored[key]
    stored.put(key, (dataclasses.replace(brief, title="From the cache"), problems))
    stored.save()
    build_site(Options(src, tmp_path / "other", jobs=1))  # another output: no ledger says "nothing to do"
    assert "From the cache" in (tmp_path / "other" / "briefs" / "a" / "index.html").read_text()
    build_site(Options(src, tmp_path / "out", jobs=1, cache=False))
    assert "Real title" in (tmp_path / "out" / "briefs" / "a" / "index.html").read_text()


def test_an_edited_brief_is_parsed_again_and_stale_entries_go(make_site, tmp_path):
    src = make_site({"a.md": brief_text(title="One"), "b.md": brief_text(title="Two")}, config=CONFIG)
    build_site(Options(src, tmp_path / "out", jobs=1))
    (src / "briefings" / "a.md").write_text(brief_text(title="One, edited"))
    build_site(Options(src, tmp_path / "out", jobs=1))
    assert "One, edited" in (tmp_path / "out" / "briefs" / "a" / "index.html").read_text()
    assert len(BriefCache(src / CACHE_DIR, Config(search=False)).stored) == 2


def test_settings_that_parsing_reads_change_the_key(monkeypatch):
    base = settings_key(Config())
    assert settings_key(Config(title="Other")) == base  # titles do not shape briefs
    for changed in (Config(timezone="Asia/Bangkok"), Config(allow_raw_html=True),
                    Config(markdown_extensions=("tables",)), Config(taxonomies=Config().taxonomies[:1]),
                    Config(max_header_size=100), Config(max_body_size=100), Config(max_terms=3)):
        assert settings_key(changed) != base
    monkeypatch.setattr(cache.metadata, "version", lambda name: "999")  # a library upgrade
    assert settings_key(Config()) != base


def test_a_config_change_reaches_cached_briefs(make_site, tmp_path):
    src = make_site({"a.md": brief_text(date="2025-01-01T23:30:00+00:00")}, config=CONFIG)
    build_site(Options(src, tmp_path / "out", jobs=1))
    (src / "site.yml").write_text(CONFIG + "timezone: Asia/Bangkok\n")
    build_site(Options(src, tmp_path / "out", jobs=1))
    assert (tmp_path / "out" / "timeline" / "2025" / "01" / "02").exists() is False
    assert "2 January 2025" in (tmp_path / "out" / "briefs" / "a" / "index.html").read_text()


class Exploit:
    def __reduce__(self):
        return (exec, ("open('PWNED', 'w').write('x')",))


def test_a_planted_cache_file_runs_no_code(make_site, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = make_site({"a.md": brief_text()}, config=CONFIG)
    (src / CACHE_DIR).mkdir()
    (src / CACHE_DIR / cache.BRIEFS_FILE).write_bytes(pickle.dumps({b"k": Exploit()}))
    build_site(Options(src, tmp_path / "out", jobs=1))
    assert not (tmp_path / "PWNED").exists()
    assert (tmp_path / "out" / "briefs" / "a" / "index.html").is_file()


def test_cached_results_round_trip_exactly(tmp_path):
    config = Config(timezone="Asia/Bangkok")
    text = brief_text(date="2025-01-01T10:00:00", updated="2025-01-02", tagz="[x]",
                      sources="[{name: A, url: 'javascript:x'}]").encode()
    result = parse_brief("b/x.md", text, config)
    store = BriefCache(tmp_path, config)
    store.put(b"k", result)
    store.save()
    assert BriefCache(tmp_path, config).stored == {b"k": result}
    assert [p.warning for p in result[1]] == [True, True]


EDITS = st.lists(st.tuples(
    st.sampled_from(["add", "delete", "rename", "tags", "date", "body", "template", "deep", "config"]),
    st.integers(0, 4), st.integers(0, 3)), min_size=1, max_size=4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_incremental_builds_equal_clean_builds(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("incremental")
    src = write_site(root / "src", {f"b{i}.md": brief_text(title=f"Brief {i}", tags=f"[t{i}]") for i in range(3)},
                     CONFIG + "share_images: true\n")
    build_site(Options(src, root / "incremental", jobs=1))
    for step, (edit, which, value) in enumerate(edits):
        files = sorted((src / "briefings").glob("*.md"))
        target = files[which % len(files)] if files else None
        if edit == "add" or target is None:
            (src / "briefings" / f"new{step}.md").write_text(brief_text(title=f"New {step}", tags=f"[t{value}]"))
        elif edit == "delete":
            target.unlink()
        elif edit == "rename":
            target.rename(target.with_name(f"renamed{step}.md"))
        elif edit == "tags":
            target.write_text(brief_text(title=target.stem, tags=f"[t{value}, shared]"))
        elif edit == "date":
            target.write_text(brief_text(title=target.stem, date=f"2024-0{value + 1}-1{value}"))
        elif edit == "body":
            target.write_text(brief_text(title=target.stem, body=f"Body version {value}.\n\n## Part {step}"))
        elif edit == "template":
            (src / "templates").mkdir(exist_ok=True)
            (src / "templates" / "404.html").write_text(f"Lost {value}\n")
        elif edit == "deep":  # templates reading beyond their views: through terms and periods
            (src / "templates").mkdir(exist_ok=True)
            (src / "templates" / "taxonomy.html").write_text(
                "{% for row in terms %}{{ row.term.name }} {{ row.term.briefs | map(attribute='title') | join }}\n"
                "{% endfor %}")
            (src / "templates" / "period.html").write_text(
                f"{value} {{{{ period.briefs | map(attribute='summary') | join }}}}"
                "{% if period.months is defined %}{{ period.months | map(attribute='count') | join }}{% endif %}\n")
            (src / "templates" / "brief.html").write_text(
                "{% for group in entry.terms %}{% for term in group.terms %}{{ term.count }} "
                "{{ term.briefs | map(attribute='title') | join(',') }}\n{% endfor %}{% endfor %}")
        else:
            (src / "site.yml").write_text(CONFIG + f"timezone: {['UTC', 'Asia/Bangkok', 'America/Lima', 'UTC'][value]}\n"
                                          f"page_size: {value + 1}\n")
        build_site(Options(src, root / "incremental", jobs=1))
        build_site(Options(src, root / f"clean{step}", jobs=1, cache=False))
        assert tree(root / "incremental") == tree(root / f"clean{step}"), (step, edit)


def test_an_edit_goes_to_the_journal_and_the_base_file_stays(make_site, tmp_path):
    src = make_site({f"b{i}.md": brief_text(title=f"Brief {i}") for i in range(30)}, config=CONFIG)
    build_site(Options(src, tmp_path / "out", jobs=1))
    base = (src / CACHE_DIR / cache.BRIEFS_FILE).read_bytes()
    (src / "briefings" / "b3.md").write_text(brief_text(title="Brief 3, edited"))
    build_site(Options(src, tmp_path / "out", jobs=1))
    assert (src / CACHE_DIR / cache.BRIEFS_FILE).read_bytes() == base  # 30 entries not written again
    journal = cache._load(src / CACHE_DIR / cache.JOURNAL_FILE)
    assert [brief.title for brief, _ in journal.values()] == ["Brief 3, edited"]
    assert len(BriefCache(src / CACHE_DIR, Config(search=False)).stored) == 31  # base and journal
    build_site(Options(src, tmp_path / "clean", jobs=1, cache=False))
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_files_with_the_same_size_and_modification_time_are_not_read(make_site, tmp_path, monkeypatch):
    src = make_site({"a.md": brief_text(title="A"), "b.md": brief_text(title="B")}, config=CONFIG)
    build_site(Options(src, tmp_path / "out", jobs=1))
    read = []
    original = cache.read_limited
    monkeypatch.setattr(cache, "read_limited", lambda path, limit: read.append(path.name) or original(path, limit))
    build_site(Options(src, tmp_path / "other", jobs=1))  # another output: a whole build, from the cache
    assert [name for name in read if name.endswith(".md")] == []
    os.utime(src / "briefings" / "b.md", ns=(1_000_000_000, 1_000_000_000))
    build_site(Options(src, tmp_path / "third", jobs=1))
    assert [name for name in read if name.endswith(".md")] == ["b.md"]


def test_a_cache_folder_that_cannot_be_changed_slows_builds_but_never_fails_them(make_site, tmp_path, monkeypatch):
    src = make_site({f"b{i}.md": brief_text(title=f"Brief {i}") for i in range(3)}, config="search: false\n")
    build_site(Options(src, tmp_path / "out", jobs=1))
    (src / CACHE_DIR / cache.JOURNAL_FILE).write_bytes(b"")  # a journal the next full save must drop
    real_unlink = Path.unlink

    def read_only(path, *args, **kwargs):
        if path.parent.name == CACHE_DIR:
            raise OSError(30, "Read-only file system")
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", read_only)
    monkeypatch.setattr(cache.store, "save", lambda path, data: None)  # nothing in the folder can be written
    for i in range(3):
        (src / "briefings" / f"b{i}.md").write_text(brief_text(title=f"Changed {i}"))
    result = build_site(Options(src, tmp_path / "out", jobs=1))
    assert (result.briefs, result.rendered > 0) == (3, True)
