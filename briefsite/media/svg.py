"""SVG images: what may be published of one, and its size in pixels.

An SVG opened directly runs in the site's origin. So it is read with an XML parser that
refuses entity declarations (defusedxml), namespaces resolved and references decoded;
every element and attribute is checked against the allow-lists (svg_allowed.py); and what is
published is written anew from what was checked, never the bytes that came in.

Active content is refused, naming it and its line, so the author knows: script, event
handlers, links that are neither `#id` nor http(s), CSS that loads or runs anything.
What is only unknown is dropped without a word: an editor's own namespaces (Inkscape's
`sodipodi:`/`inkscape:`), `<metadata>`, comments, processing instructions, the DOCTYPE
and attributes not on the list (draw.io's `content`, Mermaid's `data-*`).
"""

from __future__ import annotations

import io
import math
import re
from xml.sax import SAXParseException, handler

from defusedxml import EntitiesForbidden
from defusedxml.expatreader import DefusedExpatParser

from .svg_allowed import (
    ATTRIBUTES,
    CSS_ESCAPE,
    CSS_LOADING,
    CSS_LOCAL_URL,
    CSS_SCRIPT,
    CSS_URL,
    DROPPED_SVG_ELEMENTS,
    EMBEDDED_IMAGE,
    IMAGE_ELEMENTS,
    LINKING_ELEMENTS,
    LOCAL_REFERENCE,
    SCRIPTED_ELEMENTS,
    SVG,
    SVG_ELEMENTS,
    WEB_LINK,
    XHTML,
    XHTML_ELEMENTS,
    XLINK,
    XLINK_ATTRIBUTES,
    XML,
    XML_ATTRIBUTES,
)

MIME = "image/svg+xml"
MAX_BYTES = 10_000_000  # bounds the parse; a diagram is kilobytes, a traced map a few megabytes
MAX_SIDE = 20_000  # pixels per side, width or height; beyond it an <img> size is a mistake

_SVG_ROOT = re.compile(rb"<svg\b", re.IGNORECASE)
_LENGTH = re.compile(r"\s*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(?:px)?\s*")


class SvgRefused(Exception):
    """An SVG that cannot be published; the message is fit to show the author."""


def looks_like_svg(data: bytes) -> bool:
    """Whether `data` reads as an SVG document (it is then checked as one, never as a raster image)."""
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    return start[:1] == b"<" and _SVG_ROOT.search(data[:4096]) is not None


def checked(data: bytes) -> tuple[int, int, bytes]:
    """An SVG's width and height in pixels, from its width and height or its viewBox, and the bytes to
    publish: the SVG written anew from what was allowed; SvgRefused for one that could run script or
    reach out, is not well-formed, or is too large."""
    if len(data) > MAX_BYTES:
        raise SvgRefused(f"the SVG is larger than the {MAX_BYTES // 1_000_000} MB allowed: make it smaller "
                         "or export a PNG")
    writer = _read(data)
    width, height = _size(writer.root)
    return width, height, "".join(writer.out).encode("utf-8")


def _read(data: bytes) -> _Writer:
    """The SVG read through the allow-lists."""
    writer = _Writer()
    # Entity declarations are refused: no entity bomb, no external entity. The DOCTYPE of every Graphviz and
    # matplotlib file names an external DTD; it is read past and never loaded (feature_external_ges is off),
    # where defusedxml's forbid_external would refuse the file.
    parser = DefusedExpatParser(namespaceHandling=1, forbid_entities=True, forbid_external=False)
    parser.setFeature(handler.feature_external_ges, False)
    parser.setContentHandler(writer)
    try:
        parser.parse(io.BytesIO(data))
    except SAXParseException as exc:
        raise SvgRefused(f"the SVG is not well-formed XML (line {exc.getLineNumber()}): {exc.getMessage()}") \
            from None
    except EntitiesForbidden as exc:
        raise _refused(writer.line, f"the entity declaration {exc.name!r}", "could expand without bound") from None
    except (LookupError, ValueError) as exc:  # an encoding that expat cannot read ("utf-7", "x-nope")
        raise SvgRefused(f"the SVG's encoding cannot be read ({exc}): save it as UTF-8") from None
    return writer


def _refused(line: int, what: str, why: str) -> SvgRefused:
    return SvgRefused(f"the SVG has {what} on line {line}, which {why}: remove it or export a PNG")


