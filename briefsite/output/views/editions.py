"""The views of editions: the list of editions, one edition as a page, as an email and as plain text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from ...model.edition import Edition
from .common import Entry, View


@dataclass(frozen=True)
class Shown:
    """A brief in an edition: its entry (title, dateline, event, summary, graded sources) and its number."""

    number: int  # from 1, in the order the edition shows its briefs
    entry: Entry


@dataclass(frozen=True)
class Section:
    """A heading of an edition and its briefs."""

    heading: str
    anchor: str
    briefs: tuple[Shown, ...]


@dataclass(frozen=True, kw_only=True)
class EditionsPage(View):
    """`editions.html`: every edition, each kind's newest first."""

    kinds: tuple[tuple[str, tuple[Edition, ...]], ...]  # (the kind's title, its editions)


@dataclass(frozen=True, kw_only=True)
class EditionPage(View):
    """`edition.html`, `email.html` and `email.txt`: one edition's briefs, grouped, with a table of contents."""

    edition: Edition
    sections: tuple[Section, ...]
    updated: tuple[Entry, ...]  # filed before the period, updated or corrected in it
    more: tuple[Entry, ...] = ()  # an email's briefs beyond what a mail client shows whole: listed as links

    @property
    def modified(self) -> datetime | None:
        return max((shown.entry.brief.modified for section in self.sections for shown in section.briefs),
                   default=None)

    @cached_property
    def count(self) -> int:
        return sum(len(section.briefs) for section in self.sections)


@dataclass(frozen=True, kw_only=True)
class EditionsFeed(View):
    """`editions.xml` and `editions.json`: one entry per edition, newest first."""

    editions: tuple[Edition, ...]
