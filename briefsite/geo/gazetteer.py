"""Place and country names resolved offline to coordinates and ISO 3166 codes.

The tables in data/ are made by scripts/make_gazetteer.py from GeoNames (cities of 15,000 or more),
ISO 3166 (via pycountry) and CLDR (via babel). Both files hold their lookup keys already normalised,
so loading is a few splits of text and no per-name Unicode work.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import gzip
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CITIES = DATA / "cities.tsv.gz"
COUNTRIES = DATA / "countries.tsv.gz"
DOMINANT = 3  # a candidate this many times more populous than the next is taken without a doubt
MAX_ALTERNATIVES = 3
CLOSE = 0.6  # how alike a suggestion must be (difflib's ratio)
NEAR_KEPT = 4096  # suggestions remembered, before they are forgotten all at once

# Hyphens, underscores, dots and apostrophes separate words ("Mae-Sot", "Xi’an", "St. Louis");
# format characters that only steer rendering (direction marks, soft hyphen) are dropped.
_SEPARATORS = "-_.'`´‘’ʹʻʼʽʾʿ‐‑‒–—―−·・"
_FOLD = str.maketrans({**dict.fromkeys(_SEPARATORS, " "), **dict.fromkeys("\u00ad\u200b\u200e\u200f\u2060\ufeff"),
                       # Latin letters that carry their mark inside and so survive NFKD
                       "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l",
                       "æ": "ae", "œ": "oe", "þ": "th"})
_ASCII_FOLD = str.maketrans("-_.'`", "     ")
# Only the general diacritic blocks: Thai vowels, Devanagari signs and Japanese voicing marks are
# combining too, but removing them would turn one word into another.
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise(name: str) -> str:
    """The lookup key of a name: case, accents and word separators folded ("São-Paulo" -> "sao paulo")."""
    if name.isascii():  # the common case, kept cheap
        return " ".join(name.lower().translate(_ASCII_FOLD).split())
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = unicodedata.normalize("NFC", _DIACRITICS.sub("", text))  # NFC puts Hangul and kana back together
    return " ".join(text.translate(_FOLD).split())


@dataclass(frozen=True)
class City:
    id: int  # GeoNames id
    name: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2
    population: int
    region: str = ""  # first-level division, where the data names it (US states, Canadian provinces …)


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    numeric: str  # three digits as text: the ids of world-atlas TopoJSON ("764"); "" for Kosovo
    name: str
    lat: float  # the capital, as a representative point
    lon: float


@dataclass(frozen=True)
class Resolution:
    """Where a brief's place name points, and the other places it might have meant."""

    name: str
    lat: float
    lon: float
    country: str | None
    precision: str  # "town" or "country"
    ambiguous: tuple[str, ...] = ()


