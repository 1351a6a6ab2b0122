"""The output folder is sacred: only a folder a build made (or an empty or missing one) is replaced, the
paths that would destroy the sources or the cache are refused, and a failing disk is a message."""

from __future__ import annotations

import os
from contextlib import chdir

import pytest
from test_write import permissions_ignored

from briefsite import faults
from briefsite.build import Options, build_site
from briefsite.errors import BuildFailed
from briefsite.output.folder import MARKER_TEXT
from briefsite.site.urls import MARKER

from conftest import brief_text, rerun_without_permission_bypass, tree

NOT_OURS = (f"not made by briefsite (there is no {MARKER} file in it) and not empty; choose a new or empty "
            "folder, or pass --force to replace everything in it")


def failed(folder) -> str:
    return f"Build failed with 1 error; {folder}/ was left unchanged.\n"


def beside(folder) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir())


@pytest.fixture
def src(make_site):
    return make_site({"a.md": brief_text(tags="[x]")}, config="search: false\n")


def test_a_folder_briefsite_did_not_make_is_refused_and_left_as_it_is(src, cli):
    (src / "site").mkdir()
    (src / "site" / "t.txt").write_text("mine\n")
    result = cli("build", "--source", src)
    assert result.exit_code == 1
    assert result.stderr == f"{src}/site: {NOT_OURS}\n" + failed(src / "site")
    assert tree(src / "site") == {"t.txt": b"mine\n"}
    assert beside(src / "site") == ["briefings", "site", "site.yml"]  # no cache, no work folder either

    other = src.parent / "elsewhere"  # --output naming any existing folder
    (other / "sub").mkdir(parents=True)
    (other / "sub" / "notes.md").write_text("notes\n")
    assert cli("build", "--source", src, "--output", other).stderr == f"{other}: {NOT_OURS}\n" + failed(other)
    assert tree(other) == {"sub/notes.md": b"notes\n"}


def test_force_replaces_such_a_folder_and_later_builds_need_no_force(src, cli):
    (src / "site").mkdir()
    (src / "site" / "t.txt").write_text("mine\n")
    assert cli("build", "--source", src, "--force", "--quiet").exit_code == 0
    assert not (src / "site" / "t.txt").exists()
    assert (src / "site" / MARKER).read_bytes() == MARKER_TEXT
    (src / "briefings" / "b.md").write_text(brief_text(title="B"))
    assert cli("build", "--source", src, "--quiet").exit_code == 0
    assert (src / "site" / "briefs" / "b" / "index.html").is_file()


def test_an_empty_or_missing_folder_is_built_into_and_marked(src, tmp_path):
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "empty", tmp_path / "missing" / "deeper"):
        build_site(Options(src, out, jobs=1))
        assert (out / MARKER).read_bytes() == MARKER_TEXT
        assert (out / "briefs" / "a" / "index.html").is_file()


def test_a_folder_whose_marker_was_removed_is_no_longer_ours(src, tmp_path):
    out = tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    (out / MARKER).unlink()
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, out, jobs=1))
    assert [str(p) for p in failure.value.problems] == [f"{out}: {NOT_OURS}"]
    build_site(Options(src, out, jobs=1, force=True))  # a whole build: the ledger is not trusted
    assert tree(out) == tree_of_clean_build(src, tmp_path)


def tree_of_clean_build(src, tmp_path) -> dict[str, bytes]:
    build_site(Options(src, tmp_path / "clean", jobs=1, cache=False))
    return tree(tmp_path / "clean")


def test_a_site_folder_without_briefings_is_an_error(tmp_path, cli):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "site.yml").write_text("title: X\n")
    message = f"{tmp_path}/src: has no briefings/ folder; create one (even empty), or pass the site folder with --source"
    for command in ("build", "check"):
        result = cli(command, "--source", tmp_path / "src")
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == message
    assert sorted(p.name for p in (tmp_path / "src").iterdir()) == ["site.yml"]

    (tmp_path / "src" / "briefings").mkdir()  # an empty one is an empty site
    assert cli("build", "--source", tmp_path / "src", "--quiet").exit_code == 0


