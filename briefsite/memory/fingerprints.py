"""Fingerprints: digests of what a page is made from, and of what it read while rendering.

A page's fingerprint hashes its URL, template and context, plus what every page
shares (engine, templates, assets, config). Briefs stand in by the digest of
their file and displayed terms; containers (terms, taxonomies, periods) by
their `fingerprint`; views field by field. What a template reaches beyond its
context -- a container's `tracked` attributes, anything on `site` -- is recorded
while it renders as a dependency, whose digest the next build compares.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from datetime import date, datetime

from ..model.brief import ALL, Brief
from ..model.site import Site

_PLAIN = frozenset({str, int, bool, float, type(None), bytes})
HEADERS = ("site", "headers")  # every brief's header, not its body: what the exports show


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


def dependency_of(value, attribute: str) -> tuple | None:
    """What reading `attribute` of `value` in a template depends on, if beyond the page's context.

    A term's or period's `count` is its own dependency, so a page that shows only
    how many briefs a term has is not rendered again when one of them is edited.
    """
    kind = type(value)
    tracked = _TRACKED.get(kind)
    if tracked is None:  # templates read attributes by the hundred thousand: look each type up once
        tracked = _TRACKED[kind] = getattr(kind, "tracked", ())
    if tracked is ALL:
        return value.identity
    return (*value.identity, attribute) if attribute in tracked else None


_TRACKED: dict[type, object] = {}


class Fingerprints:
    """Digests of pages' contexts and of their recorded dependencies, over one site."""

    def __init__(self, site: Site, brief_keys: dict[str, bytes], shared: bytes):
        self.site, self.shared = site, shared
        # A brief's digest: its file (through the parse key), how its terms and authors are shown, and
        # with links to other briefs or files its body as they resolved, since where they point depends
        # on the other briefs (or whether they are plain text, their brief left out) and on the files.
        self.briefs = {
            id(brief): digest(brief_keys[brief.path], [(g.taxonomy.config.name, [(t.name, t.slug) for t in g.terms])
                                                       for g in site.placement(brief).terms],
                              [(a.name, a.slug) for a in site.placement(brief).authors],
                              brief.body if brief.references else None,
                              repr((brief.image, brief.attachments)) if brief.image or brief.attachments else None)
            for brief in site.briefs
        }
        self.tokens: dict[int, object] = dict(self.briefs)
        self._deps: dict[tuple, bytes] = {}
        self._containers: dict | None = None

    def page(self, url: str, template: str, context: dict) -> bytes:
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
        if hasattr(kind, "fingerprint"):  # model containers: the site holds them for the whole build
            token = self.tokens[id(value)] = value.fingerprint
            return token
        if dataclasses.is_dataclass(value):  # views and settings, field by field
            return (kind.__name__, *(self.shallow(getattr(value, f.name)) for f in dataclasses.fields(value)
                                     if not callable(getattr(value, f.name))))
        raise TypeError(f"no fingerprint for {kind.__name__} in a page's context")

    def dependencies(self, keys) -> bytes:
        if not keys:
            return _NOTHING
        return digest(*(self.dependency(key) for key in sorted(keys)))

    def dependency(self, key: tuple) -> bytes:
        """The digest now of something a page read beyond its context."""
        if key not in self._deps:
            self._deps[key] = self._compute(key)
        return self._deps[key]

    def _compute(self, key: tuple) -> bytes:
        if key == Site.identity:
            return digest(*(self.briefs[id(b)] for b in self.site.briefs))
        if key == HEADERS:  # the exports: an edit to a body alone leaves them be
            return digest(*(self.header(b) for b in self.site.briefs))
        if self._containers is None:
            self._containers = {container.identity: container for container in self.site.containers()}
        found = self._containers.get(key[:-1])
        return b"gone" if found is None else digest(self.shallow(getattr(found, key[-1])))

    def header(self, brief: Brief) -> tuple:
        """What a brief's header says, as shown: all of the brief but its body."""
        shown = tuple(getattr(brief, f.name) for f in dataclasses.fields(Brief) if f.name not in ("body", "links"))
        return repr(shown), self.briefs[id(brief)]
