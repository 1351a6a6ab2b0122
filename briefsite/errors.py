"""Build errors and warnings as values, collected over a whole run, and how paths are shown in them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
        return f"{where}: {kind}{self.message}"


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


def display(path: Path) -> str:
    """How a path is shown in messages: relative to the working folder when inside it."""
    try:
        shown = path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
    return "" if shown == "." else shown
