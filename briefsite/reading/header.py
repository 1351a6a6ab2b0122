"""The fields of a brief's header: each key's reader, and what it says when a value is wrong."""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from urllib.parse import unquote, urlsplit

from .. import yamlio
from ..config import BRIEF_KEYS, Config, did_you_mean
from ..errors import BuildError
from ..model.brief import UPDATE_KINDS, Attachment, Event, LeadImage, Source, Update
from ..values.slugs import is_segment, slugify, term_key
from ..values.tlp import checked_audience
from .files import brief_name

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_header(file: str, doc: yamlio.Document, config: Config, problems: list) -> tuple[dict, list]:
    """Every field of a brief's header read, and its terms by taxonomy; what is wrong goes to `problems`."""
    header = _from_file_name(file, doc.data, problems)
    wrong = _non_finite(file, header, doc, problems)
    fields = {}
    for key, read in READERS.items():
        try:
            fields[key] = None if key in wrong else read(header.get(key), config)
        except Invalid as exc:
            line, col = doc.where((key, *exc.key))
            problems.append(BuildError(file, line, col, f"{key}: {exc}"))
    terms = []
    allowed = dict(config.vocabulary)
    for taxonomy in config.taxonomies:
        name = taxonomy.name
        try:
            value = header.get(name)
            if isinstance(value, str) and taxonomy.split:  # Jekyll's "a b c", Pelican's "a, b"
                value = [part for part in value.split(taxonomy.split) if part.strip()]
            terms.append((name, () if name in wrong else _read_terms(value, allowed.get(name))))
        except Invalid as exc:
            line, col = doc.where((name, *exc.key))
            problems.append(BuildError(file, line, col, f"{name}: {exc}"))
    _check_term_count(file, terms, doc, config, problems)
    _warn_unknown(file, header, doc, config, problems)
    fields["sources"] = _safe_sources(file, fields.get("sources") or (), doc, problems)
    fields["authors"] = _one_of_authors(file, header, fields, doc, problems)
    if fields.get("thread"):
        fields["thread"] = (fields["thread"], *doc.where(("thread",)))
    fields["attachments"] = tuple(Attachment(target, title, *doc.where(("attachments", index)))
                                  for index, (target, title) in enumerate(fields.get("attachments") or ()))
    if fields.get("image"):
        fields["image"] = _lead_image(file, fields["image"], doc, problems)
    fields["aliases"] = tuple((url, *doc.where((key, index))) for key in ("aliases", "redirect_from")
                              for index, url in enumerate(fields.pop(key, None) or ()))
    _add_extra_keys(file, header, doc, config, fields, problems)
    for key in ("date", "updated", "publish_at", "expires"):
        if fields.get(key) is not None:
            try:
                fields[key] = _in_zone(fields[key], config)
            except OverflowError:  # 0001-01-01T00:00+05:00 is before year 1 in UTC
                line, col = doc.where((key,))
                problems.append(BuildError(file, line, col, f"{key}: {_shown(header[key])} falls outside the years "
                                           f"1 to 9999 in the site's timezone ({config.timezone})"))
    _check_embargo(file, fields, doc, problems)
    _check_event(file, fields, doc, problems)
    fields["updates"] = _updates_in_zone(file, fields, doc, config, problems)
    return fields, terms


def _updates_in_zone(file, fields: dict, doc, config, problems) -> tuple:
    """The log, newest first, its dates in the site's timezone; an entry before the brief's date is an error."""
    filed = fields.get("date")
    entries = []
    for index, (when, kind, note) in enumerate(fields.get("updates") or ()):
        moment, timed = _in_zone(when, config)
        if isinstance(filed, tuple) and moment < filed[0]:
            line, col = doc.where(("updates", index, "date"))
            problems.append(BuildError(file, line, col, f"updates: {moment.isoformat()} is before the brief's "
                                       f"date {filed[0].isoformat()}"))
        entries.append(Update(moment, timed, kind, note))
    return tuple(sorted(entries, key=lambda u: u.date, reverse=True))


