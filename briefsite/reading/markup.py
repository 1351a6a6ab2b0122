"""Brief bodies: Markdown to HTML, sanitised, and plain-text summaries."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree as etree

import markdown
import nh3
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.treeprocessors import Treeprocessor

from .. import yamlio
from ..model.brief import Reference
from . import references
from .references import MARK

SUMMARY_LENGTH = 200

# No h1: the brief's title is the page's only one (an old post's raw "<h1>" keeps its text, not the tag).
_TAGS = nh3.ALLOWED_TAGS - {"center", "strike", "tt", "acronym", "map", "area", "h1"}
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "ol": {"start"},
    "blockquote": {"cite"}, "q": {"cite"}, "time": {"datetime"}, "data": {"value"},
    "ins": {"cite", "datetime"}, "del": {"cite", "datetime"},
}
_IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp|avif);", re.IGNORECASE)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # nh3 checks URL schemes on its own; data: is let through it only so that
    # inline raster images survive, and is dropped everywhere else here.
    if value.lower().startswith("data:") and attribute in ("href", "src", "cite"):
        return value if tag == "img" and _IMAGE_DATA.match(value) else None
    return value


@lru_cache(maxsize=4)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel", "data"},
        filter_style_properties={"text-align"},
        attribute_filter=_keep_attribute,
        link_rel=None,  # rel on a link whose href was removed is invalid HTML
    )


class _Outline(Treeprocessor):
    """Headings start at h2 and never skip a level: `# Heading` becomes h2, as the brief's title is the
    page's only h1, and a heading deeper than the one before by more than a level is raised to follow it
    (old posts often start at `###`)."""

    def run(self, root):
        previous = 1
        for element in root.iter():
            if element.tag in _HEADINGS:
                previous = max(2, min(int(element.tag[1]), previous + 1))
                element.tag = f"h{previous}"


_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))


class _InlineHtml(HtmlInlineProcessor):
    """Raw HTML within a paragraph, but a heading tag there is shown as written: as an element it would take
    in the paragraphs after it (an old post writing "use headings like <h1> and <h2>" meant the text)."""

    def handleMatch(self, m, data):
        if _HEADING_TAG.match(m.group(1)):
            return self.md.htmlStash.store(html.escape(m.group(1))), m.start(0), m.end(0)
        return super().handleMatch(m, data)


_HEADING_TAG = re.compile(r"</?h[1-6]\b", re.IGNORECASE)


# Python-Markdown tries every inline pattern on every piece of text, and every extension on every
# block: most of its time goes to syntax a brief does not use. Each pattern and extension below is
# named with substrings one of which every use of it contains; a body with none of them gets an
# instance without it. The output is the same (tests/test_markup_fast.py proves it on corpora and
# Python-Markdown's own test documents, for the versions pyproject.toml admits). Text the parser
# makes itself (placeholders "\x02klzzwxh:12\x03", footnote markers) holds none of these substrings,
# so what cannot be in the body cannot appear later either.
_QUOTES = ("'", '"')
_PATTERN_NEEDS = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",),
    "reference": ("[",), "link": ("[",), "short_reference": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    "linebreak": ("  \n", "\t"),  # tabs become spaces before it runs
    "em_strong": ("*", "_"),
    "smarty-em-dashes": ("---",), "smarty-en-dashes": ("--",), "smarty-ellipses": ("...",),
    # smarty's quote patterns in its order: 2-5 match "' or '" together, the others one quote.
    **{f"smarty-quotes-{n}": (need,) for n, need in enumerate(
        ("'", '"', '"\'', '\'"', '\'"', '"\'', "'", "'", "'", "'", "'", '"', '"', '"', '"'))},
}
_FOOTNOTE_MARKERS = ("zz1337820767766393qq", "qq3936677670287331zz")  # replaced by its postprocessor
# A definition's ':' starts a line once quote and list markers and indentation are taken off.
_DEFINITION = re.compile(r"^[^\w\n]*(?:\d+[.)][^\w\n]*)*:|\]:", re.MULTILINE)
_EXTENSION_NEEDS = {
    "tables": ("|",), "footnotes": ("[^", *_FOOTNOTE_MARKERS), "attr_list": ("{",),
    "fenced_code": ("```", "~~~"), "abbr": ("*[",), "smarty": (*_QUOTES, "--", "..."),
}
_ALWAYS = frozenset({"toc", "sane_lists"})  # toc gives every heading an id; sane_lists changes every list
_KNOWN = _ALWAYS | {"def_list", *_EXTENSION_NEEDS}
_ALL_NEEDS = tuple({need for needs in (*_PATTERN_NEEDS.values(), *_EXTENSION_NEEDS.values()) for need in needs})


def _variant(text: str, extensions: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The extensions `text` can use, and the inline patterns it cannot."""
    if not _KNOWN.issuperset(extensions):  # another extension may add syntax of its own: all of it, then
        return extensions, frozenset()
    if "\x02" in text or "\x03" in text or "\r" in text:
        # What Python-Markdown does first ('*\x02[' is then an abbreviation's '*[', 'a\r: b' a definition).
        text = text.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n")
    return _variant_of(frozenset(need for need in _ALL_NEEDS if need in text), extensions,
                       "def_list" in extensions and bool(_DEFINITION.search(text)))


