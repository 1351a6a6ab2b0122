"""Where the names of places go on a map: beside their dots, never over each other or off the map.

Greedy, most important place first: each label tries eight spots around its dot and takes the first
that is free; a label with no free spot is left out (its dot and the dot's tooltip stay).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # left, top, right, bottom in px
GAP = 2.0  # px between a dot's edge and its label
PAD = 1.0  # px kept clear around a label
ASCENT = 0.8  # of the font size, from the top of a label's box to its baseline; the box is one size tall
# Right first, as cartographers prefer, then above and below right, then the left side, then straight up and down.
SPOTS = ((1, 0), (1, -1), (1, 1), (-1, 0), (-1, -1), (-1, 1), (0, -1), (0, 1))
_WIDE = set("mwMW@%")
_NARROW = set("iljIJ.,;:'!|")
_SLIM = set("ftr()[]-/")


@dataclass(frozen=True)
class Label:
    """A label placed: its text drawn from (x, y) with an SVG text-anchor, and the box it takes."""

    x: float
    y: float
    anchor: str  # "start", "middle" or "end"
    text: str
    box: Box


def text_width(text: str, size: float) -> float:
    """A generous estimate of how wide `text` is drawn at `size` px: as wide as DejaVu Sans, the widest
    common sans-serif, draws it, so that a label never takes less room than it needs."""
    ems = 0.0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):  # marks sit on the letter before them
            continue
        if unicodedata.east_asian_width(char) in ("W", "F") or char in _WIDE:
            ems += 1.0
        elif char in _NARROW:
            ems += 0.3
        elif char in _SLIM:
            ems += 0.42
        elif char == " ":
            ems += 0.32
        elif char.isupper():
            ems += 0.79
        else:
            ems += 0.64
    return ems * size


def place(dots: list[tuple[float, float, float, str, float]], width: float, height: float, size: float) -> list[Label]:
    """Labels for dots given as (x, y, radius, text, weight) in px, heaviest first, ties in the order given."""
    circles = [(x, y, radius) for x, y, radius, _, _ in dots]
    taken: list[Box] = []
    labels = []
    order = sorted(range(len(dots)), key=lambda i: -dots[i][4])
    for i in order:
        x, y, radius, text, _ = dots[i]
        if not text:
            continue
        others = circles[:i] + circles[i + 1:]
        for label in _candidates(x, y, radius, text, size):
            if _fits(label.box, width, height) and not _hits(label.box, taken, others):
                labels.append(label)
                taken.append(label.box)
                break
    return labels


def overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _candidates(x: float, y: float, radius: float, text: str, size: float):
    width = text_width(text, size)
    straight = radius + GAP
    slanted = radius * 0.71 + GAP  # a diagonal spot starts where the circle's edge is at 45°
    for across, up in SPOTS:
        offset = slanted if across and up else straight
        if across > 0:
            left, anchor, tx = x + offset, "start", x + offset
        elif across < 0:
            left, anchor, tx = x - offset - width, "end", x - offset
        else:
            left, anchor, tx = x - width / 2, "middle", x
        if up < 0:
            top = y - offset - size
        elif up > 0:
            top = y + offset
        else:
            top = y - size / 2
        yield Label(tx, top + ASCENT * size, anchor, text, (left, top, left + width, top + size))


def _fits(box: Box, width: float, height: float) -> bool:
    return box[0] >= PAD and box[1] >= PAD and box[2] <= width - PAD and box[3] <= height - PAD


def _hits(box: Box, taken: list[Box], circles: list[tuple[float, float, float]]) -> bool:
    padded = (box[0] - PAD, box[1] - PAD, box[2] + PAD, box[3] + PAD)
    if any(overlap(padded, other) for other in taken):
        return True
    for cx, cy, radius in circles:  # the nearest point of the box to the circle's centre
        nx, ny = min(max(cx, padded[0]), padded[2]), min(max(cy, padded[1]), padded[3])
        if (nx - cx) ** 2 + (ny - cy) ** 2 < radius * radius:
            return True
    return False
