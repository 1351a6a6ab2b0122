"""Files beside a brief: its attachments, and its lead image with the alt text that says what it shows."""

from __future__ import annotations

from ..errors import BuildError
from ..model.brief import LeadImage
from .fields import Invalid, describe, text


def attachments(value, config) -> tuple[tuple[str, str | None], ...]:
    """Documents beside the brief: each a file, or {file, title}."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_attachment(item, (index,)) for index, item in enumerate(items))


def _attachment(item, key) -> tuple[str, str | None]:
    if not isinstance(item, dict):
        return _file(item, key), None
    _only(item, key, ("file", "title"), "an attachment")
    return _file(item.get("file"), key + ("file",)), _optional(item.get("title"), key + ("title",))


def image(value, config) -> tuple[str, str, str | None] | None:
    """The lead image: {file, alt, caption}, alt required (what it shows, for who cannot see it); or only
    its file, as Jekyll and Hugo themes write it, with no alt text (`lead_image` warns)."""
    if value is None:
        return None
    if isinstance(value, str):
        return _file(value, ()), "", None
    if not isinstance(value, dict):
        raise Invalid((), "expected a file beside the brief or {file, alt, caption}: the image, and what it shows "
                          f"for readers who cannot see it, got {describe(value)}")
    _only(value, (), ("file", "alt", "caption"), "the image")
    if value.get("alt") is None:
        raise Invalid((), "the image needs alt text: what it shows, for readers who cannot see it")
    return (_file(value.get("file"), ("file",)), text(value["alt"], ("alt",)),
            _optional(value.get("caption"), ("caption",)))


def lead_image(file: str, image: tuple[str, str, str | None], doc, problems: list) -> LeadImage:
    """The lead image where `image:` gives it; one without alt text (`image: route.png`) is a warning there,
    as a body image without it is."""
    target, alt, caption = image
    line, column = doc.where(("image",))
    if not alt:
        problems.append(BuildError(file, line, column, f"image '{target}' has no alt text; say what it shows, "
                                   f"as in image: {{file: {target}, alt: Route of the convoy}}", warning=True))
    return LeadImage(target, alt, caption, line, column)


def _only(item: dict, key: tuple, allowed: tuple[str, ...], what: str) -> None:
    unknown = [k for k in item if k not in allowed]
    if unknown:
        raise Invalid(key + (unknown[0],), f"unknown key '{unknown[0]}' in {what}; expected "
                                           f"{', '.join(allowed[:-1])} and {allowed[-1]}")


def _optional(value, key) -> str | None:
    return None if value is None else text(value, key)


def _file(value, key) -> str:
    """A file beside the brief, by its path relative to the brief's file (checked when published)."""
    if value is None:
        raise Invalid(key, "expected a file beside the brief, such as 'docs/statement.pdf'")
    path = text(value, key)
    if ":" in path or path.startswith(("/", "#")) or "\\" in path:
        raise Invalid(key, f"{path!r} is not a file beside the brief; expected a relative path such as "
                           "'docs/statement.pdf'")
    return path
