"""The files a brief's body refers to (an image, a map, a PDF): found beside it, checked, published.

A file is published at `media/<digest>/<name>`: its URL holds while its contents do, two briefs
showing one file share it, and a changed file gets a new URL that no cache serves stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from ..errors import BuildError
from ..reading.brief import FILE_REFERENCE
from ..reading.files import BRIEFS_DIR
from ..site.audience import Selection
from ..site.model import Brief
from ..site.slugs import slugify

MEDIA = "media"  # a reserved segment: the folder of published files


@dataclass(frozen=True)
class MediaFile:
    """A file beside the briefs that the build publishes: where it is, its URL and its bytes."""

    name: str  # its path under briefings/
    url: str  # site-relative
    data: bytes

    @property
    def path(self) -> str:
        """Its file in the output folder."""
        return self.url


def place_files(chosen: Selection, source: Path, shown: str, beside: dict, base_path: str
                ) -> tuple[Selection, list[MediaFile], list[BuildError]]:
    """The media stage: every file reference of every brief checked (a left-out brief's too, so a
    build's errors do not depend on its audience), the chosen briefs pointed at their files'
    URLs, and the files to publish, which only chosen briefs decide."""
    prefix = f"{shown}/{BRIEFS_DIR}/" if shown else f"{BRIEFS_DIR}/"
    root = (source / BRIEFS_DIR).resolve()
    found: dict[str, MediaFile] = {}
    errors: list[BuildError] = []
    for brief in chosen.left_out_briefs:
        _resolved(brief, _wanted(brief), prefix, root, beside, {}, errors)
    briefs = []
    for brief in chosen.briefs:
        urls = _resolved(brief, _wanted(brief), prefix, root, beside, found, errors)
        briefs.append(_pointed(brief, urls, base_path) if urls else brief)
    files = sorted({file.url: file for file in found.values()}.values(), key=lambda file: file.url)
    return dataclasses.replace(chosen, briefs=briefs), files, errors


def _wanted(brief: Brief) -> list[tuple[str, int, int]]:
    """Every file a brief refers to, with where: its body's links and images, attachments, lead image."""
    image = [(brief.image.file, brief.image.line, brief.image.column)] if brief.image else []
    return [*brief.files, *((a.file, a.line, a.column) for a in brief.attachments), *image]


def _resolved(brief: Brief, wanted, prefix: str, root: Path, beside: dict, found: dict, errors: list
              ) -> dict[str, MediaFile]:
    """Each file target of `brief` -> its file (read into `found`, by name); an error for each that fails."""
    folder = posixpath.dirname(brief.path.removeprefix(prefix))
    urls = {}
    for target, line, column in wanted:
        name = posixpath.normpath(posixpath.join(folder, unquote(target)))
        why = _unusable(name, root, beside)
        if why:
            errors.append(BuildError(brief.path, line, column, f"'{target}' {why}"))
            continue
        if name not in found:
            try:
                data = (root / name).read_bytes()
            except OSError as exc:
                errors.append(BuildError(brief.path, line, column, f"'{target}' cannot be read "
                                                                   f"({exc.strerror or exc})"))
                continue
            found[name] = MediaFile(name, media_url(name, data), data)
        urls[target] = found[name]
    return urls


def _unusable(name: str, root: Path, beside: dict) -> str | None:
    """Why the file `name` (under briefings/) cannot be published, or None."""
    if name == ".." or name.startswith("../") or name.startswith("/"):
        return f"is outside {BRIEFS_DIR}/; keep the files a brief shows beside it"
    if name not in beside:
        return f"matches no file (looked for {BRIEFS_DIR}/{name})"
    if not (root / name).resolve().is_relative_to(root):  # a symbolic link may point anywhere
        return f"is a symbolic link to outside {BRIEFS_DIR}/"
    return None


def media_url(name: str, data: bytes) -> str:
    """`media/<digest of the contents>/<file name, made URL-safe>`."""
    path = PurePosixPath(name)
    stem = slugify(path.stem) or "file"
    return f"{MEDIA}/{hashlib.blake2b(data, digest_size=8).hexdigest()}/{stem}{path.suffix.lower()}"


def _pointed(brief: Brief, files: dict[str, MediaFile], base_path: str) -> Brief:
    """The brief with each reference to a file pointed at its published URL (query and fragment kept),
    its attachments and lead image knowing theirs."""
    def point(match):
        target = html.unescape(match.group(1))
        if target not in files:
            return match.group(0)
        attribute = match.group(0).split("=", 1)[0]
        return f'{attribute}="{base_path}{quote(files[target].url)}{match.group(2) or ""}"'

    def published(item, **more):  # one that failed is left as it was: the build fails on its error
        file = files.get(item.file)
        return dataclasses.replace(item, url=file.url, **{k: v(file) for k, v in more.items()}) if file else item

    attachments = tuple(published(a, size=lambda file: len(file.data)) for a in brief.attachments)
    image = brief.image and published(brief.image)
    return dataclasses.replace(brief, body=FILE_REFERENCE.sub(point, brief.body), attachments=attachments,
                               image=image)
