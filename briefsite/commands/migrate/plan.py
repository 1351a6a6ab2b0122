"""Where each migrated post goes: a file name, slug and old URLs that nothing in briefings/ has yet.

The build refuses two briefs with one slug and two redirects from one old URL, so a post whose name or
slug is taken gets a free one (its old URLs still lead to it), and an old URL another brief already
answers is left out. A post whose first old URL a brief already answers was migrated before.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

from ...config import RESERVED_SEGMENTS, Config
from ...errors import shown, within
from ...filesystem import TooLarge, read_limited
from ...reading.brief import parse_brief
from ...reading.fields import Invalid
from ...reading.files import BRIEFS_DIR, brief_name, find_briefs
from ...reading.header import alias
from ...values.slugs import is_segment, slugify
from .common import Post, Report, url_key


@dataclass
class Taken:
    """What briefings/ holds and the briefs planned so far take: names, slugs and old URLs, by whose."""

    names: dict[str, str] = field(default_factory=dict)  # a name at the top of briefings/ -> why it is taken
    slugs: dict[str, str] = field(default_factory=dict)
    old_urls: dict[str, str] = field(default_factory=dict)  # as the build keys a redirect: `url_key`
    pages: tuple[str, ...] = ()  # the first segments of the site's own pages: tags/, authors/, feed.xml…
    static: frozenset[str] = frozenset()  # the files of its static/, as paths from the site's root
    too_large: list[str] = field(default_factory=list)  # a brief too large to read: its slug is not known


def site_briefs(site: Path, config: Config) -> Taken:
    """What the site's briefings/ already takes, as the build would read it."""
    segments = (*RESERVED_SEGMENTS, *(taxonomy.segment for taxonomy in config.taxonomies))
    taken = Taken(pages=(*segments, *_SITE_FILES), static=_static_files(site))
    folder = site / BRIEFS_DIR
    try:
        entries = os.listdir(folder)
    except FileNotFoundError:
        entries = []
    for name in entries:
        link = ", a symbolic link," if os.path.islink(folder / name) else ""
        taken.names[name] = f"{shown(folder / name)}{link} already exists"
    prefix = shown(site)
    for path in find_briefs(site):
        name = path.relative_to(site).as_posix()
        where = within(prefix, name)
        try:
            data = read_limited(path)
        except TooLarge as exc:
            taken.too_large.append(f"{where}: not read, it {exc}; its slug and old URLs are not checked")
            data = b""
        except OSError:
            data = b""
        brief, _ = parse_brief(where, data, config)
        # A brief that does not build yet keeps the slug its file name gives: its header is for its author.
        slug = brief.slug if brief else slugify(brief_name(where))
        taken.slugs.setdefault(slug, where)
        for url, _line, _column in brief.aliases if brief else ():
            taken.old_urls.setdefault(url, where)
    return taken


# The files a build writes at the site's root (output/): an old URL there would be a second page.
_SITE_FILES = ("index.html", "404.html", "feed.xml", "feed.json", "briefs.json", "briefs.geojson", "timeline.json",
               "sitemap.xml", "robots.txt")


def _static_files(site: Path) -> frozenset[str]:
    """The site's static/ files, published at the same paths."""
    static = site / "static"
    if not static.is_dir() or static.is_symlink():
        return frozenset()
    return frozenset(path.relative_to(static).as_posix() for path in static.rglob("*") if not path.is_dir())


def refused(url: str, taken: Taken) -> str | None:
    """Why the build would refuse `url` as an old URL of a brief, or None."""
    try:
        key = alias(url, ("aliases",))
    except Invalid as exc:
        return str(exc)
    first = key.split("/", 1)[0]
    if first in taken.pages:
        return f"the site's own pages are at /{first}{'/' if first not in _SITE_FILES else ''}"
    if key.removesuffix("/") in taken.static or f"{key}index.html" in taken.static:
        return f"static/{key.removesuffix('/')} is published there"
    return None