class _Writer(handler.ContentHandler):
    """Checks each element, attribute and text as the parser reads it, and writes what is kept."""

    def __init__(self):
        super().__init__()
        self.out: list[str] = []  # the published SVG, in pieces
        self.open: list[tuple[str | None, str, int]] = []  # kept elements now open: namespace, name, line
        self.dropped = 0  # how deep inside an element dropped with all it holds
        self.start_tag_open = False  # the last start tag still lacks its ">"
        self.style: list[str] = []  # the text of the <style> now open, as written
        self.root: dict[str, str] | None = None  # the root's attributes without a namespace
        self._locator = None

    @property
    def line(self) -> int:
        return self._locator.getLineNumber() if self._locator else 1

    def setDocumentLocator(self, locator):
        self._locator = locator

    def processingInstruction(self, target, data):
        if target.lower() == "xml-stylesheet":
            raise _refused(self.line, "<?xml-stylesheet?>", "could load a style sheet from elsewhere")

    def startElementNS(self, name, qname, attrs):
        namespace, element = name
        if self.dropped:
            self.dropped += 1
            return
        if self.root is None:
            self.root = _root(namespace, element, attrs)
        # A style sheet is its own text only: an element inside <style> is dropped with what it holds, as
        # its text would be published without being checked as CSS.
        in_style = bool(self.open) and self.open[-1][:2] == (SVG, "style")
        if in_style or not _kept(namespace, element, self.line):
            self.dropped = 1
            return
        attributes = _attributes(element, attrs, self.line)
        self._finish_start_tag()
        parent = self.open[-1][0] if self.open else None
        self.out.append(f"<{element}")
        if namespace != parent:
            self.out.append(f' xmlns="{namespace}"' + (f' xmlns:xlink="{XLINK}"' if not self.open else ""))
        self.out.extend(f' {key}="{_escaped(value, attribute=True)}"' for key, value in attributes)
        self.open.append((namespace, element, self.line))
        self.start_tag_open = True

    def endElementNS(self, name, qname):
        if self.dropped:
            self.dropped -= 1
            return
        namespace, element, line = self.open.pop()
        if namespace == SVG and element == "style":
            _check_css("".join(self.style), "<style>", line)
            self.style = []
        self.out.append("/>" if self.start_tag_open else f"</{element}>")
        self.start_tag_open = False

    def characters(self, content):
        if self.dropped or not self.open:
            return
        if self.open[-1][:2] == (SVG, "style"):
            self.style.append(content)
        self._finish_start_tag()
        self.out.append(_escaped(content))

    ignorableWhitespace = characters

    def _finish_start_tag(self):
        if self.start_tag_open:
            self.out.append(">")
            self.start_tag_open = False


def _root(namespace: str | None, element: str, attrs) -> dict[str, str]:
    """The root's attributes without a namespace; SvgRefused unless it is an SVG's <svg>."""
    if (namespace, element) == (SVG, "svg"):
        return {key: value for (ns, key), value in attrs.items() if ns is None}
    if element == "svg" and namespace is None:
        raise SvgRefused(f'the SVG\'s <svg> has no xmlns="{SVG}", without which browsers show nothing: add it')
    raise SvgRefused(f"the file's root element is <{element}>, not an SVG's <svg>: only SVG images are published")


def _kept(namespace: str | None, element: str, line: int) -> bool:
    """Whether an element is kept (False: dropped with all it holds); SvgRefused if it is not allowed."""
    if (namespace == SVG and element in SVG_ELEMENTS) or (namespace == XHTML and element in XHTML_ELEMENTS):
        return True
    if namespace not in (SVG, XHTML) or (namespace == SVG and element in DROPPED_SVG_ELEMENTS):
        return False  # another vocabulary (an editor's, RDF), which no browser runs or draws in an SVG
    if element.lower() in SCRIPTED_ELEMENTS:
        raise _refused(line, f"<{element}>", "could run script")
    raise _refused(line, f"<{element}>", "is not among the elements a published SVG may have")


def _attributes(element: str, attrs, line: int) -> list[tuple[str, str]]:
    """The attributes kept of an element, as (written name, value); SvgRefused for an active one."""
    kept = []
    for (namespace, local), value in attrs.items():
        if namespace is None and local.lower().startswith("on"):
            raise _refused(line, f"{local} on <{element}>", "could run script")
        name = _attribute_name(namespace, local)
        if name is None:
            continue  # unknown, so inert: dropped
        if local == "href":
            _check_href(element, name, value, line)
        else:
            _check_css(value, f"{name} on <{element}>", line)
        if local == "attributeName":
            _check_animated(element, value, line)
        kept.append((name, value))
    return kept


