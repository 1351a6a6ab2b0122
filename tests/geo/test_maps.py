"""Maps drawn as static SVG: the projection, the outlines (cut, clipped, simplified on shared arcs),
the labels, and the documents themselves (well-formed, escaped, small, the same every time)."""

from __future__ import annotations

import ast
import hashlib
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefsite.geo import labels, maps
from briefsite.geo.maps import Dot, View, basemap, dots_layer, draw, legend, legend_entries, shade_class, shades
from briefsite.geo.outlines import CLIP_MARGIN, decimal, path_data
from briefsite.geo.projection import A1, A2, A3, A4, equal_earth, equal_earth_inverse
from briefsite.geo.topojson import load

SVG = "{http://www.w3.org/2000/svg}"
WORLD = View.world()
SOUTH_EAST_ASIA = View(90, -11, 130, 28, 600, 450)
MAE_SOT, MYAWADDY = (98.57, 16.71), (98.51, 16.69)  # 6 km apart, either side of the Moei river


def paths(svg: str) -> dict[str, list[list[tuple[int, int]]]]:
    """Each country's subpaths as absolute vertices in tenths of a pixel, by data-country."""
    root = ET.fromstring(svg)
    return {path.get("data-country"): subpaths(path.get("d")) for path in root.iter(f"{SVG}path")
            if path.get("data-country")}


def subpaths(d: str) -> list[list[tuple[int, int]]]:
    """Path data (M, m, L, l, Z) read back into absolute vertices, in integer tenths so no rounding creeps in."""
    rings: list[list[tuple[int, int]]] = []
    x = y = 0
    command = ""
    tokens = re.findall(r"[MmLlZz]|-?(?:\d+\.?\d*|\.\d+)", d)
    i = 0
    while i < len(tokens):
        if tokens[i] in "MmLlZz":
            command = tokens[i]
            i += 1
            continue
        nx, ny = round(float(tokens[i]) * 10), round(float(tokens[i + 1]) * 10)
        i += 2
        if command in "ml":
            nx, ny = nx + x, ny + y
        if command in "Mm":
            rings.append([])
            command = "L" if command == "M" else "l"
        x, y = nx, ny
        rings[-1].append((x, y))
    return rings


def inside(rings: list[list[tuple[int, int]]], point: tuple[float, float]) -> bool:
    """Whether a point in px is inside rings in tenths, as SVG's even-odd rule fills them."""
    x, y = point[0] * 10, point[1] * 10
    crossings = 0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
    return crossings % 2 == 1


def label_boxes(fragment: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each label's text and the box it is drawn in, from its position, anchor and estimated width."""
    root = ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{fragment}</svg>')
    boxes = []
    for text in root.iter(f"{SVG}text"):
        x, y, width = float(text.get("x")), float(text.get("y")), labels.text_width(text.text, maps.LABEL_SIZE)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "start")]
        top = y - labels.ASCENT * maps.LABEL_SIZE
        boxes.append((text.text, (left, top, left + width, top + maps.LABEL_SIZE)))
    return boxes


def within(box: tuple[float, float, float, float], view: View) -> bool:
    left, top, right, bottom = box
    return min(left, top) >= 0 and right <= view.width and bottom <= view.height


# The projection


# geoEqualEarthRaw of d3-geo 3.1.1, run under Node for these points (degrees in, unit-sphere x and y out).
D3_EQUAL_EARTH = [
    ((0, 0), (0.0, 0.0)),
    ((180, 0), (2.7066299836960748, 0.0)),
    ((0, 90), (0.0, 1.3173627591574133)),
    ((-180, -90), (-1.6035886482840516, -1.3173627591574133)),
    ((100.5, 13.75), (1.4904697473561768, 0.2771462402041777)),
    ((98.57, 16.71), (1.4521885104053665, 0.3359903775187322)),
    ((-74, 40.7), (-0.9818620901576245, 0.7868414441972994)),
    ((151.2, -33.9), (2.0866400672259036, -0.6652554426964438)),
]


