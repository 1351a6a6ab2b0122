"""Hugo's site settings that decide a page's URL: where Hugo reads them, its `permalinks` patterns, `urlize`.

Hugo reads `hugo.*` before `config.*` at the site's root, then `config/_default/` (its `hugo.*`/`config.*`,
and one file per top-level key such as `permalinks.*`). See https://gohugo.io/configuration/permalinks/.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ...errors import shown
from .common import Problem, outside_link
from .front_matter import front_matter, read_text

FORMATS = (".toml", ".yaml", ".yml", ".json")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class HugoConfig:
    """What migrate needs of a Hugo site's settings: its address, URL patterns, languages and params."""

    base_url: str = ""
    permalinks: dict[str, str] = field(default_factory=dict)  # a top-level section -> a page's URL pattern
    languages: tuple[str, ...] = ()
    default_language: str = "en"
    in_subdir: bool = False  # defaultContentLanguageInSubdir
    ugly_urls: bool = False
    remove_accents: bool = False  # removePathAccents
    lower: bool = True  # not disablePathToLower
    params: dict = field(default_factory=dict)
    found_in: list[str] = field(default_factory=list)  # the files read, for messages
    problems: list[str] = field(default_factory=list)  # a settings file that could not be read, and why


def load(site, max_size: int) -> HugoConfig:
    """The settings of the Hugo site in folder `site`, merged as Hugo merges them; defaults if none."""
    settings: dict = {}
    found, problems = [], []
    for path, key in _files(site):
        data = read_settings(path, site, max_size, problems)
        if data is None:
            continue
        found.append(path)
        if key:
            data = {key: data}
        for name, value in data.items():
            settings.setdefault(str(name).lower(), value)
    config = _config({key.lower(): value for key, value in settings.items()}, found)
    config.problems = problems
    return config


def _files(site):
    """Hugo's settings files, first read first: (path, the one key it holds or None)."""
    for folder in (site, site / "config" / "_default"):
        for stem in ("hugo", "config"):
            for ending in FORMATS:
                yield folder / f"{stem}{ending}", None
    for ending in FORMATS:
        yield site / "config" / "_default" / f"permalinks{ending}", "permalinks"
        yield site / "config" / "_default" / f"params{ending}", "params"
        yield site / "config" / "_default" / f"languages{ending}", "languages"


def read_settings(path, site, max_size: int, problems: list[str] | None = None) -> dict | None:
    """A settings file of the site in folder `site` as a mapping, or None if there is none to read (or it is
    not one: then why is added to `problems`)."""
    if not path.is_file() or outside_link(path, site):
        return None
    try:
        text = read_text(path)
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = front_matter("---\n" + text + "\n---\n", max_size)[0]
    except (Problem, ValueError, RecursionError) as exc:
        why = str(exc) or type(exc).__name__
    else:
        if isinstance(data, dict):
            return data
        why = "not a mapping of settings"
    if problems is not None:
        problems.append(f"{shown(path)}: not read ({why}); Hugo's defaults were used in its place")
    return None


def _config(settings: dict, found) -> HugoConfig:
    languages = settings.get("languages")
    return HugoConfig(
        base_url=str(settings.get("baseurl") or "").strip(),
        permalinks=page_patterns(settings.get("permalinks")),
        languages=tuple(str(name) for name in languages) if isinstance(languages, dict) else (),
        default_language=str(settings.get("defaultcontentlanguage") or "en"),
        in_subdir=settings.get("defaultcontentlanguageinsubdir") is True,
        ugly_urls=settings.get("uglyurls") is True,
        remove_accents=settings.get("removepathaccents") is True,
        lower=settings.get("disablepathtolower") is not True,
        params=settings.get("params") if isinstance(settings.get("params"), dict) else {},
        found_in=[str(path) for path in found],
    )


def page_patterns(permalinks) -> dict[str, str]:
    """The URL pattern of each section's pages: Hugo 0.120's `page:` form, else the flat one."""
    if not isinstance(permalinks, dict):
        return {}
    lowered = {str(key).lower(): value for key, value in permalinks.items()}
    if isinstance(lowered.get("page"), dict):
        lowered = lowered["page"]
    return {str(key).strip("/"): value for key, value in lowered.items() if isinstance(value, str) and value}


