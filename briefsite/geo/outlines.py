"""Country outlines for one view: projected, cut at the antimeridian, simplified once per shared arc, clipped.

Simplification is by arc, never by ring: each vertex of an arc is weighed once per process
(Douglas–Peucker's tolerance at which it would go), and a view keeps the vertices heavier than its
tolerance in pixels, so the two countries either side of a border are drawn through the same
vertices and no gap opens between them. Rings are then cut where the view's antimeridian runs
(Russia and Fiji draw no stripe across the world), clipped to the view, and kept in tenths of a pixel.

What no view changes is worked out once per process (topojson.extent, detail, reach), so that a view
places a vertex with a multiplication, and draws an arc, or a run of one, wholly beyond a side of it
by its two ends alone: beyond that side, as the chord between them is, the ring clips to the same shape.
"""

from __future__ import annotations

import functools
import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from itertools import compress, islice, repeat
from operator import ge, itemgetter, le, ne
from typing import TYPE_CHECKING

from .projection import equal_earth_factors
from .topojson import Bounds, Country, Topology, country_bounds, detail, extent, reach

if TYPE_CHECKING:
    from .view import Frame

Ring = list[tuple[int, int]]  # a closed ring in tenths of a pixel, its first point not repeated
Line = tuple[list, list]  # a ring's xs and ys: in tenths of a pixel, whole numbers once placed
CLIP_MARGIN = 2.0  # px: rings are clipped this far outside the view, so their cut edges fall outside it
_RADIANS = math.pi / 180
_SHIFTS = (-720.0, -360.0, 0.0, 360.0, 720.0)
_OFF, _ACROSS, _IN = 0, 1, 2  # where an extent is: beyond a side of the view, perhaps across its edge, within it
_POINT_AFTER_POINT = re.compile(r"(?<=\.\d) (?=\.)")  # "1.5.5" is two numbers: the second point parts them


