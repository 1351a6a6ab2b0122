"""Fingerprints: digests of what a page is made from, and of what it read while rendering.

A page's fingerprint hashes its URL, template and view, plus what every page shares (engine,
templates, assets, config, data/). Briefs stand in by the digest of their file and displayed terms,
and so do their entries and cards; the model's containers (taxonomies, terms, periods, authors,
threads, sources) by what they show; other views by their fields (what a view works out from them
for its template follows from them). What a template reaches through a container -- a term's
briefs, a year's months (`Container.tracked`) -- is recorded while it renders as a dependency on the
container's identity, whose digest the next build compares.

The model knows nothing of this: each container's part is declared here, by its type.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from collections.abc import Callable
from datetime import date, datetime

from ..model.site import Author, CitedSource, Month, Place, Site, Taxonomy, Term, Thread, Year
from ..output.views.common import Entry, Item

_PLAIN = frozenset({str, int, bool, float, type(None), bytes})


def digest(*parts) -> bytes:
    # marshal version 2 writes no back-references, so equal values always give equal bytes.
    if any(type(part) is bytes and len(part) > _LARGE for part in parts):
        parts = tuple(_hashed(part) if type(part) is bytes and len(part) > _LARGE else part for part in parts)
    return hashlib.blake2b(marshal.dumps(parts, 2), digest_size=16).digest()


# Bytes (a published file) from which a part is hashed by itself: marshal would copy it whole first, and
# refuses one of 2 GiB ("unmarshallable object").
_LARGE = 1 << 20


def _hashed(data: bytes) -> tuple:
    return ("large bytes", hashlib.blake2b(data, digest_size=16).digest())


_NOTHING = digest()


@dataclasses.dataclass(frozen=True)
class Container:
    """How the memory sees one type of the model's containers."""

    identity: Callable[[object], tuple]  # which one it is, across builds
    tracked: tuple[str, ...] = ("briefs", "count")  # what a template reads through it, recorded when read
    shown: Callable[[object], tuple] | None = None  # what it shows, standing in for it in a view; None: identity


def _term_shown(term: Term) -> tuple:
    links = [(link.taxonomy and link.taxonomy.name, link.name, link.slug)
             for link in (term.parent, *term.children) if link]
    return ("term", term.taxonomy.name, term.key, term.name, term.slug, term.description, term.aliases, term.ids,
            term.parent is not None, tuple(links))


# A term's or a period's `count` is tracked on its own, so a page that shows only how many briefs a term
# has is not rendered again when one of them is edited. A taxonomy's settings are in every page's digest.
CONTAINERS: dict[type, Container] = {
    Taxonomy: Container(lambda taxonomy: ("taxonomy", taxonomy.config.name), ("terms",)),
    Term: Container(lambda term: ("term", term.taxonomy.name, term.key), shown=_term_shown),
    Year: Container(lambda year: ("year", year.year), ("briefs", "count", "months")),
    Month: Container(lambda month: ("month", month.year, month.month)),
    Author: Container(lambda author: ("author", author.slug),
                      shown=lambda a: ("author", a.slug, a.name, a.bio, a.role, a.url)),
    CitedSource: Container(lambda source: ("source", source.slug),
                           shown=lambda s: ("source", s.slug, s.name, s.type, s.reliability, s.url)),
    Thread: Container(lambda thread: ("thread", thread.slug),
                      shown=lambda t: ("thread", t.slug, t.title, t.status, t.summary)),
    Place: Container(lambda place: ("place", place.slug),
                     shown=lambda p: ("place", p.slug, p.name, p.lat, p.lon, p.country, p.precision)),
}


def containers(site: Site):
    """Every container of `site` a template can read through."""
    for taxonomy in site.taxonomies:
        yield taxonomy
        yield from taxonomy.terms
    for year in site.years:
        yield year
        yield from year.months
    yield from site.authors
    yield from site.threads
    yield from site.sources
    yield from site.places