@lru_cache(maxsize=256)
def _variant_of(present: frozenset[str], extensions: tuple[str, ...], definitions: bool):
    kept = tuple(name for name in extensions if name in _ALWAYS or (
        definitions if name == "def_list" else not present.isdisjoint(_EXTENSION_NEEDS[name])))
    return kept, frozenset(name for name, needs in _PATTERN_NEEDS.items() if present.isdisjoint(needs))


@lru_cache(maxsize=64)
def _markdown(extensions: tuple[str, ...], unused: frozenset[str] = frozenset()) -> markdown.Markdown:
    # One instance per process and variant: building one costs more than a brief.
    md = markdown.Markdown(extensions=list(extensions), output_format="html")
    md.treeprocessors.register(_Outline(md), "outline", 1)
    md.inlinePatterns.register(_InlineHtml(HTML_RE, md), "html", 90)  # Python-Markdown's own name and priority
    md.treeprocessors.register(references.MarkReferences(md), "references", -1)  # after all, "unescape" too
    patterns = [md.inlinePatterns]
    if "smarty" in md.treeprocessors:
        patterns.append(md.treeprocessors["smarty"].inlinePatterns)
    for registry in patterns:
        for name in unused & {name for name in _PATTERN_NEEDS if name in registry}:
            registry.deregister(name)
    if unused:  # a variant: every pattern it keeps is named above
        for name, priority in (("inline", 20), ("smarty", 6)):
            if name in md.treeprocessors:
                inline = md.treeprocessors[name]
                named = [pattern for pattern in _PATTERN_NEEDS if pattern in inline.inlinePatterns]
                if len(named) == len(inline.inlinePatterns):
                    needs = tuple({need for pattern in named for need in _PATTERN_NEEDS[pattern]})
                    md.treeprocessors.register(_WhereUsed(md, inline, needs), name, priority)
    return md


class _WhereUsed(Treeprocessor):
    """An inline pass run only over the top-level blocks whose text holds what one of its patterns needs.

    The pass reads and changes nothing but a block's own text, its descendants' and its tail, so a
    block without any of `needs` in them is left as the pass would leave it.
    """

    def __init__(self, md, inline: Treeprocessor, needs: tuple[str, ...]):
        super().__init__(md)
        self.inline, self.needs = inline, needs

    @property
    def stashed_nodes(self) -> dict:  # the patterns read the inline pass's placeholders through its name
        return self.inline.stashed_nodes

    def run(self, root):
        holder = etree.Element(root.tag)
        for block in list(root):
            text = "".join(block.itertext()) + (block.tail or "")
            if not any(need in text for need in self.needs):
                continue
            holder.append(block)
            self.inline.run(holder)
            at = list(root).index(block)
            root[at:at + 1] = list(holder)  # the block, and whatever the pass put after it
            del holder[:]


def convert(text: str, extensions: tuple[str, ...]) -> str:
    """Python-Markdown's HTML of `text`, from an instance without the syntax `text` cannot use."""
    md = _markdown(*_variant(text, extensions))
    try:
        return md.convert(text)
    finally:
        md.reset()


