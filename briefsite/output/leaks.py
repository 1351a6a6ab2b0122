"""Traces of left-out briefs in a written site: what would betray a brief, and where it appears.

A brief left out of a build (another audience, embargoed, expired, a draft) must leave no trace
in any output file. Its canaries, each skipped when shorter than 8 characters:

- its title, and its summary when the header gave it;
- its page URL (`urls.brief`), and that URL percent-encoded when it differs;
- its slug, only as a whole token: the characters either side must not be letters, digits,
  marks, '-' or '%' (so "raid-bangkok" is not found in "raid-bangkok-2");
- the 3 longest sentences of at least 40 characters of its body text (tags removed).

Text is compared normalised: HTML entities resolved (until none is left), whitespace runs made one
space, casefolded. A canary that a kept brief also contains (in its title, summary, body text,
location, source or term names, URL or slug) is dropped: it is not distinctive.

Every regular file under the folder is read once (symlinks are skipped, never followed) and decoded
as UTF-8, bad bytes replaced. A gzip file (Pagefind's) is decompressed first, up to
MAX_DECOMPRESSED bytes: a larger or broken one raises ValueError naming it, since a file not read
whole proves nothing. Pagefind's "pagefind_dcd" signature is dropped. JSON (.json files and
Pagefind's fragments) is searched by its strings, escapes resolved; JSON that does not parse, and
CBOR, as it is. Each file is searched as it is and with its tags removed (inline tags such as <em>
leave nothing, others a space), so that a sentence with markup in it is found too.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import os
import re
import stat
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from ..model.brief import Brief
from ..site import urls

MIN_CANARY = 8  # characters: a shorter title, summary or slug is not distinctive
MIN_SENTENCE = 40  # characters
SENTENCES = 3  # the longest sentences of a body taken as canaries
MAX_DECOMPRESSED = 64 * 1024 * 1024  # bytes: a gzip file inflating beyond this is refused
GZIP_MAGIC = b"\x1f\x8b"
PAGEFIND_SIGNATURE = b"pagefind_dcd"

# Elements that sit inside a line of text: removing their tags leaves nothing; any other tag a space.
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
           "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?/?>")
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…。！？])\s+")
_WORD = re.compile(r"[a-z0-9]+")
_WORDS = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256))  # else a space
_PART = "\x00"  # joins separate texts so that no match spans two of them


@dataclass(frozen=True)
class Leak:
    """A canary of a left-out brief found in an output file."""

    file: str  # the output file's path inside the folder, POSIX separators
    brief: str  # the left-out brief's Brief.path
    found: str  # what was found, e.g. "its title 'Thai police raid'"


@dataclass(frozen=True)
class _Canary:
    description: str
    text: str  # normalised
    token: bool = False  # matched only as a whole slug token
    # ASCII words that a text holding `text` holds as whole words: a quick test before the search
    anchors: tuple[bytes, ...] = ()

    def within(self, text: str) -> bool:
        if not self.token:
            return self.text in text
        start = text.find(self.text)
        while start >= 0:
            end = start + len(self.text)
            if not (start and _slug_char(text[start - 1])) and not (end < len(text) and _slug_char(text[end])):
                return True
            start = text.find(self.text, start + 1)
        return False


def _canary(description: str, text: str, token: bool = False) -> _Canary:
    """A canary of normalised `text`, anchored by its words that cannot be part of longer words where it is found."""
    words = {m[0].encode(): None for m in _WORD.finditer(text) if token or (m.start() and m.end() < len(text))}
    return _Canary(description, text, token, tuple(words))


def _slug_char(char: str) -> bool:
    return char in "-%" or unicodedata.category(char)[0] in "LNM"


def normalise(text: str) -> str:
    """`text` with entities resolved, whitespace runs made one space, casefolded."""
    return _flat(_unescape(text))


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _unescape(text: str) -> str:
    """Entities resolved until none is left: a feed's escaped HTML holds "&amp;amp;" for "&"."""
    for _ in range(4):
        if "&" not in text:
            break
        resolved = html.unescape(text)
        if resolved == text:
            break
        text = resolved
    return text


def _strip_tags(text: str) -> str:
    return _TAG.sub(lambda m: "" if m[2].lower() in _INLINE else " ", text)


def _blocks(body: str) -> list[str]:
    """The texts of a body's blocks (paragraphs, items, cells), entities resolved and spaces collapsed."""
    parts = re.split(r"<(?!/?(?:" + "|".join(_INLINE) + r")\b)/?[a-zA-Z][^<>]*>", body)
    blocks = (_SPACES.sub(" ", _unescape(_strip_tags(part))).strip() for part in parts)
    return [block for block in blocks if block]


def _sentences(body: str) -> list[str]:
    """The longest sentences of a body, longest first, as written."""
    found = [s for block in _blocks(body) for s in _SENTENCE_END.split(block) if len(s) >= MIN_SENTENCE]
    return sorted(dict.fromkeys(found), key=len, reverse=True)[:SENTENCES]


