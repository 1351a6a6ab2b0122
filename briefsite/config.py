"""The site configuration: one schema, read from `site.yml` and validated."""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import markdown
from markdown.util import get_installed_extensions

from . import yamlio
from .errors import BuildError, BuildFailed, display, fail_on_errors
from .filesystem import TooLarge, not_a_file, read_limited
from .values.base_url import checked_base_url
from .values.slugs import is_segment
from .values.tlp import checked_audience

CONFIG_FILE = "site.yml"

# Front-matter keys a taxonomy may not take, and URL segments a taxonomy may
# not use because the site's own pages live there.
BRIEF_KEYS = ("title", "date", "updated", "location", "summary", "sources", "slug", "draft", "published",
              "aliases", "redirect_from", "author", "authors", "extra", "audience", "publish_at", "expires", "event",
              "updates", "thread", "attachments", "image")
RESERVED_SEGMENTS = ("briefs", "page", "timeline", "static", "search", "pagefind", "feed", "404",
                     "authors", "corrections", "threads", "sources", "media")


@dataclass(frozen=True)
class TaxonomyConfig:
    """A way of classifying briefs: its front-matter key, names and URL segment."""

    name: str
    title: str
    singular: str
    segment: str
    split: str | None = None  # a value given as one string is split on this: Jekyll's "a b c"


@dataclass(frozen=True)
class OutputConfig:
    """One named build of `build --all`: the audience it is for, its URL and its folder."""

    name: str
    audience: str
    base_url: str
    output: str  # relative to the site folder


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
# The extensions Python-Markdown ships; any other must be installed as a `markdown.extensions`
# entry point. A setting names code to run, so nothing else is ever imported.
OWN_EXTENSIONS = ("abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
                  "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
                  "smarty", "tables", "toc", "wikilinks")
OWN_MODULE = "markdown.extensions."


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
    taxonomies: tuple = option(DEFAULT_TAXONOMIES, "Taxonomies: name -> {title, singular, segment, split}.")
    page_size: int = option(10, "Briefs per home page.")
    list_page_size: int = option(30, "Briefs per term, year and month page.")
    markdown_extensions: tuple = option(DEFAULT_EXTENSIONS, "Python-Markdown extensions for brief bodies.")
    allow_raw_html: bool = option(False, "Keep raw HTML in briefs instead of sanitising it.")
    feed_size: int = option(50, "Briefs in each Atom and JSON feed.")
    search: bool = option(True, "Build the Pagefind full-text search index and the /search/ page.")
    timeline_group: str = option("", "Taxonomy whose first term groups events in timeline.json; '' for the first.")
    vocabulary: tuple = option((), "Allowed terms per taxonomy: {countries: [China, ...]}; others are errors.")
    max_header_size: int = option(65536, "Most characters in a brief's header, each alias counted as what it repeats.")
    max_body_size: int = option(1048576, "Most characters in a brief's body.")
    max_terms: int = option(200, "Most terms in one brief, all taxonomies together.")
    extra_keys: tuple = option((), "Header keys passed to templates as brief.extra without a warning: [layout, ...].")
    audience: str = option("clear", "TLP level a build is for (clear, green, amber, amber+strict, red); --audience.")
    default_audience: str = option("clear", "TLP level of a brief whose header names none.")
    outputs: tuple = option((), "Named builds for `build --all`: name -> {audience, base_url, output}.")
    share_images: bool = option(True, "Draw each brief's 1200x630 share image for link previews (og:image).")
    unverified_label: str = option("Unverified", "Marker of a brief whose every source is social or graded E or F.")

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


def load_config(source: Path, display: str, base_url: str | None = None,
                audience: str | None = None) -> tuple[Config, list[BuildError]]:
    """Read `site.yml` in `source` (defaults when absent) and validate it; `base_url` and
    `audience` override it."""
    path = source / CONFIG_FILE
    if not path.exists():
        raw, doc = {}, yamlio.Document({}, {})
    else:
        file = f"{display}/{CONFIG_FILE}" if display else CONFIG_FILE
        if kind := not_a_file(path):  # a named pipe would hang the build
            return Config(), [BuildError(file, 0, 0, f"is {kind}, not a file")]
        try:
            text = read_limited(path).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return Config(), [BuildError(file, 0, 0, f"not valid UTF-8 (byte {exc.start})")]
        except TooLarge as exc:
            return Config(), [BuildError(file, 0, 0, str(exc))]
        doc, errors = yamlio.load(text, file)
        if doc is None or errors:
            return Config(), errors
        raw = doc.data if doc.data is not None else {}
        if not isinstance(raw, dict):
            return Config(), [BuildError(file, 1, 1, "expected a mapping of settings (key: value)")]
    return _validate(raw, doc, file if path.exists() else CONFIG_FILE, {"base_url": base_url, "audience": audience},
                     source)


