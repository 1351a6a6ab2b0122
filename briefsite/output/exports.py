"""Data for machines: JSON Feed items, the briefs export and TimelineJS events.

Each function returns plain data; the templates (`feed.json`, `briefs.json`,
`timeline.json`) serialise it, so a site can still override them.
"""

from __future__ import annotations

from markupsafe import escape

from ..model.brief import Brief
from ..model.site import Site
from ..site import urls
from ..site.urls import Links
from ..values.tlp import label, marked

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EXPORT_VERSION = 1


def moment(brief_time, timed: bool) -> str:
    """A date as written: the day alone, or the full RFC 3339 date-time."""
    return brief_time.isoformat() if timed else brief_time.date().isoformat()


def sources(site: Site, brief: Brief) -> list[dict]:
    """The brief's sources as it cites them, named and graded as data/sources.yml declares them."""
    return [{"name": c.name, **({"url": c.url} if c.url else {}), "type": c.type, "reliability": c.reliability,
             "credibility": c.credibility, "grade": c.grade or None,
             "accessed": c.accessed.isoformat() if c.accessed else None}
            for c in site.placement(brief).citations]


def terms(site: Site, brief: Brief) -> dict[str, list[str]]:
    """The brief's terms by taxonomy, in their displayed spelling."""
    return {group.taxonomy.config.name: [term.name for term in group.terms] for group in site.placement(brief).terms}


def authors(site: Site, links: Links, brief: Brief) -> list[dict]:
    """The brief's authors as feeds name them: each with their page on the site."""
    return [{"name": a.name, "url": links.author_permalink(a)} for a in site.placement(brief).authors]


def feed_content(brief: Brief) -> str:
    """A brief's HTML for feed readers: the body, then its sources."""
    if not brief.sources:
        return brief.body
    items = "".join(
        f'<li><a href="{escape(s.url)}">{escape(s.name)}</a></li>' if s.url else f"<li>{escape(s.name)}</li>"
        for s in brief.sources)
    return f"{brief.body}\n<h2>Sources</h2>\n<ul>{items}</ul>"


def json_feed(site: Site, links: Links, feed) -> dict:
    """A JSON Feed 1.1 document for `feed`."""
    config = site.config
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": links.absolute(feed.home),
        "feed_url": links.absolute(feed.json_url),
        **({"description": config.description} if config.description else {}),
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
        "items": [_item(site, links, brief) for brief in feed.briefs],
    }


def _item(site: Site, links: Links, brief: Brief) -> dict:
    url = links.permalink(brief)
    marking = [label(brief.audience)] if marked(site.config.audience) else []
    return {
        "id": url,
        "url": url,
        "title": f"[{marking[0]}] {brief.title}" if marking else brief.title,
        "summary": brief.summary,
        "content_html": feed_content(brief),
        "date_published": brief.published.isoformat(),
        "date_modified": brief.modified.isoformat(),
        **({"image": links.absolute(brief.image.url)} if brief.image and brief.image.url else {}),
        "tags": [name for names in terms(site, brief).values() for name in names] + marking,
        **({"authors": written} if (written := authors(site, links, brief)) else {}),
        "_briefsite": {"location": brief.location, "sources": sources(site, brief), "terms": terms(site, brief),
                       "audience": brief.audience, "updates": updates(brief)},
    }


def news_article(site: Site, links: Links, brief: Brief) -> dict:
    """schema.org NewsArticle metadata (JSON-LD) for a brief's page."""
    desk = {"@type": "Organization", "name": site.config.author or site.config.title}
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": brief.title,
        "description": brief.summary,
        "url": links.permalink(brief),
        "mainEntityOfPage": links.permalink(brief),
        "datePublished": brief.published.isoformat(),
        "dateModified": brief.modified.isoformat(),
        "inLanguage": site.config.language,
        "author": [{"@type": "Person", **a} for a in authors(site, links, brief)] or desk,
        "publisher": desk,
        "keywords": [name for names in terms(site, brief).values() for name in names],
        "citation": [{"@type": "CreativeWork", "name": s.name, **({"url": s.url} if s.url else {})}
                     for s in brief.sources],
    }
    if brief.location:
        article["contentLocation"] = {"@type": "Place", "name": brief.location}
    return article


