"""Hugo's content/ folder as Hugo finds pages in it: page bundles, and the page a `ref` or a relative link names."""

from __future__ import annotations

import os
from pathlib import Path

from .common import MARKDOWN, Post


class Content:
    """The pages under content/: its bundles, and its pages by name, as candidates find them."""

    def __init__(self, root: Path):
        self.root = root
        self.bundles: dict[Path, Path] = {}  # a bundle's folder -> its index file
        self.pages: dict[str, list[Path]] = {}  # a page's name (file or bundle name, with and without suffix)

    def bundle_of(self, path: Path) -> Path | None:
        """The bundle `path` is in (the folder of its index file), or None."""
        for folder in path.parents:
            if folder in self.bundles:
                return folder
            if folder == self.root:
                return None
        return None

    def page(self, post: Post, ref: str) -> Path | None:
        """The page a `ref` names: a path from content/ or from the page's folder, else a unique page name."""
        bases = [self.root] if ref.startswith("/") else [(post.bundle or post.path).parent, self.root]
        ref = ref.strip("/")
        try:
            for base in bases:
                for candidate in [ref, *(ref + suffix for suffix in MARKDOWN),
                                  *(f"{ref}/index{suffix}" for suffix in MARKDOWN)]:
                    path = base / candidate
                    if path.is_file() and path.stem != "_index":
                        return path
        except (OSError, ValueError):  # a name too long, or with a NUL: no page has it
            return None
        named = self.pages.get(ref.rsplit("/", 1)[-1], [])
        stem = Path(ref).stem
        named = named or self.pages.get(stem, [])
        return named[0] if len(set(named)) == 1 else None

    def page_from(self, post: Post, path: str) -> Path | None:
        """The post a relative path names as Hugo's link hook finds it: from the page, its section, then
        content/, else the one page of that name."""
        if Path(path.rstrip("/")).suffix.lower() not in ("", *MARKDOWN):
            return None
        page = post.bundle or post.path.with_suffix("")
        for base in (page, page.parent, self.root):
            found = self._page_file(Path(os.path.normpath(base / path.strip("/"))))
            if found:
                return found
        named = self.pages.get(path.strip("/").rsplit("/", 1)[-1], [])
        return named[0] if len(set(named)) == 1 else None

    def _page_file(self, path: Path) -> Path | None:
        if not path.is_relative_to(self.root):
            return None
        try:
            for candidate in (path, *(path.with_name(path.name + ending) for ending in MARKDOWN),
                              *(path / f"index{ending}" for ending in MARKDOWN)):
                if candidate.is_file() and candidate.stem != "_index":
                    return candidate
        except (OSError, ValueError):  # a name too long, or with a NUL: no page has it
            return None
        return None
