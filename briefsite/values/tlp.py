"""TLP 2.0 levels: their names, markings and rules, and which level may read which."""

from __future__ import annotations

LEVELS = ("clear", "green", "amber", "amber+strict", "red")  # each shareable more narrowly than the last
OLD_NAMES = {"white": "clear"}  # TLP 1.0's WHITE is TLP 2.0's CLEAR


def checked_audience(value) -> str:
    """A TLP level as written ('amber', 'AMBER', 'TLP:AMBER'), as its lowercase name; ValueError if none."""
    if not isinstance(value, str):
        raise ValueError(f"expected one of {', '.join(LEVELS)}, got {value!r}")
    name = value.strip().lower().removeprefix("tlp:")
    if name in LEVELS:
        return name
    hint = f"; TLP 2.0 calls {value.strip()!r} '{OLD_NAMES[name]}'" if name in OLD_NAMES else ""
    raise ValueError(f"expected one of {', '.join(LEVELS)} (TLP 2.0), got {value!r}{hint}")


def label(audience: str) -> str:
    """The marking as TLP writes it: 'TLP:AMBER+STRICT'."""
    return f"TLP:{audience.upper()}"


RULES = {  # TLP 2.0's one-line definitions, shown beside a marking
    "clear": "Disclosure is not limited.",
    "green": "Limited disclosure, restricted to the community.",
    "amber": "Limited disclosure, restricted to participants' organisations and their clients, on a need-to-know "
             "basis.",
    "amber+strict": "Limited disclosure, restricted to participants' organisations.",
    "red": "For the eyes and ears of individual recipients only, no further disclosure.",
}


def rule(audience: str) -> str:
    """What TLP allows a reader of `audience` to share."""
    return RULES[audience]


COLOURS = {"clear": "#ffffff", "green": "#33ff00", "amber": "#ffc000", "amber+strict": "#ffc000", "red": "#ff2b2b"}
# TLP 2.0's colours, as its markings print them: on black (the theme's .tlp-* rules match).


def marked(audience: str) -> bool:
    """Whether a build for `audience` marks its pages: any above clear does."""
    return audience != LEVELS[0]


def within(audience: str, build: str) -> bool:
    """Whether a brief for `audience` may go into a build for `build`."""
    return LEVELS.index(audience) <= LEVELS.index(build)
