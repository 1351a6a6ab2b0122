"""The typed model of editions: a period's briefs as one issue, grouped, with what its introduction says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .brief import Brief

TRENDS = ("deteriorated", "improved", "unchanged")  # a country's trend in a monthly report (CrisisWatch's)


@dataclass(frozen=True)
class Intro:
    """`editions/<id>.md`: what the desk writes at the top of one edition."""

    edition: str  # the edition's id, from the file's name
    title: str | None
    summary: str | None
    body: str  # sanitised HTML, '' for none
    trends: tuple[tuple[str, str], ...] = ()  # (country, one of TRENDS), as written
    path: str = ""  # the file, for messages


@dataclass(frozen=True)
class Group:
    """An edition's briefs under one heading: a term of the grouping taxonomy, a thread, or none."""

    heading: str  # '' when the edition is one list
    anchor: str  # its id on the page: 'g-myanmar'
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class Edition:
    """One issue of a kind of edition: the briefs filed in its period, grouped, and the briefs filed before
    that were updated or corrected in it."""

    kind: str  # daily, weekly or monthly
    id: str  # '2025-02-27', '2025-w09', '2025-02': its URL segment
    label: str  # 'Thursday 27 February 2025', 'Week 9, 2025 (24 February – 2 March)', 'February 2025'
    title: str  # its kind's title, or its introduction's
    start: date  # the period's first day, in the site's timezone
    end: date  # its last day
    groups: tuple[Group, ...]
    updated: tuple[Brief, ...] = ()  # filed before the period, updated or corrected in it, newest first
    intro: Intro | None = None
    previous: str | None = None  # the id of the edition of its kind before it, and after it
    next: str | None = None

    @property
    def briefs(self) -> tuple[Brief, ...]:
        """Every brief filed in its period, in the order its groups show them."""
        return tuple(brief for group in self.groups for brief in group.briefs)

    @property
    def count(self) -> int:
        return len(self.briefs)