class _Drawing:
    """One view of one atlas: where its arcs go, in whole tenths of a pixel."""

    def __init__(self, frame: Frame, topology: Topology, tolerance: float):
        self.frame, self.topology, self.lon0 = frame, topology, frame.lon0
        self.scale = frame.scale * 10  # tenths of a pixel per unit of the projection
        self.left, self.top = frame.left * self.scale, frame.top * self.scale
        self.rect = _rect(frame)
        self.threshold = tolerance / frame.scale  # a weight, in units of the projection
        self.placed: dict[int, Line] = {}
        self.inside: set[int] = set()  # arcs wholly within the clipping rectangle

    def shift(self, lon: float) -> float:
        """What a longitude gains to be relative to the central meridian, within ±180: one of a few values."""
        return -self.lon0 - 360 * math.floor((lon - self.lon0 + 180) / 360)

    def crossed(self, ring: tuple[int, ...]) -> bool:
        """Whether the view's antimeridian crosses the ring, or it goes round a pole."""
        start, west, east, winding = reach(self.topology, ring)
        start += self.shift(start)  # a ring on the antimeridian, within rounding, is cut too: `shift` could err
        return winding or start + west < -180 + 1e-9 or start + east > 180 - 1e-9

    def place(self, arcs: Iterable[int]) -> None:
        """Works out where the arcs go: their kept vertices, projected together."""
        scale, left, top, topology, threshold = self.scale, self.left, self.top, self.topology, -self.threshold
        lines: dict[float, tuple[list[float], list[float], list[float], list[tuple[int, int]]]] = {}
        extents, details = topology.memo.get("extent", {}), topology.memo.get("detail", {})
        for index in arcs:
            bounds = extents.get(index) or extent(topology, index)
            shift = self.shift(bounds[6])
            if shift not in lines:  # a few: -lon0, and that ±360
                lines[shift] = ([], [], [], [])
            lons, ks, ys, counts = lines[shift]
            where = self.where(shift, bounds)
            if where == _OFF:
                lons += bounds[6:8]
                ks += bounds[8::2]
                ys += bounds[9::2]
                counts.append((index, 2))
                continue
            arc_lons, arc_ks, arc_ys, order, ranked, runs = details.get(index) or detail(topology, index)
            kept = sorted(order[:bisect_left(ranked, threshold)])
            if where == _IN:
                self.inside.add(index)
            elif runs:
                kept = self.trimmed(kept, runs, shift)
            pick = itemgetter(*kept)
            lons += pick(arc_lons)
            ks += pick(arc_ks)
            ys += pick(arc_ys)
            counts.append((index, len(kept)))
        for shift, (lons, ks, ys, counts) in lines.items():
            xs = list(map(float.__round__, [(lon + shift) * k * scale - left for lon, k in zip(lons, ks, strict=True)]))
            ys = list(map(float.__round__, [top - y * scale for y in ys]))
            at = 0
            for index, count in counts:
                self.placed[index] = (xs[at:at + count], ys[at:at + count])
                at += count

    def where(self, shift: float, bounds: tuple[float, ...]) -> int:
        """Where vertices within bounds (as topojson.extent gives them) are: _OFF, _ACROSS or _IN."""
        west, east, k_near, k_far, y_south, y_north = bounds[:6]
        scale, left, top = self.scale, self.left, self.top
        west, east = west + shift, east + shift
        low = west * (k_near if west < 0 else k_far) * scale - left  # x is longitude × k
        high = east * (k_far if east < 0 else k_near) * scale - left
        up, down = top - y_north * scale, top - y_south * scale
        x0, y0, x1, y1 = self.rect
        if high < x0 or low > x1 or down < y0 or up > y1:
            return _OFF
        return _IN if x0 <= low and high <= x1 and y0 <= up and down <= y1 else _ACROSS

    def trimmed(self, kept: list[int], runs: list[tuple], shift: float) -> list[int]:
        """The kept vertices but those inside a run wholly beyond a side of the view, save its first and last."""
        out: list[int] = []
        low = 0
        for _, end, *bounds in runs:
            high = bisect_left(kept, end, low)
            if high - low > 2 and self.where(shift, bounds) == _OFF:
                out += (kept[low], kept[high - 1])
            else:
                out += kept[low:high]
            low = high
        return out

    def ring(self, ring: tuple[int, ...]) -> tuple[Line, bool]:
        """A ring the antimeridian does not cross, its arcs placed, and whether it is wholly within the view."""
        xs: list[int] = []
        ys: list[int] = []
        placed, inside = self.placed, self.inside
        within = True
        for index in ring:
            arc = index if index >= 0 else ~index
            axs, ays = placed[arc]
            within = within and arc in inside
            if index >= 0:
                xs += axs[1:] if xs else axs  # an arc starts where the one before it ends
                ys += ays[1:] if ys else ays
            else:
                xs += axs[-2::-1] if xs else axs[::-1]
                ys += ays[-2::-1] if ys else ays[::-1]
        return (xs[:-1], ys[:-1]), within

    def degrees(self, index: int) -> Line:
        """The arc's kept vertices as longitudes relative to the central meridian (its first within ±180), latitudes."""
        lons, _, _, order, ranked, _ = detail(self.topology, index)
        pick = itemgetter(*sorted(order[:bisect_left(ranked, -self.threshold)]))
        shift = self.shift(lons[0])
        return [lon + shift for lon in pick(lons)], [lat for _, lat in pick(self.topology.arcs[index])]


def outlines(frame: Frame, topology: Topology, tolerance: float) -> list[tuple[Country, str]]:
    """Every country with something to show in the frame, and its SVG path data, simplified to `tolerance` px."""
    view = frame.bounds()
    smallest = 1 / (frame.scale * _RADIANS)  # degrees in a pixel, about
    chosen = []
    for country, bounds in zip(topology.countries, country_bounds(topology), strict=True):
        if _shown(bounds, view, smallest) and (rings := [ring for polygon in country.polygons
                                                         if _shown(polygon.bounds, view, smallest)
                                                         for ring in polygon.rings]):
            chosen.append((country, rings))
    drawing = _Drawing(frame, topology, tolerance)
    crossed = {ring for _, rings in chosen for ring in rings if drawing.crossed(ring)}
    drawing.place(dict.fromkeys(index if index >= 0 else ~index for _, rings in chosen
                                for ring in rings if ring not in crossed for index in ring))
    drawn = []
    for country, rings in chosen:
        paths = []
        for ring in rings:
            pieces = [(piece, False) for piece in _cut(drawing, ring)] if ring in crossed else [drawing.ring(ring)]
            for line, within in pieces:
                if (within or (line := _clip_rect(line, drawing.rect))) and (path := _outline(*line)):
                    paths.append(path)
        if paths:
            drawn.append((country, _joined(paths)))
    return drawn


