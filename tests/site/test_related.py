"""The bitset ranking of related briefs equals the plain definition."""

from __future__ import annotations

import dataclasses
import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from briefsite.model.site import TermGroup
from briefsite.site.index import newest_first
from briefsite.site.related import record, related_again, related_briefs


@dataclass(frozen=True)
class FakeBrief:
    slug: str
    filed: datetime


@dataclass(frozen=True, eq=False)
class FakeTerm:
    briefs: tuple
    key: str = ""
    taxonomy: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(name="tags"))


def naive(briefs, terms_of, brief):
    """Most shared terms, then nearest in time, then slug: counted one by one."""
    shared = Counter()
    for group in terms_of[brief.slug]:
        for term in group.terms:
            shared.update(b.slug for b in term.briefs)
    shared.pop(brief.slug, None)
    by_slug = {b.slug: b for b in briefs}
    rank = lambda s: (-shared[s], abs((by_slug[s].filed - brief.filed).total_seconds()), s)  # noqa: E731
    return heapq.nsmallest(5, shared, key=rank)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 30), st.sets(st.integers(0, 7), max_size=5)),
                max_size=40))
def test_related_matches_the_definition(rows):
    start = datetime(2024, 1, 1, tzinfo=UTC)
    briefs = newest_first(FakeBrief(f"b{i:02d}-{slug}", start + timedelta(hours=hours))
                          for i, (hours, slug, _terms) in enumerate(rows))
    term_sets = {b.slug: rows[int(b.slug[1:3])][2] for b in briefs}
    terms = {t: FakeTerm(tuple(b for b in briefs if t in term_sets[b.slug]), str(t)) for t in range(8)}
    terms_of = {b.slug: (TermGroup("tags", tuple(terms[t] for t in sorted(term_sets[b.slug]))),) for b in briefs}

    related = related_briefs(briefs, terms_of)

    for brief in briefs:
        assert [b.slug for b in related[brief.slug]] == naive(briefs, terms_of, brief)


def test_related_briefs_are_reused_while_the_shape_holds_and_recomputed_when_it_changes():
    start = datetime(2025, 1, 1, tzinfo=UTC)
    briefs = newest_first(FakeBrief(f"b{i}", start + timedelta(days=i)) for i in range(4))
    shared = FakeTerm(briefs, "shared")
    terms_of = {b.slug: (TermGroup("tags", (shared,)),) for b in briefs}
    first = related_again(briefs, terms_of, None)  # no record: all computed
    assert first == related_briefs(briefs, terms_of)
    planted = dataclasses.replace(record(briefs, terms_of, first), related={b.slug: () for b in briefs})
    assert related_again(briefs, terms_of, planted) == {b.slug: () for b in briefs}  # a reused answer shows it
    alone = FakeTerm(briefs[:1], "alone")  # one brief moves to a term of its own: a new shape
    terms_of[briefs[0].slug] = (TermGroup("tags", (alone,)),)
    again = related_again(briefs, terms_of, planted)
    assert again[briefs[0].slug] == ()  # recomputed: it shares no term now
    assert again[briefs[1].slug] != ()  # it shared a term with the brief that moved: recomputed
    assert [slug for slug, related in again.items() if related == ()] == [briefs[0].slug]


def fake_site(rows: dict, start=datetime(2024, 1, 1, tzinfo=UTC)):
    """Briefs and their terms from {slug: (hours, {term numbers})}."""
    briefs = newest_first(FakeBrief(slug, start + timedelta(hours=hours)) for slug, (hours, _) in rows.items())
    terms = {t: FakeTerm(tuple(b for b in briefs if t in rows[b.slug][1]), str(t)) for t in range(8)}
    return briefs, {b.slug: (TermGroup("tags", tuple(terms[t] for t in sorted(rows[b.slug][1]))),) for b in briefs}


EDIT = st.tuples(st.sampled_from(["retag", "move", "add", "remove"]), st.integers(0, 30), st.integers(0, 30),
                 st.sets(st.integers(0, 7), max_size=4))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers(0, 30).map(lambda n: f"b{n:02d}"),
                       st.tuples(st.integers(0, 40), st.sets(st.integers(0, 7), max_size=4)), max_size=30),
       st.lists(EDIT, min_size=1, max_size=6))
def test_recomputing_only_the_affected_briefs_equals_computing_them_all(rows, edits):
    briefs, terms_of = fake_site(rows)
    last = record(briefs, terms_of, related_briefs(briefs, terms_of))
    for kind, number, hours, terms in edits:
        slug = f"b{number:02d}"
        if kind == "remove":
            rows.pop(slug, None)
        elif kind == "add" or slug in rows:
            rows[slug] = (hours if kind != "retag" else rows[slug][0], terms if kind != "move" else rows[slug][1])
        briefs, terms_of = fake_site(rows)
        reused = related_again(briefs, terms_of, last)
        assert reused == related_briefs(briefs, terms_of)
        last = record(briefs, terms_of, reused)
