"""Who may read a brief, and when: its audience (a TLP level), a draft, and the embargo of publish_at and expires."""

from __future__ import annotations

from ..errors import BuildError
from ..values.tlp import checked_audience
from .fields import Invalid, describe


def audience(value, config) -> str:
    """The brief's TLP level; site.yml's default_audience when it names none."""
    if value is None:
        return config.default_audience
    try:
        return checked_audience(value)
    except ValueError as exc:
        raise Invalid((), str(exc)) from None


def draft(value, config) -> bool:
    """Whether the brief is a draft, never published."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise Invalid((), f"expected true or false, got {describe(value)}")
    return value


def published(value, config) -> bool | None:
    """Jekyll's `published: false`: a draft."""
    return None if value is None else draft(value, config)


def check_embargo(file, fields: dict, doc, problems) -> None:
    """`expires` must come after `publish_at`: else the brief is never in any site."""
    publish_at, expires = fields.get("publish_at"), fields.get("expires")
    if isinstance(publish_at, tuple) and isinstance(expires, tuple) and expires[0] <= publish_at[0]:
        line, col = doc.where(("expires",))
        problems.append(BuildError(file, line, col, f"expires: {expires[0].isoformat()} is not after publish_at "
                                   f"{publish_at[0].isoformat()}; the brief would never be published"))