@pytest.mark.parametrize(("place", "expected"), D3_EQUAL_EARTH)
def test_equal_earth_is_d3s(place, expected):
    assert equal_earth(*place) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("lon", "lat"), [(0, 0), (180, 0), (0, 90), (45, -60), (-120, 35), (98.57, 16.71)])
def test_equal_earth_is_the_papers_formula(lon, lat):
    # Šavrič, Patterson and Jenny (2018), eq. 2, written out as the paper does rather than as d3 factors it
    theta = math.asin(math.sqrt(3) / 2 * math.sin(math.radians(lat)))
    x = 2 * math.sqrt(3) * math.radians(lon) * math.cos(theta) / (
        3 * (9 * A4 * theta**8 + 7 * A3 * theta**6 + 3 * A2 * theta**2 + A1))
    y = A4 * theta**9 + A3 * theta**7 + A2 * theta**3 + A1 * theta
    assert equal_earth(lon, lat) == pytest.approx((x, y), abs=1e-12)


def test_equal_earth_is_symmetric_and_north_is_up():
    x, y = equal_earth(100, 20)
    assert equal_earth(-100, 20) == (-x, y)
    assert equal_earth(100, -20) == (x, -y)
    assert equal_earth(0, 90)[1] > equal_earth(0, 45)[1] > 0
    assert equal_earth(180, 0)[0] == pytest.approx(math.pi / (math.sqrt(3) / 2 * A1)) == pytest.approx(2.70663, abs=1e-5)


@given(st.floats(-180, 180), st.floats(-89.9, 89.9))
def test_the_inverse_finds_the_place_again(lon, lat):
    assert equal_earth_inverse(*equal_earth(lon, lat)) == pytest.approx((lon, lat), abs=1e-7)


# Views


def test_the_world_is_as_tall_as_equal_earth_makes_it():
    assert (WORLD.width, WORLD.height) == (960, 467)
    assert WORLD.atlas == "110m" and SOUTH_EAST_ASIA.atlas == "50m"
    assert WORLD.pixel(0, 0) == pytest.approx((480, 233.5))


def test_a_locator_map_shows_at_least_twelve_degrees_and_the_place_well_inside():
    view = View.around([MAE_SOT])
    assert view.east - view.west >= 12 and view.north - view.south >= 9
    assert view.west + 3 <= MAE_SOT[0] <= view.east - 3 and view.south + 3 <= MAE_SOT[1] <= view.north - 3
    assert view.atlas == "50m"


def test_places_near_each_other_share_one_view_so_one_base_map():
    assert View.around([MAE_SOT]) == View.around([MYAWADDY]) == View.around([MAE_SOT, MYAWADDY])


def test_a_locator_map_across_the_antimeridian_is_one_view_about_it():
    view = View.around([(179.5, -17), (-179.5, -16)])
    assert view.west < 179.5 and view.east > 180.5 and view.east - view.west <= 24


def test_a_country_view_holds_the_country_and_leaves_out_far_islands():
    thailand = View.around_country("764")
    assert thailand.west < 97.3 and thailand.east > 105.6 and thailand.south < 5.6 and thailand.north > 20.4
    france = View.around_country("250")
    assert france.west > -10 and france.east < 15  # French Guiana is in Natural Earth's France, not on its map
    singapore = View.around_country("702")
    assert singapore.east - singapore.west >= 6 and singapore.west < 103.6 and singapore.east > 104.1


def test_an_unknown_country_and_an_impossible_view_are_refused():
    with pytest.raises(KeyError, match="no country with the ISO 3166-1 numeric id '999'"):
        View.around_country("999")
    with pytest.raises(ValueError, match="not an extent: west 10, south 0, east 5, north 10"):
        View(10, 0, 5, 10)
    with pytest.raises(ValueError, match="a map around no places"):
        View.around([])


