"""The typed model of one brief: its header's values and its body. Data only, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Source:
    """Where a brief's information comes from, as its header cites it: a name, a link if known, the day
    it was read and how credible this information is (Admiralty code, 1 to 6)."""

    name: str
    url: str | None = None
    accessed: date | None = None
    credibility: int | None = None


SOURCE_TYPES = ("official", "wire", "press", "ngo", "social", "other")
RELIABILITY = ("A", "B", "C", "D", "E", "F")  # Admiralty code: A completely reliable .. F cannot be judged


@dataclass(frozen=True)
class SourceProfile:
    """What data/sources.yml declares of one source: its other names, its type and its reliability."""

    name: str
    aliases: tuple[str, ...] = ()
    type: str | None = None  # one of SOURCE_TYPES
    reliability: str | None = None  # one of RELIABILITY
    url: str | None = None


@dataclass(frozen=True)
class Citation:
    """One source as a brief cites it, graded: what its header says, and what data/sources.yml declares."""

    number: int  # its place in the brief's list, from 1
    name: str  # as declared, else as written
    slug: str  # of its page, /sources/<slug>/
    url: str | None  # the brief's link to it, else the declared one
    accessed: date | None
    credibility: int | None  # 1 to 6
    type: str | None
    reliability: str | None  # A to F

    @property
    def grade(self) -> str:
        """The Admiralty grade as far as known: 'B2', 'B' (credibility not given), '2' (source not graded)."""
        return f"{self.reliability or ''}{self.credibility or ''}"

    @property
    def weak(self) -> bool:
        """Social media, or a source graded unreliable (E) or not to be judged (F)."""
        return self.type == "social" or self.reliability in ("E", "F")


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")


@dataclass(frozen=True)
class Event:
    """When what a brief reports happened, as precisely as the header said: a day, a month or a
    year, or a range of them, maybe approximate (`circa`)."""

    start: date  # the first day of the start's period
    end: date  # the last day of the end's period (of the start's, for one period)
    start_precision: str  # "day", "month" or "year"
    end_precision: str
    circa: bool = False
    ranged: bool = False  # given as a start and an end

    @property
    def label(self) -> str:
        """As written: '27 February 2025', '20–27 February 2025', 'February 2025', 'c. 2025'."""
        text = self._range() if self.ranged else _point(self.start, self.start_precision)
        return f"c. {text}" if self.circa else text

    def _range(self) -> str:
        start, end, precision = self.start, self.end, self.start_precision
        if precision != self.end_precision:
            return f"{_point(start, precision)} – {_point(end, self.end_precision)}"
        if precision == "year":
            return f"{start.year}–{end.year}"
        if start.year != end.year:
            return f"{_point(start, precision)} – {_point(end, precision)}"
        if precision == "month":
            return f"{MONTH_NAMES[start.month - 1]}–{MONTH_NAMES[end.month - 1]} {end.year}"
        if start.month != end.month:
            return f"{start.day} {MONTH_NAMES[start.month - 1]} – {_point(end, precision)}"
        return f"{start.day}–{_point(end, precision)}"

    def iso(self, which: str) -> str:
        """The start or end ('start', 'end') in ISO 8601 at its precision: '2025', '2025-02', '2025-02-27'."""
        day, precision = (self.start, self.start_precision) if which == "start" else (self.end, self.end_precision)
        return day.isoformat()[:{"year": 4, "month": 7, "day": 10}[precision]]

    @property
    def years(self) -> list[int]:
        """Every year the event spans, first to last."""
        return list(range(self.start.year, self.end.year + 1))

    @property
    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the event spans, first to last; none when an end is known only to the year."""
        if "year" in (self.start_precision, self.end_precision):
            return []
        year, month, found = self.start.year, self.start.month, []
        while (year, month) <= (self.end.year, self.end.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def _point(day: date, precision: str) -> str:
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


DOCUMENT_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".odt": "OpenDocument text", ".xls": "Excel",
                  ".xlsx": "Excel", ".ods": "OpenDocument spreadsheet", ".csv": "CSV", ".txt": "Text", ".json": "JSON",
                  ".zip": "ZIP", ".ppt": "PowerPoint", ".pptx": "PowerPoint", ".kml": "KML", ".geojson": "GeoJSON"}


@dataclass(frozen=True)
class Attachment:
    """A document a brief attaches (a ministry's statement as a PDF): the file beside it as the header
    names it, and once the media stage has published it, its URL and size."""

    file: str  # relative to the brief, as written
    title: str | None
    line: int
    column: int
    url: str | None = None  # site-relative, once published
    size: int = 0  # bytes

    @property
    def name(self) -> str:
        return self.title or self.file.rsplit("/", 1)[-1]

    @property
    def kind(self) -> str:
        """What the file is, by its ending: 'PDF', 'Word', else the ending in capitals."""
        suffix = "." + self.file.rsplit(".", 1)[-1].lower() if "." in self.file.rsplit("/", 1)[-1] else ""
        return DOCUMENT_KINDS.get(suffix, suffix[1:].upper() or "File")


