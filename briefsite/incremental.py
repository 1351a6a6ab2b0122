"""Page-level incrementality: which pages must be rendered again, and the ledger of the last build.

A page's fingerprint hashes what it is made from: its URL, template and
context (briefs by the digest of their file, terms and periods by identity),
plus everything every page depends on (engine, templates, assets, config).
What a template reaches beyond its context -- `term.briefs`, `period.briefs`,
anything on `site` -- is recorded while it renders (see `render.Tracking`)
as dependencies, whose digests are compared at the next build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import marshal
import os
import pickle
from datetime import date, datetime
from pathlib import Path

from .config import TaxonomyConfig
from .errors import BuildError
from .model import Brief, Month, Site, Taxonomy, Term, Year
from .pages import Feed, Pager

_PLAIN = frozenset({str, int, bool, float, type(None), bytes})


def digest(*parts) -> bytes:
    # marshal version 2 writes no back-references, so equal values always give equal bytes.
    return hashlib.blake2b(marshal.dumps(parts, 2), digest_size=16).digest()


_NOTHING = digest()


class Fingerprints:
    """Digests of pages' contexts and of their recorded dependencies, over one site."""

    def __init__(self, site: Site, brief_keys: dict[str, bytes]):
        self.site = site
        # A brief's digest: its file (through the parse key) and how its terms are shown.
        self.briefs = {
            id(brief): digest(brief_keys[brief.path], [(t.config.name, [(x.name, x.slug) for x in group])
                                                       for t, group in site.terms_of[brief.slug]])
            for brief in site.briefs
        }
        self.tokens: dict[int, object] = dict(self.briefs)
        # A brief's terms, as a brief page gets them, are already in the brief's digest.
        for brief in site.briefs:
            self.tokens[id(site.terms_of[brief.slug])] = self.briefs[id(brief)]
        self._deps: dict[tuple, bytes] = {}
        self._containers = None

    def header(self, brief: Brief) -> tuple:
        """What a brief's header says, as shown: all of the brief but its body."""
        return (brief.slug, brief.title, brief.published.isoformat(), brief.timed,
                brief.updated.isoformat() if brief.updated else None, brief.location, brief.summary,
                tuple((s.name, s.url) for s in brief.sources), repr(brief.extra), brief.draft,
                tuple((t.config.name, tuple(x.name for x in group)) for t, group in self.site.terms_of[brief.slug]))

    def page(self, shared: bytes, url: str, template: str, context: dict) -> bytes:
        return digest(shared, url, template, self.shallow(context))

    def shallow(self, value):
        """A hashable stand-in for `value`: what it shows, not what it contains."""
        token = self.tokens.get(id(value))
        if token is not None:
            return token
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is tuple or kind is list:
            return tuple(map(self.shallow, value))
        if kind is dict:
            return tuple((key, self.shallow(item)) for key, item in value.items())
        if kind is datetime or kind is date:
            return value.isoformat()
        if kind is Term:
            token = ("term", value.taxonomy.name, value.key, value.name, value.slug)
        elif kind is Taxonomy:  # its settings are in every page's shared digest
            token = ("taxonomy", value.config.name)
        elif kind is TaxonomyConfig:
            token = ("taxonomy", value.name)
        elif kind is Year or kind is Month:
            token = (kind.__name__, value.year, getattr(value, "month", 0))
        elif kind is Pager:
            return ("pager", value.number, value.total, tuple(map(self.shallow, value.items)))
        elif kind is Feed:
            return ("feed", value.title, value.url, value.json_url, value.home, tuple(map(self.shallow, value.briefs)))
        elif dataclasses.is_dataclass(value):  # chart bars, settings
            return (kind.__name__, *(self.shallow(getattr(value, f.name)) for f in dataclasses.fields(value)
                                     if not callable(getattr(value, f.name))))
        else:
            raise TypeError(f"no fingerprint for {kind.__name__} in a page's context")
        self.tokens[id(value)] = token  # the site holds these objects for the whole build
        return token

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
        if key == ("site",):
            return digest(*(self.briefs[id(b)] for b in self.site.briefs))
        if key == ("site", "headers"):  # the exports: an edit to a body alone leaves them be
            return digest(*(self.header(b) for b in self.site.briefs))
        *identity, attribute = key
        found = self.containers().get(tuple(identity))
        if found is None:
            return b"gone"
        if attribute == "count":
            return digest(len(found.briefs))
        if attribute == "terms":
            return digest(*((t.key, t.name, t.slug) for t in found.terms))
        if attribute == "months":
            return digest(*(m.month for m in found.months))
        return digest(*(self.briefs[id(b)] for b in found.briefs))

    def containers(self) -> dict:
        if self._containers is None:
            found = {}
            for taxonomy in self.site.taxonomies:
                found[("taxonomy", taxonomy.config.name)] = taxonomy
                for term in taxonomy.terms:
                    found[("term", taxonomy.config.name, term.key)] = term
            for year in self.site.years:
                found[("year", year.year)] = year
                for month in year.months:
                    found[("month", year.year, month.month)] = month
            self._containers = found
        return self._containers


