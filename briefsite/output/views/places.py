"""The views of the places' pages and of the map: where briefs happened."""

from __future__ import annotations

from dataclasses import dataclass

from ...model.site import Place
from .common import Feed, Paged, View


@dataclass(frozen=True)
class Figure:
    """A map as a page draws it: a shared base map (an image of the countries) and, over it, dots that link."""

    base: str  # the base map's file, site-relative
    width: int
    height: int
    dots: str  # SVG: a link and a circle for each place, in the base map's coordinates
    title: str  # what the map shows, for its accessible name
    label: str  # a caption: the places it shows, in words


def coordinates(place: Place) -> str:
    """Where a place is, as a reader reads it: '16.71° N, 98.57° E'."""
    lat, lon = place.lat, place.lon
    return f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"


@dataclass(frozen=True)
class CountryRow:
    """A country on the map's table: how many briefs it has and its shade on the map."""

    name: str
    url: str | None  # its term page, site-relative; None when the site has no page for it
    count: int
    shade: int  # its class on the map, 1 (fewest briefs) to 5


@dataclass(frozen=True)
class Shade:
    """One class of the map's legend: the counts it holds."""

    number: int
    label: str  # '1', '2–4', '25 or more'


@dataclass(frozen=True, kw_only=True)
class PlacesPage(View):
    """`places.html`: every place briefs happened at, by name, with its country and count."""

    places: tuple[Place, ...]
    countries: dict[str, str]  # alpha-2 -> the country's name
    total: int


@dataclass(frozen=True, kw_only=True)
class PlacePage(Paged):
    """`place.html`: a page of the briefs that happened at one place, newest first."""

    place: Place
    country: str | None  # the country's name
    feed: Feed
    map: Figure


@dataclass(frozen=True, kw_only=True)
class MapPage(View):
    """`map.html`: the world, its countries shaded by how many briefs they have, and each place a dot."""

    map: Figure
    legend: tuple[Shade, ...]
    countries: tuple[CountryRow, ...]  # most briefs first
    places: tuple[Place, ...]  # most briefs first
    total: int