def _attribute_name(namespace: str | None, local: str) -> str | None:
    """An allowed attribute's name as written in the published SVG; None for one that is dropped."""
    if namespace is None and (local in ATTRIBUTES or local.startswith("aria-")):
        return local
    if namespace == XLINK and local in XLINK_ATTRIBUTES:
        return f"xlink:{local}"
    if namespace == XML and local in XML_ATTRIBUTES:
        return f"xml:{local}"
    return None


def _check_href(element: str, name: str, value: str, line: int) -> None:
    """SvgRefused unless an href is a #id of the SVG, a web page's on <a>, an embedded raster on <image>."""
    target = value.strip()
    if LOCAL_REFERENCE.fullmatch(target):
        return
    if element in LINKING_ELEMENTS:
        if WEB_LINK.fullmatch(target):
            return
        why = "is neither a #id of the SVG nor an http(s) link"
    elif element in IMAGE_ELEMENTS:
        if EMBEDDED_IMAGE.fullmatch(target):
            return
        why = "is not a PNG, JPEG, GIF or WebP image embedded as data:image/…;base64"
    else:
        why = "is not a #id of the SVG"
    raise _refused(line, f"{name} {_shown(value)} on <{element}>", why)


def _check_animated(element: str, value: str, line: int) -> None:
    """SvgRefused for an animation that would change a link or an event handler."""
    animated = value.strip().rpartition(":")[2].lower()
    if animated == "href" or animated.startswith("on"):
        raise _refused(line, f"<{element} attributeName={_shown(value)}>", "could change a link or run script")


def _check_css(css: str, where: str, line: int) -> None:
    """SvgRefused for CSS (or an attribute's value) that could run script or load a file from elsewhere."""
    plain = CSS_ESCAPE.sub(_unescaped, css)  # `\75 rl(` is `url(` to a browser
    if found := CSS_SCRIPT.search(plain):
        raise _refused(line, f"{_shown(found.group())} in {where}", "could run script")
    if found := CSS_LOADING.search(plain):
        raise _refused(line, f"{_shown(found.group())} in {where}", "could load a file from elsewhere")
    for url in CSS_URL.finditer(plain):
        if not CSS_LOCAL_URL.match(plain, url.start()):
            shown = plain[url.start():plain.find(")", url.start()) + 1 or url.start() + 40]
            raise _refused(line, f"{_shown(shown)} in {where}", "could load a file from elsewhere")


def _unescaped(escape: re.Match) -> str:
    code, char = escape.groups()
    if code is None:
        return char
    number = int(code, 16)
    return chr(number) if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF else "\ufffd"


def _shown(value: str) -> str:
    """A value quoted for a message, cut short."""
    return repr(value if len(value) <= 60 else value[:57] + "…")


def _escaped(text: str, attribute: bool = False) -> str:
    """Text or an attribute's value as XML, read back the same (a kept newline stays a newline)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _size(root: dict[str, str]) -> tuple[int, int]:
    """Width and height in pixels: the root's width and height in px (or plain numbers), else its viewBox's."""
    width, height = root.get("width"), root.get("height")
    if _px(width) is not None and _px(height) is not None:
        return _pixels("width", width, _px(width)), _pixels("height", height, _px(height))
    box = root.get("viewBox", "")
    try:  # units other than px (100%, 10cm, 2em) are not pixels: the viewBox gives the size, as browsers do
        numbers = [float(number) for number in re.split(r"[\s,]+", box.strip())]
    except ValueError:
        numbers = []  # a viewBox that is not numbers is as good as none
    if len(numbers) != 4:
        raise SvgRefused("the SVG has no width and height in pixels, nor a viewBox: add one")
    return _pixels("viewBox", box, numbers[2]), _pixels("viewBox", box, numbers[3])


def _px(length: str | None) -> float | None:
    match = _LENGTH.fullmatch(length or "")
    return float(match.group(1)) if match else None


def _pixels(name: str, written: str, value: float) -> int:
    """A side in whole pixels; SvgRefused unless it is finite, above 0 and at most MAX_SIDE."""
    if not (math.isfinite(value) and 0 < value <= MAX_SIDE):
        raise SvgRefused(f"the SVG's {name} {_shown(written)} is not a size above 0 and up to {MAX_SIDE:,} pixels: "
                         "change it or export a PNG")
    return max(1, round(value))
