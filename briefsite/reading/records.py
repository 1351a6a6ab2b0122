"""Reading `data/` files: records with typed fields, names and aliases, errors at their line and column."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from .. import yamlio
from ..config import did_you_mean
from ..errors import BuildError, within
from ..filesystem import TooLarge, not_a_file, read_limited
from ..values.slugs import term_key
from .fields import describe

DATA_DIR = "data"


def read_data_file(source: Path, name: str, shown: str = "") -> tuple[yamlio.Document | None, str, list[BuildError]]:
    """`data/<name>` of the site folder `source` loaded (None when absent, empty or unreadable), the file as
    shown in messages, and what is wrong with it: errors, and warnings for removed characters."""
    file = within(shown, f"{DATA_DIR}/{name}")
    path = source / DATA_DIR / name
    if not os.path.lexists(path):
        return None, file, []
    if kind := not_a_file(path):  # a folder is a mistake to say, a named pipe would hang the build
        return None, file, [BuildError(file, 0, 0, f"is {kind}, not a file")]
    try:
        text = read_limited(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, file, [BuildError(file, 0, 0, f"not valid UTF-8 (byte {exc.start})")]
    except TooLarge as exc:
        return None, file, [BuildError(file, 0, 0, str(exc))]
    doc, problems = yamlio.load(text, file, clean=True)
    if doc is None or doc.data is None:
        return None, file, problems
    return doc, file, problems


class Wrong(ValueError):
    """A declared value is not what its key expects; the message says what was expected."""


Reader = Callable[[object], object]  # a declared value to what the model keeps; raises Wrong


def record(doc: yamlio.Document, file: str, path: tuple, owner: str, readers: dict[str, Reader],
           problems: list[BuildError]) -> dict | None:
    """The fields of one declared record (a mapping at `path`, or nothing), each read by the reader of its
    key; None after recording every error, each as '<owner>.<key>: <what was expected>' at its place."""
    spec = doc.data
    for step in path:
        spec = spec[step]
    if spec is None:
        return {}
    names = _listed(tuple(readers))
    if not isinstance(spec, dict):
        problems.append(BuildError(file, *doc.where(path), f"{owner}: expected a mapping with {names}, "
                                                          f"got {describe(spec)}"))
        return None
    before, values = len(problems), {}
    for key, value in spec.items():
        line, col = doc.where((*path, key))
        if key not in readers:
            hint = did_you_mean(str(key), readers) or f"; expected {names}"
            problems.append(BuildError(file, line, col, f"{owner}: unknown key '{key}'{hint}"))
        elif value is not None:
            try:
                values[key] = readers[key](value)
            except Wrong as exc:
                problems.append(BuildError(file, line, col, f"{owner}.{key}: {exc}"))
    return values if len(problems) == before else None


def _listed(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def text(value) -> str:
    """Text, stripped and not empty."""
    if not isinstance(value, str) or not value.strip():
        raise Wrong(f"expected text, got {'an empty value' if isinstance(value, str) else describe(value)}")
    return value.strip()


def web_url(value) -> str:
    """An http(s) URL."""
    url = text(value)
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://["
        parts = None
    if not parts or parts.scheme.lower() not in ("http", "https") or not parts.netloc \
            or any(c.isspace() for c in url):
        raise Wrong(f"{url!r} is not an http(s) URL")
    return url


def one_of(choices: tuple[str, ...]) -> Reader:
    """One of `choices`, as written there, in any case."""
    def read(value):
        found = text(value).lower() if isinstance(value, str) else None
        if found not in choices:
            raise Wrong(f"expected {_listed(choices).replace(' and ', ' or ')}, got {describe(value)}")
        return found
    return read


def names(value) -> list:
    """Text or a list: each item is checked at its own place (see `declared_aliases`)."""
    if not isinstance(value, (str, list)):
        raise Wrong(f"expected a name or a list of names, got {describe(value)}")
    return [value] if isinstance(value, str) else value


def declared_aliases(doc, file: str, index: int, name: str, given: list, taken: dict,
                     problems: list) -> tuple[str, ...]:
    """The aliases of the record at `index` named `name`, each text whose term key nothing else in the
    file has taken (`taken`: term key -> what took it, updated)."""
    aliases = []
    for at, alias in enumerate(given):
        line, col = doc.where((index, "aliases", at) if isinstance(doc.data[index]["aliases"], list)
                              else (index, "aliases"))
        try:
            alias = text(alias)
        except Wrong as exc:
            problems.append(BuildError(file, line, col, f"{name}.aliases: {exc}"))
            continue
        key = term_key(alias)
        if key in taken:
            problems.append(BuildError(file, line, col, f"{name}.aliases: '{alias}' is already {taken[key]}"))
            continue
        taken[key] = f"an alias of '{name}'"
        aliases.append(alias)
    return tuple(aliases)


def named_records(doc: yamlio.Document, file: str, readers: dict[str, Reader], kind: str, problems: list):
    """Each record of a list of named ones (entities, sources) that reads cleanly, as (index, name, values
    with `aliases` checked): errors for a record without a name, a name another record has, an alias
    another record has; `kind` names one in messages ("entity")."""
    taken: dict[str, str] = {}  # term key -> what already uses it
    for index, spec in enumerate(doc.data):
        line = doc.where((index,))[0]
        written = spec.get("name") if isinstance(spec, dict) else None
        owner = written.strip() if isinstance(written, str) and written.strip() else f"entry {index + 1}"
        values = record(doc, file, (index,), owner, readers, problems)
        if values is None:
            continue
        if "name" not in values:
            problems.append(BuildError(file, *doc.where((index,)), f"{owner}: {_article(kind)} {kind} needs a name"))
            continue
        name, key = values["name"], term_key(values["name"])
        if key in taken:
            problems.append(BuildError(file, *doc.where((index, "name")), f"'{name}' is already {taken[key]}; "
                                                                          "keep one"))
            continue
        taken[key] = f"the name of the {kind} on line {line}"
        values["aliases"] = declared_aliases(doc, file, index, name, values.get("aliases", []), taken, problems)
        yield index, name, values


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