@dataclass(frozen=True)
class LeadImage:
    """The picture a brief leads with (`image:`): on its page, in lists, feeds and link previews."""

    file: str  # relative to the brief, as written
    alt: str
    caption: str | None
    line: int
    column: int
    url: str | None = None  # site-relative, once published
    width: int | None = None
    height: int | None = None
    markup: str = ""  # its <picture>, once published
    thumbnail: str | None = None  # site-relative URL of its smallest rendition, for lists
    in_body: bool = False  # the body shows it too: the page does not show it twice


# What a reference in a body is: a link to another brief's file, a link to a file beside the brief, or a
# file it shows (an image's source).
BRIEF, LINKED, SHOWN = "brief", "linked", "shown"


@dataclass(frozen=True)
class Reference:
    """One place a brief's body refers to another brief or to a file beside it: recorded when the body is
    parsed, with where its HTML holds it, and resolved once the build knows the page or the file's URL."""

    target: str  # the path as written, without query or fragment: "2025-01-16-x.md", "maps/route.png"
    kind: str  # BRIEF, LINKED or SHOWN
    element: str  # the tag it is an attribute of: "a", "img"
    slot: tuple[int, int]  # offsets in the body of the target as written: its URL goes there
    tag: tuple[int, int]  # offsets of the element's start tag: an image's <picture> goes there
    end_tag: tuple[int, int] | None = None  # a link to a brief: its </a>, dropped with its start tag to leave text
    optional: bool = False  # a link to a brief titled "optional": plain text when the build leaves its brief out
    alt: str = ""  # an image's alt text
    line: int = 0  # where the file writes it
    column: int = 0


PRECISIONS = ("site", "town", "region", "country")  # how exactly a place's point is known, finest first


@dataclass(frozen=True)
class Spot:
    """A place a brief names: each of `places:` as written, else its dateline (`location`); with the
    coordinates and precision the header gives, if any. The index resolves it to a place of the site."""

    name: str
    line: int
    column: int
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None  # one of PRECISIONS, when given
    dateline: bool = False  # it is the brief's `location`, not one of `places:`


UPDATE_KINDS = ("correction", "update")


@dataclass(frozen=True)
class Update:
    """One entry of a brief's log: a correction of what it said, or an update on what happened."""

    date: datetime  # aware, in the site's timezone
    timed: bool
    kind: str  # "correction" or "update"
    note: str


@dataclass(frozen=True)
class Brief:
    """One brief, validated and rendered; a pure function of its file and the config."""

    path: str  # as shown in messages, e.g. "briefings/2025-02-27-x.md"
    slug: str
    title: str
    filed: datetime  # its `date`: aware, in the site's timezone
    timed: bool  # whether the header gave a time of day, not only a date
    updated: datetime | None
    location: str | None
    lang: str | None  # the language it is written in, when not the site's (a BCP 47 tag)
    summary: str  # from the header, else cut from the first paragraph
    summary_given: bool  # whether the header gave it (else it repeats the lede)
    sources: tuple[Source, ...]
    terms: tuple[tuple[str, tuple[str, ...]], ...]  # (taxonomy, names as written)
    draft: bool
    authors: tuple[str, ...]  # names as written (`author` or `authors`)
    extra: dict = field(hash=False, compare=False)
    body: str = ""  # sanitised HTML
    references: tuple[Reference, ...] = ()  # its body's links and images to other briefs and files, in order
    aliases: tuple[tuple[str, int, int], ...] = ()  # old URLs redirecting here: (url, line, column)
    audience: str = "clear"  # its TLP level (see site/audience.py)
    publish_at: datetime | None = None  # embargoed until then
    expires: datetime | None = None  # in no site from then on
    event: Event | None = None  # when it happened, if the header says (else: its date)
    updates: tuple[Update, ...] = ()  # its log, newest first
    thread: tuple[str, int, int] | None = None  # the slug of its developing story, and where the header gave it
    attachments: tuple[Attachment, ...] = ()
    image: LeadImage | None = None
    places: tuple[Spot, ...] = ()  # where it happened: `places:`, else its dateline

    @property
    def date(self) -> date:
        """The calendar day of the brief in the site's timezone."""
        return self.filed.date()

    @property
    def corrected(self) -> bool:
        """Whether any entry of its log corrects it."""
        return any(update.kind == "correction" for update in self.updates)

    @property
    def happened(self) -> date:
        """Where the brief sits in time: its event's first day, else its date."""
        return self.event.start if self.event else self.date

    @property
    def years(self) -> list[int]:
        """The years the brief is placed in: every year of its event, else its date's."""
        return self.event.years if self.event else [self.date.year]

    @property
    def months(self) -> list[tuple[int, int]]:
        """The (year, month) periods the brief is placed in: every month of its event (none for an event
        known only to the year), else its date's."""
        return self.event.months if self.event else [(self.date.year, self.date.month)]

    @property
    def modified(self) -> datetime:
        """When the brief last changed: `updated`, else `date`."""
        return self.updated or self.filed

    def terms_of(self, taxonomy: str) -> tuple[str, ...]:
        for name, values in self.terms:
            if name == taxonomy:
                return values
        return ()
