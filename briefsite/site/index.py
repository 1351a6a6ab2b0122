"""Index the briefs into a `Site`: taxonomies, terms, timeline and links between briefs."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial

from ..config import Config, TaxonomyConfig, did_you_mean
from ..config.editions import THREAD
from ..errors import BuildError, fail_on_errors
from ..model.brief import Brief
from ..model.site import (
    NO_DATA,
    Author,
    Data,
    Entity,
    Month,
    Placement,
    Profile,
    Site,
    Taxonomy,
    Term,
    TermGroup,
    Thread,
    ThreadProfile,
    Year,
)
from ..values.slugs import slugify, term_key, term_slugs
from .audience import Selection
from .editions import make_editions
from .entities import entity_keys, same_entities, unknown_parents, with_relatives
from .places import country_codes, country_terms, place_index
from .references import resolve_links, unresolved_links
from .related import RelatedRecord, related_again, related_briefs
from .sources import cited_sources


def newest_first(briefs) -> tuple[Brief, ...]:
    """Briefs sorted newest first; same-moment briefs by slug, for stable output."""
    by_slug = sorted(briefs, key=lambda b: b.slug)
    return tuple(sorted(by_slug, key=lambda b: b.filed, reverse=True))


def duplicate_slugs(briefs) -> list[BuildError]:
    """An error for every brief whose slug an earlier file already took."""
    first: dict[str, Brief] = {}
    errors = []
    for brief in sorted(briefs, key=lambda b: b.path):
        if brief.slug in first:
            message = f"slug '{brief.slug}' is already used by {first[brief.slug].path}"
            errors.append(BuildError(brief.path, 0, 0, message))
        first.setdefault(brief.slug, brief)
    return errors


def index_site(chosen: Selection, config: Config, problems: list[BuildError], related: RelatedRecord | None = None,
               data: Data = NO_DATA) -> tuple[Site, list[BuildError]]:
    """The index stage: slugs checked unique (over every brief, so none moves with the audience) and
    links resolved, then the site of the chosen briefs, reusing the last build's `related` briefs where
    they hold; raises BuildFailed with every problem found so far (`problems`), else returns the warnings."""
    everything = chosen.briefs + chosen.left_out_briefs
    problems = problems + duplicate_slugs(everything) + undeclared_threads(everything, data.threads)
    problems += unknown_parents(everything, config, data.entities)
    problems += unresolved_links(chosen.left_out_briefs, {brief.path for brief in everything})
    briefs, broken = resolve_links(chosen.briefs, config, chosen.left_out)
    warnings = fail_on_errors(problems + broken)
    return build_index(briefs, config, partial(related_again, last=related), data, warnings), warnings


def every_brief(chosen: Selection, config: Config, data: Data = NO_DATA) -> Site | None:
    """The site as it would be with every brief in it, left-out ones too, for the checks whose result
    must not depend on a build's audience or moment (which pages there are); None when none is left out."""
    if not chosen.left_out_briefs:
        return None
    return build_index(chosen.briefs + chosen.left_out_briefs, config, _unrelated, data)


def _unrelated(briefs, terms_of) -> dict:
    """No related briefs: which pages there are does not depend on them."""
    return {brief.slug: () for brief in briefs}


