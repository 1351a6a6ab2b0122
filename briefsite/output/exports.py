"""Data for machines: JSON Feed items, the briefs export, TimelineJS events and a page's JSON-LD.

Each function makes plain data of a view (render.py binds it, with the settings and the site's links,
as a filter); the templates (`feed.json`, `briefs.json`, `timeline.json`, `corrections.json`,
`brief.html`) serialise it, so a site can still override them.
"""

from __future__ import annotations

from markupsafe import escape

from ..config import Config
from ..model.brief import Brief
from ..site import urls
from ..site.urls import Links
from .views.common import Entry, Feed
from .views.templates import Correction

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EXPORT_VERSION = 1


def moment(brief_time, timed: bool) -> str:
    """A date as written: the day alone, or the full RFC 3339 date-time."""
    return brief_time.isoformat() if timed else brief_time.date().isoformat()


def sources(shown: Entry) -> list[dict]:
    """The brief's sources as it cites them, named and graded as data/sources.yml declares them."""
    return [{"name": c.name, **({"url": c.url} if c.url else {}), "type": c.type, "reliability": c.reliability,
             "credibility": c.credibility, "grade": c.grade or None,
             "accessed": c.accessed.isoformat() if c.accessed else None}
            for c in shown.citations]


def terms(shown: Entry) -> dict[str, list[str]]:
    """The brief's terms by taxonomy, in their displayed spelling."""
    return {group.taxonomy.config.name: [term.name for term in group.terms] for group in shown.terms}


def places(shown: Entry) -> list[dict]:
    """Where the brief happened: each place's name, point (WGS 84) and how exactly it is known."""
    return [{"name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country, "precision": p.precision}
            for p in shown.places]


def authors(links: Links, shown: Entry) -> list[dict]:
    """The brief's authors as feeds name them: each with their page on the site."""
    return [{"name": a.name, "url": links.author_permalink(a)} for a in shown.authors]


def json_feed(config: Config, links: Links, feed: Feed) -> dict:
    """A JSON Feed 1.1 document for `feed`."""
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": links.absolute(feed.home),
        "feed_url": links.absolute(feed.json_url),
        **({"description": config.description} if config.description else {}),
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
        "items": [_item(links, shown) for shown in feed.entries],
    }


def _item(links: Links, shown: Entry) -> dict:
    brief = shown.brief
    url = links.permalink(brief)
    marking = [shown.marking.label] if shown.marking else []
    return {
        "id": url,
        "url": url,
        "title": f"[{marking[0]}] {brief.title}" if marking else brief.title,
        "summary": brief.summary,
        "content_html": shown.html,
        **({"language": brief.lang} if brief.lang else {}),
        "date_published": brief.filed.isoformat(),
        "date_modified": brief.modified.isoformat(),
        **({"image": links.absolute(shown.image.url)} if shown.image else {}),
        "tags": [name for names in terms(shown).values() for name in names] + marking,
        **({"authors": written} if (written := authors(links, shown)) else {}),
        "_briefsite": {"location": brief.location, "places": places(shown), "sources": sources(shown),
                       "terms": terms(shown),
                       "audience": brief.audience, "updates": updates(brief)},
    }


def news_article(config: Config, links: Links, shown: Entry) -> dict:
    """schema.org NewsArticle metadata (JSON-LD) for a brief's page."""
    brief = shown.brief
    desk = {"@type": "Organization", "name": config.author or config.title}
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": brief.title,
        "description": brief.summary,
        "url": links.permalink(brief),
        "mainEntityOfPage": links.permalink(brief),
        "datePublished": brief.filed.isoformat(),
        "dateModified": brief.modified.isoformat(),
        "inLanguage": brief.lang or config.language,
        "author": [{"@type": "Person", **a} for a in authors(links, shown)] or desk,
        "publisher": desk,
        "keywords": [name for names in terms(shown).values() for name in names],
        "citation": [{"@type": "CreativeWork", "name": s.name, **({"url": s.url} if s.url else {})}
                     for s in brief.sources],
    }
    if shown.places:  # where it happened, else its dateline
        located = [{"@type": "Place", "name": p.name, "geo": {"@type": "GeoCoordinates", "latitude": p.lat,
                                                              "longitude": p.lon}} for p in shown.places]
        article["contentLocation"] = located[0] if len(located) == 1 else located
    elif brief.location:
        article["contentLocation"] = {"@type": "Place", "name": brief.location}
    return article


def briefs_export(config: Config, links: Links, entries: tuple[Entry, ...], threads) -> dict:
    """Every published brief's normalised header, URL and summary (`entries`, newest first), and the threads."""
    return {
        "version": EXPORT_VERSION,
        "site": {"title": config.title, "url": config.base_url, "timezone": config.timezone,
                 "audience": config.audience},
        "briefs": [_record(config, links, shown) for shown in entries],
        "threads": [{"slug": thread.slug, "url": links.absolute(urls.thread(thread)), "title": thread.title,
                     "status": thread.status, "summary": thread.summary,
                     "briefs": [brief.slug for brief in thread.briefs]} for thread in threads],
    }


