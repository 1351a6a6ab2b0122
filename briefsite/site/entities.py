"""Entities: terms declared in data/, found by any of their names, related by parent (an entity or
a term briefs use); and terms that are probably one entity under two names."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict

from ..config import Config, did_you_mean
from ..errors import BuildError
from ..model.site import Entity, Taxonomy, TermLink
from ..values.slugs import slugify, term_key


def entity_keys(entities: tuple[Entity, ...], taxonomy: str) -> dict[str, Entity]:
    """Each term key of a name or alias of an entity of `taxonomy`, to that entity."""
    return {term_key(name): entity for entity in entities if entity.taxonomy == taxonomy
            for name in (entity.name, *entity.aliases)}


def with_relatives(taxonomies: tuple[Taxonomy, ...], entities: tuple[Entity, ...]) -> tuple[Taxonomy, ...]:
    """The taxonomies with each entity's term given its parent, and the children that have a page."""
    pages = {(t.config.name, term.key): term for t in taxonomies for term in t.terms}
    configs = {t.config.name: t.config for t in taxonomies}

    def link(taxonomy: str | None, name: str, near: str) -> TermLink:
        if taxonomy is None:  # a term briefs use: its own taxonomy's first, then the others in config order
            found = next((pages[(t, term_key(name))] for t in (near, *configs) if (t, term_key(name)) in pages), None)
            return TermLink(found.taxonomy, found.name, found.slug) if found else TermLink(None, name)
        page = pages.get((taxonomy, term_key(name)))
        return TermLink(configs[taxonomy], name, page.slug if page else None)

    parents, children = {}, defaultdict(list)
    for entity in entities:
        if entity.parent:
            parent = parents[(entity.taxonomy, term_key(entity.name))] = link(*entity.parent, entity.taxonomy)
            child = link(entity.taxonomy, entity.name, entity.taxonomy)
            if child.slug and parent.taxonomy:  # a child without a page in this build is not named at all
                children[(parent.taxonomy.name, term_key(parent.name))].append(child)
    return tuple(dataclasses.replace(t, terms=tuple(
        dataclasses.replace(term, parent=parents.get((t.config.name, term.key)),
                            children=tuple(sorted(children[(t.config.name, term.key)],
                                                  key=lambda c: (c.name.casefold(), c.name))))
        for term in t.terms)) for t in taxonomies)


def unknown_parents(briefs, config: Config, entities: tuple[Entity, ...]) -> list[BuildError]:
    """An error at each entity's parent that names neither a declared entity nor a term any of `briefs`
    uses, in any taxonomy; over every brief, so that it does not depend on the audience or the moment."""
    spellings = {name for brief in briefs for tc in config.taxonomies for name in brief.terms_of(tc.name)}
    used = {term_key(name) for name in spellings}
    errors = []
    for entity in entities:
        if entity.parent and entity.parent[0] is None and term_key(entity.parent[1]) not in used:
            known = sorted({e.name for e in entities} | spellings)
            hint = did_you_mean(entity.parent[1], known) or "; declare it in data/ first"
            errors.append(BuildError(*entity.parent_place, f"{entity.name}.parent: '{entity.parent[1]}' is no entity "
                                                           f"declared in data/ and no term of a brief{hint}"))
    return errors


def alias_urls(term) -> list[tuple[str, str]]:
    """(alias, slug) for each declared alias of `term` whose slug differs from its page's, one per slug."""
    seen, found = {term.slug, ""}, []
    for alias in term.aliases:
        slug = slugify(alias)
        if slug not in seen:
            seen.add(slug)
            found.append((alias, slug))
    return found


# Words an acronym leaves out: "MPS" is the Ministry of Public Security.
SMALL_WORDS = frozenset({"of", "the", "and", "for"})
MIN_SPELLING = 8  # characters: shorter names one or two letters apart are too often different things


def _words(name: str) -> list[str]:
    """The casefolded words of `name`, separators and punctuation dropped."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return [w for w in re.split(r"[\W_]+", folded) if w]


def _singular(word: str) -> str:
    """A word's plural ending folded: 'ministries' -> 'ministry', 'taxes' -> 'tax', 'forces' -> 'force'."""
    if len(word) <= 3:  # "bus", "gas", "US": too short to tell
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _same_words(a: str, b: str) -> bool:
    return "".join(map(_singular, _words(a))) == "".join(map(_singular, _words(b)))


def _acronym(short: str, long: str) -> bool:
    """Whether `short` (one word, maybe dotted: 'M.P.S.') is the initials of `long`'s words."""
    words = [w for w in _words(long) if w not in SMALL_WORDS]
    letters = "".join(_words(short))
    return len(words) >= 2 and len(letters) == len(words) and "".join(w[0] for w in words) == letters \
        and " " not in short.strip()


def _close(a: str, b: str, most: int = 2) -> bool:
    """Whether `a` and `b` are 1 to `most` edits apart (Levenshtein, in a band: cheap when they are not)."""
    if a == b or abs(len(a) - len(b)) > most:
        return False
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != b[j - 1]))
        if min(current) > most:
            return False
        previous = current
    return previous[-1] <= most


def likely_same(a: str, b: str) -> str | None:
    """Why the term names `a` and `b` probably name one entity ('same words', 'spelling', 'acronym'),
    else None."""
    if _same_words(a, b):
        return "same words"
    if min(len(a), len(b)) >= MIN_SPELLING and _close(term_key(a), term_key(b)):
        return "spelling"
    if _acronym(a, b) or _acronym(b, a):
        return "acronym"
    return None


def same_entities(names: list[str], declared: set[str]) -> list[tuple[str, str, str]]:
    """(name, other name, why) for each pair of `names` (term names of one taxonomy) that are probably
    one entity, sorted; a pair of two declared entities (`declared`, term keys) is not: the desk
    declared them apart."""
    ordered = sorted(set(names), key=lambda n: (n.casefold(), n))
    rank = {name: index for index, name in enumerate(ordered)}
    # Only names that share a bucket can be alike: a corpus has thousands of tags, and every pair is too many.
    buckets: dict[tuple, list[str]] = defaultdict(list)
    for name in ordered:
        for bucket in _buckets(name):
            buckets[bucket].append(name)
    candidates = {(a, b) for group in buckets.values() for i, a in enumerate(group) for b in group[i + 1:]}
    pairs = []
    for a, b in sorted(candidates, key=lambda pair: (rank[pair[0]], rank[pair[1]])):
        if term_key(a) in declared and term_key(b) in declared:
            continue
        why = likely_same(a, b)
        if why:
            pairs.append((a, b, why))
    return pairs


def _buckets(name: str) -> set[tuple]:
    """Keys that any name `likely_same` as `name` shares with it: its folded words, its initials or
    letters, and (for long names) every spelling left by deleting up to two characters."""
    words = _words(name)
    found = {("words", "".join(map(_singular, words)))}
    significant = [w for w in words if w not in SMALL_WORDS]
    if len(significant) >= 2:
        found.add(("initials", "".join(w[0] for w in significant)))
    if " " not in name.strip():
        found.add(("initials", "".join(words)))
    if len(name) >= MIN_SPELLING:  # two strings at most 2 edits apart share a string made by at most 2 deletions each
        key = term_key(name)
        once = {key[:i] + key[i + 1:] for i in range(len(key))}
        found |= {("spelling", variant) for variant in {key} | once
                  | {word[:i] + word[i + 1:] for word in once for i in range(len(word))}}
    return found
