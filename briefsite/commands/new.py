"""`new`: start a brief with a filled-in header."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from ..config.load import load_config
from ..errors import BuildError, BuildFailed, fail_on_errors, shown
from ..reading.brief import parse_brief
from ..reading.dates import parse_date
from ..reading.fields import Invalid
from ..reading.files import BRIEFS_DIR
from ..values.slugs import slugify


def new_brief(source: Path, title: str, day: str | None, location: str | None,
              terms: dict[str, tuple[str, ...]], cites: tuple[str, ...]) -> Path:
    """Write briefings/<date>-<slug>.md and return its path; never overwrites."""
    config, problems = load_config(source, shown(source))
    fail_on_errors(problems)
    header: dict = {"title": title.strip(), "date": _date(day, config)}
    if location:
        header["location"] = location
    for taxonomy, names in terms.items():
        if names and taxonomy not in config.taxonomy_names:
            raise BuildFailed([BuildError("site.yml", 0, 0, f"'{taxonomy}' is not a taxonomy of this site; "
                                          f"it has {', '.join(config.taxonomy_names)}")])
        if names:
            header[taxonomy] = list(names)
    if cites:
        header["sources"] = [_source(cite) for cite in cites]
    slug = slugify(title)
    if not slug:
        raise BuildFailed([BuildError("new", 0, 0, f"no file name can be made from the title {title!r}")])
    path = source / BRIEFS_DIR / f"{str(header['date'])[:10]}-{slug}.md"
    text = "---\n" + yaml.safe_dump(header, allow_unicode=True, sort_keys=False) + "---\n\n"
    brief, problems = parse_brief(shown(path), text.encode(), config)
    fail_on_errors(problems)  # what `new` writes always builds
    _write(path, text)
    return path


def _write(path: Path, text: str) -> None:
    """Create `path` holding `text`; raises BuildFailed if it exists, is a dangling link, or cannot be written."""
    for where in (path.parent, path):
        if where.is_symlink() and not where.exists():
            message = "is a symbolic link to nowhere; nothing is written through it"
            raise BuildFailed([BuildError(shown(where), 0, 0, message)])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:  # "x" (O_EXCL): never over a file or through a link
            file.write(text)
    except FileExistsError:
        message = "already exists; edit it, or choose another title"
        raise BuildFailed([BuildError(shown(path), 0, 0, message)]) from None
    except OSError as exc:
        raise BuildFailed([BuildError(shown(path), 0, 0, f"cannot be written ({exc.strerror or exc})")]) from None


def _date(day: str | None, config) -> str:
    """The brief's date as written in its header: as given, else today in the site's timezone."""
    if day is None:
        return datetime.now(config.tz).date().isoformat()
    try:
        parse_date(day)
    except Invalid as exc:
        raise BuildFailed([BuildError("--date", 0, 0, str(exc))]) from None
    return day


def _source(cite: str) -> dict:
    name, _, url = cite.partition("=")
    return {"name": name.strip(), "url": url.strip()} if url.strip() else {"name": name.strip()}
