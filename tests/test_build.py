"""The build as a whole: reproducible, atomic, parallel-safe, and overridable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path, PurePosixPath

import pytest

from briefsite import build, faults
from briefsite.build import Options, Stages, build_site
from briefsite.errors import BuildFailed
from briefsite.memory.briefs import CACHE_DIR
from briefsite.output import write
from briefsite.output.pages import Page, placed
from briefsite.parallel import PARALLEL_FROM
from briefsite.site.urls import UnsafePath, contained, output_file

from conftest import GOLDEN, brief_text, tree

ROOT = Path(__file__).resolve().parent.parent


def test_two_builds_are_byte_identical_across_hash_seeds_and_folders(tmp_path):
    outputs = []
    for seed, cwd in (("1", tmp_path), ("2", ROOT)):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": "C"}
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--quiet", "--no-cache", "--source",
                        str(GOLDEN / "site"), "--output", str(out)], cwd=cwd, env=env, check=True)
        outputs.append(tree(out))
    assert outputs[0] == outputs[1]


def test_parallel_parsing_and_rendering_give_the_same_site(make_site, tmp_path):
    briefs = {f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}-b{i}.md":
              brief_text(title=f"Brief {i}", tags=f"[t{i % 7}, common]", body=f"Para {i}.\n\nMore.")
              for i in range(260)}
    src = make_site(briefs)
    build_site(Options(src, tmp_path / "serial", jobs=1))
    result = build_site(Options(src, tmp_path / "parallel", jobs=2))
    assert result.rendered > PARALLEL_FROM  # enough pages for the worker processes
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")

    # A template that fails on every page, in every worker, is reported once; nothing is left behind.
    (src / "templates").mkdir()
    (src / "templates" / "brief.html").write_text("{{ brief.title.nope() }}\n")
    before = tree(tmp_path / "parallel")
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, tmp_path / "parallel", jobs=2))
    assert [str(p) for p in failure.value.problems] == [
        f"{src / 'templates' / 'brief.html'}:1: while rendering briefs/2024-01-01-b0/: 'str object' has no attribute 'nope'"]
    assert tree(tmp_path / "parallel") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parallel", "serial", "src"]


@pytest.fixture
def built(make_site, tmp_path):
    """A site built once, with a snapshot of its output."""
    src = make_site({"a.md": brief_text(tags="[x]")})
    out = tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    return src, out, tree(out)


def test_bad_brief_leaves_previous_output(built):
    src, out, before = built
    (src / "briefings" / "b.md").write_text("---\ntitle: broken\n---\n")
    with pytest.raises(BuildFailed):
        build_site(Options(src, out, jobs=1))
    assert tree(out) == before


def test_template_error_is_located_and_leaves_previous_output(built):
    src, out, before = built
    (src / "templates").mkdir()
    (src / "templates" / "brief.html").write_text('{% extends "base.html" %}\n{% block content %}\n{{ nope }}\n{% endblock %}\n')
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, out, jobs=1))
    assert [str(p) for p in failure.value.problems] == [
        f"{src / 'templates' / 'brief.html'}:3: while rendering briefs/a/: 'nope' is undefined"]
    assert tree(out) == before


def test_template_syntax_error_is_located(built):
    src, out, before = built
    (src / "templates").mkdir()
    (src / "templates" / "term.html").write_text("{% if %}\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, out, jobs=1))
    assert [str(p) for p in failure.value.problems] == [
        f"{src / 'templates' / 'term.html'}:1: template syntax error: Expected an expression, got 'end of statement block'"]
    assert tree(out) == before


def test_disk_full_while_writing_leaves_previous_output(built, monkeypatch):
    src, out, before = built
    (src / "briefings" / "a.md").write_text(brief_text(title="Changed", tags="[x]"))  # new bytes to write
    writes = []

    def full_disk(target, data):
        writes.append(target)
        if len(writes) > 3:
            raise OSError(28, "No space left on device")
        return original(target, data)

    original = write._write
    monkeypatch.setattr(write, "_write", full_disk)
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, out, jobs=1))
    monkeypatch.undo()
    assert [str(p) for p in failure.value.problems] == [f"{out}: cannot write the site: No space left on device"]
    assert tree(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["out", "src"]  # no staging folder left behind


def test_rebuild_replaces_stale_files(built):
    src, out, _ = built
    (src / "briefings" / "a.md").write_text(brief_text(tags="[y]"))
    build_site(Options(src, out, jobs=1))
    assert (out / "tags" / "y" / "index.html").is_file()
    assert not (out / "tags" / "x").exists()


def test_site_templates_override_the_theme_file_by_file(built):
    src, out, _ = built
    (src / "templates" / "static").mkdir(parents=True)
    (src / "templates" / "404.html").write_text("custom 404 for {{ config.title }}\n")
    (src / "templates" / "static" / "extra.css").write_text("body{}\n")
    build_site(Options(src, out, jobs=1))
    assert (out / "404.html").read_text() == "custom 404 for Briefings\n"
    assert (out / "static" / "extra.css").read_text() == "body{}\n"
    assert '<a class="wordmark"' in (out / "index.html").read_text()  # the theme's, untouched


def test_output_files_stay_inside_the_output_folder(tmp_path):
    assert output_file("briefs/x/") == "briefs/x/index.html"
    assert output_file("") == "index.html"
    assert output_file("feed.xml") == "feed.xml"
    for bad in ("../x/", "/etc/passwd", "a/../../b", "a\\b/", "a\0b/", "a//b/"):
        with pytest.raises(UnsafePath):
            output_file(bad)
    (tmp_path / "out").mkdir()
    os.symlink("/", tmp_path / "out" / "escape")
    with pytest.raises(UnsafePath):
        contained(tmp_path / "out", PurePosixPath("escape/etc/passwd"))


def test_two_sources_writing_one_path_is_an_error_naming_both():
    pages = [Page("a/", "brief.html", {}, "briefings/one.md"), Page("b/", "term.html", {}, "tag 'b'"),
             Page("a/", "brief.html", {}, "briefings/two.md"), Page("../x", "term.html", {}, "tag 'x'")]
    with pytest.raises(BuildFailed) as failure:
        placed(pages)
    assert [str(e) for e in failure.value.problems] == [
        "briefings/two.md: writes a/index.html, which briefings/one.md writes too",
        "tag 'x': unsafe output path '../x'"]


def test_the_search_script_ships_only_with_search(make_site, tmp_path):
    src = make_site({"a.md": brief_text()}, config="search: false\n")
    build_site(Options(src, tmp_path / "off", jobs=1))
    (src / "site.yml").write_text("search: true\n")
    build_site(Options(src, tmp_path / "on", jobs=1))
    assert sorted(p.name for p in (tmp_path / "off" / "static").iterdir()) == ["favicon.svg", "style.css"]
    assert sorted(p.name for p in (tmp_path / "on" / "static").iterdir()) == ["favicon.svg", "search.js", "style.css"]


def test_a_previous_site_left_behind_is_reported_once_not_by_the_builds_after(built):
    src, out, before = built
    shutil.rmtree(src / CACHE_DIR)  # without a ledger the next build is whole, and remembered
    with faults.armed("retire", kind="eacces"):
        result = build_site(Options(src, out, jobs=1))
    assert [str(w) for w in result.warnings] == [
        f"{out.parent}/.out.old: warning: the previous site could not be removed (Permission denied); "
        "the new site is in place: remove this folder by hand"]
    assert tree(out) == before
    again = build_site(Options(src, out, jobs=1))
    assert (again.rendered, again.warnings) == (0, [])  # nothing changed: the summary of the last build, as it was


def test_a_stage_run_inside_another_is_timed_as_its_own_and_not_in_the_other(monkeypatch):
    clock = iter([0.0, 1.0, 2.0, 7.0, 8.0, 9.0])  # started; write starts; search starts, ends; write ends; result
    monkeypatch.setattr(build.time, "perf_counter", lambda: next(clock))
    stage = Stages()
    stage("write", lambda *, search: search(bundle="b"), search=partial(stage, "search", lambda *, bundle: bundle))
    assert stage == {"search": 5.0, "write": 2.0}  # in the order they finished
