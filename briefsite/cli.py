"""The command line: thin click commands over the build pipeline."""

from __future__ import annotations

import cProfile
import pstats
import sys
from pathlib import Path

import click

from .build import Options, build_site, display
from .errors import BuildError, BuildFailed


def site_options(command):
    """The options every building command shares."""
    decorators = [
        click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                     show_default=True, help="Site folder holding briefings/, site.yml and templates/."),
        click.option("--base-url", help="Override base_url from site.yml for this build."),
        click.option("--drafts", is_flag=True, help="Include briefs marked draft: true."),
        click.option("--jobs", type=click.IntRange(min=1), default=None,
                     help="Processes for parsing briefs [default: CPU count]."),
        click.option("--no-cache", "no_cache", is_flag=True, help="Parse every brief afresh, ignoring the cache."),
        click.option("--quiet", is_flag=True, help="Print only errors."),
        click.option("--verbose", is_flag=True, help="Also print the time each stage took."),
        click.option("--profile", is_flag=True, help="Profile the build and print where the time went."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@click.group(invoke_without_command=True)
@click.pass_context
def main(ctx: click.Context) -> None:
    """briefsite: build a static briefing site from Markdown briefs."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


@main.command()
@site_options
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder [default: SOURCE/site].")
def build(source: Path, output: Path | None, base_url, drafts, jobs, no_cache, quiet, verbose, profile) -> None:
    """Build the site into the output folder."""
    output = output or source / "site"
    options = _options(source, output, drafts, base_url, jobs, no_cache)
    progress = Progress() if sys.stderr.isatty() and not quiet else None
    result = _run(options, write=True, progress=progress, quiet=quiet, profile=profile)
    if not quiet:
        noun = "brief" if result.briefs == 1 else "briefs"
        click.echo(f"Built {result.briefs} {noun}, {result.pages} pages into "
                   f"{display(output) or '.'}/ in {result.seconds:.2f} s.")
    if verbose or profile:
        click.echo("Stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.stages.items()))


@main.command()
@site_options
def check(source: Path, base_url, drafts, jobs, no_cache, quiet, verbose, profile) -> None:
    """Validate the briefs, site.yml and templates without writing anything."""
    options = _options(source, source / "site", drafts, base_url, jobs, no_cache)
    result = _run(options, write=False, progress=None, quiet=quiet, profile=profile)
    if not quiet:
        noun = "brief" if result.briefs == 1 else "briefs"
        click.echo(f"Checked {result.briefs} {noun} and {result.pages} pages: no errors.")
    if verbose or profile:
        click.echo("Stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.stages.items()))


def _options(source, output, drafts, base_url, jobs, no_cache) -> Options:
    chosen = {"jobs": jobs} if jobs else {}  # else Options' default, the CPU count
    return Options(source=source, output=output, drafts=drafts, base_url=base_url, cache=not no_cache, **chosen)


def _run(options: Options, write: bool, progress, quiet: bool, profile: bool = False):
    profiler = cProfile.Profile() if profile else None
    try:
        if profiler:
            profiler.enable()
        result = build_site(options, write=write, progress=progress)
    except BuildFailed as failure:
        if progress:
            progress.finish()
        _report(failure.problems, quiet)
        errors = len(failure.errors)
        what = f"{display(options.output) or '.'}/ was left unchanged" if write else "nothing was written"
        click.echo(f"Build failed with {errors} error{'s' if errors != 1 else ''}; {what}.", err=True)
        sys.exit(1)
    finally:
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    if progress:
        progress.finish()
    _report(result.warnings, quiet)
    return result


def _report(problems: list[BuildError], quiet: bool) -> None:
    for problem in problems:
        if not (quiet and problem.warning):
            click.echo(str(problem), err=True)


class Progress:
    """A progress bar on the terminal while pages render."""

    def __init__(self):
        self.bar = None

    def start(self, total: int) -> None:
        self.bar = click.progressbar(length=total, label="Rendering", file=sys.stderr)
        self.bar.__enter__()

    def advance(self, steps: int) -> None:
        self.bar.update(steps)

    def finish(self) -> None:
        if self.bar:
            self.bar.__exit__(None, None, None)
            self.bar = None
