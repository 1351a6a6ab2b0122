"""Hugo: pages under `content/` (TOML, YAML or JSON front matter), page bundles, their URLs by the site's
`permalinks`, shortcodes, authors and lead images."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote

import click

from ...errors import shown
from ...reading.header import title_from_name
from ...values.slugs import slugify
from . import permalinks, shortcodes
from .common import MARKDOWN, OTHER_MARKUP, OldSite, Post, Problem, file_slug, one_line, terms, text_or_none, url_path
from .front_matter import front_matter, header_date, read_text
from .hugo_content import Content
from .hugo_people import Authors, lead_image
from .links import Links, split_fragment

_DATED = re.compile(r"\d{4}-\d{2}-\d{2}-(.+)")
# A link in the body: Markdown's `](target)`, a reference definition (not a footnote's `[^1]:`), or an HTML
# src/href.
_LINK = (r"(?P<hugo_lead>\]\(\s*<?|^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?|\b(?:src|href)=[\"'])"
         r"(?P<hugo_target>(?!<|\{\{|\{%)[^\s)>\"']+)"
         # a link whose target is a shortcode (`[a]: <{{% param url %}}>`): the shortcode is what is converted
         r"|(?P<hugo_before>(?:\]\(\s*|^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*|\b(?:src|href)=[\"'])<?(?=\{\{[<%]))")
_TOKEN = re.compile(f"{shortcodes.PATTERN}|{_LINK}", re.DOTALL | re.MULTILINE)
SITE_FILES = ("static", "assets")  # where a root-relative file of Hugo's lives
NESTING = 20  # shortcodes paired inside one another, at most: deeper ones are read one tag at a time


class Hugo:
    label = "Hugo"
    # The whole body is one match: Hugo rewrites it in a pass of its own (`tag`), which pairs shortcodes
    # with their closing tags and rewrites the text between them too.
    pattern = r"(?P<hugo_body>\A.*)"

    def __init__(self, src: Path, max_header_size: int, old_url: str | None = None):
        self.site, self.max_header_size = src, max_header_size
        if (src / "content").is_dir():
            self.root = src / "content"
        elif src.name == "content":
            self.root, self.site = src, src.parent
        else:
            raise click.UsageError(f"{shown(src)} is not a Hugo site: it has no content/ folder "
                                   "(give the site's folder or its content/)")
        self.config = permalinks.load(self.site, max_header_size)
        self.authors = Authors(self.site, self.root, max_header_size)
        # Hugo publishes static/ at the site's root; a theme's templates take assets/ from there too.
        self.old_site = OldSite(url=old_url or self.config.base_url or None,
                                roots=[self.site / name for name in SITE_FILES if (self.site / name).is_dir()],
                                authors=self.authors.by_handle)
        self.content = Content(self.root)  # its bundles and pages, as candidates find them
        self.headers: dict[Path, dict] = {}  # a post -> its header, for `param`
        # For the report, which the first `tag` gets: settings not read, and each post's old URLs left out
        self.problems = [*self.config.problems, *self.authors.problems]
        self.urls_left_out: dict[Path, list[str]] = {}

    def candidates(self):
        files = sorted(p for p in self.root.rglob("*") if not p.is_dir()  # a named pipe is named, when read
                       and not any(part.startswith(".") for part in p.relative_to(self.root).parts))
        for path in files:
            if path.stem == "index" and path.suffix.lower() in MARKDOWN:
                self.content.bundles[path.parent] = path
        for path in files:
            bundle = self.content.bundle_of(path)
            suffix = path.suffix.lower()
            if bundle and path != self.content.bundles[bundle]:
                if suffix in MARKDOWN + OTHER_MARKUP:
                    yield path, f"not converted (a page resource of the bundle {shown(bundle)}/)"
                continue
            if suffix in OTHER_MARKUP:
                yield path, f"not converted ({suffix} is not Markdown)"
            elif suffix in MARKDOWN and path.stem == "_index":
                yield path, "skipped (a section page, _index.md)"
            elif suffix in MARKDOWN and (why := self._unpublished(path)):
                yield path, f"skipped ({why}: Hugo never published it)"
            elif suffix in MARKDOWN:
                name = path.parent.name if bundle else path.stem
                for key in {name, path.name if not bundle else name}:
                    self.content.pages.setdefault(key, []).append(path)
                yield path, None

    def _unpublished(self, path: Path) -> str | None:
        """Why Hugo renders no page for `path` (`headless`, `build: {render: never}`); None if it does."""
        try:
            header = front_matter(read_text(path), self.max_header_size, "yaml toml json")[0]
        except Problem:  # read() lists it
            return None
        header = {str(key).lower(): value for key, value in header.items()}
        if _true(header.get("headless")):
            return "headless: true"
        for key in ("build", "_build"):
            render = header[key].get("render") if isinstance(header.get(key), dict) else None
            if render is False or str(render).lower() in ("never", "link", "false"):
                return f"{key}: {{render: {str(render).lower()}}}"
        return None

    def read(self, path: Path) -> Post:
        header, lines, body, body_line = front_matter(read_text(path), self.max_header_size, "yaml toml json")
        header = {str(key).lower(): value for key, value in header.items()}
        params = header.get("params") if isinstance(header.get("params"), dict) else {}
        self.headers[path] = {**params, **header}
        bundle = path.parent if path.parent in self.content.bundles else None
        name = bundle.name if bundle else path.stem
        publish = _day(header_date(header, lines, "publishdate"))
        day = _day(header_date(header, lines, "date")) or publish
        if day is None:
            raise Problem(1, "has no date; a brief needs one (add date to its front matter)")
        peer_slug = text_or_none(header.get("slug"))
        slug = slugify(peer_slug) if peer_slug else None
        plain = _DATED.fullmatch(slug or name)
        title = text_or_none(header.get("title")) or title_from_name(name)
        post = Post(path=path, title=title, day=day,
                    body=body, body_line=body_line, name=file_slug(plain.group(1) if plain else slug or name),
                    updated=_day(header_date(header, lines, "lastmod")), slug=slug or None,
                    publish_at=publish if publish is not None and publish != day else None,
                    expires=_day(header_date(header, lines, "expirydate")),
                    summary=text_or_none(header.get("summary") or header.get("description")),
                    draft=_true(header.get("draft")), bundle=bundle,
                    authors=self.authors.handles(header, params),
                    tags=terms(header.get("tags"), "\n") + terms(header.get("keywords"), ","),
                    categories=terms(header.get("categories"), "\n"))
        post.aliases = self._old_urls(post, header, title, peer_slug)
        post.url = post.aliases[0] if post.aliases else None
        post.image = lead_image(header, params, bundle)
        return post

    def _old_urls(self, post: Post, header: dict, title: str, peer_slug: str | None) -> list[str]:
        """The post's URL on the Hugo site (its `url`, else by `permalinks`, else its path), then its aliases."""
        folders = (post.bundle or post.path).parent.relative_to(self.root).parts
        prefix, sections = permalinks.language_root(folders, self.config)
        url = text_or_none(header.get("url"))
        name = post.bundle.name if post.bundle else post.path.stem
        page = permalinks.Page(sections=sections, name=name, title=title, slug=peer_slug, day=_date_of(post.day))
        urls = [url_path(url) if url else prefix + permalinks.page_url(page, self.config)]
        token = None if url else permalinks.unread(urls[0])
        if token:  # a wrong old URL would send its readers elsewhere
            self.urls_left_out.setdefault(post.path, []).append(
                f"{shown(post.path)}: {urls.pop()} ({token} in the site's permalinks is not read by migrate)")
        section = "/" + "/".join(folders) if folders else ""
        for alias in terms(header.get("aliases"), "\n"):
            urls.append(url_path(alias if alias.startswith("/") else f"{section}/{alias}"))
        return urls

    def bundle_files(self, post: Post) -> list[Path]:
        if post.bundle is None:
            return []
        return sorted(p for p in post.bundle.rglob("*") if p.is_file() and p != post.path
                      and p.suffix.lower() not in MARKDOWN + OTHER_MARKUP
                      and not any(part.startswith(".") for part in p.relative_to(post.bundle).parts))

    def tag(self, links: Links, post: Post, match: re.Match, line: int) -> str:
        """The body with its shortcodes and links rewritten."""
        links.report.errors += self.problems
        self.problems = []
        links.report.old_urls_left_out += self.urls_left_out.pop(post.path, [])
        body = match.group("hugo_body")
        tokens = list(_TOKEN.finditer(body))
        lines, last = [], (0, line)
        for token in tokens:
            last = (token.start(), last[1] + body.count("\n", last[0], token.start()))
            lines.append(last[1])
        span = _Span(body, tokens, lines, shortcodes.pairs(tokens))
        return self._rewrite(links, post, span, 0, len(tokens), 0, len(body), 0)

    def _rewrite(self, links: Links, post: Post, span: _Span, first: int, end: int, start: int, stop: int,
                 depth: int) -> str:
        """The text from `start` to `stop`, holding the tokens `first` to `end`, rewritten."""
        parts, at, index = [], start, first
        while index < end:
            token, line = span.tokens[index], span.lines[index]
            parts.append(span.body[at:token.start()])
            closing = span.pairs.get(index)
            if closing is not None and closing < end and depth < NESTING:
                closed = span.tokens[closing]
                inner = (index + 1, closing, token.end(), closed.start())
                parts.append(self._paired(links, post, span, token, inner, closed.group(), line, depth))
                at, index = closed.end(), closing + 1
            elif token.group("shortcode") and token.group("name") == "comment" and not shortcodes.arguments(token)[1]:
                # Unclosed, Hugo hides all that follows it
                links.report.removed.append(f"{shown(post.path)}:{line}: {one_line(span.body[token.start():stop])}")
                at, index = stop, end
            else:
                parts.append(self._token(links, post, token, line))
                at, index = token.end(), index + 1
        parts.append(span.body[at:stop])
        return "".join(parts)

    def _paired(self, links: Links, post: Post, span: _Span, token: re.Match, inner: tuple, closing: str,
                line: int, depth: int) -> str:
        """A shortcode with its inner text and closing tag, rewritten."""
        raw = span.body[inner[2]:inner[3]]
        name = token.group("name")
        if name == "comment":  # Hugo shows nothing of it
            links.report.removed.append(f"{shown(post.path)}:{line}: {one_line(token.group() + raw + closing)}")
            return ""
        text = raw if name == "highlight" else self._rewrite(links, post, span, *inner, depth + 1)
        code = shortcodes.parse(token, text)
        new = self._shortcode(links, post, code, line)
        if new is None:
            return links.unknown(post, line, code.text) + text + closing
        if new is code.text:  # listed as unresolved
            return new + text + closing
        links.rewritten(post, line, code.text, new)
        return new

    def _token(self, links: Links, post: Post, match: re.Match, line: int) -> str:
        """The replacement of one shortcode (without inner text) or link of the body."""
        if match.group("escaped"):  # {{</* x */>}} is Hugo's way to write {{< x >}} itself
            opening = match.group("open")
            return "{{" + opening + match.group("inner_escaped") + (">" if opening == "<" else "%") + "}}"
        if match.group("hugo_before") is not None:
            return match.group("hugo_before")
        if match.group("hugo_target") is not None:
            return match.group("hugo_lead") + self.link(links, post, match.group("hugo_target"), line)
        if match.group("stray"):
            return links.unknown(post, line, match.group("stray"))
        code = shortcodes.parse(match)
        if code.name == "comment":  # `{{< comment />}}`: Hugo shows nothing of it
            links.report.removed.append(f"{shown(post.path)}:{line}: {code.text}")
            return ""
        new = self._shortcode(links, post, code, line)
        if new is None:
            return links.unknown(post, line, code.text)
        if new is not code.text:
            links.rewritten(post, line, code.text, new)
        return new

    def _shortcode(self, links: Links, post: Post, code: shortcodes.Shortcode, line: int) -> str | None:
        """What a shortcode becomes; None if it is not Hugo's own, its text if it cannot be resolved."""
        name = code.name.lower()
        if name in ("ref", "relref"):
            return self._ref(links, post, code, line)
        if name == "figure":
            src = code.arg("src", 0)
            new = self.file_target(links, post, src) if src else None
            return shortcodes.figure(code, new) if new else links.unresolved(post, line, code.text, "no such file")
        if name == "highlight":
            return shortcodes.highlight(code)
        if name == "details":
            return shortcodes.details(code)
        if name == "param":
            value = self._param(post, code.arg("name", 0) or "")
            return value if value is not None else links.unresolved(post, line, code.text, "no such param")
        return shortcodes.embed(code)

    def _ref(self, links: Links, post: Post, code: shortcodes.Shortcode, line: int) -> str:
        arg = code.arg("path", 0) or ""
        path, fragment = split_fragment(arg)
        page = self.content.page(post, path) if path else post.path
        new = links.link_to(post, page.resolve()) if page else None
        if new is None:
            return links.unresolved(post, line, code.text, "no such page")
        return new + fragment

    def _param(self, post: Post, name: str) -> str | None:
        """A page's param, else the site's, by its dotted name (`notes.docker`); None if neither has it."""
        for params in (self.headers.get(post.path, {}), self.config.params):
            value = params
            for key in name.lower().split("."):
                value = {str(k).lower(): v for k, v in value.items()}.get(key) if isinstance(value, dict) else None
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                return str(value)
        return None

    def link(self, links: Links, post: Post, target: str, line: int) -> str:
        """A link target rewritten: a page Hugo finds by its path from the post (`../other-post/`,
        `0518-other-post`) becomes its brief; anything else as every peer's links are."""
        if not re.match(r"[a-z][a-z0-9+.-]*:|/|#|\{", target, re.IGNORECASE):
            path, fragment = split_fragment(target)
            page = self.content.page_from(post, unquote(path)) if path.strip("./") else None
            new = links.link_to(post, page.resolve()) if page else None
            if new:
                links.rewritten(post, line, target, new + fragment)
                return new + fragment
        return links.target(post, target, line)

    def file_target(self, links: Links, post: Post, src: str) -> str | None:
        """Where a file a post shows (a `figure`) is beside its brief, noted for copying; None if nowhere."""
        if re.match(r"[a-z][a-z0-9+.-]*:|//", src, re.IGNORECASE):
            return src
        path, fragment = split_fragment(src)
        if path.startswith("/"):
            new = links.brief_or_file(post, path)
        else:
            found = links.resolve(post.path.parent / unquote(path))
            new = links.link_to(post, found) if found else None
        return new + fragment if new else None


@dataclass(frozen=True)
class _Span:
    """A body read once: its shortcodes and links, the line of each, and which shortcodes close which."""

    body: str
    tokens: list[re.Match]
    lines: list[int]
    pairs: dict[int, int]


def _true(value) -> bool:
    """A front matter flag as Hugo casts it: `true`, and the strings Go reads as true ("true", "1", "t")."""
    return value is True or (not isinstance(value, bool) and str(value) in ("1", "t", "T", "true", "TRUE", "True"))


def _day(value: date | datetime | None) -> date | datetime | None:
    """Hugo writes a day as midnight (`2022-12-01T00:00:00Z`): such a date-time is that day."""
    if isinstance(value, datetime) and (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        offset = value.utcoffset()
        if offset is None or not offset:
            return value.date()
    return value


def _date_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
