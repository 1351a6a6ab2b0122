"""briefsite as a desk installs it: a wheel built from this checkout, installed into a fresh virtual
environment outside it, then `init` and `build` run there. The sites it makes are byte for byte the
ones the checkout makes, and real clients take them (the Nu checker, feedparser, a crawler)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from served import serve
from test_clients import crawl

from briefsite import __version__
from briefsite.build import Options, build_site
from briefsite.config.load import load_config

from conftest import ROOT, nu_errors, tree

NOW = "2026-12-01T00:00:00Z"
# What setup.py carries into the package, as the wheel names it, from where the checkout has it.
CARRIED = {"briefsite/theme": ROOT / "templates", "briefsite/example/briefings": ROOT / "briefings",
           "briefsite/example/data": ROOT / "data"}

pytestmark = pytest.mark.slow  # builds a wheel and installs it with its dependencies


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout's files (tracked and new, as git sees them), built outside it."""
    root = tmp_path_factory.mktemp("package")
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout
    source = root / "source"
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", root / "dist", source, cwd=root)
    return next((root / "dist").glob("briefsite-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The bin/ folder of a new virtual environment with the wheel and its dependencies installed."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", venv, cwd=venv.parent)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel,
        cwd=venv.parent)
    return venv / "bin"


def test_the_wheel_carries_the_theme_and_the_demo_desk(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for inside, origin in CARRIED.items():
            files = sorted(p.relative_to(origin).as_posix() for p in origin.rglob("*") if p.is_file())
            assert files, origin
            for name in files:
                assert archive.read(f"{inside}/{name}") == (origin / name).read_bytes(), name
        assert archive.read("briefsite/example/site.yml") == (ROOT / "site.yml").read_bytes()
        workflow = ROOT / ".github" / "workflows" / "pages.yml"
        assert archive.read("briefsite/example/.github/workflows/pages.yml") == workflow.read_bytes()
        metadata = archive.read(f"briefsite-{__version__}.dist-info/METADATA").decode()
    assert "briefsite/commands/starter/briefings/first-brief.md" in names
    assert not any(name.startswith(("tests/", "bench/")) for name in names)
    assert "License-Expression: MIT" in metadata
    assert "Provides-Extra: pdf" in metadata
    assert "Project-URL: Source, https://github.com/briefsite/briefsite" in metadata


def test_one_command_line_three_ways(installed, tmp_path):
    expected = f"briefsite, version {__version__}\n"
    assert run(installed / "briefsite", "--version", cwd=tmp_path).stdout == expected
    assert run(installed / "python", "-m", "briefsite", "--version", cwd=tmp_path).stdout == expected
    assert run(sys.executable, ROOT / "build.py", "--version", cwd=tmp_path).stdout == expected


def test_init_then_build_with_the_installed_tool(installed, tmp_path):
    made = run(installed / "briefsite", "init", "desk", cwd=tmp_path)
    desk = tmp_path / "desk"
    today = next((desk / "briefings").glob("*.md")).name[:10]
    assert made.stdout == (
        "Created a site in desk/ (10 files):\n  .github/workflows/pages.yml\n  .gitignore\n  README.md\n"
        f"  briefings/{today}-first-brief.md\n  data/authors.yml\n  data/organizations.yml\n  data/sources.yml\n"
        "  data/threads.yml\n  requirements.txt\n  site.yml\n"
        "Next: cd desk && briefsite serve   (preview; then `briefsite build` to publish)\n")
    assert (desk / "requirements.txt").read_text().endswith(f"\nbriefsite=={__version__}\n")
    with serve(desk / "site", "/") as url:
        built = run(installed / "briefsite", "build", "--base-url", url, "--now", NOW, cwd=desk)
        assert built.stderr == ""  # no warning on a first build
        assert built.stdout.startswith("Built 1 brief, ")
        pages = crawl(url)
    brief = next(page for page in pages if "/briefs/" in page)
    assert "/threads/site-notes/" in str(pages[brief].urls)  # the starter brief uses each data/ file
    assert "/organizations/briefing-desk/" in str(pages[brief].urls)
    assert "/authors/desk-editor/" in str(pages[brief].urls)
    same = tmp_path / "from-checkout"
    build_site(Options(desk, same, base_url=url, now=_now(), cache=False))
    assert tree(same) == tree(desk / "site")
    assert nu_errors(desk / "site") == ""
    _feeds_parse(desk / "site")


def test_example_builds_every_output_with_the_installed_tool(installed, tmp_path):
    run(installed / "briefsite", "init", "--example", "demo", cwd=tmp_path)
    demo = tmp_path / "demo"
    assert tree(demo / "briefings") == tree(ROOT / "briefings") and tree(demo / "data") == tree(ROOT / "data")
    assert (demo / "site.yml").read_bytes() == (ROOT / "site.yml").read_bytes()
    built = run(installed / "briefsite", "build", "--all", "--now", NOW, cwd=demo)
    assert built.stderr == ""
    config, _ = load_config(demo, "demo")
    outputs = [(output.name, demo / output.output, output.audience) for output in config.outputs]
    assert len(outputs) >= 2, "the demo desk declares a public and a partners' output"
    for name, folder, audience in outputs:
        assert f"{name}: Built " in built.stdout
        same = tmp_path / f"from-checkout-{name}"
        build_site(Options(demo, same, audience=audience, now=_now(), cache=False))
        assert tree(same) == tree(folder), name
        _feeds_parse(folder)
    assert nu_errors(*(folder for _, folder, _ in outputs)) == ""  # one start of the checker for them all


def _now() -> datetime:
    return datetime.fromisoformat(NOW)


def _feeds_parse(site: Path) -> None:
    atom = feedparser.parse((site / "feed.xml").read_bytes())
    assert not atom.bozo and atom.entries, atom.get("bozo_exception")
    assert json.loads((site / "feed.json").read_text())["items"]
