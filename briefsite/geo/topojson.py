"""The world's countries read from TopoJSON (Natural Earth by way of the `world-atlas` package).

The topology is kept: a country's rings are lists of arc indices, so a border two countries share
is one arc, simplified once and drawn identically on both sides.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ATLASES = ("110m", "50m")  # Natural Earth's scales: 1:110 million for the world, 1:50 million for a region

Point = tuple[float, float]  # longitude, latitude in degrees
Bounds = tuple[float, float, float, float]  # west, south, east, north in degrees


@dataclass(frozen=True)
class Polygon:
    """One piece of a country: its outline, then its holes; a ring is a list of arc indices (~i: arc i reversed)."""

    rings: tuple[tuple[int, ...], ...]
    bounds: Bounds  # of the outline; west in [-180, 180), east beyond 180 when it crosses the antimeridian


@dataclass(frozen=True)
class Country:
    """A country as Natural Earth draws it."""

    id: str  # ISO 3166-1 numeric ("764" Thailand); "" for the few it leaves without one (Kosovo, N. Cyprus, Somaliland)
    name: str  # Natural Earth's short English name ("Dem. Rep. Congo")
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class Topology:
    """Every country of one atlas and the arcs their rings are made of."""

    atlas: str
    arcs: tuple[tuple[Point, ...], ...]
    countries: tuple[Country, ...]
    # What drawing works out once per arc and keeps for every later map (outlines.py: each vertex's weight).
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def country(self, id: str) -> tuple[Country, ...]:
        """The countries with this numeric id: usually one, two where Natural Earth splits one off (Australia, 036)."""
        return tuple(country for country in self.countries if country.id == id)


@functools.cache
def load(atlas: str) -> Topology:
    """The atlas "110m" or "50m", read once per process."""
    if atlas not in ATLASES:
        raise ValueError(f"no atlas {atlas!r}: use one of {', '.join(ATLASES)}")
    return decode(json.loads((DATA / f"countries-{atlas}.json").read_text(encoding="utf-8")), atlas)


def decode(document: dict, atlas: str = "") -> Topology:
    """The countries of a TopoJSON topology whose object `countries` holds Polygons and MultiPolygons."""
    arcs = tuple(_arc(arc, document.get("transform")) for arc in document["arcs"])
    countries = []
    for geometry in document["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            parts = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            parts = geometry["arcs"]
        else:  # a null geometry: a country Natural Earth names but does not draw
            continue
        polygons = tuple(Polygon(tuple(tuple(ring) for ring in rings), _bounds(arcs, rings[0]))
                         for rings in parts if rings)
        name = (geometry.get("properties") or {}).get("name", "")
        countries.append(Country(str(geometry.get("id", "")), name, polygons))
    return Topology(atlas, arcs, tuple(countries))


def _arc(positions: list[list[float]], transform: dict | None) -> tuple[Point, ...]:
    """An arc's positions: quantised ones are delta-encoded integers, scaled and translated back to degrees."""
    if transform is None:
        return tuple((float(x), float(y)) for x, y, *_ in positions)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    dxs, dys, *_ = zip(*positions, strict=True)
    xs = [x * sx + tx for x in itertools.accumulate(dxs)]
    ys = [y * sy + ty for y in itertools.accumulate(dys)]
    return tuple(zip(xs, ys, strict=True))


def ring_points(arcs: tuple[tuple[Point, ...], ...], ring: tuple[int, ...] | list[int]) -> list[Point]:
    """A ring's positions in order, its arcs joined (each arc starts where the one before it ends)."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(lons: list[float]) -> list[float]:
    """Longitudes followed without a jump: a step across the antimeridian, 179 to -179, goes on to 181."""
    out = [lons[0]]
    for before, after in zip(lons, lons[1:], strict=False):
        step = after - before
        out.append(out[-1] + (step - 360 if step > 180 else step + 360 if step < -180 else step))
    return out


def _bounds(arcs: tuple[tuple[Point, ...], ...], ring: list[int]) -> Bounds:
    """The ring's extent, its longitudes followed without a jump: across the antimeridian east passes 180,
    and a ring round a pole (Antarctica) spans -180..180."""
    points = ring_points(arcs, ring)
    lons, lats = [lon for lon, _ in points], [lat for _, lat in points]
    west, east = min(lons), max(lons)
    if east - west <= 180:  # no step can cross the antimeridian
        return west, min(lats), east, max(lats)
    lons = unwrap(lons)
    west, east = min(lons), max(lons)
    if east - west >= 360 or abs(lons[-1] - lons[0]) > 180:
        return -180.0, min(lats), 180.0, max(lats)
    shift = 360 * math.floor((west + 180) / 360)  # west into [-180, 180)
    return west - shift, min(lats), east - shift, max(lats)
