"""The named builds of `build --all` (`outputs:`): each one's audience, URL and folder, no folder in another's."""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildError
from ..values.base_url import checked_base_url
from ..values.slugs import is_segment
from ..values.tlp import checked_audience
from . import Config, OutputConfig, did_you_mean
from .settings import checked_text, expect, has_controls

OUTPUT_KEYS = ("audience", "base_url", "output")


def outputs(value, doc, file, errors, values, source: Path) -> tuple[OutputConfig, ...]:
    """The named builds of `build --all`, each defaulting to the site's audience and base_url."""
    def problem(key: tuple, message: str) -> None:
        line, col = doc.where(("outputs", *key))
        errors.append(BuildError(file, line, col, f"outputs{''.join(f'.{k}' for k in key)}: {message}"))

    if not isinstance(value, dict):
        problem((), "expected a mapping of names to {audience, base_url, output}")
        return ()
    result, folders = [], {}
    for name, spec in value.items():
        if not isinstance(name, str) or not is_segment(name):
            problem((name,), "expected a name of lowercase letters, digits and hyphens")
            continue
        spec = spec if spec is not None else {}
        if not isinstance(spec, dict):
            problem((name,), "expected a mapping with audience, base_url and output")
            continue
        if unknown := [k for k in spec if k not in OUTPUT_KEYS]:
            problem((name, unknown[0]), f"unknown key '{unknown[0]}'{did_you_mean(str(unknown[0]), OUTPUT_KEYS)}")
            continue
        try:
            audience = checked_audience(spec.get("audience", values.get("audience", "clear")))
        except ValueError as exc:
            problem((name, "audience"), str(exc))
            continue
        try:
            written = spec.get("base_url", values.get("base_url", Config.base_url))
            base_url = checked_base_url(checked_text(expect(written, str, "a URL")))
        except ValueError as exc:
            problem((name, "base_url"), str(exc))
            continue
        folder = spec.get("output", f"site-{name}")
        if not isinstance(folder, str) or not folder.strip() or has_controls(folder):
            problem((name, "output"), f"expected a folder, relative to the site folder, got {folder!r}")
            continue
        folder = folder.strip().rstrip("/") or "/"
        if clash := _overlapping(folder, folders, source):
            problem((name, "output"), clash)
            continue
        folders[folder] = name
        result.append(OutputConfig(name, audience, base_url, folder))
    return tuple(result)


def _overlapping(folder: str, taken: dict[str, str], source: Path) -> str | None:
    """Why the output `folder` cannot sit beside the outputs `taken` (folder -> name): two outputs are compared
    as the folders they resolve to (`./site/`, an absolute path and a symbolic link name one folder), and
    none may hold another, which its whole build would replace or publish with its own."""
    try:
        where = (source / folder).resolve()
        places = {other: (source / other).resolve() for other in taken}
    except (OSError, RuntimeError):  # a loop of symbolic links
        return f"folder '{folder}' is, or holds, a symbolic link that cannot be followed"
    for other, name in taken.items():
        there = places[other]
        if where == there:
            return f"folder '{folder}' is the output of '{name}' too"
        if where.is_relative_to(there):
            return f"folder '{folder}' is inside '{other}', the output of '{name}'; outputs may not nest"
        if there.is_relative_to(where):
            return f"folder '{folder}' holds '{other}', the output of '{name}'; outputs may not nest"
    return None
