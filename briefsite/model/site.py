"""The typed model of the indexed site: terms, periods, authors, sources, threads and the site. Data only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..config import Config, TaxonomyConfig
from .brief import Brief, Citation, SourceProfile
from .edition import Edition, Intro


class _Counted:
    briefs: tuple[Brief, ...]

    @property
    def count(self) -> int:
        """How many briefs it has."""
        return len(self.briefs)


@dataclass(frozen=True)
class TermLink:
    """Another term a term page names (its parent, a child): a link when `slug` is set, else plain text."""

    taxonomy: TaxonomyConfig | None  # None: a parent named as a term no brief of this build uses
    name: str
    slug: str | None = None  # None: the term has no page in this build


@dataclass(frozen=True)
class Term(_Counted):
    """One value of a taxonomy ("Thailand" in countries) and its briefs, newest first; what data/ declares
    of it when it is an entity."""

    taxonomy: TaxonomyConfig
    key: str
    name: str
    slug: str
    briefs: tuple[Brief, ...]
    description: str | None = None
    aliases: tuple[str, ...] = ()  # as declared
    ids: tuple[tuple[str, str], ...] = ()  # (kind, id), as declared
    parent: TermLink | None = None
    children: tuple[TermLink, ...] = ()  # those with a page in this build, by name


@dataclass(frozen=True)
class Taxonomy:
    """A taxonomy and its terms, sorted by name."""

    config: TaxonomyConfig
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Month(_Counted):
    """A period of one calendar month and its briefs, newest first."""

    year: int
    month: int
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class Year(_Counted):
    """A period of one calendar year: its months (newest first) and briefs."""

    year: int
    months: tuple[Month, ...]
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class Profile:
    """What data/authors.yml says of one author, under the name as written there."""

    name: str
    bio: str | None = None
    role: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Author(_Counted):
    """A person who wrote briefs: names with one slug are one author; briefs newest first."""

    name: str
    slug: str
    bio: str | None
    role: str | None
    url: str | None
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class CitedSource(_Counted):
    """A source the briefs of the build cite, as data/sources.yml declares it (if it does); briefs newest first."""

    name: str
    slug: str
    type: str | None
    reliability: str | None
    url: str | None
    briefs: tuple[Brief, ...]


THREAD_STATUSES = ("developing", "closed")


@dataclass(frozen=True)
class ThreadProfile:
    """What data/threads.yml declares of one developing story."""

    slug: str
    title: str
    status: str = "developing"  # one of THREAD_STATUSES
    summary: str | None = None


@dataclass(frozen=True)
class Thread(_Counted):
    """A developing story: its declared profile and its briefs in the order things happened, first first."""

    slug: str
    title: str
    status: str
    summary: str | None
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class Entity:
    """What data/<taxonomy>.yml declares of one term: its name, its other names, and what its page says."""

    taxonomy: str  # the taxonomy's name
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    # (taxonomy, name) of a declared entity; (None, name) when it names none: a term briefs use, of any taxonomy
    parent: tuple[str | None, str] | None = None
    ids: tuple[tuple[str, str], ...] = ()  # (kind, id)
    # Where it is declared and where its parent is (file, line, column), for errors: not what the site shows.
    place: tuple[str, int, int] = field(default=("", 0, 0), compare=False, repr=False)
    parent_place: tuple[str, int, int] = field(default=("", 0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class PlaceProfile:
    """What data/places.yml declares of one place: its names, its point and how exactly it is known."""

    name: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-2
    precision: str  # one of PRECISIONS
    place: tuple[str, int, int] = field(default=("", 0, 0), compare=False, repr=False)  # where it is declared


@dataclass(frozen=True)
class Place(_Counted):
    """Where briefs happened (a town, a compound, a province, a country) and its briefs, newest first."""

    name: str
    slug: str
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-2; None for a point in no country (at sea)
    precision: str  # one of PRECISIONS
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class Data:
    """What the site's data/ folder declares once for every brief."""

    authors: tuple[Profile, ...] = ()
    threads: tuple[ThreadProfile, ...] = ()
    entities: tuple[Entity, ...] = ()
    sources: tuple[SourceProfile, ...] = ()
    places: tuple[PlaceProfile, ...] = ()
    intros: tuple[Intro, ...] = ()  # editions/<id>.md


NO_DATA = Data()


@dataclass(frozen=True)
class TermGroup:
    """A brief's terms of one taxonomy."""

    taxonomy: Taxonomy
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Placement:
    """Where a brief sits in the site: its terms, its neighbours in time, and related briefs."""

    terms: tuple[TermGroup, ...]
    older: Brief | None
    newer: Brief | None
    related: tuple[Brief, ...]
    authors: tuple[Author, ...] = ()
    thread: Thread | None = None
    earlier: Brief | None = None  # its thread's brief before it, in the order things happened
    later: Brief | None = None
    citations: tuple[Citation, ...] = ()
    places: tuple[Place, ...] = ()  # where it happened, in the order its header gives them

    @property
    def unverified(self) -> bool:
        """Whether every source it cites is social media or graded E or F (and it cites one)."""
        return bool(self.citations) and all(citation.weak for citation in self.citations)

    @property
    def kicker(self) -> Term | None:
        """The term shown above the title: the first of the first taxonomy the brief has."""
        return self.terms[0].terms[0] if self.terms else None


@dataclass(frozen=True)
class Site:
    """Everything the pages are made from, indexed once."""

    config: Config
    briefs: tuple[Brief, ...]  # newest first
    taxonomies: tuple[Taxonomy, ...]
    years: tuple[Year, ...]  # newest first
    placements: dict[str, Placement] = field(repr=False)  # by brief slug
    authors: tuple[Author, ...] = ()  # sorted by name
    threads: tuple[Thread, ...] = ()  # those with briefs in this build, latest activity first
    sources: tuple[CitedSource, ...] = ()  # those the briefs of this build cite, sorted by name
    data: Data = field(default=NO_DATA, repr=False)  # what data/ declares, briefs of this build or not
    places: tuple[Place, ...] = ()  # where its briefs happened, sorted by name
    countries: dict[str, str] = field(default_factory=dict, repr=False)  # a country term's key -> ISO alpha-2
    editions: tuple[Edition, ...] = ()  # each kind's, newest first

    def placement(self, brief: Brief) -> Placement:
        return self.placements[brief.slug]


@dataclass(frozen=True)
class Output:
    """A file to write that no template makes: its path in the output folder and its bytes."""

    path: str
    data: bytes

    @property
    def mark(self) -> bytes:
        """What the last build's ledger is compared with: a digest of the bytes."""
        return hashlib.blake2b(self.data, digest_size=16).digest()