def _shown(text: str, most: int = 1000) -> str:
    """`text` quoted, cut at a word before `most` characters."""
    text = " ".join(_unescape(text).split())
    if len(text) > most:
        cut = text[:most - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + "…"
    return f"'{text}'"


def _kept_text(kept: Sequence[Brief]) -> str:
    """Everything the kept briefs say, normalised, each text apart."""
    texts = []
    for brief in kept:
        texts += [brief.title, brief.summary, brief.location or "", brief.slug, urls.brief(brief),
                  quote(urls.brief(brief), safe="/#"), *_blocks(brief.body), *(s.name for s in brief.sources),
                  *(name for _, names in brief.terms for name in names)]
    return _PART.join(normalise(text) for text in texts)


def _canaries(brief: Brief, kept_text: str) -> list[_Canary]:
    url = urls.brief(brief)
    candidates = [_canary(f"its title {_shown(brief.title)}", normalise(brief.title))]
    if brief.summary_given:
        candidates.append(_canary(f"its summary {_shown(brief.summary, 60)}", normalise(brief.summary)))
    candidates.append(_canary(f"its URL {_shown(url)}", normalise(url)))
    encoded = quote(url, safe="/#")
    if encoded != url:
        candidates.append(_canary(f"its URL {_shown(encoded)}", normalise(encoded)))
    candidates.append(_canary(f"its slug {_shown(brief.slug)}", normalise(brief.slug), token=True))
    if quote(brief.slug) != brief.slug:
        candidates.append(_canary(f"its slug {_shown(quote(brief.slug))}", normalise(quote(brief.slug)), token=True))
    candidates += [_canary(f"the sentence {_shown(s, 60)}", normalise(s)) for s in _sentences(brief.body)]
    chosen: dict[tuple[str, bool], _Canary] = {}
    for canary in candidates:
        if len(canary.text) >= MIN_CANARY and not canary.within(kept_text):
            chosen.setdefault((canary.text, canary.token), canary)
    return list(chosen.values())


def canaries(brief: Brief, kept: Sequence[Brief]) -> list[tuple[str, str]]:
    """(description, text) strings that would betray `brief`, leaving out any that a kept brief also contains.

    The text is normalised (see `normalise`); a slug's is matched only as a whole token.
    """
    return [(canary.description, canary.text) for canary in _canaries(brief, _kept_text(kept))]


def _files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(POSIX name inside `folder`, path) of every regular file under `folder`, in name order."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if stat.S_ISREG(path.lstat().st_mode):
                yield path.relative_to(folder).as_posix(), path


def _read(path: Path, name: str) -> bytes:
    """A file's bytes, a gzip file's decompressed; raises ValueError naming a file that cannot be read whole."""
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(MAX_DECOMPRESSED + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{name}: cannot decompress it ({exc}), so it cannot be checked for leaks") from None
        if len(data) > MAX_DECOMPRESSED:
            raise ValueError(f"{name}: decompresses to more than {MAX_DECOMPRESSED} bytes, "
                             "so it cannot be checked for leaks")
    return data


def _json_strings(value: object, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            out.append(key)
            _json_strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _json_strings(item, out)


def _views(name: str, data: bytes) -> tuple[str, ...]:
    """A file's text as it is and with tags removed, both normalised."""
    signed = data.startswith(PAGEFIND_SIGNATURE)
    text = data.removeprefix(PAGEFIND_SIGNATURE).decode("utf-8", errors="replace")
    if name.endswith(".json") or (signed and text.lstrip()[:1] in ("{", "[")):
        strings: list[str] = []
        try:
            _json_strings(json.loads(text), strings)
            text = _PART.join(strings)
        except (ValueError, RecursionError):
            pass  # not JSON after all: searched as it is
    text = _unescape(text)
    return (_flat(text), _flat(_strip_tags(text))) if "<" in text else (_flat(text),)


def find_leaks(folder: Path, left_out: Sequence[Brief], kept: Sequence[Brief]) -> list[Leak]:
    """Every place in the files under `folder` where a left-out brief's canary appears.

    Sorted by (file, brief, found); raises ValueError naming a file that cannot be read whole.
    """
    kept_text = _kept_text(kept)
    # The words kept briefs use least are the likeliest to be absent from a file: test those first.
    counts = Counter(kept_text.encode().translate(_WORDS).split())
    by_anchor: dict[bytes, list[tuple[str, _Canary]]] = {}  # by a canary's longest anchor
    unanchored: list[tuple[str, _Canary]] = []
    for brief in left_out:
        for canary in _canaries(brief, kept_text):
            rarest = sorted(canary.anchors, key=lambda word: (counts[word], -len(word)))[:4]
            canary = replace(canary, anchors=tuple(rarest))
            if canary.anchors:
                by_anchor.setdefault(canary.anchors[0], []).append((brief.path, canary))
            else:
                unanchored.append((brief.path, canary))
    leaks = set()
    for name, path in _files(folder):
        views = _views(name, _read(path, name))
        words = set(_PART.join(views).encode().translate(_WORDS).split())
        candidates = [c for anchor in words.intersection(by_anchor) for c in by_anchor[anchor]] + unanchored
        for brief, canary in candidates:
            if all(word in words for word in canary.anchors) and any(canary.within(view) for view in views):
                leaks.add(Leak(name, brief, canary.description))
    return sorted(leaks, key=lambda leak: (leak.file, leak.brief, leak.found))
