"""The atomic write stage."""

from __future__ import annotations

import os
from pathlib import PurePosixPath

import pytest

from briefsite import faults
from briefsite.errors import BuildError, BuildFailed
from briefsite.output import write
from briefsite.output.folder import MARKER_TEXT
from briefsite.output.write import Staging, put_in_place, swap_in
from briefsite.site.urls import MARKER

from conftest import rerun_without_permission_bypass, tree


def outputs(**files: bytes) -> dict[PurePosixPath, bytes]:
    return {PurePosixPath(name.replace("__", "/")): data for name, data in files.items()}


def write_site(files: dict[PurePosixPath, bytes], output) -> None:
    """A whole build's write: every file into a staging folder, then swapped in."""
    staging = Staging(output)
    for path, data in files.items():
        staging.put(str(path), data)
    swap_in(staging.root, output)


def put_changes(output, changed: dict[PurePosixPath, bytes], stale: list[str]) -> None:
    """An incremental build's write: changed files through a pending folder, put in place."""
    staging = Staging(output, in_place=True)
    for path, data in changed.items():
        staging.put(str(path), data)
    put_in_place(staging.root, output, [str(p) for p in changed], stale)


def test_first_write_creates_the_folder(tmp_path):
    write_site(outputs(index_html=b"a", briefs__x__index_html=b"b"), tmp_path / "site")
    assert tree(tmp_path / "site") == {"index_html": b"a", "briefs/x/index_html": b"b"}