def plan(posts: list[Post], folder: Path, taken: Taken, report: Report) -> list[tuple[Post, Path]]:
    """Each post with the path of its brief, renamed where its name or slug is taken; posts migrated
    before are skipped. Posts get their final `name`, `slug` and `aliases`."""
    before = dict(taken.old_urls)  # a brief the site had before this migration
    report.left_out += taken.too_large
    targets = []
    for post in sorted(posts, key=lambda post: post.path):
        first = url_key(post.aliases[0]) if post.aliases else None
        if first in before:
            report.skipped.append(f"{shown(post.path)}: already migrated, {before[first]} answers its old URL "
                                  f"{post.aliases[0]}")
            continue
        _keep_free_old_urls(post, taken, report)
        why = _rename(post, taken)
        target = folder / f"{post.stem}.md"
        if why:
            with_slug = f", slug '{post.slug}'" if post.slug else ""
            report.renamed.append(f"{shown(post.path)} -> {shown(target)}{with_slug}: {why}")
        made = f"{shown(target)} is already made from {shown(post.path)}"
        taken.names[target.name] = taken.names[post.stem] = made
        taken.slugs[post.slug or slugify(post.stem)] = shown(target)
        targets.append((post, target))
    return targets


def _keep_free_old_urls(post: Post, taken: Taken, report: Report) -> None:
    """Leave out the old URLs another brief already answers: the build refuses two redirects from one."""
    kept = []
    post.url = post.url or (post.aliases[0] if post.aliases else None)
    for url in dict.fromkeys(post.aliases):
        why = refused(url, taken)
        if why:
            report.old_urls_left_out.append(f"{shown(post.path)}: {url} is left out: {why}")
            continue
        owner = taken.old_urls.get(url_key(url))
        if owner:
            report.old_urls_left_out.append(f"{shown(post.path)}: {url} is already an old URL of {owner}")
            continue
        taken.old_urls[url_key(url)] = shown(post.path)
        kept.append(url)
    post.aliases = kept


def _rename(post: Post, taken: Taken) -> str | None:
    """Give `post` a file name and slug nothing has taken; why it had to be renamed, or None."""
    why = _taken_because(post, taken)
    if why is None:
        return None
    day = post.day.isoformat()[:10]
    if post.slug:  # the slug is in the header: the file name need only be free
        dated = post.slug if day in post.slug else _suffixed(post.slug, day)
        post.slug = next(slug for slug in _numbered(dated, (post.slug,)) if slug not in taken.slugs)
    post.name = next(name for name in _numbered(post.name, prefix=f"{day}-") if _free(post, name, taken))
    return why


def _taken_because(post: Post, taken: Taken) -> str | None:
    """Why `post`'s brief cannot have its own name or slug, or None."""
    for name in (f"{post.stem}.md", post.stem):  # its files go to briefings/<stem>/
        if name in taken.names:
            return taken.names[name]
    slug = post.slug or slugify(post.stem)
    if slug in taken.slugs:
        return f"slug '{slug}' is already used by {taken.slugs[slug]}"
    return None


def _free(post: Post, name: str, taken: Taken) -> bool:
    stem = f"{post.day.isoformat()[:10]}-{name}"
    return (f"{stem}.md" not in taken.names and stem not in taken.names
            and (post.slug is not None or slugify(stem) not in taken.slugs))


def _numbered(base: str, before: tuple[str, ...] = (), prefix: str = ""):
    """`before`, then `base`, `base-2`, `base-3`, … each cut so that `prefix` and it stay one slug as they are."""
    yield from before
    yield base
    for number in itertools.count(2):
        yield _suffixed(base, str(number), prefix)


def _suffixed(base: str, suffix: str, prefix: str = "") -> str:
    """`base-suffix`, `base` cut so that `prefix` and the whole are still one slug (at most 80 characters)."""
    while base and not is_segment(f"{prefix}{base}-{suffix}"):
        base = base[:-1].rstrip("-")
    return f"{base}-{suffix}" if base else suffix