def dependency_of(value, attribute: str) -> tuple | None:
    """What reading `attribute` of `value` in a template depends on, if beyond the page's view."""
    container = CONTAINERS.get(type(value))  # templates read attributes by the hundred thousand: one lookup
    if container is None or attribute not in container.tracked:
        return None
    return (*container.identity(value), attribute)


class Fingerprints:
    """Digests of pages' views and of their recorded dependencies, over one site."""

    def __init__(self, site: Site, brief_keys: dict[str, bytes], shared: bytes):
        self.site, self.shared = site, shared
        # A brief's digest: its file (through the parse key), how its terms, authors and places are shown, and
        # with links to other briefs or files its body as they resolved, since where they point depends
        # on the other briefs (or whether they are plain text, their brief left out) and on the files.
        # Its entry and card are made of it, of its placement and of data/, so it stands in for them too.
        self.briefs = {
            id(brief): digest(brief_keys[brief.path], [(g.taxonomy.config.name, [(t.name, t.slug) for t in g.terms])
                                                       for g in site.placement(brief).terms],
                              [(a.name, a.slug) for a in site.placement(brief).authors],
                              [(p.name, p.slug, p.lat, p.lon, p.country, p.precision)
                               for p in site.placement(brief).places],
                              brief.body if brief.references else None,
                              repr((brief.image, brief.attachments)) if brief.image or brief.attachments else None)
            for brief in site.briefs
        }
        self.tokens: dict[int, object] = dict(self.briefs)
        self._held: list = []
        self._deps: dict[tuple, bytes] = {}
        self._containers: dict | None = None

    def page(self, url: str, template: str, context) -> bytes:
        return digest(self.shared, url, template, self.shallow(context))

    def shallow(self, value):
        """A hashable stand-in for `value`: what it shows, not what it contains."""
        token = self.tokens.get(id(value))
        if token is not None:
            return token
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is tuple or kind is list:  # mostly lists of briefs: their tokens looked up here, not call by call
            tokens = self.tokens
            return tuple(tokens.get(id(item)) or self.shallow(item) for item in value)
        if kind is dict:
            return tuple((key, self.shallow(item)) for key, item in value.items())
        if kind is datetime or kind is date:
            return value.isoformat()
        if kind is Item:  # a card: its brief's token, and how the list shows it
            return self._remember(value, (self.briefs[id(value.brief)], value.event, value.continuing))
        if kind is Entry:
            return self._remember(value, self.briefs[id(value.brief)])
        container = CONTAINERS.get(kind)
        if container is not None:  # the site holds them for the whole build
            token = self.tokens[id(value)] = (container.shown or container.identity)(value)
            return token
        if dataclasses.is_dataclass(value):  # views and settings, field by field
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
            return self._remember(value, (kind.__name__, *(self.shallow(field) for name in names
                                                           if not callable(field := getattr(value, name)))))
        raise TypeError(f"no fingerprint for {kind.__name__} in a page's view")

    def _remember(self, value, token):
        # Views share their parts (a card is on a dozen lists, the chrome on every page): each is worked out
        # once. Held here, so that no other object takes its id while its token is remembered.
        self.tokens[id(value)] = token
        self._held.append(value)
        return token

    def dependencies(self, keys) -> bytes:
        if not keys:
            return _NOTHING
        return digest(*(self.dependency(key) for key in sorted(keys)))

    def dependency(self, key: tuple) -> bytes:
        """The digest now of something a page read beyond its view."""
        if key not in self._deps:
            self._deps[key] = self._compute(key)
        return self._deps[key]

    def _compute(self, key: tuple) -> bytes:
        if self._containers is None:
            self._containers = {CONTAINERS[type(c)].identity(c): c for c in containers(self.site)}
        found = self._containers.get(key[:-1])
        return b"gone" if found is None else digest(self.shallow(getattr(found, key[-1])))


_FIELDS: dict[type, tuple[str, ...]] = {}  # each view type's fields, looked up once
