"""What a build tells the terminal, worded once for `build`, `check` and `serve`."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import BuildError, shown
from ..values.tlp import label, marked


def problems(found: list[BuildError], quiet: bool) -> None:
    """Print each problem on stderr; with `quiet`, the errors only."""
    for problem in found:
        if not (quiet and problem.warning):
            click.echo(str(problem), err=True)


def failed(found: list[BuildError], output: Path | None, quiet: bool) -> None:
    """Print a failed build's problems, then how many errors stopped it and that `output` (if any) was kept."""
    problems(found, quiet)
    errors = sum(not problem.warning for problem in found)
    kept = f"{shown(output)}/ was left unchanged" if output is not None else "nothing was written"
    click.echo(f"Build failed with {errors} error{'s' if errors != 1 else ''}; {kept}.", err=True)


def built(result, output: Path | None = None, name: str | None = None) -> None:
    """The summary of a good build (a build Result) into `output`, of output `name` if named; without
    `output`, of a rebuild while serving."""
    counts = f"{_briefs(result.briefs)}, {result.pages} pages"
    what = f"Built {counts} into {shown(output)}/" if output is not None else f"Rebuilt {counts}"
    click.echo(f"{name + ': ' if name else ''}{what}{_for(result)} in {result.seconds:.2f} s "
               f"({result.rendered} rendered){_left_out(result)}.")


def checked(result) -> None:
    """The summary of a good `check`."""
    click.echo(f"Checked {_briefs(result.briefs)} and {result.pages} pages: no errors.")


def probably_same(pairs) -> None:
    """Each pair of terms that probably name one entity (from `site.index.same_entity_terms`), with the
    briefs that use each name: notices for the desk, which may declare one an alias of the other."""
    for taxonomy, term, other, why in pairs:
        click.echo(f"Probably one {taxonomy.singular.lower()} ({why}): '{term.name}' and '{other.name}'")
        for one in (term, other):
            click.echo(f"  '{one.name}': {', '.join(sorted(brief.path for brief in one.briefs))}")


def proved(result, name: str | None = None) -> None:
    """The summary of a good `check --audience`/`--all`: built, searched, nothing found."""
    click.echo(f"{name + ': ' if name else ''}Checked {_briefs(result.briefs)} and {result.pages} pages for "
               f"{label(result.audience)}: no errors, and no trace of the {_briefs(result.left_out)} "
               "left out in any file.")


def _for(result) -> str:
    """' for TLP:AMBER' when the build is for an audience above clear."""
    return f" for {label(result.audience)}" if marked(result.audience) else ""


def _left_out(result) -> str:
    return f"; {_briefs(result.left_out)} left out" if result.left_out else ""


def _briefs(count: int) -> str:
    return f"{count} brief" if count == 1 else f"{count} briefs"


def initialised(folder: Path, written: list[str]) -> None:
    """What `init` wrote, and the two commands to run next."""
    click.echo(f"Created a site in {shown(folder)}/ ({len(written)} files):")
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Next: cd {shown(folder)} && briefsite serve   (preview; then `briefsite build` to publish)")
