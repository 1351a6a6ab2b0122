"""The world's countries read from TopoJSON (Natural Earth by way of the `world-atlas` package).

The topology is kept: a country's rings are lists of arc indices, so a border two countries share
is one arc, simplified once and drawn identically on both sides. What drawing needs of an arc or a ring
whatever the view (extents, projection factors, Douglas–Peucker weights) is worked out here, once per
process, and kept with the topology.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import operator
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from .projection import equal_earth_factors

DATA = Path(__file__).resolve().parent / "data"
ATLASES = ("110m", "50m")  # Natural Earth's scales: 1:110 million for the world, 1:50 million for a region
RUN = 48  # vertices: an arc over three times as long also has the extent of each run this long

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
    # What drawing works out once and keeps for every later map: each arc's box (decode), extent and detail,
    # each ring's reach, the countries' bounds.
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
    arcs, boxes = [], []
    for positions in document["arcs"]:
        xs, ys = _positions(positions, document.get("transform"))
        arcs.append(tuple(zip(xs, ys, strict=True)))
        boxes.append(_box(xs, ys))
    countries = []
    for geometry in document["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            parts = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            parts = geometry["arcs"]
        else:  # a null geometry: a country Natural Earth names but does not draw
            continue
        polygons = tuple(Polygon(tuple(tuple(ring) for ring in rings), _bounds(arcs, boxes, rings[0]))
                         for rings in parts if rings)
        name = (geometry.get("properties") or {}).get("name", "")
        countries.append(Country(str(geometry.get("id", "")), name, polygons))
    return Topology(atlas, tuple(arcs), tuple(countries), {"boxes": boxes})


def _positions(positions: list[list[float]], transform: dict | None) -> tuple[list[float], list[float]]:
    """An arc's longitudes and latitudes: quantised ones are delta-encoded integers, scaled and translated back."""
    if transform is None:
        return [float(x) for x, *_ in positions], [float(y) for _, y, *_ in positions]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    dxs, dys, *_ = zip(*positions, strict=True)
    return [x * sx + tx for x in itertools.accumulate(dxs)], [y * sy + ty for y in itertools.accumulate(dys)]


def _box(lons: list[float], lats: list[float]) -> Bounds:
    """An arc's extent as it is, without following it across the antimeridian: west, south, east, north."""
    return min(lons), min(lats), max(lons), max(lats)


def ring_points(arcs: tuple[tuple[Point, ...], ...], ring: tuple[int, ...] | list[int]) -> list[Point]:
    """A ring's positions in order, its arcs joined (each arc starts where the one before it ends)."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(lons: list[float]) -> list[float]:
    """Longitudes followed without a jump: a step across the antimeridian, 179 to -179, goes on to 181."""
    if max(lons) - min(lons) <= 180:  # no step can cross the antimeridian: most arcs
        return list(lons)
    out = [lons[0]]
    for before, after in zip(lons, lons[1:], strict=False):
        step = after - before
        out.append(out[-1] + (step - 360 if step > 180 else step + 360 if step < -180 else step))
    return out


def _bounds(arcs: list[tuple[Point, ...]], boxes: list[Bounds], ring: list[int]) -> Bounds:
    """The ring's extent, its longitudes followed without a jump: across the antimeridian east passes 180,
    and a ring round a pole (Antarctica) spans -180..180. `boxes` are the arcs' extents as they are."""
    parts = [boxes[index if index >= 0 else ~index] for index in ring]
    west, south, east, north = zip(*parts, strict=True)
    west, south, east, north = min(west), min(south), max(east), max(north)
    if east - west <= 180:  # no step can cross the antimeridian
        return west, south, east, north
    lons = unwrap([lon for lon, _ in ring_points(arcs, ring)])
    west, east = min(lons), max(lons)
    if east - west >= 360 or abs(lons[-1] - lons[0]) > 180:
        return -180.0, south, 180.0, north
    shift = 360 * math.floor((west + 180) / 360)  # west into [-180, 180)
    return west - shift, south, east - shift, north


def extent(topology: Topology, index: int) -> tuple[float, ...]:
    """What bounds an arc on any map: the extent of its longitudes (followed without a jump of 360°), bounds
    on the x factors and ys of its latitudes (projection.equal_earth_factors: the largest and least factor,
    the least and greatest y), its first and last longitude, and the x factor and y of its first and last points."""
    extents = topology.memo.setdefault("extent", {})
    if index not in extents:
        points = topology.arcs[index]
        if "boxes" not in topology.memo:  # as `decode` leaves them
            topology.memo["boxes"] = [_box(*zip(*arc, strict=True)) for arc in topology.arcs]
        west, south, east, north = topology.memo["boxes"][index]
        first, last = points[0][0], points[-1][0]
        if east - west > 180:  # perhaps across the antimeridian: followed without a jump
            lons = unwrap([lon for lon, _ in points])
            west, east, last = min(lons), max(lons), lons[-1]
        near = 0 if south <= 0 <= north else min(abs(south), abs(north))  # k is largest at the equator
        far = max(abs(south), abs(north))
        table_ks, table_ys = _by_degree()  # outside the bounds, as k falls away from the equator and y rises north
        ks, ys = equal_earth_factors([points[0][1], points[-1][1]])
        extents[index] = (west, east, table_ks[math.floor(near) + 90], table_ks[math.ceil(far) + 90],
                          table_ys[math.floor(south) + 90], table_ys[math.ceil(north) + 90], first, last,
                          ks[0], ys[0], ks[1], ys[1])
    return extents[index]


