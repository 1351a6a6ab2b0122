"""`init`: a new site folder that builds at once, written whole or not at all, never over anything."""

from __future__ import annotations

import re
from datetime import date

import yaml

from briefsite.build import Options, build_site
from briefsite.commands.init import commented_config
from briefsite.config import KEYS, Config
from briefsite.config.load import load_config
from briefsite.memory.briefs import CACHE_DIR

from conftest import ROOT, tree

STARTER_FILES = [".github/workflows/pages.yml", ".gitignore", "README.md", f"briefings/{date.today()}-first-brief.md",
                 "data/authors.yml", "data/organizations.yml", "data/sources.yml", "data/threads.yml",
                 "requirements.txt", "site.yml"]


def files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_the_commented_site_yml_is_every_default_with_its_doc(tmp_path):
    text = commented_config()
    (tmp_path / "site.yml").write_text(text)
    config, problems = load_config(tmp_path, "site")
    assert problems == [] and config == Config()
    settings = re.findall(r"^# (.+)\n(\w+):", text, re.MULTILINE)
    assert settings == [(field.metadata["doc"], name) for name, field in KEYS.items()]


def test_init_writes_a_site_that_builds_without_a_warning(cli, tmp_path):
    made = cli("init", tmp_path / "desk")
    assert made.exit_code == 0 and made.stderr == ""
    desk = tmp_path / "desk"
    assert files(desk) == STARTER_FILES
    assert made.stdout.splitlines()[1:-1] == [f"  {name}" for name in STARTER_FILES]
    assert (desk / ".github/workflows/pages.yml").read_bytes() == (ROOT / ".github/workflows/pages.yml").read_bytes()
    brief = (desk / "briefings" / f"{date.today()}-first-brief.md").read_text()
    assert f"date: {date.today()}" in brief and "{" not in brief.split("---")[1].replace("{name:", "")
    result = build_site(Options(desk, tmp_path / "site", cache=False))
    assert result.warnings == [] and result.briefs == 1
    page = next((tmp_path / "site" / "briefs").glob("*/index.html")).read_text()
    for link in ("/threads/site-notes/", "/organizations/briefing-desk/", "/authors/desk-editor/"):
        assert link in page, link  # the starter brief shows what each data/ file does
    assert "briefsite README</a> <span class=\"grade\">— other, A1</span>" in page


def test_init_example_writes_the_demo_desk(cli, tmp_path):
    assert cli("init", "--example", tmp_path / "demo").exit_code == 0
    demo = tmp_path / "demo"
    assert tree(demo / "briefings") == tree(ROOT / "briefings") and tree(demo / "data") == tree(ROOT / "data")
    assert (demo / "site.yml").read_bytes() == (ROOT / "site.yml").read_bytes()
    assert {".gitignore", "README.md", "requirements.txt", ".github/workflows/pages.yml"} <= set(files(demo))


def test_init_takes_an_empty_folder(cli, tmp_path):
    (tmp_path / "desk").mkdir()
    assert cli("init", tmp_path / "desk").exit_code == 0
    assert files(tmp_path / "desk") == STARTER_FILES
    assert [p.name for p in tmp_path.iterdir()] == ["desk"]  # no work folder left beside it


def test_init_refuses_a_folder_with_anything_in_it(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / ".git").mkdir()
    refused = cli("init", "desk")
    assert refused.exit_code == 1
    assert refused.stderr == ("desk: is not empty; init writes only into a new or empty folder, so that it never "
                              "overwrites a file\n")
    assert [p.name for p in (tmp_path / "desk").iterdir()] == [".git"]
    (tmp_path / "notes.txt").write_text("mine")
    refused = cli("init", "notes.txt")
    assert refused.exit_code == 2
    assert refused.stderr.endswith("Error: Invalid value for 'FOLDER': Directory 'notes.txt' is a file.\n")
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk", "notes.txt"]


def test_the_pages_workflow_restores_the_last_output_and_cache_before_it_builds():
    # Without them every publish is a cold build; with them a push that adds a brief is an incremental one.
    steps = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())["jobs"]["build"]["steps"]
    names = [step.get("uses", step.get("name", "")).split("@")[0] for step in steps]
    cache = steps[names.index("actions/cache")]
    assert names.index("actions/cache") < names.index("Build")
    assert cache["with"]["path"].split() == [CACHE_DIR, "site"] and cache["if"] == "steps.decide.outputs.build == 'true'"
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"]
    assert key.startswith(restore) and "hashFiles('requirements.txt')" in restore and "github.run_id" in key
    assert "briefsite build --base-url" in steps[names.index("Build")]["run"]  # into site/, the path cached
