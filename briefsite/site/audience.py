"""Audiences and embargoes: which briefs a build is for, at which moment.

A brief's audience is a Traffic Light Protocol (FIRST TLP 2.0) level; a build
for a level takes the briefs at or below it whose embargo (`publish_at`) has
lifted and which have not expired, and drafts only when asked. The rest are
left out before the site is indexed, so nothing of them reaches any page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model imports the config, which reads levels from here
    from .model import Brief

LEVELS = ("clear", "green", "amber", "amber+strict", "red")  # each shareable more narrowly than the last
OLD_NAMES = {"white": "clear"}  # TLP 1.0's WHITE is TLP 2.0's CLEAR


def checked_audience(value) -> str:
    """A TLP level as written ('amber', 'AMBER', 'TLP:AMBER'), as its lowercase name; ValueError if none."""
    if not isinstance(value, str):
        raise ValueError(f"expected one of {', '.join(LEVELS)}, got {value!r}")
    name = value.strip().lower().removeprefix("tlp:")
    if name in LEVELS:
        return name
    hint = f"; TLP 2.0 calls {value.strip()!r} '{OLD_NAMES[name]}'" if name in OLD_NAMES else ""
    raise ValueError(f"expected one of {', '.join(LEVELS)} (TLP 2.0), got {value!r}{hint}")


def label(audience: str) -> str:
    """The marking as TLP writes it: 'TLP:AMBER+STRICT'."""
    return f"TLP:{audience.upper()}"


RULES = {  # TLP 2.0's one-line definitions, shown beside a marking
    "clear": "Disclosure is not limited.",
    "green": "Limited disclosure, restricted to the community.",
    "amber": "Limited disclosure, restricted to participants' organisations and their clients, on a need-to-know "
             "basis.",
    "amber+strict": "Limited disclosure, restricted to participants' organisations.",
    "red": "For the eyes and ears of individual recipients only, no further disclosure.",
}


def rule(audience: str) -> str:
    """What TLP allows a reader of `audience` to share."""
    return RULES[audience]


COLOURS = {"clear": "#ffffff", "green": "#33ff00", "amber": "#ffc000", "amber+strict": "#ffc000", "red": "#ff2b2b"}
# TLP 2.0's colours, as its markings print them: on black (the theme's .tlp-* rules match).


def marked(audience: str) -> bool:
    """Whether a build for `audience` marks its pages: any above clear does."""
    return audience != LEVELS[0]


def within(audience: str, build: str) -> bool:
    """Whether a brief for `audience` may go into a build for `build`."""
    return LEVELS.index(audience) <= LEVELS.index(build)


@dataclass(frozen=True)
class Selection:
    """The briefs a build takes, those it leaves out (with why), and how long the choice holds."""

    audience: str  # the build's level
    briefs: list[Brief]
    left_out: dict[str, str]  # brief path -> why it is left out
    left_out_briefs: list[Brief]
    since: datetime | None  # the last embargo or expiry at or before the build's moment
    until: datetime | None  # the next one after it: the site changes by itself then


def select_briefs(briefs: list[Brief], audience: str, now: datetime, drafts: bool = False) -> Selection:
    """The briefs a build for `audience` at `now` takes, in their order."""
    kept, left_out, dropped = [], {}, []
    for brief in briefs:
        why = reason(brief, audience, now, drafts)
        if why is None:
            kept.append(brief)
        else:
            left_out[brief.path] = why
            dropped.append(brief)
    moments = changes(briefs, audience, drafts)
    since = max((m for m in moments if m <= now), default=None)
    until = min((m for m in moments if m > now), default=None)
    return Selection(audience, kept, left_out, dropped, since, until)


def reason(brief: Brief, audience: str, now: datetime, drafts: bool) -> str | None:
    """Why a build leaves `brief` out, or None if it takes it."""
    if brief.draft and not drafts:
        return "it is a draft"
    if not within(brief.audience, audience):
        return f"its audience {label(brief.audience)} is above this build's {label(audience)}"
    if brief.publish_at and now < brief.publish_at:
        return f"it is embargoed until {rfc3339(brief.publish_at)}"
    if brief.expires and now >= brief.expires:
        return f"it expired at {rfc3339(brief.expires)}"
    return None


def changes(briefs, audience: str, drafts: bool = False) -> list[datetime]:
    """Every moment at which a build for `audience` changes by itself: embargoes lifting, expiries."""
    return sorted({moment for brief in briefs if (drafts or not brief.draft) and within(brief.audience, audience)
                   for moment in (brief.publish_at, brief.expires) if moment is not None})


def next_change(briefs, audience: str, now: datetime, drafts: bool = False) -> datetime | None:
    """The first moment after `now` at which the site for `audience` changes by itself, if any."""
    return min((m for m in changes(briefs, audience, drafts) if m > now), default=None)


def rfc3339(moment: datetime) -> str:
    """The moment in UTC, to the second, as RFC 3339 writes it: 2025-03-01T06:00:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
