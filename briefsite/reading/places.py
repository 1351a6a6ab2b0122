"""Where briefs happened: a header's `places:` (else its dateline), and `data/places.yml`, the places a desk
declares once with their coordinates (a compound, a border crossing, a province the gazetteer lacks)."""

from __future__ import annotations

import math
from pathlib import Path

from .. import yamlio
from ..errors import BuildError
from ..geo import gazetteer
from ..model.brief import PRECISIONS, Spot
from ..model.site import PlaceProfile
from .fields import Invalid, describe
from .fields import text as header_text
from .records import Wrong, named_records, names, one_of, read_data_file, text

PLACES_FILE = "places.yml"
# Coordinates given by hand are taken as exact (a compound's gate) unless `precision` says otherwise.
GIVEN_PRECISION = "site"
SPOT_KEYS = ("name", "lat", "lon", "precision")


def _degrees(value, low: float, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise Wrong(f"expected a {what} in decimal degrees from {low:g} to {high:g}, got {describe(value)}")
    return float(value)


def latitude(value) -> float:
    return _degrees(value, -90, 90, "latitude")


def longitude(value) -> float:
    return _degrees(value, -180, 180, "longitude")


def places(value, config) -> tuple[tuple[str, float | None, float | None, str | None], ...]:
    """The header's `places:`: a name or a list of names and {name, lat, lon, precision} mappings, as
    (name, lat, lon, precision) each."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found = []
    for index, item in enumerate(items):
        key = (index,) if isinstance(value, list) else ()
        if not isinstance(item, dict):
            if isinstance(item, list):
                raise Invalid(key, "expected a place's name or a mapping such as {name: KK Park, lat: 16.63, "
                                   "lon: 98.51}, got a list")
            found.append((header_text(item, key), None, None, None))
            continue
        found.append(_spot(item, key))
    return tuple(found)


def _spot(item: dict, key: tuple) -> tuple[str, float | None, float | None, str | None]:
    for name in item:
        if name not in SPOT_KEYS:
            raise Invalid((*key, name), f"unknown key '{name}'; a place has name, lat, lon and precision")
    if "name" not in item:
        raise Invalid(key, "a place needs a name, as in {name: KK Park, lat: 16.63, lon: 98.51}")
    values = {}
    for name, read in (("lat", latitude), ("lon", longitude), ("precision", one_of(PRECISIONS))):
        if item.get(name) is not None:
            try:
                values[name] = read(item[name])
            except Wrong as exc:
                raise Invalid((*key, name), str(exc)) from None
    if ("lat" in values) != ("lon" in values):
        raise Invalid(key, "give both lat and lon, or neither (the place is then looked up by its name)")
    precision = values.get("precision") or (GIVEN_PRECISION if "lat" in values else None)
    return header_text(item["name"], (*key, "name")), values.get("lat"), values.get("lon"), precision


def spots(given: tuple, location: str | None, doc: yamlio.Document) -> tuple[Spot, ...]:
    """Where the brief happened, each with where its header says it: `places:`, else its dateline."""
    if given:
        listed = isinstance(doc.data.get("places"), list)
        return tuple(Spot(name, *doc.where(("places", index) if listed else ("places",)), lat, lon, precision)
                     for index, (name, lat, lon, precision) in enumerate(given))
    if location:
        return (Spot(location, *doc.where(("location",)), dateline=True),)
    return ()


def _country(value) -> str:
    """A country by any of its names or codes, as its ISO 3166 alpha-2 code."""
    written = text(value)
    found = gazetteer.country(written)
    if found is None:
        raise Wrong(f"'{written}' is not a country briefsite knows (its name in any language, or its ISO code)")
    return found.alpha2


PLACE_READERS = {"name": text, "aliases": names, "lat": latitude, "lon": longitude, "country": _country,
                 "precision": one_of(PRECISIONS)}


def load_places(source: Path, shown: str = "") -> tuple[tuple[PlaceProfile, ...], list[BuildError]]:
    """The places `data/places.yml` declares (none when it is absent), and what is wrong with it."""
    doc, file, problems = read_data_file(source, PLACES_FILE, shown)
    if doc is None:
        return (), problems
    if not isinstance(doc.data, list):
        expected = "expected a list of places, each with a name, lat and lon and maybe aliases, country and precision"
        return (), problems + [BuildError(file, 1, 1, f"{expected}, got {describe(doc.data)}")]
    profiles = []
    for index, name, values in named_records(doc, file, PLACE_READERS, "place", problems):
        missing = [key for key in ("lat", "lon") if key not in values]
        if missing:
            problems.append(BuildError(file, *doc.where((index,)), f"{name}: a place needs {' and '.join(missing)} "
                                                                   "(decimal degrees, as in lat: 16.63, lon: 98.51)"))
            continue
        profiles.append(PlaceProfile(name, values["aliases"], values["lat"], values["lon"], values.get("country"),
                                     values.get("precision", GIVEN_PRECISION), (file, *doc.where((index,)))))
    return tuple(profiles), problems
