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
import io
import os
import unicodedata
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

from .fonts import BUILT_IN, LAYOUT, Face, face_runs, find_fonts, is_mark, is_wide, load_font, missing_glyphs

SIZE = (1200, 630)
MARGIN = 80
PAPER, INK, MUTED, ACCENT = "#f6f4ef", "#111418", "#5b6169", "#b3141b"
SHARE_VERSION = 3


def _runs(text: str, weight: str, size: int) -> list[tuple[str, ImageFont.FreeTypeFont, float]]:
    """`text` cut into runs of one face, each with its font and the width of the stroke that makes Pillow's
    built-in font (which has one weight) bold; a character no face has is drawn by the main face, as its
    .notdef box (a build draws no card with one)."""
    main = find_fonts().faces[weight, "main"][0]
    return [(run, load_font(face or main, size), size / 64 if weight == "bold" and (face or main) == BUILT_IN else 0)
            for run, face in face_runs(text, weight)]


def _width(text: str, weight: str, size: int) -> float:
    return sum(font.getlength(run) for run, font, _ in _runs(text, weight, size))


def _draw(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, weight: str, size: int, fill: str) -> None:
    x, baseline = xy
    for run, font, stroke in _runs(text, weight, size):
        # One baseline across fonts.
        draw.text((x, baseline), run, font=font, fill=fill, anchor="ls", stroke_width=stroke, stroke_fill=fill)
        x += font.getlength(run)


def _pieces(text: str) -> list[str]:
    """Where a line may break: after a space, and between CJK characters (which use no spaces)."""
    pieces: list[str] = []
    for char in text:
        breaks = pieces and (pieces[-1].endswith(" ") or is_wide(char) or is_wide(pieces[-1][-1]))
        if pieces and (is_mark(char) or char == " " or _closes(char) or not breaks):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


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
    for piece in pieces:
        if _width(result[-1] + piece, weight, size) <= width or not result[-1]:
            result[-1] += piece
        elif len(result) < lines:
            result.append(piece.lstrip())
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
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 14), fill=ACCENT)
    room = SIZE[0] - 2 * MARGIN - (_chip(draw, *marking) + 40 if marking else 0)
    _draw(draw, (MARGIN, 112), wrap(site_name.upper(), "bold", 30, room, 1)[0], "bold", 30, ACCENT)
    size, lines = _title_size(title)
    for number, line in enumerate(lines):
        _draw(draw, (MARGIN, 230 + number * size * 1.25), line, "bold", size, INK)
    draw.line((MARGIN, 520, SIZE[0] - MARGIN, 520), fill="#d5d1c8", width=2)
    foot = " · ".join(part for part in (dateline, date_label) if part)
    _draw(draw, (MARGIN, 572), wrap(foot, "regular", 30, SIZE[0] - 2 * MARGIN, 1)[0], "regular", 30, MUTED)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")  # optimize=True: 4% smaller, four times slower
    return buffer.getvalue()


def _title_size(title: str) -> tuple[int, list[str]]:
    """The largest of a few sizes at which the title fits in its lines, else the smallest, cut with "…"."""
    for size, lines in ((68, 3), (58, 3), (50, 4)):
        wrapped = wrap(title, "bold", size, SIZE[0] - 2 * MARGIN, lines + 1)
        if len(wrapped) <= lines:
            return size, wrapped
    return 50, wrap(title, "bold", 50, SIZE[0] - 2 * MARGIN, 4)


def _chip(draw: ImageDraw.ImageDraw, label: str, colour: str) -> float:
    """The marking at the top right; its width, which the site's name leaves free."""
    # TLP 2.0: the label in its colour on black, so CLEAR's white and AMBER's orange read on any page.
    label = wrap(label, "bold", 28, 600, 1)[0]
    width = _width(label, "bold", 28) + 36
    right = SIZE[0] - MARGIN
    draw.rounded_rectangle((right - width, 74, right, 126), radius=6, fill="#000000")
    _draw(draw, (right - width + 18, 111), label, "bold", 28, colour)
    return width


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
    faces = sorted({face for text, weight in texts for _, face in face_runs(text, weight) if face}, key=str)
    inputs = (SHARE_VERSION, PIL.__version__, str(LAYOUT), [_identity(face) for face in faces], title, dateline,
              date_label, site_name, marking)
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


def share_image_cached(folder: Path, title: str, dateline: str, date_label: str, site_name: str,
                       marking: tuple[str, str] | None = None) -> bytes:
    """share_image, remembered as `<key>.png` under `folder` (e.g. .briefsite-cache/media/share)."""
    path = folder / f"{share_key(title, dateline, date_label, site_name, marking)}.png"
    try:
        data = path.read_bytes()
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82"):  # whole, not cut short
            return data
    except OSError:
        pass
    data = share_image(title, dateline, date_label, site_name, marking)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:  # an unwritable cache makes the next build slower, never wrong
        pass
    return data
