"""The command line: thin click commands over the build pipeline."""

from __future__ import annotations

import cProfile
import pstats
import sys
from datetime import datetime
from pathlib import Path

import click

from .. import __version__
from ..build import Options, build_site
from ..errors import BuildFailed, shown
from . import report
from .audiences import outputs_of, prove, soonest, upcoming


def site_options(command):
    """The options every building command shares."""
    decorators = [
        click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                     show_default=True, help="Site folder holding briefings/, site.yml and templates/."),
        click.option("--base-url", help="Override base_url from site.yml for this build."),
        click.option("--drafts", is_flag=True, help="Include briefs marked draft: true."),
        click.option("--audience", help="TLP level to build for (clear, green, amber, amber+strict, red) "
                                        "[default: audience in site.yml]."),
        click.option("--now", type=Moment(), help="Judge embargoes and expiries at this ISO 8601 moment, "
                                                  "e.g. 2025-03-01T07:00:00Z [default: the clock]."),
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
@click.version_option(__version__, prog_name="briefsite")
@click.pass_context
def main(ctx: click.Context) -> None:
    """briefsite: build a static briefing site from Markdown briefs.

    Start one with `briefsite init DIR` (or `init --example DIR` for a demo desk), then run
    `briefsite serve` in it to preview and `briefsite build` to publish."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


def output_options(command):
    """The options of the commands that write an output folder."""
    decorators = [
        click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Output folder [default: SOURCE/site]."),
        click.option("--force", is_flag=True, help="Replace the output folder even if briefsite did not make it."),
        click.option("--no-wait", "no_wait", is_flag=True,
                     help="Fail at once if another build is writing there, instead of waiting for it."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


class Moment(click.ParamType):
    """An ISO 8601 date or date-time; one without an offset is in the site's timezone."""

    name = "moment"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date or date-time such as 2025-03-01T07:00:00Z", param, ctx)


@main.command()
@site_options
@output_options
@click.option("--all", "every", is_flag=True, help="Build every output declared in site.yml, each for its audience.")
def build(source: Path, output: Path | None, force, no_wait, base_url, drafts, audience, now, jobs, no_cache, quiet,
          verbose, profile, every) -> None:
    """Build the site into the output folder."""
    options = _options(source, output or source / "site", drafts, base_url, jobs, no_cache, audience, now,
                       force=force, wait=not no_wait)
    progress = Progress() if sys.stderr.isatty() and not quiet else None
    if every:
        _refuse_with_all(output=output, audience=audience)
        failed = 0
        for name, one in _or_exit(lambda: outputs_of(options)):
            result = _run(one, write=True, progress=progress, quiet=quiet, profile=profile, leave=False)
            failed += result is None
            if result and not quiet:
                report.built(result, one.output, name)
        if failed:
            sys.exit(1)
        return
    result = _run(options, write=True, progress=progress, quiet=quiet, profile=profile)
    if not quiet:
        report.built(result, options.output)
    if verbose or profile:
        _stages(result)


@main.command()
@site_options
@click.option("--all", "every", is_flag=True, help="Check every output declared in site.yml, as with --audience.")
@click.option("--strict", is_flag=True, help="Fail on warnings too (a place not found, an image without alt text).")
def check(source: Path, base_url, drafts, audience, now, jobs, no_cache, quiet, verbose, profile, every,
          strict) -> None:
    """Validate briefs, links between them, site.yml and templates; writes nothing, not even the cache.

    With --audience or --all, also build each into a temporary folder and prove that no brief left out
    (other audience, embargoed, expired, draft) leaves a trace in any of its files."""
    options = _options(source, source / "site", drafts, base_url, jobs, True, audience, now)
    if every:
        _refuse_with_all(audience=audience)
    if not (every or audience):
        result = _run(options, write=False, progress=None, quiet=quiet, profile=profile)
        _fail_on_warnings(result.warnings, strict)
        if not quiet:
            report.checked(result)
            report.probably_same(_probably_same(options, result.selection))
        if verbose or profile:
            _stages(result)
        return
    failed = 0
    for name, one in _or_exit(lambda: outputs_of(options)) if every else [(None, options)]:
        result = _run(one, write=False, progress=None, quiet=quiet, proving=True, leave=False, its_output=every)
        failed += result is None or (strict and bool(result.warnings))
        if result and not quiet:
            report.proved(result, name)
    if failed:
        sys.exit(1)


