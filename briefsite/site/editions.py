"""Editions: each period of briefs (a day, an ISO week, a month, in the site's timezone) that has any, as one
issue of each kind site.yml declares, its briefs grouped, and the briefs updated or corrected in it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from ..config import Config
from ..config.editions import EditionConfig
from ..errors import BuildError
from ..model.brief import MONTH_NAMES, Brief
from ..model.edition import Edition, Group, Intro
from ..values.slugs import slugify

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
OTHERS = "Other briefs"  # the heading of the briefs a grouped edition finds no group for


def period(kind: str, day: date) -> tuple[str, date, date]:
    """The id, first and last day of the period of `kind` that `day` is in: '2025-w09' is ISO week 9 of
    2025, which may begin in December of the year before (2026-W01 begins 29 December 2025)."""
    if kind == "daily":
        return day.isoformat(), day, day
    if kind == "weekly":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return f"{year}-w{week:02d}", start, start + timedelta(days=6)
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return f"{day.year}-{day.month:02d}", start, end


def label(kind: str, start: date, end: date) -> str:
    """How the period is named: 'Thursday 27 February 2025', 'Week 9, 2025: 24 February – 2 March',
    'February 2025'."""
    if kind == "daily":
        return f"{WEEKDAYS[start.weekday()]} {_day(start)}"
    if kind == "weekly":
        year, week, _ = start.isocalendar()
        first = f"{start.day} {MONTH_NAMES[start.month - 1]}" + (f" {start.year}" if start.year != end.year else "")
        return f"Week {week}, {year}: {first} – {_day(end)}"
    return f"{MONTH_NAMES[start.month - 1]} {start.year}"


def _day(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def make_editions(briefs: tuple[Brief, ...], config: Config, heading_of: Callable[[Brief, str], str | None],
                  intros: tuple[Intro, ...]) -> tuple[tuple[Edition, ...], list[BuildError]]:
    """Every edition of the kinds site.yml declares, each kind's newest first; `briefs` newest first;
    `heading_of(brief, group_by)` names a brief's group. Warns of an introduction to no edition."""
    found, made = [], set()
    by_id = {intro.edition: intro for intro in intros}
    for kind in config.editions:
        editions = _editions_of(kind, briefs, config, heading_of, by_id)
        made |= {edition.id for edition in editions}
        found += editions
    warnings = [BuildError(intro.path, 0, 0, f"no edition '{intro.edition}' is made: no brief of this build was "
                                             "filed in its period, or site.yml declares no edition of its kind",
                           warning=True) for intro in intros if intro.edition not in made]
    return tuple(found), warnings


def _editions_of(kind: EditionConfig, briefs: tuple[Brief, ...], config: Config, heading_of, intros) -> list:
    members: dict[tuple[str, date, date], list[Brief]] = defaultdict(list)
    for brief in briefs:
        members[period(kind.kind, brief.date)].append(brief)
    periods = sorted(members, key=lambda p: p[1])  # first first, to link each to its neighbours
    updated = _updated(kind.kind, briefs, config)
    editions = []
    for index, (edition_id, start, end) in enumerate(periods):
        intro = intros.get(edition_id)
        editions.append(Edition(
            kind.kind, edition_id, label(kind.kind, start, end), (intro and intro.title) or kind.title, start, end,
            _groups(members[(edition_id, start, end)], kind.group_by, heading_of),
            updated.get(edition_id, ()), intro,
            periods[index - 1][0] if index else None, periods[index + 1][0] if index + 1 < len(periods) else None))
    return editions[::-1]


def _groups(briefs: list[Brief], group_by: str, heading_of) -> tuple[Group, ...]:
    """The briefs under their headings, the largest group first (then by heading), those without one last."""
    if not group_by:
        return (Group("", "briefs", tuple(briefs)),)
    grouped: dict[str, list[Brief]] = defaultdict(list)
    for brief in briefs:
        grouped[heading_of(brief, group_by) or ""].append(brief)
    order = sorted((h for h in grouped if h), key=lambda h: (-len(grouped[h]), h.casefold(), h))
    groups = [Group(heading, f"g-{slugify(heading) or index}", tuple(grouped[heading]))
              for index, heading in enumerate(order, start=1)]
    if "" in grouped:
        groups.append(Group(OTHERS if groups else "", "g-other", tuple(grouped[""])))
    return tuple(groups)


def _updated(kind: str, briefs: tuple[Brief, ...], config: Config) -> dict[str, tuple[Brief, ...]]:
    """By period id: the briefs filed before the period and updated or corrected in it, newest first (each
    brief's updates looked at once, not once an edition: a daily note of ten years has 3,650 editions)."""
    found: dict[str, dict[str, Brief]] = defaultdict(dict)
    for brief in briefs:
        for moment in (brief.updated, *(update.date for update in brief.updates)):
            if moment is not None:
                edition_id, start, _ = period(kind, moment.astimezone(config.tz).date())
                if brief.date < start:
                    found[edition_id][brief.slug] = brief
    return {edition_id: tuple(chosen.values()) for edition_id, chosen in found.items()}
