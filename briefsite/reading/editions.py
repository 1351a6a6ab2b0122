"""`editions/<id>.md`: a desk's introduction to one edition (`2025-w09.md`, `2025-02-27.md`, `2025-02.md`): a
small header (title, summary, and for a monthly report each country's trend) and Markdown."""

from __future__ import annotations

import re
from pathlib import Path

from .. import yamlio
from ..config import Config
from ..errors import BuildError, within
from ..filesystem import TooLarge, not_a_file, read_limited
from ..model.edition import TRENDS, Intro
from . import markup
from .brief import split_front_matter
from .fields import describe

EDITIONS_DIR = "editions"
INTRO_KEYS = ("title", "summary", "trends")
EDITION_ID = re.compile(r"\d{4}-(?:\d{2}-\d{2}|w\d{2}|\d{2})")  # a day, an ISO week, a month


def load_intros(source: Path, config: Config, shown: str = "") -> tuple[tuple[Intro, ...], list[BuildError]]:
    """Every introduction in the site's editions/ folder (none without one), and what is wrong with them."""
    folder = source / EDITIONS_DIR
    if not config.editions or not folder.is_dir():
        return (), []
    intros, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.suffix != ".md" or path.name.startswith("."):
            continue
        file = within(shown, f"{EDITIONS_DIR}/{path.name}")
        if not EDITION_ID.fullmatch(path.stem):
            problems.append(BuildError(file, 0, 0, "not an edition's name; expected the id of a day, an ISO week or "
                                                   "a month, as in 2025-02-27.md, 2025-w09.md or 2025-02.md"))
            continue
        intro = _intro(path, file, config, problems)
        if intro:
            intros.append(intro)
    return tuple(intros), problems


def _intro(path: Path, file: str, config: Config, problems: list) -> Intro | None:
    if kind := not_a_file(path):
        problems.append(BuildError(file, 0, 0, f"is {kind}, not a file"))
        return None
    try:
        text = read_limited(path).decode("utf-8-sig")
    except (UnicodeDecodeError, TooLarge) as exc:
        reason = f"not valid UTF-8 (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else str(exc)
        problems.append(BuildError(file, 0, 0, reason))
        return None
    split = split_front_matter(text, file)
    if isinstance(split, BuildError):
        problems.append(split)
        return None
    header, body = split
    doc, more = yamlio.load(header, file, first_line=2, clean=True)
    problems += more
    data = doc.data if doc is not None and doc.data is not None else {}
    if not isinstance(data, dict):
        problems.append(BuildError(file, 2, 1, f"expected a header with title, summary and trends, got "
                                               f"{describe(data)}"))
        return None
    before = len(problems)
    for key, value in data.items():
        line, col = doc.where((key,))
        if key not in INTRO_KEYS:
            problems.append(BuildError(file, line, col, f"unknown key '{key}'; an edition's introduction has title, "
                                                        "summary and trends"))
        elif key in ("title", "summary") and not (isinstance(value, str) and value.strip()):
            problems.append(BuildError(file, line, col, f"{key}: expected text, got {describe(value)}"))
    trends = _trends(data.get("trends"), doc, file, problems)
    if len(problems) > before:
        return None
    html = markup.render_body(body, config.markdown_extensions, config.allow_raw_html).html if body.strip() else ""
    return Intro(path.stem, _text(data.get("title")), _text(data.get("summary")), html, trends, file)


def _trends(value, doc, file: str, problems: list) -> tuple[tuple[str, str], ...]:
    """Each country's trend in the period, as written: {Myanmar: deteriorated, Thailand: unchanged}."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        line, col = doc.where(("trends",))
        problems.append(BuildError(file, line, col, "trends: expected a mapping of countries to deteriorated, "
                                                    f"improved or unchanged, got {describe(value)}"))
        return ()
    found = []
    for country, trend in value.items():
        line, col = doc.where(("trends", country))
        if not isinstance(trend, str) or trend.strip().lower() not in TRENDS:
            problems.append(BuildError(file, line, col, f"trends.{country}: expected deteriorated, improved or "
                                                        f"unchanged, got {describe(trend)}"))
            continue
        found.append((str(country), trend.strip().lower()))
    return tuple(found)


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) else None
