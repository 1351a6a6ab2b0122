"""Turn one brief file into a validated `Brief`: split the header, read its fields, render the body."""

from __future__ import annotations

import re
from pathlib import Path

from ..config import Config
from ..errors import BuildError
from ..site.model import Brief
from ..site.slugs import slugify
from . import markup, yamlio
from .header import describe, read_header

FENCE = "---"
HEADER_HELP = "a brief starts with a line '---', then its YAML header, then a line '---'"


def parse_brief(file: str, data: bytes, config: Config) -> tuple[Brief | None, list[BuildError]]:
    """Validate and render one brief file; `file` is its name in messages."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [BuildError(file, 0, 0, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8")]
    text = text.replace("\r\n", "\n")
    parts = split_front_matter(text, file)
    if isinstance(parts, BuildError):
        return None, [parts]
    header, body = parts
    doc, problems = yamlio.load(header, file, first_line=2)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else describe(doc.data)
        return None, [BuildError(file, 2, 1, f"the header is {what}; expected a mapping with at least title and date")]
    brief = _brief(file, doc, body, config, problems, body_line=header.count("\n") + 3)
    return (None if any(not p.warning for p in problems) else brief), problems


def split_front_matter(text: str, file: str) -> tuple[str, str] | BuildError:
    """The YAML header and the Markdown body of a brief's text."""
    if not text.strip():
        return BuildError(file, 0, 0, f"empty file; {HEADER_HELP}")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return BuildError(file, 1, 1, f"no front matter; {HEADER_HELP}")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:number]) + "\n", "\n".join(lines[number + 1:])
    return BuildError(file, 1, 1, f"front matter is not closed; expected a line '{FENCE}' after the header")


def _brief(file: str, doc: yamlio.Document, body: str, config: Config, problems: list,
           body_line: int = 0) -> Brief | None:
    fields, terms = read_header(file, doc, config, problems)
    if any(not p.warning for p in problems):
        return None
    html = markup.render_body(body, config.markdown_extensions, config.allow_raw_html)
    slug = fields.pop("slug") or slugify(Path(file).stem) or slugify(fields["title"])
    if not slug:
        line, col = doc.where(("title",))
        problems.append(BuildError(file, line, col, "no slug can be made from the file name or title; add a 'slug'"))
        return None
    published, timed = fields.pop("date")
    updated = fields.pop("updated")
    summary = fields.pop("summary")
    return Brief(
        path=file, slug=slug, published=published, timed=timed,
        updated=updated[0] if updated else None,
        summary=summary or markup.summarize(html), summary_given=summary is not None,
        terms=tuple(terms), body=html, links=brief_links(body, body_line), **fields,
    )


# [text](2025-01-16-x.md), [text](../other/x.md#part "title"), and [ref]: x.md
_MD_LINK = re.compile(r"\]\(\s*<?([^()\s<>:]+\.md)(?:#[^()\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)"
                      r"|^ {0,3}\[[^\]]+\]:\s*<?([^\s<>:]+\.md)(?:#\S*)?>?", re.MULTILINE)


def brief_links(body: str, first_line: int) -> tuple[tuple[str, int, int], ...]:
    """Links in a Markdown body to other brief files, with their line and column in the file."""
    found = []
    for match in _MD_LINK.finditer(body):
        group = 1 if match.group(1) else 2
        start = match.start(group)
        line = body.count("\n", 0, start)
        column = start - (body.rfind("\n", 0, start) + 1) + 1
        found.append((match.group(group), first_line + line, column))
    return tuple(found)

