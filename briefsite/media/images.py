"""One image in, what is published for it out: its facts, a clean original and smaller renditions.

Published files carry no metadata (EXIF with GPS, XMP, comments, text chunks) but
keep the colour profile; EXIF orientation is applied first. Same bytes in, same
bytes out, so the cache and a rebuild agree.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError, features

from . import svg

# Bumped when what is published for the same bytes changes: every cached image is made again.
PIPELINE_VERSION = 1
WIDTHS = (480, 960, 1600)
# 40 megapixels is more than any camera a desk uses; above it a small file is a decompression bomb.
MAX_PIXELS = 40_000_000
HAS_AVIF = features.check("avif")

# Pillow's name -> (suffix, mime) of the formats read and published.
FORMATS = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png"), "GIF": (".gif", "image/gif"),
           "WEBP": (".webp", "image/webp")}
if HAS_AVIF:
    FORMATS["AVIF"] = (".avif", "image/avif")
MODERN = (("AVIF", ".avif", "image/avif"),) * HAS_AVIF + (("WEBP", ".webp", "image/webp"),)
QUALITY = {"JPEG": 85, "WEBP": 80, "AVIF": 60}


class MediaError(Exception):
    """An image that cannot be published; the message is fit to show the author."""


@dataclass(frozen=True)
class Facts:
    """What an image is: its size in pixels, its format (Pillow's name, or "SVG") and whether it moves."""

    width: int
    height: int
    format: str
    animated: bool = False


@dataclass(frozen=True)
class Rendition:
    """One published file: `suffix` names it after the image's own name ("", "-480w.webp")."""

    suffix: str
    width: int
    height: int
    mime: str
    data: bytes


@dataclass(frozen=True)
class Published:
    """Everything published for one image: the original (first) and its renditions, narrowest first."""

    facts: Facts
    original: Rendition
    renditions: tuple[Rendition, ...] = ()

    @property
    def files(self) -> tuple[Rendition, ...]:
        return (self.original, *self.renditions)


def read_facts(data: bytes) -> Facts:
    """The facts of an image from its bytes; MediaError for anything that is not an image we publish."""
    if svg.looks_like_svg(data):
        return _svg(data)[0]
    with _opened(data) as image:
        return Facts(image.width, image.height, image.format, getattr(image, "n_frames", 1) > 1)


def publish(data: bytes) -> Published:
    """What is published for an image: its original without metadata and its renditions in modern formats."""
    if svg.looks_like_svg(data):
        facts, clean = _svg(data)
        return Published(facts, Rendition(".svg", facts.width, facts.height, svg.MIME, clean))
    with _opened(data) as image:
        facts = Facts(image.width, image.height, image.format, getattr(image, "n_frames", 1) > 1)
        if facts.animated:  # frames resized one by one lose their timing and palette; kept as drawn
            return Published(facts, _rendition(_clean_animation(image, facts.format), image.size, facts.format))
        upright, icc = ImageOps.exif_transpose(image), image.info.get("icc_profile")
        if upright.mode == "CMYK":  # a CMYK profile does not describe the RGB pixels published
            upright, icc = upright.convert("RGB"), None
        facts = Facts(upright.width, upright.height, facts.format)
        renditions = tuple(_renditions(upright, icc))  # first: encoding the original forgets its transparency
        original = _rendition(_encode(upright, facts.format, icc), upright.size, facts.format)
        return Published(facts, original, renditions)


def rendition_widths(width: int) -> tuple[int, ...]:
    """The widths made of an image `width` pixels wide: never wider than it, its own width up to the widest."""
    return tuple(w for w in WIDTHS if w < width) + ((width,) if width <= WIDTHS[-1] else ())


def _renditions(image: Image.Image, icc: bytes | None):
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")  # a palette would be resized without filtering
    for width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        smaller = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for name, suffix, mime in MODERN:
            yield Rendition(f"-{width}w{suffix}", width, height, mime, _encode(smaller, name, icc))


def _encode(image: Image.Image, name: str, icc: bytes | None) -> bytes:
    image.info = {}  # nothing read from the file (EXIF, XMP, comments, text) is written again
    if name == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    options = {"quality": QUALITY[name]} if name in QUALITY else {}
    if icc:
        options["icc_profile"] = icc
    buffer = io.BytesIO()
    image.save(buffer, name, **options)
    return buffer.getvalue()


def _clean_animation(image: Image.Image, name: str) -> bytes:
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        frames.append(frame.convert("RGBA"))
    for frame in frames:
        frame.info = {}
    buffer = io.BytesIO()
    frames[0].save(buffer, name, save_all=True, append_images=frames[1:], duration=durations,
                   loop=image.info.get("loop", 0), disposal=2, **({"lossless": True} if name == "WEBP" else {}))
    return buffer.getvalue()


def _rendition(data: bytes, size: tuple[int, int], name: str) -> Rendition:
    return Rendition(FORMATS[name][0], size[0], size[1], FORMATS[name][1], data)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


class _opened:
    """An image opened from bytes and checked: a known format, a sane size, every byte decodable."""

    def __init__(self, data: bytes):
        self.data = data

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(io.BytesIO(self.data))
        except UnidentifiedImageError:
            raise MediaError("not an image: JPEG, PNG, GIF, WebP, AVIF and SVG can be published") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise MediaError(_too_large()) from None
        if self.image.format not in FORMATS:
            kind = self.image.format
            self.image.close()
            raise MediaError(f"{kind} images are not published: convert it to JPEG, PNG or WebP") from None
        if self.image.width * self.image.height > MAX_PIXELS:
            self.image.close()
            raise MediaError(_too_large())
        _loaded(self.image)
        return self.image

    def __exit__(self, *exc) -> None:
        self.image.close()


def _too_large() -> str:
    return f"the image has more than the {MAX_PIXELS // 1_000_000} million pixels allowed: make it smaller"


def _loaded(image: Image.Image) -> Image.Image:
    try:
        for frame in ImageSequence.Iterator(image):
            frame.load()
        image.seek(0)
    except (OSError, SyntaxError, ValueError, EOFError):
        raise MediaError("the image is damaged or cut short: export it again") from None
    return image


def _svg(data: bytes) -> tuple[Facts, bytes]:
    """An SVG's facts and the bytes published for it; MediaError for one that could run script or reach out."""
    try:
        width, height, clean = svg.checked(data)
    except svg.SvgRefused as exc:
        raise MediaError(str(exc)) from None
    return Facts(width, height, "SVG"), clean