# The base map


def test_the_world_is_cut_at_the_antimeridian_not_striped_across():
    svg = draw(WORLD, {}, [], title="World", desc="Every country")
    countries = paths(svg)
    for country in ("643", "242", "010"):  # Russia, Fiji, Antarctica
        assert countries[country]
    for country, rings in countries.items():
        for ring in rings:
            xs = [x for x, _ in ring]
            assert max(xs) - min(xs) <= WORLD.width * 10 / 2 or country == "010", country
    assert inside(countries["010"], WORLD.pixel(0, -89)) and inside(countries["010"], WORLD.pixel(179, -85))
    assert not inside(countries["010"], WORLD.pixel(0, -50))  # filled down to the pole, and no farther north
    middle = WORLD.width * 10 / 2  # Chukotka is cut off Russia and drawn west of Greenwich, not dropped
    assert any(max(x for x, _ in r) < middle for r in countries["643"])
    assert any(min(x for x, _ in r) > middle for r in countries["643"])


def test_a_pacific_world_is_cut_at_its_own_antimeridian():
    pacific = View(-30, -90, 330, 90, 960, 467)
    countries = paths(draw(pacific, {}, [], title="Pacific", desc="Centred on 150°E"))
    for country, rings in countries.items():
        for ring in rings:
            xs = [x for x, _ in ring]
            assert max(xs) - min(xs) <= pacific.width * 10 / 2 or country == "010", country
    for lon in (150, -29, -31):  # Antarctica, round the pole, is filled to it from one edge of the map to the other
        assert inside(countries["010"], pacific.pixel(lon, -86)), lon
    middle = pacific.width * 10 / 2  # Greenland straddles 30°W: a piece at each side of the map
    assert any(max(x for x, _ in r) < middle for r in countries["304"])
    assert any(min(x for x, _ in r) > middle for r in countries["304"])


def test_fiji_is_drawn_whole_around_the_antimeridian():
    view = View.around([(178.4, -17.8)])
    fiji = [p for ring in paths(draw(view, {}, [], title="Fiji", desc=""))["242"] for p in ring]
    x180 = round(view.pixel(180, -17)[0] * 10)
    assert min(x for x, _ in fiji) < x180 < max(x for x, _ in fiji)  # islands both sides of 180°, side by side


def test_a_regional_map_is_clipped_to_its_view():
    svg = draw(SOUTH_EAST_ASIA, {}, [], title="South-East Asia", desc="")
    countries = paths(svg)
    low, high_x, high_y = -CLIP_MARGIN * 10, (SOUTH_EAST_ASIA.width + CLIP_MARGIN) * 10, (
        SOUTH_EAST_ASIA.height + CLIP_MARGIN) * 10
    points = [p for rings in countries.values() for ring in rings for p in ring]
    assert all(low <= x <= high_x and low <= y <= high_y for x, y in points)
    assert any(x == low for x, _ in points) and any(y == low for _, y in points)  # cut along the edge
    assert "156" in countries and "360" in countries  # China, cut; Indonesia
    assert "250" not in countries and "840" not in countries  # France and the USA are nowhere near