@dataclass(frozen=True)
class Rendered:
    """A body's finished HTML, what it refers to, its images and the characters taken out of it."""

    html: str
    references: tuple[Reference, ...]  # in order, not yet placed in the file
    images: tuple[tuple[str, str], ...]  # every image's source and alt text, in order
    removed: tuple[tuple[str, int], ...]  # forbidden characters that character references stood for, and how often


def render_body(text: str, extensions: tuple[str, ...], allow_raw_html: bool) -> Rendered:
    """A brief's Markdown body as HTML, sanitised unless raw HTML is allowed, with its references recorded."""
    text = text.replace(MARK, "")  # a brief's body cannot hold it (it is forbidden), other text may
    body = convert(text, extensions)
    if not allow_raw_html:
        body = _cleaner().clean(body)
    body, removed = _without_forbidden(own_ids(body))
    return Rendered(*references.read(body, sanitised=not allow_raw_html, raw="<" in text), removed)


def _without_forbidden(body: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The HTML without the forbidden characters that character references such as &#27; stood for (the
    sanitiser writes them as characters), and how many of each there were; the marks stay."""
    present = set(yamlio.forbidden(body).findall(body)) - {MARK}
    if not present:
        return body, ()
    removed = tuple((char, body.count(char)) for char in sorted(present))
    return body.translate(dict.fromkeys(map(ord, present))), removed

# Ids the theme gives its own elements on a brief's page. A body's heading "Content" (or an
# {#content} or raw id) taking one would capture the skip link and the sections' labels.
_THEME_ID = re.compile(r"content|sources-heading|related-heading|site-search-query|(?:terms|search|chart)-.*",
                       re.DOTALL)
BODY_ID_PREFIX = "body-"
_THEME_ID_WRITTEN = re.compile(r"\sid\s*=\s*[\"']?(?:content|sources-heading|related-heading|site-search-query"
                               r"|terms-|search-|chart-)", re.IGNORECASE)
_START_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_ATTRIBUTE = re.compile(r"(\s+)([^\s\"'>/=]+)(\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+)")


def own_ids(body: str) -> str:
    """The body with each id the theme uses prefixed 'body-' (kept unique), and its links to them too."""
    if not _THEME_ID_WRITTEN.search(body):  # the usual case, told at once
        return body
    ids = [_unquoted(value) for tag in _START_TAG.finditer(body)
           for name, value in _attributes(tag.group()) if name == "id"]
    taken = set(ids)
    renamed = {}
    for old in dict.fromkeys(i for i in ids if _THEME_ID.fullmatch(i)):
        new, number = BODY_ID_PREFIX + old, 2
        while new in taken:
            new, number = f"{BODY_ID_PREFIX}{old}-{number}", number + 1
        renamed[old] = new
        taken.add(new)
    if not renamed:
        return body
    return _START_TAG.sub(lambda tag: _ATTRIBUTE.sub(lambda match: _renamed(match, renamed), tag.group()), body)


def _attributes(tag: str):
    """(name, value as written) of each attribute with a value of a start tag."""
    return ((match.group(2).lower(), match.group(4)) for match in _ATTRIBUTE.finditer(tag))


def _unquoted(value: str) -> str:
    return value[1:-1] if value[:1] in ("'", '"') else value


def _renamed(match: re.Match, renamed: dict) -> str:
    """One attribute: an id in `renamed` replaced, and so is a link to it ("#content")."""
    name, value = match.group(2).lower(), _unquoted(match.group(4))
    if name == "id" and value in renamed:
        value = renamed[value]
    elif name == "href" and value.startswith("#") and value[1:] in renamed:
        value = "#" + renamed[value[1:]]
    else:
        return match.group()
    quote = match.group(4)[0] if match.group(4)[0] in "'\"" else '"'
    return f"{match.group(1)}{match.group(2)}{match.group(3)}{quote}{value}{quote}"


_FIRST_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.DOTALL)
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, with tags dropped and whitespace collapsed."""
    text = html.unescape(_TAG.sub("", _FOOTNOTE_REF.sub("", fragment)))
    return " ".join(text.split())


def summarize(body_html: str, limit: int = SUMMARY_LENGTH) -> str:
    """The first paragraph as plain text, cut at a word boundary near `limit`."""
    match = _FIRST_PARAGRAPH.search(body_html)
    text = plain_text(match.group(1)) if match else ""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"
