"""Reading raw wire reports: dateline, title, body, sources, and the site's terms they name."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

from ..model.site import Site
from ..values.slugs import term_key

TITLE_LENGTH = 100
MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"), start=1)
    for name in names.split()}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WHEN = rf"(?:{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
_PLACE = r"(?P<place>[^\W\d_][^\W\d_ .'’-]*(?:[ .'’-]{1,2}[^\W\d_]+){0,3})"
_DASH = r"\s*(?:--|[—–-])\s*"
_AGENCY = r"\((?P<agency>[^()\n]{1,40})\)"
DATELINES = (  # the sample's own form, then the wire forms
    re.compile(r"\s*(?i:date)\s+(?P<when>\d{4}-\d{2}-\d{2})\s+(?P<place>[^:\n]{1,60}?)\s*:\s*"),
    re.compile(rf"\s*{_PLACE}\s*,\s*(?P<when>{_WHEN})\s*(?:{_AGENCY})?{_DASH}", re.IGNORECASE),
    re.compile(rf"\s*{_PLACE}\s*{_AGENCY}{_DASH}"),
)
DATELINE_HELP = "no dateline such as 'BEIJING, Feb. 27 (Xinhua) --' or 'date 2025-02-27 Beijing:' at the start"
DATE_HELP = "pass --date or put YYYY-MM-DD in the file name"

# A proper name: capitalised words, joined by the small words names contain.
_CAP = r"[A-Z](?:[\w&'’-]|\.(?=\w))*"
_NAME = rf"{_CAP}(?:\s+(?:(?:of|for|and|on|the|de|du|des)\s+)*{_CAP})*"
AGENCY_CUES = re.compile(rf"\b(?i:reports|reported|reporting)\s+(?:the\s+)?({_NAME})|({_NAME})\s+(?i:news\s+agency)")
OTHER_CUES = re.compile(rf"\b(?i:according\s+to|citing)\s+(?:the\s+)?({_NAME})")
ACRONYM_DEFINED = re.compile(rf"({_NAME})\s*\(([A-Z][A-Z&]{{1,9}})\)")
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"}
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "no", "vs", "inc",
                 "corp", "co", "ltd", "jr", "sr", *(m for m in MONTHS if len(m) <= 4)}
ADJECTIVES = {  # only used when the country is already a term of the site
    "American": "United States", "Australian": "Australia", "British": "United Kingdom", "Burmese": "Myanmar",
    "Cambodian": "Cambodia", "Canadian": "Canada", "Chinese": "China", "Filipino": "Philippines",
    "French": "France", "German": "Germany", "Indian": "India", "Indonesian": "Indonesia", "Italian": "Italy",
    "Japanese": "Japan", "Lao": "Laos", "Laotian": "Laos", "Malaysian": "Malaysia", "Mexican": "Mexico",
    "Pakistani": "Pakistan", "Philippine": "Philippines", "Russian": "Russia", "Singaporean": "Singapore",
    "Spanish": "Spain", "Taiwanese": "Taiwan", "Thai": "Thailand", "Ukrainian": "Ukraine", "Vietnamese": "Vietnam",
}
ACRONYM_TAXONOMIES = ("countries", "organizations")
# Paragraph starts that Markdown would read as syntax, and how to keep them text.
_SYNTAX = re.compile(r"#|>|[-*+](?:\s|$)|([-*_])\s*(?:\1\s*){2,}$|\*\[|\[[^\]]*\]:"
                     r"|```|~~~|<[A-Za-z!/?]|\d+\.(?:\s|$)|:\s")
_ENTITIES = {":": "&#58;", "~": "&#126;", "<": "&lt;"}  # characters a backslash does not escape
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1 but tab and line ends


class Skip(Exception):
    """A report that cannot become a brief; the message says why."""


@dataclass(frozen=True)
class Report:
    """What was read from one raw report."""

    title: str
    day: date
    location: str | None
    sources: tuple[str, ...]
    body: str  # Markdown
    text: str  # everything, plain, for finding terms


def read_report(data: bytes, hint: date | None, title: str | None = None) -> Report:
    """Parse a raw report; `hint` dates a dateline without a date or year. Raises Skip."""
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Skip(f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    _refuse_controls(raw)
    paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n", raw.replace("\r\n", "\n").replace("\r", "\n"))]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise Skip("empty file")
    headline = None
    match = _dateline(paragraphs[0])
    if match is None and len(paragraphs) > 1 and _is_headline(paragraphs[0]):
        headline, paragraphs = paragraphs[0], paragraphs[1:]
        match = _dateline(paragraphs[0])
    if match is None:
        raise Skip(DATELINE_HELP)
    dateline = paragraphs[0][:match.end()].strip()
    paragraphs = [paragraphs[0][match.end():], *paragraphs[1:]]
    paragraphs = [" ".join(line.strip() for line in p.split("\n") if line.strip()) for p in paragraphs]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise Skip("no text after the dateline")
    place = match.group("place").strip()
    agency = match.groupdict().get("agency")
    text = "\n\n".join(filter(None, (title, headline, dateline, *paragraphs)))
    return Report(
        title=title or headline or first_sentence(paragraphs[0]),
        day=_day(match.groupdict().get("when"), dateline, hint),
        location=_capitalise(place) if place.isupper() else place,
        sources=find_sources(agency.strip() if agency else None, "\n\n".join(paragraphs)),
        body="\n\n".join(_escape(p) for p in paragraphs),
        text=text,
    )


def _refuse_controls(raw: str) -> None:
    # A control character would reach the brief, where it breaks the feeds' XML, and the terminal.
    if found := CONTROLS.search(raw):
        raise Skip(f"control character {found.group()!r} on line {raw.count(chr(10), 0, found.start()) + 1}; "
                   "a report must be plain text")


def _dateline(paragraph: str) -> re.Match | None:
    return next((m for m in (d.match(paragraph) for d in DATELINES) if m), None)


def _is_headline(paragraph: str) -> bool:
    return "\n" not in paragraph and len(paragraph) <= 120 and not paragraph.endswith(".")


def _capitalise(place: str) -> str:
    # "XI'AN" -> "Xi'an", "NEW YORK" -> "New York"; str.title() would say "Xi'An".
    return re.sub(r"[^\W\d_]+(?:['’][^\W\d_]+)?", lambda m: m.group().capitalize(), place)


def _day(when: str | None, dateline: str, hint: date | None) -> date:
    if when is None:
        if hint is None:
            raise Skip(f"the dateline {dateline!r} has no date; {DATE_HELP}")
        return hint
    iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}", when)
    numbers = [int(n) for n in re.findall(r"\d+", when)]
    month = None if iso else MONTHS[re.search(r"[A-Za-z]+", when).group().lower()]
    try:
        if iso:
            return date.fromisoformat(when)
        if len(numbers) == 2:
            return date(numbers[1], month, numbers[0])
        if hint is None:
            raise Skip(f"the dateline {dateline!r} has no year; {DATE_HELP}")
        # "Dec. 31" filed on 2026-01-01 is from the year before: take the year nearest the hint.
        days = [date(year, month, numbers[0]) for year in (hint.year - 1, hint.year, hint.year + 1)]
        return min(days, key=lambda d: abs(d - hint))
    except ValueError:
        raise Skip(f"{when!r} in the dateline is not a real date") from None


def first_sentence(paragraph: str) -> str:
    """A title from a paragraph: its first sentence, cut near TITLE_LENGTH at a word boundary."""
    sentence = paragraph
    for end in re.finditer(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])", paragraph):
        word = re.search(r"(\w+)\W*$", paragraph[:end.start() + 1])
        if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1):
            continue  # "Feb. 27", "U.S. officials"
        sentence = paragraph[:end.end()]
        break
    sentence = sentence.strip().removesuffix(".")
    if len(sentence) <= TITLE_LENGTH:
        return sentence
    cut = sentence[:TITLE_LENGTH + 1]
    words = cut[:cut.rfind(" ")].split()  # up to the last space: no word cut in two
    while len(words) > 1 and words[-1].lower().strip(",;:") in SMALL_WORDS:
        words.pop()  # "... on Thursday in a" reads better as "... on Thursday"
    return " ".join(words).rstrip(",;:") + "…"


def _escape(paragraph: str) -> str:
    """Keep a paragraph that starts like Markdown syntax as plain text."""
    match = _SYNTAX.match(paragraph)
    if not match:
        return paragraph
    if paragraph[0] in _ENTITIES:
        return _ENTITIES[paragraph[0]] + paragraph[1:]
    if paragraph[0].isdigit():  # "1. " is a list; "1\. " is text
        dot = paragraph.index(".")
        return paragraph[:dot] + "\\" + paragraph[dot:]
    if match.group(1):  # a rule: "\---" would still smarten "--" into a dash
        return re.sub(r"([-*_])", r"\\\1", paragraph)
    return "\\" + paragraph


def _clean_name(name: str) -> str:
    # "China's Ministry of ..." -> "Ministry of ...", and a sentence's "The Xinhua News Agency" -> "Xinhua".
    name = re.sub(r"^(?:The\s+)?(?:[\w.-]+['’]s\s+)*", "", name)
    name = re.sub(r"\s+news\s+agency$", "", name, flags=re.IGNORECASE)
    return name.strip()


def find_sources(agency: str | None, body: str) -> tuple[str, ...]:
    """Sources named in the report: the agency that carried it first, then the bodies it cites."""
    found = [agency] if agency else []
    for cues in (AGENCY_CUES, OTHER_CUES):
        found += [_clean_name(m.group(1) or m.group(2)) for m in cues.finditer(body)]
    unique: dict[str, str] = {}
    for name in filter(None, found):
        unique.setdefault(term_key(name), name)
    return tuple(unique.values())


def suggest_terms(text: str, site: Site) -> dict[str, list[str]]:
    """Known terms of each taxonomy that the text names: by name, a declared alias, acronym or country
    adjective; a declared entity no brief uses yet is known too."""
    known = {(t.config.name, term.key): term for t in site.taxonomies for term in t.terms}
    keys: set[tuple[str, str]] = {key for key, term in known.items() if _words(term.name).search(text)}
    declared = {(e.taxonomy, term_key(e.name)): e.name for e in site.data.entities
                if any(_alias(name).search(text) for name in (e.name, *e.aliases))}
    acronyms: dict[str, set] = {}
    for (taxonomy, key), term in known.items():
        initials = "".join(w[0] for w in term.name.split() if w[0].isupper())
        if taxonomy in ACRONYM_TAXONOMIES and len(initials) >= 2:
            acronyms.setdefault(initials, set()).add((taxonomy, key))
    # Definitions in the site's briefs teach acronyms whose initials differ (ASEAN); the text's own win.
    bodies = (html.unescape(re.sub(r"<[^>]+>", " ", brief.body)) for brief in site.briefs)
    for name, acronym in ACRONYM_DEFINED.findall("\n\n".join((*bodies, text))):
        # "Officials of the Ministry of Public Security (MPS)": try shorter tails until one is a term.
        words = _clean_name(name).split()
        tails = (term_key(" ".join(words[i:])) for i in range(len(words)))
        found = {(t, k) for k in tails for t in ACRONYM_TAXONOMIES if (t, k) in known}
        if found:
            acronyms[acronym] = found  # the text's own definition wins over initials
    for acronym, terms in acronyms.items():
        if len(terms) == 1 and re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", text):
            keys |= terms
    for adjective, country in ADJECTIVES.items():
        if ("countries", term_key(country)) in known and re.search(rf"(?<!\w){adjective}(?!\w)", text):
            keys.add(("countries", term_key(country)))
    named = {key: term.name for key, term in known.items() if key in keys} | declared
    # In each taxonomy's own (alphabetical) order: stable whatever the text's order.
    return {t.config.name: sorted((name for (taxonomy, _), name in named.items() if taxonomy == t.config.name),
                                  key=lambda name: (name.casefold(), name))
            for t in site.taxonomies}


def _alias(name: str) -> re.Pattern:
    # A declared name in capitals ("MPS") is an acronym: found as written, not in "mps" of a URL.
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") if name.isupper() else _words(name)


def _words(name: str) -> re.Pattern:
    # Whole words, any case, any separator: "telecom fraud" finds "Telecom-Fraud".
    parts = [re.escape(w) for w in re.split(r"[\s_-]+", name.strip()) if w]
    return re.compile(r"(?<!\w)" + r"[\s_-]+".join(parts) + r"(?!\w)", re.IGNORECASE)