@pytest.mark.parametrize(("view", "one", "other"), [
    (SOUTH_EAST_ASIA, "764", "104"),  # Thailand and Myanmar
    (View(65, 5, 100, 38, 500, 400), "356", "156"),  # India and China, where simplifying each ring alone parts them
    (View(65, 5, 100, 38, 500, 400), "524", "356"),  # Nepal and India
])
def test_neighbours_share_their_simplified_border_vertex_for_vertex(view, one, other):
    countries = paths(draw(view, {}, [], title="", desc=""))

    def distance(p, a, b):
        (px, py), (ax, ay), (bx, by) = p, a, b
        length2 = (bx - ax) ** 2 + (by - ay) ** 2
        t = 0 if not length2 else max(0, min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length2))
        return math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay))

    def segments(ids):
        return [(ring[i - 1], ring[i]) for id in ids for ring in countries[id] for i in range(len(ring))]

    def near(p, lines, within):
        return min(distance(p, a, b) for a, b in lines) < within

    third = segments(id for id in countries if id not in (one, other))  # where a third country meets the border
    for this, that in ((one, other), (other, one)):  # each seen from the other
        vertices, lines = {p for ring in countries[that] for p in ring}, segments([that])
        border = [p for ring in countries[this] for p in ring if near(p, lines, 7) and not near(p, third, 20)]
        assert len(border) >= 20
        assert [p for p in border if p not in vertices] == []  # near the other's outline: one of its vertices


def test_rings_smaller_than_a_pixel_are_dropped_and_a_country_without_one_gets_its_point():
    points = {"702": (103.82, 1.35), "764": (100.5, 13.75)}
    svg = draw(WORLD, {"702": 4, "764": 2}, [], title="", desc="", points=points)
    root = ET.fromstring(svg)
    singapore = [c for c in root.iter(f"{SVG}circle") if c.get("data-country") == "702"]
    assert [(c.get("class"), c.find(f"{SVG}title").text) for c in singapore] == [("point c4", "Singapore")]
    assert [c for c in root.iter(f"{SVG}circle") if c.get("data-country") == "764"] == []  # drawn as a country
    for rings in paths(svg).values():
        for ring in rings:
            twice = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
            assert abs(twice) >= 200  # one square pixel, in tenths squared, twice


def test_countries_carry_their_shade_id_and_name():
    root = ET.fromstring(draw(WORLD, {"764": 5, "104": 3}, [], title="", desc="", titles={"104": "Myanmar (Burma)"}))
    by_id = {p.get("data-country"): p for p in root.iter(f"{SVG}path") if p.get("data-country")}
    assert by_id["764"].get("class") == "c5" and by_id["764"].find(f"{SVG}title").text == "Thailand"
    assert by_id["104"].get("class") == "c3" and by_id["104"].find(f"{SVG}title").text == "Myanmar (Burma)"
    assert by_id["156"].get("class") == "c0"
    kosovo = [p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None
              and p.find(f"{SVG}title").text == "Kosovo"]
    assert [(p.get("data-country"), p.get("class")) for p in kosovo] == [(None, "c0")]
    with pytest.raises(ValueError, match="a shade class is a whole number from 0 to 5, not 6"):
        draw(WORLD, {"764": 6}, [], title="", desc="")


# Labels


def test_mae_sot_and_myawaddy_labels_do_not_overlap():
    for view in (View.around([MAE_SOT]), SOUTH_EAST_ASIA, WORLD):
        fragment = dots_layer(view, [Dot(*MAE_SOT, label="Mae Sot", weight=2), Dot(*MYAWADDY, label="Myawaddy")])
        boxes = label_boxes(fragment)
        assert 1 <= len(boxes) <= 2 and boxes[0][0] == "Mae Sot"  # the heavier one placed first
        if len(boxes) == 2:
            assert not labels.overlap(boxes[0][1], boxes[1][1])
        assert all(within(box, view) for _, box in boxes)


NAMES = ["Mae Sot", "Myawaddy", "Bangkok", "Chiang Mai", "Yangon", "Mandalay", "Vientiane", "Phnom Penh",
         "Hpa-an", "Tak", "Kawthaung", "Ranong", "Naypyidaw", "Ho Chi Minh City", "ย่างกุ้ง", "曼谷"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(96, 104), st.floats(10, 20), st.sampled_from(NAMES), st.integers(0, 5)),
                max_size=25))
