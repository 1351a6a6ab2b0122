"""`data/sources.yml`: the sources briefs cite, declared once with their type and reliability grade."""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildError
from ..site.model import RELIABILITY, SOURCE_TYPES, SourceProfile
from ..site.slugs import term_key
from .data import Wrong, declared_aliases, names, one_of, read_data_file, record, text, web_url
from .header import describe

SOURCES_FILE = "sources.yml"


def _reliability(value) -> str:
    """Admiralty code: how reliable the source has proved, A (completely) to F (cannot be judged)."""
    grade = value.strip().upper() if isinstance(value, str) else None
    if grade not in RELIABILITY:
        raise Wrong(f"expected a reliability grade A to F (Admiralty code: A completely reliable, B usually "
                    "reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged), "
                    f"got {describe(value)}")
    return grade


SOURCE_READERS = {"name": text, "aliases": names, "type": one_of(SOURCE_TYPES), "reliability": _reliability,
                  "url": web_url}


def load_sources(source: Path, shown: str = "") -> tuple[tuple[SourceProfile, ...], list[BuildError]]:
    """The sources `data/sources.yml` declares (none when it is absent), and what is wrong with it."""
    doc, file, problems = read_data_file(source, SOURCES_FILE, shown)
    if doc is None:
        return (), problems
    if not isinstance(doc.data, list):
        return (), problems + [BuildError(file, 1, 1, "expected a list of sources, each with a name and maybe "
                                                      f"aliases, type, reliability and url, got {describe(doc.data)}")]
    profiles, taken = [], {}  # term key -> what already uses it
    for index, spec in enumerate(doc.data):
        where = doc.where((index,))
        owner = spec["name"].strip() if isinstance(spec, dict) and isinstance(spec.get("name"), str) \
            and spec["name"].strip() else f"entry {index + 1}"
        values = record(doc, file, (index,), owner, SOURCE_READERS, problems)
        if values is None:
            continue
        if "name" not in values:
            problems.append(BuildError(file, *where, f"{owner}: a source needs a name"))
            continue
        name, key = values["name"], term_key(values["name"])
        if key in taken:
            problems.append(BuildError(file, *doc.where((index, "name")), f"'{name}' is already {taken[key]}; "
                                                                          "keep one"))
            continue
        taken[key] = f"the name of the source on line {where[0]}"
        aliases = declared_aliases(doc, file, index, name, values.get("aliases", []), taken, problems)
        profiles.append(SourceProfile(name, aliases, values.get("type"), values.get("reliability"), values.get("url")))
    return tuple(profiles), problems
