"""Hugo: pages under `content/` (TOML, YAML or JSON front matter), page bundles, `ref`/`relref` shortcodes."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ...errors import display, shown
from ...reading.header import title_from_name
from ...site.slugs import slugify
from .common import (
    MARKDOWN,
    OTHER_MARKUP,
    Links,
    Post,
    Problem,
    file_slug,
    front_matter,
    header_date,
    read_text,
    split_fragment,
    terms,
    text_or_none,
    url_path,
)

_DATED = re.compile(r"\d{4}-\d{2}-\d{2}-(.+)")


class Hugo:
    label = "Hugo"
    pattern = (r"(?P<escaped>\{\{(?P<open>[<%])/\*(?P<inner>.*?)\*/[>%]\}\})"
               r"|(?P<shortcode>\{\{[<%]\s*(?P<code>.*?)\s*[>%]\}\})")

    def __init__(self, src: Path, max_header_size: int):
        self.site, self.max_header_size = src, max_header_size
        if (src / "content").is_dir():
            self.root = src / "content"
        elif src.name == "content":
            self.root = src
        else:
            raise click.UsageError(f"{shown(src)} is not a Hugo site: it has no content/ folder "
                                   "(give the site's folder or its content/)")
        self.bundles: dict[Path, Path] = {}  # a bundle's folder -> its index file
        self.pages: dict[str, list[Path]] = {}  # a page's name (file or bundle name, with and without suffix)

    def candidates(self):
        files = sorted(p for p in self.root.rglob("*") if not p.is_dir()  # a named pipe is named, when read
                       and not any(part.startswith(".") for part in p.relative_to(self.root).parts))
        for path in files:
            if path.stem == "index" and path.suffix.lower() in MARKDOWN:
                self.bundles[path.parent] = path
        for path in files:
            bundle = self._bundle_of(path)
            suffix = path.suffix.lower()
            if bundle and path != self.bundles[bundle]:
                if suffix in MARKDOWN + OTHER_MARKUP:
                    yield path, f"not converted (a page resource of the bundle {display(bundle)}/)"
                continue
            if suffix in OTHER_MARKUP:
                yield path, f"not converted ({suffix} is not Markdown)"
            elif suffix in MARKDOWN and path.stem == "_index":
                yield path, "skipped (a section page, _index.md)"
            elif suffix in MARKDOWN:
                name = path.parent.name if bundle else path.stem
                for key in {name, path.name if not bundle else name}:
                    self.pages.setdefault(key, []).append(path)
                yield path, None

    def _bundle_of(self, path: Path) -> Path | None:
        for folder in path.parents:
            if folder in self.bundles:
                return folder
            if folder == self.root:
                return None
        return None

    def read(self, path: Path) -> Post:
        header, lines, body, body_line = front_matter(read_text(path), self.max_header_size, "yaml toml json")
        header = {str(key).lower(): value for key, value in header.items()}
        bundle = path.parent if path.parent in self.bundles else None
        name = bundle.name if bundle else path.stem
        publish = header_date(header, lines, "publishdate")
        day = header_date(header, lines, "date") or publish
        if day is None:
            raise Problem(1, "has no date; a brief needs one (add date to its front matter)")
        peer_slug = text_or_none(header.get("slug"))
        slug = slugify(peer_slug) if peer_slug else None
        plain = _DATED.fullmatch(slug or name)
        post = Post(path=path, title=text_or_none(header.get("title")) or title_from_name(name), day=day,
                    body=body, body_line=body_line, name=file_slug(plain.group(1) if plain else slug or name),
                    updated=header_date(header, lines, "lastmod"), slug=slug or None,
                    publish_at=publish if publish is not None and publish != day else None,
                    expires=header_date(header, lines, "expirydate"),
                    summary=text_or_none(header.get("summary") or header.get("description")),
                    draft=header.get("draft") is True, bundle=bundle,
                    authors=terms(header.get("authors") or header.get("author"), "\n"),
                    tags=terms(header.get("tags"), "\n"), categories=terms(header.get("categories"), "\n"))
        folder = (bundle or path).parent.relative_to(self.root).as_posix()
        section = "" if folder == "." else f"/{folder}"
        url = text_or_none(header.get("url"))
        post.aliases = [url_path(url) if url else re.sub(r"\s+", "-", f"{section}/{peer_slug or name}/".lower())]
        for alias in terms(header.get("aliases"), "\n"):
            post.aliases.append(url_path(alias if alias.startswith("/") else f"{section}/{alias}"))
        return post

    def bundle_files(self, post: Post) -> list[Path]:
        if post.bundle is None:
            return []
        return sorted(p for p in post.bundle.rglob("*") if p.is_file() and p != post.path
                      and p.suffix.lower() not in MARKDOWN + OTHER_MARKUP
                      and not any(part.startswith(".") for part in p.relative_to(post.bundle).parts))

    def tag(self, links: Links, post: Post, match: re.Match, line: int) -> str:
        if match.group("escaped"):  # {{</* x */>}} is Hugo's way to write {{< x >}} itself
            opening = match.group("open")
            return "{{" + opening + match.group("inner") + (">" if opening == "<" else "%") + "}}"
        text, code = match.group("shortcode"), match.group("code")
        found = re.fullmatch(r"(ref|relref)\s+(.+)", code, re.DOTALL)
        if not found:
            return links.unknown(post, line, text)
        quoted = re.findall(r"\"([^\"]*)\"|'([^']*)'|`([^`]*)`", found.group(2))
        arg = "".join(quoted[-1]) if quoted else found.group(2).split()[-1]
        path, fragment = split_fragment(arg)
        page = self._page(post, path) if path else post.path
        new = links.link_to(post, page.resolve()) if page else None
        if new is None:
            return links.unresolved(post, line, text, "no such page")
        links.rewritten(post, line, text, new + fragment)
        return new + fragment

    def _page(self, post: Post, ref: str) -> Path | None:
        """The page a `ref` names: a path from content/ or from the page's folder, else a unique page name."""
        bases = [self.root] if ref.startswith("/") else [(post.bundle or post.path).parent, self.root]
        ref = ref.strip("/")
        for base in bases:
            for candidate in [ref, *(ref + suffix for suffix in MARKDOWN),
                              *(f"{ref}/index{suffix}" for suffix in MARKDOWN)]:
                path = base / candidate
                if path.is_file() and path.stem != "_index":
                    return path
        named = self.pages.get(ref.rsplit("/", 1)[-1], [])
        stem = Path(ref).stem
        named = named or self.pages.get(stem, [])
        return named[0] if len(set(named)) == 1 else None
