"""`data/sources.yml`: the sources briefs cite, declared once with their type and reliability grade."""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildError
from ..model.brief import RELIABILITY, SOURCE_TYPES, SourceProfile
from .fields import describe
from .records import Wrong, named_records, names, one_of, read_data_file, text, web_url

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
    profiles = [SourceProfile(name, values["aliases"], values.get("type"), values.get("reliability"), values.get("url"))
                for _, name, values in named_records(doc, file, SOURCE_READERS, "source", problems)]
    return tuple(profiles), problems
