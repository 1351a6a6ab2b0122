"""The README documents what the code accepts."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from PIL import Image

from briefsite.build import Options, build_site
from briefsite.config import BRIEF_KEYS, Config

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default():
    for field in dataclasses.fields(Config):
        default = field.default
        assert f"| `{field.name}` |" in README, field.name
        if isinstance(default, (int, str)) and not isinstance(default, bool) and default != "":
            assert f"| `{field.name}` | `{default}` |" in README, field.name


def test_every_brief_key_is_documented():
    for key in BRIEF_KEYS:
        assert f"| `{key}` |" in README, key


def test_the_example_brief_builds_as_the_readme_says(make_site, tmp_path):
    example = re.search(r"```markdown\n(---\ntitle: China repatriates.*?)```", README, re.DOTALL).group(1)
    src = make_site({"2025-02-28-repatriation/index.md": example}, config="search: false\n")
    (src / "data").mkdir()
    (src / "data" / "threads.yml").write_text("mekong-scam-centres: {title: Mekong scam centres}\n")
    (src / "data" / "organizations.yml").write_text("- {name: Ministry of Public Security, aliases: [MPS]}\n")
    (src / "data" / "sources.yml").write_text("- {name: Xinhua, type: wire, reliability: B}\n")
    folder = src / "briefings" / "2025-02-28-repatriation"
    Image.new("RGB", (640, 360), "#405060").save(folder / "route.png")
    (folder / "docs").mkdir()
    (folder / "docs" / "statement.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "out"
    result = build_site(Options(src, out, jobs=1, cache=False, audience="green"))
    assert result.briefs == 1 and not result.warnings
    page = (out / "briefs" / "2025-02-28-repatriation" / "index.html").read_text()
    for shown in ("Event: 27 February 2025</span> · Filed", "Xinhua</a> <span class=\"grade\">— wire, B2</span>",
                  "Mekong scam centres</a> · brief 1 of 1", "Ministry of Public Security</a>", "Corrected",
                  "<figcaption>Source: Xinhua</figcaption>", "PDF, 8 bytes"):
        assert shown in page, shown


def _how_it_works() -> str:
    return README[README.index("## How it works\n"):README.index("## Dependencies, and why each one")]


def test_the_pipeline_in_the_readme_is_the_code():
    import inspect

    from briefsite.build import run_pipeline

    shown = re.search(r"```python\n(.*?)\n```", _how_it_works(), re.S).group(1)
    assert shown == inspect.getsource(run_pipeline).rstrip()


def test_the_stages_the_readme_names_are_those_a_build_times(tmp_path):
    from conftest import GOLDEN, GOLDEN_NOW

    built = build_site(Options(GOLDEN / "site", tmp_path / "site", jobs=1, cache=False, now=GOLDEN_NOW))
    named = re.search(r"The stages, as `--verbose` names them: ([a-z, \n]+)\.", _how_it_works()).group(1)
    assert [name.strip() for name in named.replace("\n", " ").split(",")] == list(built.stages)


def test_the_module_map_lists_every_module_and_no_other():
    block = re.search(r"\n```\n(briefsite/\n.*?)\n```", _how_it_works(), re.S).group(1)
    listed, folders = set(), []
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        name = line.split()[0]
        folders = [(depth, folder) for depth, folder in folders if depth < indent]
        if name.endswith("/"):
            folders.append((indent, name))
            listed.add("".join(folder for _, folder in folders) + "__init__.py")
        else:
            listed.add("".join(folder for _, folder in folders) + name)
    root = Path(__file__).resolve().parent.parent
    actual = {p.relative_to(root).as_posix() for p in (root / "briefsite").rglob("*.py")}
    assert sorted(listed - actual) == [] and sorted(actual - listed) == []
