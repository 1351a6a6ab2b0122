"""Robustness of builds: whole under SIGKILL at every kill point, reproducible across environments, and at scale."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefsite.build import Options, build_site
from briefsite.memory.briefs import CACHE_DIR
from briefsite.memory.ledger import ledger_path
from briefsite.output import search
from briefsite.site.urls import MARKER

from conftest import GOLDEN, ROOT, BuiltSite, bundle, tree

CORPUS = ROOT / "bench" / "make_corpus.py"
PAGE_LIMIT = 200 * 1024
KILLED = -signal.SIGKILL


def make_corpus(n: int, folder: Path) -> Path:
    """A site folder whose briefings/ hold n generated briefs."""
    subprocess.run([sys.executable, str(CORPUS), "--format", "briefs", "--n", str(n),
                    "--out", str(folder / "briefings")], check=True, capture_output=True)
    return folder


def build_command(source: Path, output: Path, *flags: str) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "build", "--source", str(source), "--output", str(output),
            "--quiet", *flags]


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """File names that are missing on one side or differ in bytes, for readable failures."""
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


# ---------------------------------------------------------------------------
# Atomicity under SIGKILL, at each named kill point (briefsite/faults.py)
# ---------------------------------------------------------------------------
#
# Each build below runs `build.py build` in a subprocess with BRIEFSITE_KILL_AT
# set, so it kills itself at exactly the moment named, on any machine. Every
# test starts from the same world: a small generated corpus, built once with
# the cache on, restored from a snapshot at the same absolute paths (the ledger
# is kept per output folder) with its files' sizes and modification times.

BRIEFS = 12  # several changed and stale files a build, and a build in about half a second


def run_build(source: Path, output: Path, *flags: str, kill_at: str | None = None) -> subprocess.CompletedProcess:
    """`build.py build` in a subprocess; with `kill_at` ("point:count") it kills itself there."""
    env = {name: value for name, value in os.environ.items() if name != "BRIEFSITE_KILL_AT"}
    if kill_at is not None:
        env["BRIEFSITE_KILL_AT"] = kill_at
    return subprocess.run(build_command(source, output, *flags), env=env, capture_output=True, text=True,
                          timeout=120)


@dataclass
class World(BuiltSite):
    """A site folder and its output, restorable to the state after the first build."""

    kept = ("src", "work")
    root: Path
    old: dict[str, bytes] = field(default_factory=dict)  # the first build's tree
    old_bundle: dict[str, bytes] = field(default_factory=dict)
    new: dict[str, dict[str, bytes]] = field(default_factory=dict)  # a clean build's tree after each change
    reached: dict[str, Counter] = field(default_factory=dict)  # kill points an incremental build reaches

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def out(self) -> Path:
        return self.work / "out"

    def briefs(self) -> list[Path]:
        return sorted((self.src / "briefings").glob("*.md"))

    def change(self, change: str) -> None:
        """'edit': one brief's title changes (the brief, its neighbours, lists, terms and feeds change);
        'remove': one brief is deleted (its page and the terms only it had become stale)."""
        if change == "edit":
            edited = self.briefs()[BRIEFS // 2]
            text = edited.read_text(encoding="utf-8")
            edited.write_text(text.replace('\ntitle: "', '\ntitle: "Edited: ', 1), encoding="utf-8")
            assert edited.read_text(encoding="utf-8") != text
        else:
            self.briefs()[BRIEFS // 3].unlink()

    def restore(self, change: str | None = None) -> None:
        """Back to the first build's sources, cache and output (copied with their modification
        times, which the ledger checks), then `change` applied to the sources."""
        super().restore()
        if change:
            self.change(change)

    @property
    def ledger(self) -> Path:
        return ledger_path(self.src / CACHE_DIR, self.out)

    def points(self, change: str) -> Counter:
        """How many times the incremental build after `change` reaches each kill point (counted in-process)."""
        if change not in self.reached:
            self.restore(change)
            self.reached[change] = super().points()
        return self.reached[change]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    world = World(tmp_path_factory.mktemp("kill"))
    make_corpus(BRIEFS, world.src)
    first = run_build(world.src, world.out)  # the cache on: a ledger for incremental builds
    assert first.returncode == 0, first.stderr
    assert world.ledger.is_file()
    world.old, world.old_bundle = tree(world.out), bundle(world.out)
    assert world.old_bundle and "pagefind/parts.json" in world.old_bundle  # search is on
    world.snapshot()
    for change in ("edit", "remove"):
        reference = world.root / f"clean-{change}"
        shutil.copytree(world.root / "pristine" / "src", reference / "src", ignore=shutil.ignore_patterns(CACHE_DIR))
        World(reference).change(change)
        build_site(Options(reference / "src", reference / "out", jobs=1, cache=False))
        world.new[change] = tree(reference / "out")
        assert len(differences(world.old, world.new[change])) > 5  # pages, lists, terms and feeds all change
    assert world.old.keys() - world.new["remove"].keys(), "removing a brief leaves no stale file"
    return world


WHOLE_POINTS = ["staged", "finished", "swapped"]


@pytest.mark.parametrize("point", WHOLE_POINTS)
@pytest.mark.parametrize("before", ["first-build", "old-site"])
def test_sigkill_at_each_point_of_a_whole_build_leaves_the_old_or_the_new_site(world, before, point):
    """A whole build (the first, or one without a ledger: here --no-cache over an old site) writes a
    complete new tree beside the output and swaps it in with one exchange: killed before the swap it
    leaves the old site (or none), after it the new one; never a mixture. The next build repairs."""
    world.restore("edit")
    new = world.new["edit"]
    if before == "first-build":
        shutil.rmtree(world.out)
        shutil.rmtree(world.src / CACHE_DIR)
        old, flags = None, ()  # a first build is whole with the cache on too
    else:
        old, flags = world.old, ("--no-cache",)

    killed = run_build(world.src, world.out, *flags, kill_at=point)
    assert killed.returncode == KILLED, f"not killed at {point!r}: {killed.returncode}\n{killed.stderr}"
    found = tree(world.out) if world.out.exists() else None
    assert found in (old, new), ("a mixture of the old and the new site: "
                                 f"differs from the old in {differences(found, old or {})[:5]}, "
                                 f"from the new in {differences(found, new)[:5]}")
    if point == "swapped":
        assert found == new, "killed after the swap, yet the old site is in place"
        assert world.beside == sorted(["out"] + ([] if old is None else [".out.old"]))  # the retired tree, not yet removed
    else:
        assert found == old, "killed before the swap, yet the new site is in place"
        staging = world.work / ".out.staging"
        assert world.beside == sorted([".out.staging"] + ([] if old is None else ["out"]))
        # The draft was complete; "finished" comes after the search index was added to it.
        assert tree(staging) == new
        assert (staging / "pagefind" / "parts.json").is_file() == (point == "finished")

    build_site(Options(world.src, world.out, cache=not flags))  # the next build, here in-process
    assert differences(tree(world.out), new) == []  # byte for byte a clean build
    assert search.broken(world.out / "pagefind") is None
    assert world.beside == ["out"]  # staging and retired folders cleared


@pytest.mark.parametrize(("flags", "point", "left"), [(("--no-cache",), "retire-inside:3", ".out.old"),
                                                      ((), "clean-inside:2", ".out.search")],
                         ids=["the-old-site", "an-updates-search-folder"])
def test_a_build_killed_while_it_removes_a_work_folder_leaves_it_marked_and_the_next_build_clears_it(
        world, flags, point, left):
    """A work folder is removed with its marker last: killed midway, what is left is still known as a build's
    (removed first, the marker left an unknown folder, and every later build refused to touch it)."""
    world.restore("edit")
    killed = run_build(world.src, world.out, *flags, kill_at=point)
    assert killed.returncode == KILLED, f"not killed at {point!r}: {killed.returncode}\n{killed.stderr}"
    assert differences(tree(world.out), world.new["edit"]) == []  # the new site is in place
    assert world.beside == sorted(["out", left])
    folder = world.work / left
    assert (folder / MARKER).is_file() and len(list(folder.iterdir())) > 1, "nothing left to show a kill midway"
    build_site(Options(world.src, world.out, cache=not flags))
    assert world.beside == ["out"]
    assert differences(tree(world.out), world.new["edit"]) == []


# (change, point, which time it is reached): moves of changed files, deletions of stale ones, the new bundle.
INCREMENTAL_KILLS = [
    ("edit", "move", "first"),
    ("edit", "move", "middle"),
    ("edit", "move", "last"),
    ("remove", "delete", "first"),
    ("remove", "delete", "last"),
    ("edit", "bundle", "first"),
]


@pytest.mark.parametrize(("change", "point", "which"), INCREMENTAL_KILLS,
                         ids=[f"{point}-{which}" for _, point, which in INCREMENTAL_KILLS])
def test_sigkill_at_each_point_of_an_incremental_build_leaves_whole_files_and_the_next_build_repairs(
        world, change, point, which):
    """An incremental build moves changed files in one by one, then deletes stale ones, then swaps in
    the new search bundle: a kill leaves each file whole, old or new, and the next build, which no
    longer trusts the ledger, makes exactly the new site."""
    reached = world.points(change)
    old, new = world.old, world.new[change]
    stale = old.keys() - new.keys()
    if point == "delete":
        assert reached["delete"] == len(stale)  # one point a stale file
    times = reached[point]
    assert times >= (3 if point in ("move", "delete") else 1), reached  # first, middle and last differ
    count = {"first": 1, "middle": (times + 1) // 2, "last": times}[which]

    world.restore(change)
    assert world.ledger.is_file()
    killed = run_build(world.src, world.out, kill_at=f"{point}:{count}")
    assert killed.returncode == KILLED, f"not killed at {point}:{count}: {killed.returncode}\n{killed.stderr}"
    found = tree(world.out)
    torn = [name for name, data in found.items() if data not in (old.get(name), new.get(name))]
    assert torn == [], f"files that are neither the old nor the new version: {torn[:5]}"
    lost = sorted((old.keys() & new.keys()) - found.keys())
    assert lost == [], f"files of both versions missing: {lost[:5]}"
    assert not world.ledger.exists()  # forgotten before the output changed: the next build will not trust it

    if point == "move":  # count - 1 files moved in; nothing deleted yet
        moved = [name for name in found if found[name] != old.get(name)]
        assert len(moved) <= count - 1, moved
        assert stale <= found.keys()
        if which == "first":
            assert found == old
        assert world.beside == [".out.pending", "out"]
    elif point == "delete":  # every changed file is in place; count - 1 stale files deleted
        assert {name: found.get(name) for name in new} == new
        assert len(stale - found.keys()) == count - 1
        assert world.beside == [".out.pending", "out"]
    else:  # every page is new; the search bundle is the old one, whole
        assert differences(found, new) == []
        assert bundle(world.out) == world.old_bundle
        assert world.beside == [".out.search", "out"]

    build_site(Options(world.src, world.out))  # the next build, here in-process
    assert differences(tree(world.out), new) == []  # byte for byte a clean build
    assert search.broken(world.out / "pagefind") is None
    assert world.beside == ["out"]  # no pending or search folder left
    assert world.ledger.is_file()


@pytest.mark.parametrize(("kill_at", "flags"), [
    (None, ()),  # unset
    ("no-such-point", ()),
    ("staged:2", ("--no-cache",)),  # a whole build is staged once
    ("move:1", ("--no-cache",)),  # a whole build moves no file in
], ids=["unset", "unknown-point", "count-beyond-reach", "point-not-on-the-path"])
def test_a_kill_point_the_build_does_not_reach_kills_nothing(world, kill_at, flags):
    world.restore("edit")
    done = run_build(world.src, world.out, *flags, kill_at=kill_at)
    assert done.returncode == 0, done.stderr
    assert differences(tree(world.out), world.new["edit"]) == []
    assert world.beside == ["out"]


# ---------------------------------------------------------------------------
# Determinism across environments
# ---------------------------------------------------------------------------


def available_locales() -> list[str]:
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        listed = []
    utf8 = [name for name in listed if name.lower().replace("-", "") in ("c.utf8", "en_us.utf8")]
    return (utf8 or ["C.UTF-8"]) + [name for name in ("POSIX", "C") if name in listed][:1]


def copy_site(destination: Path, order: str) -> Path:
    """The golden site's sources copied brief by brief in `order`, each with its own modification time."""
    (destination / "briefings").mkdir(parents=True)
    shutil.copyfile(GOLDEN / "site" / "site.yml", destination / "site.yml")
    shutil.copytree(GOLDEN / "site" / "data", destination / "data")
    names = sorted(p.name for p in (GOLDEN / "site" / "briefings").iterdir())
    if order == "reverse":
        names.reverse()
    for number, name in enumerate(names):
        target, origin = destination / "briefings" / name, GOLDEN / "site" / "briefings" / name
        shutil.copytree(origin, target) if origin.is_dir() else shutil.copyfile(origin, target)  # a bundle, a file
        stamp = 1_000_000_000 + (number * 86_400 if order == "forward" else -number * 3_600)
        os.utime(target, (stamp, stamp))
    return destination


