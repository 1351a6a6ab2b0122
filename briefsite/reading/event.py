"""When what a brief reports happened: a day, month or year, a span of them, or circa."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..errors import BuildError
from ..model.brief import Event
from .fields import Invalid, describe

_EVENT_POINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][\d:.+Z-]*)?)?)?")
EVENT_KEYS = ("date", "start", "end", "circa")


def event(value, config) -> Event | None:
    """When it happened: a day, month or year (2025-02-27, 2025-02, 2025), {start, end}, or
    {date, circa: true}; each kept at its precision."""
    if value is None:
        return None
    if not isinstance(value, dict):
        start, end, precision = _event_point(value, ())
        return Event(start, end, precision, precision)
    unknown = [key for key in value if key not in EVENT_KEYS]
    if unknown:
        raise Invalid((unknown[0],), f"unknown key '{unknown[0]}'; expected date, or start and end, and circa")
    circa = value.get("circa", False)
    if not isinstance(circa, bool):
        raise Invalid(("circa",), f"expected true or false, got {describe(circa)}")
    if "date" in value:
        if "start" in value or "end" in value:
            raise Invalid(("date",), "give either date, or start and end, not both")
        start, end, precision = _event_point(value["date"], ("date",))
        return Event(start, end, precision, precision, circa)
    if "start" not in value:
        raise Invalid((), "expected a date, or a start (and an end)")
    start, first_end, precision = _event_point(value["start"], ("start",))
    if value.get("end") is None:
        return Event(start, first_end, precision, precision, circa)
    _, end, end_precision = _event_point(value["end"], ("end",))
    if end < start:
        raise Invalid(("end",), f"{value['end']} is before the start, {value['start']}")
    return Event(start, end, precision, end_precision, circa, ranged=True)


def _event_point(value, key: tuple) -> tuple[date, date, str]:
    """A day, month or year as (its first day, its last day, its precision)."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    found = _EVENT_POINT.fullmatch(text) if text else None
    if not found:
        raise Invalid(key, f"expected a day, month or year (2025-02-27, 2025-02 or 2025), got {describe(value)}")
    year, month, day = found.groups()
    try:
        if day:
            first = last = date(int(year), int(month), int(day))
            return first, last, "day"
        if month:
            first = date(int(year), int(month), 1)
            last = date(int(year) + (first.month == 12), first.month % 12 + 1, 1) - timedelta(days=1)
            return first, last, "month"
        return date(int(year), 1, 1), date(int(year), 12, 31), "year"
    except (ValueError, OverflowError) as exc:
        raise Invalid(key, f"{text!r} is not a real date ({exc})") from None


def check_event(file, fields: dict, doc, problems) -> None:
    """An event is filed on or after it happens: one starting after the brief's date is an error."""
    happened, filed = fields.get("event"), fields.get("date")
    if happened is not None and isinstance(filed, tuple) and happened.start > filed[0].date():
        line, col = doc.where(("event",))
        problems.append(BuildError(file, line, col, f"event: starts on {happened.start.isoformat()}, after the "
                                   f"brief's date {filed[0].date().isoformat()}; a brief is filed on or after "
                                   "what it reports"))
