"""Static, accessible SVG maps: countries shaded by how many briefs they have, places as linked dots.

No tiles, no script, no outside request: a map is one SVG, legible on its own and restyled by the
site's stylesheet through its classes. Equal Earth projection; Natural Earth's 1:110m outlines for
the world, 1:50m for a region.
"""

from __future__ import annotations

import functools
import hashlib
import html
import math
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import labels
from .outlines import decimal, outlines, sphere
from .topojson import load
from .view import View

__all__ = ["Dot", "View", "basemap", "dots_layer", "draw", "drawing_key", "legend", "legend_entries", "shade_class",
           "shades"]

TOLERANCE = 0.5  # px: how far a simplified outline may stray from Natural Earth's
LABEL_SIZE = 12  # px; set on the labels, since where they go is worked out for this size
POINT_RADIUS = 2.5  # px: a country too small for the map's scale, drawn as a point
BREAKS = (1, 2, 5, 10, 25)  # the fewest briefs in shade classes 1–5: 1, 2–4, 5–9, 10–24, 25+
PALETTE = ("#dcd8cf", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")  # no briefs, then ColorBrewer Blues
PALETTE_DARK = ("#34373c", "#1f4a73", "#2a6aa3", "#4a90c8", "#80bbe6", "#c4e1f7")  # lighter is more, on dark

STYLE = (
    ".briefmap{font-family:sans-serif}.briefmap .ocean{fill:#eef3f7}"
    ".briefmap .land path,.briefmap .point{stroke:#fff;stroke-width:.5px;stroke-linejoin:round}"
    + "".join(f".briefmap .c{i}{{fill:{colour}}}" for i, colour in enumerate(PALETTE))
    + ".briefmap .dot{fill:#d94801;stroke:#fff;stroke-width:1px}"
    ".briefmap a:focus .dot,.briefmap a:hover .dot{stroke:#111;stroke-width:2px}"
    ".briefmap .labels{fill:#222;stroke:#fff;stroke-width:3px;stroke-linejoin:round;paint-order:stroke}"
    ".briefmap.legend{fill:#222}"
    "@media (prefers-color-scheme:dark){.briefmap .ocean{fill:#14181d}"
    ".briefmap .land path,.briefmap .point{stroke:#14181d}"
    + "".join(f".briefmap .c{i}{{fill:{colour}}}" for i, colour in enumerate(PALETTE_DARK))
    + ".briefmap .dot{fill:#fd8d3c;stroke:#14181d}.briefmap a:focus .dot,.briefmap a:hover .dot{stroke:#fff}"
    ".briefmap .labels{fill:#eee;stroke:#14181d}.briefmap.legend{fill:#eee}}"
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # XML 1.0 refuses these


@dataclass(frozen=True)
class Dot:
    """A place on the map: a dot `radius` px across, linked to `href`, named by `label` beside it and by
    `title` as its tooltip (the label when empty); heavier dots have their labels placed first."""

    lon: float
    lat: float
    radius: float = 4.0
    href: str | None = None
    label: str = ""
    title: str = ""
    weight: float = 1.0


def draw(view: View, shade: Mapping[str, int], dots: Sequence[Dot], *, title: str, desc: str,
         base_href: str | None = None, points: Mapping[str, tuple[float, float]] | None = None,
         titles: Mapping[str, str] | None = None) -> str:
    """A whole map as an SVG document: countries shaded by class, then the dots and their labels.

    `shade` maps a country's numeric id to its class 0–5; `points` gives (lon, lat) for countries to mark
    with a point where the map's scale has no outline for them; `titles` replaces Natural Earth's names
    in the countries' tooltips. With `base_href` (a relative URL of a `basemap` file for the same view)
    the base map is referred to, not drawn, and `shade`, `points` and `titles` are not used.
    """
    if base_href is None:
        base = _base(view, shade, points or {}, titles or {})
    else:
        href = _text(_url(base_href, relative=True))
        base = f'<image href="{href}" width="{view.width}" height="{view.height}"/>'
    key = hashlib.sha1("\0".join((title, desc, repr(view))).encode()).hexdigest()[:8]
    role = "group" if any(dot.href for dot in dots) else "img"  # an img's links would be hidden from screen readers
    head = (f' role="{role}" aria-labelledby="map-{key}-title map-{key}-desc">'
            f'<title id="map-{key}-title">{_text(title)}</title><desc id="map-{key}-desc">{_text(desc)}</desc>')
    return _document(view, head, base + dots_layer(view, dots))


def basemap(view: View, shade: Mapping[str, int], *, points: Mapping[str, tuple[float, float]] | None = None,
            titles: Mapping[str, str] | None = None) -> str:
    """The base map alone as an SVG document (ocean and shaded countries), to be shared by maps of one view."""
    return _document(view, ' aria-hidden="true">', _base(view, shade, points or {}, titles or {}))


def dots_layer(view: View, dots: Sequence[Dot]) -> str:
    """The dots and their labels as an SVG fragment in the view's pixels, to lay over its base map."""
    shown = []
    for dot in dots:
        x, y = view.pixel(dot.lon, dot.lat)
        if 0 <= x <= view.width and 0 <= y <= view.height:
            shown.append((x, y, dot))
    circles = []
    for x, y, dot in sorted(shown, key=lambda item: item[2].weight):  # the heaviest drawn last, on top
        tip = dot.title or dot.label
        tooltip = f"<title>{_text(tip)}</title>" if tip else ""
        circle = f'<circle class="dot" cx="{_px(x)}" cy="{_px(y)}" r="{_px(dot.radius)}"'
        if dot.href:
            circles.append(f'<a href="{_text(_url(dot.href))}">{tooltip}{circle}/></a>')
        else:
            circles.append(f"{circle}>{tooltip}</circle>" if tooltip else f"{circle}/>")
    placed = labels.place([(x, y, dot.radius, dot.label, dot.weight) for x, y, dot in shown],
                          view.width, view.height, LABEL_SIZE)
    texts = "".join(f'<text x="{_px(label.x)}" y="{_px(label.y)}"'
                    + ("" if label.anchor == "start" else f' text-anchor="{label.anchor}"')
                    + f">{_text(label.text)}</text>" for label in placed)
    return (f'<g class="places"><g class="dots">{"".join(circles)}</g>'
            f'<g class="labels" font-size="{LABEL_SIZE}" font-family="sans-serif" aria-hidden="true">{texts}</g></g>')


@functools.cache
def drawing_key() -> bytes:
    """A digest of what a map's drawing follows from besides its arguments: this package's code and data."""
    digest = hashlib.sha256()
    folder = Path(__file__).resolve().parent
    for path in sorted([*folder.glob("*.py"), folder / "data" / "countries-110m.json",
                        folder / "data" / "countries-50m.json"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def shade_class(briefs: int) -> int:
    """The shade class for a country with this many briefs: 0 for none, then 1, 2–4, 5–9, 10–24, 25+."""
    return sum(briefs >= least for least in BREAKS)


def shades(briefs: Mapping[str, int]) -> dict[str, int]:
    """Each country's shade class, from its number of briefs."""
    return {country: shade_class(count) for country, count in sorted(briefs.items()) if count > 0}


def legend_entries() -> list[tuple[str, int]]:
    """The shade classes as a legend names them: ("1", 1), ("2–4", 2), …, ("25+", 5)."""
    entries = []
    for shade, least in enumerate(BREAKS, start=1):
        most = BREAKS[shade] - 1 if shade < len(BREAKS) else None
        entries.append((f"{least}+" if most is None else str(least) if most == least else f"{least}–{most}", shade))
    return entries


def legend(entries: Sequence[tuple[str, int]], *, title: str = "Briefs per country") -> str:
    """A legend as a small SVG document: a swatch of each class followed by its label."""
    size, swatch, x, items = 12, 16, 0.0, []
    for label, shade in entries:
        items.append(f'<rect class="c{_shade(shade)}" x="{_px(x)}" y="4" width="{swatch}" height="12"/>'
                     f'<text x="{_px(x + swatch + 4)}" y="14.5">{_text(label)}</text>')
        x += swatch + 4 + labels.text_width(label, size) + 12
    whole = _text(f"{title}: {', '.join(label for label, _ in entries)}")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="briefmap legend" viewBox="0 0 {math.ceil(x)} 20" '
            f'width="{math.ceil(x)}" height="20" role="img" aria-label="{whole}"><style>{STYLE}</style>'
            f'<g font-size="{size}" font-family="sans-serif">{"".join(items)}</g></svg>')


def _document(view: View, head: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="briefmap" viewBox="0 0 {view.width} {view.height}" '
            f'width="{view.width}" height="{view.height}"{head}<style>{STYLE}</style>{body}</svg>\n')


def _base(view: View, shade: Mapping[str, int], points: Mapping[str, tuple[float, float]],
          titles: Mapping[str, str]) -> str:
    """The ocean, every country's outline with its shade class, and points for countries without one."""
    frame = view.frame
    parts = [f'<path class="ocean" d="{sphere(frame)}"/><g class="land" fill-rule="evenodd">']
    drawn = set()
    for country, data in outlines(frame, load(view.atlas), TOLERANCE):
        drawn.add(country.id)
        key = f' data-country="{_text(country.id)}"' if country.id else ""
        name = titles.get(country.id) or country.name
        parts.append(f'<path class="c{_shade(shade.get(country.id, 0))}"{key} d="{data}">'
                     f"<title>{_text(name)}</title></path>")
    parts.append("</g>")
    missing = sorted(set(points) - drawn)
    if missing:
        names = {country.id: country.name for country in load("50m").countries}
        parts.append('<g class="points">')
        for country in missing:
            x, y = view.pixel(*points[country])
            if 0 <= x <= view.width and 0 <= y <= view.height:
                parts.append(f'<circle class="point c{_shade(shade.get(country, 0))}"'
                             f' data-country="{_text(country)}" cx="{_px(x)}" cy="{_px(y)}" r="{POINT_RADIUS}">'
                             f"<title>{_text(titles.get(country) or names.get(country, country))}</title></circle>")
        parts.append("</g>")
    return "".join(parts)


def _shade(shade: int) -> int:
    if not (isinstance(shade, int) and 0 <= shade < len(PALETTE)):
        raise ValueError(f"a shade class is a whole number from 0 to {len(PALETTE) - 1}, not {shade!r}")
    return shade


def _url(url: str, relative: bool = False) -> str:
    """The URL, if a map may link to it: a page of the site, or for a dot also a web page elsewhere."""
    parts = urllib.parse.urlsplit(url)
    allowed = ("",) if relative else ("", "http", "https")
    if parts.scheme.lower() not in allowed or (relative and parts.netloc):
        raise ValueError(f"a map may not refer to {url!r}: use a {'relative' if relative else 'page'} URL")
    return url


def _text(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _px(value: float) -> str:
    return decimal(round(value * 10))
