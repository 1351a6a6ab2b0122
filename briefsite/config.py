"""The site configuration: one schema, read from `site.yml` and validated."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import markdown

from .errors import BuildError, BuildFailed, display, fail_on_errors
from .reading import yamlio
from .site.slugs import is_segment

CONFIG_FILE = "site.yml"

# Front-matter keys a taxonomy may not take, and URL segments a taxonomy may
# not use because the site's own pages live there.
BRIEF_KEYS = ("title", "date", "updated", "location", "summary", "sources", "slug", "draft", "extra")
RESERVED_SEGMENTS = ("briefs", "page", "timeline", "static", "search", "pagefind", "feed", "404")


@dataclass(frozen=True)
class TaxonomyConfig:
    """A way of classifying briefs: its front-matter key, names and URL segment."""

    name: str
    title: str
    singular: str
    segment: str


def _default_taxonomy(name: str) -> TaxonomyConfig:
    title = name.replace("_", " ").capitalize()
    if title.endswith("ies"):
        singular = title[:-3] + "y"
    elif title.endswith(("sses", "ches", "shes", "xes")):
        singular = title[:-2]
    elif title.endswith("s") and not title.endswith("ss"):
        singular = title[:-1]
    else:
        singular = title
    return TaxonomyConfig(name, title, singular, name.replace("_", "-"))


DEFAULT_TAXONOMIES = tuple(_default_taxonomy(n) for n in ("tags", "countries", "organizations"))
DEFAULT_EXTENSIONS = ("tables", "footnotes", "attr_list", "smarty", "toc",
                      "fenced_code", "sane_lists", "abbr", "def_list")


def option(default, doc: str):
    """Declare a configuration key with its default and one line of doc."""
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Config:
    """Everything `site.yml` can say; each key declared once, with its default."""

    title: str = option("Briefings", "Site title, in the header and every <title>.")
    description: str = option("", "One sentence about the site, for the home page and meta tags.")
    base_url: str = option("http://127.0.0.1:8000/", "Absolute URL the site is served from; may have a sub-path.")
    language: str = option("en", "Language of the briefs, as a BCP 47 tag.")
    author: str = option("", "Author or desk named in page metadata.")
    timezone: str = option("UTC", "IANA timezone for dates without an offset and for calendar days.")
    taxonomies: tuple = option(DEFAULT_TAXONOMIES, "Taxonomies: name -> {title, singular, segment}.")
    page_size: int = option(10, "Briefs per home page.")
    list_page_size: int = option(30, "Briefs per term, year and month page.")
    markdown_extensions: tuple = option(DEFAULT_EXTENSIONS, "Python-Markdown extensions for brief bodies.")
    allow_raw_html: bool = option(False, "Keep raw HTML in briefs instead of sanitising it.")
    feed_size: int = option(50, "Briefs in each Atom and JSON feed.")
    search: bool = option(True, "Build the Pagefind full-text search index and the /search/ page.")
    timeline_group: str = option("", "Taxonomy whose first term groups events in timeline.json; '' for the first.")
    vocabulary: tuple = option((), "Allowed terms per taxonomy: {countries: [China, ...]}; others are errors.")

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/': '/' or '/briefs/'."""
        return urlsplit(self.base_url).path

    @property
    def taxonomy_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.taxonomies)

    @property
    def timeline_taxonomy(self) -> str:
        """The taxonomy that groups timeline.json's events."""
        return self.timeline_group or self.taxonomies[0].name


KEYS = {f.name: f for f in dataclasses.fields(Config)}


def load_config(source: Path, display: str, base_url: str | None = None) -> tuple[Config, list[BuildError]]:
    """Read `site.yml` in `source` (defaults when absent) and validate it."""
    path = source / CONFIG_FILE
    if not path.exists():
        raw, doc = {}, yamlio.Document({}, {})
    else:
        file = f"{display}/{CONFIG_FILE}" if display else CONFIG_FILE
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            return Config(), [BuildError(file, 0, 0, f"not valid UTF-8 (byte {exc.start})")]
        doc, errors = yamlio.load(text, file)
        if doc is None or errors:
            return Config(), errors
        raw = doc.data if doc.data is not None else {}
        if not isinstance(raw, dict):
            return Config(), [BuildError(file, 1, 1, "expected a mapping of settings (key: value)")]
    return _validate(raw, doc, file if path.exists() else CONFIG_FILE, base_url)


def load_site_config(source: Path, base_url: str | None = None) -> tuple[Config, list[BuildError]]:
    """The config stage: the validated configuration and its warnings; raises BuildFailed on errors."""
    if not source.is_dir():
        raise BuildFailed([BuildError(display(source), 0, 0, "site folder not found")])
    config, problems = load_config(source, display(source), base_url)
    return config, fail_on_errors(problems)


