"""A brief's terms by taxonomy: each one's names, from its vocabulary if it has one, at most max_terms in all."""

from __future__ import annotations

from ..config import Config, did_you_mean
from ..errors import BuildError
from ..values.slugs import term_key
from .fields import Invalid, describe, text


def read_terms(file: str, header: dict, doc, config: Config, wrong: set, problems: list) -> list:
    """(taxonomy, its term names) for each taxonomy of site.yml, none for a key in `wrong`; errors to `problems`."""
    terms = []
    allowed = dict(config.vocabulary)
    for taxonomy in config.taxonomies:
        name = taxonomy.name
        try:
            value = header.get(name)
            if isinstance(value, str) and taxonomy.split:  # Jekyll's "a b c", Pelican's "a, b"
                value = [part for part in value.split(taxonomy.split) if part.strip()]
            terms.append((name, () if name in wrong else _names(value, allowed.get(name))))
        except Invalid as exc:
            line, col = doc.where((name, *exc.key))
            problems.append(BuildError(file, line, col, f"{name}: {exc}"))
    _check_term_count(file, terms, doc, config, problems)
    return terms


def _names(value, vocabulary: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Term names of one taxonomy: a string or a list of strings, from its vocabulary if it has one."""
    if value is None:
        return ()
    if isinstance(value, dict):
        raise Invalid((), "expected a term or a list of terms, got a mapping")
    items = value if isinstance(value, list) else [value]
    allowed = None if vocabulary is None else {term_key(v) for v in vocabulary}
    names = []
    for index, item in enumerate(items):
        if isinstance(item, (dict, list)):
            raise Invalid((index,), f"expected a term, got {describe(item)}")
        names.append(text(item, (index,)))
        if allowed is not None and term_key(names[-1]) not in allowed:
            raise Invalid((index,), f"'{names[-1]}' is not in the vocabulary of site.yml"
                          f"{did_you_mean(names[-1], vocabulary)}")
    return tuple(names)


def _check_term_count(file, terms: list, doc, config: Config, problems) -> None:
    """An error at the first term past `max_terms`: every term of a brief gives pages and feed entries."""
    keys: set[str] = set()
    for name, names in terms:
        for index, term in enumerate(names):
            keys.add(term_key(term))
            if len(keys) > config.max_terms:
                line, col = doc.where((name, index))
                problems.append(BuildError(file, line, col, f"{name}: more than {config.max_terms} terms in one "
                                           "brief, all taxonomies together (max_terms in site.yml)"))
                return
