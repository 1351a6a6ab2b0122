"""A brief's share image: 1200×630 PNG with the site's name, the title, dateline, date and audience marking.

Each character is drawn from the first font on this machine that has a glyph for it, trying its
script's fonts first: Han, kana and Hangul from a CJK font, Thai from a Thai font, everything else
from the main font, which is Noto Sans CJK where it is installed (one look for Latin and Chinese),
and Pillow's built-in font (Aileron, ASCII and a little punctuation) where nothing else is. Runs are
shaped by Raqm when Pillow has it (Thai vowels and tone marks need shaping). Fonts are found (fonts.py) by
file name under the system's font folders (Debian's packages, macOS's and Windows's own fonts)
and through fontconfig when it is installed. A card with a character no font has is not drawn:
the build names it, and the Debian package that brings a font for it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import struct
import unicodedata
import zlib
from pathlib import Path

import PIL
from PIL import Image, ImageColor, ImageDraw, ImageFont
from zlib_ng import zlib_ng

from .fonts import BUILT_IN, LAYOUT, Face, face_runs, faces_in, find_fonts, is_mark, is_wide, load_font, missing_glyphs

SIZE = (1200, 630)
MARGIN = 80
PAPER, INK, MUTED, ACCENT = "#f6f4ef", "#111418", "#5b6169", "#b3141b"
RULE, BLACK = "#d5d1c8", "#000000"
SOLIDS = (PAPER, RULE, BLACK)  # the palette's first colours; then the shades of each pair
# Each text's colour over what is behind it; the marking's colour (None), one per site, comes last.
PAIRS = ((PAPER, INK), (PAPER, MUTED), (PAPER, ACCENT), (BLACK, None))

# A card is drawn in a palette of a few colours, each text's colour in LEVELS shades over what is
# behind it, so the PNG holds one byte a pixel instead of three: it encodes about four times faster and
# is a third of the size. The title and the foot are drawn into boxes where only the paper is behind
# them; the rest of the card (the site's name, the marking) is the same for every brief and drawn once.
LEVELS = 64  # shades of a text's colour, its edges included: more than the eye tells apart at this size
PNG_LEVEL = 2  # zlib-ng's second fastest: 0.6 ms and 22 KB a card (the system zlib's fastest: 1.8 ms and 27 KB)
TITLE_BOX = (0, 132, SIZE[0], 516)  # from below the site's name and the marking to above the rule
FOOT_BOX = (0, 524, SIZE[0], SIZE[1])
SHARE_VERSION = 5


def _runs(text: str, weight: str, size: int) -> list[tuple[str, ImageFont.FreeTypeFont, float]]:
    """`text` cut into runs of one face, each with its font and the width of the stroke that makes Pillow's
    built-in font (which has one weight) bold; a character no face has is drawn by the main face, as its
    .notdef box (a build draws no card with one)."""
    main = find_fonts().faces[weight, "main"][0]
    return [(run, load_font(face or main, size), size / 64 if weight == "bold" and (face or main) == BUILT_IN else 0)
            for run, face in face_runs(text, weight)]


def _drawn(kind: str) -> dict:
    """What was drawn or measured of `kind` with this machine's faces (a test that fakes them gets its own)."""
    return find_fonts().drawn.setdefault(kind, {})


def _width(text: str, weight: str, size: int) -> float:
    widths, key = _drawn("width"), (text, weight, size)
    if key not in widths:  # words recur from card to card
        if len(widths) >= WIDTHS:  # a line cut short is measured at each length: bounded like the pieces
            widths.clear()
        widths[key] = sum(font.getlength(run) for run, font, _ in _runs(text, weight, size))
    return widths[key]


WIDTHS = 65536  # widths kept measured: a few MB


def _draw(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, weight: str, size: int) -> None:
    """`text` as coverage (0-255) on an "L" layer, its baseline at `xy`, one baseline across fonts."""
    x, baseline = xy
    for run, font, stroke in _runs(text, weight, size):
        draw.text((x, baseline), run, font=font, fill=255, anchor="ls", stroke_width=stroke, stroke_fill=255)
        x += font.getlength(run)