def _validate(raw: dict, doc: yamlio.Document, file: str, base_url: str | None):
    errors: list[BuildError] = []
    values = {}

    def problem(key, message):
        line, col = doc.where((key,))
        errors.append(BuildError(file, line, col, message))

    for key, value in raw.items():
        if key not in KEYS:
            problem(key, f"unknown setting '{key}'{did_you_mean(str(key), KEYS)}")
            continue
        checked = _check(key, value, doc, file, errors)
        if checked is not None:
            values[key] = checked
    if base_url is not None:
        checked = _check("base_url", base_url, yamlio.Document({}, {}), "--base-url", errors)
        if checked is not None:
            values["base_url"] = checked
    config = Config(**values)
    for name, _terms in config.vocabulary:
        if name not in config.taxonomy_names:
            line, col = doc.where(("vocabulary", name))
            errors.append(BuildError(file, line, col, f"vocabulary: '{name}' is not a taxonomy"
                                     f"{did_you_mean(name, config.taxonomy_names)}"))
    if config.timeline_group and config.timeline_group not in config.taxonomy_names:
        line, col = doc.where(("timeline_group",))
        names = ", ".join(config.taxonomy_names)
        message = f"timeline_group: '{config.timeline_group}' is not a taxonomy; expected one of {names}"
        errors.append(BuildError(file, line, col, message))
    return config, errors


def did_you_mean(word: str, choices) -> str:
    """"; did you mean 'x'?" for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _check(key: str, value, doc, file: str, errors: list[BuildError]):
    """The validated value of one setting, or None after recording an error."""
    line, col = doc.where((key,))
    kind = KEYS[key].type
    try:
        if key == "taxonomies":
            return _taxonomies(value, doc, file, errors)
        if key == "vocabulary":
            return _vocabulary(value)
        if kind == "str":
            value = _expect(value, str, "a string")
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"expected a whole number of at least 1, got {value!r}")
        elif kind == "bool":
            value = _expect(value, bool, "true or false")
        elif kind == "tuple":
            value = _string_list(value)
        return CHECKS.get(key, lambda v: v)(value)
    except ValueError as exc:
        errors.append(BuildError(file, line, col, f"{key}: {exc}"))
        return None


def _expect(value, kind, what):
    if not isinstance(value, kind):
        raise ValueError(f"expected {what}, got {value!r}")
    return value


def _string_list(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return tuple(value)


def _vocabulary(value) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ValueError("expected a mapping of taxonomy names to lists of allowed terms")
    return tuple((str(name), _string_list(terms)) for name, terms in value.items())


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or "?" in value or "#" in value:
        raise ValueError(f"expected an absolute http(s) URL such as https://example.org/briefs/, got {value!r}")
    return value if value.endswith("/") else value + "/"


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {value!r}; expected an IANA name such as 'Asia/Shanghai'") from None
    return value


def _extensions(value: tuple[str, ...]) -> tuple[str, ...]:
    for name in value:
        try:
            markdown.Markdown(extensions=[name])
        except Exception as exc:  # Markdown raises whatever the import raises
            raise ValueError(f"cannot load Markdown extension {name!r}: {exc}") from None
    return value


CHECKS = {"base_url": _base_url, "timezone": _timezone, "markdown_extensions": _extensions}


def _taxonomies(value, doc, file, errors) -> tuple[TaxonomyConfig, ...] | None:
    if not isinstance(value, dict) or not value:
        raise ValueError("expected a mapping of taxonomy names to {title, singular, segment}")
    result, before = [], len(errors)
    for name, spec in value.items():
        line, col = doc.where(("taxonomies", name))
        taxonomy = _taxonomy(name, spec or {})
        if isinstance(taxonomy, str):
            errors.append(BuildError(file, line, col, f"taxonomies.{name}: {taxonomy}"))
        else:
            result.append(taxonomy)
    segments = [t.segment for t in result]
    for taxonomy in result:
        if segments.count(taxonomy.segment) > 1:
            line, col = doc.where(("taxonomies", taxonomy.name))
            errors.append(BuildError(file, line, col,
                                     f"taxonomies.{taxonomy.name}: segment '{taxonomy.segment}' is used twice"))
    return tuple(result) if len(errors) == before else None


def _taxonomy(name, spec) -> TaxonomyConfig | str:
    """A validated taxonomy, or the reason it is not one."""
    if not isinstance(name, str) or not name.isidentifier():
        return "expected a name of letters, digits and underscores"
    if name in BRIEF_KEYS:
        return f"'{name}' is a brief key and cannot name a taxonomy"
    if not isinstance(spec, dict):
        return "expected a mapping with title, singular and segment"
    default = _default_taxonomy(name)
    unknown = [k for k in spec if k not in ("title", "singular", "segment")]
    if unknown:
        return f"unknown key '{unknown[0]}'{did_you_mean(str(unknown[0]), ('title', 'singular', 'segment'))}"
    fields = {k: spec.get(k, getattr(default, k)) for k in ("title", "singular", "segment")}
    for key, text in fields.items():
        if not isinstance(text, str) or not text.strip():
            return f"{key}: expected a non-empty string, got {text!r}"
    if not is_segment(fields["segment"]) or fields["segment"] in RESERVED_SEGMENTS:
        return f"segment '{fields['segment']}' must be a lowercase URL segment not in {', '.join(RESERVED_SEGMENTS)}"
    return TaxonomyConfig(name, **fields)
