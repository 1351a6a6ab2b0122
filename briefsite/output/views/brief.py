"""The view of `brief.html`: one brief and where it stands in the site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from ...model.brief import Brief, Citation, LeadImage, Update
from ...model.site import Author, Placement, Term, Thread
from .common import Entry, Item, Parts, View, file_size, joined, long_date


@dataclass(frozen=True)
class Story:
    """Where a brief stands in its developing story."""

    thread: Thread
    number: int  # from 1, in the order things happened
    count: int


@dataclass(frozen=True)
class Document:
    """A published attachment as a brief's page lists it."""

    url: str
    name: str
    kind: str  # 'PDF'
    size: str  # '240 KB'


@dataclass(frozen=True, kw_only=True)
class BriefPage(View):
    """`brief.html`: one brief and where it stands in the site."""

    entry: Entry  # the brief with its marking, terms, authors and citations, as feeds show it too
    place: Placement  # its terms, neighbours, related briefs, authors, thread and citations
    story: Story | None  # where it stands in its thread
    related: tuple[Item, ...]  # the cards of its related briefs
    share_image: bool  # the build draws a share image beside the page

    @property
    def modified(self) -> datetime | None:
        return self.entry.brief.modified

    @cached_property
    def brief(self) -> Brief:
        """The brief itself: `entry.brief`."""
        return self.entry.brief

    @cached_property
    def kicker(self) -> Term | None:
        """The term shown above the title: its first."""
        return self.place.kicker

    @cached_property
    def correction(self) -> Update | None:
        """Its latest correction."""
        return next((update for update in self.brief.updates if update.kind == "correction"), None)

    @cached_property
    def byline(self) -> tuple[tuple[str, Author], ...]:
        """Its authors, joined: ('', a), (', ', b), (' and ', c)."""
        return joined(self.place.authors)

    @cached_property
    def event(self) -> str | None:
        """When it happened, where that is not the day it was filed."""
        event = self.brief.event
        return event.label if event and event.label != long_date(self.brief.filed) else None

    @cached_property
    def updated_timed(self) -> bool:
        """Whether its `updated` gave a time of day."""
        updated = self.brief.updated
        return bool(updated and (updated.hour or updated.minute))

    @cached_property
    def figure(self) -> LeadImage | None:
        """Its lead image, unless the body shows it."""
        image = self.entry.image
        return image if image and not image.in_body else None

    @cached_property
    def documents(self) -> tuple[Document, ...]:
        return tuple(Document(a.url, a.name, a.kind, file_size(a.size)) for a in self.brief.attachments if a.url)

    @cached_property
    def sources(self) -> tuple[tuple[Citation, str], ...]:
        """Each citation with its type and grade: 'wire, B2', 'wire', 'B2' or ''."""
        return tuple((c, ", ".join(part for part in (c.type, c.grade) if part)) for c in self.place.citations)

    @cached_property
    def best_grade(self) -> str:
        """The best reliability among its sources ('A' first), a search filter; '' when none is graded."""
        return min((c.reliability for c in self.place.citations if c.reliability), default="")

    @cached_property
    def earlier(self) -> Brief | None:
        """Its thread's brief before it, in the order things happened; `later` the one after."""
        return self.place.earlier

    @cached_property
    def later(self) -> Brief | None:
        return self.place.later

    @cached_property
    def older(self) -> Brief | None:
        """The site's brief filed before it; `newer` the one after."""
        return self.place.older

    @cached_property
    def newer(self) -> Brief | None:
        return self.place.newer

    @cached_property
    def twitter_card(self) -> str:
        """'summary_large_image' with an image to show, else 'summary'."""
        return "summary_large_image" if self.share_image or self.entry.image else "summary"


def brief_view(made: Parts, brief: Brief) -> BriefPage:
    """The view of `brief`'s page."""
    place = made.site.placement(brief)
    thread = place.thread
    return BriefPage(entry=made.entries[brief.slug], place=place,
                     story=Story(thread, made.numbers[brief.slug], thread.count) if thread else None,
                     related=tuple(made.cards[other.slug] for other in place.related),
                     share_image=made.share_images, chrome=made.chrome)