def test_the_output_may_not_be_the_cache_folder_or_inside_it(src, cli):
    for output, why in ((src / ".briefsite-cache", "would replace the site's .briefsite-cache/; choose another"),
                        (src / ".briefsite-cache" / "site", "may not be inside .briefsite-cache/")):
        result = cli("build", "--source", src, "--output", output)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == f"{output}: the output folder {why}"
    assert not (src / ".briefsite-cache").exists()


@pytest.mark.parametrize("folder", ["briefings", "templates", "data", "static"])
@pytest.mark.parametrize(("written", "named"), [("{f}", "{f}"), ("./{f}/", "{f}"), ("{src}/{f}", "{f}"),
                                               ("link-to-{f}", "link-to-{f}")])
def test_no_source_folder_is_ever_an_output_forced_or_not(src, cli, folder, written, named):
    (src / folder).mkdir(exist_ok=True)
    (src / folder / "keep.yml").write_text("- name: Jane Doe\n", encoding="utf-8")
    (src / f"link-to-{folder}").symlink_to(src / folder)
    output = written.format(f=folder, src=src)
    with chdir(src):
        result = cli("build", "--source", ".", "--output", output, "--force")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{named.format(f=folder)}: the output folder would replace the site's {folder}/; " \
                                            "choose another"
    assert (src / folder / "keep.yml").read_text(encoding="utf-8") == "- name: Jane Doe\n"


def test_a_symlinked_output_is_followed_and_the_link_kept(src, tmp_path, cli):
    target, link = tmp_path / "www" / "briefs", tmp_path / "link"
    link.symlink_to(target)  # dangling until the first build
    assert cli("build", "--source", src, "--output", link, "--quiet").exit_code == 0
    (src / "briefings" / "b.md").write_text(brief_text(title="B"))
    result = cli("build", "--source", src, "--output", link)
    assert result.stdout.startswith(f"Built 2 briefs, 19 pages into {link}/ in ")
    assert result.stdout.endswith(" s (14 rendered).\n")  # an incremental build through the link
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert tree(target) == tree_of_clean_build(src, tmp_path)
    assert beside(target) == ["briefs"]

    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "t.txt").write_text("mine\n")
    (tmp_path / "to-theirs").symlink_to(tmp_path / "theirs")
    result = cli("build", "--source", src, "--output", tmp_path / "to-theirs")
    assert result.stderr.splitlines()[0] == f"{tmp_path}/theirs: {NOT_OURS}"

    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = cli("build", "--source", src, "--output", tmp_path / "loop")
    assert result.stderr.splitlines()[0] == f"{tmp_path}/loop: is a symbolic link that cannot be followed"


def test_an_output_whose_folder_is_not_writable_is_a_message(src, tmp_path, cli):
    out = tmp_path / "out"
    cli("build", "--source", src, "--output", out, "--quiet")
    before = tree(out)
    (src / "briefings" / "a.md").write_text(brief_text(title="Changed", tags="[x]"))
    for flags in ((), ("--no-cache",)):
        with faults.armed("draft", kind="eacces"):  # where a folder without write permission refuses
            result = cli("build", "--source", src, "--output", out, *flags)
        assert result.exit_code == 1
        assert result.stderr == f"{out}: cannot write the site: Permission denied\n" + failed(out)
        assert tree(out) == before
        assert beside(out) == ["out", "src"]


def test_an_output_in_a_folder_without_write_permission_is_a_message(src, tmp_path, cli, request):
    if permissions_ignored(tmp_path):
        return rerun_without_permission_bypass(request)
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        result = cli("build", "--source", src, "--output", parent / "out")
    finally:
        parent.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr == f"{parent}/out: cannot write the site: Permission denied\n" + failed(parent / "out")
    assert list(parent.iterdir()) == []
