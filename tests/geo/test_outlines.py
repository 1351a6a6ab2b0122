"""Outlines drawn fast: what no view changes worked out once per arc, arcs beyond the view drawn by their ends,
the view's bounds from its corners; each shortcut checked against the long way round."""

from __future__ import annotations

import bisect
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_maps import test_neighbours_share_their_simplified_border_vertex_for_vertex as shares_its_border

from briefsite.geo import outlines, topojson
from briefsite.geo.maps import TOLERANCE, View
from briefsite.geo.projection import Y_MAX, equal_earth_factors, equal_earth_inverse
from briefsite.geo.topojson import detail, extent, load

VIEWS = [
    View.around([(98.57, 16.71)]),  # Mae Sot: China, India and the sea cut at the edges
    View.around([(116.4, 39.9)]),  # Beijing: long arcs of China and Mongolia mostly beyond the view
    View.around([(178.4, -17.8)]),  # Fiji, across the antimeridian
    View.around_country("643", width=480, height=360),  # Russia, from the 1:110m atlas
    View(90, -11, 130, 28, 600, 450),
    View(-30, -90, 330, 90, 960, 467),  # the world about 150°E
    View.world(960, south=-60),
]


@pytest.mark.parametrize("view", VIEWS, ids=["mae-sot", "beijing", "fiji", "russia", "south-east-asia", "pacific", "world"])
def test_arcs_beyond_a_side_of_the_view_drawn_by_their_ends_clip_to_the_same_outlines(view, monkeypatch):
    topology = load(view.atlas)
    fast = outlines.outlines(view.frame, topology, TOLERANCE)
    # Every arc, and every run of one, taken as perhaps across the view's edge: all its kept vertices, clipped.
    monkeypatch.setattr(outlines._Drawing, "where", lambda self, shift, bounds: outlines._ACROSS)
    assert outlines.outlines(view.frame, topology, TOLERANCE) == fast


def test_an_arc_keeps_the_vertices_heavier_than_the_threshold_in_order():
    topology = load("50m")
    for index in random.Random(1).sample(range(len(topology.arcs)), 60):
        lons, ks, ys, order, ranked, _ = detail(topology, index)
        middle = (min(lons) + max(lons)) / 2
        weights = topojson._weights([(lon - middle) * k for lon, k in zip(lons, ks, strict=True)], list(ys))
        for threshold in (1e-5, 3e-4, 2e-3, 1e-1):
            kept = sorted(order[:bisect.bisect_left(ranked, -threshold)])
            assert kept == [i for i, weight in enumerate(weights) if weight > threshold]


def douglas_peucker(xs: list[float], ys: list[float], tolerance: float) -> list[int]:
    """The vertices Douglas–Peucker keeps, found the textbook way (distances worked out as `_weights` does,
    so that rounding cannot break a tie the other way)."""
    def split(first: int, last: int) -> list[int]:
        ax, ay = xs[first], ys[first]
        dx, dy = xs[last] - ax, ys[last] - ay
        length = math.hypot(dx, dy)
        best, at = -1.0, 0
        for i in range(first + 1, last):
            away = (abs(xs[i] * dy - ys[i] * dx - (ax * dy - ay * dx)) / length if length
                    else math.hypot(xs[i] - ax, ys[i] - ay))
            if away > best:
                best, at = away, i
        return split(first, at)[:-1] + split(at, last) if best > tolerance else [first, last]
    return split(0, len(xs) - 1)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1)), min_size=2, max_size=40),
       st.floats(0.001, 0.5))
def test_weights_keep_what_douglas_peucker_keeps(points, tolerance):
    xs, ys = [x for x, _ in points], [y for _, y in points]
    weights = topojson._weights(xs, ys)
    assert [i for i, weight in enumerate(weights) if weight > tolerance] == douglas_peucker(xs, ys, tolerance)


def test_an_arc_extent_holds_all_its_vertices():
    for atlas in ("110m", "50m"):
        topology = load(atlas)
        for index in range(0, len(topology.arcs), 7):
            west, east, k_near, k_far, y_south, y_north, first, last, k_first, y_first, k_last, y_last = \
                extent(topology, index)
            lons = topojson.unwrap([lon for lon, _ in topology.arcs[index]])
            ks, ys = equal_earth_factors([lat for _, lat in topology.arcs[index]])
            assert west == min(lons) and east == max(lons) and (first, last) == (lons[0], lons[-1])
            assert k_far <= min(ks) and max(ks) <= k_near and y_south <= min(ys) and max(ys) <= y_north
            assert (k_first, y_first, k_last, y_last) == (ks[0], ys[0], ks[-1], ys[-1])


def sampled_bounds(frame) -> tuple[float, float, float, float]:
    """The view's bounds as they were found before: 33 points along each side."""
    points = []
    for i in range(33):
        along = i / 32
        for px, py in ((along * frame.width, 0), (along * frame.width, frame.height),
                       (0, along * frame.height), (frame.width, along * frame.height)):
            points.append(equal_earth_inverse(px / frame.scale + frame.left, frame.top - py / frame.scale))
    lons = [max(-180.0, min(180.0, lon)) for lon, _ in points]
    west, east = min(lons), max(lons)
    south, north = min(lat for _, lat in points), max(lat for _, lat in points)
    if frame.top >= Y_MAX:
        west, east, north = -180.0, 180.0, 90.0
    if frame.top - frame.height / frame.scale <= -Y_MAX:
        west, east, south = -180.0, 180.0, -90.0
    return frame.lon0 + west - 1, max(-90.0, south - 1), frame.lon0 + east + 1, min(90.0, north + 1)


@settings(max_examples=80, deadline=None)
@given(st.floats(-180, 180), st.floats(-80, 70), st.sampled_from([6, 12, 24, 48, 96, 200, 360]),
       st.sampled_from([(400, 300), (480, 360), (960, 467), (300, 600)]))
def test_a_view_bounds_from_its_corners_hold_what_sampling_its_sides_found(west, south, span, size):
    view = View(west, south, west + span, min(90.0, south + span * 0.6), *size)
    found, sampled = view.frame.bounds(), sampled_bounds(view.frame)
    assert found[0] <= sampled[0] + 1e-9 and found[1] <= sampled[1] + 1e-9
    assert found[2] >= sampled[2] - 1e-9 and found[3] >= sampled[3] - 1e-9
    assert all(abs(a - b) < 0.5 for a, b in zip(found, sampled, strict=True))  # no looser than a fraction of a degree


def test_numbers_are_kept_for_small_steps_only():
    assert outlines._SPACED[15] == " 1.5" and outlines._SPACED[-5] == "-.5"
    assert outlines._SPACED[123_456] == " 12345.6" and 123_456 not in outlines._SPACED
    assert all(abs(tenths) <= 5000 for tenths in outlines._SPACED)


@pytest.mark.parametrize(("view", "one", "other"), [
    (View.world(), "643", "398"),  # Russia, cut at the antimeridian, and Kazakhstan, whole
    (View(-280, -90, 80, 90, 960, 467), "156", "496"),  # the world about 100°W: China, cut at 80°E, and Mongolia
])
def test_a_ring_cut_at_the_antimeridian_meets_its_neighbour_vertex_for_vertex(view, one, other):
    shares_its_border(view, one, other)