def test_labels_never_overlap_nor_leave_the_map(places):
    view = View.around([MAE_SOT])
    fragment = dots_layer(view, [Dot(lon, lat, label=name, weight=weight) for lon, lat, name, weight in places])
    boxes = [box for _, box in label_boxes(fragment)]
    for i, box in enumerate(boxes):
        assert within(box, view)
        assert not any(labels.overlap(box, other) for other in boxes[i + 1:])


def test_a_label_with_no_room_is_dropped_but_its_dot_and_tooltip_stay():
    crowd = [Dot(*MAE_SOT, href=f"/briefs/{i}/", label=f"Place {i}") for i in range(30)]
    root = ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{dots_layer(View.around([MAE_SOT]), crowd)}</svg>')
    assert len(list(root.iter(f"{SVG}circle"))) == 30
    assert len([a for a in root.iter(f"{SVG}a") if a.find(f"{SVG}title").text.startswith("Place ")]) == 30
    assert 1 <= len(list(root.iter(f"{SVG}text"))) <= 8


def test_the_label_width_estimate_is_generous():
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.exists():
        pytest.skip("DejaVu Sans is not installed")
    image_font = pytest.importorskip("PIL.ImageFont")
    measured = image_font.truetype(str(font), 120)
    for name in NAMES[:14] + ["WWW MMM", "illicit", "Ibiza", "São Tomé", "Nay Pyi Taw (Naypyidaw)"]:
        assert labels.text_width(name, 120) >= measured.getlength(name), name


# The documents


def test_maps_are_well_formed_small_self_contained_and_the_same_every_time():
    dots = [Dot(*MAE_SOT, 4, "/briefs/mae-sot/", "Mae Sot", "Mae Sot: 3 briefs", 3), Dot(100.5, 13.75, label="Bangkok")]
    for view, most in ((WORLD, 150_000), (SOUTH_EAST_ASIA, 100_000)):
        svg = draw(view, {"764": 5, "104": 3, "156": 1}, dots, title="Briefs by country", desc="Where we report")
        assert svg == draw(view, {"764": 5, "104": 3, "156": 1}, dots, title="Briefs by country", desc="Where we report")
        assert len(svg.encode()) <= most
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg" and root.get("viewBox") == f"0 0 {view.width} {view.height}"
        assert "<script" not in svg.lower() and " on" not in re.sub(r"<title.*?</title>|<desc.*?</desc>", "", svg)
        assert set(re.findall(r"\w+://[^\s\"'<>)]+", svg)) == {"http://www.w3.org/2000/svg"}
        assert root.find(f"{SVG}style") is not None and "prefers-color-scheme:dark" in svg


def test_the_same_map_in_other_processes():
    program = ("import hashlib; from briefsite.geo.maps import Dot, View, draw; "
               "print(hashlib.sha256(draw(View(90, -11, 130, 28, 600, 450), {'764': 2}, "
               "[Dot(98.57, 16.71, label='Mae Sot'), Dot(98.51, 16.69, label='Myawaddy')], title='t', desc='d')"
               ".encode()).hexdigest())")
    root = Path(maps.__file__).parents[2]
    digests = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=root,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    here = draw(SOUTH_EAST_ASIA, {"764": 2}, [Dot(*MAE_SOT, label="Mae Sot"), Dot(*MYAWADDY, label="Myawaddy")],
                title="t", desc="d")
    assert digests == {hashlib.sha256(here.encode()).hexdigest() + "\n"}


def test_a_map_is_named_for_screen_readers_and_one_with_links_is_a_group():
    plain = ET.fromstring(draw(WORLD, {}, [Dot(0, 0, label="Null Island")], title="Our map", desc="Dots"))
    ids = plain.get("aria-labelledby").split()
    assert plain.get("role") == "img"
    assert [plain.find(f".//*[@id='{i}']").text for i in ids] == ["Our map", "Dots"]
    linked = ET.fromstring(draw(WORLD, {}, [Dot(0, 0, href="/briefs/null/", label="Null Island")], title="t", desc=""))
    assert linked.get("role") == "group"  # a role=img hides its links from screen readers
    (link,) = linked.iter(f"{SVG}a")
    assert link.get("href") == "/briefs/null/" and link.find(f"{SVG}title").text == "Null Island"


