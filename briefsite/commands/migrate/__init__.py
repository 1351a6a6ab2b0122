"""`migrate`: a Jekyll, Hugo or Pelican site's posts into briefs, written beside the site's own and never over them.

Each peer (jekyll.py, hugo.py, pelican.py) finds its posts and reads each into a `Post`, already in
briefsite's terms; this module names the briefs, rewrites their links, writes them and their files,
and prints what it did and what it could not do.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

import click
import yaml

from ...config import Config
from ...config.load import load_site_config
from ...errors import printable, shown
from ...reading.brief import parse_brief
from ...reading.files import BRIEFS_DIR
from ...values.slugs import term_key
from .authors import add_authors, bylines
from .common import Author, OldSite, Post, Problem, Report, outside_link, url_key
from .hugo import Hugo
from .jekyll import Jekyll
from .links import Links
from .pelican import Pelican
from .plan import plan, site_briefs
from .writing import Linked, created

PEERS = {"jekyll": Jekyll, "hugo": Hugo, "pelican": Pelican}


def migrate_site(peer_name: str, src: Path, site: Path, dry_run: bool, tags_to: str, categories_to: str,
                 echo, old_url: str | None = None) -> int:
    """Convert the peer's posts under `src` into `site`'s briefings/; 0 if every post was converted (or had
    been before) with all its files, else 1."""
    if old_url and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", old_url):
        raise click.UsageError(f"--old-url: expected the old site's address, such as https://example.org/blog, "
                               f"got {old_url!r}")
    config = _site_config(site, tags_to, categories_to)
    report, peer = Report(), None
    try:  # everything is checked before a folder is made
        peer = PEERS[peer_name](src, config.max_header_size)
        if not dry_run:
            (site / BRIEFS_DIR).mkdir(parents=True, exist_ok=True)
        _migrate(peer, site, config, Choices(dry_run, tags_to, categories_to, old_url), report, echo)
    except click.ClickException:  # not a site of this peer: said as usage, before anything is made
        raise
    except Exception as exc:  # noqa: BLE001 (a bug of ours, or a folder not readable: said, with what was done)
        report.errors.append(f"migrate stopped early ({_what(exc)}); the briefs created above are written")
        echo(report.errors[-1], err=True)
    except BaseException:  # Ctrl-C: say what was written before stopping
        report.errors.append("migrate was interrupted; the briefs created above are written")
        raise
    finally:
        if peer is not None or report.errors:
            _summary(PEERS[peer_name].label, report, dry_run, echo)
    return 0 if report.complete else 1


def _site_config(site: Path, tags_to: str, categories_to: str) -> Config:
    """The site's settings (a new site: the defaults), which must have the taxonomies the options name."""
    config, _ = load_site_config(site) if site.is_dir() else (Config(), [])
    for option, name in (("--tags-to", tags_to), ("--categories-to", categories_to)):
        if name not in config.taxonomy_names:
            raise click.UsageError(f"{option}: '{name}' is not a taxonomy of this site; "
                                   f"it has {', '.join(config.taxonomy_names)}")
    return config


@dataclass(frozen=True)
class Choices:
    """The options of one migration."""

    dry_run: bool
    tags_to: str
    categories_to: str
    old_url: str | None = None  # --old-url: the old site's address, for links to its pages that are no post


def _migrate(peer, site: Path, config: Config, choices: Choices, report: Report, echo) -> None:
    """Read every post, name each brief, then convert and write them one by one."""
    posts = _read_posts(peer, report, echo)
    targets = plan(posts, site / BRIEFS_DIR, site_briefs(site, config), report)
    old_site = _old_site(peer, choices.old_url)
    old_urls = {url_key(url): target.name for post, target in targets for url in [post.url, *post.aliases] if url}
    links = Links(peer.root, {post.path.resolve(): target.name for post, target in targets}, report, old_site,
                  old_urls)
    used: list[Author] = []
    for post, target in targets:
        try:
            if _convert(peer, post, target, links, config, choices, report, echo):
                used += [old_site.authors[handle] for handle in post.authors if handle in old_site.authors]
        except Exception as exc:  # noqa: BLE001 (one post's bug must not cost the others)
            _error(report, post.path, 0, f"cannot be converted ({_what(exc)})", echo)
    add_authors(used, site, choices.dry_run, report, echo)


