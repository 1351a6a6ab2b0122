"""Related briefs: those sharing the most terms, then nearest in time, then by slug.

Counting shared terms brief by brief is quadratic when a term is shared by
thousands of briefs. Instead each term is a bitset over the briefs (a Python
int), and a brief's shared-term counts are added up bit-sliced across those
sets: a few big-int operations per term, whatever the term's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.brief import Brief

RELATED_COUNT = 5


@dataclass(frozen=True)
class RelatedRecord:
    """Related briefs as one build chose them, and what it chose them from: what the next build reuses."""

    rows: dict  # slug -> (time, terms), from `rows`
    related: dict  # slug -> the slugs of its related briefs, best first


def related_briefs(briefs: tuple[Brief, ...], terms_of: dict, count: int = RELATED_COUNT,
                   only: set[str] | None = None) -> dict:
    """For each brief slug (or each of `only`), up to `count` related briefs, best first."""
    return _compute(briefs, terms_of, count, only)


def related_again(briefs: tuple[Brief, ...], terms_of: dict, last: RelatedRecord | None) -> dict:
    """Related briefs: `last`'s choice for every brief whose choice cannot have changed, the others computed
    afresh; all of them without a record."""
    if last is None:
        return related_briefs(briefs, terms_of)
    redo = affected(rows(briefs, terms_of), last.rows)
    fresh = related_briefs(briefs, terms_of, only=redo) if redo else {}
    by_slug = {brief.slug: brief for brief in briefs}
    return {brief.slug: fresh[brief.slug] if brief.slug in redo else tuple(by_slug[s] for s in last.related[brief.slug])
            for brief in briefs}


def record(briefs: tuple[Brief, ...], terms_of: dict, chosen: dict) -> RelatedRecord:
    """What the next build reuses of the related briefs `chosen` now."""
    return RelatedRecord(rows(briefs, terms_of), {slug: tuple(b.slug for b in items) for slug, items in chosen.items()})


def rows(briefs: tuple[Brief, ...], terms_of: dict) -> dict:
    """What related briefs are computed from: each brief's time and terms, by slug.

    Editing a brief's body leaves its row alone, and so every brief's related briefs.
    """
    return {brief.slug: (brief.filed.timestamp(), tuple((term.taxonomy.name, term.key)
                                                            for group in terms_of[brief.slug] for term in group.terms))
            for brief in briefs}


def affected(now: dict, last: dict) -> set[str]:
    """The slugs of `now` whose related briefs may differ from those computed over `last` (both from `rows`).

    A brief's related briefs are chosen among those sharing a term with it, by how many they share,
    their time and slug: only the briefs that changed (added, removed, moved in time, retagged) and
    those sharing a term, old or new, with one of them can see a different choice.
    """
    changed = {slug for slug in now.keys() | last.keys() if now.get(slug) != last.get(slug)}
    terms = {term for slug in changed for row in (now.get(slug), last.get(slug)) if row for term in row[1]}
    return {slug for slug, (_, own) in now.items() if slug in changed or not terms.isdisjoint(own)}


def _compute(briefs: tuple[Brief, ...], terms_of: dict, count: int, only: set[str] | None) -> dict:
    index = {brief.slug: i for i, brief in enumerate(briefs)}
    masks: dict[int, int] = {}
    for groups in terms_of.values():
        for group in groups:
            for term in group.terms:
                if id(term) not in masks:
                    masks[id(term)] = _bitset(index[b.slug] for b in term.briefs)
    times = [brief.filed.timestamp() for brief in briefs]
    result = {}
    for i, brief in enumerate(briefs):
        if only is not None and brief.slug not in only:
            continue
        planes: list[int] = []
        terms = [term for group in terms_of[brief.slug] for term in group.terms]
        for term in terms:
            _add(planes, masks[id(term)] & ~(1 << i))
        picked: list[int] = []
        for shared in range(len(terms), 0, -1):
            if len(picked) == count:
                break
            picked += _nearest(_equal(planes, shared), i, times, briefs, count - len(picked))
        result[brief.slug] = tuple(briefs[j] for j in picked)
    return result


def _bitset(positions) -> int:
    bits = 0
    for position in positions:
        bits |= 1 << position
    return bits


def _add(planes: list[int], mask: int) -> None:
    """Add one to the bit-sliced counter at every position set in `mask`."""
    carry = mask
    for level, plane in enumerate(planes):
        planes[level], carry = plane ^ carry, plane & carry
        if not carry:
            return
    planes.append(carry)


def _equal(planes: list[int], value: int) -> int:
    """Positions whose count is exactly `value`."""
    if value >> len(planes):
        return 0
    result = -1
    for level, plane in enumerate(planes):
        result &= plane if value >> level & 1 else ~plane
    return result & _union(planes)


def _union(planes: list[int]) -> int:
    union = 0
    for plane in planes:
        union |= plane
    return union


def _nearest(mask: int, i: int, times: list[float], briefs, need: int) -> list[int]:
    """Up to `need` positions of `mask`, nearest in time to brief `i`, ties by slug."""
    pool = _side(mask, i, times, need, older=True) + _side(mask, i, times, need, older=False)
    pool.sort(key=lambda j: (abs(times[j] - times[i]), briefs[j].slug))
    return pool[:need]


def _side(mask: int, i: int, times: list[float], need: int, older: bool) -> list[int]:
    """Positions on one side of `i`, nearest first: `need` of them and any tied with the last."""
    found: list[int] = []
    position = i
    while True:
        if older:  # briefs are newest first: older ones sit at higher positions
            rest = mask >> (position + 1)
            position = position + (rest & -rest).bit_length() if rest else -1
        else:
            rest = mask & ((1 << position) - 1)
            position = rest.bit_length() - 1 if rest else -1
        if position < 0:
            return found
        if len(found) >= need and times[position] != times[found[-1]]:
            return found
        found.append(position)