@functools.lru_cache(maxsize=256)
def _pieces(text: str) -> tuple[str, ...]:
    """Where a line may break: after a space, and between CJK characters (which use no spaces)."""
    pieces: list[str] = []
    for char in text:
        breaks = pieces and (pieces[-1].endswith(" ") or is_wide(char) or is_wide(pieces[-1][-1]))
        if pieces and (is_mark(char) or char == " " or _closes(char) or not breaks):
            pieces[-1] += char
        else:
            pieces.append(char)
    return tuple(pieces)


def _clusters(piece: str) -> list[str]:
    """A piece too long for a line cut between letters: never before a mark, nor after a Thai leading vowel."""
    clusters: list[str] = []
    for char in piece:
        if clusters and (is_mark(char) or "\u0e40" <= clusters[-1][-1] <= "\u0e44"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _closes(char: str) -> bool:
    # A comma, full stop or closing bracket may not start a line (CJK's kinsoku rule).
    return unicodedata.category(char) in ("Po", "Pe", "Pf")


def wrap(text: str, weight: str, size: int, width: float, lines: int) -> list[str]:
    """`text` in at most `lines` lines no wider than `width`; the last cut short with "…" when it does not fit."""
    result = [""]
    pieces = _pieces(" ".join(text.split()))
    # Thai writes no spaces between words: a phrase wider than a line is cut between letters.
    pieces = [part for piece in pieces
              for part in (_clusters(piece) if _width(piece, weight, size) > width else [piece])]
    used = 0.0  # the width of the line so far: its pieces' widths summed (words recur from card to card)
    for piece in pieces:
        wide = _width(piece, weight, size)
        if used + wide <= width or not result[-1]:
            result[-1] += piece
            used += wide
        elif len(result) < lines:
            result.append(piece.lstrip())
            used = _width(result[-1], weight, size)
        else:
            return [line.rstrip() for line in result[:-1]] + [_ellipsis(result[-1], weight, size, width)]
    return [line.rstrip() for line in result]


def _ellipsis(line: str, weight: str, size: int, width: float) -> str:
    while " " in line.strip() and _width(line.rstrip() + "…", weight, size) > width:  # a whole word first
        line = line.rstrip().rsplit(" ", 1)[0]
    while line and _width(line.rstrip() + "…", weight, size) > width:
        line = line[:-1]
        while line and is_mark(line[-1]):  # never leave a mark without its letter
            line = line[:-1]
    return line.rstrip() + "…"


def share_image(title: str, dateline: str, date_label: str, site_name: str,
                marking: tuple[str, str] | None = None) -> bytes:
    """The share image of a brief as PNG bytes; `marking` is a label and its colour, e.g. ("TLP:AMBER", "#FFC000")."""
    card = _background(site_name, marking).copy()
    size, lines = _title_size(title)
    _paste(card, TITLE_BOX, INK, [(line, "bold", size, 230 + row * size * 1.25) for row, line in enumerate(lines)])
    foot = " · ".join(part for part in (dateline, date_label) if part)
    _paste(card, FOOT_BOX, MUTED, [(wrap(foot, "regular", 30, SIZE[0] - 2 * MARGIN, 1)[0], "regular", 30, 572)])
    return png(card)


def png(card: Image.Image) -> bytes:
    """A palette image as PNG, its rows unfiltered (as for any palette image) and deflated by zlib-ng: Pillow's
    own writer is bound to the system's zlib, which took two thirds of a card's time (1.8 ms at its fastest)."""
    assert card.mode == "P" and "transparency" not in card.info
    width, height = card.size
    pixels = card.tobytes()
    rows = b"".join(b"\0" + pixels[at:at + width] for at in range(0, width * height, width))  # filter 0: None
    return b"".join((b"\x89PNG\r\n\x1a\n",
                     _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),  # 8 bits, palette
                     _chunk(b"PLTE", bytes(card.getpalette("RGB"))),
                     _chunk(b"IDAT", zlib_ng.compress(rows, PNG_LEVEL)),
                     _chunk(b"IEND", b"")))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _paste(card: Image.Image, box: tuple[int, int, int, int], colour: str, texts: list[tuple]) -> None:
    """`texts` (text, weight, size, baseline) drawn in `colour` on the paper in `box` of `card`."""
    layer = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    for text, weight, size, baseline in texts:
        x = MARGIN - box[0]
        for piece in _pieces(text):  # each piece drawn once a process: words recur from card to card
            image, left, top = _piece(piece, weight, size)
            corner = (round(x) + left, round(baseline) - box[1] + top)
            layer.paste(255, (*corner, corner[0] + image.width, corner[1] + image.height), image)
            x += _width(piece, weight, size)
    ink = layer.getbbox()
    if ink:  # only the part with ink is looked up: the rest of the box is paper already
        card.paste(layer.crop(ink).point(_shades(PAPER, colour)), (box[0] + ink[0], box[1] + ink[1]))


