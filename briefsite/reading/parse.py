"""The parse stage: every brief file validated and rendered, from the cache where it is unchanged."""

from __future__ import annotations

from ..config import Config
from ..errors import BuildError
from ..filesystem import TooLarge
from ..model.brief import Brief
from ..parallel import spread
from .brief import parse_brief
from .files import BriefFiles


def parse_briefs(files: BriefFiles, config: Config, cache, jobs: int) -> tuple[list[Brief], list[BuildError]]:
    """Every brief that parsed, drafts too, in file order, and every problem found."""
    names = list(files.files)
    keys = files.keys
    results = [cache.get(keys[name]) for name in names]
    missing = [name for name, result in zip(names, results, strict=True) if result is None]
    work, problems = [], list(files.problems.values())
    for name in missing:
        try:
            work.append((name, cache.data(name, files.files[name])))
        except TooLarge as exc:  # grown since it was listed
            problems.append(BuildError(name, 0, 0, f"{exc} for a brief; its brief is left out"))
        except OSError as exc:  # gone or locked since it was listed
            problems.append(BuildError(name, 0, 0, f"cannot be read ({exc.strerror or exc}); its brief is left out"))
    parsed = dict(zip([name for name, _ in work], spread(_parse, config, work, jobs), strict=True))
    for name, result in parsed.items():
        cache.put(keys[name], result)
    cache.save()
    briefs = []
    for name, result in zip(names, results, strict=True):
        brief, found = result if result is not None else parsed.get(name, (None, []))
        problems += found
        if brief:
            briefs.append(brief)
    return briefs, problems


def _parse(config: Config, work: list[tuple[str, bytes]]) -> list:
    return [parse_brief(name, data, config) for name, data in work]
