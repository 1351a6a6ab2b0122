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


def save(path: Path, data) -> None:
    """Store `data` at `path` atomically; a folder that cannot be written is skipped (the next build is slower)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(data)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(buffer.getvalue())
        os.replace(temporary, path)
    except OSError:
        pass


def load(path: Path, allowed: frozenset[tuple[str, str]] = frozenset()):
    """What `path` holds, building only `allowed` (module, name) types; None when missing, damaged or foreign."""
    try:
        return _Unpickler(io.BytesIO(path.read_bytes()), allowed).load()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, ImportError):
        return None


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