def detail(topology: Topology, index: int) -> tuple[array, array, array, list[int], list[float], list[tuple]]:
    """An arc's longitudes followed without a jump of 360°, its vertices' x factors and ys, their indices from
    the heaviest and their weights negated in that order, and for a long arc each run of RUN vertices as its
    first index, the index after its last, then its extent as `extent` gives it. A vertex's weight is the
    largest tolerance at which Douglas–Peucker keeps it. Worked out for the arcs a map shows."""
    details = topology.memo.setdefault("detail", {})
    if index not in details:
        lons, lats = zip(*topology.arcs[index], strict=True)
        lons = unwrap(lons)
        ks, ys = equal_earth_factors(lats)
        middle = (min(lons) + max(lons)) / 2  # projected about its own meridian, the arc is not sheared
        weights = _weights([(lon - middle) * k for lon, k in zip(lons, ks, strict=True)], ys)
        starts = range(0, len(lons), RUN) if len(lons) > 3 * RUN else ()
        runs = [(i, i + RUN, min(lons[i:i + RUN]), max(lons[i:i + RUN]), max(ks[i:i + RUN]), min(ks[i:i + RUN]),
                 min(ys[i:i + RUN]), max(ys[i:i + RUN])) for i in starts]
        details[index] = (array("d", lons), array("d", ks), array("d", ys),
                          sorted(range(len(weights)), key=weights.__getitem__, reverse=True),
                          sorted(map(operator.neg, weights)), runs)
    return details[index]  # arrays: a quarter of the memory of lists of floats


@functools.cache
def _by_degree() -> tuple[list[float], list[float]]:
    """The x factor and y at every whole degree of latitude from -90 to 90."""
    return equal_earth_factors([float(lat) for lat in range(-90, 91)])


def country_bounds(topology: Topology) -> list[Bounds]:
    """Each country's bounds, around all its polygons' (its west the least of theirs, its east the most)."""
    if "countries" not in topology.memo:
        topology.memo["countries"] = [
            (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            if (boxes := [p.bounds for p in country.polygons]) else (0.0, 0.0, 0.0, 0.0)
            for country in topology.countries]
    return topology.memo["countries"]


def reach(topology: Topology, ring: tuple[int, ...]) -> tuple[float, float, float, bool]:
    """A ring's first longitude, how far its longitudes (followed without a jump of 360°) run west and east
    of it, and whether it goes round a pole."""
    reaches = topology.memo.setdefault("reach", {})
    if ring not in reaches:
        start = end = None
        low, high = math.inf, -math.inf
        for index in ring:
            west, east, _, _, _, _, first, last = extent(topology, index if index >= 0 else ~index)[:8]
            first, last = (first, last) if index >= 0 else (last, first)
            shift = 360 * round((end - first) / 360) if end is not None else 0
            start = first if start is None else start
            end = last + shift
            low, high = min(low, west + shift), max(high, east + shift)
        reaches[ring] = (start, low - start, high - start, round((end - start) / 360) != 0)
    return reaches[ring]


def _weights(xs: list[float], ys: list[float]) -> list[float]:
    """Each vertex's distance from the chord Douglas–Peucker splits at it, capped by the split before it,
    so that keeping the vertices heavier than a tolerance is Douglas–Peucker at that tolerance.
    The ends weigh infinitely: other arcs meet there."""
    weights = [0.0] * len(xs)
    weights[0] = weights[-1] = math.inf
    stack = [(0, len(xs) - 1, math.inf)] if len(xs) > 2 else []
    pop, push, hypot = stack.pop, stack.append, math.hypot
    while stack:  # most splits are a few vertices long: plain loops beat building lists for them
        first, last, ceiling = pop()
        ax, ay = xs[first], ys[first]
        dx, dy = xs[last] - ax, ys[last] - ay
        length = hypot(dx, dy)
        farthest, at = -1.0, first + 1
        if length:  # distance from the chord's line, times its length
            cross = ax * dy - ay * dx
            for i in range(first + 1, last):
                away = abs(xs[i] * dy - ys[i] * dx - cross)
                if away > farthest:
                    farthest, at = away, i
        else:  # a closed arc (an island): distance from its end
            for i in range(first + 1, last):
                away = hypot(xs[i] - ax, ys[i] - ay)
                if away > farthest:
                    farthest, at = away, i
            length = 1.0
        away = farthest / length
        weight = weights[at] = away if away < ceiling else ceiling
        if at - first > 1:
            push((first, at, weight))
        if last - at > 1:
            push((at, last, weight))
    return weights
