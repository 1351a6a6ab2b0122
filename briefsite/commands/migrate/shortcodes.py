"""Hugo's shortcodes read and, for Hugo's own embeds, written as the Markdown a brief can publish.

A brief publishes no iframe or script, so an embedded video, post or gist becomes a link to it; a
`figure` an image with its caption; `highlight` fenced code; `comment` nothing (Hugo shows nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# `{{< name args >}}` or `{{% name args %}}`, an escaped one (`{{</* name */>}}`) or a closing tag. Every part is
# possessive or stops at the next `{{`, so that a body of 16 MB of hostile text is read in linear time; an opening
# and its closing tag are paired in code (`pairs`), as a regex that looks ahead for the closing tag is quadratic.
PATTERN = (r"(?P<escaped>\{\{(?P<open>[<%])/\*(?P<inner_escaped>(?:[^*{]|\{(?!\{)|\*(?!/[>%]\}\}))*+)\*/[>%]\}\})"
           r"|(?P<shortcode>\{\{(?P<delim>[<%])-?\s*+(?P<name>[\w.-]++(?:/[\w.-]++)*+)"
           r"(?P<args>(?:[^>%\"`{]|\{(?!\{)|\"(?:[^\"\\]|\\.)*+\"|`[^`]*+`|[>%](?!\}\}))*+)[>%]\}\})"
           r"|(?P<stray>\{\{[<%]-?\s*+/(?P<closing_name>[\w.-]++(?:/[\w.-]++)*+)\s*+-?[>%]\}\})")
_ARG = re.compile(r"(?:(?P<key>[\w-]+)=)?(?:\"(?P<quoted>(?:[^\"\\]|\\.)*)\"|`(?P<raw>[^`]*)`|(?P<bare>[^\s\"`]+))")


@dataclass
class Shortcode:
    """One use of a shortcode: its name, positional and named arguments and inner text."""

    text: str
    name: str
    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    inner: str | None = None

    def arg(self, key: str, index: int | None = None) -> str | None:
        """The argument named `key`, else the `index`th positional one, else None."""
        if key in self.named:
            return self.named[key]
        if index is not None and index < len(self.positional):
            return self.positional[index]
        return None


def parse(match: re.Match, inner: str | None = None) -> Shortcode:
    """The shortcode a match of PATTERN found, with the inner text up to its closing tag if it has one."""
    code = Shortcode(text=match.group("shortcode"), name=match.group("name"), inner=inner)
    for arg in _ARG.finditer(arguments(match)[0]):
        value = arg.group("quoted")
        value = value.replace('\\"', '"') if value is not None else arg.group("raw") or arg.group("bare") or ""
        if arg.group("key"):
            code.named[arg.group("key").lower()] = value
        else:
            code.positional.append(value)
    return code


def arguments(match: re.Match) -> tuple[str, bool]:
    """A shortcode's arguments, and whether it closes itself (`{{< name />}}`)."""
    args = match.group("args")
    if args.endswith("-"):  # `-%}}` trims the space around it
        args = args[:-1]
    args = args.rstrip()
    closed = args.endswith("/")
    return (args[:-1] if closed else args), closed


def pairs(tokens: list[re.Match]) -> dict[int, int]:
    """Each opening's closing tag, by their index in `tokens`: a closing tag closes the last open shortcode
    of its name."""
    opened: dict[str, list[int]] = {}
    paired = {}
    for index, token in enumerate(tokens):
        if token.group("shortcode") and not arguments(token)[1]:
            opened.setdefault(token.group("name"), []).append(index)
        elif token.group("stray") and opened.get(token.group("closing_name")):
            paired[opened[token.group("closing_name")].pop()] = index
    return paired


def embed(code: Shortcode) -> str | None:
    """A link in place of Hugo's embedded videos, posts and gists; None if `code` is none of them."""
    name = code.name.lower()
    if name in ("youtube", "vimeo"):
        video = code.arg("id", 0)
        if not video:
            return None
        url = f"https://www.youtube.com/watch?v={video}" if name == "youtube" else f"https://vimeo.com/{video}"
        return f"[{code.arg('title') or 'Video on ' + name.title().replace('tube', 'Tube')}]({url})"
    if name in ("tweet", "x", "twitter"):
        user, post = code.arg("user"), code.arg("id")
        if post is None and len(code.positional) == 1:  # the old form: the post's number alone
            post = code.positional[0]
        elif post is None and len(code.positional) == 2:
            user, post = code.positional
        if not post:
            return None
        url = f"https://x.com/{user}/status/{post}" if user else f"https://x.com/i/status/{post}"
        return f"[Post by @{user} on X]({url})" if user else f"[Post on X]({url})"
    if name == "gist":
        user, gist, file = code.arg("user", 0), code.arg("id", 1), code.arg("file", 2)
        if not (user and gist):
            return None
        anchor = "#file-" + re.sub(r"[^\w-]", "-", file.lower()) if file else ""
        return f"[Gist by {user}{': ' + file if file else ''}](https://gist.github.com/{user}/{gist}{anchor})"
    if name == "instagram":
        post = code.arg("id", 0)
        return f"[Post on Instagram](https://www.instagram.com/p/{post}/)" if post else None
    return None


def highlight(code: Shortcode) -> str | None:
    """`highlight` as fenced code in its language."""
    if code.inner is None:
        return None
    language = code.arg("lang", 0) or ""
    body = code.inner.strip("\n")
    fence = "```"
    while fence in body:
        fence += "`"
    return f"{fence}{language}\n{body}\n{fence}"


def figure(code: Shortcode, src: str) -> str:
    """`figure` as an image (linked if it links), its caption in italics below; `src` is where it now is."""
    caption = code.arg("caption") or ""
    title = code.arg("title") or ""
    alt = code.arg("alt") or _plain(caption) or _plain(title)
    image = f"![{_escaped(alt)}]({_target(src)})"
    if code.arg("link"):
        image = f"[{image}]({_target(code.arg('link'))})"
    attr = code.arg("attr") or ""
    if attr and code.arg("attrlink"):
        attr = f"[{attr}]({_target(code.arg('attrlink'))})"
    words = " — ".join(part for part in (title, caption, attr) if part)
    return f"{image}\n\n*{words}*" if words else image


def details(code: Shortcode) -> str | None:
    """Hugo's `details`: its summary in bold, then what it hid."""
    if code.inner is None:
        return None
    summary = code.arg("summary", 0) or "Details"
    return f"**{summary}**\n\n{code.inner.strip()}"


def _plain(text: str) -> str:
    """Markdown or HTML text as plain words, for an alt text."""
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()


def _escaped(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def _target(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()]", url) else url
