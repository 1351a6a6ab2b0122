"""The typed model: briefs, and the site indexed from them. Data only, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .config import Config, TaxonomyConfig


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
    extra: dict = field(hash=False, compare=False)
    body: str = ""  # sanitised HTML
    links: tuple[tuple[str, int, int], ...] = ()  # links to other brief files: (target, line, column)

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


@dataclass(frozen=True)
class Term:
    """One value of a taxonomy ("Thailand" in countries) and its briefs, newest first."""

    taxonomy: TaxonomyConfig
    key: str
    name: str
    slug: str
    briefs: tuple[Brief, ...]

    @property
    def count(self) -> int:
        """How many briefs: templates that show only this do not depend on the briefs themselves."""
        return len(self.briefs)


@dataclass(frozen=True)
class Taxonomy:
    """A taxonomy and its terms, sorted by name."""

    config: TaxonomyConfig
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Month:
    """A period of one calendar month and its briefs, newest first."""

    year: int
    month: int
    briefs: tuple[Brief, ...]

    @property
    def count(self) -> int:
        """How many briefs: templates that show only this do not depend on the briefs themselves."""
        return len(self.briefs)


@dataclass(frozen=True)
class Year:
    """A period of one calendar year: its months (newest first) and briefs."""

    year: int
    months: tuple[Month, ...]
    briefs: tuple[Brief, ...]

    @property
    def count(self) -> int:
        """How many briefs: templates that show only this do not depend on the briefs themselves."""
        return len(self.briefs)


@dataclass(frozen=True)
class Site:
    """Everything the pages are made from, indexed once."""

    config: Config
    briefs: tuple[Brief, ...]  # newest first
    taxonomies: tuple[Taxonomy, ...]
    years: tuple[Year, ...]  # newest first
    terms_of: dict  # brief slug -> ((Taxonomy, (Term, ...)), ...)
    related: dict  # brief slug -> (Brief, ...)
    neighbours: dict  # brief slug -> (older Brief | None, newer Brief | None)