def test_rewrite_swaps_in_exactly_the_new_tree(tmp_path):
    write_site(outputs(old=b"1", keep=b"1"), tmp_path / "site")
    write_site(outputs(keep=b"2", new=b"2"), tmp_path / "site")
    assert tree(tmp_path / "site") == {"keep": b"2", "new": b"2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_leftovers_of_a_killed_build_are_cleared(tmp_path):
    for name in (".site.staging", ".site.old", ".site.pending", ".site.search"):
        (tmp_path / name / "half").mkdir(parents=True)
        (tmp_path / name / MARKER).write_bytes(MARKER_TEXT)  # as every work folder a build makes
    write_site(outputs(a=b"1"), tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("name", [".site.staging", ".site.old", ".site.pending", ".site.search"])
def test_a_folder_named_like_a_work_folder_that_no_build_made_is_never_removed(tmp_path, name):
    (tmp_path / name).mkdir()
    (tmp_path / name / "notes.txt").write_bytes(b"mine")
    with pytest.raises(BuildFailed) as failed:
        write_site(outputs(a=b"1"), tmp_path / "site")
    assert [str(e) for e in failed.value.problems] == [
        f"{tmp_path / name}: is where a build of {tmp_path / 'site'}/ keeps its work, but briefsite did not make "
        "it (there is no .briefsite file in it); rename or move it"]
    assert (tmp_path / name / "notes.txt").read_bytes() == b"mine" and not (tmp_path / "site").exists()


def test_every_work_folder_a_build_makes_is_marked(tmp_path):
    assert (Staging(tmp_path / "site").root / MARKER).read_bytes() == MARKER_TEXT
    assert (Staging(tmp_path / "other", in_place=True).root / MARKER).read_bytes() == MARKER_TEXT


def test_unchanged_files_keep_their_modification_time(tmp_path):
    write_site(outputs(same=b"1", changed=b"1"), tmp_path / "site")
    for name in ("same", "changed"):
        os.utime(tmp_path / "site" / name, (1_000_000, 1_000_000))
    write_site(outputs(same=b"1", changed=b"2", added=b"3"), tmp_path / "site")
    assert tree(tmp_path / "site") == {"same": b"1", "changed": b"2", "added": b"3"}
    assert (tmp_path / "site" / "same").stat().st_mtime == 1_000_000
    assert (tmp_path / "site" / "changed").stat().st_mtime > 1_000_000
    assert (tmp_path / "site" / "same").stat().st_nlink == 1  # the old tree is gone; nothing is shared


def test_a_symlink_in_the_old_output_is_not_followed(tmp_path):
    (tmp_path / "secret").write_bytes(b"1")
    write_site(outputs(a=b"0"), tmp_path / "site")
    (tmp_path / "site" / "a").unlink()
    (tmp_path / "site" / "a").symlink_to(tmp_path / "secret")
    write_site(outputs(a=b"1"), tmp_path / "site")
    assert not (tmp_path / "site" / "a").is_symlink()
    assert (tmp_path / "site" / "a").stat().st_ino != (tmp_path / "secret").stat().st_ino


def test_changes_are_put_in_place_and_stale_files_go_with_their_empty_folders(tmp_path):
    site = tmp_path / "site"
    write_site(outputs(keep=b"1", a__b__old=b"1", a__other=b"1", changed=b"1"), site)
    os.utime(site / "keep", (1_000_000, 1_000_000))
    put_changes(site, outputs(changed=b"2", new__file=b"3"), ["a/b/old"])
    assert tree(site) == {"keep": b"1", "a/other": b"1", "changed": b"2", "new/file": b"3"}
    assert not (site / "a" / "b").exists()
    assert (site / "keep").stat().st_mtime == 1_000_000  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the pending folder is gone


def test_an_unchanged_file_put_in_place_keeps_its_modification_time(tmp_path):
    site = tmp_path / "site"
    write_site(outputs(same=b"1"), site)
    os.utime(site / "same", (1_000_000, 1_000_000))
    put_changes(site, outputs(same=b"1"), [])
    assert (site / "same").stat().st_mtime == 1_000_000


def test_a_folder_symlinked_out_of_the_output_is_refused(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    write_site(outputs(index=b"1"), site)
    (site / "briefs").symlink_to(outside)
    with pytest.raises(BuildFailed) as failure:
        put_changes(site, outputs(briefs__x=b"2"), [])
    assert [str(p) for p in failure.value.problems] == [
        f"{site}: output path 'briefs/x' leaves the output folder"]
    assert list(outside.iterdir()) == []


# ---------------------------------------------------------------------------
# Each branch of the swap, and what an update puts back when it fails
# ---------------------------------------------------------------------------


def staged(output, **files: bytes):
    """A whole build's complete staging folder beside `output`."""
    staging = Staging(output)
    for path, data in outputs(**files).items():
        staging.put(str(path), data)
    return staging.root


def beside(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_with_no_output_yet_the_staging_folder_is_renamed_into_place(tmp_path):
    assert swap_in(staged(tmp_path / "site", a=b"1"), tmp_path / "site") == []
    assert tree(tmp_path / "site") == {"a": b"1"}
    assert beside(tmp_path) == ["site"]


def test_with_no_output_yet_a_staging_folder_that_cannot_be_renamed_leaves_none(tmp_path, monkeypatch):
    root = staged(tmp_path / "site", a=b"1")

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(BuildFailed) as failure:
        swap_in(root, tmp_path / "site")
    monkeypatch.undo()
    assert [str(p) for p in failure.value.problems] == [f"{tmp_path}/site: cannot write the site: Permission denied"]
    assert beside(tmp_path) == []


def test_over_an_output_the_swap_is_one_atomic_exchange(tmp_path, monkeypatch):
    write_site(outputs(a=b"1", gone=b"1"), tmp_path / "site")
    exchanged = []
    monkeypatch.setattr(write, "_exchange", lambda a, b, real=write._exchange: exchanged.append(real(a, b)) or True)
    assert swap_in(staged(tmp_path / "site", a=b"2"), tmp_path / "site") == []
    assert exchanged == [True]  # renameat2(RENAME_EXCHANGE) did it, not the two renames
    assert tree(tmp_path / "site") == {"a": b"2"}
    assert beside(tmp_path) == ["site"]


def test_without_an_atomic_exchange_the_swap_is_two_renames(tmp_path, monkeypatch):
    write_site(outputs(a=b"1", gone=b"1"), tmp_path / "site")
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    assert swap_in(staged(tmp_path / "site", a=b"2"), tmp_path / "site") == []
    assert tree(tmp_path / "site") == {"a": b"2"}
    assert beside(tmp_path) == ["site"]


def test_without_an_atomic_exchange_a_staging_folder_that_cannot_be_renamed_puts_the_old_tree_back(
        tmp_path, monkeypatch):
    write_site(outputs(a=b"1"), tmp_path / "site")
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    root = staged(tmp_path / "site", a=b"2")
    with faults.armed("rename", kind="eacces"), pytest.raises(BuildFailed) as failure:
        swap_in(root, tmp_path / "site")
    assert [str(p) for p in failure.value.problems] == [f"{tmp_path}/site: cannot write the site: Permission denied"]
    assert tree(tmp_path / "site") == {"a": b"1"}
    assert beside(tmp_path) == ["site"]


LEFT_OVER = "warning: the previous site could not be removed (Permission denied); the new site is in place: " \
            "remove this folder by hand"


def test_an_old_tree_that_cannot_be_removed_is_a_warning_and_never_fails_a_later_swap(tmp_path):
    site, retired = tmp_path / "site", tmp_path / ".site.old"
    write_site(outputs(a=b"1"), site)
    with faults.armed("retire", kind="eacces"):
        warnings = swap_in(staged(site, a=b"2"), site)
    assert [str(w) for w in warnings] == [f"{retired}: {LEFT_OVER}"]
    assert tree(site) == {"a": b"2"} and tree(retired) == {"a": b"1"}

    # Still stuck for the next build: its old tree is removed from the staging folder instead.
    with faults.armed("clear", kind="eacces"):
        root = staged(site, a=b"3")
    with faults.armed("retire", count=2, kind="eacces"):  # the first removal is the staging folder's
        warnings = swap_in(root, site)
    assert [str(w) for w in warnings] == [f"{retired}: {LEFT_OVER}"]
    assert tree(site) == {"a": b"3"} and beside(tmp_path) == [".site.old", "site"]

    assert swap_in(staged(site, a=b"4"), site) == []  # once it can be removed, it is
    assert tree(site) == {"a": b"4"} and beside(tmp_path) == ["site"]


def permissions_ignored(folder) -> bool:
    """Whether this process may write into a folder without write permission (root may)."""
    probe = folder / "probe"
    probe.mkdir(mode=0o500)
    try:
        (probe / "file").touch()
    except PermissionError:
        return False
    finally:
        (probe / "file").unlink(missing_ok=True)
        probe.rmdir()
    return True


def test_an_old_tree_with_a_folder_that_cannot_be_written_is_a_warning(tmp_path, request):
    if permissions_ignored(tmp_path):
        return rerun_without_permission_bypass(request)
    site = tmp_path / "site"
    write_site(outputs(a=b"1", locked__b=b"1"), site)
    (site / "locked").chmod(0o500)
    try:
        warnings = swap_in(staged(site, a=b"2"), site)
        assert [str(w) for w in warnings] == [f"{tmp_path}/.site.old: {LEFT_OVER}"]
        assert tree(site) == {"a": b"2"}
        assert swap_in(staged(site, a=b"3"), site) == [
            BuildError(f"{tmp_path}/.site.old", 0, 0, LEFT_OVER.removeprefix("warning: "), warning=True)]
        assert tree(site) == {"a": b"3"}
    finally:
        (tmp_path / ".site.old" / "locked").chmod(0o700)


def test_without_an_atomic_exchange_an_old_tree_that_cannot_be_removed_stops_the_swap(tmp_path, monkeypatch):
    site = tmp_path / "site"
    write_site(outputs(a=b"1"), site)
    with faults.armed("retire", kind="eacces"):
        swap_in(staged(site, a=b"2"), site)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    with faults.armed("clear", kind="eacces"):
        root = staged(site, a=b"3")
    with pytest.raises(BuildFailed) as failure:
        swap_in(root, site)
    assert [str(p) for p in failure.value.problems] == [
        f"{tmp_path}/.site.old: left by an earlier build and cannot be removed; remove it by hand"]
    assert tree(site) == {"a": b"2"}
    assert beside(tmp_path) == [".site.old", "site"]


@pytest.mark.parametrize("point", ["move", "delete"])
def test_an_update_that_fails_puts_every_file_back(tmp_path, point):
    site = tmp_path / "site"
    write_site(outputs(keep=b"1", changed=b"1", a__stale=b"1", b__stale=b"1"), site)
    before = tree(site)
    with faults.armed(point, count=2, kind="enospc"), pytest.raises(BuildFailed) as failure:
        put_changes(site, outputs(changed=b"2", new__file=b"2"), ["a/stale", "b/stale"])
    assert [str(p) for p in failure.value.problems] == [f"{site}: cannot write the site: No space left on device"]
    assert tree(site) == before
    assert not (site / "new").exists()
    assert beside(tmp_path) == ["site"]


def test_an_update_whose_last_step_fails_puts_every_file_back(tmp_path):
    site = tmp_path / "site"
    write_site(outputs(changed=b"1", stale=b"1"), site)
    before = tree(site)

    def fail(update):
        raise BuildFailed([BuildError(str(site), 0, 0, "Pagefind failed: no space")])

    staging = Staging(site, in_place=True)
    staging.put("changed", b"2")
    with pytest.raises(BuildFailed):
        put_in_place(staging.root, site, ["changed"], ["stale"], fail)
    assert tree(site) == before
    assert beside(tmp_path) == ["site"]
