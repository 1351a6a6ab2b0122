"""`data/<taxonomy>.yml`: terms declared once as entities, with their other names (aliases), a
description, a parent (an entity, or a term briefs use) and ids in other registries."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ..config import Config
from ..errors import BuildError
from ..model.site import Entity
from ..values.slugs import term_key
from .fields import describe
from .records import Wrong, named_records, names, read_data_file, text


def _mapping(value) -> dict:
    if not isinstance(value, dict):
        raise Wrong(f"expected a mapping of id kinds to ids, such as {{wikidata: Q1073867}}, got {describe(value)}")
    return value


WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")
ENTITY_READERS = {"name": text, "aliases": names, "description": text, "parent": text, "ids": _mapping}


def load_entities(source: Path, config: Config, shown: str = "") -> tuple[tuple[Entity, ...], list[BuildError]]:
    """The entities of every taxonomy's `data/<name>.yml` (none for an absent file), parents naming a
    declared entity resolved and cycles of them refused, and what is wrong with them. A parent naming no
    entity stays a name: it may be a term briefs use, which the index checks (`site.entities.unknown_parents`)."""
    entities, problems = [], []
    for taxonomy in config.taxonomies:
        found, more = _load_file(source, taxonomy.name, shown)
        entities += found
        problems += more
    if any(not problem.warning for problem in problems):
        return (), problems  # names may be missing: parents would be reported for nothing
    entities = _with_parents(entities, [t.name for t in config.taxonomies])
    return tuple(entities), problems + _cycles(entities)


def _load_file(source: Path, taxonomy: str, shown: str) -> tuple[list[Entity], list[BuildError]]:
    """The entities of one file, each parent as the name it gives."""
    doc, file, problems = read_data_file(source, f"{taxonomy}.yml", shown)
    if doc is None:
        return [], problems
    if not isinstance(doc.data, list):
        expected = "expected a list of entities, each with a name and maybe aliases, description, parent and ids"
        return [], problems + [BuildError(file, 1, 1, f"{expected}, got {describe(doc.data)}")]
    entities = []
    for index, name, values in named_records(doc, file, ENTITY_READERS, "entity", problems):
        ids = _ids(doc, file, index, name, values.get("ids", {}), problems)
        parent = (None, values["parent"]) if "parent" in values else None
        entities.append(Entity(taxonomy, name, values["aliases"], values.get("description"), parent, ids,
                               place=(file, *doc.where((index,))), parent_place=(file, *doc.where((index, "parent")))))
    return entities, problems


def _ids(doc, file: str, index: int, name: str, given: dict, problems: list) -> tuple[tuple[str, str], ...]:
    """The entity's ids as (kind, id) text, in the order given."""
    ids = []
    for kind, value in given.items():
        line, col = doc.where((index, "ids", kind))
        if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
            what = "an empty value" if isinstance(value, str) else describe(value)
            problems.append(BuildError(file, line, col, f"{name}.ids.{kind}: expected text or a number, got {what}"))
            continue
        if kind == "wikidata" and not WIKIDATA_ID.fullmatch(str(value).strip()):  # it makes a link
            problems.append(BuildError(file, line, col, f"{name}.ids.wikidata: expected a Wikidata id such as "
                                                        f"Q1073867, got {describe(value)}"))
            continue
        ids.append((str(kind), str(value).strip()))
    return tuple(ids)


def _with_parents(entities: list[Entity], order: list[str]) -> list[Entity]:
    """The entities with each parent that names a declared entity (its own taxonomy's first, then the
    others in config order, by name or alias) resolved to it; any other parent stays a name."""
    by_key: dict[tuple[str, str], Entity] = {}
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            by_key[(entity.taxonomy, term_key(name))] = entity
    resolved = []
    for entity in entities:
        key = term_key(entity.parent[1]) if entity.parent else None
        found = next((by_key[(t, key)] for t in [entity.taxonomy, *order] if (t, key) in by_key), None)
        resolved.append(dataclasses.replace(entity, parent=(found.taxonomy, found.name)) if found else entity)
    return resolved


def _cycles(entities: list[Entity]) -> list[BuildError]:
    """An error at the parent of the first entity of each cycle of parents, naming the whole cycle. Only
    entities have parents, so a cycle passes through declared entities alone."""
    parent_of = {(e.taxonomy, e.name): e.parent for e in entities}
    place_of = {(e.taxonomy, e.name): e.parent_place for e in entities}
    problems, reported = [], set()
    for start in parent_of:
        path, at = [start], parent_of[start]
        while at is not None and at not in path:
            path.append(at)
            at = parent_of.get(at)
        if at == start and start not in reported:
            reported |= set(path)
            shown = " > ".join(name for _, name in [*path, start])
            problems.append(BuildError(*place_of[start], f"{start[1]}.parent: a cycle of parents: {shown}; "
                                                         "an entity cannot be its own parent"))
    return problems
