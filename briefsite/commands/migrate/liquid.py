"""Liquid in a Jekyll post: output (`{{ site.baseurl }}`, `{{ page.image }}`, common filters), comments,
`raw`, `highlight` and video or tweet embeds, converted to what they showed on the old site.

Only what is known for certain is converted; an expression that is not (a plugin's filter, a loop) stays as
written, and the caller lists it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Linear forms: a lazy `\s*(.*?)\s*` is cubic on the whitespace after an unclosed `{{` (posts may be 16 MB).
OUTPUT = r"\{\{(?P<expression>[^{}]*)\}\}"
TAG = r"\{%(?P<tag_body>(?:[^{}%]|%(?!\}))*)%\}"
# A block's opening or closing tag: all are found in one pass and paired in code (a regex per block would scan
# to the end of the post for every opening never closed).
_BLOCK_TAG = re.compile(r"\{%-?[ \t\n]*(?P<name>(?:end)?(?:raw|comment|highlight))\b(?P<rest>(?:[^{}%]|%(?!\}))*)%\}")

_STRING = r"\"[^\"]*\"|'[^']*'"
_VARIABLE = r"[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\]|\[(?:\"[^\"]*\"|'[^']*')\])*"
_VIDEO_INCLUDE = re.compile(r"(?:youtube|vimeo)(?:\.html)?", re.IGNORECASE)


def trimmed(inside: str) -> str:
    """What is inside `{{ … }}` or `{% … %}`, without Liquid's whitespace-control dashes and spaces."""
    return inside.removeprefix("-").removesuffix("-").strip()


def tag_parts(inside: str) -> tuple[str, str]:
    """(name, argument) of a tag's inside: `{% post_url 2016-01-01-a %}` -> ('post_url', '2016-01-01-a')."""
    name, _, argument = trimmed(inside).partition(" ")
    return name, argument.strip()


@dataclass(frozen=True)
class Block:
    """A `raw`, `comment` or `highlight` block: what it holds and where it ends (the post's end when a
    comment is never closed)."""

    kind: str
    end: int
    inner: str
    closed: bool = True
    language: str = ""


def blocks(body: str) -> dict[int, Block]:
    """The body's blocks by where each opens. Comments nest, and one never closed hides the rest of the post
    (Liquid would fail or hide it); a `raw` or `highlight` never closed is no block."""
    tags = list(_BLOCK_TAG.finditer(body))
    found: dict[int, Block] = {}
    never_closed: set[str] = set()  # scanned to the end once: no later opening of it is closed either
    index = 0
    while index < len(tags):
        opening, index = tags[index], index + 1
        kind = opening.group("name")
        language = re.match(r"\s+([\w+#.-]+)", opening.group("rest"))
        if kind.startswith("end") or kind in never_closed or (kind == "highlight" and not language):
            continue
        closing, after = _closing(tags, index, kind)
        if closing is None and kind != "comment":
            never_closed.add(kind)
            continue
        index = after
        end = closing.end() if closing else len(body)
        inner = body[opening.end():closing.start() if closing else len(body)]
        found[opening.start()] = Block(kind, end, inner, closing is not None,
                                       language.group(1) if language else "")
    return found


def _closing(tags: list[re.Match], index: int, kind: str) -> tuple[re.Match | None, int]:
    """The tag closing a block of `kind` opened before `tags[index]`, and the index after it."""
    depth = 1
    while index < len(tags):
        name, index = tags[index].group("name"), index + 1
        if kind == "comment" and name == "comment":
            depth += 1
        elif name == "end" + kind:
            depth -= 1
            if depth == 0:
                return tags[index - 1], index
    return None, index


class Unknown(Exception):
    """An expression whose value is not known for certain: left as written and listed."""


@dataclass
class Context:
    """What `{{ … }}` can name: the site's `_config.yml` and the post's own header."""

    site: dict
    page: dict

    @property
    def baseurl(self) -> str:
        return str(self.site.get("baseurl") or "").rstrip("/")


def evaluate(expression: str, context: Context) -> str:
    """The text `{{ expression }}` outputs; raises Unknown if it is not certain."""
    parts = _split_filters(expression)
    value = _value(parts[0], context)
    for part in parts[1:]:
        name, _, args = part.partition(":")
        value = _filter(name.strip(), value, [_value(arg, context) for arg in _split_args(args)], context)
    if value is None or isinstance(value, dict | list):
        raise Unknown(expression)
    return value if isinstance(value, str) else _text(value)


