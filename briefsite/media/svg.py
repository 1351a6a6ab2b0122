"""SVG images: what may be published of one, and its size in pixels.

An SVG opened directly runs in the site's origin, so one that could run script
or reach out is refused.
"""

from __future__ import annotations

import contextlib
import re

MIME = "image/svg+xml"


class SvgRefused(Exception):
    """An SVG that cannot be published; the message is fit to show the author."""


# What can make an SVG run code or reach out when a browser opens it directly.
_SVG_UNSAFE = re.compile(rb"<script|<foreignObject|<!ENTITY|javascript:|\son[a-z]+\s*=", re.IGNORECASE)
_SVG_ROOT = re.compile(rb"<svg\b([^>]*)>", re.IGNORECASE)
_LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*$")


def looks_like_svg(data: bytes) -> bool:
    """Whether `data` reads as an SVG document (it is then checked as one, never as a raster image)."""
    return data.lstrip()[:1] == b"<" and _SVG_ROOT.search(data[:4096]) is not None


def checked(data: bytes) -> tuple[int, int, bytes]:
    """An SVG's width and height in pixels, from its width and height or its viewBox, and the bytes to
    publish; SvgRefused if it could run script."""
    unsafe = _SVG_UNSAFE.search(data)
    if unsafe:
        found = unsafe.group().decode("ascii", "replace").strip()
        raise SvgRefused(f"the SVG has {found!r}, which could run script: remove it or export a PNG")
    root = _SVG_ROOT.search(data)
    attributes = dict(re.findall(r'([a-zA-Z]+)\s*=\s*["\']([^"\']*)["\']', root.group(1).decode("utf-8", "replace")))
    width, height = _svg_length(attributes.get("width")), _svg_length(attributes.get("height"))
    box = attributes.get("viewBox", "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        with contextlib.suppress(ValueError):  # a viewBox that is not numbers is as good as none
            width, height = round(float(box[2])), round(float(box[3]))
    if not width or not height:
        raise SvgRefused("the SVG has no width and height in pixels, nor a viewBox: add one")
    return width, height, data


def _svg_length(value: str | None) -> int | None:
    match = _LENGTH.match(value or "")
    return round(float(match.group(1))) if match else None
