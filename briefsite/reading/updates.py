"""A brief's log of updates and corrections: each entry read, then dated in the site's timezone."""

from __future__ import annotations

from ..errors import BuildError
from ..model.brief import UPDATE_KINDS, Update
from .dates import in_zone, parse_date
from .fields import Invalid, describe, text


def updates(value, config) -> tuple:
    """The log as (date, kind, note) entries as written; dates are put in the timezone later."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise Invalid((), "expected a list of {date, type, note}")
    entries = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise Invalid((index,), f"expected {{date, type, note}}, got {describe(item)}")
        unknown = [key for key in item if key not in ("date", "type", "note")]
        if unknown:
            raise Invalid((index, unknown[0]), f"unknown key '{unknown[0]}'; expected date, type and note")
        for key in ("date", "type", "note"):
            if item.get(key) is None:
                raise Invalid((index,), f"an entry needs a date, a type ({' or '.join(UPDATE_KINDS)}) and a note")
        try:
            when = parse_date(item["date"])
        except Invalid as exc:
            raise Invalid((index, "date"), str(exc)) from None
        kind = item["type"]
        if kind not in UPDATE_KINDS:
            raise Invalid((index, "type"), f"expected {' or '.join(UPDATE_KINDS)}, got {describe(kind)}")
        entries.append((when, kind, text(item["note"], (index, "note"))))
    return tuple(entries)


def updates_in_zone(file, fields: dict, doc, config, problems) -> tuple:
    """The log, newest first, its dates in the site's timezone; an entry before the brief's date is an error."""
    filed = fields.get("date")
    entries = []
    for index, (when, kind, note) in enumerate(fields.get("updates") or ()):
        moment, timed = in_zone(when, config)
        if isinstance(filed, tuple) and moment < filed[0]:
            line, col = doc.where(("updates", index, "date"))
            problems.append(BuildError(file, line, col, f"updates: {moment.isoformat()} is before the brief's "
                                       f"date {filed[0].isoformat()}"))
        entries.append(Update(moment, timed, kind, note))
    return tuple(sorted(entries, key=lambda u: u.date, reverse=True))
