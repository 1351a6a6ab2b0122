"""What every peer shares: a post as read, front matter, dates, names, and the body's links rewritten."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ... import yamlio
from ...errors import display
from ...filesystem import TooLarge, read_limited
from ...media import images
from ...media.files import MAX_FILE_SIZE
from ...reading.files import ENDINGS
from ...values.slugs import slugify

MARKDOWN = ENDINGS  # what a build reads as a brief
OTHER_MARKUP = (".rst", ".html", ".htm", ".textile")
STEM_LENGTH = 80  # a brief's file name makes its slug, and a slug has at most 80 characters


class Problem(Exception):
    """A post cannot be converted: what is wrong, and on which line of its file (0 when unknown)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass
class Post:
    """One peer post as read: its header already in briefsite's terms, its body still the peer's."""

    path: Path
    title: str
    day: date | datetime
    body: str
    body_line: int  # the file's line number of the body's first line
    name: str  # the slug part of the brief's file name
    updated: date | datetime | None = None
    publish_at: date | datetime | None = None  # Hugo's publishDate after its date: an embargo
    expires: date | datetime | None = None  # Hugo's expiryDate
    summary: str | None = None
    slug: str | None = None
    draft: bool = False
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    bundle: Path | None = None  # a Hugo page bundle's folder: every file in it goes with the brief
    url: str | None = None  # where the old site published it (its first old URL), relative links read from it
    image: str | dict | None = None  # the lead image as the peer wrote it: a path, or {file, alt, caption}
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what was repaired) for the summary

    @property
    def stem(self) -> str:
        return f"{self.day.isoformat()[:10]}-{self.name}"


@dataclass(frozen=True)
class Author:
    """What the old site said of an author: the name bylines show and, where known, a bio, role and page."""

    name: str
    bio: str | None = None
    role: str | None = None
    url: str | None = None


@dataclass
class OldSite:
    """What a peer knows of the site its posts come from, beyond each post's own file.

    `url` is the old site's address with its base path (Jekyll's `url` + `baseurl`, Hugo's `baseURL`, or
    `--old-url`): links to its pages that are no post become absolute links there. `roots` are the folders a
    root-relative path such as /assets/x.png is looked for in, first first (Jekyll's site folder; Hugo's
    static/). `hidden` are the name prefixes a site never publishes (Jekyll's `_` and `.`). `authors` maps a
    handle as posts write it to the author, so that a byline reads "Ron Bronson", not "ron-bronson". `base` is
    the base path when the address is unknown (Jekyll's `baseurl` without `url`).
    """

    url: str | None = None
    base: str = ""
    roots: list[Path] = field(default_factory=list)
    hidden: tuple[str, ...] = (".",)
    authors: dict[str, Author] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        """The path every old URL starts with ('/blog'), without its last '/'; '' at the host's root."""
        return urlsplit(self.url).path.rstrip("/") if self.url else self.base.rstrip("/")

    def absolute(self, path: str) -> str | None:
        """The old site's absolute URL of a path from its host's root, or None when its address is unknown."""
        if not self.url:
            return None
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}{path}"


def url_key(url: str) -> str:
    """An old URL as the build keys its redirect (reading/header.py `alias`): '/posts/a' -> 'posts/a/'."""
    path = unquote(url).strip("/")
    if not path.endswith((".html", ".htm")):
        path += "/"
    while "//" in path:
        path = path.replace("//", "/")
    return path


