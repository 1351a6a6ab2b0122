"""A post's links rewritten: to the brief a post became, to a file copied beside it, or to the old site's page."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

from ...errors import shown
from ...filesystem import TooLarge, read_limited
from ...media import images
from ...media.files import MAX_FILE_SIZE
from .common import MARKDOWN, OTHER_MARKUP, OldSite, Post, Report, one_line, text_or_none, url_key

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
        where = f"{shown(post.path)}:{line}"
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
            self.report.missing_files.append(f"{shown(post.path)}: image {one_line(written)} (no such file in "
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
        self.report.unresolved.append(f"{shown(post.path)}:{line}: {one_line(written)} (not published by the "
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
        self.report.links.append(f"{shown(post.path)}:{line}: {old} -> {new}")

    def unknown(self, post: Post, line: int, text: str) -> str:
        self.report.unknown.append(f"{shown(post.path)}:{line}: {one_line(text)}")
        return text

    def unresolved(self, post: Post, line: int, text: str, why: str) -> str:
        self.report.unresolved.append(f"{shown(post.path)}:{line}: {one_line(text)} ({why})")
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


def split_fragment(target: str) -> tuple[str, str]:
    """('path', '#fragment' or '?query...') of a link target."""
    found = re.search(r"[#?]", target)
    return (target[:found.start()], target[found.start():]) if found else (target, "")
