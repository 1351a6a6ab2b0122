"""The atomic write stage."""

from __future__ import annotations

from pathlib import PurePosixPath

from briefsite.render import Output
from briefsite.write import write_site

from conftest import tree


def outputs(**files: bytes) -> list[Output]:
    return [Output(PurePosixPath(name.replace("__", "/")), data, name) for name, data in files.items()]


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
    import os

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