class Gazetteer:
    """The city and country tables, indexed by normalised name."""

    def __init__(self, city_data: bytes | Callable[[], bytes], country_data: bytes):
        self._city_data = city_data  # or what reads it: a site naming only countries never reads the towns
        self._country_table = _Table(country_data)
        self._countries = []
        for row in range(self._country_table.count):
            alpha2, alpha3, numeric, lat, lon = self._country_table.columns(row)
            name = self._country_table.names(row)[0]
            self._countries.append(Country(alpha2, alpha3, numeric, name, float(lat), float(lon)))
        self._by_code = {country.alpha2: country for country in self._countries}
        self._codes = {code.lower().encode(): country for country in self._countries
                       for code in (country.alpha2, country.alpha3)}
        # Answers by the name as asked: a site names the same places again and again.
        self._made: dict[int, City] = {}
        self._cities_named: dict[str, tuple[City, ...]] = {}
        self._country_named: dict[str, Country | None] = {}
        self._resolved: dict[tuple[str, tuple[str, ...]], Resolution | None] = {}
        self._near: dict[tuple[str, int], tuple[str, ...]] = {}

    @functools.cached_property
    def _cities(self) -> _Table:
        """The towns, most populous first."""
        data = self._city_data() if callable(self._city_data) else self._city_data
        self._city_data = b""
        return _Table(data)

    @property
    def city_count(self) -> int:
        return self._cities.count

    def cities(self, name: str) -> tuple[City, ...]:
        """Every city called `name` in any language, most populous first."""
        found = self._cities_named.get(name)
        if found is None:
            rows = self._cities.rows(normalise(name).encode())
            found = self._cities_named[name] = tuple(map(self._city, rows))
        return found

    def country(self, name: str) -> Country | None:
        """The country with this alpha-2 or alpha-3 code or this name in any language."""
        if name not in self._country_named:
            key = normalise(name).encode()
            rows = self._country_table.rows(key)  # the generator gives each name to one country only
            code = name.strip()
            # a code is written as one, in plain letters: "Muş" is a Turkish town, not MUS, Mauritius
            is_code = code.isascii() and code.isalpha()
            self._country_named[name] = self._countries[rows[0]] if rows else self._codes.get(key) if is_code else None
        return self._country_named[name]

    def country_by_code(self, alpha2: str) -> Country | None:
        return self._by_code.get(alpha2.upper())

    def resolve(self, name: str, countries: tuple[str, ...] | list[str] = ()) -> Resolution | None:
        """A country by that name, else the city most likely meant, preferring the brief's `countries`."""
        asked = (name, tuple(countries))
        if asked not in self._resolved:
            self._resolved[asked] = self._resolve(name, {code.upper() for code in countries})
        return self._resolved[asked]

    def _resolve(self, name: str, wanted: set[str]) -> Resolution | None:
        country = self.country(name)
        if country:
            return Resolution(country.name, country.lat, country.lon, country.alpha2, "country")
        candidates = self.cities(name)
        # A place of that very name goes before places it is only another name of: Islamabad is Pakistan's
        # capital, not Chattogram, which was once called so and has more people.
        key = normalise(name)
        candidates = tuple(city for city in candidates if normalise(city.name) == key) or candidates
        if any(city.country in wanted for city in candidates):
            candidates = tuple(city for city in candidates if city.country in wanted)
        if not candidates:
            return None
        best, others = candidates[0], candidates[1:]
        if others and best.population < DOMINANT * others[0].population:
            doubt = tuple(_describe(city) for city in others[:MAX_ALTERNATIVES])
        else:
            doubt = ()
        return Resolution(best.name, best.lat, best.lon, best.country, "town", doubt)

    def nearest(self, name: str, limit: int = 3) -> list[str]:
        """The known names closest to `name`, one per place, to suggest when it is not found."""
        key = normalise(name)
        if not key or limit <= 0:
            return []
        # Remembered: each build warns of the same unknown name again (tens of ms each), serve's every save.
        if (key, limit) not in self._near:
            if len(self._near) >= NEAR_KEPT:
                self._near.clear()
            self._near[(key, limit)] = self._nearest(key, limit)
        return list(self._near[(key, limit)])

    def _nearest(self, key: str, limit: int) -> tuple[str, ...]:
        # Only keys of about the same length that start with its first or second letter: comparing
        # every key would take seconds, and a typo seldom hits both of the first two letters.
        first, size = f"[{re.escape(key[:2])}]", f"{{{max(len(key) - 3, 0)},{len(key) + 1}}}"
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        best: dict[tuple[int, int], tuple[float, int, str]] = {}  # place -> its best (-ratio, -weight, name)
        for candidate in re.findall(f"\n({first}[^\n]{size})(?=\n)", self._every_key):  # "\n" first: fast
            matcher.set_seq1(candidate)
            if matcher.quick_ratio() >= CLOSE and (ratio := matcher.ratio()) >= CLOSE:
                place, written, weight = self._place(candidate.encode())
                best[place] = min(best.get(place, (0.0, 0, "")), (-ratio, -weight, written))
        # the closest first, then the largest place, then by name: the same answer every time
        ranked = dict.fromkeys(written for _, _, written in sorted(best.values()))
        return tuple(ranked)[:limit]

    @functools.cached_property
    def _every_key(self) -> str:
        """All keys, a line each, to be searched by pattern: made on the first miss, as a hit needs none."""
        return "\n" + b"\n".join([*self._cities.index, *self._country_table.index]).decode() + "\n"

    def _place(self, key: bytes) -> tuple[tuple[int, int], str, int]:
        """What a key names (a country, else its largest city), how the key is written, and a weight."""
        for number, table in enumerate((self._country_table, self._cities)):
            rows = table.rows(key)
            if rows:
                names = table.names(rows[0])
                written = next((name for name in names if normalise(name).encode() == key), names[0])
                weight = self._city(rows[0]).population if number else 10**10  # countries first
                return (number, rows[0]), written, weight
        raise KeyError(key)

    def _city(self, row: int) -> City:
        city = self._made.get(row)
        if city is None:
            geonameid, lat, lon, country, population, _admin1, region = self._cities.columns(row)
            name = self._cities.names(row)[0]
            city = City(int(geonameid), name, float(lat), float(lon), country, int(population), region)
            self._made[row] = city
        return city