def _check_event(file, fields: dict, doc, problems) -> None:
    """An event is filed on or after it happens: one starting after the brief's date is an error."""
    event, filed = fields.get("event"), fields.get("date")
    if event is not None and isinstance(filed, tuple) and event.start > filed[0].date():
        line, col = doc.where(("event",))
        problems.append(BuildError(file, line, col, f"event: starts on {event.start.isoformat()}, after the "
                                   f"brief's date {filed[0].date().isoformat()}; a brief is filed on or after "
                                   "what it reports"))


def _check_embargo(file, fields: dict, doc, problems) -> None:
    """`expires` must come after `publish_at`: else the brief is never in any site."""
    publish_at, expires = fields.get("publish_at"), fields.get("expires")
    if isinstance(publish_at, tuple) and isinstance(expires, tuple) and expires[0] <= publish_at[0]:
        line, col = doc.where(("expires",))
        problems.append(BuildError(file, line, col, f"expires: {expires[0].isoformat()} is not after publish_at "
                                   f"{publish_at[0].isoformat()}; the brief would never be published"))


class Invalid(Exception):
    """A header value is wrong; the message says what was expected."""

    def __init__(self, key: tuple, message: str):
        super().__init__(message)
        self.key = key


def _non_finite(file, header: dict, doc, problems) -> set:
    """The keys holding a NaN or an infinity anywhere, each one an error: JSON has no such numbers."""
    wrong = set()
    for path, number in _numbers(header, ()):
        if not math.isfinite(number):
            line, col = doc.where(path)
            shown = ".nan" if math.isnan(number) else ".inf" if number > 0 else "-.inf"
            problems.append(BuildError(file, line, col, f"{path[0]}: {shown} is not a finite number; "
                                                        "put it in quotes if it is meant as text"))
            wrong.add(path[0])
    return wrong


