"""Readable, stable URL segments for briefs and terms in any script."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

MAX_SLUG = 80
# A slug is one folder name on disk, and file systems allow 255 bytes: letters
# outside the Basic Multilingual Plane take four bytes each in UTF-8.
BYTES_PER_CHAR = 3


def _is_word_char(char: str) -> bool:
    # Letters, digits and combining marks of every script: Thai vowel signs and
    # Devanagari matras are marks, and dropping them would mangle the word.
    return unicodedata.category(char)[0] in "LNM"


def _fold(text: str) -> str:
    """Case- and width-folded text that keeps every script's letters whole."""
    # NFC, not NFKC: NFKC splits Thai SARA AM and Lao AM into two characters.
    # Width is folded for the full- and half-width forms only.
    text = "".join(unicodedata.normalize("NFKC", c) if "\uff00" <= c <= "\uffef" else c
                   for c in unicodedata.normalize("NFC", text))
    return unicodedata.normalize("NFC", text.casefold())


def _cap(slug: str, limit: int) -> str:
    """`slug` cut to `limit` characters and 3 bytes each on average, at a hyphen when there is one."""
    most = limit * BYTES_PER_CHAR
    if len(slug) <= limit and len(slug.encode("utf-8")) <= most:
        return slug
    cut = slug[:limit]
    while len(cut.encode("utf-8")) > most:
        cut = cut[:-1]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


def slugify(text: str) -> str:
    """Lowercase words of `text` joined by hyphens; '' when it has no words."""
    words, word = [], []
    for char in _fold(text):
        if _is_word_char(char):
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return _cap("-".join(words), MAX_SLUG)


@lru_cache(maxsize=65536)  # a corpus repeats a few hundred names tens of thousands of times
def term_key(name: str) -> str:
    """The identity of a term: case-, width- and separator-insensitive."""
    text = _fold(name)
    for sep in "-_":
        text = text.replace(sep, " ")
    return " ".join(text.split())


def short_hash(text: str, digits: int = 6) -> str:
    """Hex digits that tell apart terms whose words coincide."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:digits]


def term_slugs(keys: list[str]) -> dict[str, str]:
    """Give each term key a unique slug; colliding or empty slugs get a hash.

    A key keeps its plain slug when it is the natural spelling of that slug
    ("telecom fraud" -> "telecom-fraud"), so adding "C#" next to "c" never
    moves "c"'s page; other keys in a collision get a suffix from their own
    text, which is stable whatever other terms exist.
    """
    groups: dict[str, list[str]] = {}
    for key in sorted(set(keys)):
        groups.setdefault(slugify(key), []).append(key)
    slugs: dict[str, str] = {}
    natural: set[str] = set()
    for slug, members in groups.items():
        for key in members:
            if slug and key.replace(" ", "-") == slug:
                natural.add(key)
            plain = slug and (len(members) == 1 or key in natural)
            slugs[key] = slug if plain else _hashed(slug, key, 6)
    taken: set[str] = set()
    for key in sorted(slugs, key=lambda k: (k not in natural, k)):
        if slugs[key] in taken:  # a six-digit hash met a natural slug: vanishingly rare
            slugs[key] = _hashed(slugify(key), key, 16)
        taken.add(slugs[key])
    return slugs


def _hashed(slug: str, key: str, digits: int) -> str:
    return f"{_cap(slug, MAX_SLUG - digits - 1) or 'term'}-{short_hash(key, digits)}"


def is_segment(slug: str) -> bool:
    """True when `slug` is already a clean single URL segment."""
    return bool(slug) and slugify(slug) == slug
