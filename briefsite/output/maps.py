"""The site's maps: the base maps its pages share (one file per extent and shading), and each page's
figure, the dots of its places drawn over one of them.

A base map is an image of the countries, drawn once a build for every page that shows that part of the
world (a locator's extent is snapped to a grid, so briefs near each other share one); the dots are inline
SVG links to the places' pages, so a map works without script and costs a page little.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from ..geo import gazetteer
from ..geo.maps import Dot, View, basemap, dots_layer, drawing_key, shades
from ..model.site import Place, Site, Term
from ..site import urls
from ..site.places import COUNTRIES
from .views.places import Figure

LOCATOR = (400, 300)  # px: a brief's, a place's, a month's map
COUNTRY = (480, 360)  # px: a country's page
WORLD_WIDTH = 960
HIGHLIGHT = 3  # the shade of the country a country page is about
DRAWN_KEPT = 256  # base maps kept drawn in a process (serve draws each once)


@lru_cache(maxsize=DRAWN_KEPT)
def _drawn(view: View, shade: tuple[tuple[str, int], ...], points: tuple) -> bytes:
    return basemap(view, dict(shade), points=dict(points)).encode()


@lru_cache(maxsize=4096)
def _base_file(view: View, shade: tuple[tuple[str, int], ...], points: tuple) -> str:
    return urls.base_map(hashlib.blake2b(repr((view, shade, points)).encode(), digest_size=8).hexdigest())


@lru_cache(maxsize=4096)
def locator_view(points: tuple[tuple[float, float], ...]) -> View:
    """The extent of a locator map around these (lon, lat) points, snapped so that neighbours share it."""
    return View.around(points, width=LOCATOR[0], height=LOCATOR[1])


def figure(view: View, shade: tuple, points: tuple, places: tuple[Place | Shown, ...], title: str, base_path: str, *,
           sized: bool = False, counted: bool = True) -> Figure:
    """A map of `view` over its base map, with a dot linking to each of `places` (sized by its briefs with
    `sized`); `shade` and `points` (sorted pairs) shade countries and mark the small ones. A dot says how many
    briefs its place has (`counted`), but on a brief's page: that page is not rendered again for another
    brief at its place."""
    places = tuple(p for p in places if _inside(view, p))  # a country's brief datelined far away: not on its map
    counts = [p.count if counted else 1 for p in places]
    most = max(counts, default=1)
    dots = [Dot(p.lon, p.lat, _radius(n, most) if sized else 5.0, base_path + quote(urls.place(p), safe="/"),
                p.name, f"{p.name}: {n} brief{'' if n == 1 else 's'}" if counted else p.name, n)
            for p, n in zip(places, counts, strict=True)]
    label = ", ".join(p.name for p in places[:8]) + (f" and {len(places) - 8} more" if len(places) > 8 else "")
    return Figure(_base_file(view, shade, points), view.width, view.height, dots_layer(view, dots), title, label)


class Shown(NamedTuple):
    """What a dot shows of a place: a brief page's map is made of these, so that briefs at the same places
    share one figure."""

    slug: str
    name: str
    lat: float
    lon: float


def locator(base_path: str, places: tuple[Place, ...], title: str) -> Figure | None:
    """The map of a brief's places (a template filter: `places | locator(title)`); None without places."""
    if not places:
        return None
    return _located(base_path, title, tuple(Shown(p.slug, p.name, p.lat, p.lon) for p in places))


@lru_cache(maxsize=1024)
def _located(base_path: str, title: str, places: tuple[Shown, ...]) -> Figure:
    return figure(locator_view(tuple((p.lon, p.lat) for p in places)), (), (), places, title, base_path, counted=False)


@dataclass(frozen=True)
class BaseMap:
    """A base map to write, drawn only when it is written: an unchanged one is never drawn again."""

    path: str
    view: View
    shade: tuple
    points: tuple

    @property
    def mark(self) -> bytes:
        return hashlib.blake2b(repr((self.view, self.shade, self.points)).encode() + drawing_key(),
                               digest_size=16).digest()

    @property
    def data(self) -> bytes:
        return _drawn(self.view, self.shade, self.points)


