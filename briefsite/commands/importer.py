"""`import`: raw wire reports into briefs, written beside the site's own and never over them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click
import yaml

from ..config import Config
from ..config.load import load_site_config
from ..errors import printable, shown, within
from ..model.brief import Brief
from ..reading.brief import parse_brief
from ..reading.data import load_data
from ..reading.files import BRIEFS_DIR, find_briefs
from ..site.index import build_index
from ..values.slugs import slugify
from .wire import Report, Skip, read_report, suggest_terms

SLUG_LENGTH = 60  # with the date in front, the file name still makes the whole slug (80)


def import_reports(paths: list[Path], source: Path, day: str | None, title: str | None, dry_run: bool, echo) -> int:
    """Turn raw reports (files, or folders of .txt files) into briefs; 0 if all were imported, else 1."""
    hint = _option_date(day)
    config, _ = load_site_config(source)
    files, skipped = [], 0
    for path in paths:
        found = sorted(path.glob("*.txt")) if path.is_dir() else [path]
        if not found:
            echo(f"{shown(path)}: no .txt files in this folder", err=True)
            skipped += 1
        files += found
    if title is not None and len(files) > 1:
        raise click.UsageError(f"--title names one brief, but {len(files)} reports were given")
    briefs = _existing_briefs(source, config)
    data, _ = load_data(source, config)  # a broken data/ file must not block an import either: `build` reports it
    site = build_index(briefs, config, data=data)
    slugs = {brief.slug: brief.path for brief in briefs}
    written: dict[Path, str] = {}
    for file in files:
        try:
            target, text = _convert(file, source, hint, title, config, site, slugs, written)
            if not dry_run:
                _write(target, text)
        except Skip as reason:  # file names and reasons may hold anything: shown escaped
            echo(printable(f"{shown(file)}: {reason}"), err=True)
            skipped += 1
            continue
        written[target] = shown(file)
        if dry_run:
            echo(printable(f"==> {shown(target)} <=="))
            echo(text, nl=False)
        else:
            echo(printable(f"Created {shown(target)}"))
    count = len(written)
    noun = "brief" if count == 1 else "briefs"
    if dry_run:
        echo(f"Dry run: would import {count} {noun}, skipped {skipped}; nothing was written.")
    else:
        echo(f"Imported {count} {noun}, skipped {skipped}.")
    return 1 if skipped else 0


def _option_date(day: str | None) -> date | None:
    if day is None:
        return None
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {day!r}", param_hint="'--date'") from None


def _existing_briefs(source: Path, config: Config) -> list[Brief]:
    # A broken brief elsewhere must not block an import: `build` reports it.
    prefix = shown(source)
    briefs = []
    for path in find_briefs(source):
        name = path.relative_to(source).as_posix()
        try:
            data = path.read_bytes()
        except OSError:
            continue
        brief, _ = parse_brief(within(prefix, name), data, config)
        if brief:
            briefs.append(brief)
    return briefs


def _convert(file, source, hint, title, config, site, slugs, written) -> tuple[Path, str]:
    """The target path and full text of the brief made from `file`; raises Skip."""
    if hint is None:
        named = re.search(r"\d{4}-\d{2}-\d{2}", file.name)
        try:
            hint = date.fromisoformat(named.group()) if named else None
        except ValueError:
            hint = None
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise Skip(f"cannot be read ({exc.strerror})") from None
    report = read_report(data, hint, title)
    slug = f"{report.day.isoformat()}-{_short_slug(report.title)}"
    target = source / BRIEFS_DIR / f"{slug}.md"
    if target in written:
        raise Skip(f"{shown(target)} is already imported from {written[target]}")
    if target.exists():
        raise Skip(f"{shown(target)} already exists; not overwritten")
    _refuse_dangling(target)
    if slug in slugs:
        raise Skip(f"slug '{slug}' is already used by {slugs[slug]}")
    text = brief_text(report, suggest_terms(report.text, site), config)
    _, problems = parse_brief(shown(target), text.encode("utf-8"), config)
    if problems:  # a safety net: what is written must build
        raise Skip(f"the brief would not parse: {problems[0]}")
    return target, text


def _refuse_dangling(target: Path) -> None:
    """Raise Skip if `target` or its folder is a symbolic link to nowhere: nothing is written through one."""
    for path in (target.parent, target):
        if path.is_symlink() and not path.exists():
            raise Skip(f"{shown(path)} is a symbolic link to nowhere; nothing is written through it")


def _write(target: Path, text: str) -> None:
    """Create `target` holding `text`; raises Skip if it cannot, and never overwrites or follows a link."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as out:  # "x" (O_EXCL): never over a file or through a link
            out.write(text)
    except FileExistsError:  # made, or made a link, since it was checked
        raise Skip(f"{shown(target)} already exists; not overwritten") from None
    except OSError as exc:
        raise Skip(f"{shown(target)} cannot be written ({exc.strerror or exc})") from None


def _short_slug(title: str) -> str:
    slug = ""
    for word in slugify(title).split("-"):
        if slug and len(slug) + 1 + len(word) > SLUG_LENGTH:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug[:SLUG_LENGTH] or "report"


class _Dumper(yaml.SafeDumper):
    """Safe YAML with term lists on one line, `tags: [a, b]`, as the README writes them."""

    def represent_list(self, data):
        flow = all(isinstance(item, str) for item in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _Dumper.represent_list)


def brief_text(report: Report, terms: dict[str, list[str]], config: Config) -> str:
    """The brief file: YAML header in the README's order, then the body."""
    header = {"title": report.title, "date": report.day}
    if report.location:
        header["location"] = report.location
    header.update({name: terms[name] for name in config.taxonomy_names if terms.get(name)})
    if report.sources:
        header["sources"] = [{"name": name} for name in report.sources]
    text = yaml.dump(header, Dumper=_Dumper, default_flow_style=False, allow_unicode=True, sort_keys=False,
                     width=1000)
    return f"---\n{text}---\n\n{report.body}\n"