def _old_site(peer, old_url: str | None) -> OldSite:
    """What the peer knows of the old site (a peer that reads none of it gives none); `--old-url` wins."""
    old_site = getattr(peer, "old_site", None) or OldSite()
    if old_url:
        old_site.url = old_url.rstrip("/")
    return old_site


def _read_posts(peer, report: Report, echo) -> list[Post]:
    """The peer's posts as read; what is no post, or cannot be read, goes to the report."""
    posts = []
    for path, reason in peer.candidates():
        link = outside_link(path, peer.site)
        if link and not reason:
            reason = f"not converted ({_outside(path, link)})"
        if reason:  # "skipped (...)" is no post (a section page): nothing is lost
            listed = report.skipped if reason.startswith("skipped") else report.not_converted
            listed.append(f"{shown(path)}: {reason}")
            continue
        try:
            posts.append(peer.read(path))
        except Problem as problem:
            _error(report, path, problem.line, str(problem), echo)
        except Exception as exc:  # noqa: BLE001 (one post's bug must not cost the others)
            _error(report, path, 0, f"cannot be read ({_what(exc)})", echo)
    return posts


def _convert(peer, post: Post, target: Path, links: Links, config: Config, choices: Choices, report: Report,
             echo) -> bool:
    """Write one post's brief, then copy its files beside it; whether it was written."""
    for file in peer.bundle_files(post):
        link = outside_link(file, peer.site)
        if link:
            report.not_converted.append(f"{shown(file)}: not copied ({_outside(file, link)})")
        else:
            links.copy(post, file.resolve())
    body = links.rewrite(post, peer.pattern, partial(peer.tag, links))
    image = links.image(post)
    handles, post.authors = post.authors, bylines(post.authors, links.old_site.authors)
    text = brief_text(post, body, config, choices.tags_to, choices.categories_to, image)
    errors = _build_errors(target, text, config)
    if isinstance(image, str) and any(error.message.startswith("image:") for error in errors):
        # A build that wants the mapping form with its alt text: the brief goes without its lead image.
        report.left_out.append(f"{shown(post.path)}: image {image} left out: it has no alt text, "
                                    "which this build needs (add image: {file, alt} by hand)")
        text = brief_text(post, body, config, choices.tags_to, choices.categories_to)
        errors = _build_errors(target, text, config)
    post.authors = handles
    if errors:  # a safety net: what is written must build
        _error(report, post.path, 0, f"the brief would not build: {errors[0].message}", echo)
        return False
    if not _put(post, target, text, choices.dry_run, report, echo):
        return False
    report.converted.append((shown(target), shown(post.path)))
    report.headers += 1
    report.repaired += [f"{shown(post.path)}:{line}: {note}" for line, note in post.notes]
    for file, name in links.assets.get(post.path, []):
        _copy(file, target.parent, f"{post.stem}/{name}", choices.dry_run, report)
    return True


def _build_errors(target: Path, text: str, config: Config) -> list:
    """What the build would refuse in the brief `text` (warnings aside)."""
    _, problems = parse_brief(shown(target), text.encode("utf-8"), config)
    return [problem for problem in problems if not problem.warning]


def _outside(path: Path, link: Path) -> str:
    return f"{'it' if link == path else shown(link)} is a symbolic link to outside the source site"


