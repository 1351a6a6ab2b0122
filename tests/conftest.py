"""Shared helpers: small inline sites in tmp_path, and the CLI run in-process."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefsite.cli import main

GOLDEN = Path(__file__).parent / "golden"


def brief_text(title="A brief", date="2025-02-27", body="Body text.", **header) -> str:
    """A brief file's text with the given header keys (values written as YAML)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in header.items()]
    return "\n".join(lines + ["---", body, ""])


@pytest.fixture
def make_site(tmp_path):
    """Write a site folder: {file name: text or bytes} under briefings/, plus site.yml."""

    def make(briefs: dict, config: str | None = None, folder: str = "src") -> Path:
        root = tmp_path / folder
        (root / "briefings").mkdir(parents=True, exist_ok=True)
        for name, content in briefs.items():
            path = root / "briefings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        if config is not None:
            (root / "site.yml").write_text(textwrap.dedent(config), encoding="utf-8")
        return root

    return make


@pytest.fixture
def cli():
    """Run build.py's CLI in-process; returns the click Result (stdout and stderr apart)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
