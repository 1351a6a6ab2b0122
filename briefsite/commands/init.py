"""`init`: make a new site folder, with one starter brief or the demo desk."""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import yaml

from .. import __version__
from ..config import CONFIG_FILE, KEYS
from ..errors import BuildError, BuildFailed, shown
from ..resources import EXAMPLE, EXAMPLE_PARTS, STARTER, WORKFLOW

HEADER = """\
# site.yml: the settings of this briefing site, each at its default with what it does.
# Change what you need; a setting left out takes its default. An unknown or mistyped
# setting is an error naming the nearest one, so nothing is silently ignored.
"""


def init_site(folder: Path, example: bool) -> list[str]:
    """Write a new site into `folder` (absent or empty) and return the paths written, relative to it.

    The site is put together in a temporary folder beside `folder` and moved into place whole, so a
    failure leaves nothing behind; an existing file is never overwritten."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise BuildFailed([BuildError(shown(folder), 0, 0, "is not a folder; init makes a new site folder")])
    if folder.is_dir() and any(folder.iterdir()):
        raise BuildFailed([BuildError(shown(folder), 0, 0, "is not empty; init writes only into a new or "
                                                             "empty folder, so that it never overwrites a file")])
    parent = folder.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".init", dir=parent))
    except OSError as exc:
        raise BuildFailed([BuildError(shown(folder), 0, 0, f"cannot be made ({exc.strerror or exc})")]) from None
    try:
        written = _fill(staging, folder, example)
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; a site folder is not
        if folder.is_dir():
            folder.rmdir()  # empty, as checked: the finished site takes its place
        staging.rename(folder)
    except OSError as exc:
        raise BuildFailed([BuildError(shown(folder), 0, 0, f"cannot be written ({exc.strerror or exc})")]) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _fill(root: Path, folder: Path, example: bool) -> list[str]:
    today = date.today().isoformat()
    title = folder.absolute().name.replace("-", " ").replace("_", " ").strip().capitalize() or "Briefings"
    fill = {"{today}": today, "{version}": __version__, "{title}": title}
    if example:
        for part in EXAMPLE_PARTS:
            origin = EXAMPLE / part
            if origin.is_dir():
                shutil.copytree(origin, root / part, ignore=shutil.ignore_patterns(".*"))
            elif origin.is_file():
                shutil.copy(origin, root / part)
    else:
        (root / CONFIG_FILE).write_text(commented_config(), encoding="utf-8")
        shutil.copytree(STARTER / "data", root / "data")
        brief = _filled((STARTER / "briefings" / "first-brief.md").read_text(encoding="utf-8"), fill)
        (root / "briefings").mkdir()
        (root / "briefings" / f"{today}-first-brief.md").write_text(brief, encoding="utf-8")
    for name, target in (("README.md", "README.md"), ("gitignore", ".gitignore"),
                         ("requirements.txt", "requirements.txt")):
        text = _filled((STARTER / name).read_text(encoding="utf-8"), fill)
        (root / target).write_text(text, encoding="utf-8")
    (root / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(WORKFLOW, root / ".github" / "workflows" / "pages.yml")
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def _filled(text: str, fill: dict[str, str]) -> str:
    for mark, value in fill.items():
        text = text.replace(mark, value)
    return text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def commented_config() -> str:
    """site.yml with every setting of the schema at its default, each under its one line of doc."""
    blocks = [HEADER]
    for name, field in KEYS.items():
        blocks.append(f"# {field.metadata['doc']}\n{_setting(name, field.default)}")
    return "\n".join(blocks)


def _setting(name: str, value) -> str:
    if name == "taxonomies":
        lines = [f"{name}:"]
        for taxonomy in value:
            parts = {k: v for k, v in dataclasses.asdict(taxonomy).items() if k != "name" and v is not None}
            lines.append(f"  {taxonomy.name}: {_flow(parts)}")
        return "\n".join(lines) + "\n"
    if isinstance(value, tuple):
        value = {} if name in ("vocabulary", "outputs", "editions") else list(value)
    return f"{name}: {_flow(value)}\n"


def _flow(value) -> str:
    """`value` as YAML on one line, in flow style."""
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=True, width=1000)
    return text.removesuffix("\n").removesuffix("\n...").strip()
