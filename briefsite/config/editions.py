"""`editions:` in site.yml: which periods of briefs are editions (the daily note, the weekly round-up, the
monthly report), and how each groups its briefs."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import BuildError
from . import did_you_mean
from .settings import checked_text, expect

EDITION_KINDS = ("daily", "weekly", "monthly")
EDITION_KEYS = ("title", "group_by")
TITLES = {"daily": "Daily note", "weekly": "Weekly round-up", "monthly": "Monthly report"}
THREAD = "thread"  # group_by: each brief under its developing story


@dataclass(frozen=True)
class EditionConfig:
    """One kind of edition: its period, its title, how it groups its briefs, and whether it is printed."""

    kind: str  # one of EDITION_KINDS
    title: str
    group_by: str = ""  # a taxonomy's name (its first term), THREAD, or '' for one list


def editions(value, doc, file, errors: list[BuildError], taxonomies: tuple[str, ...]) -> tuple[EditionConfig, ...]:
    """The editions site.yml declares, in the order of EDITION_KINDS; what is wrong goes to `errors`."""
    def problem(key: tuple, message: str) -> None:
        line, col = doc.where(("editions", *key))
        errors.append(BuildError(file, line, col, f"editions{''.join(f'.{k}' for k in key)}: {message}"))

    if not isinstance(value, dict):
        problem((), "expected a mapping of daily, weekly or monthly to {title, group_by}")
        return ()
    found = {}
    for kind, spec in value.items():
        if kind not in EDITION_KINDS:
            hint = did_you_mean(str(kind), EDITION_KINDS) or "; expected daily, weekly or monthly"
            problem((kind,), f"unknown edition '{kind}'{hint}")
            continue
        spec = {} if spec is None or spec is True else spec
        if not isinstance(spec, dict):
            problem((kind,), "expected a mapping with title and group_by")
            continue
        if unknown := [k for k in spec if k not in EDITION_KEYS]:
            problem((kind, unknown[0]), f"unknown key '{unknown[0]}'{did_you_mean(str(unknown[0]), EDITION_KEYS)}")
            continue
        try:
            title = checked_text(expect(spec.get("title", TITLES[kind]), str, "a title")).strip()
            if not title:
                raise ValueError("expected a title, got an empty one")
            group_by = checked_text(expect(spec.get("group_by") or "", str, "a taxonomy's name or 'thread'"))
        except ValueError as exc:
            problem((kind,), str(exc))
            continue
        if group_by and group_by not in (*taxonomies, THREAD):
            choices = ", ".join((*taxonomies, THREAD))
            problem((kind, "group_by"), f"'{group_by}' is neither a taxonomy nor 'thread'"
                                        f"{did_you_mean(group_by, (*taxonomies, THREAD)) or f'; expected {choices}'}")
            continue
        found[kind] = EditionConfig(kind, title, group_by)
    return tuple(found[kind] for kind in EDITION_KINDS if kind in found)