def read_text(path: Path) -> str:
    """The file's text with LF line endings; raises Problem if it cannot be read or is not UTF-8."""
    try:
        data = read_limited(path)
    except TooLarge as exc:
        raise Problem(0, str(exc)) from None
    except OSError as exc:  # a named pipe too: opened without waiting, it is no regular file
        raise Problem(0, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Problem(0, f"is not UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def front_matter(text: str, max_size: int, formats: str = "yaml") -> tuple[dict, list[str], str, int]:
    """(header, header lines, body, body's first line) of a file with `---` YAML (or with "toml"/"json" in
    `formats`, `+++` TOML or a JSON object) front matter; a file without one has an empty header.

    A YAML header is held to the build's bound: `max_size` characters with its aliases written out.
    """
    lines = text.split("\n")
    fence = lines[0].rstrip()
    if fence == "---" or (fence == "+++" and "toml" in formats):
        for index in range(1, len(lines)):
            if lines[index].rstrip() == fence:
                header_lines = lines[1:index]
                body = "\n".join(lines[index + 1:])
                header = "\n".join(header_lines)
                loaded = _yaml(header, max_size) if fence == "---" else _toml(header, max_size)
                return loaded, header_lines, body, index + 2
        raise Problem(1, f"the header opened with '{fence}' is never closed")
    if "json" in formats and text.startswith("{"):
        try:
            header, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            raise Problem(exc.lineno, f"header is not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise Problem(1, "header is not valid JSON: nested too deeply") from None
        if end > max_size:
            raise Problem(1, f"the header is larger than {max_size} characters (max_header_size in site.yml)")
        line = text.count("\n", 0, end) + 1
        return _mapping(header, 1), text[:end].split("\n"), text[end:].lstrip(" ").removeprefix("\n"), line + 1
    return {}, [], text, 1


def _yaml(text: str, max_size: int) -> dict:
    # The build's own loader and bounds: an alias bomb is measured and refused, never expanded.
    document, problems = yamlio.load(text, "", first_line=2, max_size=max_size)
    if document is None:
        problem = problems[0]
        message = problem.message
        if message.startswith("invalid YAML: "):
            message = "header is not valid YAML: " + message.removeprefix("invalid YAML: ")
        raise Problem(problem.line or 1, message)
    return _mapping(document.data, 1)


def _toml(text: str, max_size: int) -> dict:
    if len(text) > max_size:  # TOML has no aliases: its size is its text's
        raise Problem(1, f"the header is larger than {max_size} characters (max_header_size in site.yml)")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise Problem(1, "header is not valid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(found.group(1)) + 1 if found else 1
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)
        raise Problem(line, f"header is not valid TOML: {message}") from None


def _mapping(header, line: int) -> dict:
    if header is None:
        return {}
    if not isinstance(header, dict):
        raise Problem(line, "header is not a mapping of keys to values")
    return header


def key_line(header_lines: list[str], key: str, first: int = 2) -> int:
    """The file's line of `key` in a header whose first line is line `first`."""
    pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*[:=]", re.IGNORECASE)
    for index, line in enumerate(header_lines):
        if pattern.match(line):
            return first + index
    return first


_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
                   r"\s*(Z|[+-]\d{2}:?\d{2})?")


def peer_date(value) -> date | datetime:
    """A date or date-time as Jekyll, Hugo or Pelican write them; raises ValueError if it is none."""
    if isinstance(value, datetime | date):
        return value
    if hasattr(value, "hour") and hasattr(value, "isoformat"):  # a TOML local time alone
        raise ValueError(f"{value} is a time of day without a date")
    text = str(value).strip()
    found = _DATE.fullmatch(text)
    if not found:
        raise ValueError(f"{text!r} is not a date as YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] [+HH:MM]")
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        tz = None
        if zone == "Z":
            tz = UTC
        elif zone:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                        int((fraction or "0").ljust(6, "0")), tzinfo=tz)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date or time ({exc})") from None


def header_date(header: dict, lines: list[str], key: str, default=None, first: int = 2):
    """The date under `key` (else `default`, else None); raises Problem on its line if it is not one."""
    value = header.get(key)
    if value is None:
        return None if default is None else peer_date(default)
    try:
        return peer_date(value)
    except ValueError as exc:
        raise Problem(key_line(lines, key, first), f"{key}: {exc}") from None


def terms(value, separator: str | None = None) -> list[str]:
    """A peer's list of terms: a list, or text split on `separator` (None: on spaces)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [str(item).strip() for item in value if item is not None]
    elif separator == "," and ";" in str(value):  # Pelican: ';' separates when present
        items = [part.strip() for part in str(value).split(";")]
    else:
        items = [part.strip() for part in str(value).split(separator)]
    return [item for item in items if item]


def outside_link(path: Path, site: Path) -> Path | None:
    """The symbolic link, `path` itself or a folder above it, that takes `path` outside `site`; else None."""
    site = site.resolve()
    if path.resolve().is_relative_to(site):
        return None
    for link in (path, *path.parents):
        if link.is_symlink() and not link.resolve().is_relative_to(site):
            return link
        if link.absolute() == site:
            break
    return path


def text_or_none(value) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def file_slug(text: str) -> str:
    """A valid slug for the brief's file name, short enough that the dated name still makes a slug."""
    slug = slugify(text)
    most = STEM_LENGTH - 11  # "YYYY-MM-DD-"
    if len(slug) > most:
        cut = slug[:most]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or "post"


def url_path(path: str) -> str:
    """An old URL as a path from the site root."""
    path = path.strip()
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", path, flags=re.IGNORECASE)  # an absolute URL's path
    return "/" + path.lstrip("/")


@dataclass
class Report:
    """What a migration did and could not do, for its summary."""

    converted: list[tuple[str, str]] = field(default_factory=list)  # (brief, from file)
    headers: int = 0
    links: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    not_converted: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # a brief whose file name or slug was taken
    old_urls_left_out: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # read as the peer reads it: a date, a YAML slip
    templates: int = 0  # template expressions converted ({{ site.baseurl }}, filters, raw, highlight)
    removed: list[str] = field(default_factory=list)  # hidden on the old site ({% comment %}): never published
    old_site_links: list[str] = field(default_factory=list)  # links to old pages that are no post, now absolute
    missing_files: list[str] = field(default_factory=list)  # referenced, but not in the old site's folder
    authors: list[str] = field(default_factory=list)  # entries added to data/authors.yml
    left_out: list[str] = field(default_factory=list)  # a part of a post the build would refuse, and why
    skipped: list[str] = field(default_factory=list)  # not posts, or posts migrated before: nothing lost
    errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether every post was converted (or had been before) and every file of theirs copied."""
        return not (self.not_converted or self.errors)


_LINK = (r"(?P<lead>\]\(\s*<?|^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?|\b(?:src|href)=[\"'])"
         r"(?P<target>(?!\{\{|\{%)[^\s)>\"']+)")


class Links:
    """Rewrites a body's links: the peer's own forms (by its `pattern` and `tag` handler) and relative ones."""

    def __init__(self, root: Path, sources: dict[Path, str], report: Report, old_site: OldSite | None = None,
                 old_urls: dict[str, str] | None = None):
        self.root = root.resolve()
        self.sources = sources  # a converted post's resolved file -> its brief's file name
        self.report = report
        self.old_site = old_site or OldSite()
        self.old_urls = old_urls or {}  # a converted post's old URL, as `url_key` keys it -> its brief's file name
        self.assets: dict[Path, list[tuple[Path, str]]] = {}  # a post -> (file, its path beside the brief)
        self.refused: dict[str, str] = {}  # an old site's file the build would refuse -> why

    def rewrite(self, post: Post, pattern: str, tag) -> str:
        """`post`'s body with every link it can resolve rewritten; `tag(post, match, line)` handles the
        peer's own forms and returns their replacement, or (replacement, where it ends) for a block."""
        regex = re.compile(f"{pattern}|{_LINK}", re.DOTALL | re.MULTILINE)
        body = post.body
        parts: list[str] = []
        position, line = 0, post.body_line  # the line is counted as we go: counting from the start is O(n·m)
        while match := regex.search(body, position):
            line += body.count("\n", position, match.start())
            end = match.end()
            if match.group("target") is None:
                new = tag(post, match, line)
                if isinstance(new, tuple):  # a block: replaced up to where it ends
                    new, end = new
            else:
                new = match.group("lead") + self.target(post, match.group("target"), line)
            if end == match.start():  # an empty match: step over a character, so that the search moves on
                new, end = new + body[end:end + 1], end + 1
            parts += [body[position:match.start()], new]
            line += body.count("\n", match.start(), end)
            position = end
        parts.append(body[position:])
        return "".join(parts)

    def target(self, post: Post, target: str, line: int, written: str | None = None) -> str:
        """A link target rewritten to a brief, a copied file or the old site's page; else as it was.
        `written` is how the body wrote it, when a template made `target`."""
        written = written or target
        if target.startswith(("#", "{", "//")):
            return target
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            return self.old_site_url(post, target, line, written)
        if target.startswith("/"):
            return self.site_path(post, target, line, written)
        path, fragment = split_fragment(target)
        found = self.resolve(post.path.parent / unquote(path))
        if found and self.unpublished(post, found):
            return self.not_published(post, found, line, written, fragment)
        new = self.link_to(post, found) if found else None
        if new is not None:
            self.rewritten(post, line, written, new + fragment)
            return new + fragment
        page = post.url or (post.aliases[0] if post.aliases else None)
        if found or not page or Path(path).suffix.lower() in MARKDOWN + OTHER_MARKUP:
            return target  # a post not converted: the build names the link
        # As the old site's browser read it: relative to the post's own old URL.
        return self.site_path(post, urljoin(self.old_site.base_path + page, target), line, written)

    def old_site_url(self, post: Post, target: str, line: int, written: str) -> str:
        """An absolute link into the old site, to a post or a file of it, rewritten as a relative one."""
        url = self.old_site.url
        if not url or not target.lower().startswith(url.rstrip("/").lower() + "/"):
            return target
        path = self.old_site.base_path + target[len(url.rstrip("/")):]
        inner, fragment = split_fragment(path)
        new = self.brief_or_file(post, inner)
        if new is None:
            return target
        self.rewritten(post, line, written, new + fragment)
        return new + fragment

    def site_path(self, post: Post, url: str, line: int, written: str) -> str:
        """A path from the old site's root: a brief, a file copied beside the brief, else the old site's page
        (listed), or a file missing from the old site (listed)."""
        path, fragment = split_fragment(url)
        new = self.brief_or_file(post, path)
        if new is not None:
            self.rewritten(post, line, written, new + fragment)
            return new + fragment
        absolute = self.old_site.absolute(path)
        where = f"{display(post.path)}:{line}"
        if unquote(path) in self.refused or path in self.refused:
            why = self.refused.get(unquote(path)) or self.refused[path]
            self.report.left_out.append(f"{where}: {one_line(written)}: {why}"
                                        + (f"; linked to {absolute}{fragment}" if absolute else ""))
            return absolute + fragment if absolute else written
        if _is_file_name(path):
            self.report.missing_files.append(f"{where}: {one_line(written)} (no such file in the old site"
                                             + (f"; linked to {absolute}{fragment})" if absolute else ")"))
            return absolute + fragment if absolute else written
        if absolute is None:
            return self.unresolved(post, line, written, "a page of the old site; give --old-url to link to it")
        self.report.old_site_links.append(f"{where}: {one_line(written)} -> {absolute}{fragment}")
        return absolute + fragment

    def brief_or_file(self, post: Post, path: str) -> str | None:
        """How `post`'s brief links to the old site's `path`: the brief of the post it was, or a file copied
        beside it; None when it is neither."""
        base = self.old_site.base_path
        path = unquote(path)
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base):] or "/"
        brief = self.old_urls.get(url_key(path))
        if brief:
            return brief
        file = self.site_file(path)
        if file is None:
            return None
        why = refused_image(file)
        if why:  # linked where the old site has it, and listed by `site_path`
            self.refused[path] = why
            return None
        return f"{post.stem}/{self.copy(post, file)}"

    def site_file(self, path: str) -> Path | None:
        """The file the old site published at `path`, looked for in its roots; None if none is."""
        parts = [part for part in path.split("/") if part]
        if not parts or path.endswith("/") or any(part.startswith(self.old_site.hidden) or part == ".."
                                                  for part in parts):
            return None
        for root in self.old_site.roots:
            root = root.resolve()
            try:  # a NUL (ValueError) or a name longer than the system takes (OSError): no such file
                found = Path(os.path.normpath(root.joinpath(*parts))).resolve()
                if found.is_relative_to(root) and found.is_file() and found.suffix.lower() not in _PAGES:
                    return found
            except (OSError, ValueError):
                return None
        return None

    def image(self, post: Post) -> str | dict | None:
        """The lead image's header value, its file copied beside the brief: {file, alt[, caption]} when the
        post says what it shows, else the plain path; None (listed) when its file is not in the old site."""
        value = post.image if isinstance(post.image, dict) else {"file": post.image}
        written = text_or_none(value.get("file"))
        if not written:
            return None
        path, _ = split_fragment(written)
        if re.match(r"[a-z][a-z0-9+.-]*:", path, re.IGNORECASE):
            url = (self.old_site.url or "").rstrip("/")
            inside = url and path.lower().startswith(url.lower() + "/")
            new = self.brief_or_file(post, self.old_site.base_path + path[len(url):]) if inside else None
        elif path.startswith("/"):
            new = self.brief_or_file(post, path)
        else:  # beside the post, else (as themes write `{{ site.baseurl }}/{{ page.image }}`) from the root
            file = self.resolve(post.path.parent / unquote(path))
            file = None if file and self.unpublished(post, file) else file
            new = (f"{post.stem}/{self.copy(post, file)}" if file and file.suffix.lower() not in _PAGES
                   else self.brief_or_file(post, "/" + path))
        if new is None or new.endswith(".md"):
            self.report.missing_files.append(f"{display(post.path)}: image {one_line(written)} (no such file in "
                                             "the old site; the brief has no lead image)")
            return None
        if text_or_none(value.get("alt")):
            return {"file": new, **{key: text_or_none(value[key]) for key in ("alt", "caption")
                                    if text_or_none(value.get(key))}}
        return new

    def resolve(self, path: Path) -> Path | None:
        """`path` as an existing file inside the peer's folder, or None."""
        try:  # a NUL (ValueError) or a name longer than the system takes (OSError): no such file
            resolved = Path(os.path.normpath(path.absolute())).resolve()
            if not resolved.is_relative_to(self.root) or not resolved.is_file():
                return None
        except (OSError, ValueError):
            return None
        return resolved

    def link_to(self, post: Post, file: Path) -> str | None:
        """How `post`'s brief links to `file`: a brief's file name, or the copy beside the brief."""
        if not file.is_relative_to(self.root):  # a `ref` may climb out with `..`: never copied from there
            return None
        if self.unpublished(post, file):  # `_config.yml`, `.env`, `.git/config`: never served, never copied
            return None
        if file in self.sources:
            return self.sources[file]
        if file.suffix.lower() in MARKDOWN + OTHER_MARKUP:
            return None
        return f"{post.stem}/{self.copy(post, file)}"

    def unpublished(self, post: Post, file: Path) -> bool:
        """Whether the old site never served `file` (resolved): a part of its path from the site's folder is
        hidden (`_config.yml`, `.git/`), `_posts` and the folders of the post's own path aside."""
        if not file.is_relative_to(self.root):
            return True
        own = (post.bundle or post.path.parent).resolve()
        own_parts = own.relative_to(self.root).parts if own.is_relative_to(self.root) else ()
        parts = file.relative_to(self.root).parts
        shared = 0
        while shared < min(len(own_parts), len(parts) - 1) and parts[shared] == own_parts[shared]:
            shared += 1
        return any(part.startswith(self.old_site.hidden) and part != "_posts" for part in parts[shared:])

    def not_published(self, post: Post, file: Path, line: int, written: str, fragment: str) -> str:
        """A link to a file the old site never served: listed, and linked where the old site would have it
        (it was a broken link there too), else left as written; never copied."""
        path = "/" + file.relative_to(self.root).as_posix()
        absolute = self.old_site.absolute(self.old_site.base_path + path)
        if absolute is None:
            return self.unresolved(post, line, written, "not published by the old site")
        self.report.unresolved.append(f"{display(post.path)}:{line}: {one_line(written)} (not published by the "
                                      f"old site; linked to {absolute}{fragment})")
        return absolute + fragment

    def copy(self, post: Post, file: Path) -> str:
        """Note `file` for copying beside `post`'s brief; its path there."""
        base = post.bundle or post.path.parent
        resolved_base = base.resolve()
        roots = [root.resolve() for root in self.old_site.roots]
        within = next((root for root in [resolved_base, self.root, *roots] if file.is_relative_to(root)), None)
        name = file.relative_to(within).as_posix() if within else file.name
        assets = self.assets.setdefault(post.path, [])
        if (file, name) not in assets:
            assets.append((file, name))
        return name

    def rewritten(self, post: Post, line: int, old: str, new: str) -> None:
        self.report.links.append(f"{display(post.path)}:{line}: {old} -> {new}")

    def unknown(self, post: Post, line: int, text: str) -> str:
        self.report.unknown.append(f"{display(post.path)}:{line}: {one_line(text)}")
        return text

    def unresolved(self, post: Post, line: int, text: str, why: str) -> str:
        self.report.unresolved.append(f"{display(post.path)}:{line}: {one_line(text)} ({why})")
        return text


