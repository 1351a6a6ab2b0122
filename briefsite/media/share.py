"""A brief's share image: 1200×630 PNG with the site's name, the title, dateline, date and audience marking.

Text is drawn from Noto Sans CJK (Latin and CJK) with a Thai font for runs of Thai,
shaped by Raqm when Pillow has it (Thai vowels and tone marks need shaping). The
fonts are the system's, from the Debian packages the project's setup installs.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from .images import MediaError

SIZE = (1200, 630)
MARGIN = 80
PAPER, INK, MUTED, ACCENT = "#f6f4ef", "#111418", "#5b6169", "#b3141b"
SHARE_VERSION = 2
FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
# File name -> face in a collection; the first found of each list is used.
MAIN_FONTS = {"bold": (("NotoSansCJK-Bold.ttc", 2), ("NotoSansCJKsc-Bold.otf", 0)),
              "regular": (("NotoSansCJK-Regular.ttc", 2), ("NotoSansCJKsc-Regular.otf", 0))}
THAI_FONTS = {"bold": (("NotoSansThai-Bold.ttf", 0), ("Loma-Bold.ttf", 0), ("Garuda-Bold.ttf", 0)),
              "regular": (("NotoSansThai-Regular.ttf", 0), ("Loma.ttf", 0), ("Garuda.ttf", 0))}
NO_FONTS = ("no font to draw share images with: install the Debian packages fonts-noto-cjk and fonts-thai-tlwg "
            "(as .ci/run does), or set share_images: false")
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC


@dataclass(frozen=True)
class Face:
    """A font file and the face in it."""

    path: Path
    index: int = 0


@functools.cache
def find_fonts() -> dict[str, tuple[Face, Face]]:
    """Weight -> (main face, Thai face), found under the system's font folders; MediaError naming what to install."""
    files = {}
    for folder in FONT_FOLDERS:
        if folder.is_dir():
            for path in sorted(folder.rglob("*.tt[fc]")) + sorted(folder.rglob("*.otf")):
                files.setdefault(path.name, path)
    chosen = {}
    for weight in ("bold", "regular"):
        main = next((Face(files[n], i) for n, i in MAIN_FONTS[weight] if n in files), None)
        thai = next((Face(files[n], i) for n, i in THAI_FONTS[weight] if n in files), None)
        if main is None or thai is None:
            raise MediaError(NO_FONTS)
        chosen[weight] = (main, thai)
    return chosen


@functools.cache
def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(face.path), size, index=face.index, layout_engine=LAYOUT)


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def _runs(text: str, weight: str, size: int) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """`text` cut into runs of one script, each with the font that has its glyphs; spaces join the run before."""
    main, thai = (_font(face, size) for face in find_fonts()[weight])
    runs: list[list] = []
    for char in text:
        font = thai if _is_thai(char) else main
        if runs and (runs[-1][1] is font or char == " " or _is_mark(char)):
            runs[-1][0] += char
        else:
            runs.append([char, font])
    return [(run, font) for run, font in runs]


def missing_glyphs(text: str, weight: str = "bold") -> str:
    """The characters of `text` the chosen fonts would draw as an empty box (.notdef): none, or a warning's worth."""
    missing = []
    for run, font in _runs(text, weight, 40):
        notdef = _glyph(font, "\U0010ffff")  # a non-character: no font has a glyph for it
        missing += [c for c in run if not c.isspace() and not _is_mark(c) and _glyph(font, c) == notdef]
    return "".join(dict.fromkeys(missing))


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    mask = font.getmask(char)
    return repr(mask.size).encode() + bytes(mask)


def _width(text: str, weight: str, size: int) -> float:
    return sum(font.getlength(run) for run, font in _runs(text, weight, size))


def _draw(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, weight: str, size: int, fill: str) -> None:
    x, baseline = xy
    for run, font in _runs(text, weight, size):
        draw.text((x, baseline), run, font=font, fill=fill, anchor="ls")  # one baseline across fonts
        x += font.getlength(run)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me")


def _pieces(text: str) -> list[str]:
    """Where a line may break: after a space, and between CJK characters (which use no spaces)."""
    pieces: list[str] = []
    for char in text:
        breaks = pieces and (pieces[-1].endswith(" ") or _is_wide(char) or _is_wide(pieces[-1][-1]))
        if pieces and (_is_mark(char) or char == " " or _closes(char) or not breaks):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def _clusters(piece: str) -> list[str]:
    """A piece too long for a line cut between letters: never before a mark, nor after a Thai leading vowel."""
    clusters: list[str] = []
    for char in piece:
        if clusters and (_is_mark(char) or "\u0e40" <= clusters[-1][-1] <= "\u0e44"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _closes(char: str) -> bool:
    # A comma, full stop or closing bracket may not start a line (CJK's kinsoku rule).
    return unicodedata.category(char) in ("Po", "Pe", "Pf")


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


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
        while line and _is_mark(line[-1]):  # never leave a mark without its letter
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


def share_key(title: str, dateline: str, date_label: str, site_name: str, marking: tuple[str, str] | None) -> str:
    """The cache key of a share image: everything drawn, the fonts drawn with, and the drawing code's version."""
    fonts = [(str(face.path), face.index) for pair in find_fonts().values() for face in pair]
    inputs = (SHARE_VERSION, PIL.__version__, str(LAYOUT), fonts, title, dateline, date_label, site_name, marking)
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


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
