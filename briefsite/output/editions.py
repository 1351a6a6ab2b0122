"""The pages of editions: /editions/ and its feeds, and each edition as a page, an email and plain text.

An email carries the whole of a short edition; a longer one lists its briefs past EMAIL_BRIEFS as links, so
that it stays under Gmail's clipping limit (about 102 KB, checked by the tests).
"""

from __future__ import annotations

from ..model.edition import Edition
from ..site import urls
from .page import Page
from .views.common import Parts
from .views.editions import EditionPage, EditionsFeed, EditionsPage, Section, Shown

EMAIL_BRIEFS = 40  # briefs an email shows whole, each ~1.5 KB with its styles inlined


def edition_pages(made: Parts) -> list[Page]:
    """The editions' index and feeds, and each edition's page, email and text; none without editions."""
    site, chrome = made.site, made.chrome
    if not site.editions:
        return []
    kinds = tuple((kind.title, tuple(e for e in site.editions if e.kind == kind.kind)) for kind in site.config.editions)
    feed = EditionsFeed(editions=tuple(sorted(site.editions, key=lambda e: (e.end, e.kind), reverse=True))[
        :site.config.feed_size], chrome=chrome)
    pages = [Page(urls.editions(), "editions.html", EditionsPage(kinds=kinds, chrome=chrome, section="editions"),
                  "editions"),
             Page(urls.editions_feed(), "editions.xml", feed, "editions feed"),
             Page(urls.editions_feed("json"), "editions.json", feed, "editions feed")]
    for edition in site.editions:
        view = _view(made, edition)
        source = f"edition '{edition.id}'"
        email = EditionPage(edition=edition, sections=_cut(view.sections), updated=view.updated,
                            more=tuple(shown.entry for section in view.sections for shown in section.briefs
                                       if shown.number > EMAIL_BRIEFS), chrome=chrome)
        pages += [Page(urls.edition(edition), "edition.html", view, source),
                  Page(urls.edition(edition, "email.html"), "email.html", email, source),
                  Page(urls.edition(edition, "email.txt"), "email.txt", view, source)]
    return pages


def _view(made: Parts, edition: Edition) -> EditionPage:
    number, sections = 0, []
    for group in edition.groups:
        shown = []
        for brief in group.briefs:
            number += 1
            shown.append(Shown(number, made.entries[brief.slug]))
        sections.append(Section(group.heading, group.anchor, tuple(shown)))
    return EditionPage(edition=edition, sections=tuple(sections),
                       updated=tuple(made.entries[brief.slug] for brief in edition.updated), chrome=made.chrome,
                       section="editions")


def _cut(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """The sections with only the briefs an email shows whole."""
    kept = (Section(s.heading, s.anchor, tuple(b for b in s.briefs if b.number <= EMAIL_BRIEFS)) for s in sections)
    return tuple(section for section in kept if section.briefs)