def _fail_on_warnings(warnings: list, strict: bool) -> None:
    """With --strict, exit 1 when the check found warnings (each printed already)."""
    if strict and warnings:
        click.echo(f"Error: {len(warnings)} warning{'' if len(warnings) == 1 else 's'}, and --strict makes each "
                   "an error", err=True)
        sys.exit(1)


@main.command(name="next-change")
@site_options
@click.option("--all", "every", is_flag=True, help="The soonest change of any output declared in site.yml.")
def next_change(source: Path, base_url, drafts, audience, now, jobs, no_cache, quiet, verbose, profile,
                every) -> None:
    """Print the next moment (RFC 3339, UTC) at which the site changes by itself -- an embargo lifting,
    a brief expiring -- or nothing if none is ahead."""
    options = _options(source, source / "site", drafts, base_url, jobs, True, audience, None)
    if every:
        _refuse_with_all(audience=audience)
    chosen = [one for _, one in _or_exit(lambda: outputs_of(options))] if every else [options]
    moment = soonest(_or_exit(lambda: [upcoming(one, now) for one in chosen]))
    if moment:
        click.echo(moment)


def _probably_same(options: Options, chosen) -> list:
    """Terms of every parsed brief (any audience, drafts too) that probably name one entity."""
    if chosen is None:  # not known: the build found nothing changed
        return []
    from ..config.load import load_site_config
    from ..reading.data import load_data
    from ..site.index import same_entity_terms

    config, _ = load_site_config(options.source, options.base_url, options.audience)
    data, _ = load_data(options.source, config, shown(options.source))  # checked by the build just run
    return same_entity_terms(chosen.briefs + chosen.left_out_briefs, config, data)


def _refuse_with_all(**given) -> None:
    for name, value in given.items():
        if value is not None:
            raise click.UsageError(f"--{name} and --all do not go together: --all builds every output "
                                   "of site.yml as declared there")


def _options(source, output, drafts, base_url, jobs, no_cache, audience=None, now=None, force=False,
             wait=True) -> Options:
    chosen = {"jobs": jobs} if jobs else {}  # else Options' default, the CPU count
    return Options(source=source, output=output, drafts=drafts, base_url=base_url, cache=not no_cache,
                   force=force, wait=wait, audience=audience, now=now, **chosen)


def _run(options: Options, write: bool, progress, quiet: bool, profile: bool = False, proving: bool = False,
         leave: bool = True, its_output: bool = False):
    """Build (or with write=False check; with `proving` also prove it leaks nothing, and with `its_output`
    that its output folder holds no trace either), printing its problems; on failure exit 1, or with
    `leave` False return None."""
    profiler = cProfile.Profile() if profile else None
    try:
        if profiler:
            profiler.enable()
        if proving:
            result, leaks = prove(options, its_output)
            if leaks:
                raise BuildFailed(result.warnings + leaks)
        else:
            result = build_site(options, write=write, progress=progress, notice=None if quiet else _notice)
    except BuildFailed as failure:
        if progress:
            progress.finish()
        report.failed(failure.problems, options.output if write else None, quiet)
        if leave:
            sys.exit(1)
        return None
    finally:
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    if progress:
        progress.finish()
    report.problems(result.warnings, quiet)
    return result


def _notice(line: str) -> None:
    click.echo(line, err=True)


def _stages(result) -> None:
    click.echo("Stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.stages.items()))


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


@main.command()
@site_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--allow-host", "allowed", multiple=True, metavar="NAME",
              help="Another host name to answer to (repeatable); by default only this machine's own names are.")
