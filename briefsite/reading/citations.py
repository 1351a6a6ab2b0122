"""The sources a brief cites: each one's name, link, the day it was read and its Admiralty credibility."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from urllib.parse import urlsplit

from ..errors import BuildError
from ..model.brief import Source
from .dates import parse_date
from .fields import Invalid, quoted, text


def sources(value, config) -> tuple[Source, ...]:
    """The sources cited: each a name, or {name, url, accessed, credibility}."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_source(item, (index,)) for index, item in enumerate(items))


SOURCE_KEYS = ("name", "url", "accessed", "credibility")


def _source(item, key) -> Source:
    if not isinstance(item, dict):
        return Source(text(item, key))
    unknown = [k for k in item if k not in SOURCE_KEYS]
    if unknown:
        raise Invalid(key + (unknown[0],), f"unknown key '{unknown[0]}' in a source; expected name, url, "
                                           "accessed and credibility")
    if item.get("name") is None:
        raise Invalid(key, "a source needs a name")
    name = text(item["name"], key + ("name",))
    url = None if item.get("url") is None else text(item["url"], key + ("url",))
    return Source(name, url, _accessed(item.get("accessed"), key + ("accessed",)),
                  _credibility(item.get("credibility"), key + ("credibility",)))


def _accessed(value, key) -> date | None:
    """The day a source was read: a date, as YYYY-MM-DD."""
    if value is None:
        return None
    try:
        day = parse_date(value)
    except Invalid as exc:
        raise Invalid(key, str(exc)) from None
    if isinstance(day, datetime):
        raise Invalid(key, f"expected the day the source was read, as YYYY-MM-DD, got {quoted(value)}")
    return day


def _credibility(value, key) -> int | None:
    """Admiralty code: how credible this information is, 1 (confirmed) to 6 (cannot be judged)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        raise Invalid(key, f"credibility {quoted(value)} is not 1 to 6 (Admiralty code: 1 confirmed, 2 probably "
                           "true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged)")
    return value


def safe_sources(file, cited, doc, problems) -> tuple[Source, ...]:
    """The sources cited, each link that is not http(s) left out with a warning."""
    # A bad link is dropped, not the source: the name is still worth citing.
    safe = []
    for index, source in enumerate(cited):
        if not source.url:
            safe.append(source)
            continue
        try:
            why = None if urlsplit(source.url).scheme.lower() in ("http", "https") else "is not an http(s) URL"
        except ValueError as exc:  # "http://[", or a host that NFKC-normalises into a separator
            why = f"is not a valid URL ({exc})"
        if why:
            line, col = doc.where(("sources", index, "url"))
            problems.append(BuildError(
                file, line, col, f"sources: link {source.url!r} {why} and is left out", warning=True))
            source = dataclasses.replace(source, url=None)
        safe.append(source)
    return tuple(safe)
