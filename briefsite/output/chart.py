"""The timeline chart as a view: every coordinate of its SVG worked out here, none in the template.

The SVG's viewBox is as wide as the content column (`.wrap` in style.css: 70rem
less 1.25rem padding a side, at 16px), so on a wide screen one unit is one CSS
pixel. On narrower screens the whole drawing scales down and the stylesheet
sets the tick font larger in viewBox units to stay readable: `FONTS` are those
sizes, widest screen first, and must match the `.chart .tick` rules. A year
label is drawn on a screen only where it fits at that screen's font; its
`fits` is the narrowest screen it still fits on (CSS class `fits-N`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

WIDTH = 1080           # 67.5rem: the content width of .wrap
FONTS = (12, 18, 24, 34)  # the tick font in viewBox units: above 60rem, to 40rem, to 30rem, below
CHAR = 0.65            # width of a digit, in ems; digits are tabular, DejaVu Sans's are 0.64
GAP = 0.5              # the least space between two labels, in ems
GRID_Y = 34            # the top of the tallest bar, under the top count
AXIS_Y = 240           # the foot of the bars
HEIGHT = AXIS_Y + 40   # room under the axis for the labels at the largest font
MAX_BAR = 48           # no wider, however few the months
FILL = 0.8             # of each month's slot the bar takes; the rest is the space between bars
MIN_BAR = 3            # the shortest bar, so that 1 beside 500 still shows


@dataclass(frozen=True)
class Bar:
    """One month: its figures, and where its bar goes (height 0 for an empty month)."""

    year: int
    month: int
    count: int
    label: str  # "February 2025: 2 briefs"
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class YearLabel:
    """A year under the axis, drawn on screens 0 to `fits`.

    It starts at the left edge of its first bar, or, where that would run off the
    right edge of the chart at the largest font, ends at that bar's right edge.
    """

    text: str
    x: float
    anchor: str  # text-anchor: "start" or "end"
    fits: int    # index into FONTS of the narrowest screen with room for it


@dataclass(frozen=True)
class Chart:
    """Briefs per month, from the first brief's month to the last, empty months included."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    years: tuple[YearLabel, ...]
    first: str  # "May 2023"
    last: str   # "February 2025"
    top: int    # the largest count: the height of the gridline
    grid_y: float   # the lines, on half units so that they are sharp at one unit a pixel
    axis_y: float
    top_y: float    # baseline of the top count, right-aligned at the right edge
    label_y: float  # top of the year labels (dominant-baseline: hanging)


def text_width(text: str, font: float) -> float:
    """An upper estimate of how wide `text` (digits) is at `font` viewBox units."""
    return len(text) * CHAR * font


def extent(label: YearLabel, font: float) -> tuple[float, float]:
    """Where `label` starts and ends at `font`."""
    width = text_width(label.text, font)
    return (label.x, label.x + width) if label.anchor == "start" else (label.x - width, label.x)


def monthly(counts: Mapping[tuple[int, int], int], names: Sequence[str]) -> Chart | None:
    """The chart of `counts` by (year, month); `names` are the twelve month names. None with no months."""
    if not counts:
        return None
    months = []
    (year, month), last = min(counts), max(counts)
    while (year, month) <= last:
        months.append((year, month, counts.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    step = WIDTH / len(months)
    width = min(step * FILL, MAX_BAR)
    top = max(count for _, _, count in months)
    plot = AXIS_Y - GRID_Y
    bars = []
    for i, (year, month, count) in enumerate(months):
        height = max(count * plot / top, MIN_BAR) if count else 0
        noun = "brief" if count == 1 else "briefs"
        bars.append(Bar(year, month, count, f"{names[month - 1]} {year}: {count} {noun}",
                        _n(i * step + (step - width) / 2), _n(AXIS_Y - height), _n(width), _n(height)))
    return Chart(
        width=WIDTH, height=HEIGHT, bars=tuple(bars), years=_year_labels(bars),
        first=f"{names[bars[0].month - 1]} {bars[0].year}", last=f"{names[bars[-1].month - 1]} {bars[-1].year}",
        top=top, grid_y=GRID_Y + 0.5, axis_y=AXIS_Y + 0.5, top_y=GRID_Y - 5, label_y=AXIS_Y + 6)


def _year_labels(bars: list[Bar]) -> tuple[YearLabel, ...]:
    """A label at each January, and at the first bar if there is room before the next one.

    Screen by screen from the narrowest (largest font): what was placed on a
    narrower screen stays, and a label joins where it is clear, by a gap, of
    every label already placed. Januaries go first, newest first, so the latest
    year is always named and a chart that starts in December loses its stub year
    rather than the next one.
    """
    candidates = [bar for bar in reversed(bars) if bar.month == 1] + ([bars[0]] if bars[0].month != 1 else [])
    unplaced = []
    for bar in candidates:
        text = str(bar.year)
        if bar.x + text_width(text, max(FONTS)) <= WIDTH:
            unplaced.append(YearLabel(text, bar.x, "start", 0))
        else:
            unplaced.append(YearLabel(text, _n(bar.x + bar.width), "end", 0))
    placed: list[YearLabel] = []
    for screen in reversed(range(len(FONTS))):
        font, gap = FONTS[screen], GAP * FONTS[screen]
        for label in list(unplaced):
            start, end = extent(label, font)
            if start >= 0 and all(start >= other_end + gap or other_start >= end + gap
                                  for other_start, other_end in (extent(other, font) for other in placed)):
                placed.append(replace(label, fits=screen))
                unplaced.remove(label)
    return tuple(sorted(placed, key=lambda label: label.x))


def _n(value: float) -> float | int:
    """Rounded to two places, and whole numbers without the ".0"."""
    value = round(value, 2)
    return int(value) if value == int(value) else value
