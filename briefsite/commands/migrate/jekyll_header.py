"""A Jekyll post's header as Jekyll reads it: a tab where YAML wants a space, lenient dates, the lead image."""

from __future__ import annotations

import re

from .common import Problem, text_or_none
from .dates import lenient_date
from .front_matter import front_matter, header_date, peer_date


def read_front_matter(text: str, max_size: int, notes: list) -> tuple[dict, list[str], str, int]:
    """The post's header; a tab where YAML wants a space ('-\tfoo', '\t- a'), which Jekyll's reader takes, is
    read as one, with a note naming its line."""
    try:
        return front_matter(text, max_size)
    except Problem as problem:
        if not str(problem).startswith("header is not valid YAML"):
            raise
        lines = text.split("\n")
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), 0)
        slips = [i for i in range(1, end) if _TAB_SLIP.match(lines[i])]
        if not slips:
            raise
        written = {i: lines[i] for i in slips}
        for i in slips:
            lines[i] = _TAB_SLIP.sub(lambda found: found.group().replace("\t", "  "), lines[i], count=1)
        loaded = front_matter("\n".join(lines), max_size)
        notes += [(i + 1, f"a tab read as a space, as Jekyll reads it: {written[i]!r}") for i in slips]
        return loaded


# A tab in a line's indentation, after a list's dash, or after a key's colon. A key starts with no space, so
# that a long run of spaces is not tried as indentation and key in every split (quadratic).
_TAB_SLIP = re.compile(r"^[ ]*\t[ \t]*(?:-[ \t]*)*|^[ ]*-[ ]*\t[ \t]*|^[ ]*[\w\"'-][\w\"' -]*:\t[ \t]*")


def read_date(header: dict, lines: list[str], key: str, notes: list):
    """The header's date under `key` as Jekyll reads it; None, with a note, when none can be read."""
    try:
        return header_date(header, lines, key)
    except Problem as problem:
        written = str(header[key])
        try:
            return lenient_date(written)
        except ValueError:
            fallback = "the file name's date is taken" if key == "date" else "left out"
            notes.append((problem.line, f"{key}: {written!r} is no date; {fallback}"))
            return None


def file_name_day(written: str):
    """The day a post's file name gives; raises Problem when it is no day of the calendar (2014-02-30)."""
    try:
        return peer_date(written)
    except ValueError:
        raise Problem(0, f"the file name's date {written} is no day of the calendar, and the header "
                         "gives none") from None


def lead_image(header: dict) -> str | dict | None:
    """Jekyll's lead image, `image: x.png` or `image: {path|feature|url: x.png, alt}`, with its alt text."""
    value = header.get("image")
    if isinstance(value, dict):
        file = next((value[key] for key in ("path", "feature", "file", "url", "src") if text_or_none(value.get(key))),
                    None)
        alt, caption = value.get("alt"), value.get("caption")
    else:
        file, alt, caption = value, None, None
    if not text_or_none(file):
        return None
    caption = text_or_none(caption) or text_or_none(header.get("image_caption") or header.get("image_figcaption"))
    alt = text_or_none(alt) or text_or_none(header.get("image_alt") or header.get("image_accessibility")) or caption
    image = {"file": str(file).strip(), "alt": alt, "caption": caption}
    return {key: value for key, value in image.items() if value}
