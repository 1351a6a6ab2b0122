"""Country outlines for one view: projected, cut at the antimeridian, simplified once per shared arc, clipped.

Simplification is by arc, never by ring: each vertex of an arc is weighed once per process
(Douglas–Peucker's tolerance at which it would go), and a view keeps the vertices heavier than its
tolerance in pixels, so the two countries either side of a border are drawn through the same
vertices and no gap opens between them. Rings are then cut where the view's antimeridian runs
(Russia and Fiji draw no stripe across the world), clipped to the view, and kept in tenths of a pixel.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from .projection import Y_MAX, equal_earth, equal_earth_all, equal_earth_inverse
from .topojson import Bounds, Country, Topology, unwrap

Ring = list[tuple[int, int]]  # a closed ring in tenths of a pixel, its first point not repeated
CLIP_MARGIN = 2.0  # px: rings are clipped this far outside the view, so their cut edges fall outside it
_RADIANS = math.pi / 180
_SHIFTS = (-720.0, -360.0, 0.0, 360.0, 720.0)


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
        points = []
        for i in range(33):
            along = i / 32
            for px, py in ((along * self.width, 0), (along * self.width, self.height),
                           (0, along * self.height), (self.width, along * self.height)):
                points.append(equal_earth_inverse(px / self.scale + self.left, self.top - py / self.scale))
        lons = [max(-180.0, min(180.0, lon)) for lon, _ in points]
        lats = [lat for _, lat in points]
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        if self.top >= Y_MAX:  # a pole in view: every meridian meets there
            west, east, north = -180.0, 180.0, 90.0
        if self.top - self.height / self.scale <= -Y_MAX:
            west, east, south = -180.0, 180.0, -90.0
        return self.lon0 + west - 1, max(-90.0, south - 1), self.lon0 + east + 1, min(90.0, north + 1)


def outlines(frame: Frame, topology: Topology, tolerance: float) -> list[tuple[Country, list[Ring]]]:
    """Every country with something to show in the frame and its rings, simplified to `tolerance` px."""
    bounds = frame.bounds()
    smallest = 1 / (frame.scale * _RADIANS)  # degrees in a pixel, about
    rect = (-CLIP_MARGIN, -CLIP_MARGIN, frame.width + CLIP_MARGIN, frame.height + CLIP_MARGIN)
    arcs: dict[int, tuple[list[float], list[float], list[float], list[float]]] = {}
    threshold = tolerance / frame.scale
    drawn = []
    for country in topology.countries:
        rings: list[Ring] = []
        for polygon in country.polygons:
            west, south, east, north = polygon.bounds
            if not _overlaps(polygon.bounds, bounds) or max((east - west) / 2, north - south) < smallest:
                continue
            for ring in polygon.rings:
                for piece in _pieces(frame, topology, ring, arcs, threshold):
                    if (clipped := _clip_rect(piece, rect)) and (tenths := _tenths(clipped)):
                        rings.append(tenths)
        if rings:
            drawn.append((country, rings))
    return drawn


def sphere(frame: Frame) -> list[Ring]:
    """The outline of the whole globe (the ocean), clipped to the frame."""
    edge = [(-180.0, float(lat)) for lat in range(-90, 91, 2)] + [(180.0, float(lat)) for lat in range(90, -91, -2)]
    rect = (-CLIP_MARGIN, -CLIP_MARGIN, frame.width + CLIP_MARGIN, frame.height + CLIP_MARGIN)
    clipped = _clip_rect(_pixel_ring(frame, edge), rect)
    tenths = _tenths(clipped) if clipped else None
    return [tenths] if tenths else []


def path_data(rings: list[Ring]) -> str:
    """SVG path data for rings in tenths of a pixel: each ring moved to, then drawn in relative steps."""
    parts = []
    for ring in rings:
        (x, y), rest = ring[0], ring[1:]
        numbers = []
        for nx, ny in rest:
            numbers += (nx - x, ny - y)
            x, y = nx, ny
        parts.append(f"M{decimal(ring[0][0])} {decimal(ring[0][1])}l{_numbers(numbers)}z")
    return "".join(parts)


def _pixels(frame: Frame, lons: list[float], lats: list[float]) -> tuple[list[float], list[float]]:
    """Points already relative to the central meridian (maybe beyond ±180) in pixels: (xs, ys)."""
    xs, ys = equal_earth_all(lons, lats)
    left, top, scale = frame.left, frame.top, frame.scale
    return [(x - left) * scale for x in xs], [(top - y) * scale for y in ys]


def _pixel_ring(frame: Frame, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    xs, ys = _pixels(frame, [lam for lam, _ in points], [lat for _, lat in points])
    return list(zip(xs, ys, strict=True))


def _overlaps(box: Bounds, view: Bounds) -> bool:
    if box[1] >= view[3] or box[3] <= view[1]:
        return False
    return any(box[0] + shift < view[2] and box[2] + shift > view[0] for shift in _SHIFTS[1:4])


def _prepared(topology: Topology, index: int) -> tuple[list[float], list[float], list[float]]:
    """An arc's longitudes followed without a jump of 360°, its latitudes, and each vertex's weight:
    the largest tolerance at which Douglas–Peucker keeps it. Worked out once per process."""
    if index not in topology.memo:
        points = topology.arcs[index]
        lons = unwrap([lon for lon, _ in points])
        lats = [lat for _, lat in points]
        middle = (min(lons) + max(lons)) / 2  # projected about its own meridian, the arc is not sheared
        xs, ys = equal_earth_all([lon - middle for lon in lons], lats)
        topology.memo[index] = (lons, lats, _weights(xs, ys))
    return topology.memo[index]


def _arc(frame: Frame, topology: Topology, index: int, threshold: float):
    """The vertices of an arc kept at a threshold in projected units: their longitudes relative to
    the central meridian (the first within ±180, the rest following it), latitudes and pixels."""
    lons, lats, weights = _prepared(topology, index)
    keep = [i for i, weight in enumerate(weights) if weight > threshold]
    shift = (lons[0] - frame.lon0 + 180) % 360 - 180 - lons[0]
    kept_lons = [lons[i] + shift for i in keep]
    kept_lats = [lats[i] for i in keep]
    xs, ys = _pixels(frame, kept_lons, kept_lats)
    return kept_lons, kept_lats, xs, ys


def _pieces(frame: Frame, topology: Topology, ring: tuple[int, ...], arcs: dict, threshold: float):
    """A ring in pixels: whole, or in pieces where the view's antimeridian cuts it."""
    lons: list[float] = []
    lats: list[float] = []
    xs: list[float] = []
    ys: list[float] = []
    moved = False
    for index in ring:
        arc = index if index >= 0 else ~index
        if arc not in arcs:
            arcs[arc] = _arc(frame, topology, arc, threshold)
        alons, alats, axs, ays = arcs[arc]
        if index < 0:
            alons, alats, axs, ays = alons[::-1], alats[::-1], axs[::-1], ays[::-1]
        start = 1 if lons else 0  # an arc starts where the one before it ends
        shift = 360 * round((lons[-1] - alons[0]) / 360) if lons else 0
        moved = moved or shift != 0
        lons.extend(lon + shift for lon in alons[start:])
        lats.extend(alats[start:])
        xs.extend(axs[start:])
        ys.extend(ays[start:])
    winding = round((lons[-1] - lons[0]) / 360)
    if not moved and not winding and min(lons) >= -180 and max(lons) <= 180:
        return [list(zip(xs[:-1], ys[:-1], strict=True))]
    points = list(zip(lons, lats, strict=True))
    if winding:  # the ring goes round a pole (Antarctica): close it along that pole
        pole = -90.0 if sum(lats) < 0 else 90.0
        points += [(lons[-1], pole), (lons[0], pole)]
    else:
        points.pop()
    low, high = min(lons), max(lons)
    pieces = []
    for shift in _SHIFTS:
        if low + shift < 180 and high + shift > -180:
            moved_points = [(lam + shift, lat) for lam, lat in points]
            piece = _clip(_clip(moved_points, 0, -180.0, True), 0, 180.0, False)
            if len(piece) >= 3:
                pieces.append(_pixel_ring(frame, _along_the_cut(piece)))
    return pieces


