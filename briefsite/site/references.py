"""References in briefs' bodies resolved: the one place a body's HTML changes after it is parsed.

Parsing records each reference with its slot (reading/references.py); a stage that knows where one
points says so (a link to a brief, here, once the build knows which briefs it takes; a file, in the
media stage, once it is published) and `resolve` writes that at the recorded offsets.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

from ..config import Config
from ..errors import BuildError
from ..model.brief import BRIEF, Brief, Reference
from ..reading.references import apply, moved
from . import urls


@dataclass(frozen=True)
class Pointed:
    """The reference's target becomes `url` (already fit for an attribute); its query and fragment stay."""

    url: str


@dataclass(frozen=True)
class Replaced:
    """The reference's element (an image) becomes `markup` (its <picture>)."""

    markup: str


@dataclass(frozen=True)
class Unlinked:
    """The link's start and end tags go: its text stays, plain."""


Resolution = Pointed | Replaced | Unlinked


def resolve(brief: Brief, point: Callable[[Reference], Resolution | None]) -> Brief:
    """The brief with what `point` says of each of its references (None: nothing yet) written into its body;
    the references keep their places in the new body."""
    edits = []
    for reference in brief.references:
        how = point(reference)
        if isinstance(how, Pointed):
            edits.append((*reference.slot, how.url))
        elif isinstance(how, Replaced):
            edits.append((*reference.tag, how.markup))
        elif isinstance(how, Unlinked) and reference.end_tag:
            edits += [(*reference.tag, ""), (*reference.end_tag, "")]
    if not edits:
        return brief
    body, move = apply(brief.body, edits)
    return dataclasses.replace(brief, body=body, references=tuple(moved(r, move) for r in brief.references))


def links(brief: Brief) -> list[Reference]:
    """The brief's links to other briefs' files."""
    return [reference for reference in brief.references if reference.kind == BRIEF]


def _path(brief: Brief, reference: Reference) -> str:
    """The brief file a link points at, as `Brief.path` names it."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(brief.path), reference.target))


def unresolved_links(briefs: list[Brief], files: set[str]) -> list[BuildError]:
    """An error for each link of `briefs` (left out of the build, so not resolved) to a file that is none
    of the brief `files`: the same error a build that takes them gives."""
    return [BuildError(brief.path, link.line, link.column, f"link to '{link.target}' matches no brief file")
            for brief in briefs for link in links(brief) if _path(brief, link) not in files]


def resolve_links(briefs: list[Brief], config: Config,
                  left_out: dict[str, str] | None = None) -> tuple[list[Brief], list[BuildError]]:
    """Point links to other brief files at those briefs' pages.

    A link to a brief the build leaves out (`left_out`: path -> why) is an error unless every link to it
    is titled "optional", which shows it as plain text; a link to no brief file at all is always one.
    """
    left_out = left_out or {}
    by_file = {brief.path: brief for brief in briefs}
    errors = []
    for brief in briefs:
        optional = _optional_targets(links(brief))
        for link in links(brief):
            path = _path(brief, link)
            if path in left_out and link.target not in optional:
                errors.append(BuildError(brief.path, link.line, link.column, f"link to '{link.target}': "
                                         f"{left_out[path]}, so this build leaves it out; give the link the title "
                                         f"\"optional\" to show it as plain text then: [text]({link.target} "
                                         "\"optional\")"))
            elif path not in by_file and path not in left_out:
                errors.append(BuildError(brief.path, link.line, link.column,
                                         f"link to '{link.target}' matches no brief file"))

    def point(brief: Brief, link: Reference) -> Resolution | None:
        if link.kind != BRIEF:
            return None
        found = by_file.get(_path(brief, link))
        if found is not None:
            return Pointed(config.base_path + quote(urls.brief(found)))
        return Unlinked() if link.optional else None  # else an error above

    return [resolve(brief, partial(point, brief)) for brief in briefs], errors


def _optional_targets(links: list[Reference]) -> set[str]:
    """The brief files that every link to is titled "optional"."""
    return {link.target for link in links if link.optional} - {link.target for link in links if not link.optional}
