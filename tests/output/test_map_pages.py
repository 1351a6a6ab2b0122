"""The maps and places of a built site: /map/, /places/, a brief's locator, a country's and a month's map,
the shared base maps, and briefs.geojson checked by a GeoJSON library."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import geojson
import pytest

from briefsite.build import Options, build_site

from conftest import brief_text, write_site

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    briefs = {
        "a.md": brief_text(title="Raid", date="2025-01-02", location="Mae Sot", countries="[Myanmar, Thailand]",
                           places="[Myawaddy, Mae Sot]"),
        "b.md": brief_text(title="Return", date="2025-01-05", location="Bangkok", countries="[Thailand]"),
        "c.md": brief_text(title="Hearing", date="2025-02-03", location="Geneva", countries="[Switzerland]"),
        "d.md": brief_text(title="Later raid", date="2025-02-10", location="Mae Sot", countries="[Thailand]"),
        "e.md": brief_text(title="Compound", date="2025-02-11", places="[{name: KK Park, lat: 16.63, lon: 98.51}]",
                           countries="[Myanmar]"),
        "f.md": brief_text(title="Nowhere", date="2025-02-12"),
        "g.md": brief_text(title="Embargoed at Laukkai", date="2025-02-13", location="Laukkai",
                           publish_at="2030-01-01"),
    }
    src = write_site(tmp_path_factory.mktemp("maps") / "src", briefs,
                     "title: Desk\nbase_url: https://example.org/desk/\ntimezone: Asia/Bangkok\n")
    out = src.parent / "out"
    result = build_site(Options(src, out, jobs=1, cache=False))
    assert [str(w) for w in result.warnings] == []
    return out


def page(out, url: str) -> str:
    return (out / url / "index.html").read_text()


def inline_map(html: str) -> ET.Element:
    """The page's map: its inline SVG, parsed as XML."""
    svg = re.search(r'<figure class="map[^"]*">\s*(<svg.*?</svg>)', html, re.S).group(1)
    return ET.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def dots(svg: ET.Element) -> list[tuple[str, str]]:
    """Each dot's link and tooltip."""
    return [(a.get("href"), a.find(f"{SVG}title").text) for a in svg.iter(f"{SVG}a")]


def test_the_map_page_shades_countries_and_links_every_place(mapped):
    html = page(mapped, "map")
    svg = inline_map(html)
    assert sorted(dots(svg)) == [
        ("/desk/places/bangkok/", "Bangkok: 1 brief"), ("/desk/places/geneva/", "Geneva: 1 brief"),
        ("/desk/places/kk-park/", "KK Park: 1 brief"), ("/desk/places/mae-sot/", "Mae Sot: 2 briefs"),
        ("/desk/places/myawaddy/", "Myawaddy: 1 brief")]
    base = svg.find(f"{SVG}image").get("href")
    assert re.fullmatch(r"/desk/maps/[0-9a-f]{16}\.svg", base)
    drawn = ET.parse(mapped / base.removeprefix("/desk/")).getroot()
    shaded = {path.get("data-country"): path.get("class") for path in drawn.iter(f"{SVG}path") if path.get("data-country")}
    assert (shaded["764"], shaded["104"], shaded["756"], shaded["156"]) == ("c2", "c2", "c1", "c0")  # TH 3, MM 2, CH 1
    rows = re.findall(r'<tr><th scope="row">(?:<a href="[^"]*">)?([^<]+)(?:</a>)?</th><td>(\d+)</td></tr>', html)
    assert rows[:3] == [("Thailand", "3"), ("Myanmar", "2"), ("Switzerland", "1")]
    assert "<script" not in html and "Laukkai" not in html  # the embargoed brief's place is not there yet


def test_each_place_has_pages_feeds_and_a_locator(mapped):
    html = page(mapped, "places/mae-sot")
    assert "<h1>Mae Sot</h1>" in html and "16.72° N, 98.57° E · known to the town" in html
    assert html.index(">Later raid<") < html.index(">Raid<")  # newest first
    assert dots(inline_map(html)) == [("/desk/places/mae-sot/", "Mae Sot: 2 briefs")]
    feed = json.loads((mapped / "places/mae-sot/feed.json").read_text())
    assert [item["title"] for item in feed["items"]] == ["Later raid", "Raid"]
    index = page(mapped, "places")
    assert re.findall(r'<a href="/desk/places/([^/]+)/">', index) == ["bangkok", "geneva", "kk-park", "mae-sot",
                                                                       "myawaddy"]


