"""Faults in the write stage: a full disk (or quota, a read-only disk, a folder without permission) at each
of its steps, and a Pagefind that writes a broken index.

After each: the build fails with one exact message naming the output folder, the previous site (search
bundle included) is as it was, nothing is left beside it, and the next build makes exactly a clean build.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from briefsite import faults
from briefsite.build import Options, build_site
from briefsite.errors import BuildFailed
from briefsite.output import search

from conftest import BuiltSite, brief_text, bundle, tree, write_site

NO_SPACE = "cannot write the site: No space left on device"


class World(BuiltSite):
    """A site built once with search and the cache on, restored before each fault to the same paths."""

    kept = ("work",)

    def __init__(self, root: Path):
        self.root, self.src, self.out = root, root / "work" / "src", root / "work" / "out"
        briefs = {f"b{i}.md": brief_text(title=f"Brief {i}", date=f"2025-0{1 + i % 3}-1{i}", tags=f"[t{i % 2}]")
                  for i in range(4)}
        briefs["b4.md"] = brief_text(title="Brief 4", date="2024-12-01", tags="[only]")  # its terms go with it
        write_site(self.src, briefs, "share_images: true\n")
        build_site(Options(self.src, self.out, jobs=1))
        self.old, self.old_bundle = tree(self.out), bundle(self.out)
        self.snapshot()
        self.change()
        build_site(Options(self.src, root / "clean", jobs=1, cache=False))
        self.new = tree(root / "clean")
        self.reached = self.points()  # the points an incremental build reaches, and how often
        assert self.reached["move"] >= 3 and self.reached["delete"] >= 2, self.reached

    def change(self) -> None:
        """One title edited (its page, lists and feeds change) and one brief deleted (its pages go stale)."""
        (self.src / "briefings" / "b1.md").write_text(brief_text(title="Edited", date="2025-02-11", tags="[t1]"))
        (self.src / "briefings" / "b4.md").unlink()

    def restore(self) -> None:
        """The first build's sources, cache and output (with their modification times), then the change."""
        super().restore()
        self.change()


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return World(tmp_path_factory.mktemp("faults"))


def fails_and_recovers(world: World, message: str, cache: bool) -> None:
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(world.src, world.out, jobs=1, cache=cache))
    assert [str(p) for p in failure.value.problems] == [f"{world.out}: {message}"]
    assert tree(world.out) == world.old
    assert bundle(world.out) == world.old_bundle
    assert world.beside == ["out", "src"]
    build_site(Options(world.src, world.out, jobs=1, cache=cache))
    assert tree(world.out) == world.new
    assert search.broken(world.out / "pagefind") is None
    assert world.beside == ["out", "src"]


# A whole build (here --no-cache over the old site): the lock, the staging folder, a page, the marker, the
# moment the tree is complete, Pagefind running, and the moment before the swap.
WHOLE = ["lock", "draft", "put", "marker", "staged", "searching", "finished"]


@pytest.mark.parametrize("point", WHOLE)
def test_a_full_disk_at_each_step_of_a_whole_build(world, point):
    world.restore()
    with faults.armed(point, count=3 if point == "put" else 1, kind="enospc"):
        fails_and_recovers(world, NO_SPACE, cache=False)


# An incremental build: its pending folder, a page, the first, a middle and the last file moved in, a stale
# file deleted, Pagefind running, and the moment before the new bundle goes in.
INCREMENTAL = [("draft", "1"), ("put", "2"), ("move", "1"), ("move", "middle"), ("move", "last"),
               ("delete", "1"), ("delete", "last"), ("searching", "1"), ("bundle", "1")]


