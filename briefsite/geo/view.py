"""The part of the world a map shows: an extent in degrees and a size in pixels, and how it is chosen
around a few places or a country.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from .projection import X_MAX, Y_MAX, equal_earth, equal_earth_factors, equal_earth_inverse
from .topojson import Bounds, load

SPANS = (12, 16, 24, 32, 48, 64, 96, 128, 192, 256)  # degrees of longitude a locator map may show; from 12,
# since a map around one town should still show its country and the neighbours
COUNTRY_MIN_SPAN = 6.0  # degrees: Singapore's page shows the straits around it
NEAR = 10.0  # degrees: a country's islands this close to its main part are shown with it, farther ones are not
REGIONAL = 0.2  # degrees per px: finer than this, a view is drawn from the 1:50m atlas


@dataclass(frozen=True)
class Frame:
    """How a view puts the projected world on its pixels."""

    lon0: float  # the central meridian: the view's antimeridian, where rings are cut, is opposite it
    scale: float  # pixels per unit of the projection
    left: float  # projected x at the view's left edge
    top: float  # projected y at its top edge
    width: int
    height: int

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a place falls, in pixels from the view's top left corner."""
        x, y = equal_earth((lon - self.lon0 + 180) % 360 - 180, lat)
        return (x - self.left) * self.scale, (self.top - y) * self.scale

    def bounds(self) -> Bounds:
        """The longitudes and latitudes the view shows (west may be below -180, east above 180), padded a degree."""
        right, bottom = self.left + self.width / self.scale, self.top - self.height / self.scale
        # Parallels are straight, and along a side a longitude is x over a factor largest at the equator:
        # the view's farthest longitudes and latitudes are at its corners or where its sides cross the equator.
        spots = [(x, y) for x in (self.left, right) for y in (bottom, self.top)]
        if bottom < 0 < self.top:
            spots += [(self.left, 0.0), (right, 0.0)]
        points = [equal_earth_inverse(x, y) for x, y in spots]
        lons = [max(-180.0, min(180.0, lon)) for lon, _ in points]
        lats = [lat for _, lat in points]
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        if self.top >= Y_MAX:  # a pole in view: every meridian meets there
            west, east, north = -180.0, 180.0, 90.0
        if bottom <= -Y_MAX:
            west, east, south = -180.0, 180.0, -90.0
        return self.lon0 + west - 1, max(-90.0, south - 1), self.lon0 + east + 1, min(90.0, north + 1)


