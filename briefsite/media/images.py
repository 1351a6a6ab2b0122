"""One image in, what is published for it out: its facts, a clean original and smaller renditions.

Published files carry no metadata (EXIF with GPS, XMP, comments, text chunks) but
keep the colour profile; EXIF orientation is applied first. Same bytes in, same
bytes out, so the cache and a rebuild agree.
"""

from __future__ import annotations

import io
import struct
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError, features

from . import svg

# Bumped when what is published for the same bytes changes: every cached image is made again.
PIPELINE_VERSION = 2
WIDTHS = (480, 960, 1600)
# 40 megapixels is more than any camera a desk uses; above it a small file is a decompression bomb.
MAX_PIXELS = 40_000_000
# Frames × pixels of an animation: its frames are decoded and encoded again, each up to 4 bytes a pixel,
# so 10,000 small frames need gigabytes. 100 million is a 480×270 clip of 770 frames.
MAX_ANIMATION_PIXELS = 100_000_000
HAS_AVIF = features.check("avif")

# Pillow's name -> (suffix, mime) of the formats read and published.
FORMATS = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png"), "GIF": (".gif", "image/gif"),
           "WEBP": (".webp", "image/webp")}
if HAS_AVIF:
    FORMATS["AVIF"] = (".avif", "image/avif")
MODERN = (("AVIF", ".avif", "image/avif"),) * HAS_AVIF + (("WEBP", ".webp", "image/webp"),)
QUALITY = {"JPEG": 85, "WEBP": 80, "AVIF": 60}
# The longest side each modern format encodes: a full-page screenshot is taller than WebP allows.
MAX_SIDE = {"WEBP": 16383, "AVIF": 65536}

# What a file's first bytes say it is, whatever its name: the formats cameras, phones, scanners and
# editors write, each of which can hold where and with what a picture was taken.
_SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG", b"GIF87a": "GIF", b"GIF89a": "GIF",
               b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"II+\x00": "TIFF", b"MM\x00+": "TIFF", b"8BPS": "PSD",
               b"\x00\x00\x00\x0cjP  \r\n\x87\n": "JPEG2000", b"\xffO\xffQ": "JPEG2000",
               b"\x00\x00\x00\x0cJXL \r\n\x87\n": "JPEG XL", b"\xff\n": "JPEG XL"}
# Brands of an ISO media file (`ftyp`) that hold a still image: AVIF, HEIF (an iPhone's HEIC), Canon's raw CR3.
_BRANDS = {b"avif": "AVIF", b"avis": "AVIF", b"heic": "HEIF", b"heix": "HEIF", b"heim": "HEIF", b"heis": "HEIF",
           b"hevc": "HEIF", b"hevx": "HEIF", b"mif1": "HEIF", b"msf1": "HEIF", b"crx ": "CR3"}

DAMAGED = "the image is damaged or cut short: export it again"
NOT_AN_IMAGE = "not an image: JPEG, PNG, GIF, WebP, AVIF and SVG can be published"
# What Pillow raises on a damaged file while opening, decoding, turning or encoding it: its readers have no
# common error type (a cut-short PNG raises OSError, a bad GIF IndexError, a bad EXIF block struct.error).
_PILLOW_FAILURES = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error,
                    RuntimeError, ZeroDivisionError, OverflowError)


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
    with _pillow_failures(), _opened(data) as image:
        return _facts(image)


def publish(data: bytes) -> Published:
    """What is published for an image: its original without metadata and its renditions in modern formats."""
    if svg.looks_like_svg(data):
        facts, clean = _svg(data)
        return Published(facts, Rendition(".svg", facts.width, facts.height, svg.MIME, clean))
    with _pillow_failures(), _opened(data) as image:
        return _published(image, _facts(image))


def is_image(data: bytes) -> bool:
    """Whether `data` is a raster image by its contents, whatever its file is named: a file linked or
    attached that is one is published as an image (stripped) or refused, never as it is."""
    if signature(data):
        return True
    try:  # BMP's two-letter signature starts plain text too ("BMW"): only a header Pillow reads makes one
        with Image.open(io.BytesIO(data), formats=("BMP",)):
            return True
    except (UnidentifiedImageError, *_PILLOW_FAILURES):
        return False


def signature(data: bytes) -> str | None:
    """The image format a file's first bytes name (Pillow's name where it has one), or None."""
    for start, name in _SIGNATURES.items():
        if data.startswith(start):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        size = int.from_bytes(data[:4], "big")
        brands = [data[8:12]] + [data[at:at + 4] for at in range(16, min(size, 64), 4)]
        return next((_BRANDS[brand] for brand in brands if brand in _BRANDS), None)
    return None


