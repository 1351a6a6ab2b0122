"""The site's `data/` folder: what it declares once for every brief (authors, threads, entities, sources, places)."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import BuildError, fail_on_errors, shown
from ..model.site import Data
from .authors import load_authors
from .editions import load_intros
from .entities import load_entities
from .places import load_places
from .sources import load_sources
from .threads import load_threads


def load_data(source: Path, config: Config, shown: str = "") -> tuple[Data, list[BuildError]]:
    """Everything `data/` declares, and what is wrong with it."""
    authors, problems = load_authors(source, shown)
    threads, more = load_threads(source, shown)
    entities, most = load_entities(source, config, shown)
    sources, last = load_sources(source, shown)
    places, more_still = load_places(source, shown)
    intros, editions = load_intros(source, config, shown)
    return (Data(authors=authors, threads=threads, entities=entities, sources=sources, places=places,
                 intros=intros), problems + more + most + last + more_still + editions)


def load_site_data(source: Path, config: Config) -> tuple[Data, list[BuildError]]:
    """The config stage's part for `data/`: what it declares and its warnings; raises BuildFailed on errors."""
    data, problems = load_data(source, config, shown(source))
    return data, fail_on_errors(problems)
