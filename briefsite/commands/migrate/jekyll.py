"""Jekyll: posts in `_posts/` named YYYY-MM-DD-title.md, YAML headers, Liquid, `_authors` and `_data/authors`."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ...errors import shown
from ...reading.header import title_from_name
from . import liquid
from .common import (
    MARKDOWN,
    OTHER_MARKUP,
    Author,
    OldSite,
    Post,
    Problem,
    fenced,
    file_slug,
    one_line,
    outside_link,
    terms,
    text_or_none,
    url_path,
)
from .front_matter import front_matter, read_text
from .jekyll_header import file_name_day, lead_image, read_date, read_front_matter
from .links import Links, split_fragment

_NAME = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})-(.+)")
# Jekyll's permalink styles (https://jekyllrb.com/docs/permalinks/#built-in-formats)
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


# An output or tag in a link target; never a block's tag, which must be paired (a comment's text never published).
_LIQUID = r"(?:\{\{[^{}\n]*\}\}|\{%(?![-\s]*(?:end)?(?:raw|comment|highlight)\b)[^{}%\n]*%\})"


class Jekyll:
    label = "Jekyll"
    pattern = (# a link whose target Liquid makes: [x]({{ site.baseurl }}/a.png)
               r"(?P<made_lead>\]\(\s*<?|^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?|\b(?:src|href)=[\"'])"
               + rf"(?P<made>{_LIQUID}(?:{_LIQUID}|[^\s)>\"'{{])*)"
               + r"|(?P<output>" + liquid.OUTPUT + ")"
               + r"|(?P<liquid>" + liquid.TAG + ")")

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
        self.unread: list[tuple[Path, str]] = []  # a settings or data file that is no YAML mapping, and why
        self.config = self._data_file(self.site / "_config.yml") or {}
        self.config.setdefault("baseurl", "")  # Jekyll's default: `{{ site.baseurl }}` is then empty
        found = self.config.get("permalink")
        self.permalink = _STYLES.get(found.strip(), found.strip()) if isinstance(found, str) and found.strip() \
            else _STYLES["date"]
        url = text_or_none(self.config.get("url"))
        base = str(self.config.get("baseurl") or "").strip().strip("/")
        base = "/" + base if base else ""
        self.old_site = OldSite(url=(url.rstrip("/") + base) if url and re.match(r"https?://", url) else None,
                                base=base, roots=[self.site], hidden=(".", "_", "#"), authors=self._authors())
        self.stems: dict[str, Path] = {}
        self.headers: dict[Path, dict] = {}  # a post -> its header, for {{ page.x }}
        self.blocks: tuple[str | None, dict] = (None, {})  # the body being rewritten, and its blocks

    def _data_file(self, path: Path) -> dict | None:
        """A YAML (or JSON) settings or data file of the site, as a mapping; None if it is not one."""
        if not path.is_file() or outside_link(path, self.site):
            return None
        try:
            found = front_matter("---\n" + read_text(path) + "\n---\n", self.max_header_size)[0]
        except Problem as problem:
            where = f"line {problem.line - 1}: " if problem.line > 1 else ""
            self.unread.append((path, f"not read ({where}{problem}); Jekyll's defaults are taken"))
            return None
        return found if isinstance(found, dict) else None

    def _authors(self) -> dict[str, Author]:
        """The site's authors by handle: `_data/authors.*`, then the `_authors` collection's documents."""
        found: dict[str, Author] = {}
        for ending in ("yml", "yaml", "json"):
            for handle, entry in (self._data_file(self.site / "_data" / f"authors.{ending}") or {}).items():
                author = _author(entry if isinstance(entry, dict) else {"name": entry}, "")
                if author:
                    found.setdefault(str(handle), author)
        folder = self.site / "_authors"
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if outside_link(path, self.site):
                continue
            try:
                header, _, body, _ = front_matter(read_text(path), self.max_header_size)
            except Problem:
                continue
            author = _author(header, body)
            for handle in (path.stem, text_or_none(header.get("name"))):
                if author and handle:
                    found.setdefault(handle, author)
        return found

    def candidates(self):
        yield from self.unread
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
        notes: list[tuple[int, str]] = []
        header, lines, body, body_line = read_front_matter(read_text(path), self.max_header_size, notes)
        named_day, name = _NAME.fullmatch(path.stem).groups()
        day = read_date(header, lines, "date", notes) or file_name_day(named_day)
        updated = read_date(header, lines, "last_modified_at", notes)
        categories = terms(header.get("categories")) or terms(header.get("category"), "\n")
        title = text_or_none(header.get("title")) or title_from_name(name)
        authors = terms(header.get("authors") or header.get("author"), "\n")
        post = Post(path=path, title=title, day=day, body=body, body_line=body_line, name=file_slug(name),
                    updated=updated, draft=header.get("published") is False, authors=authors,
                    summary=text_or_none(header.get("summary") or header.get("description")
                                         or header.get("excerpt")),
                    tags=terms(header.get("tags")) or terms(header.get("tag"), "\n"), categories=categories)
        post.notes, post.image = notes, lead_image(header)
        self.headers[path] = header
        permalink = text_or_none(header.get("permalink")) or self.permalink
        slug = text_or_none(header.get("slug")) or name
        post.aliases = [_expand(permalink, day, slug, categories, path.suffix)]
        post.aliases += [url_path(str(old)) for old in terms(header.get("redirect_from"), "\n")]
        return post

    def bundle_files(self, post: Post) -> list[Path]:
        return []

    def tag(self, links: Links, post: Post, match: re.Match, line: int) -> str | tuple[str, int]:
        """Liquid in `post`'s body converted to what it showed, or listed and left as written; a block's
        replacement comes with where the block ends."""
        kind = next(name for name in ("made", "output", "liquid") if match.group(name) is not None)
        text = match.group(kind)
        if kind == "made":
            return match.group("made_lead") + self._made_link(links, post, text, line)
        context = liquid.Context(self.config, self.headers.get(post.path, {}))
        if kind == "output":
            return self._output(links, post, liquid.trimmed(match.group("expression")), text, line, context)
        if self.blocks[0] is not post.body:
            self.blocks = (post.body, liquid.blocks(post.body))
        block = self.blocks[1].get(match.start())
        if block:
            return _block(links, post, block, post.body[match.start():block.end], line), block.end
        tag, arg = liquid.tag_parts(match.group("tag_body"))
        return self._tag(links, post, tag, arg, text, line)

    def _output(self, links: Links, post: Post, expression: str, text: str, line: int, context) -> str:
        made = liquid.embed("", "", expression)
        if made:
            links.rewritten(post, line, text, made)
            return made
        try:
            value = liquid.evaluate(expression, context)
        except liquid.Unknown:
            author = self._author_filter(expression)
            if author is None:
                return links.unknown(post, line, text)
            links.rewritten(post, line, text, author)
            return author
        links.report.templates += 1
        return value

    def _author_filter(self, expression: str) -> str | None:
        """A site's own filter on an author's handle (18F's `{{ "melody" | team_link }}`): the author's name,
        which is what it showed, linked or beside a photo; None if it is not one."""
        found = re.fullmatch(r"\s*([\"'])([^\"']+)\1\s*\|\s*\w+\s*", expression)
        author = self.old_site.authors.get(found.group(2)) if found else None
        return author.name if author else None

    def _tag(self, links: Links, post: Post, tag: str, arg: str, text: str, line: int) -> str:
        made = liquid.embed(tag, arg)
        if made:
            links.rewritten(post, line, text, made)
            return made
        if tag not in ("post_url", "link"):
            return links.unknown(post, line, text)
        new, why = self._post_link(links, post, tag, arg)
        if new is None:
            return links.unresolved(post, line, text, why)
        links.rewritten(post, line, text, new)
        return new

    def _post_link(self, links: Links, post: Post, tag: str, arg: str) -> tuple[str | None, str]:
        """The brief (or file) a `post_url` or `link` tag names, with its fragment; else None and why."""
        path, fragment = split_fragment(arg.strip().strip("\"'"))
        if tag == "post_url":
            found = self.stems.get(path.rstrip("/").rsplit("/", 1)[-1])
        else:
            found = links.resolve(self.site / path)
        if found and links.unpublished(post, found.resolve()):
            return None, "not published by the old site"
        new = links.link_to(post, found.resolve()) if found else None
        return (None, "no such post") if new is None else (new + fragment, "")

    def _made_link(self, links: Links, post: Post, text: str, line: int) -> str:
        """A link target written with Liquid: `{{ site.baseurl }}{% post_url x %}`, `{{ site.baseurl }}/a.png`."""
        tag = next((found for found in re.finditer(liquid.TAG, text)
                    if liquid.tag_parts(found.group("tag_body"))[0] in ("post_url", "link")), None)
        if tag:  # what comes before is the old site's address: the brief link needs none of it
            new, why = self._post_link(links, post, *liquid.tag_parts(tag.group("tag_body")))
            if new is None:
                return links.unresolved(post, line, text, why)
            new += text[tag.end():]
            links.rewritten(post, line, text, new)
            return new
        context = liquid.Context(self.config, self.headers.get(post.path, {}))
        try:
            url = re.sub(liquid.OUTPUT, lambda found: liquid.evaluate(liquid.trimmed(found.group("expression")),
                                                                      context), text)
        except liquid.Unknown:
            return links.unknown(post, line, text)
        if "{%" in url:
            return links.unknown(post, line, text)
        links.report.templates += 1
        return links.target(post, url, line, text)


def _block(links: Links, post: Post, block: liquid.Block, text: str, line: int) -> str:
    """A `raw` block's text, a `highlight` block as fenced code; a comment, hidden on the old site, left out
    (publishing it would be a leak) and listed, keeping its line breaks."""
    if block.kind == "comment":
        where = f"{shown(post.path)}:{line}"
        if block.closed:
            links.report.removed.append(f"{where}: {one_line(text)}")
        else:
            links.report.removed.append(f"{where}: {one_line(text)} (never closed: the rest of the post is "
                                        "left out)")
        return "\n" * text.count("\n")
    links.report.templates += 1
    if block.kind == "raw":
        return block.inner
    return fenced(block.inner.removeprefix("\n").rstrip("\n"), block.language)


def _author(entry: dict, body: str) -> Author | None:
    """An author's entry: the name bylines show (`full_name`, `name`, `title`), bio, role and web page."""
    name = next((text_or_none(entry.get(key)) for key in ("full_name", "display_name", "name", "title")
                 if text_or_none(entry.get(key))), None)
    if not name:
        return None
    bio = text_or_none(entry.get("bio")) or (" ".join(body.split()) or None if "{" not in body else None)
    url = next((text_or_none(entry.get(key)) for key in ("url", "website", "web") if text_or_none(entry.get(key))),
               None)
    return Author(name, bio=bio, role=text_or_none(entry.get("role")),
                  url=url if url and re.match(r"https?://[^\s]+$", url) else None)


_SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # Jekyll's, whatever the locale


def _expand(permalink: str, day, title: str, categories: list[str], suffix: str) -> str:
    """A Jekyll permalink template filled in for one post."""
    values = {
        "year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}",
        "i_month": str(day.month), "i_day": str(day.day), "short_year": f"{day.year % 100:02d}",
        "y_day": f"{day.timetuple().tm_yday:03d}", "week": f"{day.isocalendar()[1]:02d}",
        "short_day": _SHORT_DAYS[day.weekday()], "title": title, "slug": title,
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)), "output_ext": ".html",
    }
    path = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), permalink)
    return "/" + re.sub(r"/{2,}", "/", path).lstrip("/")
