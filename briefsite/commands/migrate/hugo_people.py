"""Hugo's authors (names in front matter, profiles in `data/authors` or `content/authors/`) and lead images."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import shown
from .common import Author, Problem, outside_link, text_or_none
from .front_matter import front_matter, read_text
from .permalinks import FORMATS, read_settings

_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?\s*\)")
_PROFILE_KEYS = {"bio": ("bio", "description", "summary"), "role": ("role", "jobtitle", "position"),
                 "url": ("url", "website", "homepage", "link")}
_IMAGE_ENDINGS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")


class Authors:
    """The authors a site's posts name, as they write them, and what the site says of each."""

    def __init__(self, site: Path, content: Path, max_size: int):
        self.problems: list[str] = []  # a folder that could not be read, and why
        self.known = (_data_profiles(site, max_size, self.problems)
                      | _taxonomy_profiles(site, content / "authors", max_size, self.problems))
        self.by_handle: dict[str, Author] = {}  # a name or key as a post writes it -> the author

    def handles(self, header: dict, params: dict) -> list[str]:
        """The post's authors as it writes them (`authors`, `author`, `params.author`), each noted with
        its real name and profile."""
        value = header.get("authors") or header.get("author") or params.get("authors") or params.get("author")
        handles = []
        for item in value if isinstance(value, list) else [value]:
            for handle, url in _written(item):
                profile = self.known.get(handle) or self.known.get(handle.lower()) or {"name": handle}
                if url and "url" not in profile:
                    profile = {**profile, "url": url}
                self.by_handle.setdefault(handle, Author(**profile))
                handles.append(handle)
        return list(dict.fromkeys(handles))


def _written(item) -> list[tuple[str, str | None]]:
    """(name, url) of each author an entry names: a name, a mapping with `name`, or Markdown links."""
    if isinstance(item, dict):
        name = text_or_none(item.get("name"))
        return [(name, None)] if name else []
    text = text_or_none(item)
    if text is None:
        return []
    linked = _MARKDOWN_LINK.findall(text)
    if linked:  # '[Ann Writer](https://…) (Company), [Bo](…)': the names linked, nothing else
        return [(name.strip(), url if url.startswith(("http://", "https://")) else None) for name, url in linked]
    return [(line.strip(), None) for line in text.split("\n") if line.strip()]


def _data_profiles(site: Path, max_size: int, problems: list[str]) -> dict[str, dict]:
    """`data/authors.(yaml|toml|json)` (a mapping of keys to profiles) and `data/authors/<key>.*` files."""
    profiles: dict[str, dict] = {}
    for ending in FORMATS:
        whole = read_settings(site / "data" / f"authors{ending}", site, max_size, problems)
        for key, value in (whole or {}).items():
            if isinstance(value, dict):
                profiles[str(key)] = _profile(value, str(key))
    for file in _listed(site / "data" / "authors", problems):
        if file.suffix in FORMATS:
            value = read_settings(file, site, max_size, problems)
            if value:
                profiles[file.stem] = _profile(value, file.stem)
    return {**profiles, **{key.lower(): value for key, value in profiles.items()}}


def _taxonomy_profiles(site: Path, folder: Path, max_size: int, problems: list[str]) -> dict[str, dict]:
    """The authors taxonomy's own pages: `content/authors/<key>/_index.md`, its title the real name."""
    profiles = {}
    pages = [page for entry in _listed(folder, problems) if entry.is_dir() for page in sorted(entry.glob("_index.*"))]
    for page in pages:
        if outside_link(page, site):
            continue
        try:
            header = front_matter(read_text(page), max_size, "yaml toml json")[0]
        except Problem:
            continue
        header = {str(key).lower(): value for key, value in header.items()}
        params = header.get("params") if isinstance(header.get("params"), dict) else {}
        profiles[page.parent.name] = _profile({**params, **header, "name": header.get("title")}, page.parent.name)
    return {**profiles, **{key.lower(): value for key, value in profiles.items()}}


def _listed(folder: Path, problems: list[str]) -> list[Path]:
    """What `folder` holds, sorted; nothing if it is no folder or cannot be read (then listed in `problems`)."""
    try:
        return sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError as exc:
        problems.append(f"{shown(folder)}/: not read ({exc.strerror or exc}); its authors are not known")
        return []


def _profile(value: dict, key: str) -> dict:
    """A Hugo author profile as data/authors.yml holds one: its name, bio, role and http(s) url."""
    value = {str(k).lower(): v for k, v in value.items()}
    profile = {"name": text_or_none(value.get("name")) or key}
    for ours, theirs in _PROFILE_KEYS.items():
        found = next((text_or_none(value.get(name)) for name in theirs if text_or_none(value.get(name))), None)
        if found and (ours != "url" or found.startswith(("http://", "https://"))):
            profile[ours] = found
    github = text_or_none(value.get("github"))
    if "url" not in profile and github and re.fullmatch(r"[\w-]+", github):
        profile["url"] = f"https://github.com/{github}"
    return profile


def lead_image(header: dict, params: dict, bundle: Path | None) -> str | dict | None:
    """The post's lead image, `{file, alt}` when its alt is known, else its file as the post gives it:
    `images` (the first), `cover`, `featured_image` and its kin, else a bundle's cover.*, feature*.* or
    featured*.* file."""
    merged = {**params, **header}
    images = merged.get("images")
    if isinstance(images, list) and images:
        images = images[0]
    for value in (images, merged.get("cover"), merged.get("featured_image"), merged.get("featuredimage"),
                  merged.get("feature_image"), merged.get("featureimage"), merged.get("image")):
        if isinstance(value, dict):
            file = text_or_none(value.get("image") or value.get("src") or value.get("file"))
            alt = text_or_none(value.get("alt")) or text_or_none(value.get("caption"))
            if file:
                return {"file": file, "alt": alt} if alt else file
        elif text_or_none(value):
            return text_or_none(value)
    if bundle is not None:
        for pattern in ("cover.*", "feature*.*", "featured*.*"):
            for file in sorted(bundle.glob(pattern)):
                if file.suffix.lower() in _IMAGE_ENDINGS and file.is_file():
                    return file.name
    return None