@pytest.mark.parametrize(("point", "which"), INCREMENTAL, ids=[f"{p}-{w}" for p, w in INCREMENTAL])
def test_a_full_disk_at_each_step_of_an_incremental_build_puts_every_file_back(world, point, which):
    world.restore()
    times = world.reached[point]
    count = {"middle": (times + 1) // 2, "last": times}.get(which) or int(which)
    with faults.armed(point, count=count, kind="enospc"):
        fails_and_recovers(world, NO_SPACE, cache=True)


@pytest.mark.parametrize(("kind", "reason"), [("edquot", "Disk quota exceeded"), ("erofs", "Read-only file system"),
                                              ("eacces", "Permission denied")])
def test_a_full_quota_a_read_only_disk_and_no_permission_are_messages(world, kind, reason):
    world.restore()
    with faults.armed("put", kind=kind):
        fails_and_recovers(world, f"cannot write the site: {reason}", cache=True)


# A Pagefind whose disk is full: it exits 0 yet leaves a zero-byte entry file.
FULL_DISK_PAGEFIND = textwrap.dedent("""
    import sys, pathlib
    bundle = pathlib.Path(sys.argv[sys.argv.index("--output-path") + 1])
    bundle.mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_bytes(b"")
    (bundle / "pagefind.js").write_bytes(b"")
""")
BROKEN = ("Pagefind wrote a broken search index: 2025/pagefind-entry.json is missing, empty or not what Pagefind "
          "writes; is the disk full?")  # the newest part, the first the search page loads


@pytest.mark.parametrize("cache", [False, True], ids=["whole", "incremental"])
def test_a_pagefind_that_exits_0_with_a_broken_index_fails_the_build(world, tmp_path, monkeypatch, cache):
    world.restore()
    (tmp_path / "pagefind.py").write_text(FULL_DISK_PAGEFIND)
    with monkeypatch.context() as patched:
        patched.setattr(search, "PAGEFIND", [sys.executable, str(tmp_path / "pagefind.py")])
        with pytest.raises(BuildFailed) as failure:
            build_site(Options(world.src, world.out, jobs=1, cache=cache))
    assert [str(p) for p in failure.value.problems] == [f"{world.out}: {BROKEN}"]
    assert tree(world.out) == world.old and bundle(world.out) == world.old_bundle
    assert world.beside == ["out", "src"]
    build_site(Options(world.src, world.out, jobs=1, cache=cache))
    assert tree(world.out) == world.new


@pytest.mark.parametrize("damage", ["entry", "meta", "fragment", "words", "parts"])
def test_a_broken_bundle_is_named_by_what_is_wrong(world, tmp_path, damage):
    folder = tmp_path / "pagefind"
    shutil.copytree(world.root / "pristine" / "work" / "out" / "pagefind", folder)
    assert search.broken(folder) is None
    part = folder / "2024"  # the older part: every part is checked, not only the first
    entry, meta = part / search.ENTRY, next(part.glob("pagefind.*.pf_meta"))
    fragment = sorted((part / "fragment").iterdir())[0]
    if damage == "entry":  # cut short
        entry.write_text(entry.read_text()[:20])
    elif damage == "meta":
        meta.unlink()
    elif damage == "fragment":
        fragment.write_bytes(b"")
    elif damage == "words":
        shutil.rmtree(folder / search.WORDS)
    else:
        (folder / search.PARTS).write_text('["2025"]')  # at odds with pages.json
    assert search.broken(folder) == {
        "entry": "2024/pagefind-entry.json is missing, empty or not what Pagefind writes",
        "meta": f"2024/{meta.name} is missing",
        "fragment": f"2024/fragment/{fragment.name} is empty",
        "words": "words/pagefind-entry.json is missing, empty or not what Pagefind writes",
        "parts": "parts.json or pages.json is missing, empty or not what briefsite writes",
    }[damage]


# A Pagefind that fails for one part (by its output folder's name) and indexes the others.
FAILING_PAGEFIND = textwrap.dedent("""
    import os, sys
    part = os.path.basename(sys.argv[sys.argv.index("--output-path") + 1])
    if part == sys.argv[0].rsplit("-", 1)[1].removesuffix(".py"):
        sys.exit("Error: cannot index " + part)
    os.execv(sys.executable, [sys.executable, "-m", "pagefind", *sys.argv[1:]])
""")


@pytest.mark.parametrize("cache", [False, True], ids=["whole", "incremental"])
@pytest.mark.parametrize("part", ["2025", "words"])
def test_a_failure_indexing_one_part_leaves_the_old_site_and_bundle(world, tmp_path, monkeypatch, cache, part):
    """The other parts may be indexed already (the words index comes last): none of it reaches the site."""
    world.restore()
    script = tmp_path / f"pagefind-{part}.py"
    script.write_text(FAILING_PAGEFIND)
    with monkeypatch.context() as patched:
        patched.setattr(search, "PAGEFIND", [sys.executable, str(script)])
        with pytest.raises(BuildFailed) as failure:
            build_site(Options(world.src, world.out, jobs=1, cache=cache))
    assert [str(p) for p in failure.value.problems] == [f"{world.out}: Pagefind failed: Error: cannot index {part}"]
    assert tree(world.out) == world.old and bundle(world.out) == world.old_bundle
    assert world.beside == ["out", "src"]
    build_site(Options(world.src, world.out, jobs=1, cache=cache))
    assert tree(world.out) == world.new
    assert search.broken(world.out / "pagefind") is None


# A Pagefind whose fragments come out garbled, though not empty.
GARBLING_PAGEFIND = textwrap.dedent("""
    import pathlib, subprocess, sys
    subprocess.run([sys.executable, "-m", "pagefind", *sys.argv[1:]], check=True)
    part = pathlib.Path(sys.argv[sys.argv.index("--output-path") + 1])
    for fragment in sorted((part / "fragment").glob("*.pf_fragment"))[:1]:
        fragment.write_bytes(b"not gzip")
""")


def test_a_garbled_fragment_fails_the_build_and_leaves_the_old_site(world, tmp_path, monkeypatch):
    world.restore()
    (tmp_path / "pagefind.py").write_text(GARBLING_PAGEFIND)
    with monkeypatch.context() as patched:
        patched.setattr(search, "PAGEFIND", [sys.executable, str(tmp_path / "pagefind.py")])
        with pytest.raises(BuildFailed) as failure:
            build_site(Options(world.src, world.out, jobs=1))
    [problem] = [str(p) for p in failure.value.problems]
    assert re.fullmatch(rf"{re.escape(str(world.out))}: Pagefind wrote a broken search index: "
                        r"2025/fragment/en_[0-9a-f]+\.pf_fragment is not what Pagefind writes; is the disk full\?",
                        problem), problem
    assert tree(world.out) == world.old and bundle(world.out) == world.old_bundle
    assert world.beside == ["out", "src"]