def build_index(briefs, config: Config, related=related_briefs, data: Data = NO_DATA,
                warnings: list[BuildError] | None = None) -> Site:
    """The whole site model from validated briefs with unique slugs; `warnings` hears of places not found.

    `related` computes each brief's related briefs (index_site's reuses the last build's where they hold).
    """
    briefs = newest_first(briefs)
    declared = {tc.name: entity_keys(data.entities, tc.name) for tc in config.taxonomies}
    taxonomies = with_relatives(tuple(_taxonomy(tc, briefs, declared[tc.name]) for tc in config.taxonomies),
                                data.entities)
    terms_of = _terms_of(briefs, taxonomies, declared)
    chosen = related(briefs, terms_of)
    authors = _authors(briefs, data.authors)
    threads = _threads(briefs, data.threads)
    sources, citations = cited_sources(briefs, data.sources)
    codes = country_codes(taxonomies)
    named = {code: term.name for code, term in country_terms(taxonomies, codes).items()}
    places, places_of, unknown = place_index(briefs, data, codes, named)
    by_slug = {author.slug: author for author in authors}
    in_thread = {brief.slug: (thread, index) for thread in threads for index, brief in enumerate(thread.briefs)}
    editions, intros = make_editions(briefs, config, partial(_heading_of, terms_of, in_thread), data.intros)
    if warnings is not None:
        warnings += unknown + intros
    placements = {}
    for index, brief in enumerate(briefs):
        newer = briefs[index - 1] if index > 0 else None
        older = briefs[index + 1] if index + 1 < len(briefs) else None
        written = tuple(by_slug[slug] for slug in dict.fromkeys(map(slugify, brief.authors)))
        thread, at = in_thread.get(brief.slug, (None, 0))
        earlier = thread.briefs[at - 1] if thread and at > 0 else None
        later = thread.briefs[at + 1] if thread and at + 1 < len(thread.briefs) else None
        placements[brief.slug] = Placement(terms_of[brief.slug], older, newer, chosen[brief.slug], written,
                                           thread, earlier, later, citations[brief.slug], places_of[brief.slug])
    return Site(config=config, briefs=briefs, taxonomies=taxonomies, years=timeline(briefs), placements=placements,
                authors=authors, threads=threads, sources=sources, data=data, places=places, countries=codes,
                editions=editions)


def _heading_of(terms_of: dict, in_thread: dict, brief: Brief, group_by: str) -> str | None:
    """A brief's group in an edition: its thread's title, or its first term of the taxonomy `group_by`."""
    if group_by == THREAD:
        thread = in_thread.get(brief.slug)
        return thread[0].title if thread else None
    group = next((g for g in terms_of[brief.slug] if g.taxonomy.config.name == group_by), None)
    return group.terms[0].name if group and group.terms else None


def undeclared_threads(briefs, declared: tuple[ThreadProfile, ...]) -> list[BuildError]:
    """An error at each `thread:` naming no thread of data/threads.yml."""
    slugs = [thread.slug for thread in declared]
    errors = []
    for brief in sorted(briefs, key=lambda b: b.path):
        if brief.thread and brief.thread[0] not in slugs:
            slug, line, column = brief.thread
            hint = did_you_mean(slug, slugs) or "; declare it there with a title"
            errors.append(BuildError(brief.path, line, column, f"thread: '{slug}' is not a thread of "
                                     f"data/threads.yml{hint}"))
    return errors


def _threads(briefs: tuple[Brief, ...], declared: tuple[ThreadProfile, ...]) -> tuple[Thread, ...]:
    """The threads with briefs, each in the order things happened (first first); developing ones first,
    then by their latest brief."""
    members: dict[str, list[Brief]] = defaultdict(list)
    for brief in sorted(briefs, key=lambda b: (b.happened, b.filed, b.slug)):
        if brief.thread:
            members[brief.thread[0]].append(brief)
    threads = [Thread(p.slug, p.title, p.status, p.summary, tuple(members[p.slug])) for p in declared
               if p.slug in members]
    latest_first = sorted(threads, key=lambda t: (t.briefs[-1].happened, t.briefs[-1].filed, t.slug), reverse=True)
    return tuple(sorted(latest_first, key=lambda t: t.status != "developing"))


