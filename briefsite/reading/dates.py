"""A brief's dates: ISO 8601 text read, and each moment put in the site's timezone."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from ..config import Config
from ..errors import BuildError
from .fields import Invalid, describe, quoted

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value) -> datetime | date:
    """A date or date-time from ISO 8601 text; naive date-times stay naive."""
    if isinstance(value, date):  # written with an explicit !!timestamp tag
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text)
        except ValueError as exc:
            raise Invalid((), f"{text!r} is not a real date or time ({exc})") from None
    raise Invalid((), f"expected a date as YYYY-MM-DD or an ISO 8601 date-time, got {describe(value)}")


def required_date(value, config):
    """The brief's date, which every brief has."""
    if value is None:
        raise Invalid((), "missing; every brief needs a title and a date")
    return parse_date(value)


def optional_date(value, config):
    """A date a brief may give: `updated`, `publish_at`, `expires`."""
    return None if value is None else parse_date(value)


def in_zone(value: datetime | date, config: Config) -> tuple[datetime, bool]:
    """The moment in the site's timezone, and whether a time of day was given."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), config.tz), False
    if value.tzinfo is None:
        return value.replace(tzinfo=config.tz), True
    return value.astimezone(config.tz), True


def moments_in_zone(file: str, header: dict, fields: dict, doc, config: Config, problems: list) -> None:
    """The header's dates in `fields` put in the site's timezone, each as (moment, whether a time was given)."""
    for key in ("date", "updated", "publish_at", "expires"):
        if fields.get(key) is not None:
            try:
                fields[key] = in_zone(fields[key], config)
            except OverflowError:  # 0001-01-01T00:00+05:00 is before year 1 in UTC
                line, col = doc.where((key,))
                problems.append(BuildError(file, line, col, f"{key}: {quoted(header[key])} falls outside the years "
                                           f"1 to 9999 in the site's timezone ({config.timezone})"))
