"""Where briefs happened: `places:` and `location:` resolved through data/places.yml, entity aliases and the
gazetteer, with exact errors and warnings, and the places of the site."""

from __future__ import annotations

import pytest

from conftest import brief_text, build, failure

SITE = "title: Desk\nbase_url: https://example.org/\n"


def warnings_of(result, src) -> list[str]:
    return [str(p).replace(f"{src}/", "") for p in result.warnings]


def places_of(result_site_dir) -> dict:
    import json
    data = json.loads((result_site_dir / "briefs.json").read_text())
    return {record["slug"]: record["places"] for record in data["briefs"]}


def test_a_dateline_resolves_in_any_script_and_merges_into_one_place(make_site, tmp_path):
    src = make_site({"a.md": brief_text(location="Bangkok"), "b.md": brief_text(location="曼谷"),
                     "c.md": brief_text(location="Krung Thep"), "d.md": brief_text(location="Rangoon")}, SITE)
    result = build(src, tmp_path / "out")
    assert warnings_of(result, src) == []
    found = places_of(tmp_path / "out")
    bangkok = {"name": "Bangkok", "lat": 13.754, "lon": 100.5014, "country": "TH", "precision": "town"}
    assert found["a"] == found["b"] == found["c"] == [bangkok]
    assert [(p["name"], p["country"]) for p in found["d"]] == [("Yangon", "MM")]
    assert (tmp_path / "out/places/bangkok/index.html").is_file()
    assert (tmp_path / "out/places/yangon/feed.xml").is_file() and (tmp_path / "out/places/yangon/feed.json").is_file()


def test_places_replace_the_dateline_and_keep_their_order(make_site, tmp_path):
    src = make_site({"a.md": brief_text(location="Beijing", places="[Myawaddy, {name: KK Park, lat: 16.63, "
                                                                   "lon: 98.51}, Mae Sot]")}, SITE)
    result = build(src, tmp_path / "out")
    assert warnings_of(result, src) == []
    assert [(p["name"], p["precision"]) for p in places_of(tmp_path / "out")["a"]] == [
        ("Myawaddy", "town"), ("KK Park", "site"), ("Mae Sot", "town")]


def test_data_places_and_entity_aliases_name_places(make_site, tmp_path):
    src = make_site({"a.md": brief_text(location="KK园区"), "b.md": brief_text(location="缅甸"),
                     "c.md": brief_text(location="Bokeo")}, SITE)
    (src / "data").mkdir()
    (src / "data/places.yml").write_text(
        "- {name: KK Park, aliases: [KK园区], lat: 16.63, lon: 98.51, country: Burma, precision: site}\n"
        "- {name: Bokeo, lat: 20.29, lon: 100.42, country: Laos, precision: region}\n")
    (src / "data/countries.yml").write_text("- {name: Myanmar, aliases: [缅甸]}\n")
    result = build(src, tmp_path / "out")
    assert warnings_of(result, src) == []
    found = places_of(tmp_path / "out")
    assert found["a"] == [{"name": "KK Park", "lat": 16.63, "lon": 98.51, "country": "MM", "precision": "site"}]
    assert [(p["name"], p["country"], p["precision"]) for p in found["b"]] == [("Myanmar", "MM", "country")]
    assert [(p["name"], p["precision"]) for p in found["c"]] == [("Bokeo", "region")]


def test_an_unknown_place_is_a_warning_with_the_nearest_names(make_site, tmp_path):
    src = make_site({"a.md": brief_text(location="Bangkokk"), "b.md": brief_text(places="[Mae Sot, Zzyzxq]")}, SITE)
    result = build(src, tmp_path / "out")
    assert warnings_of(result, src) == [
        "briefings/a.md:4:11: warning: location: 'Bangkokk' is not a place briefsite knows (did you mean Bangkok or Bangor or Bang O?); "
        "declare it in data/places.yml with its lat and lon, or give them here",
        "briefings/b.md:4:19: warning: places: 'Zzyzxq' is not a place briefsite knows; declare it in "
        "data/places.yml with its lat and lon, or give them here"]
    assert [p["name"] for p in places_of(tmp_path / "out")["b"]] == ["Mae Sot"]


