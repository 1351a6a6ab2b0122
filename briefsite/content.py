"""Find brief files and turn each one into a validated `Brief`."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import urlsplit

from . import markup, yamlio
from .config import BRIEF_KEYS, Config, did_you_mean
from .errors import BuildError
from .model import Brief, Source
from .slugs import is_segment, slugify, term_key

BRIEFS_DIR = "briefings"
FENCE = "---"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HEADER_HELP = "a brief starts with a line '---', then its YAML header, then a line '---'"


def find_briefs(source: Path) -> list[Path]:
    """Every Markdown file under `briefings/`, in a stable order; hidden files and folders are skipped."""
    found = []
    for root, folders, files in os.walk(source / BRIEFS_DIR):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [os.path.join(root, name) for name in files if name.endswith(".md") and not name.startswith(".")
                  and os.path.isfile(os.path.join(root, name))]
    return [Path(path) for path in sorted(found)]


class Invalid(Exception):
    """A header value is wrong; the message says what was expected."""

    def __init__(self, key: tuple, message: str):
        super().__init__(message)
        self.key = key


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
        what = "empty" if doc.data is None else _describe(doc.data)
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
    header = doc.data
    fields = {}
    for key, read in _READERS.items():
        try:
            fields[key] = read(header.get(key), config)
        except Invalid as exc:
            line, col = doc.where((key, *exc.key))
            problems.append(BuildError(file, line, col, f"{key}: {exc}"))
    terms = []
    allowed = dict(config.vocabulary)
    for name in config.taxonomy_names:
        try:
            terms.append((name, _terms(header.get(name), allowed.get(name))))
        except Invalid as exc:
            line, col = doc.where((name, *exc.key))
            problems.append(BuildError(file, line, col, f"{name}: {exc}"))
    _warn_unknown(file, header, doc, config, problems)
    fields["sources"] = _safe_sources(file, fields.get("sources", ()), doc, problems)
    for key in ("date", "updated"):
        if fields.get(key) is not None:
            try:
                fields[key] = _in_zone(fields[key], config)
            except OverflowError:  # 0001-01-01T00:00+05:00 is before year 1 in UTC
                line, col = doc.where((key,))
                problems.append(BuildError(file, line, col, f"{key}: {_shown(header[key])} falls outside the years "
                                           f"1 to 9999 in the site's timezone ({config.timezone})"))
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


def _warn_unknown(file, header, doc, config, problems) -> None:
    known = BRIEF_KEYS + config.taxonomy_names
    for key in header:
        if key not in known:
            line, col = doc.where((key,))
            hint = did_you_mean(str(key), known)
            problems.append(BuildError(file, line, col, f"unknown key '{key}' is ignored{hint}", warning=True))


def _safe_sources(file, sources, doc, problems) -> tuple[Source, ...]:
    # A bad link is dropped, not the source: the name is still worth citing.
    safe = []
    for index, source in enumerate(sources):
        if not source.url:
            safe.append(source)
            continue
        try:
            why = None if urlsplit(source.url).scheme.lower() in ("http", "https") else "is not an http(s) URL"
        except ValueError as exc:  # "http://[", or a host that NFKC-normalises into a separator
            why = f"is not a valid URL ({exc})"
        if why:
            line, col = doc.where(("sources", index, "url"))
            problems.append(BuildError(
                file, line, col, f"sources: link {source.url!r} {why} and is left out", warning=True))
            source = Source(source.name)
        safe.append(source)
    return tuple(safe)


def _text(value, key=()) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(key, f"expected text, got {_describe(value)}")
    text = str(value).strip()
    if not text:
        raise Invalid(key, "expected text, got an empty value")
    return text


def _describe(value) -> str:
    """How a YAML value is named in messages."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str) and len(value) > 40:
        return "text"
    return repr(value)


def _shown(value) -> str:
    """A header value as quoted in messages: text as written, others as YAML wrote them."""
    return repr(value.strip()) if isinstance(value, str) else str(value)


def _required_text(value, config) -> str:
    if value is None:
        raise Invalid((), "missing; every brief needs a title and a date")
    return _text(value)


def _optional_text(value, config) -> str | None:
    return None if value is None else _text(value)


def parse_date(value) -> datetime | date:
    """A date or date-time from ISO 8601 text; naive date-times stay naive."""
    if isinstance(value, date):  # written with an explicit !!timestamp tag
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text)
        except ValueError as exc:
            raise Invalid((), f"{text!r} is not a real date or time ({exc})") from None
    raise Invalid((), f"expected a date as YYYY-MM-DD or an ISO 8601 date-time, got {_describe(value)}")


def _required_date(value, config):
    if value is None:
        raise Invalid((), "missing; every brief needs a title and a date")
    return parse_date(value)


def _optional_date(value, config):
    return None if value is None else parse_date(value)


def _in_zone(value: datetime | date, config: Config) -> tuple[datetime, bool]:
    """The moment in the site's timezone, and whether a time of day was given."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), config.tz), False
    if value.tzinfo is None:
        return value.replace(tzinfo=config.tz), True
    return value.astimezone(config.tz), True


def _sources(value, config) -> tuple[Source, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_source(item, (index,)) for index, item in enumerate(items))


def _source(item, key) -> Source:
    if not isinstance(item, dict):
        return Source(_text(item, key))
    unknown = [k for k in item if k not in ("name", "url")]
    if unknown:
        raise Invalid(key, f"unknown key '{unknown[0]}' in a source; expected name and url")
    if item.get("name") is None:
        raise Invalid(key, "a source needs a name")
    name = _text(item["name"], key + ("name",))
    url = None if item.get("url") is None else _text(item["url"], key + ("url",))
    return Source(name, url)


def _slug(value, config) -> str | None:
    if value is None:
        return None
    slug = _text(value)
    if not is_segment(slug):
        hint = f"; try '{slugify(slug)}'" if slugify(slug) else ""
        raise Invalid((), f"{slug!r} is not one URL segment of lowercase words and hyphens{hint}")
    return slug


def _draft(value, config) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise Invalid((), f"expected true or false, got {_describe(value)}")
    return value


def _extra(value, config) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid((), f"expected a mapping, got {_describe(value)}")
    return value


def _terms(value, vocabulary: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Term names of one taxonomy: a string or a list of strings, from its vocabulary if it has one."""
    if value is None:
        return ()
    if isinstance(value, dict):
        raise Invalid((), "expected a term or a list of terms, got a mapping")
    items = value if isinstance(value, list) else [value]
    names = []
    for index, item in enumerate(items):
        if isinstance(item, (dict, list)):
            raise Invalid((index,), f"expected a term, got {_describe(item)}")
        names.append(_text(item, (index,)))
        if vocabulary is not None and term_key(names[-1]) not in {term_key(v) for v in vocabulary}:
            raise Invalid((index,), f"'{names[-1]}' is not in the vocabulary of site.yml"
                          f"{did_you_mean(names[-1], vocabulary)}")
    return tuple(names)


_READERS = {
    "title": _required_text, "date": _required_date, "updated": _optional_date,
    "location": _optional_text, "summary": _optional_text, "sources": _sources,
    "slug": _slug, "draft": _draft, "extra": _extra,
}