def _what(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _error(report: Report, path: Path, line: int, message: str, echo) -> None:
    where = f"{shown(path)}:{line}" if line else shown(path)
    report.errors.append(printable(f"{where}: {message}"))
    echo(report.errors[-1], err=True)


def _put(post: Post, target: Path, text: str, dry_run: bool, report: Report, echo) -> bool:
    """Write the brief (or in a dry run print it); False if it could not be."""
    if dry_run:
        echo(printable(f"==> {shown(target)} <=="))
        echo(text, nl=False)
        return True
    try:
        with created(target.parent, target.name) as out:
            out.write(text.encode("utf-8"))
    except OSError as exc:
        _error(report, post.path, 0, f"its brief is not written: {_not_written(target, exc)}", echo)
        return False
    echo(printable(f"Created {shown(target)}"))
    return True


def _copy(file: Path, folder: Path, name: str, dry_run: bool, report: Report) -> None:
    """Copy `file` to `folder/name` (a path beside the brief)."""
    dest = folder / name
    if not dry_run:
        try:
            with file.open("rb") as source, created(folder, name) as out:
                shutil.copyfileobj(source, out)
        except OSError as exc:
            report.errors.append(f"{shown(file)}: not copied: {_not_written(dest, exc)}")
            return
    report.copied.append(f"{shown(file)} -> {shown(dest)}")


def _not_written(path: Path, exc: OSError) -> str:
    """Why `path` could not be written."""
    if isinstance(exc, Linked):
        return f"{shown(exc.link)} is a symbolic link; nothing is written through one"
    if isinstance(exc, FileExistsError):
        return f"{shown(path)} already exists; not overwritten"
    return f"{shown(path)} cannot be written ({exc.strerror or exc})"


def _summary(label: str, report: Report, dry_run: bool, echo) -> None:
    def count(number: int, noun: str) -> str:
        return f"{number} {noun}" + ("s" if noun == "error" and number != 1 else "")

    head = "Dry run, nothing was written; would migrate" if dry_run else "Migrated"
    echo(f"{head} from {label}: {count(len(report.converted), 'converted')}, {count(len(report.skipped), 'skipped')}"
         f", {count(len(report.not_converted), 'not converted')}, {count(len(report.errors), 'error')}.")
    echo(f"Headers converted: {report.headers}")
    if report.templates:
        echo(f"Template expressions converted: {report.templates}")
    for title, lines in (("Links rewritten", report.links), ("Files copied", report.copied)):
        echo(f"{title}: {len(lines)}")
        for line in lines:
            echo(printable(f"  {line}"))
    for title, lines in (("Authors added to data/authors.yml", report.authors),
                         ("Read as the old site read them", report.repaired),
                         ("Removed, hidden on the old site", report.removed),
                         ("Links to pages of the old site, now absolute", report.old_site_links),
                         ("Files missing from the old site", report.missing_files),
                         ("Left out, this build cannot take them", report.left_out),
                         ("Not converted", report.not_converted),
                         ("Renamed, their name or slug being taken (their old URLs lead to them)", report.renamed),
                         ("Old URLs left out", report.old_urls_left_out),
                         ("Unknown shortcodes/tags, left as they are", report.unknown),
                         ("Links not resolved, left as they are", report.unresolved),
                         ("Skipped", report.skipped), ("Errors", report.errors)):
        if lines:
            echo(f"{title}:")
            for line in lines:
                echo(printable(f"  {line}"))


class _Dumper(yaml.SafeDumper):
    """Safe YAML with term lists on one line, `tags: [a, b]`, and dates as plain ISO 8601."""

    def represent_list(self, data):
        flow = all(isinstance(item, str) for item in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    def represent_when(self, data):
        return self.represent_scalar("tag:yaml.org,2002:timestamp", data.isoformat())


_Dumper.add_representer(list, _Dumper.represent_list)
_Dumper.add_representer(date, _Dumper.represent_when)
_Dumper.add_representer(datetime, _Dumper.represent_when)


def brief_text(post: Post, body: str, config: Config, tags_to: str, categories_to: str,
               image: str | dict | None = None) -> str:
    """The brief file: YAML header in the README's order, then the body."""
    header: dict = {"title": post.title, "date": post.day}
    if post.updated:
        header["updated"] = post.updated
    for key in ("publish_at", "expires"):
        if getattr(post, key):
            header[key] = getattr(post, key)
    if post.summary:
        header["summary"] = post.summary
    if post.slug:
        header["slug"] = post.slug
    if post.draft:
        header["draft"] = True
    if len(post.authors) == 1:
        header["author"] = post.authors[0]
    elif post.authors:
        header["authors"] = post.authors
    taxonomies: dict[str, list[str]] = {}
    for name, items in ((categories_to, post.categories), (tags_to, post.tags)):
        known = {term_key(term) for term in taxonomies.get(name, [])}
        for item in items:
            if term_key(item) not in known:
                known.add(term_key(item))
                taxonomies.setdefault(name, []).append(item)
    header.update({name: taxonomies[name] for name in config.taxonomy_names if name in taxonomies})
    if image:
        header["image"] = image
    aliases = list(dict.fromkeys(post.aliases))
    if aliases:
        header["aliases"] = aliases
    text = yaml.dump(header, Dumper=_Dumper, default_flow_style=False, allow_unicode=True, sort_keys=False,
                     width=1000)
    body = body.strip("\n")
    return f"---\n{text}---\n\n{body}\n" if body else f"---\n{text}---\n"
