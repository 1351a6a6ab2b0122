"""Find the brief files of a site folder, and the key of each one's contents."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, within
from ..filesystem import TooLarge, not_a_file

BRIEFS_DIR = "briefings"
ENDINGS = (".md", ".markdown", ".mdown", ".mkd")  # what Jekyll and Hugo read as Markdown


def brief_name(file: str) -> str:
    """What names a brief file, giving its slug (and date and title, Jekyll-style): the file's name
    without its ending, or for a bundle's `index.md` (Hugo's page bundles) its folder's name."""
    parts = file.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    return parts[-2] if stem == "index" and len(parts) > 1 and parts[-2] != BRIEFS_DIR else stem


def is_brief_file(name: str) -> bool:
    """Whether a file of this name is a brief: Markdown, neither hidden nor `_`-prefixed (Hugo's _index.md)."""
    return name.endswith(ENDINGS) and not name.startswith((".", "_"))


def find_briefs(source: Path, unreadable: list[tuple[Path, OSError]] | None = None,
                skipped: list[Path] | None = None, beside: list[str] | None = None,
                odd: list[tuple[Path, str, bool]] | None = None) -> list[Path]:
    """Every brief file under `briefings/`, in a stable order; hidden files and folders are skipped.

    Each folder that cannot be listed goes to `unreadable` with the reason; other files that start
    with a front-matter fence go to `skipped`, and every other file to `beside` (what briefs may
    show or attach); a missing `briefings/` has no briefs. What is no regular file (a named pipe
    would hang the build) and a brief that is a symbolic link to outside `briefings/` go to `odd`
    as (path, why, whether only a warning), and are neither briefs nor files beside them.
    """
    top = source / BRIEFS_DIR
    inside = os.path.realpath(top)

    def refused(error: OSError) -> None:
        if unreadable is not None and not (error.filename == str(top) and isinstance(error, FileNotFoundError)):
            unreadable.append((Path(error.filename), error))

    found = []
    for root, folders, files in os.walk(top, onerror=refused):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            kind = not_a_file(path)
            if kind and kind.startswith("unreadable"):  # a loop of links, a denied stat: an error, as unreadable files
                if odd is not None:
                    odd.append((Path(path), f"cannot be read ({kind.removeprefix('unreadable (')}", False))
            elif kind:
                if odd is not None and kind != "missing":  # else deleted while the build looked
                    odd.append((Path(path), f"skipped: it is {kind}, not a file", True))
            elif is_brief_file(name):
                if os.path.islink(path) and not _within(os.path.realpath(path), inside):
                    if odd is not None:
                        odd.append((Path(path), f"is a symbolic link to outside {BRIEFS_DIR}/; "
                                                "keep the brief itself in the folder", False))
                else:
                    found.append(path)
            elif skipped is not None and _has_header(path):
                skipped.append(Path(path))
            elif beside is not None:
                beside.append(path)
    return [Path(path) for path in sorted(found)]


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _has_header(path: str) -> bool:
    """Whether a file starts like a brief: a YAML or TOML front-matter fence."""
    try:
        with open(path, "rb") as file:
            start = file.read(5)
    except OSError:
        return False
    return start.lstrip(b"\xef\xbb\xbf")[:3] in (b"---", b"+++")


@dataclass
class BriefFiles:
    """The brief files of a build: names as shown in messages, and the key of each one's contents.

    A file or folder that cannot be read has a key too (of its problem), so a build with it is never
    taken for the last one; its problem is in `problems`.
    """

    files: dict[str, Path]
    keys: dict[str, bytes]
    problems: dict[str, BuildError] = field(default_factory=dict)
    beside: dict[str, tuple[int, int]] = field(default_factory=dict)  # other files: (size, mtime) by path


def read_brief_files(source: Path, shown: str, cache) -> BriefFiles:
    """The brief files under `source` (shown in messages as `shown`) and their keys from `cache`.

    A file whose size and modification time are unchanged is not read again.
    """
    folder = within(shown, f"{BRIEFS_DIR}/")
    cut = len(str(source / BRIEFS_DIR)) + 1  # every file's path starts with the folder's
    unreadable: list[tuple[Path, OSError]] = []
    skipped: list[Path] = []
    beside: list[str] = []
    odd: list[tuple[Path, str, bool]] = []
    found = BriefFiles({}, {})
    for path in find_briefs(source, unreadable, skipped, beside, odd):
        name = folder + str(path)[cut:]
        if not _is_utf8(name):
            _refuse(found, _shown(name), "the file name is not valid UTF-8; rename the file")
            continue
        try:
            found.keys[name] = cache.key(name, path)
        except TooLarge as exc:
            _refuse(found, name, f"{exc} for a brief (its header and body at max_header_size and "
                                   "max_body_size of site.yml); split it, or link to a document")
            continue
        except OSError as exc:
            _refuse(found, name, f"cannot be read ({exc.strerror or exc}); its brief is left out")
            continue
        found.files[name] = path
    for path in beside:  # their changes must reach the build; their contents are read only when a brief uses them
        try:
            stat = os.stat(path)
        except OSError:
            continue
        found.beside[path[cut:]] = (stat.st_size, stat.st_mtime_ns)
    for path, exc in unreadable:
        inside = os.path.relpath(path, source / BRIEFS_DIR)
        name = _shown(folder + inside if inside != "." else folder.rstrip("/"))
        _refuse(found, name, f"this folder cannot be read ({exc.strerror or exc}); its briefs are left out")
    for path, why, warning in sorted(odd):
        _refuse(found, _shown(folder + str(path)[cut:]), why, warning)
    for path in sorted(skipped):
        name = _shown(folder + str(path)[cut:])
        why = "its name starts with '_' (Hugo's _index.md is a section page)" if path.name.startswith("_") \
            else f"only files ending in {', '.join(ENDINGS)} are briefs"
        _refuse(found, name, f"skipped though it has a front-matter header: {why}", warning=True)
    return found


def _refuse(found: BriefFiles, name: str, message: str, warning: bool = False) -> None:
    found.problems[name] = BuildError(name, 0, 0, message, warning=warning)
    found.keys[name] = hashlib.sha256(message.encode()).digest()


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of the file name, kept as surrogates by the OS layer
        return False
    return True


def _shown(name: str) -> str:
    """A name as messages can show it: undecodable bytes as \\xff escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")