def _piece(text: str, weight: str, size: int) -> tuple[Image.Image, int, int]:
    """`text` drawn as coverage, cropped to its ink, and where its corner is from its start on the baseline."""
    pieces, key = _drawn("piece"), (text, weight, size)
    if key not in pieces:
        if len(pieces) >= PIECES:  # a bound on the memory they take; any piece drawn again is the same
            pieces.clear()
        pad = size  # room for what reaches out of the advance: accents, Thai marks, descenders
        layer = Image.new("L", (int(_width(text, weight, size)) + 2 * pad, 3 * pad), 0)
        _draw(ImageDraw.Draw(layer), (pad, 2 * pad), text, weight, size)
        ink = layer.getbbox() or (0, 0, 1, 1)
        pieces[key] = layer.crop(ink), ink[0] - pad, ink[1] - 2 * pad
    return pieces[key]


PIECES = 2048  # pieces kept drawn: about 20 MB of a title's words


def _background(site_name: str, marking: tuple[str, str] | None) -> Image.Image:
    """What every card of a site shows: the paper, the top bar, the site's name, the marking and the rule."""
    backgrounds = _drawn("background")
    if (site_name, marking) not in backgrounds:
        backgrounds[site_name, marking] = _draw_background(site_name, marking)
    return backgrounds[site_name, marking]


def _draw_background(site_name: str, marking: tuple[str, str] | None) -> Image.Image:
    card = Image.new("P", SIZE, _index(PAPER))
    card.putpalette(_palette(marking[1] if marking else None))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, SIZE[0], 14), fill=_index(ACCENT))
    room = SIZE[0] - 2 * MARGIN - (_chip(card, *marking) + 40 if marking else 0)
    name = wrap(site_name.upper(), "bold", 30, room, 1)[0]
    _paste(card, (0, 15, MARGIN + int(room) + 1, 132), ACCENT, [(name, "bold", 30, 112)])
    draw.line((MARGIN, 520, SIZE[0] - MARGIN, 520), fill=_index(RULE), width=2)
    return card


def _chip(card: Image.Image, label: str, colour: str) -> float:
    """The marking at the top right; its width, which the site's name leaves free."""
    # TLP 2.0: the label in its colour on black, so CLEAR's white and AMBER's orange read on any page.
    label = wrap(label, "bold", 28, 600, 1)[0]
    width = _width(label, "bold", 28) + 36
    right = SIZE[0] - MARGIN
    box = (int(right - width), 74, right + 1, 127)
    chip = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    ImageDraw.Draw(chip).rounded_rectangle((right - width - box[0], 0, right - box[0], 52), radius=6, fill=255)
    text = Image.new("L", chip.size, 0)
    _draw(ImageDraw.Draw(text), (right - width + 18 - box[0], 111 - box[1]), label, "bold", 28)
    # Shades of the label's colour over black inside the chip, the paper outside its rounded corners.
    card.paste(text.point(_shades(BLACK, colour)), box[:2], chip)
    return width


def _palette(marking: str | None) -> list[int]:
    """The palette: the solid colours, then LEVELS - 1 shades of each pair: 3 + 4 × 63 = 255 colours."""
    colours = [ImageColor.getrgb(colour) for colour in SOLIDS]
    for back, fore in PAIRS:
        back_rgb, fore_rgb = ImageColor.getrgb(back), ImageColor.getrgb(fore or marking or BLACK)
        colours += [tuple(round(b + (f - b) * k / (LEVELS - 1)) for b, f in zip(back_rgb, fore_rgb, strict=True))
                    for k in range(1, LEVELS)]
    return [channel for colour in colours for channel in colour[:3]]


