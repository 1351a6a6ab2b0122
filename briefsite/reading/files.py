"""Find the brief files of a site folder, and the key of each one's contents."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BRIEFS_DIR = "briefings"


def find_briefs(source: Path) -> list[Path]:
    """Every Markdown file under `briefings/`, in a stable order; hidden files and folders are skipped."""
    found = []
    for root, folders, files in os.walk(source / BRIEFS_DIR):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [os.path.join(root, name) for name in files if name.endswith(".md") and not name.startswith(".")
                  and os.path.isfile(os.path.join(root, name))]
    return [Path(path) for path in sorted(found)]


@dataclass
class Sources:
    """The brief files of a build: names as shown in messages, and the key of each one's contents."""

    files: dict[str, Path]
    keys: dict[str, bytes]


def read_sources(source: Path, shown: str, cache) -> Sources:
    """The brief files under `source` (shown in messages as `shown`) and their keys from `cache`.

    A file whose size and modification time are unchanged is not read again.
    """
    folder = f"{shown}/{BRIEFS_DIR}/" if shown else f"{BRIEFS_DIR}/"
    cut = len(str(source / BRIEFS_DIR)) + 1  # every file's path starts with the folder's
    files = {folder + str(path)[cut:]: path for path in find_briefs(source)}
    return Sources(files, {name: cache.key(name, path) for name, path in files.items()})
