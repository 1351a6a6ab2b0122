"""The typed model: briefs, and the site indexed from them. Data only, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..config import Config, TaxonomyConfig

ALL = "*"


@dataclass(frozen=True)
class Source:
    """Where a brief's information comes from: a name, and a link if known."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Brief:
    """One brief, validated and rendered; a pure function of its file and the config."""

    path: str  # as shown in messages, e.g. "briefings/2025-02-27-x.md"
    slug: str
    title: str
    published: datetime  # aware, in the site's timezone
    timed: bool  # whether the header gave a time of day, not only a date
    updated: datetime | None
    location: str | None
    summary: str  # from the header, else cut from the first paragraph
    summary_given: bool  # whether the header gave it (else it repeats the lede)
    sources: tuple[Source, ...]
    terms: tuple[tuple[str, tuple[str, ...]], ...]  # (taxonomy, names as written)
    draft: bool
    authors: tuple[str, ...]  # names as written (`author` or `authors`)
    extra: dict = field(hash=False, compare=False)
    body: str = ""  # sanitised HTML
    links: tuple[tuple[str, int, int], ...] = ()  # links to other brief files: (target, line, column)
    aliases: tuple[tuple[str, int, int], ...] = ()  # old URLs redirecting here: (url, line, column)
    audience: str = "clear"  # its TLP level (see site/audience.py)
    publish_at: datetime | None = None  # embargoed until then
    expires: datetime | None = None  # in no site from then on

    @property
    def date(self) -> date:
        """The calendar day of the brief in the site's timezone."""
        return self.published.date()

    @property
    def modified(self) -> datetime:
        """When the brief last changed: `updated`, else `date`."""
        return self.updated or self.published

    def terms_of(self, taxonomy: str) -> tuple[str, ...]:
        for name, values in self.terms:
            if name == taxonomy:
                return values
        return ()


# Containers (terms, taxonomies, periods) are shown by what they are (`fingerprint`); what
# they contain is read through their `tracked` attributes, which a page rendering them
# records as dependencies on the container's `identity` (see memory/fingerprints.py).


class _Counted:
    briefs: tuple[Brief, ...]
    tracked = ("briefs", "count")

    @property
    def count(self) -> int:
        """How many briefs: templates that show only this do not depend on the briefs themselves."""
        return len(self.briefs)

    @property
    def fingerprint(self) -> tuple:
        return self.identity


@dataclass(frozen=True)
class Term(_Counted):
    """One value of a taxonomy ("Thailand" in countries) and its briefs, newest first."""

    taxonomy: TaxonomyConfig
    key: str
    name: str
    slug: str
    briefs: tuple[Brief, ...]

    @property
    def identity(self) -> tuple:
        return ("term", self.taxonomy.name, self.key)

    @property
    def fingerprint(self) -> tuple:
        return (*self.identity, self.name, self.slug)


@dataclass(frozen=True)
class Taxonomy:
    """A taxonomy and its terms, sorted by name."""

    config: TaxonomyConfig
    terms: tuple[Term, ...]
    tracked = ("terms",)

    @property
    def identity(self) -> tuple:
        return ("taxonomy", self.config.name)

    @property
    def fingerprint(self) -> tuple:  # its settings are in every page's shared digest
        return self.identity


@dataclass(frozen=True)
class Month(_Counted):
    """A period of one calendar month and its briefs, newest first."""

    year: int
    month: int
    briefs: tuple[Brief, ...]

    @property
    def identity(self) -> tuple:
        return ("month", self.year, self.month)


@dataclass(frozen=True)
class Year(_Counted):
    """A period of one calendar year: its months (newest first) and briefs."""

    year: int
    months: tuple[Month, ...]
    briefs: tuple[Brief, ...]
    tracked = ("briefs", "count", "months")

    @property
    def identity(self) -> tuple:
        return ("year", self.year)


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

    @property
    def identity(self) -> tuple:
        return ("author", self.slug)

    @property
    def fingerprint(self) -> tuple:
        return (*self.identity, self.name, self.bio, self.role, self.url)


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
    tracked = ALL  # reading anything of the site makes a page depend on every brief
    identity = ("site",)

    def placement(self, brief: Brief) -> Placement:
        return self.placements[brief.slug]

    def containers(self):
        """Everything a template can read through: taxonomies, terms, years, months and authors."""
        for taxonomy in self.taxonomies:
            yield taxonomy
            yield from taxonomy.terms
        for year in self.years:
            yield year
            yield from year.months
        yield from self.authors