def test_an_ambiguous_name_takes_the_briefs_country_else_warns(make_site, tmp_path):
    src = make_site({"a.md": brief_text(location="Springfield"),
                     "b.md": brief_text(location="Springfield", countries="[United States]")}, SITE)
    result = build(src, tmp_path / "out")
    shown = warnings_of(result, src)
    assert len(shown) == 2 and all("'Springfield' names several places; took Springfield (US), not " in w
                                   for w in shown)
    src2 = make_site({"a.md": brief_text(location="Geneva", countries="[Switzerland]")}, SITE, folder="two")
    result = build(src2, tmp_path / "out2")
    assert warnings_of(result, src2) == []
    assert [p["country"] for p in places_of(tmp_path / "out2")["a"]] == ["CH"]


@pytest.mark.parametrize("value, message", [
    ("[{name: X, lat: 91, lon: 0}]", "4:25: places: expected a latitude in decimal degrees from -90 to 90, got 91"),
    ("[{name: X, lat: 10}]", "4:10: places: give both lat and lon, or neither (the place is then looked up by its name)"),
    ("[{lat: 1, lon: 2}]", "4:10: places: a place needs a name, as in {name: KK Park, lat: 16.63, lon: 98.51}"),
    ("[{name: X, where: here}]", "4:27: places: unknown key 'where'; a place has name, lat, lon and precision"),
    ("[{name: X, precision: street}]",
     "4:31: places: expected site, town, region or country, got 'street'"),
    ("[[a]]", "4:10: places: expected a place's name or a mapping such as {name: KK Park, lat: 16.63, lon: 98.51}, "
              "got a list"),
])
def test_bad_places_are_errors_at_their_key(make_site, tmp_path, value, message):
    src = make_site({"a.md": brief_text(places=value)}, SITE)
    assert failure(src, tmp_path) == [f"{src}/briefings/a.md:{message}"]


@pytest.mark.parametrize("text, message", [
    ("- {name: KK Park}\n", "1:3: KK Park: a place needs lat and lon (decimal degrees, as in lat: 16.63, lon: 98.51)"),
    ("- {name: A, lat: 1, lon: 200}\n", "1:26: A.lon: expected a longitude in decimal degrees from -180 to 180, got 200"),
    ("- {name: A, lat: 1, lon: 2, country: Atlantis}\n", "1:38: A.country: 'Atlantis' is not a country briefsite knows "
                                                     "(its name in any language, or its ISO code)"),
    ("{name: A}\n", "1:1: expected a list of places, each with a name, lat and lon and maybe aliases, country and "
                    "precision, got a mapping"),
])
def test_bad_data_places_are_errors_at_their_line(make_site, tmp_path, text, message):
    src = make_site({"a.md": brief_text()}, SITE)
    (src / "data").mkdir()
    (src / "data/places.yml").write_text(text)
    assert failure(src, tmp_path) == [f"{src}/data/places.yml:{message}"]


def test_check_strict_fails_on_a_place_not_found_and_passes_once_it_is_declared(make_site, cli):
    src = make_site({"a.md": brief_text(location="Bangkokk")}, SITE)
    loose = cli("check", "--source", src)
    assert loose.exit_code == 0 and "warning: location: 'Bangkokk' is not a place" in loose.stderr
    strict = cli("check", "--source", src, "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.replace(f"{src}/", "").splitlines() == [
        "briefings/a.md:4:11: warning: location: 'Bangkokk' is not a place briefsite knows (did you mean Bangkok or "
        "Bangor or Bang O?); declare it in data/places.yml with its lat and lon, or give them here",
        "Error: 1 warning, and --strict makes each an error"]
    (src / "data").mkdir()
    (src / "data/places.yml").write_text("- {name: Bangkokk, lat: 13.75, lon: 100.5, precision: town}\n")
    assert cli("check", "--source", src, "--strict").exit_code == 0