# What a site serves as a page, or a browser runs: linked on the old site, never copied as a brief's file.
_PAGES = (*MARKDOWN, *OTHER_MARKUP, ".xhtml", ".xml", ".js", ".mjs", ".xsl", ".php")


def _is_file_name(path: str) -> bool:
    """Whether an old URL names a file (/assets/x.png) rather than a page (/about/, /2016/03/10/post.html)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return not path.endswith("/") and "." in last and Path(last).suffix.lower() not in _PAGES


def refused_image(file: Path) -> str | None:
    """Why the build would refuse `file`, an image of the old site (an animation too long, too many pixels);
    None when it takes it or it is no image. Only its headers are read."""
    try:
        with file.open("rb") as handle:
            head = handle.read(64)
        if not images.signature(head):
            return None
        images.read_facts(read_limited(file, MAX_FILE_SIZE))
    except images.MediaError as exc:
        return str(exc)
    except TooLarge as exc:
        return f"it {exc}"
    except OSError:
        return None
    return None


def fenced(code: str, language: str = "") -> str:
    """`code` as fenced Markdown code, its fence longer than any run of backticks in it."""
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code}\n{fence}"


def split_fragment(target: str) -> tuple[str, str]:
    """('path', '#fragment' or '?query...') of a link target."""
    found = re.search(r"[#?]", target)
    return (target[:found.start()], target[found.start():]) if found else (target, "")


def one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 100 else text[:99] + "…"
