"""The old site's authors into the site's data/authors.yml: added after the entries it has, never over one."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import yaml

from ...errors import shown
from ...filesystem import TooLarge, read_limited
from ...reading.records import DATA_DIR
from ...values.slugs import slugify
from ...yamlio import load
from .common import Author, Report
from .writing import Linked, created

AUTHORS_FILE = "authors.yml"


def bylines(handles: list[str], authors: dict[str, Author]) -> list[str]:
    """The names bylines show for the handles a post wrote: the old site's name for each it knows."""
    return [authors[handle].name if handle in authors else handle for handle in handles]


def existing_names(site: Path) -> set[str]:
    """The slugs of the names data/authors.yml already has (empty when it has none or cannot be read);
    raises TooLarge when it is larger than a text file may be."""
    path = site / DATA_DIR / AUTHORS_FILE
    try:
        text = read_limited(path).decode("utf-8-sig") if path.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return set()
    document, _ = load(text, shown(path))
    data = document.data if document is not None else None
    return {slugify(str(name)) for name in data} if isinstance(data, dict) else set()


def entries(used: list[Author], site: Path) -> list[Author]:
    """The authors to add: those used, once each, that data/authors.yml does not name yet."""
    known = existing_names(site)
    added = []
    for author in used:
        slug = slugify(author.name)
        if slug and slug not in known:
            known.add(slug)
            added.append(author)
    return added


def authors_yaml(authors: list[Author]) -> str:
    """data/authors.yml entries: name -> {bio, role, url}, each only where known."""
    data = {author.name: {key: value for key in ("bio", "role", "url") if (value := getattr(author, key))}
            for author in authors}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return text.replace(": {}\n", ":\n")


def add_authors(used: list[Author], site: Path, dry_run: bool, report: Report, echo) -> None:
    """Add the authors the briefs name to data/authors.yml (made if missing), keeping every entry it has."""
    path = site / DATA_DIR / AUTHORS_FILE
    try:
        added = entries(used, site)
    except TooLarge as exc:
        report.errors.append(f"{shown(path)}: authors not added (it {exc})")
        return
    if not added:
        return
    text = authors_yaml(added)
    if dry_run:
        echo(f"==> {shown(path)} (added) <==")
        echo(text, nl=False)
    else:
        try:
            _append(site / DATA_DIR, text)
        except OSError as exc:
            why = f"{shown(exc.link)} is a symbolic link" if isinstance(exc, Linked) else exc.strerror or exc
            report.errors.append(f"{shown(path)}: authors not added ({why})")
            return
    report.authors += [f"{author.name}" for author in added]


def _append(folder: Path, text: str) -> None:
    """Append `text` to folder/authors.yml, on a line of its own; make the file if there is none."""
    try:
        with created(folder, AUTHORS_FILE) as out:
            out.write(text.encode("utf-8"))
        return
    except FileExistsError:
        pass
    path = folder / AUTHORS_FILE
    try:
        handle = os.open(path, os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Linked(path) from None
        raise
    with os.fdopen(handle, "r+b") as out:
        size = out.seek(0, os.SEEK_END)
        if size:
            out.seek(size - 1)
            last = out.read(1)
            if last != b"\n":
                text = "\n" + text
        out.write(text.encode("utf-8"))
