"""The parts views share: the site's chrome, markings, each brief's entry and card, lists and feeds."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from functools import cached_property

from markupsafe import Markup, escape

from ...media.previews import drawable
from ...model.brief import MONTH_NAMES, Brief, Citation, LeadImage
from ...model.site import Author, Month, Place, Placement, Site, TermGroup, Year
from ...values import tlp
from ...values.tlp import marked


def long_date(moment: date) -> str:
    """'27 February 2025', whatever the machine's locale."""
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def file_size(size: int) -> str:
    """'812 bytes', '240 KB', '1.2 MB': how a reader judges a download."""
    if size < 1000:
        return f"{size} byte{'' if size == 1 else 's'}"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


def joined(items, last: str = " and ", between: str = ", ", going_on: bool = False) -> tuple[tuple[str, object], ...]:
    """Each item with what goes before it in running text: ('', a), (', ', b), (' and ', c) for 'a, b and
    c'. `going_on`: the list continues one already begun, so its first item has a separator too."""
    items = tuple(items)
    return tuple(("" if i == 0 and not going_on else last if i == len(items) - 1 else between, item)
                 for i, item in enumerate(items))


@dataclass(frozen=True)
class Marking:
    """A TLP marking as pages print it."""

    label: str  # 'TLP:AMBER+STRICT'
    rule: str  # what TLP allows a reader to share
    css: str  # 'amber-strict', for the class tlp-amber-strict


MARKINGS = {level: Marking(tlp.label(level), tlp.rule(level), level.replace("+", "-")) for level in tlp.LEVELS}


@dataclass(frozen=True)
class Chrome:
    """What every page shows of the site around its own content: the banner, the masthead, the footer."""

    marking: Marking | None  # the site's own, on its banner; None on an unmarked (TLP:CLEAR) site
    feed: bool  # the site has briefs, so a feed
    threads: bool  # a threads page: some brief is in a thread
    sources: bool  # a sources page: some brief cites a source
    corrections: bool  # a corrections page: some brief was corrected
    places: bool = False  # a map and a places page: some brief names a place
    editions: bool = False  # an editions page: site.yml declares editions and some period has briefs


@dataclass(frozen=True, kw_only=True)
class View:
    """A page's view: what its template shows. A page with nothing of its own (404, robots.txt) gets this.

    Its fields are what the page is made from: the build's memory fingerprints them, and renders the
    page again when one changes. What a view works out from them (a `cached_property`) is worked out
    when its page is rendered, so a build that renders few pages works out little; it must read the
    fields alone, and no container's briefs, count or months, which only a template's reads record.
    Both are its template's variables (see `variables`).
    """

    chrome: Chrome
    # The masthead's section the page is in, by the first segment of its URLs: '' the latest briefs,
    # 'timeline', 'threads' or a taxonomy's segment (no taxonomy may take those); None: none.
    section: str | None = None

    @property
    def modified(self) -> datetime | None:
        """When what the page shows last changed, for the sitemap; None when unknown."""
        return None


def variables(view: View) -> dict:
    """A view's fields and what it works out from them: its template's variables."""
    kind = type(view)
    names = _VARIABLES.get(kind)
    if names is None:
        worked_out = [name for cls in reversed(kind.__mro__) for name, value in vars(cls).items()
                      if isinstance(value, cached_property)]
        names = _VARIABLES[kind] = (*(f.name for f in fields(kind)), *dict.fromkeys(worked_out))
    return {name: getattr(view, name) for name in names}


_VARIABLES: dict[type, tuple[str, ...]] = {}  # each view type's, looked up once


@dataclass(frozen=True)
class Entry:
    """A brief as feeds, exports and its own page show it, with what the site knows of it; one per brief."""

    brief: Brief
    marking: Marking | None  # None on an unmarked site
    terms: tuple[TermGroup, ...]
    authors: tuple[Author, ...]
    citations: tuple[Citation, ...]
    unverified: bool  # every source it cites is social media or graded E or F
    image: LeadImage | None  # its lead image, once published
    image_type: str | None  # the image's media type, for feed enclosures
    places: tuple[Place, ...] = ()  # where it happened

    @cached_property
    def html(self) -> str:
        """Its HTML for feed readers: the body, then its sources."""
        brief = self.brief
        if not brief.sources:
            return brief.body
        items = "".join(
            f'<li><a href="{escape(s.url)}">{escape(s.name)}</a></li>' if s.url else f"<li>{escape(s.name)}</li>"
            for s in brief.sources)
        return f"{brief.body}\n<h2>Sources</h2>\n<ul>{items}</ul>"

    @cached_property
    def content(self) -> Markup:
        """`html` escaped for an Atom feed, once per build: a brief is in each of its terms' feeds."""
        return escape(self.html)


def entry(brief: Brief, place: Placement, marks: bool) -> Entry:
    """The entry of `brief`, placed at `place`; `marks`: the site marks its briefs (it is not TLP:CLEAR)."""
    image = brief.image if brief.image and brief.image.url else None
    kind = image and (mimetypes.guess_type(image.url)[0] or "application/octet-stream")
    return Entry(brief, MARKINGS[brief.audience] if marks else None, place.terms, place.authors, place.citations,
                 place.unverified, image, kind, place.places)