def serve(source: Path, base_url, drafts, audience, now, jobs, no_cache, quiet, verbose, profile, host: str,
          port: int, allowed: tuple[str, ...]) -> None:
    """Build for the local URL into SOURCE/.briefsite-cache/serve/ (never the output folder), serve it,
    and rebuild and reload on every change."""
    from .serve import preview_folder, serve_site

    options = _options(source, preview_folder(source), drafts, base_url, jobs, no_cache, audience, now)
    serve_site(options, host, port, quiet=quiet, allowed=allowed)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Write the demo desk (two dozen briefs using every feature) "
                                              "instead of one starter brief.")
def init(folder: Path, example: bool) -> None:
    """Make a new site in FOLDER (new or empty): site.yml with every setting explained, briefings/,
    data/, .gitignore, a GitHub Pages workflow and a README."""
    from .init import init_site

    written = _or_exit(lambda: init_site(folder, example))
    report.initialised(folder, written)


@main.command(name="new")
@click.argument("title")
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Site folder holding briefings/ and site.yml.")
@click.option("--date", "day", help="Date or ISO 8601 date-time of the brief [default: today].")
@click.option("--location", help="Dateline, e.g. Beijing.")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more.")
@click.option("--country", "countries", multiple=True, help="A country; repeat for more.")
@click.option("--organization", "organizations", multiple=True, help="An organisation; repeat for more.")
@click.option("--cite", "cites", multiple=True,
              help="A source: NAME or NAME=URL; repeat for more (--source is the site folder).")
def new(title: str, source: Path, day, location, tags, countries, organizations, cites) -> None:
    """Create a brief in briefings/ with a filled-in header, and print its path."""
    from .new import new_brief

    path = _or_exit(lambda: new_brief(source, title, day, location,
                                      {"tags": tags, "countries": countries, "organizations": organizations}, cites))
    click.echo(shown(path))


@main.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Site folder whose briefings/ receives the briefs.")
@click.option("--date", "day", help="Date of the reports when their dateline has none (YYYY-MM-DD).")
@click.option("--title", help="Title of the brief (one file only) [default: from the text].")
@click.option("--dry-run", is_flag=True, help="Print the briefs instead of writing them.")
def import_(paths, source: Path, day, title, dry_run) -> None:
    """Turn raw wire reports (files or folders of .txt) into briefs."""
    from .importer import import_reports

    code = _or_exit(lambda: import_reports(list(paths), source, day, title, dry_run, click.echo))
    sys.exit(code)


def _or_exit(action):
    """Run `action`; on BuildFailed print its problems and exit 1."""
    try:
        return action()
    except BuildFailed as failure:
        report.problems(failure.problems, quiet=False)
        sys.exit(1)


@main.command(name="migrate")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--from", "peer", required=True, type=click.Choice(["jekyll", "hugo", "pelican"]),
              help="The generator SRC was made for: a Jekyll site or its _posts/, a Hugo site or its content/, "
                   "a Pelican content/ folder.")
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Site folder whose briefings/ receives the briefs.")
@click.option("--dry-run", is_flag=True, help="Print the briefs instead of writing them.")
@click.option("--tags-to", default="tags", show_default=True, metavar="TAXONOMY",
              help="The site's taxonomy that receives the posts' tags.")
@click.option("--categories-to", default="tags", show_default=True, metavar="TAXONOMY",
              help="The site's taxonomy that receives the posts' categories.")
@click.option("--old-url", metavar="URL",
              help="The old site's address (default: from its settings, as Jekyll's url and baseurl): links to "
                   "its pages that are no post become links there.")
def migrate(src: Path, peer: str, source: Path, dry_run, tags_to: str, categories_to: str,
            old_url: str | None) -> None:
    """Convert a Jekyll, Hugo or Pelican site's Markdown posts into briefs; never overwrites."""
    from .migrate import migrate_site

    code = _or_exit(lambda: migrate_site(peer, src, source, dry_run, tags_to, categories_to, click.echo,
                                         old_url))
    sys.exit(code)
