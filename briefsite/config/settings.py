"""Each setting's value checked: its type, and what its key allows (language, timezone, extensions, taxonomies)."""

from __future__ import annotations

import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import markdown
from markdown.util import get_installed_extensions

from ..errors import BuildError
from ..values.base_url import checked_base_url
from ..values.language import checked_language
from ..values.slugs import is_segment
from ..values.tlp import checked_audience
from . import BRIEF_KEYS, KEYS, RESERVED_SEGMENTS, TaxonomyConfig, default_taxonomy, did_you_mean

# The extensions Python-Markdown ships; any other must be installed as a `markdown.extensions`
# entry point. A setting names code to run, so nothing else is ever imported.
OWN_EXTENSIONS = ("abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
                  "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
                  "smarty", "tables", "toc", "wikilinks")
OWN_MODULE = "markdown.extensions."


def check(key: str, value, doc, file: str, errors: list[BuildError]):
    """The validated value of one setting, or None after recording an error."""
    line, col = doc.where((key,))
    kind = KEYS[key].type
    try:
        if key == "taxonomies":
            return _taxonomies(value, doc, file, errors)
        if key == "vocabulary":
            return _vocabulary(value)
        if key in ("outputs", "editions"):
            return None  # read once the settings they depend on are known
        if kind == "str":
            value = checked_text(expect(value, str, "a string"))
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"expected a whole number of at least 1, got {value!r}")
        elif kind == "bool":
            value = expect(value, bool, "true or false")
        elif kind == "tuple":
            value = _string_list(value)
        return CHECKS.get(key, lambda v: v)(value)
    except ValueError as exc:
        errors.append(BuildError(file, line, col, f"{key}: {exc}"))
        return None


def expect(value, kind, what):
    """`value` if it is of `kind`; else ValueError naming `what` was expected."""
    if not isinstance(value, kind):
        raise ValueError(f"expected {what}, got {value!r}")
    return value


def checked_text(value: str) -> str:
    """A setting's text, refused if it holds a control character."""
    if has_controls(value):
        raise ValueError(f"expected text without control characters, got {value!r}")
    return value


def has_controls(text: str) -> bool:
    """Whether `text` holds a control character or a lone surrogate."""
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


CHECKS = {"base_url": checked_base_url, "language": checked_language, "timezone": _timezone,
          "markdown_extensions": _extensions, "audience": checked_audience, "default_audience": checked_audience}


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
    default = default_taxonomy(name)
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
        if has_controls(text):
            return f"{key}: expected text without control characters, got {text!r}"
    if not is_segment(fields["segment"]) or fields["segment"] in RESERVED_SEGMENTS:
        return f"segment '{fields['segment']}' must be a lowercase URL segment not in {', '.join(RESERVED_SEGMENTS)}"
    return TaxonomyConfig(name, **fields, split=split)