def sphere(frame: Frame) -> str:
    """SVG path data for the outline of the whole globe (the ocean), clipped to the frame."""
    lons, ks, ys = _edge()
    scale = frame.scale * 10
    left, top = frame.left * scale, frame.top * scale
    line = (list(map(float.__round__, [lon * k * scale - left for lon, k in zip(lons, ks, strict=True)])),
            list(map(float.__round__, [top - y * scale for y in ys])))
    clipped = _clip_rect(line, _rect(frame))
    return _joined([_outline(*clipped) or ""]) if clipped else ""


def path_data(rings: list[Ring]) -> str:
    """SVG path data for rings in tenths of a pixel: each ring moved to, then drawn in relative steps
    (a point repeated, and a ring of fewer than three points, left out)."""
    return _joined([_outline([x for x, _ in ring], [y for _, y in ring], 0) or "" for ring in rings])


def decimal(tenths: int) -> str:
    """A number of tenths as the shortest decimal: 15 → 1.5, -5 → -.5, 20 → 2."""
    whole, tenth = divmod(abs(tenths), 10)
    text = (f"{whole}.{tenth}" if whole else f".{tenth}") if tenth else str(whole)
    return "-" + text if tenths < 0 else text


class _Spaced(dict):
    """`decimal` of a number of tenths after a space, or a minus sign that parts it from the one before."""

    def __missing__(self, tenths: int) -> str:
        text = decimal(tenths) if tenths < 0 else " " + decimal(tenths)
        if -5000 <= tenths <= 5000:  # kept within bounds: a serve process draws maps for hours
            self[tenths] = text
        return text


_SPACED = _Spaced()


def _outline(xs: list[int], ys: list[int], least: int = 200) -> str | None:
    """Path data for a ring in whole tenths of a pixel, a point repeated left out; None with fewer than three points
    or, twice, less than `least` tenths² of area (200 is a square pixel). A plain loop: most rings are a few points."""
    numbers: list[str] = []
    start = ""
    twice = 0
    spaced = _SPACED
    x0, y0 = xs[-1], ys[-1]
    for x, y in zip(xs, ys, strict=True):
        if x == x0 and y == y0:
            continue
        twice += x0 * y - x * y0
        if start:  # the last step, back to the start, is left to "z"
            numbers += (spaced[x - x0], spaced[y - y0])
        else:
            start = f"M{decimal(x)}{spaced[y]}l"
        x0, y0 = x, y
    if len(numbers) < 4 or abs(twice) < least:
        return None
    steps = "".join(numbers)
    return f"{start}{steps[1:] if steps[0] == ' ' else steps}z"


def _joined(paths: list[str]) -> str:
    """Paths' data as one, a space left out between numbers where the second's decimal point parts them."""
    return _POINT_AFTER_POINT.sub("", "".join(paths))


def _rect(frame: Frame) -> tuple[int, int, int, int]:
    """Where rings are clipped, in tenths of a pixel: CLIP_MARGIN beyond the frame."""
    margin = round(CLIP_MARGIN * 10)
    return -margin, -margin, frame.width * 10 + margin, frame.height * 10 + margin


def _shown(bounds: Bounds, view: Bounds, smallest: float) -> bool:
    """Whether what has these bounds may show in a view with those (360° either way too), at least `smallest` across."""
    west, south, east, north = bounds
    view_west, view_south, view_east, view_north = view
    return (south < view_north and north > view_south and max((east - west) / 2, north - south) >= smallest
            and (west < view_east and east > view_west or west - 360 < view_east and east - 360 > view_west
                 or west + 360 < view_east and east + 360 > view_west))