def test_builds_agree_across_locale_timezone_file_order_and_mtimes(tmp_path):
    locales = available_locales()
    runs = [
        {"order": "forward", "cwd": tmp_path, "seed": "0", "locale": locales[0], "tz": "UTC"},
        {"order": "reverse", "cwd": ROOT, "seed": "4242", "locale": locales[-1], "tz": "Pacific/Kiritimati"},
    ]
    trees = []
    for number, run in enumerate(runs):
        source = copy_site(tmp_path / f"source-{number}" / ("deeper" * number) / "site", run["order"])
        out = tmp_path / f"out-{number}"
        env = {**os.environ, "PYTHONHASHSEED": run["seed"], "LC_ALL": run["locale"], "LANG": run["locale"],
               "TZ": run["tz"]}
        subprocess.run(build_command(source, out), cwd=run["cwd"], env=env, check=True)
        trees.append(tree(out))
    assert differences(trees[0], trees[1]) == []
    assert len(trees[0]) > 50


# ---------------------------------------------------------------------------
# Scale
# ---------------------------------------------------------------------------


def page_sizes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*.html")}


def report_largest(sizes: dict[str, int], what: str) -> tuple[str, int]:
    largest = max(sizes, key=lambda name: (sizes[name], name))
    print(f"\n{what}: {len(sizes)} HTML pages, largest {largest} at {sizes[largest] / 1024:.1f} KB")
    return largest, sizes[largest]


