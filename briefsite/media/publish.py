"""The media stage: every file a build publishes beside its pages, made at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import BuildError, shown
from ..model.site import Output
from ..site.audience import Selection
from .cache import MediaCache
from .files import MediaFile, place_files
from .previews import KeptCard, share_images
from .site_files import site_files


@dataclass(frozen=True)
class Media:
    """What the media stage publishes, and what it found wrong."""

    chosen: Selection  # the chosen briefs, pointed at their published files
    files: list[MediaFile | KeptCard]  # the briefs' files and share images
    site_files: list[Output]  # the site's own files of static/, still to be checked against the pages
    problems: list[BuildError]


def publish_media(*, chosen: Selection, source: Path, beside: dict, static: list[str], config: Config,
                  cache: MediaCache, jobs: int) -> Media:
    """The files the briefs refer to (`beside` them), each chosen brief's share image, and the files
    `static` of the site's own static/ folder."""
    folder = shown(source)
    chosen, files, broken = place_files(chosen, source, folder, beside, config.base_path, cache, jobs)
    cards, unshared = share_images(chosen.briefs, config, cache, jobs)
    own, unread = site_files(source, folder, static)
    return Media(chosen, files + cards, own, broken + unshared + unread)
