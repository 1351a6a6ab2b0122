"""A page of the site and the parts listings share: pagination, and an item's pages with its feeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .views.common import Feed, Pager, Parts, View
from .views.templates import FeedPage


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template makes it, and its view."""

    url: str
    template: str
    context: View = field(hash=False, compare=False)  # its fields are the template's variables
    source: str = ""  # what asked for the page, for collision errors
    path: str = ""  # its file in the output folder, set once checked (see `placed`)
    place: tuple[int, int] = (0, 0)  # line and column in `source` that asked for it, when known


def paginate(items: tuple, size: int, url_of: Callable[[int], str]) -> list[Pager]:
    """Split `items` into pages of `size`; an empty list still has one page."""
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [()]
    return [Pager(n, len(chunks), chunk, url_of) for n, chunk in enumerate(chunks, start=1)]


def feed_pages(feed: Feed, source: str, made: Parts) -> list[Page]:
    view = FeedPage(feed=feed, chrome=made.chrome)
    return [Page(feed.url, "atom.xml", view, source), Page(feed.json_url, "feed.json", view, source)]


def listing(made: Parts, source: str, title: str, item, page_of: Callable, feed_of: Callable, briefs: tuple,
             listed: tuple, template: str, view: Callable) -> list[Page]:
    """One term's, author's, thread's or source's pages (`listed`, paginated; `view(pager=, feed=)` each page's
    view) and its Atom and JSON feeds of `briefs`; `page_of(item, n)` and `feed_of(item, kind)` its URLs."""
    feed = made.feed(f"{title} — {made.site.config.title}", feed_of(item), feed_of(item, "json"), page_of(item),
                     briefs)
    pages = [Page(page_of(item, pager.number), template, view(pager=pager, feed=feed), source)
             for pager in paginate(listed, made.site.config.list_page_size, lambda n: page_of(item, n))]
    return pages + feed_pages(feed, source, made)
