"""A brief's extra data, from `extra:` and site.yml's extra_keys, as briefs.json can carry it."""

from __future__ import annotations

from datetime import date

from ..errors import BuildError
from .fields import Invalid, describe


def extra(value, config) -> dict:
    """`extra:`, data for the templates, as briefs.json can carry it."""
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


def add_extra_keys(file, header, doc, config, fields, problems) -> None:
    """The header's `extra_keys` (site.yml) into `extra`, beside what `extra:` gives."""
    given = fields.get("extra")
    for key in config.extra_keys:
        if key not in header or given is None:
            continue
        line, col = doc.where((key,))
        if key in given:
            problems.append(BuildError(file, line, col, f"{key}: given both here and in extra; keep one"))
            continue
        try:
            given[key] = _json_data(header[key], ())
        except Invalid as exc:
            line, col = doc.where((key, *exc.key))
            problems.append(BuildError(file, line, col, f"{key}: {exc}"))