def _along_the_cut(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points added every degree along the cut meridian, which projects to a curve, not a chord."""
    out = []
    previous = points[-1]
    for point in points:
        if abs(point[0]) == 180 and point[0] == previous[0] and abs(point[1] - previous[1]) > 1:
            steps = int(abs(point[1] - previous[1]))
            out += [(point[0], previous[1] + (point[1] - previous[1]) * i / steps) for i in range(1, steps)]
        out.append(point)
        previous = point
    return out


def _clip(points: list[tuple[float, float]], axis: int, limit: float, keep_above: bool) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: the part of a ring on one side of a line x = limit (axis 0) or y = limit (axis 1)."""
    if not points:
        return points
    out = []
    previous = points[-1]
    was_in = previous[axis] >= limit if keep_above else previous[axis] <= limit
    for point in points:
        is_in = point[axis] >= limit if keep_above else point[axis] <= limit
        if is_in != was_in:
            t = (limit - previous[axis]) / (point[axis] - previous[axis])
            other = previous[1 - axis] + t * (point[1 - axis] - previous[1 - axis])
            out.append((limit, other) if axis == 0 else (other, limit))
        if is_in:
            out.append(point)
        previous, was_in = point, is_in
    return out


def _clip_rect(points: list[tuple[float, float]], rect: tuple[float, float, float, float]):
    """The ring clipped to the rectangle; untouched when wholly inside, empty when wholly outside."""
    left, top, right, bottom = rect
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    if max(xs) < left or min(xs) > right or max(ys) < top or min(ys) > bottom:
        return []
    if min(xs) >= left and max(xs) <= right and min(ys) >= top and max(ys) <= bottom:
        return points
    points = _clip(_clip(points, 0, left, True), 0, right, False)
    return _clip(_clip(points, 1, top, True), 1, bottom, False)


def _tenths(points: list[tuple[float, float]]) -> Ring | None:
    """The ring rounded to tenths of a pixel, repeats dropped; None when it is less than a pixel in area."""
    ring: Ring = []
    for x, y in points:
        point = (round(x * 10), round(y * 10))
        if not ring or point != ring[-1]:
            ring.append(point)
    while len(ring) > 1 and ring[-1] == ring[0]:
        ring.pop()
    if len(ring) < 3:
        return None
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
    return ring if abs(area) >= 200 else None  # twice the area, in tenths squared: 200 is one square pixel


def _weights(xs: list[float], ys: list[float]) -> list[float]:
    """Each vertex's distance from the chord Douglas–Peucker splits at it, capped by the split before it,
    so that keeping the vertices heavier than a tolerance is Douglas–Peucker at that tolerance.
    The ends weigh infinitely: other arcs meet there."""
    weights = [0.0] * len(xs)
    weights[0] = weights[-1] = math.inf
    stack = [(0, len(xs) - 1, math.inf)]
    while stack:
        first, last, ceiling = stack.pop()
        if last - first < 2:
            continue
        ax, ay = xs[first], ys[first]
        dx, dy = xs[last] - ax, ys[last] - ay
        length = math.hypot(dx, dy)
        inner = zip(xs[first + 1:last], ys[first + 1:last], strict=True)
        if length:  # distance from the chord's line, times its length
            away = [abs((x - ax) * dy - (y - ay) * dx) for x, y in inner]
        else:  # a closed arc (an island): distance from its end
            away = [math.hypot(x - ax, y - ay) for x, y in inner]
            length = 1.0
        farthest = max(away)
        at = first + 1 + away.index(farthest)
        weight = weights[at] = min(farthest / length, ceiling)
        stack += [(first, at, weight), (at, last, weight)]
    return weights


@functools.lru_cache(maxsize=8192)  # the steps of an outline are mostly small and repeat
def decimal(tenths: int) -> str:
    """A number of tenths as the shortest decimal: 15 → 1.5, -5 → -.5, 20 → 2."""
    whole, tenth = divmod(abs(tenths), 10)
    text = (f"{whole}.{tenth}" if whole else f".{tenth}") if tenth else str(whole)
    return "-" + text if tenths < 0 else text


def _numbers(values: list[int]) -> str:
    """Numbers joined as SVG path data allows: a minus sign, or a point after a number with one, separates."""
    out = []
    previous = ""
    for value in values:
        text = decimal(value)
        if out and not (text[0] == "-" or (text[0] == "." and "." in previous)):
            out.append(" ")
        out.append(text)
        previous = text
    return "".join(out)
