"""Share images: the card a link preview shows for each brief (title, dateline, date, site, marking)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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
from .share import card_missing, keep_card, kept_card, share_image, share_key, whole


def share_images(briefs: list[Brief], config: Config, cache: MediaCache, jobs: int
                 ) -> tuple[list[MediaFile | KeptCard], list[BuildError]]:
    """Each brief's share image at briefs/<slug>/share.png, taken from the cache or drawn (on up to `jobs`
    processes, and then kept when `cache` writes); none for a brief with a character no font here has,
    and one warning naming those briefs and what to install."""
    if not config.share_images or not briefs:
        return [], []
    cards = [_card(brief, config) for brief in briefs]
    missing = {brief.path: card_missing(*card) for brief, card in zip(briefs, cards, strict=True)}
    shown = [(brief, card) for brief, card in zip(briefs, cards, strict=True) if not missing[brief.path]]
    folder = cache.folder / "share" if cache.writes else None
    keys = [share_key(*card) for _, card in shown] if folder else [None] * len(shown)
    kept = [folder and kept_card(folder, key) for key in keys]
    # Only the cards not kept go to the pool: a build that changed one brief starts none.
    drawn = iter(spread(_draw, None, [card for (_, card), path in zip(shown, kept, strict=True) if not path],
                        jobs, least=CARDS_IN_PARALLEL))
    files = []
    for (brief, card), key, path in zip(shown, keys, kept, strict=True):
        if not path:
            data = next(drawn)
            path = folder and keep_card(folder, key, data)
            if not path:  # no cache, or one that cannot be written: the card is held until written
                files.append(MediaFile(brief.path, urls.share_image(brief), data))
                continue
        files.append(KeptCard(brief.path, urls.share_image(brief), path, key, card))
    lacking = {path: chars for path, chars in missing.items() if chars}
    return files, [BuildError("site.yml", 0, 0, f"share_images: {not_drawn(lacking)}", warning=True)] if lacking else []


@dataclass(frozen=True)
class KeptCard:
    """A share image in the cache, read only when it is written: an edit publishes every card and writes the
    one that changed, so the others are never read, and no build holds every card's bytes at once."""

    name: str  # the brief's path under briefings/
    url: str  # site-relative
    file: Path
    key: str  # share_key(): everything its bytes follow from
    card: tuple  # what it shows: drawn again if the file is damaged by the time it is written

    @property
    def path(self) -> str:
        return self.url

    @property
    def mark(self) -> bytes:
        return hashlib.blake2b(self.key.encode(), digest_size=16).digest()

    @property
    def data(self) -> bytes:
        try:
            data = self.file.read_bytes()
        except OSError:
            data = b""
        return data if whole(data) else share_image(*self.card)


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


def _draw(_, cards: list[tuple]) -> list[bytes]:
    return [share_image(*card) for card in cards]