def load_site_config(source: Path, base_url: str | None = None,
                     audience: str | None = None) -> tuple[Config, list[BuildError]]:
    """The config stage: the validated configuration and its warnings; raises BuildFailed on errors."""
    if not source.is_dir():
        raise BuildFailed([BuildError(display(source), 0, 0, "site folder not found")])
    config, problems = load_config(source, display(source), base_url, audience)
    return config, fail_on_errors(problems)


def _validate(raw: dict, doc: yamlio.Document, file: str, overrides: dict, source: Path):
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
    for key, value in overrides.items():
        if value is not None:
            checked = _check(key, value, yamlio.Document({}, {}), f"--{key.replace('_', '-')}", errors)
            if checked is not None:
                values[key] = checked
    if "outputs" in raw and raw["outputs"] is not None:
        values["outputs"] = _outputs(raw["outputs"], doc, file, errors, values, source)
    config = Config(**values)
    for name in config.extra_keys:
        if name in BRIEF_KEYS or name in config.taxonomy_names:
            line, col = doc.where(("extra_keys",))
            errors.append(BuildError(file, line, col, f"extra_keys: '{name}' is a brief key or a taxonomy, "
                                                      "read as such; leave it out of extra_keys"))
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
    # 0.75: close spellings only; 'categories' is not a misspelling of 'countries' (0.63).
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
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
        if key == "outputs":
            return None  # read once the settings it defaults from are known
        if kind == "str":
            value = _text(_expect(value, str, "a string"))
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


def _text(value: str) -> str:
    if _has_controls(value):
        raise ValueError(f"expected text without control characters, got {value!r}")
    return value


def _has_controls(text: str) -> bool:
    # Settings reach HTML, XML feeds and the terminal: a control character breaks the first two.
    return any(unicodedata.category(c) in ("Cc", "Cs") for c in text)


