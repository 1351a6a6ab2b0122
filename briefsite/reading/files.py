"""Find the brief files of a site folder, and the key of each one's contents."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError

BRIEFS_DIR = "briefings"


def find_briefs(source: Path, unreadable: list[tuple[Path, OSError]] | None = None) -> list[Path]:
    """Every Markdown file under `briefings/`, in a stable order; hidden files and folders are skipped.

    Each folder that cannot be listed goes to `unreadable` with the reason; a missing `briefings/` has no briefs.
    """
    top = source / BRIEFS_DIR

    def refused(error: OSError) -> None:
        if unreadable is not None and not (error.filename == str(top) and isinstance(error, FileNotFoundError)):
            unreadable.append((Path(error.filename), error))

    found = []
    for root, folders, files in os.walk(top, onerror=refused):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [os.path.join(root, name) for name in files if name.endswith(".md") and not name.startswith(".")
                  and os.path.isfile(os.path.join(root, name))]
    return [Path(path) for path in sorted(found)]


@dataclass
class Sources:
    """The brief files of a build: names as shown in messages, and the key of each one's contents.

    A file or folder that cannot be read has a key too (of its problem), so a build with it is never
    taken for the last one; its problem is in `problems`.
    """

    files: dict[str, Path]
    keys: dict[str, bytes]
    problems: dict[str, BuildError] = field(default_factory=dict)


def read_sources(source: Path, shown: str, cache) -> Sources:
    """The brief files under `source` (shown in messages as `shown`) and their keys from `cache`.

    A file whose size and modification time are unchanged is not read again.
    """
    folder = f"{shown}/{BRIEFS_DIR}/" if shown else f"{BRIEFS_DIR}/"
    cut = len(str(source / BRIEFS_DIR)) + 1  # every file's path starts with the folder's
    unreadable: list[tuple[Path, OSError]] = []
    sources = Sources({}, {})
    for path in find_briefs(source, unreadable):
        name = folder + str(path)[cut:]
        if not _is_utf8(name):
            _refuse(sources, _shown(name), "the file name is not valid UTF-8; rename the file")
            continue
        try:
            sources.keys[name] = cache.key(name, path)
        except OSError as exc:
            _refuse(sources, name, f"cannot be read ({exc.strerror or exc}); its brief is left out")
            continue
        sources.files[name] = path
    for path, exc in unreadable:
        inside = os.path.relpath(path, source / BRIEFS_DIR)
        name = _shown(folder + inside if inside != "." else folder.rstrip("/"))
        _refuse(sources, name, f"this folder cannot be read ({exc.strerror or exc}); its briefs are left out")
    return sources


def _refuse(sources: Sources, name: str, message: str) -> None:
    sources.problems[name] = BuildError(name, 0, 0, message)
    sources.keys[name] = hashlib.sha256(message.encode()).digest()


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of the file name, kept as surrogates by the OS layer
        return False
    return True


def _shown(name: str) -> str:
    """A name as messages can show it: undecodable bytes as \\xff escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")