def _facts(image: Image.Image) -> Facts:
    """An opened image's facts: a phone's JPEG holding a second picture (MPO) is its first, a JPEG."""
    if image.format == "MPO":
        return Facts(image.width, image.height, "JPEG")
    return Facts(image.width, image.height, image.format, getattr(image, "n_frames", 1) > 1)


def _published(image: Image.Image, facts: Facts) -> Published:
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
    made = {}
    for width in rendition_widths(image.width):
        for name, suffix, mime in MODERN:
            size = fitted(image.size, width, MAX_SIDE[name])
            if size is None or (name, size) in made:  # too narrow for its height, or made at a narrower width
                continue
            if size not in made:
                made[size] = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
            made[name, size] = True
            yield Rendition(f"-{size[0]}w{suffix}", *size, mime, _encode(made[size], name, icc))


def fitted(size: tuple[int, int], width: int, side: int) -> tuple[int, int] | None:
    """The size of a rendition `width` pixels wide, made narrower if needed so that no side is longer than
    `side`; None when even one pixel wide it would be too tall."""
    narrowest = min(width, side, size[0] * side // size[1])
    if narrowest < 1:
        return None
    return narrowest, max(1, min(side, round(size[1] * narrowest / size[0])))


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
    durations = [frame.info.get("duration", 100) for frame in ImageSequence.Iterator(image)]

    def frames():  # one at a time: a writer that keeps them keeps them in its own (smaller) form
        for frame in ImageSequence.Iterator(image):
            clean = frame.convert("RGBA")
            clean.info = {}  # nothing read from the file (comments, XMP, EXIF) is written again
            yield clean

    sequence = frames()
    first = next(sequence)
    buffer = io.BytesIO()
    first.save(buffer, name, save_all=True, append_images=sequence, duration=durations,
               loop=image.info.get("loop", 0), disposal=2, **({"lossless": True} if name == "WEBP" else {}))
    return buffer.getvalue()


def _rendition(data: bytes, size: tuple[int, int], name: str) -> Rendition:
    return Rendition(FORMATS[name][0], size[0], size[1], FORMATS[name][1], data)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


@contextmanager
def _pillow_failures():
    """Whatever Pillow raises on a damaged file becomes the one MediaError the author can act on (and its
    warnings about one, "malformed MPO", are not for the author)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    except _PILLOW_FAILURES:
        raise MediaError(DAMAGED) from None


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
            raise MediaError(_unidentified(self.data)) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise MediaError(_too_large()) from None
        try:
            _check(self.image)
            _loaded(self.image)
        except BaseException:
            self.image.close()
            raise
        return self.image

    def __exit__(self, *exc) -> None:
        self.image.close()


def _check(image: Image.Image) -> None:
    """MediaError for an image of a format not published, too many pixels, or an animation too long for them."""
    if image.format not in FORMATS and image.format != "MPO":
        raise MediaError(_not_published(image.format))
    if image.width * image.height > MAX_PIXELS:
        raise MediaError(_too_large())
    frames = 1 if image.format == "MPO" else getattr(image, "n_frames", 1)  # read from the headers, not decoded
    if frames * image.width * image.height > MAX_ANIMATION_PIXELS:
        raise MediaError(f"the animation has {frames:,} frames of {image.width}×{image.height} pixels, more than "
                         f"the {MAX_ANIMATION_PIXELS:,} pixels (frames × width × height) allowed: shorten it "
                         "or make it smaller")


def _unidentified(data: bytes) -> str:
    """Why bytes Pillow cannot open are not published: damaged if they start as an image Pillow reads."""
    kind = signature(data)
    if kind is None:
        return NOT_AN_IMAGE
    return DAMAGED if kind in Image.OPEN else _not_published(kind)


def _not_published(kind: str) -> str:
    return f"{kind} images are not published: convert it to JPEG, PNG or WebP"


def _too_large() -> str:
    return f"the image has more than the {MAX_PIXELS // 1_000_000} million pixels allowed: make it smaller"


def _loaded(image: Image.Image) -> Image.Image:
    """Every frame decoded once (the first only of an MPO, the one published), so a damaged one fails here."""
    if image.format == "MPO":
        image.load()
        return image
    for frame in ImageSequence.Iterator(image):
        frame.load()
    image.seek(0)
    return image


def _svg(data: bytes) -> tuple[Facts, bytes]:
    """An SVG's facts and the bytes published for it; MediaError for one that could run script or reach out."""
    try:
        width, height, clean = svg.checked(data)
    except svg.SvgRefused as exc:
        raise MediaError(str(exc)) from None
    return Facts(width, height, "SVG"), clean
