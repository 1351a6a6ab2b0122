"""Dates as Ruby's `Time.parse` reads them for Jekyll: 'September 8, 2014', '2016-03-21 12:00 EDT'."""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timezone

from dateutil import parser as dateutil_parser

# Ruby's zone abbreviations (lib/date/zonetab): North American, UTC and the common European ones.
ZONES = {name: hours * 3600 for name, hours in {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10,
    "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
}.items()}

# Two defaults that differ in every part of a date: a part found in neither was never written.
_DEFAULTS = (datetime(2001, 2, 3), datetime(2004, 5, 6))


def lenient_date(text: str) -> date | datetime:
    """`text` read as Ruby's `Time.parse` would: words around a date ignored, zone names known; raises
    ValueError when it names no whole day (a date never falls back to today)."""
    cleaned = _normalised(text)
    try:
        with warnings.catch_warnings():  # a zone Ruby does not know ('IST') is no date, not a naive time
            warnings.simplefilter("error", dateutil_parser.UnknownTimezoneWarning)
            found = [dateutil_parser.parse(cleaned, default=default, fuzzy=True, tzinfos=ZONES)
                     for default in _DEFAULTS]
    except dateutil_parser.UnknownTimezoneWarning:
        raise ValueError(f"{text!r} names a time zone that is not known") from None
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{text!r} is not a date ({exc})") from None
    first, second = found
    if first.date() != second.date():
        raise ValueError(f"{text!r} names no whole day")
    if re.search(r"\d:\d\d", cleaned) is None:
        return first.date()
    offset = first.utcoffset()
    return first.replace(tzinfo=None if offset is None else timezone(offset))


def _normalised(text: str) -> str:
    """What Ruby skips, skipped: remarks in brackets, a year repeated after the time ('18:30:22 2023 -0800');
    a three-digit offset ('-400') written out ('-0400')."""
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"(\d{1,2}:\d\d(?::\d\d)?)\s+\d{4}\b", r"\1", text)
    text = re.sub(r"(?<=\d)([+-])(\d)(\d\d)\b", r"\g<1>0\2\3", text)
    return " ".join(text.split())
