"""The atomic write stage."""

from __future__ import annotations

import os
from pathlib import PurePosixPath

import pytest

from briefsite.errors import BuildFailed
from briefsite.output.write import Draft, put_in_place, swap_in

from conftest import tree


def outputs(**files: bytes) -> dict[PurePosixPath, bytes]:
    return {PurePosixPath(name.replace("__", "/")): data for name, data in files.items()}


def write_site(files: dict[PurePosixPath, bytes], output) -> None:
    """A whole build's write: every file into a staging folder, then swapped in."""
    draft = Draft(output)
    for path, data in files.items():
        draft.put(str(path), data)
    swap_in(draft.root, output)


def put_changes(output, changed: dict[PurePosixPath, bytes], stale: list[str]) -> None:
    """An incremental build's write: changed files through a pending folder, put in place."""
    draft = Draft(output, in_place=True)
    for path, data in changed.items():
        draft.put(str(path), data)
    put_in_place(draft.root, output, [str(p) for p in changed], stale)


def test_first_write_creates_the_folder(tmp_path):
    write_site(outputs(index_html=b"a", briefs__x__index_html=b"b"), tmp_path / "site")
    assert tree(tmp_path / "site") == {"index_html": b"a", "briefs/x/index_html": b"b"}


def test_rewrite_swaps_in_exactly_the_new_tree(tmp_path):
    write_site(outputs(old=b"1", keep=b"1"), tmp_path / "site")
    write_site(outputs(keep=b"2", new=b"2"), tmp_path / "site")
    assert tree(tmp_path / "site") == {"keep": b"2", "new": b"2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_leftovers_of_a_killed_build_are_cleared(tmp_path):
    (tmp_path / ".site.staging" / "half").mkdir(parents=True)
    (tmp_path / ".site.old").mkdir()
    write_site(outputs(a=b"1"), tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


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
