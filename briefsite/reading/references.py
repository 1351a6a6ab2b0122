"""A body's references to other briefs and to files beside it, recorded once, when the body is parsed.

Python-Markdown's tree holds every link and image the Markdown writes. A tree processor, run last,
marks the value of each one that may be a reference (a relative URL, without a scheme) by ending it
with MARK, a character no body can hold: it is forbidden in a body, and a character reference to it
stands for another character in HTML. A mark at the end leaves the value's scheme where the sanitiser
looks for it, so nothing passes it that would not have passed unmarked; and the marks tell at once
whether a body has anything to record (most have not).

Raw HTML is not in the tree. Its links and images are read with the marked ones, in one pass of
html.parser over the finished HTML (after nh3, which writes each attribute one way: name="value"; raw
HTML kept as written, with allow_raw_html, is read where it writes an attribute so). That pass records
each reference with its slot (where the HTML holds its target), its element's tags, its alt text and
whether it is optional, gives every image an alt and takes the marks out. Nothing is rewritten with
regular expressions: the HTML is changed at the offsets the pass records (`apply`).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser

from markdown.treeprocessors import Treeprocessor

from ..model.brief import BRIEF, LINKED, SHOWN, Reference
from .files import ENDINGS

MARK = "\x87"  # END OF SELECTED AREA: after the value of a link or image the Markdown writes
OPTIONAL = ' title="optional"'  # a link to a brief with this title is plain text when its brief is left out
_ATTRIBUTES = {"a": "href", "img": "src"}  # the attributes of the tree's elements that may refer to a file


def kind_of(attribute: str, value: str) -> str | None:
    """What an attribute's value refers to (BRIEF, LINKED or SHOWN), or None: a URL with a scheme, a
    fragment alone, a file by an absolute path and a brief file asked for with a query refer to nothing
    here (a brief file by an absolute path is a link to a brief that matches none)."""
    path = _path(value)
    if not path or ":" in path:
        return None
    if path.endswith(ENDINGS):
        return BRIEF if attribute == "href" and value[len(path):len(path) + 1] != "?" else None
    # A path holding "<", ">" or a line break is no file name but an attribute left open in raw HTML.
    if path.startswith("/") or "<" in path or ">" in path or "\n" in path:
        return None
    return SHOWN if attribute == "src" else LINKED


def _path(value: str) -> str:
    """The value without its query and fragment."""
    for separator in ("?", "#"):
        value = value.partition(separator)[0]
    return value


class MarkReferences(Treeprocessor):
    """Marks the value of each link and image that may refer to a brief or a file (see the module)."""

    def run(self, root):
        for element in root.iter():
            attribute = _ATTRIBUTES.get(element.tag)
            value = element.get(attribute) if attribute else None
            if value and kind_of(attribute, value):
                element.set(attribute, value + MARK)


def read(html: str, sanitised: bool, raw: bool) -> tuple[str, tuple[Reference, ...], tuple[tuple[str, str], ...]]:
    """The finished body, its references (not yet placed in the file) and its images' (source, alt text).

    Every image gets an alt attribute (HTML needs one), sanitised HTML loses an image whose only source
    was unsafe, a link to a brief loses its title "optional" (the reference keeps it) and the marks go.
    `raw`: whether the body may hold raw HTML.
    """
    if MARK not in html and "<img" not in html and not raw:  # the usual body, told at once
        return html, (), ()
    reader = _Reader(html, sanitised)
    reader.feed(html)
    reader.close()
    marks = [(at, at + 1, "") for at in _offsets(html, MARK)]
    body, move = apply(html, reader.edits + marks)
    return body, tuple(moved(reference, move) for reference in reader.references), tuple(reader.images)


class _Reader(HTMLParser):
    """The references, images and edits of one finished body, read at its start and end tags."""

    def __init__(self, html: str, sanitised: bool):
        super().__init__(convert_charrefs=True)
        self.html, self.sanitised = html, sanitised
        self.lines = [0, *(at + 1 for at in _offsets(html, "\n"))]  # html.parser tells places as lines
        self.edits: list[tuple[int, int, str]] = []
        self.references: list[Reference] = []
        self.images: list[tuple[str, str]] = []
        self.open_links: list[int] = []  # links to briefs waiting for their </a>

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start, text = self._offset(), self.get_starttag_text()
        values = dict(reversed(attrs))  # the first of an attribute given twice, as a browser reads it
        if tag == "img":
            if "src" not in values and self.sanitised:  # its only source was unsafe: nothing to show
                self.edits.append((start, start + len(text), ""))
                return
            if "alt" not in values:
                self.edits.append((start + 4, start + 4, ' alt=""'))
            self.images.append(((values.get("src") or "").removesuffix(MARK), values.get("alt") or ""))
        for attribute in ("href", "src"):
            value = values.get(attribute)
            kind = kind_of(attribute, value.removesuffix(MARK)) if value else None
            if kind:
                self._record(tag, attribute, value, kind, values.get("alt") or "", text, start)

    def _record(self, tag: str, attribute: str, value: str, kind: str, alt: str, text: str, start: int) -> None:
        """Record a reference, unless its value is written in a way this cannot find (raw HTML as written)."""
        if value.endswith(MARK):  # marked in the tree: the value ends at the mark
            end = text.find(MARK)
            begin = text.rfind('"', 0, end) + 1
        else:
            begin = _value_start(text, attribute)
            end = text.find('"', begin)
        written, value = text[begin:end], value.removesuffix(MARK)
        path = _path(written)
        if begin < 0 or end < 0 or unescape(written) != value or unescape(path) != _path(value):
            return
        link = kind == BRIEF and tag == "a"
        optional = link and (cut := text.find(OPTIONAL)) >= 0
        if optional:
            self.edits.append((start + cut, start + cut + len(OPTIONAL), ""))
        if link:
            self.open_links.append(len(self.references))
        self.references.append(Reference(unescape(path), kind, tag, (start + begin, start + begin + len(path)),
                                         (start, start + len(text)), optional=optional,
                                         alt=alt if tag == "img" else ""))

    def handle_endtag(self, tag):
        if tag == "a" and self.open_links:  # the first </a> ends the links open before it
            start = self._offset()
            end_tag = (start, self.html.find(">", start) + 1)
            for index in self.open_links:
                self.references[index] = dataclasses.replace(self.references[index], end_tag=end_tag)
            self.open_links.clear()


def _value_start(text: str, attribute: str) -> int:
    """Where the value of `attribute` starts in a start tag that writes it name="value" (as nh3 and
    Python-Markdown write every attribute), or -1."""
    lowered, written = text.lower(), f'{attribute}="'
    at = lowered.find(written)
    while at > 0 and not lowered[at - 1].isspace():
        at = lowered.find(written, at + 1)
    return at + len(written) if at > 0 else -1


def _offsets(text: str, char: str):
    """Every offset of `char` in `text`."""
    at = text.find(char)
    while at >= 0:
        yield at
        at = text.find(char, at + 1)


Edit = tuple[int, int, str]  # the text between two offsets, and what replaces it


def apply(text: str, edits: list[Edit]) -> tuple[str, Callable[[int], int]]:
    """`text` with `edits` made, and what moves an offset of `text` to its place in the result (an offset
    within an edit's text to where its replacement starts). An edit overlapping one made is skipped."""
    parts, made, at = [], [], 0
    for start, end, new in sorted(edits, key=lambda edit: edit[:2]):
        if start < at:
            continue
        parts += (text[at:start], new)
        made.append((start, end, len(new) - (end - start)))
        at = end
    parts.append(text[at:])
    ends = [end for _, end, _ in made]
    shifts = [0, *itertools.accumulate(shift for _, _, shift in made)]

    def move(offset: int) -> int:
        before = bisect.bisect_right(ends, offset)  # the edits wholly before it
        if before < len(made) and made[before][0] < offset:  # within an edit's text
            return made[before][0] + shifts[before]
        return offset + shifts[before]

    return "".join(parts), move


def moved(reference: Reference, move: Callable[[int], int]) -> Reference:
    """The reference with its offsets where an edit of its body moved them."""
    def span(pair):
        return pair and (move(pair[0]), move(pair[1]))

    return dataclasses.replace(reference, slot=span(reference.slot), tag=span(reference.tag),
                               end_tag=span(reference.end_tag))
