"""A brief's header: every field read by the reader of its key, and what the header says as a whole."""

from __future__ import annotations

import math
import re
import unicodedata
from urllib.parse import unquote

from .. import yamlio
from ..config import BRIEF_KEYS, Config, did_you_mean
from ..errors import BuildError
from ..model.brief import Attachment
from ..values.language import checked_language
from ..values.slugs import is_segment, slugify
from .attachments import attachments, image, lead_image
from .citations import safe_sources, sources
from .dates import moments_in_zone, optional_date, required_date
from .event import check_event, event
from .extra import add_extra_keys, extra
from .fields import Invalid, describe, text
from .files import brief_name
from .places import places, spots
from .release import audience, check_embargo, draft, published
from .terms import read_terms
from .updates import updates, updates_in_zone


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
    terms = read_terms(file, header, doc, config, wrong, problems)
    _warn_unknown(file, header, doc, config, problems)
    fields["sources"] = safe_sources(file, fields.get("sources") or (), doc, problems)
    fields["authors"] = _one_of_authors(file, header, fields, doc, problems)
    if fields.get("thread"):
        fields["thread"] = (fields["thread"], *doc.where(("thread",)))
    fields["attachments"] = tuple(Attachment(target, title, *doc.where(("attachments", index)))
                                  for index, (target, title) in enumerate(fields.get("attachments") or ()))
    if fields.get("image"):
        fields["image"] = lead_image(file, fields["image"], doc, problems)
    fields["places"] = spots(fields.get("places") or (), fields.get("location"), doc)
    fields["aliases"] = tuple((url, *doc.where((key, index))) for key in ("aliases", "redirect_from")
                              for index, url in enumerate(fields.pop(key, None) or ()))
    add_extra_keys(file, header, doc, config, fields, problems)
    moments_in_zone(file, header, fields, doc, config, problems)
    check_embargo(file, fields, doc, problems)
    check_event(file, fields, doc, problems)
    fields["updates"] = updates_in_zone(file, fields, doc, config, problems)
    return fields, terms


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


def _one_of_authors(file, header, fields, doc, problems) -> tuple[str, ...]:
    """The names of `author` or of `authors`; both given is an error where the second is written."""
    author, authors = fields.pop("author", None), fields.pop("authors", None)
    if "author" in header and "authors" in header:
        key = max(("author", "authors"), key=lambda k: doc.where((k,)))
        line, col = doc.where((key,))
        problems.append(BuildError(file, line, col, f"{key}: give either 'author' or 'authors', not both"))
        return ()
    return author or authors or ()


def _required_text(value, config) -> str:
    if value is None:
        raise Invalid((), "missing; every brief needs a title and a date")
    return text(value)


def _optional_text(value, config) -> str | None:
    return None if value is None else text(value)


def _slug(value, config) -> str | None:
    if value is None:
        return None
    slug = text(value)
    if not is_segment(slug):
        hint = f"; try '{slugify(slug)}'" if slugify(slug) else ""
        raise Invalid((), f"{slug!r} is not one URL segment of lowercase words and hyphens{hint}")
    return slug


def _lang(value, config) -> str | None:
    """The language the brief is written in, when it is not the site's `language`: a BCP 47 tag."""
    if value is None:
        return None
    try:
        lang = checked_language(text(value))
    except ValueError as exc:
        raise Invalid((), str(exc)) from None
    return None if lang.lower() == config.language.lower() else lang


def _thread(value, config) -> str | None:
    """The slug of a thread of data/threads.yml (checked against it when the site is indexed)."""
    if value is None:
        return None
    slug = text(value)
    if not is_segment(slug):
        raise Invalid((), f"{slug!r} is not a thread slug; expected lowercase letters, digits and hyphens"
                          + (f", such as '{slugify(slug)}'" if slugify(slug) else ""))
    return slug


def _aliases(value, config) -> tuple[str, ...]:
    """Old URLs of a brief (Hugo's aliases, Jekyll's redirect_from), as site-relative URLs."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(alias(item, (index,)) for index, item in enumerate(items))


def alias(item, key) -> str:
    """An old URL as the build keys its redirect: a path from the site's root, '/posts/a' -> 'posts/a/'."""
    path = unquote(text(item, key))
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
        name = text(item, key)
        if not slugify(name):
            raise Invalid(key, f"{name!r} makes no URL slug; an author's name needs letters or digits")
        names.append(name)
    return tuple(names)


READERS = {
    "title": _required_text, "date": required_date, "updated": optional_date,
    "location": _optional_text, "summary": _optional_text, "sources": sources, "lang": _lang,
    "slug": _slug, "draft": draft, "published": published, "aliases": _aliases, "redirect_from": _aliases,
    "author": _authors, "authors": _authors, "extra": extra,
    "audience": audience, "publish_at": optional_date, "expires": optional_date, "event": event,
    "updates": updates, "thread": _thread, "attachments": attachments, "image": image, "places": places,
}
