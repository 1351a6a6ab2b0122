"""The README documents what the code accepts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

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
