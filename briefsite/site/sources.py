"""Sources as evidence: each brief's citations graded by what data/sources.yml declares, and the
sources the briefs of a build cite, each with its briefs."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..model.brief import Brief, Citation, SourceProfile
from ..model.site import CitedSource
from ..values.slugs import term_key, term_slugs


def cited_sources(briefs: tuple[Brief, ...], declared: tuple[SourceProfile, ...]
                  ) -> tuple[tuple[CitedSource, ...], dict[str, tuple[Citation, ...]]]:
    """The sources `briefs` (newest first) cite, sorted by name, and each brief's citations by its slug.

    A cited name that is a declared source's name or alias is that source, named as declared; names
    with one term key are one source, named by their most used spelling.
    """
    by_key = {term_key(name): profile for profile in declared for name in (profile.name, *profile.aliases)}
    spellings: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Brief]] = defaultdict(list)
    for brief in briefs:
        for source in brief.sources:
            key = _key(source.name, by_key)
            spellings[key][source.name] += 1
            if not members[key] or members[key][-1] is not brief:
                members[key].append(brief)
    slugs = term_slugs(list(members))
    sources = {}
    for key, cited in members.items():
        profile = by_key.get(key) or SourceProfile(min(spellings[key], key=lambda n: (-spellings[key][n], n)))
        sources[key] = CitedSource(profile.name, slugs[key], profile.type, profile.reliability, profile.url,
                                   tuple(cited))
    citations = {brief.slug: tuple(_citation(number, source, sources[_key(source.name, by_key)])
                                   for number, source in enumerate(brief.sources, start=1))
                 for brief in briefs}
    return tuple(sorted(sources.values(), key=lambda s: (s.name.casefold(), s.slug))), citations


def _key(name: str, declared: dict) -> str:
    """The key a cited name is grouped by: its declared source's, else its own."""
    key = term_key(name)
    found = declared.get(key)
    return term_key(found.name) if found else key


def _citation(number: int, source, cited: CitedSource) -> Citation:
    return Citation(number, cited.name, cited.slug, source.url or cited.url, source.accessed, source.credibility,
                    cited.type, cited.reliability)
