"""The offline gazetteer: place and country names in any script to coordinates and ISO codes."""

from __future__ import annotations

import ast
import gzip
import sys
import time

import pytest

from briefsite.geo import gazetteer as gaz
from briefsite.geo.gazetteer import (
    City,
    Country,
    Gazetteer,
    cities,
    country,
    country_by_code,
    nearest,
    normalise,
    resolve,
)


def close(a: float, b: float, within: float = 0.05) -> bool:
    return abs(a - b) <= within


@pytest.mark.parametrize(("name", "key"), [
    ("Mae Sot", "mae sot"),
    ("mae-sot", "mae sot"),
    ("MAE  SOT", "mae sot"),
    ("  Mae_Sot\t", "mae sot"),
    ("São Paulo", "sao paulo"),
    ("Côte d’Ivoire", "cote d ivoire"),
    ("Côte d'Ivoire", "cote d ivoire"),
    ("St. Louis", "st louis"),
    ("Xi’an", "xi an"),
    ("Hồ Chí Minh", "ho chi minh"),
    ("Łódź", "lodz"),
    ("Straße", "strasse"),
    ("Ｔｏｋｙｏ", "tokyo"),  # full-width letters
    ("Москва", "москва"),
    ("Ἀθῆναι", "αθηναι"),  # Greek accents go, as Latin ones do
    ("ประเทศไทย", "ประเทศไทย"),  # Thai vowel and tone marks are combining, and kept
    ("กรุงเทพฯ", "กรุงเทพฯ"),
    ("東京", "東京"),
    ("ガザ", "ガザ"),  # the voicing mark survives NFKD and comes back
    ("서울", "서울"),  # Hangul decomposes to jamo and is put back together
    ("---", ""),
])
def test_normalise(name, key):
    assert normalise(name) == key


def test_data_files_exist_and_hold_the_world():
    assert gaz.CITIES.is_file() and gaz.COUNTRIES.is_file()
    assert gaz.CITIES.stat().st_size < 3_500_000  # the table stays slim
    assert gazetteer_count() >= 30_000
    codes = [country_by_code(code) for code in ("TH", "MM", "CN", "US", "XK", "TW", "HK", "MO", "PS", "AQ")]
    assert all(codes)


def gazetteer_count() -> int:
    return gaz.gazetteer().city_count


def test_loaded_once():
    assert gaz.gazetteer() is gaz.gazetteer()


@pytest.mark.parametrize(("name", "display", "code", "lat", "lon"), [
    ("Beijing", "Beijing", "CN", 39.904, 116.407),
    ("Bangkok", "Bangkok", "TH", 13.756, 100.502),
    ("Mae Sot", "Mae Sot", "TH", 16.713, 98.570),
    ("mae-sot", "Mae Sot", "TH", 16.713, 98.570),
    ("Myawaddy", "Myawaddy", "MM", 16.688, 98.508),
    ("Sihanoukville", "Sihanoukville", "KH", 10.627, 103.522),
    ("曼谷", "Bangkok", "TH", 13.756, 100.502),
    ("Rangoon", "Yangon", "MM", 16.840, 96.173),
    ("Krung Thep", "Bangkok", "TH", 13.756, 100.502),
    ("กรุงเทพฯ", "Bangkok", "TH", 13.756, 100.502),
    ("Москва", "Moscow", "RU", 55.756, 37.617),
    ("São Paulo", "São Paulo", "BR", -23.550, -46.633),
    ("Sao Paulo", "São Paulo", "BR", -23.550, -46.633),
])
def test_towns_resolve_in_any_script(name, display, code, lat, lon):
    found = resolve(name)
    assert found is not None
    assert (found.name, found.country, found.precision, found.ambiguous) == (display, code, "town", ())
    assert close(found.lat, lat) and close(found.lon, lon), (found.lat, found.lon)