def test_a_brief_page_has_a_side_column_with_its_places(mapped):
    html = page(mapped, "briefs/a")
    side = html[html.index('<aside class="brief-side"'):]
    assert dots(inline_map(side)) == [("/desk/places/myawaddy/", "Myawaddy"),
                                      ("/desk/places/mae-sot/", "Mae Sot")]  # no count: see maps.figure
    assert re.search(r'<dt>Places</dt><dd><a href="/desk/places/myawaddy/">Myawaddy</a>, '
                     r'<a href="/desk/places/mae-sot/">Mae Sot</a></dd>', side)
    assert "<figure class=" not in page(mapped, "briefs/f")  # no place, no map


def test_country_and_month_pages_map_their_briefs(mapped):
    country = inline_map(page(mapped, "countries/myanmar"))
    assert sorted(href for href, _ in dots(country)) == ["/desk/places/kk-park/", "/desk/places/mae-sot/",
                                                          "/desk/places/myawaddy/"]
    month = inline_map(page(mapped, "timeline/2025/02"))
    assert sorted(href for href, _ in dots(month)) == ["/desk/places/geneva/", "/desk/places/kk-park/",
                                                       "/desk/places/mae-sot/"]  # the world: Geneva and Mae Sot


def test_every_base_map_a_page_uses_is_written_and_no_other(mapped):
    used = set()
    for html in mapped.rglob("index.html"):
        used |= set(re.findall(r'<image href="/desk/(maps/[0-9a-f]{16}\.svg)"', html.read_text()))
    written = {f"maps/{path.name}" for path in (mapped / "maps").iterdir()}
    assert used == written and len(written) >= 4
    for name in written:
        svg = (mapped / name).read_text()
        ET.fromstring(svg)  # well-formed
        assert "<script" not in svg and "href" not in svg  # a base map links nowhere and loads nothing
    assert max(path.stat().st_size for path in mapped.rglob("*.html")) < 200_000


def test_briefs_geojson_is_valid_rfc_7946(mapped):
    data = geojson.loads((mapped / "briefs.geojson").read_text())
    assert data.is_valid, data.errors()
    assert [(f["id"], f["geometry"]["coordinates"]) for f in data["features"]] == [
        ("e/kk-park", [98.51, 16.63]), ("d/mae-sot", [98.5667, 16.7167]), ("c/geneva", [6.1457, 46.2022]),
        ("b/bangkok", [100.5014, 13.754]), ("a/myawaddy", [98.5089, 16.6891]), ("a/mae-sot", [98.5667, 16.7167])]
    first = data["features"][0]["properties"]
    assert (first["title"], first["url"], first["place"], first["precision"], first["countries"]) == (
        "Compound", "https://example.org/desk/briefs/e/", "KK Park", "site", ["Myanmar"])


def test_a_country_too_small_for_the_world_map_is_a_point_on_it(tmp_path):
    src = write_site(tmp_path / "src", {"a.md": brief_text(location="Singapore", countries="[Singapore]"),
                                        "b.md": brief_text(location="Bangkok", countries="[Thailand]")},
                     "title: Desk\nbase_url: https://example.org/\n")
    build_site(Options(src, tmp_path / "out", jobs=1, cache=False))
    base = re.search(r'<image href="/(maps/[0-9a-f]{16}\.svg)"', page(tmp_path / "out", "map")).group(1)
    drawn = ET.parse(tmp_path / "out" / base).getroot()
    points = {c.get("data-country"): c.get("class") for c in drawn.iter(f"{SVG}circle")}
    assert points == {"702": "point c1"}  # Singapore, with its one brief's shade; Thailand has an outline
    outlines = {p.get("data-country") for p in drawn.iter(f"{SVG}path")}
    assert "764" in outlines and "702" not in outlines
