"""Brief bodies: Markdown to HTML, sanitised, and plain-text summaries."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

SUMMARY_LENGTH = 200

_TAGS = nh3.ALLOWED_TAGS - {"center", "strike", "tt", "acronym", "map", "area"}
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


class _DemoteH1(Treeprocessor):
    """`# Heading` becomes h2: the brief's title is the page's only h1."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


@lru_cache(maxsize=4)
def _markdown(extensions: tuple[str, ...]) -> markdown.Markdown:
    # One instance per process and settings: building one costs more than a brief.
    md = markdown.Markdown(extensions=list(extensions), output_format="html")
    md.treeprocessors.register(_DemoteH1(md), "demote_h1", 1)
    return md


def render_body(text: str, extensions: tuple[str, ...], allow_raw_html: bool) -> str:
    """HTML of a brief's Markdown body, sanitised unless raw HTML is allowed."""
    md = _markdown(extensions)
    try:
        body = md.convert(text)
    finally:
        md.reset()
    if not allow_raw_html:
        # An image whose only source was unsafe is left without one: drop it.
        body = _IMAGE_WITHOUT_SOURCE.sub("", _cleaner().clean(body))
    return own_ids(body)


_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")

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
