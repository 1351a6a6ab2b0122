"""Places: where each brief happened, resolved to a point, and the site's places, each with its briefs.

A spot is resolved by the first of: the coordinates its header gives; a place of data/places.yml, by name or
alias; a name an entity of data/ declares as an alias (缅甸 -> Myanmar) looked up again; the gazetteer, which
knows every country and the world's towns of 15,000 people or more, in their names in many languages, and
prefers those in the brief's countries when a name is ambiguous.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..errors import BuildError
from ..geo import gazetteer
from ..model.brief import Brief, Spot
from ..model.site import Data, Place, PlaceProfile, Taxonomy, Term
from ..values.slugs import slugify, term_key

COUNTRIES = "countries"  # the taxonomy whose terms are countries, shaded on the maps


@dataclass(frozen=True)
class Found:
    """A spot resolved: the place's identity across briefs, and what a Place is made of."""

    key: tuple
    name: str
    lat: float
    lon: float
    country: str | None
    precision: str


def country_codes(taxonomies: tuple[Taxonomy, ...]) -> dict[str, str]:
    """Each term of the countries taxonomy that names a country (by any name or code), to its alpha-2 code."""
    terms = next((t.terms for t in taxonomies if t.config.name == COUNTRIES), ())
    codes = {}
    for term in terms:
        found = next(filter(None, map(gazetteer.country, (term.name, *term.aliases))), None)
        if found:
            codes[term.key] = found.alpha2
    return codes


def country_terms(taxonomies: tuple[Taxonomy, ...], codes: dict[str, str]) -> dict[str, Term]:
    """The terms of the countries taxonomy that name a country, by its alpha-2 code (`codes`: country_codes)."""
    terms = next((t.terms for t in taxonomies if t.config.name == COUNTRIES), ())
    return {code: term for term in terms if (code := codes.get(term.key))}


class Resolver:
    """Resolves spots against data/ and the gazetteer, once per name and set of countries."""

    def __init__(self, data: Data, country_names: dict[str, str]):
        self.declared: dict[str, PlaceProfile] = {}
        for profile in data.places:
            for name in (profile.name, *profile.aliases):
                self.declared.setdefault(gazetteer.normalise(name), profile)
        # An alias of any entity (a country's 缅甸, an organisation's short name) is looked up as its entity.
        self.aliases = {gazetteer.normalise(alias): entity.name for entity in data.entities for alias in entity.aliases}
        self.country_names = country_names  # alpha-2 -> the name the site gives the country
        self.known: dict[tuple, tuple[Found | None, tuple[str, ...]]] = {}

    def resolve(self, spot: Spot, countries: tuple[str, ...]) -> tuple[Found | None, tuple[str, ...]]:
        """The place `spot` names and, when its name could be several places, the others it could be."""
        if spot.lat is not None:
            return Found(("given", spot.name, spot.lat, spot.lon), spot.name, spot.lat, spot.lon, None,
                         spot.precision), ()
        asked = (spot.name, countries)
        if asked not in self.known:
            self.known[asked] = self._lookup(spot.name, countries)
        found, others = self.known[asked]
        if found and spot.precision:
            found = Found(found.key, found.name, found.lat, found.lon, found.country, spot.precision)
        return found, others

    def _lookup(self, name: str, countries: tuple[str, ...]) -> tuple[Found | None, tuple[str, ...]]:
        entity = self.aliases.get(gazetteer.normalise(name))
        for each in (name, entity) if entity else (name,):
            profile = self.declared.get(gazetteer.normalise(each))
            if profile:
                return Found(("declared", profile.name), profile.name, profile.lat, profile.lon, profile.country,
                             profile.precision), ()
            found = gazetteer.resolve(each, countries)
            if found:
                country = found.precision == "country"
                shown = self.country_names.get(found.country, found.name) if country else found.name
                return Found(("country", found.country) if country else ("town", found.name, found.lat, found.lon),
                             shown, found.lat, found.lon, found.country, found.precision), found.ambiguous
        return None, ()


def place_index(briefs: tuple[Brief, ...], data: Data, codes: dict[str, str],
                country_names: dict[str, str]
                ) -> tuple[tuple[Place, ...], dict[str, tuple[Place, ...]], list[BuildError]]:
    """The site's places (sorted by name), each brief's places by slug, and a warning at each spot that
    names no place briefsite knows, or several."""
    resolver = Resolver(data, country_names)
    members: dict[tuple, list[Brief]] = defaultdict(list)
    found_of: dict[tuple, Found] = {}
    spots_of: dict[str, list[tuple]] = {}
    warnings = []
    for brief in briefs:  # newest first: so is each place's list
        countries = tuple(dict.fromkeys(codes[key] for key in map(term_key, brief.terms_of(COUNTRIES))
                                        if key in codes))
        keys = []
        for spot in brief.places:
            found, others = resolver.resolve(spot, countries)
            if found is None:
                warnings.append(_unknown(brief, spot))
                continue
            if others:
                warnings.append(_ambiguous(brief, spot, found, others))
            found_of.setdefault(found.key, found)
            if found.key not in keys:
                keys.append(found.key)
                members[found.key].append(brief)
        spots_of[brief.slug] = keys
    slugs = _slugs([found_of[key] for key in members])
    places = {key: Place(found_of[key].name, slugs[key], found_of[key].lat, found_of[key].lon, found_of[key].country,
                         found_of[key].precision, tuple(members[key])) for key in members}
    by_brief = {slug: tuple(places[key] for key in keys) for slug, keys in spots_of.items()}
    return tuple(sorted(places.values(), key=lambda p: (p.name.casefold(), p.slug))), by_brief, warnings


def _slugs(found: list[Found]) -> dict[tuple, str]:
    """A slug for each place: its name's, with its country's code where two places share a name, and a number
    where that is not enough either."""
    by_slug: dict[str, list[Found]] = defaultdict(list)
    for one in found:
        by_slug[slugify(one.name) or "place"].append(one)
    slugs, taken = {}, set()
    for slug, same in sorted(by_slug.items()):
        for one in sorted(same, key=lambda f: (f.country or "", f.lat, f.lon, f.key)):
            wanted = slug if len(same) == 1 else f"{slug}-{(one.country or 'xx').lower()}"
            final, number = wanted, 2
            while final in taken:
                final, number = f"{wanted}-{number}", number + 1
            taken.add(final)
            slugs[one.key] = final
    return slugs


def _key(spot: Spot) -> str:
    return "location" if spot.dateline else "places"


def _unknown(brief: Brief, spot: Spot) -> BuildError:
    near = gazetteer.nearest(spot.name)
    hint = f" (did you mean {' or '.join(near)}?)" if near else ""
    return BuildError(brief.path, spot.line, spot.column,
                      f"{_key(spot)}: '{spot.name}' is not a place briefsite knows{hint}; declare it in "
                      "data/places.yml with its lat and lon, or give them here", warning=True)


def _ambiguous(brief: Brief, spot: Spot, found: Found, others: tuple[str, ...]) -> BuildError:
    return BuildError(brief.path, spot.line, spot.column,
                      f"{_key(spot)}: '{spot.name}' names several places; took {found.name} "
                      f"({found.country or 'no country'}), not {' or '.join(others)}: name the brief's country in "
                      "countries, or declare the place in data/places.yml", warning=True)