@dataclass(frozen=True)
class Item:
    """A brief in a list, as its card shows it."""

    brief: Brief
    marking: Marking | None
    unverified: bool
    event: str | None = None  # when it happened, on a page listing briefs by that (a period's, a thread's)
    continuing: bool = False  # on a period's page: its event began before the period


def item(shown: Entry, dated: bool = False, continuing: bool = False) -> Item:
    """The card of a brief; `dated`: listed by when it happened, so showing its event where it has one."""
    event = shown.brief.event.label if dated and shown.brief.event else None
    return Item(shown.brief, shown.marking, shown.unverified, event, continuing)


@dataclass(frozen=True)
class MonthGroup:
    """Consecutive briefs of a list under one month's heading."""

    anchor: str  # 'm2025-02'
    heading: str  # 'February 2025', '2024, month not known'
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    number: int
    total: int
    items: tuple
    url_of: Callable[[int], str]

    @property
    def prev(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.total else None


@dataclass(frozen=True)
class Feed:
    """The newest briefs of the site or of one term, author, thread or source, as Atom and JSON Feed."""

    title: str
    url: str  # the Atom feed; the JSON feed sits beside it
    json_url: str
    home: str  # the page the feed follows
    entries: tuple[Entry, ...]

    @property
    def updated(self) -> datetime:
        """The newest entry's date: a build time would make the output irreproducible."""
        return max(shown.brief.modified for shown in self.entries)


@dataclass(frozen=True, kw_only=True)
class Paged(View):
    """A page of a list of briefs, grouped under month headings."""

    pager: Pager  # its items are the briefs' cards

    @property
    def modified(self) -> datetime | None:
        return max((item.brief.modified for item in self.pager.items), default=None)

    @cached_property
    def groups(self) -> tuple[MonthGroup, ...]:
        """The page's cards under their months' headings."""
        return by_month(self.pager.items)


@dataclass(frozen=True)
class Parts:
    """What the views of one site's pages share, made once: the site, its chrome, every brief's entry and
    cards."""

    site: Site
    chrome: Chrome
    entries: dict[str, Entry]  # by slug
    cards: dict[str, Item]  # by slug, as lists in filed order show it
    dated: dict[str, Item]  # by slug, as lists by when things happened show it
    numbers: dict[str, int]  # each brief's place in its thread, from 1
    share_images: bool  # the build draws a share image beside each brief's page

    def listed(self, briefs, dated: bool = False) -> tuple[Item, ...]:
        """The cards of `briefs`; `dated`: as a list by when things happened shows them."""
        cards = self.dated if dated else self.cards
        return tuple(cards[brief.slug] for brief in briefs)

    def feed(self, title: str, url: str, json_url: str, home: str, briefs) -> Feed:
        """The feed of the newest of `briefs` (given newest first)."""
        chosen = briefs[: self.site.config.feed_size]
        return Feed(title, url, json_url, home, tuple(self.entries[brief.slug] for brief in chosen))


def parts(site: Site) -> Parts:
    """The parts of `site`'s views."""
    marks = marked(site.config.audience)
    chrome = Chrome(MARKINGS[site.config.audience] if marks else None, bool(site.briefs), bool(site.threads),
                    bool(site.sources), any(brief.corrected for brief in site.briefs), bool(site.places),
                    bool(site.editions))
    entries = {brief.slug: entry(brief, site.placement(brief), marks) for brief in site.briefs}
    cards = {slug: item(shown) for slug, shown in entries.items()}
    dated = {slug: item(shown, dated=True) for slug, shown in entries.items()}
    numbers = {brief.slug: n for thread in site.threads for n, brief in enumerate(thread.briefs, start=1)}
    return Parts(site, chrome, entries, cards, dated, numbers, drawable(site.config))


def by_month(items: tuple[Item, ...], period: Year | Month | None = None) -> tuple[MonthGroup, ...]:
    """Consecutive cards grouped under month headings.

    A list in filed order groups by each brief's date; a period's page (`period`) by the month the brief
    is listed under there, by when it happened, marked `continuing` when its event began before that month.
    """
    groups: list[tuple[tuple[int, int], list[Item]]] = []
    for card in items:
        brief = card.brief
        if period is None:
            month = brief.filed.year, brief.filed.month
        else:
            month = _listed_in(brief, period)
            if brief.happened < date(month[0], month[1] or 1, 1):
                card = replace(card, continuing=True)
        if not groups or groups[-1][0] != month:
            groups.append((month, []))
        groups[-1][1].append(card)
    return tuple(MonthGroup(*_heading(*month), tuple(cards)) for month, cards in groups)


def _heading(year: int, month: int) -> tuple[str, str]:
    """A month's anchor and heading; month 0: the year, its month not known."""
    if month:
        return f"m{year}-{month:02d}", f"{MONTH_NAMES[month - 1]} {year}"
    return f"m{year}", f"{year}, month not known"


def _listed_in(brief: Brief, period: Year | Month) -> tuple[int, int]:
    """The (year, month) a brief is listed under in `period`: the month, or in a year its latest month there
    (0: none)."""
    if isinstance(period, Month):
        return period.year, period.month
    return period.year, max((m for y, m in brief.months if y == period.year), default=0)
