"""The site's base URL, checked so that every link made from it stays on its host."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

URL_HELP = "expected an absolute http(s) URL such as https://example.org/briefs/"
# Besides letters, digits and %XX escapes, what a base path may hold: RFC 3986's path characters
# but "&" and "'", which HTML escaping would turn into entities in robots.txt.
PATH_CHARACTERS = "-._~!$()*+,;=:@/%"
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)


def checked_base_url(value: str) -> str:
    """`value` as a base URL: ending in '/', non-ASCII in its path percent-encoded; raises ValueError why not.

    Whatever could make a link made from it lead elsewhere is refused: "//" in the path (a link
    to another host), backslashes (read as "/"), a user name, whitespace and control characters.
    """
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in value):
        raise ValueError(f"expected a URL without spaces or control characters (write a space as %20), got {value!r}")
    if "\\" in value:
        raise ValueError(f"expected '/' rather than '\\', which browsers read as '/', got {value!r}")
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError unless a number up to 65535
    except ValueError:
        raise ValueError(f"{URL_HELP}, got {value!r}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc or "?" in value or "#" in value:
        raise ValueError(f"{URL_HELP}, got {value!r}")
    if "@" in parts.netloc:
        raise ValueError(f"expected a URL without a user name (user@), got {value!r}")
    host = parts.netloc.rpartition(":")[0] if port is not None or parts.netloc.endswith(":") else parts.netloc
    if not _is_host(host):
        raise ValueError("expected a host name of letters, digits, hyphens and dots (an international "
                         f"one in its xn-- form), got {value!r}")
    return value[:len(value) - len(parts.path)] + _base_path(parts.path, value)


def _is_host(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            return ipaddress.ip_address(host[1:-1]).version == 6
        except ValueError:
            return False
    labels = host.removesuffix(".").split(".")
    return all(_LABEL.fullmatch(label) for label in labels)


def _base_path(path: str, value: str) -> str:
    """A base URL's path, checked, percent-encoded and ending in '/'."""
    segments = path.split("/")[1:-1] if path.endswith("/") else path.split("/")[1:]
    if any(not segment for segment in segments):
        raise ValueError(f"expected a URL without an empty path segment ('//'), which makes links lead to "
                         f"another host, got {value!r}")
    if any(unquote(segment) in (".", "..") for segment in segments):
        raise ValueError(f"expected a URL without '.' or '..' path segments, got {value!r}")
    if re.search(r"%(?![0-9a-f]{2})", path, re.IGNORECASE) or any(
            c.isascii() and not c.isalnum() and c not in PATH_CHARACTERS for c in path):
        raise ValueError(f"expected a path of letters, digits, %XX escapes and {PATH_CHARACTERS[:-2]}, "
                         f"got {value!r}")
    return "/" + "".join(quote(segment, safe=PATH_CHARACTERS) + "/" for segment in segments)
