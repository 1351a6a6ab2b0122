"""The parse stage: every brief file validated and rendered, from the cache where it is unchanged."""

from __future__ import annotations

from ..config import Config
from ..errors import BuildError
from ..parallel import spread
from ..site.model import Brief
from .brief import parse_brief
from .files import Sources


def parse_briefs(sources: Sources, config: Config, cache, jobs: int,
                 drafts: bool = False) -> tuple[list[Brief], list[BuildError]]:
    """The briefs to publish, in file order, and every problem found; a draft only with `drafts`."""
    names = list(sources.files)
    results = [cache.get(sources.keys[name]) for name in names]
    missing = [name for name, result in zip(names, results, strict=True) if result is None]
    work = [(name, cache.data(name, sources.files[name])) for name in missing]
    parsed = dict(zip(missing, spread(_parse, config, work, jobs), strict=True))
    for name in missing:
        cache.put(sources.keys[name], parsed[name])
    cache.save()
    briefs, problems = [], []
    for name, result in zip(names, results, strict=True):
        brief, found = result if result is not None else parsed[name]
        problems += found
        if brief and (drafts or not brief.draft):
            briefs.append(brief)
    return briefs, problems


def _parse(config: Config, work: list[tuple[str, bytes]]) -> list:
    return [parse_brief(name, data, config) for name, data in work]
