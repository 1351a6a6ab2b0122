"""A persistent cache of parsed briefs, so unchanged briefs skip YAML and Markdown.

An entry's key hashes everything its result depends on: the file's name and
bytes, the settings that shape parsing, the engine's own parsing code and the
versions of the libraries it calls. The cache lives in the site folder, is
safe to delete, and is read with an unpickler that only builds the model's
own types, so a planted cache file cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo

from . import content, markup, model, slugs, yamlio
from .config import Config

CACHE_DIR = ".briefsite-cache"
BRIEFS_FILE = "briefs.pickle"
_PARSING_MODULES = (content, markup, model, slugs, yamlio)
_LIBRARIES = ("markdown", "nh3", "pyyaml")


def settings_key(config: Config) -> bytes:
    """A digest of the engine's parsing code, its libraries and the settings parsing reads."""
    digest = hashlib.sha256()
    for module in _PARSING_MODULES:
        digest.update(Path(module.__file__).read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}={metadata.version(library)};".encode())
    digest.update(repr((config.timezone, config.taxonomy_names, config.markdown_extensions,
                        config.allow_raw_html, config.vocabulary)).encode())
    return digest.digest()


class BriefCache:
    """Parse results by key; entries not used by a build are dropped when it saves."""

    def __init__(self, folder: Path, config: Config):
        self.path = folder / BRIEFS_FILE
        self.settings = settings_key(config)
        self.stored = _load(self.path)
        self.used: dict[bytes, tuple] = {}

    def key(self, name: str, data: bytes) -> bytes:
        return hashlib.sha256(self.settings + name.encode() + b"\0" + data).digest()

    def get(self, key: bytes) -> tuple | None:
        found = self.stored.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: bytes, result: tuple) -> None:
        self.used[key] = result

    def save(self) -> None:
        """Write the entries this build used, atomically; a cache that cannot be written is skipped."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            buffer = io.BytesIO()
            _ModelPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(self.used)
            temporary.write_bytes(buffer.getvalue())
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only site folder still builds, only slower next time


def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


class _ModelPickler(pickle.Pickler):
    def reducer_override(self, obj):
        # ZoneInfo pickles through getattr, which no safe unpickler may allow.
        return (_zone, (obj.key,)) if isinstance(obj, ZoneInfo) else NotImplemented


_ALLOWED = {
    ("briefsite.model", "Brief"), ("briefsite.model", "Source"), ("briefsite.errors", "BuildError"),
    ("briefsite.cache", "_zone"), ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"), ("copyreg", "__newobj__"),
}


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the brief cache")
        return super().find_class(module, name)


def _load(path: Path) -> dict:
    """The stored entries, or none when the file is missing, damaged or foreign."""
    try:
        data = path.read_bytes()
        stored = _ModelUnpickler(io.BytesIO(data)).load()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, ImportError):
        return {}
    return stored if isinstance(stored, dict) else {}
