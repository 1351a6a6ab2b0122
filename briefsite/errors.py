"""Build errors and warnings as values, collected over a whole run, and how paths are shown in them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Characters a terminal may act on or that hide text: C0 and C1 controls (ESC starts the
# sequences that move the cursor and recolour), invisible format characters (bidirectional
# overrides reorder what is shown), line and paragraph separators, and lone surrogates
# (which no terminal encoding can write).
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_SHOWN = {"\u200c", "\u200d"}  # zero-width (non-)joiners: part of how Persian and Indic words are written


def printable(text: str) -> str:
    """`text` with every control, format or separator character shown as an escape such as \\x1b."""
    if text.isprintable():  # the usual case, checked in C
        return text
    return "".join(_escape(c) if unicodedata.category(c) in _HIDDEN and c not in _SHOWN else c for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True, order=True)
class BuildError:
    """One problem found in the input, located as precisely as known."""

    path: str
    line: int = 0
    column: int = 0
    message: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        kind = "warning: " if self.warning else ""
        return printable(f"{where}: {kind}{self.message}")  # nothing in a message may drive the terminal


class BuildFailed(Exception):
    """Raised by a stage when errors stop the build; carries all of them."""

    def __init__(self, problems: list[BuildError]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[BuildError]:
        return [p for p in self.problems if not p.warning]


def fail_on_errors(problems: list[BuildError]) -> list[BuildError]:
    """Raise BuildFailed if any problem is an error; else return the warnings."""
    if any(not p.warning for p in problems):
        raise BuildFailed(problems)
    return sorted(problems)


def shown(path: Path) -> str:
    """How a path is named in messages: relative to the working folder when inside it, "." for that folder."""
    try:
        relative = path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
    return relative or "."


def within(folder: str, name: str) -> str:
    """`name` in the folder named `folder` (as `shown` names it; "" too), for messages: "x.md" in ".",
    "site/x.md" in "site"."""
    return f"{folder}/{name}" if folder not in ("", ".") else name
