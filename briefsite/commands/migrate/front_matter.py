"""A peer's files read: text with LF line endings, front matter (YAML, TOML or JSON), a key's line, dates."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from ... import yamlio
from ...filesystem import TooLarge, read_limited
from .common import Problem


def read_text(path: Path) -> str:
    """The file's text with LF line endings; raises Problem if it cannot be read or is not UTF-8."""
    try:
        data = read_limited(path)
    except TooLarge as exc:
        raise Problem(0, str(exc)) from None
    except OSError as exc:  # a named pipe too: opened without waiting, it is no regular file
        raise Problem(0, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Problem(0, f"is not UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def front_matter(text: str, max_size: int, formats: str = "yaml") -> tuple[dict, list[str], str, int]:
    """(header, header lines, body, body's first line) of a file with `---` YAML (or with "toml"/"json" in
    `formats`, `+++` TOML or a JSON object) front matter; a file without one has an empty header.

    A YAML header is held to the build's bound: `max_size` characters with its aliases written out.
    """
    lines = text.split("\n")
    fence = lines[0].rstrip()
    if fence == "---" or (fence == "+++" and "toml" in formats):
        for index in range(1, len(lines)):
            if lines[index].rstrip() == fence:
                header_lines = lines[1:index]
                body = "\n".join(lines[index + 1:])
                header = "\n".join(header_lines)
                loaded = _yaml(header, max_size) if fence == "---" else _toml(header, max_size)
                return loaded, header_lines, body, index + 2
        raise Problem(1, f"the header opened with '{fence}' is never closed")
    if "json" in formats and text.startswith("{"):
        try:
            header, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            raise Problem(exc.lineno, f"header is not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise Problem(1, "header is not valid JSON: nested too deeply") from None
        if end > max_size:
            raise Problem(1, f"the header is larger than {max_size} characters (max_header_size in site.yml)")
        line = text.count("\n", 0, end) + 1
        return _mapping(header, 1), text[:end].split("\n"), text[end:].lstrip(" ").removeprefix("\n"), line + 1
    return {}, [], text, 1


def _yaml(text: str, max_size: int) -> dict:
    # The build's own loader and bounds: an alias bomb is measured and refused, never expanded.
    document, problems = yamlio.load(text, "", first_line=2, max_size=max_size)
    if document is None:
        problem = problems[0]
        message = problem.message
        if message.startswith("invalid YAML: "):
            message = "header is not valid YAML: " + message.removeprefix("invalid YAML: ")
        raise Problem(problem.line or 1, message)
    return _mapping(document.data, 1)


def _toml(text: str, max_size: int) -> dict:
    if len(text) > max_size:  # TOML has no aliases: its size is its text's
        raise Problem(1, f"the header is larger than {max_size} characters (max_header_size in site.yml)")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise Problem(1, "header is not valid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(found.group(1)) + 1 if found else 1
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)
        raise Problem(line, f"header is not valid TOML: {message}") from None


def _mapping(header, line: int) -> dict:
    if header is None:
        return {}
    if not isinstance(header, dict):
        raise Problem(line, "header is not a mapping of keys to values")
    return header


def key_line(header_lines: list[str], key: str, first: int = 2) -> int:
    """The file's line of `key` in a header whose first line is line `first`."""
    pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*[:=]", re.IGNORECASE)
    for index, line in enumerate(header_lines):
        if pattern.match(line):
            return first + index
    return first


_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
                   r"\s*(Z|[+-]\d{2}:?\d{2})?")


def peer_date(value) -> date | datetime:
    """A date or date-time as Jekyll, Hugo or Pelican write them; raises ValueError if it is none."""
    if isinstance(value, datetime | date):
        return value
    if hasattr(value, "hour") and hasattr(value, "isoformat"):  # a TOML local time alone
        raise ValueError(f"{value} is a time of day without a date")
    text = str(value).strip()
    found = _DATE.fullmatch(text)
    if not found:
        raise ValueError(f"{text!r} is not a date as YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] [+HH:MM]")
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        tz = None
        if zone == "Z":
            tz = UTC
        elif zone:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                        int((fraction or "0").ljust(6, "0")), tzinfo=tz)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date or time ({exc})") from None


def header_date(header: dict, lines: list[str], key: str, default=None, first: int = 2):
    """The date under `key` (else `default`, else None); raises Problem on its line if it is not one."""
    value = header.get(key)
    if value is None:
        return None if default is None else peer_date(default)
    try:
        return peer_date(value)
    except ValueError as exc:
        raise Problem(key_line(lines, key, first), f"{key}: {exc}") from None
