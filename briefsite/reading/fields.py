"""What every header field's reader shares: the Invalid it raises, text, and values as messages name them."""

from __future__ import annotations


class Invalid(Exception):
    """A header value is wrong; the message says what was expected."""

    def __init__(self, key: tuple, message: str):
        super().__init__(message)
        self.key = key


def text(value, key=()) -> str:
    """A value as text, stripped: a string or a number, never empty."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(key, f"expected text, got {describe(value)}")
    written = str(value).strip()
    if not written:
        raise Invalid(key, "expected text, got an empty value")
    return written


def describe(value) -> str:
    """How a YAML value is named in messages."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str) and len(value) > 40:
        return "text"
    return repr(value)


def quoted(value) -> str:
    """A header value as quoted in messages: text as written, others as YAML wrote them."""
    return repr(value.strip()) if isinstance(value, str) else str(value)