def _index(colour: str) -> int:
    """A solid colour's index in the palette (the accent's: its strongest shade over the paper)."""
    return SOLIDS.index(colour) if colour in SOLIDS else _ramp(PAPER, colour) + LEVELS - 2


def _ramp(back: str, fore: str) -> int:
    """The index of the lightest shade of `fore` over `back`; any colour over black is the marking's."""
    pair = next(i for i, (b, f) in enumerate(PAIRS) if b == back and (f == fore or f is None))
    return len(SOLIDS) + pair * (LEVELS - 1)


@functools.cache
def _shades(back: str, fore: str) -> tuple[int, ...]:
    """The lookup table from a text's coverage (0-255) to the palette: none is `back` itself."""
    first = _ramp(back, fore)
    shade = [round(a * (LEVELS - 1) / 255) for a in range(256)]
    return tuple(first + k - 1 if k else SOLIDS.index(back) for k in shade)


def _title_size(title: str) -> tuple[int, list[str]]:
    """The largest of a few sizes at which the title fits in its lines, else the smallest, cut with "…"."""
    for size, lines in ((68, 3), (58, 3), (50, 4)):
        wrapped = wrap(title, "bold", size, SIZE[0] - 2 * MARGIN, lines + 1)
        if len(wrapped) <= lines:
            return size, wrapped
    return 50, wrap(title, "bold", 50, SIZE[0] - 2 * MARGIN, 4)


def _texts(title: str, dateline: str, date_label: str, site_name: str,
           marking: tuple[str, str] | None) -> list[tuple[str, str]]:
    """What a card draws, each with its weight, and "…" where a line is cut short."""
    foot = " · ".join(part for part in (dateline, date_label) if part)
    texts = [(site_name.upper(), "bold"), (title, "bold"), (foot, "regular")]
    texts += [(marking[0], "bold")] if marking else []
    return [(text + "…", weight) for text, weight in texts]


def card_missing(title: str, dateline: str, date_label: str, site_name: str,
                 marking: tuple[str, str] | None = None) -> str:
    """The characters of a card no font here has, each once: where there are any, the card is not drawn."""
    card, cards = (title, dateline, date_label, site_name, marking), find_fonts().cards
    if card not in cards:
        texts = _texts(*card)
        cards[card] = "".join(dict.fromkeys(char for text, weight in texts for char in missing_glyphs(text, weight)))
    return cards[card]


def share_key(title: str, dateline: str, date_label: str, site_name: str, marking: tuple[str, str] | None) -> str:
    """The cache key of a share image: everything drawn, the faces drawn with, and the drawing code's version."""
    texts = _texts(title, dateline, date_label, site_name, marking)
    faces = sorted(set().union(*(faces_in(text, weight) for text, weight in texts)), key=str)
    inputs = (SHARE_VERSION, PIL.__version__, zlib_ng.ZLIBNG_VERSION, str(LAYOUT),
              [_identity(face) for face in faces], title, dateline, date_label, site_name, marking)
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


@functools.cache
def _identity(face: Face) -> tuple:
    """A face and the version of its file: a font updated in place is another."""
    if face.path is None:
        return (str(face),)  # Pillow's, whose version the key has
    try:
        stat = face.path.stat()
    except OSError:
        return (str(face),)
    return str(face), stat.st_size, stat.st_mtime_ns


def kept_card(folder: Path, key: str) -> Path | None:
    """The file of the card remembered under `key` if it begins and ends as a whole PNG does, without reading
    the rest: a build publishes every card, and rewrites only those that changed."""
    path = folder / f"{key}.png"
    try:
        with open(path, "rb") as file:
            head = file.read(len(_PNG_HEAD))
            file.seek(-len(_PNG_END), os.SEEK_END)
            return path if whole(head + file.read()) else None
    except OSError:  # none, or shorter than both
        return None


def whole(data: bytes) -> bool:
    """Whether `data` begins and ends as a whole PNG does."""
    return data.startswith(_PNG_HEAD) and data.endswith(_PNG_END)


_PNG_HEAD, _PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"


def keep_card(folder: Path, key: str, data: bytes) -> Path | None:
    """Remember a card under `key`: its file, or None where the cache cannot be written (the next build is
    slower, never wrong)."""
    path = folder / f"{key}.png"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        return None
    return path
