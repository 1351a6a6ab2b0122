"""A persistent cache of parsed briefs, so unchanged briefs skip YAML and Markdown.

An entry's key hashes everything its result depends on: the file's name and
bytes, the settings that shape parsing, the engine's own parsing code and the
versions of the libraries it calls. The cache lives in the site folder, is
safe to delete, and is read with an unpickler that only builds the model's
own types, so a planted cache file cannot run code.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .. import yamlio
from ..config import Config
from ..filesystem import read_limited
from ..model import brief as brief_model
from ..reading import (
    attachments,
    brief,
    citations,
    dates,
    event,
    extra,
    fields,
    header,
    markup,
    references,
    release,
    terms,
    updates,
)
from ..values import slugs, tlp
from . import store

CACHE_DIR = ".briefsite-cache"
PREVIEW_DIR = f"{CACHE_DIR}/serve"  # where `serve` builds for the local URL: never the real output
BRIEFS_FILE = "briefs.pickle"
JOURNAL_FILE = "briefs-new.pickle"  # entries parsed since briefs.pickle was last written whole
FILES_FILE = "files.pickle"  # name -> (size, modification time, digest of the bytes)
# The code a parsed brief depends on: each header field's reader, the body's Markdown and its references,
# the model, YAML.
_PARSING_MODULES = (tlp, brief, header, fields, dates, event, updates, citations, release, attachments, extra, terms,
                    markup, references, brief_model, slugs, yamlio)
_LIBRARIES = ("markdown", "nh3", "pyyaml")


@lru_cache(maxsize=1)
def engine_key() -> bytes:
    """A digest of all of the engine's code and the libraries its output depends on."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parents[1].rglob("*.py")):
        digest.update(path.read_bytes())
    for library in (*_LIBRARIES, "jinja2", "markupsafe"):
        digest.update(f"{library}={metadata.version(library)};".encode())
    return digest.digest()


def settings_key(config: Config) -> bytes:
    """A digest of the engine's parsing code, its libraries and the settings parsing reads."""
    digest = hashlib.sha256()
    for module in _PARSING_MODULES:
        digest.update(Path(module.__file__).read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}={metadata.version(library)};".encode())
    digest.update(repr((config.timezone, config.taxonomy_names, config.markdown_extensions, config.allow_raw_html,
                        config.vocabulary, config.max_header_size, config.max_body_size, config.max_terms,
                        config.default_audience)).encode())
    return digest.digest()


class BriefCache:
    """Parse results by key; entries not used by a build are dropped when it saves.

    A file's key needs its bytes' digest, which is reused while the file's size
    and modification time stay the same, so unchanged files are not even read.
    With no folder, nothing is loaded or saved: each build parses everything.
    """

    def __init__(self, folder: Path | None, config: Config, kept: store.Kept | None = None):
        """`kept`: serve's memory of the cache files, so that its builds do not read back what the last one wrote."""
        self.store = kept or store
        self.path = folder / BRIEFS_FILE if folder else None
        self.journal_path = folder / JOURNAL_FILE if folder else None
        self.files_path = folder / FILES_FILE if folder else None
        self.settings = settings_key(config)
        # The largest brief file read: its header and body at their limits, four bytes a character in UTF-8.
        self.largest = 4 * (config.max_header_size + config.max_body_size)
        self.seen = _load(self.files_path, self.store) if self.files_path else {}
        self._stored: dict | None = None if self.path else {}
        self._base: dict = {}
        self.used: dict[bytes, tuple] = {}
        self.fresh: set[bytes] = set()  # keys parsed (put) by this build
        self.stats: dict[str, tuple[int, int, bytes]] = {}
        self.read: dict[str, bytes] = {}

    def key(self, name: str, path: Path) -> bytes:
        """The key of the file's parse result: its name, contents and the parsing settings."""
        stat = path.stat()
        seen = self.seen.get(name)
        if seen and seen[:2] == (stat.st_size, stat.st_mtime_ns):
            contents = seen[2]
        else:
            self.read[name] = data = read_limited(path, self.largest)
            contents = hashlib.sha256(data).digest()
        self.stats[name] = (stat.st_size, stat.st_mtime_ns, contents)
        return hashlib.sha256(self.settings + name.encode() + b"\0" + contents).digest()

    def data(self, name: str, path: Path) -> bytes:
        return self.read.pop(name, None) or read_limited(path, self.largest)

    @property
    def stored(self) -> dict:
        """The stored parse results, read on first use: a build with nothing to do never needs them."""
        if self._stored is None:
            self._base = _load(self.path, self.store)
            self._stored = {**self._base, **_load(self.journal_path, self.store)}
        return self._stored

    def get(self, key: bytes) -> tuple | None:
        found = self.stored.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: bytes, result: tuple) -> None:
        self.used[key] = result
        self.fresh.add(key)

    def save(self) -> None:
        """Write what changed: the entries this build used, and the files' stats."""
        if self.path is None:
            return
        if self.fresh or self.used.keys() != self.stored.keys():
            # Rewriting every entry costs more than parsing a few briefs: while the base file
            # lacks or holds in vain at most a tenth of the entries, only those go to the journal.
            missing = {key: result for key, result in self.used.items() if key not in self._base or key in self.fresh}
            unused = len(self._base.keys() - self.used.keys())
            if len(missing) + unused <= len(self.used) // 10:
                self.store.save(self.journal_path, missing)
            else:
                self.store.save(self.path, self.used)
                # Keys are digests of what a result is made from: a stale journal holds only true answers.
                with contextlib.suppress(OSError):  # a read-only cache folder
                    self.journal_path.unlink(missing_ok=True)
        if self.stats != self.seen:
            self.store.save(self.files_path, self.stats)


_ALLOWED = frozenset({
    *(("briefsite.model.brief", name)
      for name in ("Brief", "Source", "Event", "Update", "Attachment", "LeadImage", "Reference")),
    ("briefsite.errors", "BuildError"),
    store.ZONE, ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"), ("copyreg", "__newobj__"),
})


def _load(path: Path, files=store) -> dict:
    """The stored mapping, or an empty one when the file is missing, damaged or foreign."""
    stored = files.load(path, _ALLOWED)
    return stored if isinstance(stored, dict) else {}