def _string_list(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return tuple(value)


def _vocabulary(value) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ValueError("expected a mapping of taxonomy names to lists of allowed terms")
    return tuple((str(name), _string_list(terms)) for name, terms in value.items())


# Pagefind names its index files after the language and slices a 40-digit hash at the tag's
# length + 8; the hash loses a digit for each byte under 16, so a longer tag may crash it.
LANGUAGE_LENGTH = 20
LANGUAGE_TAG = re.compile(  # RFC 5646's well-formed tags (the regular grandfathered ones match langtag)
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"  # language, script, region
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"  # variants, extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?|x(?:-[a-z0-9]{1,8})+"  # private use
    r"|en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)|sgn-(?:be-fr|be-nl|ch-de)",
    re.IGNORECASE)


def _language(value: str) -> str:
    if len(value) > LANGUAGE_LENGTH or not LANGUAGE_TAG.fullmatch(value):
        raise ValueError(f"expected a BCP 47 language tag of at most {LANGUAGE_LENGTH} characters such as "
                         f"'en', 'zh-Hans' or 'th', got {value!r}")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones, a name too long
        raise ValueError(f"unknown timezone {value!r}; expected an IANA name such as 'Asia/Shanghai'") from None
    return value


def _extensions(value: tuple[str, ...]) -> tuple[str, ...]:
    installed = {ep.name for ep in get_installed_extensions()}  # the entry points Markdown loads names from
    allowed = sorted(installed.union(OWN_EXTENSIONS))
    for name in value:
        if name not in allowed and name.removeprefix(OWN_MODULE) not in OWN_EXTENSIONS:
            raise ValueError(f"{name!r} is not an allowed Markdown extension{did_you_mean(name, allowed)} "
                             f"(allowed: {', '.join(allowed)}; Python-Markdown's own also as {OWN_MODULE}NAME)")
    # Allowed, so they may be imported now; an own one without its entry point comes from
    # Python-Markdown's package, never from a top-level module of the same name.
    value = tuple(n if n in installed or n.startswith(OWN_MODULE) else OWN_MODULE + n for n in value)
    for name in value:
        try:
            markdown.Markdown(extensions=[name])
        except Exception as exc:  # Markdown raises whatever the import raises
            raise ValueError(f"cannot load Markdown extension {name!r}: {exc}") from None
    return value


CHECKS = {"base_url": checked_base_url, "language": _language, "timezone": _timezone,
          "markdown_extensions": _extensions, "audience": checked_audience, "default_audience": checked_audience}
OUTPUT_KEYS = ("audience", "base_url", "output")


def _outputs(value, doc, file, errors, values, source: Path) -> tuple[OutputConfig, ...]:
    """The named builds of `build --all`, each defaulting to the site's audience and base_url."""
    def problem(key: tuple, message: str) -> None:
        line, col = doc.where(("outputs", *key))
        errors.append(BuildError(file, line, col, f"outputs{''.join(f'.{k}' for k in key)}: {message}"))

    if not isinstance(value, dict):
        problem((), "expected a mapping of names to {audience, base_url, output}")
        return ()
    result, folders = [], {}
    for name, spec in value.items():
        if not isinstance(name, str) or not is_segment(name):
            problem((name,), "expected a name of lowercase letters, digits and hyphens")
            continue
        spec = spec if spec is not None else {}
        if not isinstance(spec, dict):
            problem((name,), "expected a mapping with audience, base_url and output")
            continue
        if unknown := [k for k in spec if k not in OUTPUT_KEYS]:
            problem((name, unknown[0]), f"unknown key '{unknown[0]}'{did_you_mean(str(unknown[0]), OUTPUT_KEYS)}")
            continue
        try:
            audience = checked_audience(spec.get("audience", values.get("audience", "clear")))
        except ValueError as exc:
            problem((name, "audience"), str(exc))
            continue
        try:
            base_url = checked_base_url(_text(_expect(spec.get("base_url", values.get("base_url", Config.base_url)),
                                                      str, "a URL")))
        except ValueError as exc:
            problem((name, "base_url"), str(exc))
            continue
        folder = spec.get("output", f"site-{name}")
        if not isinstance(folder, str) or not folder.strip() or _has_controls(folder):
            problem((name, "output"), f"expected a folder, relative to the site folder, got {folder!r}")
            continue
        folder = folder.strip().rstrip("/") or "/"
        if clash := _overlapping(folder, folders, source):
            problem((name, "output"), clash)
            continue
        folders[folder] = name
        result.append(OutputConfig(name, audience, base_url, folder))
    return tuple(result)


def _overlapping(folder: str, taken: dict[str, str], source: Path) -> str | None:
    """Why the output `folder` cannot sit beside the outputs `taken` (folder -> name): two outputs are compared
    as the folders they resolve to (`./site/`, an absolute path and a symbolic link name one folder), and
    none may hold another, which its whole build would replace or publish with its own."""
    try:
        where = (source / folder).resolve()
        places = {other: (source / other).resolve() for other in taken}
    except (OSError, RuntimeError):  # a loop of symbolic links
        return f"folder '{folder}' is, or holds, a symbolic link that cannot be followed"
    for other, name in taken.items():
        there = places[other]
        if where == there:
            return f"folder '{folder}' is the output of '{name}' too"
        if where.is_relative_to(there):
            return f"folder '{folder}' is inside '{other}', the output of '{name}'; outputs may not nest"
        if there.is_relative_to(where):
            return f"folder '{folder}' holds '{other}', the output of '{name}'; outputs may not nest"
    return None


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


TAXONOMY_KEYS = ("title", "singular", "segment", "split")


def _taxonomy(name, spec) -> TaxonomyConfig | str:
    """A validated taxonomy, or the reason it is not one."""
    if not isinstance(name, str) or not name.isidentifier():
        return "expected a name of letters, digits and underscores"
    if name in BRIEF_KEYS:
        return f"'{name}' is a brief key and cannot name a taxonomy"
    if not isinstance(spec, dict):
        return "expected a mapping with title, singular and segment"
    default = _default_taxonomy(name)
    unknown = [k for k in spec if k not in TAXONOMY_KEYS]
    if unknown:
        return f"unknown key '{unknown[0]}'{did_you_mean(str(unknown[0]), TAXONOMY_KEYS)}"
    split = spec.get("split")
    if split not in (None, ",", " "):
        return f"split: expected ',' or ' ', got {split!r}"
    fields = {k: spec.get(k, getattr(default, k)) for k in ("title", "singular", "segment")}
    for key, text in fields.items():
        if not isinstance(text, str) or not text.strip():
            return f"{key}: expected a non-empty string, got {text!r}"
        if _has_controls(text):
            return f"{key}: expected text without control characters, got {text!r}"
    if not is_segment(fields["segment"]) or fields["segment"] in RESERVED_SEGMENTS:
        return f"segment '{fields['segment']}' must be a lowercase URL segment not in {', '.join(RESERVED_SEGMENTS)}"
    return TaxonomyConfig(name, **fields, split=split)
