"""Reading the world's countries from TopoJSON: quantised, delta-encoded, shared and reversed arcs."""

from __future__ import annotations

import json

import pytest

from briefsite.geo import topojson
from briefsite.geo.topojson import Polygon, decode, load, ring_points

# Two arcs make a unit square between (10, 20) and (11, 20.5): arc 0 along the south and east sides, arc 1
# back along the north and west ones. A second country uses arc 1 reversed, as a neighbour does.
SQUARE = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
    "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]], [[2, 2], [0, 2], [-2, -4]]],
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "Square"}},
        {"type": "MultiPolygon", "arcs": [[[~1, 2]]], "id": "002", "properties": {"name": "Neighbour"}},
        {"type": None, "id": "003", "properties": {"name": "Nowhere"}},
        {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "No id"}},
    ]}},
}


def test_quantised_arcs_are_decoded_by_their_deltas_scale_and_translation():
    topology = decode(SQUARE)
    assert topology.arcs[0] == ((10.0, 20.0), (11.0, 20.0), (11.0, 20.5))
    assert topology.arcs[1] == ((11.0, 20.5), (10.0, 20.5), (10.0, 20.0))


def test_a_ring_joins_its_arcs_without_repeating_where_they_meet():
    topology = decode(SQUARE)
    square = topology.countries[0]
    assert (square.id, square.name) == ("001", "Square")
    assert ring_points(topology.arcs, square.polygons[0].rings[0]) == [
        (10.0, 20.0), (11.0, 20.0), (11.0, 20.5), (10.0, 20.5), (10.0, 20.0)]


def test_a_reversed_arc_is_followed_backwards_and_stays_the_same_arc():
    topology = decode(SQUARE)
    neighbour = topology.countries[1]
    assert neighbour.polygons == (Polygon(((~1, 2),), (10.0, 20.0, 11.0, 21.0)),)
    assert ring_points(topology.arcs, neighbour.polygons[0].rings[0]) == [
        (10.0, 20.0), (10.0, 20.5), (11.0, 20.5), (11.0, 21.0), (10.0, 20.0)]


def test_null_geometries_are_left_out_and_a_missing_id_is_empty():
    topology = decode(SQUARE)
    assert [(c.id, c.name) for c in topology.countries] == [("001", "Square"), ("002", "Neighbour"), ("", "No id")]


def test_an_unquantised_topology_is_read_as_it_is():
    document = json.loads(json.dumps(SQUARE))
    del document["transform"]
    document["arcs"] = [[[10, 20], [11, 20], [11, 20.5]], [[11, 20.5], [10, 20.5], [10, 20]], [[11, 20.5], [11, 21], [10, 20]]]
    assert decode(document).arcs[1] == ((11.0, 20.5), (10.0, 20.5), (10.0, 20.0))


def test_the_110m_atlas_has_177_countries_by_iso_numeric_id():
    atlas = load("110m")
    assert len(atlas.countries) == 177
    assert [c.name for c in atlas.country("764")] == ["Thailand"]
    assert [c.name for c in atlas.country("104")] == ["Myanmar"]
    assert [c.name for c in atlas.country("156")] == ["China"]
    assert sorted(c.name for c in atlas.countries if not c.id) == ["Kosovo", "N. Cyprus", "Somaliland"]


def test_thailand_decodes_where_thailand_is():
    atlas = load("110m")
    (thailand,) = atlas.country("764")
    points = [p for polygon in thailand.polygons for ring in polygon.rings for p in ring_points(atlas.arcs, ring)]
    assert all(97 <= lon <= 106 and 5 <= lat <= 21 for lon, lat in points)
    assert len(points) > 20


def test_the_50m_atlas_has_the_small_countries_the_110m_one_lacks():
    small = {"702": "Singapore", "344": "Hong Kong", "048": "Bahrain"}
    assert all(not load("110m").country(id) for id in small)
    assert {id: [c.name for c in load("50m").country(id)] for id in small} == {id: [name] for id, name in small.items()}
    assert sorted(c.name for c in load("50m").country("036")) == ["Ashmore and Cartier Is.", "Australia"]


def test_bounds_follow_a_ring_across_the_antimeridian():
    fiji = [p.bounds for c in load("110m").country("242") for p in c.polygons]
    assert any(west < 180 < east for west, _, east, _ in fiji), fiji  # the ring across 180° is one piece
    (antarctica,) = load("110m").country("010")
    widest = max((p.bounds for p in antarctica.polygons), key=lambda b: b[2] - b[0])
    assert widest[0::2] == (-180.0, 180.0)  # round the pole: every longitude
    assert all(-180 <= p.bounds[0] < 180 and p.bounds[0] < p.bounds[2] for c in load("50m").countries for p in c.polygons)


def test_unwrap_follows_longitudes_across_the_antimeridian_without_a_jump():
    assert topojson.unwrap([178.0, 180.0, -179.0, -170.0, 179.0]) == [178.0, 180.0, 181.0, 190.0, 179.0]
    assert topojson.unwrap([-170.0, 170.0]) == [-170.0, -190.0]


def test_an_atlas_is_read_once_per_process():
    assert load("50m") is load("50m")


def test_an_unknown_atlas_is_refused_by_name():
    with pytest.raises(ValueError, match="no atlas '10m': use one of 110m, 50m"):
        load("10m")


def test_the_licence_is_kept_beside_the_data():
    text = (topojson.DATA / "world-atlas-LICENSE").read_text()
    assert "Copyright 2013-2019 Michael Bostock" in text and "Permission to use, copy, modify" in text
