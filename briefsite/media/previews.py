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
from .fonts import not_drawn
from .share import card_missing, share_image, share_image_cached


def share_images(briefs: list[Brief], config: Config, cache: MediaCache, jobs: int
                 ) -> tuple[list[MediaFile], list[BuildError]]:
    """Each brief's share image at briefs/<slug>/share.png, drawn on up to `jobs` processes or taken from
    the cache (written only when `cache` writes); none for a brief with a character no font here has,
    and one warning naming those briefs and what to install."""
    if not config.share_images or not briefs:
        return [], []
    cards = [_card(brief, config) for brief in briefs]
    missing = {brief.path: card_missing(*card) for brief, card in zip(briefs, cards, strict=True)}
    shown = [(brief, card) for brief, card in zip(briefs, cards, strict=True) if not missing[brief.path]]
    folder = cache.folder / "share" if cache.writes else None
    drawn = spread(_draw, folder, [card for _, card in shown], jobs, least=CARDS_IN_PARALLEL)
    files = [MediaFile(brief.path, urls.share_image(brief), data)
             for (brief, _), data in zip(shown, drawn, strict=True)]
    lacking = {path: chars for path, chars in missing.items() if chars}
    return files, [BuildError("site.yml", 0, 0, f"share_images: {not_drawn(lacking)}", warning=True)] if lacking else []


CARDS_IN_PARALLEL = 40  # share images (about 4 ms each) from which a forked pool pays for itself


def drawable(config: Config) -> bool:
    """Whether this build draws share images (Pillow's own font draws them where the machine has none);
    `drawn` says for which briefs."""
    return config.share_images


def drawn(brief: Brief, config: Config) -> bool:
    """Whether the brief's page has a share image: they are on, and a font here has each character of its card."""
    return config.share_images and not card_missing(*_card(brief, config))


def _card(brief: Brief, config: Config) -> tuple:
    """What a brief's share image shows: title, dateline, date, the site's name and (above clear) its marking."""
    day = brief.filed
    marking = (label(brief.audience), COLOURS[brief.audience]) if marked(config.audience) else None
    return (brief.title, brief.location or "", f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}", config.title,
            marking)


def _draw(folder: Path | None, cards: list[tuple]) -> list[bytes]:
    return [share_image_cached(folder, *card) if folder else share_image(*card) for card in cards]
