"""Turn one brief file into a validated `Brief`: split the header, read its fields, render the body."""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter, defaultdict

from .. import yamlio
from ..config import Config
from ..errors import BuildError
from ..model.brief import Brief
from ..values.slugs import slugify
from . import markup
from .fields import describe
from .files import brief_name
from .header import read_header

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
    # A slug is a name, not text: checked as written, never changed.
    doc, problems = yamlio.load(header, file, first_line=2, max_size=config.max_header_size, clean=True,
                                verbatim=("slug",))
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
    start = text.find("\n") + 1
    first = text[:start or None].rstrip()
    if first != FENCE:
        kind = _foreign_header(first)
        if kind:
            return BuildError(file, 1, 1, f"{kind} front matter is not supported; convert it with "
                                          "`build.py migrate` (a brief's header is YAML between lines '---')")
        return BuildError(file, 1, 1, f"no front matter; {HEADER_HELP}")
    line = start
    while start and line <= len(text):  # line by line, and only through the header: a body may be large
        end = text.find("\n", line)
        if text[line:end if end >= 0 else None].rstrip() in (FENCE, "..."):
            return text[start:line] or "\n", text[end + 1:] if end >= 0 else ""
        if end < 0:
            break
        line = end + 1
    return BuildError(file, 1, 1, f"front matter is not closed; expected a line '{FENCE}' after the header")


_PELICAN = re.compile(r"[A-Z][a-z]*:\s*\S")  # Title: Something (a YAML brief's keys are lowercase)


def _foreign_header(first_line: str) -> str | None:
    """The name of another generator's header format that starts with `first_line`, if it is one."""
    if first_line == "+++":
        return "TOML"
    if first_line.startswith("{"):
        return "JSON"
    if _PELICAN.match(first_line) and first_line.split(":", 1)[0] in ("Title", "Date", "Author", "Slug"):
        return "Pelican ('Key: value')"
    return None


def _brief(file: str, doc: yamlio.Document, body: str, config: Config, problems: list,
           body_line: int = 0) -> Brief | None:
    fields, terms = read_header(file, doc, config, problems)
    if len(body) > config.max_body_size:  # Markdown takes seconds a megabyte: refused before it starts
        problems.append(BuildError(file, body_line, 1, f"the body is longer than {config.max_body_size} "
                                                       "characters (max_body_size in site.yml)"))
    if any(not p.warning for p in problems):
        return None
    body = _without_not_xml(body, file, body_line, problems)
    rendered = markup.render_body(body, config.markdown_extensions, config.allow_raw_html)
    _warn_references(rendered.removed, body, file, body_line, problems)
    _warn_without_alt(rendered.images, body, file, body_line, problems)
    _warn_templating(body, file, body_line, problems)
    slug = fields.pop("slug") or slugify(brief_name(file)) or slugify(fields["title"])
    if not slug:
        line, col = doc.where(("title",))
        problems.append(BuildError(file, line, col, "no slug can be made from the file name or title; add a 'slug'"))
        return None
    filed, timed = fields.pop("date")
    updated = fields.pop("updated")
    if updated is None and fields["updates"]:  # the log's latest entry, when `updated` is not given
        updated = (fields["updates"][0].date, fields["updates"][0].timed)
    for key in ("publish_at", "expires"):
        fields[key] = fields[key][0] if fields[key] else None
    fields["draft"] = fields.pop("published") is False or fields["draft"]
    summary = fields.pop("summary")
    return Brief(
        path=file, slug=slug, filed=filed, timed=timed,
        updated=updated[0] if updated else None,
        summary=summary or markup.summarize(rendered.html), summary_given=summary is not None,
        terms=tuple(terms), body=rendered.html, references=_placed_references(rendered.references, body, body_line),
        **fields,
    )


_TEMPLATING = re.compile(r"\{%-?\s*(\w+)[^\n]*?%\}|\{\{[<%]\s*/?\s*(\w+)[^\n]*?[>%]\}\}")