def briefs_export(site: Site, links: Links) -> dict:
    """Every published brief's normalised header, URL and summary, newest first."""
    return {
        "version": EXPORT_VERSION,
        "site": {"title": site.config.title, "url": site.config.base_url, "timezone": site.config.timezone,
                 "audience": site.config.audience},
        "briefs": [
            {
                "slug": brief.slug,
                "url": links.permalink(brief),
                "title": brief.title,
                "date": moment(brief.published, brief.timed),
                "updated": brief.updated.isoformat() if brief.updated else None,
                "location": brief.location,
                "summary": brief.summary,
                "sources": sources(site, brief),
                "authors": [author.name for author in site.placement(brief).authors],
                "audience": brief.audience,
                "expires": brief.expires.isoformat() if brief.expires else None,
                "event": _event(brief),
                "updates": updates(brief),
                "thread": brief.thread[0] if brief.thread else None,
                "image": {"url": links.absolute(brief.image.url), "alt": brief.image.alt,
                          "caption": brief.image.caption} if brief.image and brief.image.url else None,
                "attachments": [{"url": links.absolute(a.url), "name": a.name, "type": a.kind, "size": a.size}
                                for a in brief.attachments if a.url],
                **{name: names for name, names in _all_terms(site, brief).items()},
                "extra": brief.extra,
            }
            for brief in site.briefs
        ],
        "threads": [{"slug": thread.slug, "url": links.absolute(urls.thread(thread)), "title": thread.title,
                     "status": thread.status, "summary": thread.summary,
                     "briefs": [brief.slug for brief in thread.briefs]} for thread in site.threads],
    }


def updates(brief: Brief) -> list[dict]:
    """A brief's log, newest first."""
    return [{"date": moment(update.date, update.timed), "type": update.kind, "note": update.note}
            for update in brief.updates]


def corrections_feed(site: Site, links: Links, corrections, url: str) -> dict:
    """A JSON Feed 1.1 document of the newest corrections, one item each."""
    marking = marked(site.config.audience)
    items = []
    for brief, update in corrections:
        prefix = f"[{label(brief.audience)}] " if marking else ""
        items.append({"id": f"{links.permalink(brief)}#correction-{update.date.isoformat()}",
                      "url": f"{links.permalink(brief)}#updates", "title": f"Correction: {prefix}{brief.title}",
                      "content_text": update.note, "date_published": update.date.isoformat()})
    return {"version": JSON_FEED_VERSION, "title": f"Corrections — {site.config.title}",
            "home_page_url": links.absolute("corrections/"), "feed_url": links.absolute(url),
            "language": site.config.language, "authors": [{"name": site.config.author or site.config.title}],
            "items": items}


def _event(brief: Brief) -> dict | None:
    """When it happened, at the header's precision; None without an event."""
    event = brief.event
    if event is None:
        return None
    return {"start": event.iso("start"), "end": event.iso("end") if event.ranged else None, "circa": event.circa,
            "label": event.label}


def _all_terms(site: Site, brief: Brief) -> dict[str, list[str]]:
    """Every taxonomy, empty ones included, so each record has the same keys."""
    found = terms(site, brief)
    return {name: found.get(name, []) for name in site.config.taxonomy_names}


def timeline_export(site: Site, links: Links) -> dict:
    """The briefs as a TimelineJS 3 JSON document, oldest first."""
    group = site.config.timeline_taxonomy
    events = []
    for brief in sorted(site.briefs, key=lambda b: (b.happened, b.published, b.slug)):
        when = brief.published
        start = {"year": when.year, "month": when.month, "day": when.day}
        if brief.timed:
            start |= {"hour": when.hour, "minute": when.minute}
        if brief.event:
            start = _timeline_date(brief.event.start, brief.event.start_precision)
        headline = f'<a href="{links.permalink(brief)}">{_escape(brief.title)}</a>'
        event = {"start_date": start, "text": {"headline": headline, "text": f"<p>{_escape(brief.summary)}</p>"},
                 "unique_id": brief.slug}
        if brief.event and brief.event.ranged:
            event["end_date"] = _timeline_date(brief.event.end, brief.event.end_precision)
        if brief.event:
            event["display_date"] = brief.event.label
        names = terms(site, brief).get(group)
        if names:
            event["group"] = names[0]
        events.append(event)
    title = {"text": {"headline": _escape(site.config.title), "text": _escape(site.config.description)}}
    return {"title": title, "events": events}


def _timeline_date(day, precision: str) -> dict:
    """A TimelineJS date at its precision: a year, a month or a day."""
    parts = {"year": day.year, "month": day.month, "day": day.day}
    return dict(list(parts.items())[:{"year": 1, "month": 2, "day": 3}[precision]])


def _escape(text: str) -> str:
    return str(escape(text))  # TimelineJS renders headline and text as HTML