def _pixels(frame: Frame, points: list[tuple[float, float]]) -> Line:
    """Points relative to the central meridian (maybe beyond ±180) in whole tenths of a pixel, worked out
    as `_Drawing.place` does: a ring cut at the antimeridian meets its neighbours at the same tenths."""
    ks, ys = equal_earth_factors([lat for _, lat in points])
    scale = frame.scale * 10
    left, top = frame.left * scale, frame.top * scale
    return ([round(lon * k * scale - left) for (lon, _), k in zip(points, ks, strict=True)],
            [round(top - y * scale) for y in ys])


@functools.cache
def _edge() -> tuple[list[float], list[float], list[float]]:
    """The globe's outline, down the west side of the meridian opposite the centre and up its east: (lons, ks, ys)."""
    lats = [float(lat) for lat in range(-90, 91, 2)]
    ks, ys = equal_earth_factors(lats + lats[::-1])
    return [-180.0] * len(lats) + [180.0] * len(lats), ks, ys


def _cut(drawing: _Drawing, ring: tuple[int, ...]) -> list[Line]:
    """The pieces of a ring the view's antimeridian crosses, each closed along it."""
    lons: list[float] = []
    lats: list[float] = []
    for index in ring:
        alons, alats = drawing.degrees(index if index >= 0 else ~index)
        if index < 0:
            alons, alats = alons[::-1], alats[::-1]
        start = 1 if lons else 0
        shift = 360 * round((lons[-1] - alons[0]) / 360) if lons else 0
        lons.extend(lon + shift for lon in alons[start:])
        lats.extend(alats[start:])
    if round((lons[-1] - lons[0]) / 360):  # the ring goes round a pole (Antarctica): close it along that pole
        pole = -90.0 if sum(lats) < 0 else 90.0
        lons, lats = [*lons, lons[-1], lons[0]], [*lats, pole, pole]
    else:
        lons, lats = lons[:-1], lats[:-1]
    low, high = min(lons), max(lons)
    pieces = []
    for shift in _SHIFTS:
        if low + shift < 180 and high + shift > -180:
            piece = _clip(([lam + shift for lam in lons], lats), 0, -180.0, True, float)
            piece = _clip(piece, 0, 180.0, False, float)
            if len(piece[0]) >= 3:
                pieces.append(_pixels(drawing.frame, _along_the_cut(list(zip(*piece, strict=True)))))
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


def _clip(line: Line, axis: int, limit: float, keep_above: bool, settle=round) -> Line:
    """Sutherland–Hodgman: the part of a ring on one side of a line x = limit (axis 0) or y = limit (axis 1),
    the points where it crosses the line `settle`d (rounded to whole tenths)."""
    along, across = line if axis == 0 else line[::-1]
    inside = list(map(ge if keep_above else le, along, repeat(limit)))
    if all(inside):
        return line
    out_along: list = []
    out_across: list = []
    changes = list(compress(range(1, len(along)), map(ne, islice(inside, 1, None), inside)))
    for first, end in zip([0, *changes], [*changes, len(along)], strict=True):  # runs in or out, the ring closed
        before = first - 1
        if inside[first] != inside[before]:
            t = (limit - along[before]) / (along[first] - along[before])
            out_along.append(limit)
            out_across.append(settle(across[before] + t * (across[first] - across[before])))
        if inside[first]:
            out_along += along[first:end]
            out_across += across[first:end]
    return (out_along, out_across) if axis == 0 else (out_across, out_along)


def _clip_rect(line: Line, rect: tuple[int, int, int, int]) -> Line | None:
    """The ring clipped to the rectangle; untouched when wholly inside, None when wholly outside."""
    left, top, right, bottom = rect
    x_low, x_high, y_low, y_high = min(line[0]), max(line[0]), min(line[1]), max(line[1])
    if x_high < left or x_low > right or y_high < top or y_low > bottom:
        return None
    for axis, limit, keep_above, beyond in ((0, left, True, x_low < left), (0, right, False, x_high > right),
                                            (1, top, True, y_low < top), (1, bottom, False, y_high > bottom)):
        if beyond:  # a cut keeps the ring within its extent
            line = _clip(line, axis, limit, keep_above)
    return line if line[0] else None
