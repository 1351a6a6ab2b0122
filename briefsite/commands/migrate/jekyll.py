"""Jekyll: posts in `_posts/` named YYYY-MM-DD-title.md, YAML headers, Liquid `post_url` and `link` tags."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ...errors import shown
from ...reading.header import title_from_name
from .common import (
    MARKDOWN,
    OTHER_MARKUP,
    Links,
    Post,
    Problem,
    file_slug,
    front_matter,
    header_date,
    outside_link,
    read_text,
    terms,
    text_or_none,
    url_path,
)

_NAME = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})-(.+)")
# Jekyll's permalink styles (https://jekyllrb.com/docs/permalinks/#built-in-formats)
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


class Jekyll:
    label = "Jekyll"
    pattern = r"(?P<liquid>(?P<baseurl>\{\{-?\s*site\.baseurl\s*-?\}\})?\{%-?\s*(?P<tag>\w+)\s*(?P<arg>.*?)\s*-?%\})"

    def __init__(self, src: Path, max_header_size: int):
        self.max_header_size = max_header_size
        if (src / "_posts").is_dir():
            self.site, self.posts = src, src / "_posts"
        elif src.name == "_posts":
            self.site, self.posts = src.parent, src
        else:
            raise click.UsageError(f"{shown(src)} is not a Jekyll site: it has no _posts/ folder "
                                   "(give the site's folder or its _posts/)")
        self.root = self.site
        self.permalink = _STYLES["date"]
        config = self.site / "_config.yml"
        if config.is_file() and not outside_link(config, self.site):
            try:
                found = front_matter("---\n" + read_text(config) + "\n---\n", max_header_size)[0].get("permalink")
            except Problem:
                found = None
            if isinstance(found, str) and found.strip():
                self.permalink = _STYLES.get(found.strip(), found.strip())
        self.stems: dict[str, Path] = {}

    def candidates(self):
        for path in sorted(p for p in self.posts.rglob("*") if not p.is_dir()):  # a named pipe is named, when read
            relative = path.relative_to(self.posts)
            if any(part.startswith((".", "_", "#")) or part.endswith("~") for part in relative.parts):
                continue
            suffix = path.suffix.lower()
            if suffix in OTHER_MARKUP:
                yield path, f"not converted ({suffix} is not Markdown)"
            elif suffix in MARKDOWN:
                if not _NAME.fullmatch(path.stem):
                    yield path, "not converted (a post's file name is YYYY-MM-DD-title)"
                    continue
                self.stems[path.stem] = path
                yield path, None

    def read(self, path: Path) -> Post:
        header, lines, body, body_line = front_matter(read_text(path), self.max_header_size)
        named_day, name = _NAME.fullmatch(path.stem).groups()
        day = header_date(header, lines, "date", named_day)
        updated = header_date(header, lines, "last_modified_at")
        categories = terms(header.get("categories")) or terms(header.get("category"), "\n")
        title = text_or_none(header.get("title")) or title_from_name(name)
        authors = terms(header.get("authors") or header.get("author"), "\n")
        post = Post(path=path, title=title, day=day, body=body, body_line=body_line, name=file_slug(name),
                    updated=updated, draft=header.get("published") is False, authors=authors,
                    summary=text_or_none(header.get("summary") or header.get("description")
                                         or header.get("excerpt")),
                    tags=terms(header.get("tags")) or terms(header.get("tag"), "\n"), categories=categories)
        permalink = text_or_none(header.get("permalink")) or self.permalink
        slug = text_or_none(header.get("slug")) or name
        post.aliases = [_expand(permalink, day, slug, categories, path.suffix)]
        post.aliases += [url_path(str(old)) for old in terms(header.get("redirect_from"), "\n")]
        return post

    def bundle_files(self, post: Post) -> list[Path]:
        return []

    def tag(self, links: Links, post: Post, match: re.Match, line: int) -> str:
        tag, arg, text = match.group("tag"), match.group("arg"), match.group("liquid")
        if tag not in ("post_url", "link"):
            return links.unknown(post, line, text)
        arg = arg.strip().strip("\"'")
        if tag == "post_url":
            path, fragment = _split(arg)
            found = self.stems.get(path.rstrip("/").rsplit("/", 1)[-1])
        else:
            path, fragment = _split(arg)
            found = links.resolve(self.site / path)
        new = links.link_to(post, found.resolve()) if found else None
        if new is None:
            return links.unresolved(post, line, text, "no such post")
        links.rewritten(post, line, text, new + fragment)
        return new + fragment


def _split(arg: str) -> tuple[str, str]:
    found = re.search(r"[#?]", arg)
    return (arg[:found.start()], arg[found.start():]) if found else (arg, "")


def _expand(permalink: str, day, title: str, categories: list[str], suffix: str) -> str:
    """A Jekyll permalink template filled in for one post."""
    values = {
        "year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}",
        "i_month": str(day.month), "i_day": str(day.day), "short_year": f"{day.year % 100:02d}",
        "y_day": f"{day.timetuple().tm_yday:03d}", "week": f"{day.isocalendar()[1]:02d}",
        "short_day": day.strftime("%a"), "title": title, "slug": title,
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)), "output_ext": ".html",
    }
    path = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), permalink)
    return "/" + re.sub(r"/{2,}", "/", path).lstrip("/")