class Atlas:
    """The maps of one site's pages: what each shows, and every base map they use."""

    def __init__(self, site: Site):
        self.site = site
        self.base_path = site.config.base_path

    def files(self) -> list[BaseMap]:
        """Every base map the site's pages use."""
        site, used = self.site, []
        for brief in site.briefs:
            used.append(self._locator(site.placement(brief).places))
        used += [self._locator((place,)) for place in site.places]
        used += [self._locator(self.places_of(month.briefs)) for year in site.years for month in year.months]
        used += [self._country(term) for t in site.taxonomies if t.config.name == COUNTRIES for term in t.terms]
        used.append(self._world() if site.places else None)
        drawn = {_base_file(*what): what for what in used if what}
        return [BaseMap(path, *what) for path, what in sorted(drawn.items())]

    def places_of(self, briefs) -> tuple[Place, ...]:
        """The places of `briefs`, each once, most briefs first."""
        counts, found = Counter(), {}
        for brief in briefs:
            for place in self.site.placement(brief).places:
                counts[place.slug] += 1
                found[place.slug] = place
        return tuple(sorted(found.values(), key=lambda p: (-counts[p.slug], p.name, p.slug)))

    def locator(self, places: tuple[Place, ...], title: str) -> Figure | None:
        """The map of a place's or a period's places; None without places."""
        drawn = self._locator(places)
        return figure(*drawn, places, title, self.base_path) if drawn else None

    def country(self, term: Term) -> Figure | None:
        """The map of a country term's page: the country, and its places; None for a term naming no country."""
        drawn = self._country(term)
        if not drawn:
            return None
        return figure(*drawn, self.places_of(term.briefs), f"Map of {term.name} and the places of its briefs",
                      self.base_path)

    def world(self) -> Figure:
        """The map page's: countries shaded by their briefs, every place a dot sized by its briefs."""
        places = tuple(sorted(self.site.places, key=lambda p: (-p.count, p.name, p.slug)))
        return figure(*self._world(), places, "Map of the places briefs happened at", self.base_path, sized=True)

    def country_counts(self) -> dict[str, int]:
        """Each country's number of briefs, by alpha-2 code: its term's, else the briefs at its places."""
        counts: Counter = Counter()
        terms = next((t.terms for t in self.site.taxonomies if t.config.name == COUNTRIES), ())
        for term in terms:
            code = self.site.countries.get(term.key)
            if code:
                counts[code] = max(counts[code], term.count)
        if not terms:
            for place in self.site.places:
                if place.country:
                    counts[place.country] += place.count
        return {code: n for code, n in sorted(counts.items()) if _numeric(code)}

    # What each map draws: (view, shade, points), the base map's key.

    def _locator(self, places: tuple[Place, ...]) -> tuple | None:
        return (locator_view(tuple((p.lon, p.lat) for p in places)), (), ()) if places else None

    def _country(self, term: Term) -> tuple | None:
        code = self.site.countries.get(term.key)
        numeric = _numeric(code) if code else None
        if not numeric:
            return None
        try:
            view = View.around_country(numeric, width=COUNTRY[0], height=COUNTRY[1])
        except KeyError:  # no outline in Natural Earth: the map around its point
            view = View.around([_point(code)], width=COUNTRY[0], height=COUNTRY[1])
        return view, ((numeric, HIGHLIGHT),), ((numeric, _point(code)),)

    def _world(self) -> tuple:
        counts = self.country_counts()
        shade = tuple(sorted(shades({_numeric(code): n for code, n in counts.items()}).items()))
        points = tuple(sorted((_numeric(code), _point(code)) for code in counts))
        return View.world(WORLD_WIDTH, south=-60), shade, points


def _inside(view: View, place: Place) -> bool:
    x, y = view.pixel(place.lon, place.lat)
    return 0 <= x <= view.width and 0 <= y <= view.height


def _numeric(code: str) -> str | None:
    """The country's ISO 3166-1 numeric code, the id of its outline; None for one without (Kosovo)."""
    country = gazetteer.country_by_code(code)
    return country.numeric or None if country else None


def _point(code: str) -> tuple[float, float]:
    country = gazetteer.country_by_code(code)
    return country.lon, country.lat


def _radius(count: int, most: int) -> float:
    """A dot's radius: its area grows with its briefs, from 3 px to 12 px for the place with most."""
    return round(3 + 9 * math.sqrt(count / most), 1) if most else 3.0
