"""The bitset ranking of related briefs equals the plain definition."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from briefsite.index import newest_first
from briefsite.related import related_briefs


@dataclass(frozen=True)
class FakeBrief:
    slug: str
    published: datetime


@dataclass(frozen=True, eq=False)
class FakeTerm:
    briefs: tuple


def naive(briefs, terms_of, brief):
    """Most shared terms, then nearest in time, then slug: counted one by one."""
    shared = Counter()
    for _taxonomy, terms in terms_of[brief.slug]:
        for term in terms:
            shared.update(b.slug for b in term.briefs)
    shared.pop(brief.slug, None)
    by_slug = {b.slug: b for b in briefs}
    rank = lambda s: (-shared[s], abs((by_slug[s].published - brief.published).total_seconds()), s)  # noqa: E731
    return heapq.nsmallest(5, shared, key=rank)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 30), st.sets(st.integers(0, 7), max_size=5)),
                max_size=40))
def test_related_matches_the_definition(rows):
    start = datetime(2024, 1, 1, tzinfo=UTC)
    briefs = newest_first(FakeBrief(f"b{i:02d}-{slug}", start + timedelta(hours=hours))
                          for i, (hours, slug, _terms) in enumerate(rows))
    term_sets = {b.slug: rows[int(b.slug[1:3])][2] for b in briefs}
    terms = {t: FakeTerm(tuple(b for b in briefs if t in term_sets[b.slug])) for t in range(8)}
    terms_of = {b.slug: (("tags", tuple(terms[t] for t in sorted(term_sets[b.slug]))),) for b in briefs}

    related = related_briefs(briefs, terms_of)

    for brief in briefs:
        assert [b.slug for b in related[brief.slug]] == naive(briefs, terms_of, brief)