_READ = {Term: ("briefs", "count"), Taxonomy: ("terms",), Year: ("briefs", "count", "months"),
         Month: ("briefs", "count")}


def dependency_of(value, attribute: str) -> tuple | None:
    """What reading `attribute` of `value` in a template depends on, if beyond the page's context.

    A term's or period's `count` is its own dependency, so a page that shows only
    how many briefs a term has is not rendered again when one of them is edited.
    """
    kind = type(value)
    if kind is Site:
        return ("site",)
    if attribute not in _READ.get(kind, ()):
        return None
    if kind is Term:
        return ("term", value.taxonomy.name, value.key, attribute)
    if kind is Taxonomy:
        return ("taxonomy", value.config.name, attribute)
    if kind is Year:
        return ("year", value.year, attribute)
    return ("month", value.year, value.month, attribute)


@dataclasses.dataclass
class Entry:
    """What the ledger knows of one output file."""

    fingerprint: bytes
    dependencies: tuple  # keys recorded while rendering
    dependency_digest: bytes
    size: int
    mtime_ns: int


@dataclasses.dataclass
class Ledger:
    """The last build of one output folder: its inputs and every file it wrote."""

    inputs: bytes = b""
    files: dict = dataclasses.field(default_factory=dict)  # output path -> Entry
    summary: tuple = (0, 0, ())  # briefs, pages, warnings: what a no-op build reports again
    related: dict = dataclasses.field(default_factory=dict)  # related briefs by the site's shape

    def intact(self, output: Path, path: str) -> bool:
        """Whether the file is still the one this ledger recorded."""
        entry = self.files.get(path)
        try:
            stat = os.stat(f"{output}/{path}", follow_symlinks=False)
        except OSError:
            return False
        return entry is not None and (stat.st_size, stat.st_mtime_ns) == (entry.size, entry.mtime_ns)

    def holds(self, output: Path, path: str, fingerprint: bytes) -> Entry | None:
        """The entry of a file made from inputs with this fingerprint and still as written; else None."""
        entry = self.files.get(path)
        if entry is None or entry.fingerprint != fingerprint or not self.intact(output, path):
            return None
        return entry


def ledger_path(cache_folder: Path, output: Path) -> Path:
    # One ledger per output folder: a site may be built into several.
    name = hashlib.blake2b(str(output.absolute()).encode(), digest_size=8).hexdigest()
    return cache_folder / f"pages-{name}.pickle"


def load_ledger(path: Path) -> Ledger:
    """The ledger at `path`; an empty one when it is missing, damaged or from another version."""
    try:
        raw = _PlainUnpickler(io.BytesIO(path.read_bytes())).load()
        inputs, files, summary, related = raw
        ledger = Ledger(inputs, {p: Entry(*e) for p, e in files.items()},
                        (summary[0], summary[1], tuple(BuildError(*w) for w in summary[2])), related)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError):
        return Ledger()
    return ledger


def save_ledger(path: Path, ledger: Ledger) -> None:
    """Store the ledger as plain data, atomically; a folder that cannot be written is skipped."""
    briefs, pages, warnings = ledger.summary
    raw = (ledger.inputs,
           {p: (e.fingerprint, e.dependencies, e.dependency_digest, e.size, e.mtime_ns)
            for p, e in ledger.files.items()},
           (briefs, pages, tuple((w.path, w.line, w.column, w.message, w.warning) for w in warnings)),
           ledger.related)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError:
        pass


def forget_ledger(path: Path) -> None:
    """Drop the ledger before the output changes in place: a build killed midway must not be trusted."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the page ledger")
