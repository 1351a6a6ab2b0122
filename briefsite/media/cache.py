"""What was published for an image, remembered across builds by the digest of its bytes; a batch made in parallel.

An entry is a folder of plain files and an index naming each with its digest: a
file that is missing or changed makes the whole entry read as not remembered, and
it is made again. Nothing in the cache is unpickled or run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import PIL

from .. import parallel
from .images import PIPELINE_VERSION, Facts, MediaError, Published, Rendition, publish

INDEX = "index.json"
MEDIA_DIR = "media"  # under the build cache, CACHE_DIR in briefsite.memory.briefs


def image_key(data: bytes) -> str:
    """The cache key of an image: its bytes, the pipeline's version and Pillow's (whose encoders shape the output)."""
    digest = hashlib.sha256(f"briefsite-media {PIPELINE_VERSION} pillow {PIL.__version__}\0".encode())
    digest.update(data)
    return digest.hexdigest()


IMAGES_IN_PARALLEL = 4  # images from which the process pool pays for itself


class MediaCache:
    """Published images kept as files under `folder` (e.g. .briefsite-cache/media), one folder per key."""

    writes = True

    def __init__(self, folder: Path):
        self.folder = folder

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> Published | None:
        """The remembered result for `key`; None when missing, damaged or from another layout."""
        entry = self._entry(key)
        try:
            index = json.loads((entry / INDEX).read_text(encoding="utf-8"))
            files = tuple(_file(entry, item) for item in index["files"])
            facts = Facts(index["width"], index["height"], index["format"], index["animated"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not files or None in files:
            return None
        return Published(facts, files[0], files[1:])

    def put(self, key: str, published: Published) -> None:
        """Remember `published` under `key`, atomically: a reader sees the whole entry or none of it."""
        entry = self._entry(key)
        staging = entry.with_name(f"{key}.{os.getpid()}.tmp")
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            for number, file in enumerate(published.files):
                (staging / f"{number}{_safe(file.suffix)}").write_bytes(file.data)
            facts = published.facts
            index = {"width": facts.width, "height": facts.height, "format": facts.format,
                     "animated": facts.animated, "files": [_described(n, f) for n, f in enumerate(published.files)]}
            (staging / INDEX).write_text(json.dumps(index, indent=1), encoding="utf-8")
            shutil.rmtree(entry, ignore_errors=True)
            os.replace(staging, entry)
        except OSError:  # a cache that cannot be written makes the next build slower, never wrong
            shutil.rmtree(staging, ignore_errors=True)


def _safe(suffix: str) -> str:
    return "".join(c for c in suffix if c.isalnum() or c in ".-")


def _described(number: int, file: Rendition) -> dict:
    return {"name": f"{number}{_safe(file.suffix)}", "suffix": file.suffix, "width": file.width,
            "height": file.height, "mime": file.mime, "sha256": hashlib.sha256(file.data).hexdigest()}


def _file(entry: Path, item: dict) -> Rendition | None:
    data = (entry / Path(item["name"]).name).read_bytes()
    if hashlib.sha256(data).hexdigest() != item["sha256"]:
        return None
    return Rendition(item["suffix"], item["width"], item["height"], item["mime"], data)


class ReadOnlyCache(MediaCache):
    """A cache that is read and never written: `check` leaves the site folder as it found it."""

    writes = False

    def put(self, key: str, published: Published) -> None:
        pass


def publish_cached(data: bytes, cache: MediaCache) -> Published:
    """What is published for `data`, from the cache when it was made before; MediaError as publish raises it."""
    key = image_key(data)
    published = cache.get(key)
    if published is None:
        published = publish(data)
        cache.put(key, published)
    return published


def publish_all(images: list[bytes], cache: MediaCache, workers: int = 1) -> list[Published | MediaError]:
    """What is published for each image, in order; only those not in the cache are made, on up to `workers` processes.

    An image that cannot be published is its MediaError in the list, so one bad
    file is reported with the others instead of stopping the batch.
    """
    keys = [image_key(data) for data in images]
    results: list = [cache.get(key) for key in keys]
    # A dict: an image given twice is made once.
    todo = {key: data for key, data, result in zip(keys, images, results, strict=True) if result is None}
    made = dict(zip(todo, parallel.spread(_publish_each, None, list(todo.values()), workers, chunk=1,
                                                  least=IMAGES_IN_PARALLEL), strict=True))
    for key, result in made.items():
        if isinstance(result, Published):
            cache.put(key, result)
    return [made[key] if result is None else result for key, result in zip(keys, results, strict=True)]


def _publish_each(_state, images: list[bytes]) -> list[Published | MediaError]:
    results = []
    for data in images:
        try:
            results.append(publish(data))
        except MediaError as error:
            results.append(error)
    return results