@pytest.mark.parametrize(("name", "code", "numeric", "display"), [
    ("Burma", "MM", "104", "Myanmar"),
    ("Myanmar", "MM", "104", "Myanmar"),
    ("Birmanie", "MM", "104", "Myanmar"),
    ("Ivory Coast", "CI", "384", "Côte d’Ivoire"),
    ("Cote d'Ivoire", "CI", "384", "Côte d’Ivoire"),
    ("泰国", "TH", "764", "Thailand"),
    ("ประเทศไทย", "TH", "764", "Thailand"),
    ("ไทย", "TH", "764", "Thailand"),
    ("THA", "TH", "764", "Thailand"),
    ("th", "TH", "764", "Thailand"),
    ("China", "CN", "156", "China"),
    ("中国", "CN", "156", "China"),
    ("South Korea", "KR", "410", "South Korea"),
    ("Czech Republic", "CZ", "203", "Czechia"),
    ("Turkey", "TR", "792", "Türkiye"),
    ("UK", "GB", "826", "United Kingdom"),
    ("U.S.", "US", "840", "United States"),
    ("UAE", "AE", "784", "United Arab Emirates"),
    ("DRC", "CD", "180", "Democratic Republic of the Congo"),
    ("Congo-Kinshasa", "CD", "180", "Democratic Republic of the Congo"),
    ("Hong Kong", "HK", "344", "Hong Kong"),
    ("Macau", "MO", "446", "Macao"),
    ("Taiwan", "TW", "158", "Taiwan"),
    ("Palestine", "PS", "275", "Palestine"),
    ("Kosovo", "XK", "", "Kosovo"),  # not ISO 3166-1: no numeric code
])
def test_countries_by_code_or_name_in_any_language(name, code, numeric, display):
    found = country(name)
    assert found is not None
    assert (found.alpha2, found.numeric, found.name) == (code, numeric, display)
    assert country_by_code(code) == found
    resolved = resolve(name)
    assert (resolved.country, resolved.precision, resolved.name) == (code, "country", display)
    assert (resolved.lat, resolved.lon) == (found.lat, found.lon)


def test_codes_are_plain_letters():
    assert country("mmr").alpha2 == "MM" and country(" Mm ").alpha2 == "MM"
    assert country("Muş") is None  # not MUS, Mauritius: a town in Turkey
    assert resolve("Muş").country == "TR"


def test_country_point_is_its_capital():
    thailand = country_by_code("th")
    assert (thailand.alpha3, thailand.numeric) == ("THA", "764")
    assert close(thailand.lat, 13.756) and close(thailand.lon, 100.502)
    assert country_by_code("ZZ") is None and country("Atlantis") is None


def test_every_country_has_its_codes():
    table = gaz.gazetteer()
    for row in range(table._country_table.count):
        found = table._countries[row]
        assert len(found.alpha2) == 2 and len(found.alpha3) == 3
        assert len(found.numeric) == 3 and found.numeric.isdigit() or found.alpha2 == "XK"
        assert country(found.alpha3) == found and country(found.name) == found


def test_ambiguous_names_say_what_else_they_could_be():
    springfield = resolve("Springfield")
    assert (springfield.country, springfield.name) == ("US", "Springfield")
    assert close(springfield.lat, 37.215) and close(springfield.lon, -93.298)  # Missouri's is the largest
    assert springfield.ambiguous[:2] == ("Springfield, US (Massachusetts)", "Springfield, US (Illinois)")
    assert len(springfield.ambiguous) == 3  # at most three alternatives
    assert [city.country for city in cities("Springfield")[:5]] == ["US"] * 5
    populations = [city.population for city in cities("Springfield")]
    assert populations == sorted(populations, reverse=True)


def test_brief_countries_pick_between_namesakes():
    valencia = resolve("Valencia")  # Venezuela's, Spain's (half as many people) and others
    assert valencia.country == "VE" and valencia.ambiguous
    assert any(alternative.startswith("Valencia, ES") for alternative in valencia.ambiguous)
    spain = resolve("Valencia", countries=("ES",))
    assert (spain.name, spain.country, spain.ambiguous) == ("Valencia", "ES", ())
    assert close(spain.lat, 39.470) and close(spain.lon, -0.377)
    assert resolve("valencia", countries=["es"]) == spain
    assert resolve("Valencia", countries=("TH",)) == valencia  # none there: the brief's countries do not apply


