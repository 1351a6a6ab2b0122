"""The pages of places and of the map: /places/, each place's pages and feeds, and /map/."""

from __future__ import annotations

from ..geo import gazetteer
from ..geo.maps import legend_entries, shade_class
from ..site import urls
from ..site.places import country_terms
from .maps import Atlas
from .page import Page, listing
from .views.common import Parts
from .views.places import CountryRow, MapPage, PlacePage, PlacesPage, Shade


def place_pages(made: Parts, atlas: Atlas) -> list[Page]:
    """The places' index, each place's pages and feeds, and the map; none while no brief names a place."""
    site, chrome = made.site, made.chrome
    if not site.places:
        return []
    names = country_names(made)
    pages = [Page(urls.places(), "places.html", PlacesPage(places=site.places, countries=names,
                                                           total=len(site.briefs), chrome=chrome), "places")]
    for place in site.places:
        figure = atlas.locator((place,), f"Map of {place.name}")
        pages += listing(made, f"place '{place.name}'", place.name, place, urls.place, urls.place_feed, place.briefs,
                         made.listed(place.briefs), "place.html",
                         lambda pager, feed, p=place, f=figure: PlacePage(pager=pager, place=p, feed=feed, map=f,
                                                                          country=names.get(p.country), chrome=chrome))
    terms = country_terms(site.taxonomies, site.countries)
    counts = sorted(atlas.country_counts().items(), key=lambda found: (-found[1], names.get(found[0], found[0])))
    rows = tuple(CountryRow(names.get(code, code), urls.term(terms[code]) if code in terms else None, count,
                            shade_class(count)) for code, count in counts)
    view = MapPage(map=atlas.world(), legend=tuple(Shade(number, label) for label, number in legend_entries()),
                   countries=rows, places=tuple(sorted(site.places, key=lambda p: (-p.count, p.name, p.slug))),
                   total=len(site.briefs), chrome=chrome, section="map")
    return pages + [Page(urls.world_map(), "map.html", view, "map")]


def country_names(made: Parts) -> dict[str, str]:
    """Each country's name by alpha-2 code: the site's term for it, else the gazetteer's English name."""
    site = made.site
    named = {code: term.name for code, term in country_terms(site.taxonomies, site.countries).items()}
    for place in site.places:
        if place.country and place.country not in named:
            found = gazetteer.country_by_code(place.country)
            named[place.country] = found.name if found else place.country
    return named
