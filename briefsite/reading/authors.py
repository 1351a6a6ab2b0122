"""`data/authors.yml`: what the site says of its authors, by the name written in briefs' headers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from ..config import did_you_mean
from ..errors import BuildError, display, fail_on_errors
from ..site.model import Profile
from ..site.slugs import slugify
from . import yamlio
from .header import describe

AUTHORS_FILE = "data/authors.yml"
PROFILE_KEYS = ("bio", "role", "url")


def load_authors(source: Path, display: str = "") -> tuple[tuple[Profile, ...], list[BuildError]]:
    """The profiles of `data/authors.yml` in the site folder `source` (none when it is absent), and
    what is wrong with it: errors, and warnings for removed characters."""
    path = source / AUTHORS_FILE
    if not path.is_file():
        return (), []
    file = f"{display}/{AUTHORS_FILE}" if display else AUTHORS_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return (), [BuildError(file, 0, 0, f"not valid UTF-8 (byte {exc.start})")]
    doc, problems = yamlio.load(text, file, clean=True)
    if doc is None:
        return (), problems
    if doc.data is None:
        return (), problems
    if not isinstance(doc.data, dict):
        return (), problems + [BuildError(file, 1, 1, "expected a mapping of author names to {bio, role, url}, "
                                                      f"got {describe(doc.data)}")]
    profiles, first = [], {}
    for name, spec in doc.data.items():
        line, col = doc.where((name,))
        if isinstance(name, bool) or not isinstance(name, (str, int, float)) or not str(name).strip():
            problems.append(BuildError(file, line, col, f"expected an author's name, got {describe(name)}"))
            continue
        shown = str(name).strip()
        slug = slugify(shown)
        if not slug:
            problems.append(BuildError(file, line, col, f"{shown!r} makes no URL slug; an author's name needs "
                                                        "letters or digits"))
            continue
        if slug in first:
            problems.append(BuildError(file, line, col, f"{shown!r} is the same author as {first[slug]!r} "
                                                        f"(both make the slug '{slug}'); keep one"))
            continue
        first[slug] = shown
        profile = _profile(shown, spec, doc, file, (name,), problems)
        if profile is not None:
            profiles.append(profile)
    return tuple(profiles), problems


def _profile(name: str, spec, doc, file: str, path: tuple, problems: list) -> Profile | None:
    if spec is None:
        return Profile(name)
    if not isinstance(spec, dict):
        line, col = doc.where(path)
        problems.append(BuildError(file, line, col, f"{name}: expected a mapping with bio, role and url, "
                                                    f"got {describe(spec)}"))
        return None
    before = len(problems)
    values = {}
    for key, value in spec.items():
        line, col = doc.where((*path, key))
        if key not in PROFILE_KEYS:
            hint = did_you_mean(str(key), PROFILE_KEYS) or "; expected bio, role and url"
            problems.append(BuildError(file, line, col, f"{name}: unknown key '{key}'{hint}"))
            continue
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            what = "an empty value" if isinstance(value, str) else describe(value)
            problems.append(BuildError(file, line, col, f"{name}.{key}: expected text, got {what}"))
            continue
        value = value.strip()
        if key == "url" and not _is_web_url(value):
            problems.append(BuildError(file, line, col, f"{name}.url: {value!r} is not an http(s) URL"))
            continue
        values[key] = value
    return Profile(name, **values) if len(problems) == before else None


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://["
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url)


def load_site_authors(source: Path) -> tuple[tuple[Profile, ...], list[BuildError]]:
    """The config stage's part for authors: the profiles and their warnings; raises BuildFailed on errors."""
    profiles, problems = load_authors(source, display(source))
    return profiles, fail_on_errors(problems)