def _authors(briefs: tuple[Brief, ...], profiles: tuple[Profile, ...]) -> tuple[Author, ...]:
    """The authors of the briefs, sorted by name: names with one slug are one author, named as
    data/authors.yml names them, else by their most used spelling."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Brief]] = defaultdict(list)
    for brief in briefs:
        for name in dict.fromkeys(brief.authors):
            slug = slugify(name)
            spellings[slug][name] += 1
            if not members[slug] or members[slug][-1] is not brief:
                members[slug].append(brief)
    known = {slugify(profile.name): profile for profile in profiles}
    authors = []
    for slug, briefs_of in members.items():
        profile = known.get(slug) or Profile(_most_used(spellings[slug]))
        authors.append(Author(profile.name, slug, profile.bio, profile.role, profile.url, tuple(briefs_of)))
    return tuple(sorted(authors, key=lambda a: (a.name.casefold(), a.slug)))


def _taxonomy(tc: TaxonomyConfig, briefs: tuple[Brief, ...], declared: dict[str, Entity]) -> Taxonomy:
    """The terms of one taxonomy: names with one term key are one term, and any name or alias of a declared
    entity (`declared`, by term key) is that entity's term, named as declared; others by their most used
    spelling."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Brief]] = defaultdict(list)
    entities: dict[str, Entity] = {}
    for brief in briefs:
        seen = set()
        for name in dict.fromkeys(brief.terms_of(tc.name)):  # each spelling counts once a brief
            key = _canonical(name, declared)
            spellings[key][name] += 1
            if key in declared:
                entities[key] = declared[key]
            if key not in seen:  # "Thailand, thailand" makes the brief a member once
                members[key].append(brief)
                seen.add(key)
    slugs = term_slugs(list(members))
    terms = [_term(tc, key, entities.get(key), _most_used(spellings[key]), slugs[key], tuple(members[key]))
             for key in members]
    return Taxonomy(tc, tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.slug))))


def _canonical(name: str, declared: dict[str, Entity]) -> str:
    """The term key of the term `name` belongs to: its entity's name's, when it names one."""
    key = term_key(name)
    return term_key(declared[key].name) if key in declared else key


def _term(tc: TaxonomyConfig, key: str, entity: Entity | None, spelling: str, slug: str, briefs) -> Term:
    if entity is None:
        return Term(tc, key, spelling, slug, briefs)
    return Term(tc, key, entity.name, slug, briefs, entity.description, entity.aliases, entity.ids)


def same_entity_terms(briefs, config: Config, data: Data) -> list[tuple[TaxonomyConfig, Term, Term, str]]:
    """Pairs of terms of one taxonomy over `briefs` that probably name one entity, with why (see
    `entities.same_entities`), taxonomies in config order."""
    found = []
    for tc in config.taxonomies:
        declared = entity_keys(data.entities, tc.name)
        taxonomy = _taxonomy(tc, newest_first(briefs), declared)
        by_name = {term.name: term for term in taxonomy.terms}
        keys = {term_key(entity.name) for entity in declared.values()}
        found += [(tc, by_name[a], by_name[b], why) for a, b, why in same_entities(list(by_name), keys)]
    return found


def _most_used(spellings: Counter) -> str:
    return min(spellings, key=lambda name: (-spellings[name], name))


def timeline(briefs: tuple[Brief, ...]) -> tuple[Year, ...]:
    """Years and months, newest first, each with its briefs by when they happened, newest first: a brief
    is in every year and month its event spans (by its date without one)."""
    placed = sorted(newest_first(briefs), key=lambda b: b.happened, reverse=True)
    in_year: dict[int, list[Brief]] = defaultdict(list)
    in_month: dict[tuple[int, int], list[Brief]] = defaultdict(list)
    for brief in placed:
        for year in brief.years:
            in_year[year].append(brief)
        for month in brief.months:
            in_month[month].append(brief)
    def in_the_year(year: int):  # by the brief's first month in the year, latest first (0: month unknown)
        return lambda brief: max((m for y, m in brief.months if y == year), default=0)

    return tuple(
        Year(year, tuple(Month(year, month, tuple(in_month[(year, month)]))
                         for month in range(12, 0, -1) if (year, month) in in_month),
             tuple(sorted(in_year[year], key=in_the_year(year), reverse=True)))
        for year in sorted(in_year, reverse=True))


def _terms_of(briefs, taxonomies, declared: dict[str, dict[str, Entity]]) -> dict:
    lookup = {(t.config.name, term.key): term for t in taxonomies for term in t.terms}
    result = {}
    for brief in briefs:
        groups = []
        for taxonomy in taxonomies:
            entities = declared[taxonomy.config.name]
            keys = dict.fromkeys(_canonical(n, entities) for n in brief.terms_of(taxonomy.config.name))
            terms = tuple(lookup[(taxonomy.config.name, key)] for key in keys)
            if terms:
                groups.append(TermGroup(taxonomy, terms))
        result[brief.slug] = tuple(groups)
    return result
