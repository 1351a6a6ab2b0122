"""The site's own files: `static/` in the site folder (CNAME, a logo, `.well-known/`), published as they are."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import BuildError, within
from ..filesystem import TooLarge, not_a_file, read_limited
from ..model.site import Output
from ..site.urls import BUNDLE, MARKER, folders_taken
from .files import MAX_FILE_SIZE

STATIC_DIR = "static"


def site_file_stats(source: Path) -> dict[str, tuple[int, int]]:
    """Each file of `static/` by its path there: (size, modification time), for the no-op check."""
    root = source / STATIC_DIR
    stats = {}
    for root_dir, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(root_dir, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stats[os.path.relpath(path, root).replace(os.sep, "/")] = (stat.st_size, stat.st_mtime_ns)
    return stats


def site_files(source: Path, shown: str, names) -> tuple[list[Output], list[BuildError]]:
    """The files `names` of `static/` to publish at the same paths, and an error for each that cannot be:
    the search bundle's folder, the output's marker, a symbolic link out of `static/`, an unreadable file."""
    root = (source / STATIC_DIR).resolve()
    outputs, errors = [], []
    for name in sorted(names):
        where = _shown(shown, name)
        why = _refused(name, root)
        if why:
            errors.append(BuildError(where, 0, 0, why))
            continue
        kind = not_a_file(root / name)
        if kind:  # a named pipe would hang the build; a file deleted since it was listed is just gone
            if kind != "missing":
                errors.append(BuildError(where, 0, 0, f"skipped: it is {kind}, not a file", warning=True))
            continue
        try:
            outputs.append(Output(name, read_limited(root / name, MAX_FILE_SIZE)))
        except TooLarge as exc:
            errors.append(BuildError(where, 0, 0, f"{exc} for a published file (GitHub Pages refuses larger files)"))
        except OSError as exc:
            errors.append(BuildError(where, 0, 0, f"cannot be read ({exc.strerror or exc})"))
    return outputs, errors


def untaken(files: list[Output], shown: str, taken: dict[str, str]) -> tuple[list[Output], list[BuildError]]:
    """The site's files (`files`, of `static/`) that no other output is in the way of, and an error for each
    other: one a page or another output writes (`taken`: path -> what writes it), one that needs a folder where
    another writes a file, or is a file where another needs a folder."""
    folders = folders_taken({*(file.path for file in files), *taken})
    kept, errors = [], []
    for file in files:
        why = _taken(file.path, taken) or _in_the_way(file.path, taken, folders)
        if why:
            errors.append(BuildError(_shown(shown, file.path), 0, 0, why))
        else:
            kept.append(file)
    return kept, errors


def _shown(shown: str, name: str) -> str:
    return within(shown, f"{STATIC_DIR}/{name}")


def _in_the_way(name: str, taken: dict[str, str], folders: dict[str, str]) -> str | None:
    """Why `name` cannot be written beside the outputs `taken`: it needs a folder where a page writes a
    file (static/index.html/foo.txt), or it is a file where a page needs a folder."""
    if name in folders and folders[name] in taken:
        return f"is a file where {taken[folders[name]]} needs a folder (to write {folders[name]}); rename or remove it"
    parts = name.split("/")
    for end in range(1, len(parts)):
        folder = "/".join(parts[:end])
        if folder in taken:
            return f"needs a folder at {folder}, which {taken[folder]} writes as a file; rename or move it"
    return None


def _taken(name: str, taken: dict[str, str]) -> str | None:
    return f"would replace {name}, which {taken[name]} writes; rename or remove one" if name in taken else None


def _refused(name: str, root: Path) -> str | None:
    if name == MARKER or name.split("/", 1)[0] == BUNDLE:
        return f"would replace {name}, which briefsite writes itself; rename or remove it"
    if not (root / name).resolve().is_relative_to(root):
        return f"is a symbolic link to outside {STATIC_DIR}/"
    return None
