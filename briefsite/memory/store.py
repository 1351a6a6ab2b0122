"""The one store of what builds remember: pickles written atomically, read back with a list of allowed types.

A planted or damaged file cannot run code: the unpickler builds only the types
its caller allows, and anything else reads as nothing remembered.
"""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path
from zoneinfo import ZoneInfo


def save(path: Path, data) -> bool:
    """Store `data` at `path` atomically; a folder that cannot be written is skipped (the next build is slower).
    Whether it was stored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(data)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(buffer.getvalue())
        os.replace(temporary, path)
    except OSError:
        return False
    return True


def load(path: Path, allowed: frozenset[tuple[str, str]] = frozenset()):
    """What `path` holds, building only `allowed` (module, name) types; None when missing, damaged or foreign."""
    try:
        return _Unpickler(io.BytesIO(path.read_bytes()), allowed).load()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, ImportError):
        return None


class Kept:
    """A long-running process's memory of the files it stored or loaded (serve's, between its builds): a file
    is read back only when the one on disk is no longer that one (another build replaced it, or dropped it).
    What it returns is shared between builds: callers never change it."""

    def __init__(self):
        self.files: dict[Path, tuple[tuple, object]] = {}  # path -> (its stamp, what it holds)

    def load(self, path: Path, allowed: frozenset[tuple[str, str]] = frozenset()):
        """As `load`, from memory while the file is the one last seen."""
        stamp, known = _stamp(path), self.files.get(path)
        if known is not None and known[0] == stamp:  # the same file, or still none
            return known[1]
        data = load(path, allowed)  # stamped before reading: a file replaced meanwhile is read again next time
        self.files[path] = (stamp, data)
        return data

    def save(self, path: Path, data) -> bool:
        """As `save`, remembering `data` as the file's."""
        stored = save(path, data)
        if stored:
            self.files[path] = (_stamp(path), data)
        else:  # the file on disk, if any, is not `data`
            self.files.pop(path, None)
        return stored


def _stamp(path: Path) -> tuple | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


ZONE = ("briefsite.memory.store", "_zone")


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        # ZoneInfo pickles through getattr, which no safe unpickler may allow.
        return (_zone, (obj.key,)) if isinstance(obj, ZoneInfo) else NotImplemented


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, allowed: frozenset):
        super().__init__(file)
        self.allowed = allowed

    def find_class(self, module: str, name: str):
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed here")
        return super().find_class(module, name)