class _Table:
    """A table as scripts/make_gazetteer.py lays it out for a fast load, and its index.

    Four sections, each a line per row in the same order: the columns; the names, "|" between
    them, the display name first; the keys that name several rows, with those rows; and the keys of
    the names, left empty where the name's bytes in ASCII lower case are its key (nine in ten). So
    the index is a few splits and one dict() over bytes, with no Unicode work at all: each key points
    to its name's place in the list of all names, and that place to its row when looked up.
    """

    def __init__(self, data: bytes):
        self._columns, self._names, shared, keys = data.split(b"\n\n", 3)
        lowered = self._names.lower().replace(b"\n", b"|").split(b"|")
        written = keys.removesuffix(b"\n").replace(b"\n", b"|").split(b"|")
        every = [key or name for key, name in zip(written, lowered, strict=True)]
        self.index: dict[bytes, int | bytes] = dict(zip(every, range(len(every)), strict=True))
        if shared:  # b"3,17": the rows themselves, most populous first
            self.index.update(line.split(b"\t") for line in shared.split(b"\n"))
        self.count = self._names.count(b"\n") + 1

    @functools.cached_property
    def _lines(self) -> tuple[list[bytes], list[bytes], list[int]]:
        """Each row's columns and names, and where each row's names end in the list of all names."""
        names = self._names.split(b"\n")
        bars = itertools.accumulate(map(bytes.count, names, itertools.repeat(b"|")))  # names - 1 in each row
        return self._columns.split(b"\n")[1:], names, list(map(operator.add, bars, range(1, len(names) + 1)))

    def rows(self, key: bytes) -> list[int]:
        found = self.index.get(key)
        if found is None:
            return []
        if isinstance(found, int):
            return [bisect.bisect_right(self._lines[2], found)]
        return [int(row) for row in found.split(b",")]

    def columns(self, row: int) -> list[str]:
        return self._lines[0][row].decode().split("\t")

    def names(self, row: int) -> list[str]:
        return self._lines[1][row].decode().split("|")


def _describe(city: City) -> str:
    """How an alternative is named in a warning: "Springfield, US (Massachusetts)"."""
    where = city.region or f"{city.lat:.2f}, {city.lon:.2f}"
    return f"{city.name}, {city.country} ({where})"


@functools.cache
def gazetteer() -> Gazetteer:
    """The tables, read once per process on first use."""
    return Gazetteer(lambda: gzip.decompress(CITIES.read_bytes()), gzip.decompress(COUNTRIES.read_bytes()))


def cities(name: str) -> tuple[City, ...]:
    return gazetteer().cities(name)


def country(name: str) -> Country | None:
    return gazetteer().country(name)


def country_by_code(alpha2: str) -> Country | None:
    return gazetteer().country_by_code(alpha2)


def nearest(name: str, limit: int = 3) -> list[str]:
    return gazetteer().nearest(name, limit)


def resolve(name: str, countries: tuple[str, ...] | list[str] = ()) -> Resolution | None:
    return gazetteer().resolve(name, countries)