def _record(config: Config, links: Links, shown: Entry) -> dict:
    brief, image = shown.brief, shown.image
    return {
        "slug": brief.slug,
        "url": links.permalink(brief),
        "title": brief.title,
        "date": moment(brief.filed, brief.timed),
        "updated": brief.updated.isoformat() if brief.updated else None,
        "location": brief.location,
        "places": places(shown),
        "summary": brief.summary,
        "sources": sources(shown),
        "authors": [author.name for author in shown.authors],
        "audience": brief.audience,
        "expires": brief.expires.isoformat() if brief.expires else None,
        "event": _event(brief),
        "updates": updates(brief),
        "thread": brief.thread[0] if brief.thread else None,
        "image": {"url": links.absolute(image.url), "alt": image.alt, "caption": image.caption} if image else None,
        "attachments": [{"url": links.absolute(a.url), "name": a.name, "type": a.kind, "size": a.size}
                        for a in brief.attachments if a.url],
        **{name: names for name, names in _all_terms(config, shown).items()},
        "extra": brief.extra,
    }


def updates(brief: Brief) -> list[dict]:
    """A brief's log, newest first."""
    return [{"date": moment(update.date, update.timed), "type": update.kind, "note": update.note}
            for update in brief.updates]


def corrections_feed(config: Config, links: Links, corrections: tuple[Correction, ...], url: str) -> dict:
    """A JSON Feed 1.1 document of the newest corrections, one item each."""
    items = []
    for found in corrections:
        brief, update = found.brief, found.update
        prefix = f"[{found.marking.label}] " if found.marking else ""
        items.append({"id": f"{links.permalink(brief)}#correction-{update.date.isoformat()}",
                      "url": f"{links.permalink(brief)}#updates", "title": f"Correction: {prefix}{brief.title}",
                      "content_text": update.note, "date_published": update.date.isoformat()})
    return {"version": JSON_FEED_VERSION, "title": f"Corrections — {config.title}",
            "home_page_url": links.absolute(urls.corrections()), "feed_url": links.absolute(url),
            "language": config.language, "authors": [{"name": config.author or config.title}],
            "items": items}


def _event(brief: Brief) -> dict | None:
    """When it happened, at the header's precision; None without an event."""
    event = brief.event
    if event is None:
        return None
    return {"start": event.iso("start"), "end": event.iso("end") if event.ranged else None, "circa": event.circa,
            "label": event.label}


def _all_terms(config: Config, shown: Entry) -> dict[str, list[str]]:
    """Every taxonomy, empty ones included, so each record has the same keys."""
    found = terms(shown)
    return {name: found.get(name, []) for name in config.taxonomy_names}


def timeline_export(config: Config, links: Links, entries: tuple[Entry, ...]) -> dict:
    """The briefs as a TimelineJS 3 JSON document, oldest first."""
    group = config.timeline_taxonomy
    events = []
    for shown in sorted(entries, key=lambda e: (e.brief.happened, e.brief.filed, e.brief.slug)):
        brief = shown.brief
        when = brief.filed
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
        names = terms(shown).get(group)
        if names:
            event["group"] = names[0]
        if shown.places:  # StoryMapJS's and TimelineJS's slide location: where it happened first
            first = shown.places[0]
            event["location"] = {"name": first.name, "lat": first.lat, "lon": first.lon}
        events.append(event)
    title = {"text": {"headline": _escape(config.title), "text": _escape(config.description)}}
    return {"title": title, "events": events}


def editions_feed(config: Config, links: Links, editions) -> dict:
    """A JSON Feed 1.1 document of the editions, newest first: each with its introduction and its briefs."""
    items = []
    for edition in editions:
        url = links.absolute(urls.edition(edition))
        listed = "".join(f'<li><a href="{links.permalink(b)}">{escape(b.title)}</a></li>' for b in edition.briefs)
        intro = f"<p>{escape(edition.intro.summary)}</p>" if edition.intro and edition.intro.summary else ""
        items.append({"id": url, "url": url, "title": f"{edition.title}: {edition.label}",
                      "content_html": f"{intro}<ul>{listed}</ul>",
                      "date_published": max(b.filed for b in edition.briefs).isoformat(),
                      "date_modified": max(b.modified for b in edition.briefs).isoformat(),
                      "_briefsite": {"kind": edition.kind, "start": edition.start.isoformat(),
                                     "end": edition.end.isoformat(), "briefs": [b.slug for b in edition.briefs]}})
    return {"version": JSON_FEED_VERSION, "title": f"Editions — {config.title}",
            "home_page_url": links.absolute(urls.editions()), "feed_url": links.absolute(urls.editions_feed("json")),
            "language": config.language, "authors": [{"name": config.author or config.title}], "items": items}


def geojson_export(config: Config, links: Links, entries: tuple[Entry, ...]) -> dict:
    """The briefs where they happened as RFC 7946 GeoJSON: a Feature (a Point, longitude first) for each brief
    and each of its places, newest first."""
    features = []
    for shown in entries:
        brief = shown.brief
        for place in shown.places:
            features.append({"type": "Feature", "id": f"{brief.slug}/{place.slug}",
                             "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                             "properties": {
                                 "title": brief.title, "url": links.permalink(brief), "slug": brief.slug,
                                 "date": moment(brief.filed, brief.timed),
                                 "updated": brief.updated.isoformat() if brief.updated else None,
                                 "event": _event(brief), "summary": brief.summary,
                                 "place": place.name, "place_url": links.absolute(urls.place(place)),
                                 "country": place.country, "precision": place.precision,
                                 "audience": brief.audience, **_all_terms(config, shown)}})
    return {"type": "FeatureCollection", "features": features}


def _timeline_date(day, precision: str) -> dict:
    """A TimelineJS date at its precision: a year, a month or a day."""
    parts = {"year": day.year, "month": day.month, "day": day.day}
    return dict(list(parts.items())[:{"year": 1, "month": 2, "day": 3}[precision]])


def _escape(text: str) -> str:
    return str(escape(text))  # TimelineJS renders headline and text as HTML
