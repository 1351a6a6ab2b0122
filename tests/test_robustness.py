"""Robustness of whole builds: atomic under SIGKILL, reproducible across environments, and at scale."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefsite.build import Options, build_site

from conftest import GOLDEN, ROOT, tree

CORPUS = ROOT / "bench" / "make_corpus.py"
PAGE_LIMIT = 200 * 1024


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
# Atomicity under SIGKILL
# ---------------------------------------------------------------------------


def test_sigkill_at_any_moment_of_a_full_build_leaves_the_old_or_the_new_site(tmp_path):
    """A build without a ledger (here --no-cache) writes a whole new tree and swaps it in."""
    src = make_corpus(600, tmp_path / "src")
    work = tmp_path / "work"
    out = work / "out"
    staging, retired = work / ".out.staging", work / ".out.old"
    edited = sorted((src / "briefings").glob("*.md"))[300]
    versions = [edited.read_text(encoding="utf-8")]
    versions.append(versions[0].replace("\ntitle: \"", "\ntitle: \"Edited: ", 1))
    assert versions[1] != versions[0]

    started = time.perf_counter()
    subprocess.run(build_command(src, out, "--no-cache"), check=True)
    duration = time.perf_counter() - started
    trees = [tree(out)]
    edited.write_text(versions[1], encoding="utf-8")
    build_site(Options(src, tmp_path / "reference"))
    trees.append(tree(tmp_path / "reference"))
    assert len(differences(trees[0], trees[1])) > 5  # the brief, its neighbours, lists and terms all change

    rng = random.Random(20250227)
    current = 0
    outcomes = []
    for attempt in range(6):
        target = 1 - current
        edited.write_text(versions[target], encoding="utf-8")
        process = subprocess.Popen(build_command(src, out, "--no-cache"), start_new_session=True)
        if attempt % 3 == 0:  # anywhere in the build, parsing and rendering included
            time.sleep(rng.uniform(0.05, 1.1) * duration)
        else:  # once the staging folder (write phase) or the retired old tree (after the swap) appears
            waited = staging if attempt % 3 == 1 else retired
            deadline = time.perf_counter() + 5 * duration
            while not waited.exists() and process.poll() is None and time.perf_counter() < deadline:
                time.sleep(0.0005)
            if attempt % 3 == 1:
                time.sleep(rng.uniform(0, 0.2))
        mid_write = staging.exists()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        code = process.wait()
        found = tree(out)
        assert found in (trees[current], trees[target]), (
            f"attempt {attempt}: a mixture; differs from the old site in {differences(found, trees[current])[:5]}, "
            f"from the new one in {differences(found, trees[target])[:5]}")
        outcomes.append(("old" if found == trees[current] else "new", code, mid_write))

        subprocess.run(build_command(src, out, "--no-cache"), check=True)
        assert tree(out) == trees[target]
        assert sorted(p.name for p in work.iterdir()) == ["out"]  # staging and retired folders cleared
        current = target
    print("\nSIGKILL outcomes (site, exit code, killed mid-write):", outcomes)
    assert any(code == -signal.SIGKILL and mid_write for _, code, mid_write in outcomes), outcomes
    assert any(kind == "new" and code == -signal.SIGKILL for kind, code, _ in outcomes), outcomes


def test_sigkill_during_an_incremental_build_leaves_whole_files_and_the_next_build_repairs(tmp_path):
    """An incremental build moves changed files in one by one: a kill leaves each file whole, old or
    new, and the next build, which no longer trusts the ledger, makes exactly the new site."""
    src = make_corpus(400, tmp_path / "src")
    work = tmp_path / "work"
    out = work / "out"
    edited = sorted((src / "briefings").glob("*.md"))[200]
    versions = [edited.read_text(encoding="utf-8")]
    versions.append(versions[0].replace("\ntitle: \"", "\ntitle: \"Edited: ", 1))
    trees = []
    for version in versions:
        edited.write_text(version, encoding="utf-8")
        build_site(Options(src, tmp_path / f"reference{len(trees)}", cache=False))
        trees.append(tree(tmp_path / f"reference{len(trees)}"))
    edited.write_text(versions[0], encoding="utf-8")
    subprocess.run(build_command(src, out), check=True)

    rng = random.Random(20251127)
    current, killed = 0, 0
    for attempt in range(8):
        target = 1 - current
        edited.write_text(versions[target], encoding="utf-8")
        process = subprocess.Popen(build_command(src, out), start_new_session=True)
        if attempt % 2:
            time.sleep(rng.uniform(0.05, 0.8))
        else:  # once changed files start to move into place
            deadline = time.perf_counter() + 30
            while not (work / ".out.pending").exists() and process.poll() is None and time.perf_counter() < deadline:
                time.sleep(0.0005)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            killed += 1
        process.wait()
        found = tree(out)
        torn = [name for name, data in found.items() if data not in (trees[0].get(name), trees[1].get(name))]
        assert torn == [], f"attempt {attempt}: files that are neither the old nor the new version: {torn[:5]}"
        subprocess.run(build_command(src, out), check=True)
        assert differences(tree(out), trees[target]) == []
        assert sorted(p.name for p in work.iterdir()) == ["out"]  # no pending folder left
        current = target
    assert killed >= 3


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
    names = sorted(p.name for p in (GOLDEN / "site" / "briefings").iterdir())
    if order == "reverse":
        names.reverse()
    for number, name in enumerate(names):
        target = destination / "briefings" / name
        shutil.copyfile(GOLDEN / "site" / "briefings" / name, target)
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


@pytest.mark.slow
def test_ten_thousand_briefs_build_with_every_page_under_200_kb(tmp_path):
    src = make_corpus(10_000, tmp_path / "src")
    out = tmp_path / "out"
    (src / "site.yml").write_text("search: false\n")  # search is tested on 500 briefs; here it would add a minute
    result = build_site(Options(src, out))
    assert result.briefs == 10_000
    assert result.warnings == []
    sizes = page_sizes(out)
    data = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".xml", ".json", ".txt")]
    assert len(sizes) + len(data) == result.pages  # every page is HTML, a feed, an export, robots or sitemap
    assert sum(1 for name in sizes if name.startswith("briefs/")) == 10_000
    largest, size = report_largest(sizes, "10,000 briefs")
    assert size < PAGE_LIMIT, f"{largest} is {size} bytes"
    assert (out / "page" / "1000" / "index.html").is_file() and not (out / "page" / "1001").exists()


@pytest.mark.slow
def test_a_term_shared_by_every_brief_is_paginated_under_200_kb(tmp_path):
    src = make_corpus(3_000, tmp_path / "src")
    for path in (src / "briefings").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "\ntags:\n" in text
        path.write_text(text.replace("\ntags:\n", '\ntags:\n  - "common"\n', 1), encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(Options(src, out))
    assert result.briefs == 3_000
    pages = sorted(p.relative_to(out / "tags" / "common").as_posix()
                   for p in (out / "tags" / "common").rglob("index.html"))
    assert len(pages) == 100  # 3,000 briefs, 30 a page
    assert "3000 briefs, page 1 of 100" in " ".join((out / "tags" / "common" / "index.html").read_text().split())
    largest, size = report_largest(page_sizes(out), "3,000 briefs sharing one term")
    assert size < PAGE_LIMIT, f"{largest} is {size} bytes"
