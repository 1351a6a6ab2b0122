"""`data/authors.yml`: what the site says of its authors, by the name written in briefs' headers."""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildError
from ..model.site import Profile
from ..values.slugs import slugify
from .fields import describe
from .records import read_data_file, record, text, web_url

PROFILE_READERS = {"bio": text, "role": text, "url": web_url}


def load_authors(source: Path, shown: str = "") -> tuple[tuple[Profile, ...], list[BuildError]]:
    """The profiles of `data/authors.yml` in the site folder `source` (none when it is absent), and
    what is wrong with it: errors, and warnings for removed characters."""
    doc, file, problems = read_data_file(source, "authors.yml", shown)
    if doc is None:
        return (), problems
    if not isinstance(doc.data, dict):
        return (), problems + [BuildError(file, 1, 1, "expected a mapping of author names to {bio, role, url}, "
                                                      f"got {describe(doc.data)}")]
    profiles, first = [], {}
    for name in doc.data:
        line, col = doc.where((name,))
        if isinstance(name, bool) or not isinstance(name, (str, int, float)) or not str(name).strip():
            problems.append(BuildError(file, line, col, f"expected an author's name, got {describe(name)}"))
            continue
        written = str(name).strip()
        slug = slugify(written)
        if not slug:
            problems.append(BuildError(file, line, col, f"{written!r} makes no URL slug; an author's name needs "
                                                        "letters or digits"))
            continue
        if slug in first:
            problems.append(BuildError(file, line, col, f"{written!r} is the same author as {first[slug]!r} "
                                                        f"(both make the slug '{slug}'); keep one"))
            continue
        first[slug] = written
        profile = _profile(written, doc, file, (name,), problems)
        if profile is not None:
            profiles.append(profile)
    return tuple(profiles), problems


def _profile(name: str, doc, file: str, path: tuple, problems: list) -> Profile | None:
    values = record(doc, file, path, name, PROFILE_READERS, problems)
    return None if values is None else Profile(name, **values)
