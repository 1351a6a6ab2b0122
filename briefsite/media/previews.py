"""Share images: the card a link preview shows for each brief (title, dateline, date, site, marking)."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import BuildError
from ..model.brief import MONTH_NAMES, Brief
from ..parallel import spread
from ..site import urls
from ..values.tlp import COLOURS, label, marked
from .cache import MediaCache
from .files import MediaFile
from .images import MediaError
from .share import NO_FONTS, find_fonts, share_image, share_image_cached


def share_images(briefs: list[Brief], config: Config, cache: MediaCache, jobs: int
                 ) -> tuple[list[MediaFile], list[BuildError]]:
    """Each brief's share image at briefs/<slug>/share.png, drawn on up to `jobs` processes or taken from
    the cache (written only when `cache` writes); none, with a warning naming what to install, where no
    font can draw them."""
    if not config.share_images or not briefs:
        return [], []
    if not drawable(config):
        return [], [BuildError("site.yml", 0, 0, f"share_images: {NO_FONTS}; pages have no share image",
                               warning=True)]
    cards = [_card(brief, config) for brief in briefs]
    drawn = spread(_draw, cache.folder / "share" if cache.writes else None, cards, jobs, least=CARDS_IN_PARALLEL)
    return [MediaFile(brief.path, urls.share_image(brief), data) for brief, data in zip(briefs, drawn, strict=True)], []


CARDS_IN_PARALLEL = 40  # share images (15 ms each) from which the process pool pays for itself


def drawable(config: Config) -> bool:
    """Whether this build draws share images: they are on, and fonts are there to draw them with."""
    try:
        return config.share_images and bool(find_fonts())
    except MediaError:
        return False


def _card(brief: Brief, config: Config) -> tuple:
    """What a brief's share image shows: title, dateline, date, the site's name and (above clear) its marking."""
    day = brief.filed
    marking = (label(brief.audience), COLOURS[brief.audience]) if marked(config.audience) else None
    return (brief.title, brief.location or "", f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}", config.title,
            marking)


def _draw(folder: Path | None, cards: list[tuple]) -> list[bytes]:
    return [share_image_cached(folder, *card) if folder else share_image(*card) for card in cards]