@dataclass(frozen=True)
class View:
    """The part of the world a map shows, west to east and south to north in degrees, and its size in px.

    The extent is widened to fill `width` × `height`; east passes 180 when the view crosses the antimeridian.
    """

    west: float
    south: float
    east: float
    north: float
    width: int = 400
    height: int = 300

    def __post_init__(self):
        if not (self.west < self.east <= self.west + 360 and -90 <= self.south < self.north <= 90):
            raise ValueError(f"not an extent: west {self.west}, south {self.south}, "
                             f"east {self.east}, north {self.north}")
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"not a size: {self.width} × {self.height} px")

    @classmethod
    def world(cls, width: int = 960, south: float = -90.0) -> View:
        """The whole world, as tall as the projection makes it for `width` (south=-60 leaves Antarctica out)."""
        top, bottom = equal_earth(0, 90)[1], equal_earth(0, south)[1]
        return cls(-180.0, south, 180.0, 90.0, width, round(width * (top - bottom) / (2 * X_MAX)))

    @classmethod
    def around(cls, places: Iterable[tuple[float, float]], margin: float = 3.0,
               width: int = 400, height: int = 300) -> View:
        """A locator map around places given as (longitude, latitude), at least `margin` degrees beyond them.

        Its span is one of SPANS and its middle on a grid a quarter of that span apart, so that maps of
        places near each other are one view and can share one base map.
        """
        places = list(places)
        if not places:
            raise ValueError("a map around no places")
        west, east = _span([(lon, lon) for lon, _ in places])
        south, north = min(lat for _, lat in places), max(lat for _, lat in places)
        for span in SPANS:
            tall, step = span * height / width, span / 4
            lon, lat = step * round((west + east) / 2 / step), step * round((south + north) / 2 / step)
            if (lon - span / 2 <= west - margin and lon + span / 2 >= east + margin
                    and lat - tall / 2 <= south - margin and lat + tall / 2 >= north + margin):
                break
        else:
            return cls(-180.0, -90.0, 180.0, 90.0, width, height)
        shift = 360 * math.floor((lon - span / 2 + 180) / 360)
        return cls(lon - span / 2 - shift, max(-90.0, lat - tall / 2), lon + span / 2 - shift,
                   min(90.0, lat + tall / 2), width, height)

    @classmethod
    def around_country(cls, country: str, margin: float = 2.0, width: int = 400, height: int = 300) -> View:
        """A map of the country with this ISO 3166-1 numeric id: its main part and the islands near it."""
        parts = [p.bounds for c in load("50m").country(country) for p in c.polygons]
        if not parts:
            raise KeyError(f"no country with the ISO 3166-1 numeric id {country!r} in Natural Earth")
        return cls._padded(_main_part(parts), margin, COUNTRY_MIN_SPAN, width, height)

    @classmethod
    def _padded(cls, bounds: Bounds, margin: float, least: float, width: int, height: int) -> View:
        west, south, east, north = bounds
        west, east = _at_least(west - margin, east + margin, least)
        south, north = _at_least(south - margin, north + margin, least * height / width)
        if east - west > 360:
            west, east = -180.0, 180.0
        south, north = max(-90.0, south), min(90.0, north)
        shift = 360 * math.floor((west + 180) / 360)
        return cls(west - shift, south, east - shift, north, width, height)

    @cached_property
    def frame(self) -> Frame:
        """The projection centred on the view's middle meridian, scaled and moved to fill its pixels."""
        lon0 = ((self.west + self.east) / 2 + 180) % 360 - 180
        half = (self.east - self.west) / 2
        ks, ys = equal_earth_factors([self.south + (self.north - self.south) * i / 24 for i in range(25)])
        reach = half * max(ks)  # x is longitude × k: the edge meridians bulge farthest where k is largest
        scale = min(self.width / (2 * reach), self.height / (max(ys) - min(ys)))
        middle = (max(ys) + min(ys)) / 2
        half = self.height / 2 / scale
        if half <= Y_MAX:  # widened to fill the height, a view would show the blank beyond a pole: move it off
            middle = max(half - Y_MAX, min(Y_MAX - half, middle))
        return Frame(lon0, scale, -self.width / 2 / scale, middle + half, self.width, self.height)

    @property
    def atlas(self) -> str:
        """The Natural Earth scale the view is drawn from: "110m" for the world, "50m" for a region."""
        return "110m" if (self.east - self.west) / self.width > REGIONAL else "50m"

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a place falls on the map, in px from its top left corner."""
        return self.frame.pixel(lon, lat)


def _span(intervals: list[tuple[float, float]]) -> tuple[float, float]:
    """The shortest run of longitudes west to east that covers every interval (east may pass 180)."""
    spans = sorted(((west + 180) % 360 - 180, (west + 180) % 360 - 180 + (east - west)) for west, east in intervals)
    merged: list[list[float]] = []
    for west, east in spans:
        if merged and west <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], east)
        else:
            merged.append([west, east])
    # Leave out the widest gap between one run and the next, the last run's next being the first, 360° on.
    gaps = [(merged[i + 1][0] if i + 1 < len(merged) else merged[0][0] + 360) - merged[i][1]
            for i in range(len(merged))]
    widest = max(range(len(gaps)), key=lambda i: (gaps[i], -i))
    if gaps[widest] <= 0:
        return -180.0, 180.0
    if widest == len(merged) - 1:
        return merged[0][0], merged[-1][1]
    return merged[widest + 1][0], merged[widest][1] + 360


def _main_part(parts: list[Bounds]) -> Bounds:
    """The bounds of a country's largest piece and of every piece within NEAR degrees of it, in turn."""
    def area(b: Bounds) -> float:
        return (b[2] - b[0]) * (b[3] - b[1]) * math.cos(math.radians((b[1] + b[3]) / 2))

    main = max(range(len(parts)), key=lambda i: area(parts[i]))
    west, south, east, north = parts[main]
    rest = parts[:main] + parts[main + 1:]
    grown = True
    while grown:
        grown = False
        for part in list(rest):
            for shift in (-360.0, 0.0, 360.0):
                w, s, e, n = part[0] + shift, part[1], part[2] + shift, part[3]
                if max(w - east, west - e, 0) <= NEAR and max(s - north, south - n, 0) <= NEAR:
                    west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
                    rest.remove(part)
                    grown = True
                    break
    return west, south, east, north


def _at_least(low: float, high: float, least: float) -> tuple[float, float]:
    """The interval widened about its middle to `least` if it is narrower."""
    if high - low >= least:
        return low, high
    middle = (low + high) / 2
    return middle - least / 2, middle + least / 2