def test_every_text_and_attribute_is_escaped():
    tricky = 'Mae Sot <b>& "Myawaddy"\x01'
    dot = Dot(*MAE_SOT, href='/briefs/?a=1&b="2"', label=tricky, title=tricky)
    root = ET.fromstring(draw(View.around([MAE_SOT]), {}, [dot], title=tricky, desc="</desc><script>x</script>"))
    assert root.find(f"{SVG}title").text == 'Mae Sot <b>& "Myawaddy"'
    assert root.find(f"{SVG}desc").text == "</desc><script>x</script>"
    assert next(root.iter(f"{SVG}a")).get("href") == '/briefs/?a=1&b="2"'
    assert [t.text for t in root.iter(f"{SVG}text")] == ['Mae Sot <b>& "Myawaddy"']


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                  "data:text/html,<script>x</script>"])
def test_a_dot_links_only_to_pages(href):
    with pytest.raises(ValueError, match="a map may not refer to"):
        draw(WORLD, {}, [Dot(0, 0, href=href)], title="", desc="")


def test_a_shared_base_map_is_referred_to_and_the_dots_drawn_over_it():
    view = View.around([MAE_SOT])
    base = basemap(view, {"764": 2})
    assert ET.fromstring(base).get("aria-hidden") == "true"
    assert 'class="land"' in base and 'class="places"' not in base
    svg = draw(view, {}, [Dot(*MAE_SOT, label="Mae Sot")], title="Mae Sot", desc="", base_href="../maps/th.svg")
    root = ET.fromstring(svg)
    assert [i.get("href") for i in root.iter(f"{SVG}image")] == ["../maps/th.svg"]
    assert 'class="land"' not in svg and dots_layer(view, [Dot(*MAE_SOT, label="Mae Sot")]) in svg
    with pytest.raises(ValueError, match="use a relative URL"):
        draw(view, {}, [], title="", desc="", base_href="https://tiles.example.com/base.svg")


def test_counts_bin_into_five_classes_and_the_legend_names_them():
    assert [shade_class(n) for n in (0, 1, 2, 4, 5, 9, 10, 24, 25, 900)] == [0, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert shades({"764": 12, "104": 1, "156": 0}) == {"104": 1, "764": 4}
    assert legend_entries() == [("1", 1), ("2–4", 2), ("5–9", 3), ("10–24", 4), ("25+", 5)]
    root = ET.fromstring(legend(legend_entries()))
    assert [r.get("class") for r in root.iter(f"{SVG}rect")] == ["c1", "c2", "c3", "c4", "c5"]
    assert [t.text for t in root.iter(f"{SVG}text")] == ["1", "2–4", "5–9", "10–24", "25+"]
    assert root.get("aria-label") == "Briefs per country: 1, 2–4, 5–9, 10–24, 25+"


def test_path_data_is_short_and_reads_back_exactly():
    rings = [[(0, 0), (15, -5), (-5, 120), (3, 3)], [(1000, 1000), (1010, 1000), (1010, 1010)]]
    data = path_data(rings)
    assert data == "M0 0l1.5-.5-2 12.5.8-11.7zM100 100l1 0 0 1z"
    assert subpaths(data) == rings
    assert [decimal(t) for t in (0, 5, -5, 10, 15, -125)] == ["0", ".5", "-.5", "1", "1.5", "-12.5"]


def test_the_geo_layer_needs_nothing_but_the_standard_library():
    folder = Path(maps.__file__).parent
    for module in ("topojson", "projection", "outlines", "labels", "view", "maps"):
        tree = ast.parse((folder / f"{module}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or name in ("briefsite.errors", "briefsite.resources"), name
    assert load("110m").atlas == "110m"
