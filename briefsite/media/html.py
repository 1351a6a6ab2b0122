"""The markup for a published image: one `<picture>` with every rendition, given where each file is served."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .images import Published, Rendition


def picture(published: Published, url: Callable[[Rendition], str], alt: str | None, lazy: bool,
            sizes: str = "100vw") -> str:
    """`<picture>` for `published`: a source per modern format, then the original `<img>` with its width and height.

    `url` maps a published file to its address; `lazy` (for an image below the
    fold) defers loading. A missing alt is written empty, so the page stays valid.
    """
    sources = []
    for mime in dict.fromkeys(r.mime for r in published.renditions):  # in the order made: AVIF before WebP
        srcset = ", ".join(f"{url(r)} {r.width}w" for r in published.renditions if r.mime == mime)
        sources.append(f'<source type="{mime}" srcset="{escape(srcset)}" sizes="{escape(sizes)}">')
    original = published.original
    loading = ' loading="lazy"' if lazy else ""
    img = (f'<img src="{escape(url(original))}" alt="{escape(alt or "")}" width="{original.width}" '
           f'height="{original.height}"{loading} decoding="async">')
    return f"<picture>{''.join(sources)}{img}</picture>" if sources else img