def _numbers(value, path: tuple):
    """(path, number) of every float inside `value`."""
    if isinstance(value, float):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, path + (key,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _numbers(item, path + (index,))


def _check_term_count(file, terms: list, doc, config: Config, problems) -> None:
    """An error at the first term past `max_terms`: every term of a brief gives pages and feed entries."""
    keys: set[str] = set()
    for name, names in terms:
        for index, term in enumerate(names):
            keys.add(term_key(term))
            if len(keys) > config.max_terms:
                line, col = doc.where((name, index))
                problems.append(BuildError(file, line, col, f"{name}: more than {config.max_terms} terms in one "
                                           "brief, all taxonomies together (max_terms in site.yml)"))
                return


_FILE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")  # Jekyll's 2016-03-10-some-title.md


def _from_file_name(file: str, header: dict, problems: list) -> dict:
    """The header, with the date and title a YYYY-MM-DD-title file name gives where it has none."""
    named = _FILE_NAME.fullmatch(brief_name(file))
    if not named or (header.get("date") is not None and header.get("title") is not None):
        return header
    header = dict(header)
    day, words = named.groups()
    if header.get("date") is None:
        header["date"] = day
        problems.append(BuildError(file, 2, 1, f"date: none in the header; {day} taken from the file name",
                                   warning=True))
    if header.get("title") is None:
        header["title"] = title = title_from_name(words)
        problems.append(BuildError(file, 2, 1, f"title: none in the header; {title!r} taken from the file name",
                                   warning=True))
    return header


def title_from_name(name: str) -> str:
    """`some-title` -> "Some title", as Jekyll titles a post without a title."""
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name


def _warn_unknown(file, header, doc, config, problems) -> None:
    known = BRIEF_KEYS + config.taxonomy_names
    for key in header:
        if key not in known and key not in config.extra_keys:
            line, col = doc.where((key,))
            hint = did_you_mean(str(key), known) or "; declare it in site.yml as a taxonomy or in extra_keys"
            problems.append(BuildError(file, line, col, f"unknown key '{key}' is ignored{hint}", warning=True))


def _add_extra_keys(file, header, doc, config, fields, problems) -> None:
    """The header's `extra_keys` (site.yml) into `extra`, beside what `extra:` gives."""
    extra = fields.get("extra")
    for key in config.extra_keys:
        if key not in header or extra is None:
            continue
        line, col = doc.where((key,))
        if key in extra:
            problems.append(BuildError(file, line, col, f"{key}: given both here and in extra; keep one"))
            continue
        try:
            extra[key] = _json_data(header[key], ())
        except Invalid as exc:
            line, col = doc.where((key, *exc.key))
            problems.append(BuildError(file, line, col, f"{key}: {exc}"))


def _one_of_authors(file, header, fields, doc, problems) -> tuple[str, ...]:
    """The names of `author` or of `authors`; both given is an error where the second is written."""
    author, authors = fields.pop("author", None), fields.pop("authors", None)
    if "author" in header and "authors" in header:
        key = max(("author", "authors"), key=lambda k: doc.where((k,)))
        line, col = doc.where((key,))
        problems.append(BuildError(file, line, col, f"{key}: give either 'author' or 'authors', not both"))
        return ()
    return author or authors or ()


def _safe_sources(file, sources, doc, problems) -> tuple[Source, ...]:
    # A bad link is dropped, not the source: the name is still worth citing.
    safe = []
    for index, source in enumerate(sources):
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


def _text(value, key=()) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(key, f"expected text, got {describe(value)}")
    text = str(value).strip()
    if not text:
        raise Invalid(key, "expected text, got an empty value")
    return text


def describe(value) -> str:
    """How a YAML value is named in messages."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str) and len(value) > 40:
        return "text"
    return repr(value)


def _shown(value) -> str:
    """A header value as quoted in messages: text as written, others as YAML wrote them."""
    return repr(value.strip()) if isinstance(value, str) else str(value)


def _required_text(value, config) -> str:
    if value is None:
        raise Invalid((), "missing; every brief needs a title and a date")
    return _text(value)


def _optional_text(value, config) -> str | None:
    return None if value is None else _text(value)


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


def _required_date(value, config):
    if value is None:
        raise Invalid((), "missing; every brief needs a title and a date")
    return parse_date(value)


def _optional_date(value, config):
    return None if value is None else parse_date(value)


def _in_zone(value: datetime | date, config: Config) -> tuple[datetime, bool]:
    """The moment in the site's timezone, and whether a time of day was given."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), config.tz), False
    if value.tzinfo is None:
        return value.replace(tzinfo=config.tz), True
    return value.astimezone(config.tz), True


def _sources(value, config) -> tuple[Source, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_source(item, (index,)) for index, item in enumerate(items))


SOURCE_KEYS = ("name", "url", "accessed", "credibility")


def _source(item, key) -> Source:
    if not isinstance(item, dict):
        return Source(_text(item, key))
    unknown = [k for k in item if k not in SOURCE_KEYS]
    if unknown:
        raise Invalid(key + (unknown[0],), f"unknown key '{unknown[0]}' in a source; expected name, url, "
                                           "accessed and credibility")
    if item.get("name") is None:
        raise Invalid(key, "a source needs a name")
    name = _text(item["name"], key + ("name",))
    url = None if item.get("url") is None else _text(item["url"], key + ("url",))
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
        raise Invalid(key, f"expected the day the source was read, as YYYY-MM-DD, got {_shown(value)}")
    return day


def _credibility(value, key) -> int | None:
    """Admiralty code: how credible this information is, 1 (confirmed) to 6 (cannot be judged)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        raise Invalid(key, f"credibility {_shown(value)} is not 1 to 6 (Admiralty code: 1 confirmed, 2 probably "
                           "true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged)")
    return value


def _slug(value, config) -> str | None:
    if value is None:
        return None
    slug = _text(value)
    if not is_segment(slug):
        hint = f"; try '{slugify(slug)}'" if slugify(slug) else ""
        raise Invalid((), f"{slug!r} is not one URL segment of lowercase words and hyphens{hint}")
    return slug


def _draft(value, config) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise Invalid((), f"expected true or false, got {describe(value)}")
    return value


_EVENT_POINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][\d:.+Z-]*)?)?)?")
EVENT_KEYS = ("date", "start", "end", "circa")


def _event(value, config) -> Event | None:
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


def _updates(value, config) -> tuple:
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
        entries.append((when, kind, _text(item["note"], (index, "note"))))
    return tuple(entries)


def _thread(value, config) -> str | None:
    """The slug of a thread of data/threads.yml (checked against it when the site is indexed)."""
    if value is None:
        return None
    slug = _text(value)
    if not is_segment(slug):
        raise Invalid((), f"{slug!r} is not a thread slug; expected lowercase letters, digits and hyphens"
                          + (f", such as '{slugify(slug)}'" if slugify(slug) else ""))
    return slug


def _attachments(value, config) -> tuple[tuple[str, str | None], ...]:
    """Documents beside the brief: each a file, or {file, title}."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_attachment(item, (index,)) for index, item in enumerate(items))


def _attachment(item, key) -> tuple[str, str | None]:
    if not isinstance(item, dict):
        return _file(item, key), None
    _only(item, key, ("file", "title"), "an attachment")
    return _file(item.get("file"), key + ("file",)), _optional(item.get("title"), key + ("title",))


def _image(value, config) -> tuple[str, str, str | None] | None:
    """The lead image: {file, alt, caption}, alt required (what it shows, for who cannot see it); or only
    its file, as Jekyll and Hugo themes write it, with no alt text (`_lead_image` warns)."""
    if value is None:
        return None
    if isinstance(value, str):
        return _file(value, ()), "", None
    if not isinstance(value, dict):
        raise Invalid((), "expected a file beside the brief or {file, alt, caption}: the image, and what it shows "
                          f"for readers who cannot see it, got {describe(value)}")
    _only(value, (), ("file", "alt", "caption"), "the image")
    if value.get("alt") is None:
        raise Invalid((), "the image needs alt text: what it shows, for readers who cannot see it")
    return (_file(value.get("file"), ("file",)), _text(value["alt"], ("alt",)),
            _optional(value.get("caption"), ("caption",)))


def _lead_image(file: str, image: tuple[str, str, str | None], doc, problems: list) -> LeadImage:
    """The lead image where `image:` gives it; one without alt text (`image: route.png`) is a warning there,
    as a body image without it is."""
    target, alt, caption = image
    line, column = doc.where(("image",))
    if not alt:
        problems.append(BuildError(file, line, column, f"image '{target}' has no alt text; say what it shows, "
                                   f"as in image: {{file: {target}, alt: Route of the convoy}}", warning=True))
    return LeadImage(target, alt, caption, line, column)


def _only(item: dict, key: tuple, allowed: tuple[str, ...], what: str) -> None:
    unknown = [k for k in item if k not in allowed]
    if unknown:
        raise Invalid(key + (unknown[0],), f"unknown key '{unknown[0]}' in {what}; expected "
                                           f"{', '.join(allowed[:-1])} and {allowed[-1]}")


def _optional(value, key) -> str | None:
    return None if value is None else _text(value, key)


def _file(value, key) -> str:
    """A file beside the brief, by its path relative to the brief's file (checked when published)."""
    if value is None:
        raise Invalid(key, "expected a file beside the brief, such as 'docs/statement.pdf'")
    path = _text(value, key)
    if ":" in path or path.startswith(("/", "#")) or "\\" in path:
        raise Invalid(key, f"{path!r} is not a file beside the brief; expected a relative path such as "
                           "'docs/statement.pdf'")
    return path


def _audience(value, config) -> str:
    """The brief's TLP level; site.yml's default_audience when it names none."""
    if value is None:
        return config.default_audience
    try:
        return checked_audience(value)
    except ValueError as exc:
        raise Invalid((), str(exc)) from None


def _published(value, config) -> bool | None:
    """Jekyll's `published: false`: a draft."""
    return None if value is None else _draft(value, config)


def _aliases(value, config) -> tuple[str, ...]:
    """Old URLs of a brief (Hugo's aliases, Jekyll's redirect_from), as site-relative URLs."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_alias(item, (index,)) for index, item in enumerate(items))


def _alias(item, key) -> str:
    path = unquote(_text(item, key))
    parts = path.split("/")
    if (not path.startswith("/") or path.startswith("//") or not path.strip("/") or "?" in path or "#" in path
            or any(part in (".", "..") or "\\" in part for part in parts)
            or any(unicodedata.category(c) in ("Cc", "Cs") for c in path)):
        raise Invalid(key, f"{path!r} is not a path from the site's root such as '/2016/03/10/old-title.html' "
                           "or '/posts/old-title/'")
    path = path.strip("/")
    if not path.endswith((".html", ".htm")):
        path += "/"  # Hugo's /posts/old, served as /posts/old/index.html
    while "//" in path:
        path = path.replace("//", "/")
    return path


def _authors(value, config) -> tuple[str, ...]:
    """Author names as written: one, or a list."""
    if value is None:
        return ()
    if isinstance(value, dict):
        raise Invalid((), "expected a name or a list of names, got a mapping")
    if value == []:
        raise Invalid((), "expected a name or a list of names, got an empty list")
    names = []
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        key = (index,) if isinstance(value, list) else ()
        if isinstance(item, (dict, list)):
            raise Invalid(key, f"expected a name, got {describe(item)}")
        name = _text(item, key)
        if not slugify(name):
            raise Invalid(key, f"{name!r} makes no URL slug; an author's name needs letters or digits")
        names.append(name)
    return tuple(names)


def _extra(value, config) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid((), f"expected a mapping, got {describe(value)}")
    return _json_data(value, ())


def _json_data(value, key: tuple):
    """`value` as briefs.json can carry it: a date becomes ISO 8601 text; anything else JSON lacks is Invalid."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, date):  # only with an explicit !!timestamp tag: dates are read as text
        return value.isoformat()
    if isinstance(value, list):
        return [_json_data(item, key + (index,)) for index, item in enumerate(value)]
    if isinstance(value, dict):
        for name in value:
            if not isinstance(name, str):
                raise Invalid(key + (str(name),), f"key {name!r} is not text; put it in quotes")
        return {name: _json_data(item, key + (name,)) for name, item in value.items()}
    kind = {bytes: "binary data (!!binary)", set: "a set (!!set)", tuple: "a list of pairs (!!omap or !!pairs)"}
    raise Invalid(key, f"{kind.get(type(value), type(value).__name__)} cannot go into briefs.json; "
                       "expected text, a number, true, false, null, a list or a mapping")


def _read_terms(value, vocabulary: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Term names of one taxonomy: a string or a list of strings, from its vocabulary if it has one."""
    if value is None:
        return ()
    if isinstance(value, dict):
        raise Invalid((), "expected a term or a list of terms, got a mapping")
    items = value if isinstance(value, list) else [value]
    allowed = None if vocabulary is None else {term_key(v) for v in vocabulary}
    names = []
    for index, item in enumerate(items):
        if isinstance(item, (dict, list)):
            raise Invalid((index,), f"expected a term, got {describe(item)}")
        names.append(_text(item, (index,)))
        if allowed is not None and term_key(names[-1]) not in allowed:
            raise Invalid((index,), f"'{names[-1]}' is not in the vocabulary of site.yml"
                          f"{did_you_mean(names[-1], vocabulary)}")
    return tuple(names)


READERS = {
    "title": _required_text, "date": _required_date, "updated": _optional_date,
    "location": _optional_text, "summary": _optional_text, "sources": _sources,
    "slug": _slug, "draft": _draft, "published": _published, "aliases": _aliases, "redirect_from": _aliases,
    "author": _authors, "authors": _authors, "extra": _extra,
    "audience": _audience, "publish_at": _optional_date, "expires": _optional_date, "event": _event,
    "updates": _updates, "thread": _thread, "attachments": _attachments, "image": _image,
}
