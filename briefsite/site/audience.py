"""Audiences and embargoes: which briefs a build is for, at which moment.

A brief's audience is a Traffic Light Protocol (FIRST TLP 2.0) level; a build
for a level takes the briefs at or below it whose embargo (`publish_at`) has
lifted and which have not expired, and drafts only when asked. The rest are
left out before the site is indexed, so nothing of them reaches any page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..model.brief import Brief
from ..values.tlp import label, within


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
