"""`migrate`: a Jekyll, Hugo or Pelican site's posts into briefs, written beside the site's own and never over them.

Each peer (jekyll.py, hugo.py, pelican.py) finds its posts and reads each into a `Post`, already in
briefsite's terms; this module names the briefs, rewrites their links, writes them and their files,
and prints what it did and what it could not do.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from functools import partial
from pathlib import Path

import click
import yaml

from ...config import Config, load_site_config
from ...errors import display, printable
from ...reading.brief import parse_brief
from ...reading.files import BRIEFS_DIR
from ...site.slugs import term_key
from .common import Links, Post, Problem, Report
from .hugo import Hugo
from .jekyll import Jekyll
from .pelican import Pelican

PEERS = {"jekyll": Jekyll, "hugo": Hugo, "pelican": Pelican}


def migrate_site(peer_name: str, src: Path, site: Path, dry_run: bool, tags_to: str, categories_to: str,
                 echo) -> int:
    """Convert the peer's posts under `src` into `site`'s briefings/; 0 if every post could be read, else 1."""
    config, _ = load_site_config(site)
    for option, name in (("--tags-to", tags_to), ("--categories-to", categories_to)):
        if name not in config.taxonomy_names:
            raise click.UsageError(f"{option}: '{name}' is not a taxonomy of this site; "
                                   f"it has {', '.join(config.taxonomy_names)}")
    peer = PEERS[peer_name](src)
    report = Report()
    posts: list[Post] = []
    for path, reason in peer.candidates():
        if reason:
            report.not_converted.append(f"{display(path)}: {reason}")
            continue
        try:
            posts.append(peer.read(path))
        except Problem as problem:
            _error(report, path, problem.line, str(problem), echo)
    targets = _targets(posts, site / BRIEFS_DIR, report)
    links = Links(peer.root, {post.path.resolve(): target.name for post, target in targets}, report)
    for post, target in targets:
        if target.exists() or target.is_symlink():
            report.skipped.append(f"{display(target)} already exists; not overwritten (from {display(post.path)})")
            continue
        for file in peer.bundle_files(post):
            links.copy(post, file.resolve())
        body = links.rewrite(post, peer.pattern, partial(peer.tag, links))
        text = brief_text(post, body, config, tags_to, categories_to)
        _, problems = parse_brief(display(target), text.encode("utf-8"), config)
        errors = [problem for problem in problems if not problem.warning]
        if errors:  # a safety net: what is written must build
            _error(report, post.path, 0, f"the brief would not build: {errors[0].message}", echo)
            continue
        if not _put(target, text, dry_run, report, echo):
            continue
        report.converted.append((display(target), display(post.path)))
        report.headers += 1
        for file, name in links.assets.get(post.path, []):
            _copy(file, target.parent / post.stem / name, dry_run, report)
    _summary(peer.label, report, dry_run, echo)
    return 1 if report.errors else 0


def _error(report: Report, path: Path, line: int, message: str, echo) -> None:
    where = f"{display(path)}:{line}" if line else display(path)
    report.errors.append(printable(f"{where}: {message}"))
    echo(report.errors[-1], err=True)


def _targets(posts: list[Post], folder: Path, report: Report) -> list[tuple[Post, Path]]:
    """Each post with its brief's path; a post whose name or slug another post already has is skipped."""
    targets, names, slugs = [], {}, {}
    for post in sorted(posts, key=lambda post: post.path):
        target = folder / f"{post.stem}.md"
        if target.name in names:
            report.skipped.append(f"{display(post.path)}: its brief {display(target)} is already made from "
                                  f"{display(names[target.name])}")
            continue
        if post.slug and post.slug in slugs:
            report.skipped.append(f"{display(post.path)}: slug '{post.slug}' is already used by "
                                  f"{display(slugs[post.slug])}")
            continue
        names[target.name] = post.path
        if post.slug:
            slugs[post.slug] = post.path
        targets.append((post, target))
    return targets


def _put(target: Path, text: str, dry_run: bool, report: Report, echo) -> bool:
    """Write the brief (or in a dry run print it); False if it was skipped."""
    if dry_run:
        echo(printable(f"==> {display(target)} <=="))
        echo(text, nl=False)
        return True
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as out:  # "x" (O_EXCL): never over a file or through a link
            out.write(text)
    except FileExistsError:
        report.skipped.append(f"{display(target)} already exists; not overwritten")
        return False
    except OSError as exc:
        report.errors.append(f"{display(target)}: cannot be written ({exc.strerror or exc})")
        echo(report.errors[-1], err=True)
        return False
    echo(printable(f"Created {display(target)}"))
    return True


def _copy(file: Path, dest: Path, dry_run: bool, report: Report) -> None:
    if dest.exists() or dest.is_symlink():
        report.skipped.append(f"{display(dest)} already exists; not overwritten (from {display(file)})")
        return
    if not dry_run:
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with file.open("rb") as source, dest.open("xb") as out:
                shutil.copyfileobj(source, out)
        except FileExistsError:
            report.skipped.append(f"{display(dest)} already exists; not overwritten (from {display(file)})")
            return
        except OSError as exc:
            report.errors.append(f"{display(dest)}: cannot be copied from {display(file)} ({exc.strerror or exc})")
            return
    report.copied.append(f"{display(file)} -> {display(dest)}")


def _summary(label: str, report: Report, dry_run: bool, echo) -> None:
    def count(number: int, noun: str) -> str:
        return f"{number} {noun}" + ("s" if noun == "error" and number != 1 else "")

    head = "Dry run, nothing was written; would migrate" if dry_run else "Migrated"
    echo(f"{head} from {label}: {count(len(report.converted), 'converted')}, {count(len(report.skipped), 'skipped')}"
         f", {count(len(report.not_converted), 'not converted')}, {count(len(report.errors), 'error')}.")
    echo(f"Headers converted: {report.headers}")
    for title, lines in (("Links rewritten", report.links), ("Files copied", report.copied)):
        echo(f"{title}: {len(lines)}")
        for line in lines:
            echo(printable(f"  {line}"))
    for title, lines in (("Not converted", report.not_converted),
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


def brief_text(post: Post, body: str, config: Config, tags_to: str, categories_to: str) -> str:
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
    aliases = list(dict.fromkeys(post.aliases))
    if aliases:
        header["aliases"] = aliases
    text = yaml.dump(header, Dumper=_Dumper, default_flow_style=False, allow_unicode=True, sort_keys=False,
                     width=1000)
    body = body.strip("\n")
    return f"---\n{text}---\n\n{body}\n" if body else f"---\n{text}---\n"
