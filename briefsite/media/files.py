"""The files a brief's body refers to (an image, a map, a PDF): found beside it, checked, published.

A file is published at `media/<digest>/<name>`: its URL holds while its contents do, two briefs
showing one file share it, and a changed file gets a new URL that no cache serves stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from ..errors import BuildError
from ..reading.brief import FILE_REFERENCE
from ..reading.files import BRIEFS_DIR
from ..site.audience import Selection
from ..site.model import Brief
from ..site.slugs import slugify
from ..site.urls import MEDIA
from .cache import MediaCache, publish_all
from .html import picture
from .images import MediaError, Published, Rendition


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


def place_files(chosen: Selection, source: Path, shown: str, beside: dict, base_path: str, cache: MediaCache,
                jobs: int = 1) -> tuple[Selection, list[MediaFile], list[BuildError]]:
    """The media stage: every file reference of every brief checked (a left-out brief's too, so a
    build's errors do not depend on its audience), the chosen briefs' images published (see
    `publish_images`) and the briefs pointed at their files, and the files to publish, which only
    chosen briefs decide."""
    prefix = f"{shown}/{BRIEFS_DIR}/" if shown else f"{BRIEFS_DIR}/"
    root = (source / BRIEFS_DIR).resolve()
    found: dict[str, MediaFile] = {}
    errors: list[BuildError] = []
    for brief in chosen.left_out_briefs:
        _resolved(brief, _wanted(brief), prefix, root, beside, {}, errors)
    resolved = [(brief, _resolved(brief, _wanted(brief), prefix, root, beside, found, errors))
                for brief in chosen.briefs]
    images, more = publish_images(found, resolved, cache, jobs)
    briefs = [_pointed(brief, files, images, base_path) if files else brief for brief, files in resolved]
    published = {file.url: file for file in found.values() if file.name not in images}
    published |= {file.url: file for image in images.values() for file in image.files}
    return (dataclasses.replace(chosen, briefs=briefs), sorted(published.values(), key=lambda file: file.url),
            errors + more)


IMAGE_ENDINGS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")


@dataclass(frozen=True)
class PublishedImage:
    """An image as the site serves it: stripped of its metadata, with renditions in modern formats."""

    published: Published
    folder: str  # media/<digest>/
    stem: str

    def url(self, file: Rendition) -> str:
        return f"{self.folder}{self.stem}{file.suffix}"

    @property
    def files(self) -> list[MediaFile]:
        return [MediaFile(self.folder + self.stem, self.url(file), file.data) for file in self.published.files]


def publish_images(found: dict[str, MediaFile], resolved, cache: MediaCache, jobs: int
                   ) -> tuple[dict[str, PublishedImage], list[BuildError]]:
    """Every image the chosen briefs show, by its name under briefings/, made (or taken from `cache`) on
    up to `jobs` processes; an error at the first reference to each that cannot be published."""
    names = [name for name in found if name.lower().endswith(IMAGE_ENDINGS)]
    results = publish_all([found[name].data for name in names], cache, jobs)
    first = {}
    for brief, files in resolved:
        for target, file in files.items():
            first.setdefault(file.name, (brief, target))
    images, errors = {}, []
    for name, result in zip(names, results, strict=True):
        if isinstance(result, MediaError):
            brief, target = first[name]
            line, column = next((line, column) for t, line, column in _wanted(brief) if t == target)
            errors.append(BuildError(brief.path, line, column, f"'{target}': {result}"))
            continue
        folder, _, file_name = found[name].url.rpartition("/")
        images[name] = PublishedImage(result, folder + "/", file_name.rsplit(".", 1)[0])
    return images, errors


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


def _pointed(brief: Brief, files: dict[str, MediaFile], images: dict[str, PublishedImage], base_path: str) -> Brief:
    """The brief with each reference to a file pointed at its published URL (query and fragment kept), each
    image it shows as a `<picture>` of its renditions (lazy but the first, unless it has a lead image),
    its attachments and lead image knowing theirs."""
    def href(url: str) -> str:
        return base_path + quote(url)

    def point(match):
        target = html.unescape(match.group(1))
        if target not in files:
            return match.group(0)
        attribute = match.group(0).split("=", 1)[0]
        return f'{attribute}="{href(files[target].url)}{match.group(2) or ""}"'

    shown = 0

    def show(match):  # an <img> of a published image
        nonlocal shown
        source, alt = _SRC.search(match.group(0)), _ALT.search(match.group(0))
        file = files.get(html.unescape(source.group(1))) if source else None
        image = images.get(file.name) if file else None
        if image is None:
            return match.group(0)
        shown += 1
        lazy = shown > 1 or brief.image is not None
        return picture(image.published, lambda rendition: href(image.url(rendition)),
                       html.unescape(alt.group(1)) if alt else "", lazy, SIZES)

    def published(item, **more):  # one that failed is left as it was: the build fails on its error
        file = files.get(item.file)
        return dataclasses.replace(item, url=file.url, **{k: v(file) for k, v in more.items()}) if file else item

    attachments = tuple(published(a, size=lambda file: len(file.data)) for a in brief.attachments)
    body = FILE_REFERENCE.sub(point, _IMG.sub(show, brief.body))
    return dataclasses.replace(brief, body=body, attachments=attachments, image=_lead(brief, files, images, href))


def _lead(brief: Brief, files: dict[str, MediaFile], images: dict[str, PublishedImage], href):
    """The brief's lead image with its URL, size, markup and thumbnail once published."""
    lead = brief.image
    file = files.get(lead.file) if lead else None
    if file is None:
        return lead
    image = images.get(file.name)
    if image is None:  # not an image: the build fails on its error
        return dataclasses.replace(lead, url=file.url)
    original, renditions = image.published.original, image.published.renditions
    smallest = min(renditions, key=lambda r: (r.width, r.mime != "image/webp"), default=original)
    return dataclasses.replace(lead, url=image.url(original), width=original.width, height=original.height,
                               markup=picture(image.published, lambda r: href(image.url(r)), lead.alt, False, SIZES),
                               thumbnail=image.url(smallest))


_IMG = re.compile(r"<img\b[^>]*>")
SIZES = "(min-width: 44rem) 40rem, 100vw"  # an image spans the body's measure (40rem), or the screen
_SRC = re.compile(r'\ssrc="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')