# Share images off: drawing 10,000 cards would add some four minutes of CPU, and all they change in the pages is
# a brief page's og:image tags (its address, size and alt text: under 1 KB), which the brief pages' margin covers.
SCALE_SITE = "search: false\nshare_images: false\n"  # search is tested on 500 briefs; here it would add a minute
SHARE_TAGS = 1024


@pytest.mark.slow
def test_ten_thousand_briefs_and_a_term_of_three_thousand_build_with_every_page_under_200_kb(tmp_path):
    """One build at scale: 10,000 briefs, pages of every kind, and 3,000 of them sharing one more term (its
    pages paginated like any list); a cold build, as the cache changes no page."""
    src = make_corpus(10_000, tmp_path / "src")
    for path in sorted((src / "briefings").glob("*.md"))[:3_000]:
        text = path.read_text(encoding="utf-8")
        assert "\ntags:\n" in text
        path.write_text(text.replace("\ntags:\n", '\ntags:\n  - "common"\n', 1), encoding="utf-8")
    out = tmp_path / "out"
    (src / "site.yml").write_text(SCALE_SITE)
    result = build_site(Options(src, out, cache=False))
    assert result.briefs == 10_000
    assert result.warnings == []
    sizes = page_sizes(out)
    data = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".xml", ".json", ".geojson", ".txt")]
    assert len(sizes) + len(data) == result.pages  # every page is HTML, a feed, an export, robots or sitemap
    assert sum(1 for name in sizes if name.startswith("briefs/")) == 10_000
    largest, size = report_largest(sizes, "10,000 briefs")
    assert size < PAGE_LIMIT, f"{largest} is {size} bytes"
    largest, size = report_largest({n: s for n, s in sizes.items() if n.startswith("briefs/")}, "brief pages")
    assert size + SHARE_TAGS < PAGE_LIMIT, f"{largest} is {size} bytes"
    assert (out / "page" / "1000" / "index.html").is_file() and not (out / "page" / "1001").exists()
    pages = sorted(p.relative_to(out / "tags" / "common").as_posix()
                   for p in (out / "tags" / "common").rglob("index.html"))
    assert len(pages) == 100  # 3,000 briefs, 30 a page
    assert "3000 briefs, page 1 of 100" in " ".join((out / "tags" / "common" / "index.html").read_text().split())
