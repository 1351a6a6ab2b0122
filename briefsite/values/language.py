"""A language as BCP 47 tags it: the site's, or one brief's."""

from __future__ import annotations

import re

# Pagefind names its index files after the language and slices a 40-digit hash at the tag's
# length + 8; the hash loses a digit for each byte under 16, so a longer tag may crash it.
LANGUAGE_LENGTH = 20
LANGUAGE_TAG = re.compile(  # RFC 5646's well-formed tags (the regular grandfathered ones match langtag)
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"  # language, script, region
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"  # variants, extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?|x(?:-[a-z0-9]{1,8})+"  # private use
    r"|en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)|sgn-(?:be-fr|be-nl|ch-de)",
    re.IGNORECASE)


def checked_language(value: str) -> str:
    """`value` if it is a BCP 47 language tag Pagefind can take; ValueError saying what was expected."""
    if len(value) > LANGUAGE_LENGTH or not LANGUAGE_TAG.fullmatch(value):
        raise ValueError(f"expected a BCP 47 language tag of at most {LANGUAGE_LENGTH} characters such as "
                         f"'en', 'zh-Hans' or 'th', got {value!r}")
    return value