def _split_filters(expression: str) -> list[str]:
    parts = re.findall(rf"(?:{_STRING}|[^|\"'])+", expression)
    return [part.strip() for part in parts]


def _split_args(args: str) -> list[str]:
    return [arg.strip() for arg in re.findall(rf"(?:{_STRING}|[^,\"'])+", args) if arg.strip()]


def _value(text: str, context: Context):
    """A literal or a variable of `site` or `page`."""
    text = text.strip()
    if re.fullmatch(_STRING, text):
        return text[1:-1]
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return text
    if not re.fullmatch(_VARIABLE, text):
        raise Unknown(text)
    steps = re.findall(r"[\w-]+|\[\d+\]|\[(?:\"[^\"]*\"|'[^']*')\]", text)
    scope, *path = steps
    value = {"site": context.site, "page": context.page}.get(scope)
    if value is None or not path:
        raise Unknown(text)
    for step in path:
        key = int(step[1:-1]) if re.fullmatch(r"\[\d+\]", step) else step.strip("[]\"'")
        found = (isinstance(value, dict) and isinstance(key, str) and key in value
                 or isinstance(value, list) and isinstance(key, int) and key < len(value))
        if found:
            value = value[key]
        else:
            raise Unknown(text)  # Jekyll shows nothing, but the name may come from a plugin or defaults
    return value


def _filter(name: str, value, args: list, context: Context) -> str:
    """One of Jekyll's standard filters; a plugin's filter is Unknown."""
    text = _text(value)
    if name == "relative_url":
        return context.baseurl + "/" + text.lstrip("/") if not re.match(r"[a-z][\w+.-]*:", text) else text
    if name == "absolute_url":
        url = str(context.site.get("url") or "").rstrip("/")
        return url + context.baseurl + "/" + text.lstrip("/") if not re.match(r"[a-z][\w+.-]*:", text) else text
    simple = {"prepend": lambda: _text(args[0]) + text, "append": lambda: text + _text(args[0]),
              "downcase": text.lower, "upcase": text.upper, "strip": text.strip,
              "escape": lambda: html.escape(text), "default": lambda: text or _text(args[0])}
    if name in simple and (name not in ("prepend", "append", "default") or args):
        return simple[name]()
    raise Unknown(name)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict | list):
        raise Unknown(str(value))
    return str(value)


def embed(tag: str, args: str, expression: str | None = None) -> str | None:
    """A video or post embed as a link to what it showed ("[title](url)"); None if this is none."""
    if expression is not None:  # {{ "https://www.youtube.com/embed/x" | embed: "Title" }}
        found = re.fullmatch(rf"\s*({_STRING})\s*\|\s*embed\s*(?::\s*({_STRING}))?\s*", expression, re.DOTALL)
        if not found:
            return None
        url = found.group(1)[1:-1]
        title = " ".join(found.group(2)[1:-1].split()) if found.group(2) else ""
        return _link(_watch_url(url), title)
    if tag == "oembed":  # {% oembed https://twitter.com/... %}
        url = args.strip().strip("\"'")
        return _link(url, "") if re.match(r"https?://", url) else None
    if tag in ("youtube", "vimeo"):  # {% youtube ID %}
        return _video(tag, args.split()[0].strip("\"'")) if args.split() else None
    name, _, rest = args.partition(" ")
    if tag == "include" and _VIDEO_INCLUDE.fullmatch(name):  # {% include youtube.html id="…" %}
        values = dict(re.findall(r"(\w+)\s*=\s*[\"']?([^\"'\s]+)", rest))
        ident = values.get("id") or values.get("video") or values.get("youtube_id")
        return _video("vimeo" if "vimeo" in name.lower() else "youtube", ident) if ident else None
    return None


def _video(kind: str, ident: str) -> str:
    url = f"https://vimeo.com/{ident}" if kind == "vimeo" else f"https://www.youtube.com/watch?v={ident}"
    return _link(url, "")


def _watch_url(url: str) -> str:
    """A YouTube embed address as the video's own page."""
    found = re.match(r"https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)", url)
    return f"https://www.youtube.com/watch?v={found.group(1)}" if found else url


def _link(url: str, title: str) -> str:
    title = title.replace("[", "\\[").replace("]", "\\]")
    return f"[{title}]({url})" if title else f"<{url}>"