def _warn_without_alt(images: tuple[tuple[str, str], ...], body: str, file: str, first_line: int,
                      problems: list) -> None:
    """A warning at each image without alt text (`images`: every image's source and alt text, in order):
    a reader who cannot see it learns nothing of it."""
    blind = [(number, source) for number, (source, alt) in enumerate(images) if not alt.strip()]
    if not blind:
        return
    in_code = code_test(body)
    written = [match.start(1) if match.group(1) else match.start(2) if match.group(2) else match.start()
               for match in _BODY_IMAGE.finditer(body) if not in_code(match.start())]
    if len(written) == len(images):  # the body's images in the order it writes them
        places = _places(body, first_line, [written[number] for number, _ in blind])
        found = [(target, *place) for (_, target), place in zip(blind, places, strict=True)]
    else:  # an image the Markdown writes some other way: where its source is first written
        found = _placed(body, [target for _, target in blind], first_line)
    for target, line, column in found:
        problems.append(BuildError(file, line, column, f"image '{target}' has no alt text; say what it shows, "
                                   f"as in ![Route of the convoy]({target})", warning=True))


# An image as a body writes it: ![alt](src), ![alt][ref], <img ... src=...>
_BODY_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^()\s<>]+)|!\[[^\]]*\]\[|<img\b[^>]*?\ssrc=[\"']?([^\"'\s>]+)",
                         re.IGNORECASE)


def _warn_templating(body: str, file: str, first_line: int, problems: list) -> None:
    """A warning at the first Liquid tag and Hugo shortcode outside code: they show as text here."""
    if "{%" not in body and "{{" not in body:
        return
    in_code = code_test(body)
    found = {}
    for match in _TEMPLATING.finditer(body):
        kind = "Liquid tag" if match.group(1) else "Hugo shortcode"
        if kind not in found and not in_code(match.start()):
            found[kind] = match
    for kind, match in found.items():
        (line, column), = _places(body, first_line, [match.start()])
        problems.append(BuildError(file, line, column, f"{kind} {match.group()!r} is shown as text; briefsite has "
                                   "none: `build.py migrate` converts links, and anything else needs rewriting",
                                   warning=True))


def _without_not_xml(body: str, file: str, first_line: int, problems: list) -> str:
    """The body without forbidden characters, warning where each kind first is."""
    forbidden = yamlio.forbidden(body)
    if not forbidden.search(body):
        return body
    found = ((match.start(), match.group()) for match in forbidden.finditer(body))
    _warn_removed(_first_places(body, first_line, found), "body", file, problems)
    return forbidden.sub("", body)


_REFERENCE = re.compile(r"&#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));?")


def _warn_references(removed: tuple[tuple[str, int], ...], body: str, file: str, first_line: int,
                     problems: list) -> None:
    """A warning where each kind of forbidden character that character references such as &#27; stood
    for is first written (`removed`: each, and how often the HTML held it)."""
    if not removed:
        return
    present = dict(removed)
    written = ((match.start(), _referenced(match)) for match in _REFERENCE.finditer(body))
    found = _first_places(body, first_line, ((start, char) for start, char in written if char in present))
    # Counted in the HTML: a reference shown as code stood for nothing.
    places = {char: [*found.get(char, [first_line, 1])[:2], count] for char, count in removed}
    _warn_removed(places, "body (character reference)", file, problems)


def _referenced(match: re.Match) -> str:
    code = int(match.group(1), 10) if match.group(1) else int(match.group(2), 16)
    return chr(code) if code < 0x110000 else ""


def _warn_removed(found: dict, field: str, file: str, problems: list) -> None:
    problems += [BuildError(file, line, column, yamlio.removed(field, char, count), warning=True)
                 for char, (line, column, count) in found.items()]


def _first_places(text: str, first_line: int, found) -> dict[str, list[int]]:
    """For each character in `found` ((offset, character), offsets rising): [line, column] of the first, and a count."""
    counts: Counter = Counter()
    firsts: dict[str, int] = {}
    for start, char in found:
        counts[char] += 1
        firsts.setdefault(char, start)
    places = _places(text, first_line, list(firsts.values()))
    return {char: [*place, counts[char]] for char, place in zip(firsts, places, strict=True)}


def _places(text: str, first_line: int, offsets: list[int]) -> list[tuple[int, int]]:
    """(line, column) in the file of each offset into `text` (rising), in one pass over the text."""
    places = []
    line, line_start, last = first_line, 0, 0
    for start in offsets:
        breaks = text.count("\n", last, start)
        if breaks:
            line, line_start = line + breaks, text.rfind("\n", last, start) + 1
        last = start
        places.append((line, start - line_start + 1))
    return places


# Where a Markdown body writes a link or image target: [text](2025-01-16-x.md), ![map](maps/route.png),
# [text](../other/x.md#part "title"), and [ref]: x.md
_MD_TARGET = re.compile(r"\]\(\s*<?([^()\s<>:#?]+)(?:[#?][^()\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)"
                        r"|^ {0,3}\[[^\]]+\]:\s*<?([^\s<>:#?]+)(?:[#?]\S*)?>?", re.MULTILINE)


def _placed_references(references, body: str, first_line: int):
    """The references of a body, each with its line and column in the file: of a target's references in
    the HTML's order, the first gets the first place it is written, and so on."""
    places = defaultdict(list)
    for target, line, column in reversed(_placed(body, [reference.target for reference in references], first_line)):
        places[target].append((line, column))
    return tuple(dataclasses.replace(reference, line=line, column=column)
                 for reference in references for line, column in [places[reference.target].pop()])


def _placed(body: str, targets: list[str], first_line: int) -> tuple[tuple[str, int, int], ...]:
    """Each of `targets` (read from the rendered body, so that text shown as code refers to nothing)
    with its line and column in the file, from where the Markdown writes it, preferring places outside code."""
    wanted = Counter(targets)
    if not wanted:
        return ()
    written = []
    for match in _MD_TARGET.finditer(body):
        group = 1 if match.group(1) else 2
        written.append((match.start(group), match.group(group)))
    in_code = code_test(body)
    chosen = []
    for start, target in sorted(written, key=lambda place: (in_code(place[0]), place[0])):
        if wanted[target] > 0:
            wanted[target] -= 1
            chosen.append((start, target))
    taken = {start for start, _ in chosen}
    for target, count in wanted.items():  # in raw HTML: where its target is next written, else first
        at = first = max(body.find(target), 0)
        for _ in range(count):
            while at in taken:
                at = body.find(target, at + 1)
            at = first if at < 0 else at
            taken.add(at)
            chosen.append((at, target))
    chosen.sort()
    places = _places(body, first_line, [start for start, _ in chosen])
    return tuple((target, *place) for (_, target), place in zip(chosen, places, strict=True))


_FENCE = re.compile(r"`{3,}|~{3,}")
_TICKS = re.compile(r"`+")


def code_test(body: str):
    """A test of whether an offset of a Markdown body is in code: a fenced block, an indented line
    or a code span (within one line). Close to Python-Markdown's reading, and linear."""
    spans: list[tuple[int, int]] = []
    fence = None
    offset = 0
    for line in body.split("\n"):
        end = offset + len(line)
        opening = _FENCE.match(line)
        if fence or opening or line.startswith(("    ", "\t")):
            spans.append((offset, end))
            if fence is None and opening:
                fence = opening.group()
            elif fence and line.rstrip(" ") == fence:
                fence = None
        else:
            spans += _code_spans(line, offset)
        offset = end + 1
    starts = [start for start, _ in spans]
    return lambda at: (index := bisect.bisect_right(starts, at) - 1) >= 0 and at < spans[index][1]


def _code_spans(line: str, offset: int) -> list[tuple[int, int]]:
    """Code spans of one line: a run of backticks up to the next run of the same length."""
    runs = [match.span() for match in _TICKS.finditer(line)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index], last[length] = last.get(length), index
    spans, index = [], 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        spans.append((offset + runs[index][0], offset + runs[closing][1]))
        index = closing + 1
    return spans