def test_a_place_of_that_very_name_goes_before_one_it_once_named():
    islamabad = resolve("Islamabad")  # also an old name of Chattogram, which has more people
    assert (islamabad.name, islamabad.country, islamabad.ambiguous) == ("Islamabad", "PK", ())
    assert resolve("Rangoon").name == "Yangon"  # only another name: still found


def test_a_much_larger_namesake_is_taken_without_doubt():
    paris = resolve("Paris")  # Paris, Texas has not a hundredth of its people
    assert (paris.country, paris.ambiguous) == ("FR", ())
    assert len(cities("Paris")) > 1


def test_unknown_names_are_none_with_suggestions():
    assert resolve("Bangkokk") is None
    assert cities("Bangkokk") == ()
    assert country("Bangkokk") is None
    assert "Bangkok" in nearest("Bangkokk")
    assert "Bangkok" in nearest("Bnagkok")  # a typo in the second letter
    assert "Thailand" in nearest("Thailnd")
    assert nearest("Yangom")[0] == "Yangon" and nearest("Mae Sott")[0] == "Mae Sot"
    assert nearest("Krung Tep")[0] == "Krung Thep"  # as it was asked for, not the city's own name
    assert nearest("Москваа")[0] == "Москва"
    assert len(nearest("Bangkokk", limit=2)) <= 2
    assert nearest("") == [] and nearest("Bangkokk", limit=0) == []
    assert nearest("Qxzqxzqxz") == []


def test_nearest_is_quick_enough_for_an_error_message():
    nearest("Warmup")
    started = time.perf_counter()
    assert nearest("Myawadyy")[0] == "Myawaddy"
    assert time.perf_counter() - started < 0.5  # about 50 ms here: a generous bound for a busy machine


def test_resolution_is_deterministic():
    fresh = Gazetteer(gzip.decompress(gaz.CITIES.read_bytes()), gzip.decompress(gaz.COUNTRIES.read_bytes()))
    for name in ("Springfield", "Córdoba", "San Jose", "Bangkok", "Burma", "Kingston", "Victoria"):
        assert fresh.resolve(name) == resolve(name) == resolve(name)
        assert fresh.cities(name) == cities(name)
    assert fresh.nearest("Bangkokk") == nearest("Bangkokk") == nearest("Bangkokk")


def test_types_are_frozen_values():
    bangkok = cities("Bangkok")[0]
    assert isinstance(bangkok, City) and isinstance(country("TH"), Country)
    assert (bangkok.id, bangkok.country) == (1609350, "TH") and bangkok.population > 5_000_000
    with pytest.raises(AttributeError):
        bangkok.name = "Krung Thep"  # type: ignore[misc]


def test_every_name_in_the_tables_finds_its_place():
    """The keys in the data were made by normalise: a change to it, or to Python's Unicode tables,
    that moved a key would make that name unfindable. Regenerate with scripts/make_gazetteer.py."""
    lost = []
    for table in (gaz.gazetteer()._cities, gaz.gazetteer()._country_table):
        for row in range(table.count):
            for name in table.names(row):
                if row not in table.rows(normalise(name).encode()):
                    lost.append(name)
    assert lost[:20] == []


def test_loads_fast_enough():
    data = gzip.decompress(gaz.CITIES.read_bytes()), gzip.decompress(gaz.COUNTRIES.read_bytes())
    started = time.perf_counter()
    Gazetteer(*data)
    assert time.perf_counter() - started < 1.5  # about 0.15 s here: this catches work per name, not jitter


def test_runtime_uses_only_the_standard_library():
    tree = ast.parse(gaz.__loader__.get_source(gaz.__name__))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert sorted(imported - set(sys.stdlib_module_names)) == []


def test_a_country_lookup_reads_no_town():
    from briefsite.geo.gazetteer import COUNTRIES, Gazetteer

    def towns() -> bytes:
        raise AssertionError("the towns were read")

    only_countries = Gazetteer(towns, gzip.decompress(COUNTRIES.read_bytes()))
    assert only_countries.country("Burma").alpha2 == "MM"
    assert only_countries.resolve("ประเทศไทย").precision == "country"
    with pytest.raises(AssertionError, match="the towns were read"):
        only_countries.resolve("Mae Sot")
