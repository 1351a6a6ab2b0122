"""Pelican: a content/ folder of articles with `Key: value` metadata, `{filename}` and `{static}` links."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import click

from ...errors import shown
from ...reading.header import title_from_name
from ...values.slugs import slugify
from .common import MARKDOWN, OTHER_MARKUP, Post, Problem, file_slug, terms, text_or_none, url_path
from .front_matter import header_date, read_text
from .links import Links, split_fragment

_KEY = re.compile(r"[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")


class Pelican:
    label = "Pelican"
    pattern = (r"(?P<pelican>(?P<plead>\]\(\s*<?|\b(?:src|href)=[\"'])"
               r"(?:\{(?P<kind>filename|static|attach)\}|\|(?P<old>filename|static|attach)\|)"
               r"(?P<ppath>[^\s)\"'>]+))")

    def __init__(self, src: Path, max_header_size: int):
        self.site = src  # Pelican's metadata is no YAML: `max_header_size` has nothing to bound
        self.root = src / "content" if (src / "content").is_dir() else src
        if not any(p.suffix.lower() in MARKDOWN + OTHER_MARKUP for p in self.root.rglob("*") if p.is_file()):
            raise click.UsageError(f"{shown(src)} is not a Pelican content folder: it has no .md or .rst files "
                                   "(give the folder holding the articles, usually content/)")

    def candidates(self):
        for path in sorted(p for p in self.root.rglob("*") if p.is_file()):
            relative = path.relative_to(self.root)
            suffix = path.suffix.lower()
            if any(part.startswith(".") for part in relative.parts) or suffix not in MARKDOWN + OTHER_MARKUP:
                continue
            if relative.parts[0] == "pages":
                yield path, "not converted (a Pelican page, not an article)"
            elif suffix in OTHER_MARKUP:
                yield path, f"not converted ({suffix} is not Markdown)"
            else:
                yield path, None

    def read(self, path: Path) -> Post:
        header, lines, body, body_line = _metadata(read_text(path))
        day = header_date(header, lines, "date", first=1)
        if day is None:
            raise Problem(1, "has no Date; a brief needs one (add 'Date: YYYY-MM-DD' to its metadata)")
        title = text_or_none(header.get("title")) or title_from_name(path.stem)
        peer_slug = text_or_none(header.get("slug"))
        status = (text_or_none(header.get("status")) or "").lower()
        category = text_or_none(header.get("category"))
        if category is None and path.parent != self.root:
            category = path.parent.name  # Pelican's USE_FOLDER_AS_CATEGORY
        post = Post(path=path, title=title, day=day, body=body, body_line=body_line,
                    name=file_slug(peer_slug or title), updated=header_date(header, lines, "modified", first=1),
                    summary=text_or_none(header.get("summary")), slug=slugify(peer_slug or "") or None,
                    draft=status == "draft",
                    authors=terms(header.get("authors") or header.get("author"), ","),
                    tags=terms(header.get("tags"), ","), categories=[category] if category else [])
        post.aliases = [f"/{peer_slug or pelican_slugify(title)}.html"]
        post.aliases += [url_path(header[key]) for key in ("url", "save_as") if text_or_none(header.get(key))]
        return post

    def bundle_files(self, post: Post) -> list[Path]:
        return []

    def tag(self, links: Links, post: Post, match: re.Match, line: int) -> str:
        target = match.group("pelican")[len(match.group("plead")):]
        path, fragment = split_fragment(match.group("ppath"))
        path = unquote(path)
        found = links.resolve(self.root / path.lstrip("/") if path.startswith("/") else post.path.parent / path)
        new = links.link_to(post, found) if found else None
        if new is None:
            return match.group("plead") + links.unresolved(post, line, target, "no such file")
        links.rewritten(post, line, target, new + fragment)
        return match.group("plead") + new + fragment


def _metadata(text: str) -> tuple[dict, list[str], str, int]:
    """Pelican's Markdown metadata: `Key: value` lines (indented lines continue one) up to a blank line."""
    lines = text.split("\n")
    header: dict[str, str] = {}
    start = 1 if lines and lines[0].rstrip() == "---" else 0
    key = None
    index = start
    while index < len(lines):
        line = lines[index]
        if not line.strip() or (index > start and line.strip() in ("---", "...")):
            index += 1  # the blank line (or end marker) that ends the metadata
            break
        found = _KEY.fullmatch(line)
        if found:
            key = found.group("key").lower()
            header[key] = found.group("value").strip()
        elif key and line.startswith("    "):
            header[key] += " " + line.strip()
        else:
            break
        index += 1
    if start and not header:
        raise Problem(1, "metadata opened with '---' has no 'Key: value' lines")
    return header, lines[:index], "\n".join(lines[index:]), index + 1


def pelican_slugify(text: str) -> str:
    """A title as Pelican's default slugify makes it a URL: ASCII letters, digits and hyphens."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)