def urlize(text: str, config: HugoConfig) -> str:
    """Hugo's `urlize` of a path or title: spaces to one hyphen, only letters, digits, marks and
    `. / \\ _ # + ~ - @` kept, lowercased unless the site says not to."""
    if config.remove_accents:
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    out: list[str] = []
    hyphen_due = was_hyphen = False
    for index, char in enumerate(text):
        allowed = char in "./\\_#+~-@" or char.isalnum() or unicodedata.category(char).startswith("M")
        allowed = allowed or (char == "%" and re.fullmatch(r"[0-9a-fA-F]{2}", text[index + 1:index + 3]) is not None)
        if allowed:
            was_hyphen = char == "-"
            if hyphen_due and not was_hyphen:
                out.append("-")
            hyphen_due = False
            out.append(char)
        elif out and not was_hyphen and char.isspace():
            hyphen_due = True
    result = "".join(out)
    return result.lower() if config.lower else result


@dataclass(frozen=True)
class Page:
    """What a page's URL is made of."""

    sections: tuple[str, ...]  # its folders under content/ (the language's), the bundle's own not included
    name: str  # its file name without ending, or its bundle's folder name
    title: str
    slug: str | None
    day: date


def page_url(page: Page, config: HugoConfig) -> str:
    """The page's URL path as Hugo makes it: its section's pattern, else its path with the slug."""
    pattern = config.permalinks.get(page.sections[0]) if page.sections else None
    if pattern:
        path = expand(pattern, page, config)
    else:
        path = "/".join((*page.sections, page.slug or page.name))
        path = "/" + urlize(path, config) + "/"
    if config.ugly_urls and path.endswith("/") and path != "/":
        path = path[:-1] + ".html"
    return re.sub(r"/{2,}", "/", path)


_TOKEN = re.compile(r":(slugorcontentbasename|slugorfilename|contentbasename|weekdayname|monthname|filename|sections"
                    r"(?:\[([^\]]*)\])?|section|yearday|weekday|title|month|year|slug|day)")


def expand(pattern: str, page: Page, config: HugoConfig) -> str:
    """A `permalinks` pattern with the page's values in place of its tokens."""
    def value(match: re.Match) -> str:
        token = match.group(1)
        if token.startswith("sections"):
            sections = _sliced(page.sections, match.group(2))
            return match.group() if sections is None else "/".join(sections)
        return _token(token, page, config)

    path = _TOKEN.sub(value, pattern)
    path = "/" + path.lstrip("/")
    return path.lower() if config.lower else path


def _token(token: str, page: Page, config: HugoConfig) -> str:
    day = page.day
    by_date = {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}",
               "monthname": MONTHS[day.month - 1], "weekday": str((day.weekday() + 1) % 7),
               "weekdayname": DAYS[day.weekday()], "yearday": str(day.timetuple().tm_yday)}
    if token in by_date:
        return by_date[token]
    if token == "section":
        return page.sections[0] if page.sections else ""
    title = urlize(page.title, config)
    name = urlize(page.name, config)
    slug = urlize(page.slug, config) if page.slug else None
    return {"title": title, "slug": slug or title, "filename": name, "contentbasename": name,
            "slugorfilename": slug or name, "slugorcontentbasename": slug or name}[token]


def unread(url: str) -> str | None:
    """The first `:token` a pattern left in `url` (`:2006`, `:sections[x]`), as migrate cannot read it."""
    left = re.search(r":\w+(?:\[[^\]]*\])?", url)
    return left.group() if left else None


def _sliced(sections: tuple[str, ...], within: str | None) -> tuple[str, ...] | None:
    """The sections `[1]`, `[last]`, `[1:]` or `[:last]` select, as Hugo selects them; None if unreadable."""
    if within is None:
        return sections
    start, colon, end = within.partition(":")
    first, stop = _index(start, 0, sections), _index(end, len(sections), sections)
    if first is None or stop is None:
        return None
    return sections[first:stop] if colon else sections[first:first + 1]


def _index(text: str, default: int, sections: tuple[str, ...]) -> int | None:
    text = text.strip()
    if not text:
        return default
    if text == "last":
        return max(len(sections) - 1, 0)
    return int(text) if text.isdigit() else None


def language_root(parts: tuple[str, ...], config: HugoConfig) -> tuple[str, tuple[str, ...]]:
    """('/<lang>' or '', the folders under the language's content) of a path's folders under content/."""
    if parts and parts[0] in config.languages:
        language, parts = parts[0], parts[1:]
        prefix = "" if language == config.default_language and not config.in_subdir else f"/{language}"
        return prefix, parts
    return "", parts
