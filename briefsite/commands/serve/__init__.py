"""`build.py serve`: build for the local URL into the preview folder, serve it under its base path, rebuild
on change, reload open pages.

A session keeps what its builds would otherwise read back from disk each time (the parse cache and the
ledger, in `Warm`), publishes the reload as soon as a rebuild's pages are in place, and brings the search
index up to date after that (search.py).

The preview folder is SOURCE/.briefsite-cache/serve/, never the real output (site/): like `hugo server`,
a preview leaves the deployable site as the last `build` made it. One serve session of a site at a time
holds it (a lock file beside it), so two sessions never overwrite each other's local URLs.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import sys
import threading
import traceback
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import click

from ...build import Options, Warm, build_site
from ...config.load import load_config
from ...errors import BuildError, BuildFailed, shown
from ...memory.briefs import PREVIEW_DIR
from ...memory.store import Kept
from .. import report
from .hosts import host_name_problem
from .search import LaterSearch
from .server import Server
from .watch import Watcher


class Preview:
    """One serve session: the server, the watcher and the builds they trigger."""

    def __init__(self, options: Options, server: Server, host: str, quiet: bool):
        self.options, self.server, self.quiet = options, server, quiet
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else "[::1]" if host == "::" else host
        self.origin = f"http://[{shown}]" if ":" in shown and not shown.startswith("[") else f"http://{shown}"
        self.origin += f":{server.server_address[1]}"
        self.fixed = options.base_url is not None
        if self.fixed:  # --base-url keeps its path; only the origin becomes the local one
            server.prefix = urlsplit(options.base_url).path.rstrip("/") + "/"
        self.watcher = Watcher(options.source, options.output)
        self.search = LaterSearch(options.output)
        self.warm = Warm(Kept(), self.search.record)

    @property
    def url(self) -> str:
        """Where the site is served now: the local origin and the base path."""
        return self.origin + self.server.prefix

    def build(self, first: bool = False) -> None:
        """Build for the local URL; report to the terminal and the open pages; never raise."""
        if not self.fixed:  # follow base_url's sub-path in site.yml, also when it is edited
            config, problems = load_config(self.options.source, shown(self.options.source))
            if not any(not p.warning for p in problems):
                self.server.prefix = config.base_path
        options = replace(self.options, base_url=self.url)
        try:
            result = build_site(options, notice=None if self.quiet else lambda line: click.echo(line, err=True),
                                warm=self.warm)
        except BuildFailed as failure:
            problems, errors = failure.problems, failure.errors
        except Exception as exc:  # a bug must not stop the server either; show where it happened
            traceback.print_exc()
            problems = errors = [BuildError(report.shown(options.source), 0, 0, f"internal error: {exc!r}")]
        else:
            problems, errors = result.warnings, []
        if errors:
            report.failed(problems, options.output, self.quiet)
            self.server.hub.publish([{"path": e.path, "line": e.line, "column": e.column, "message": e.message}
                                     for e in errors])
            return
        report.problems(problems, self.quiet)
        self.server.hub.publish(None)
        if not self.quiet:
            report.built(result, options.output if first else None)

    def index(self) -> None:
        """Bring the search index up to date with the pages in place, unless a save comes first; never raise."""
        problem = self.search.run(stop=self.watcher.flag.is_set)
        if problem:
            click.echo(f"{shown(self.options.output)}: warning: the search index was not brought up to date "
                       f"({problem}); the next rebuild tries again", err=True)

    def rebuild_loop(self) -> None:
        """Index after the first build, then rebuild after each burst of changes, and index, until the session
        closes. A save stops the indexing: the rebuild goes first, and indexes what both builds changed."""
        self.index()
        while self.watcher.settled():
            before = self.server.prefix
            self.watcher.watch()
            self.build()
            if self.server.prefix != before:
                click.echo(f"Serving now at {self.url}")
            self.index()

    def close(self) -> None:
        """Stop watching and serving; open event streams end."""
        self.watcher.stop()
        self.server.hub.close()
        self.server.server_close()
        self.watcher.join()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def preview_folder(source: Path) -> Path:
    """Where `serve` builds the site of `source` for the local URL: in the cache folder, never the output."""
    return source / PREVIEW_DIR


def hold_preview(folder: Path) -> int:
    """A descriptor holding the session lock of the preview folder; exits 1 when another session has it."""
    lock = folder.parent / f"{folder.name}.lock"
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        click.echo(f"Error: cannot write the preview folder {shown(folder)}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        click.echo(f"Error: another serve of this site is running (it builds into {shown(folder)}/); "
                   "stop it first", err=True)
        sys.exit(1)
    return descriptor


def serve_site(options: Options, host: str, port: int, quiet: bool = False, allowed: tuple[str, ...] = ()) -> None:
    """Build into the preview folder (`options.output` is ignored), then serve it on host:port under the
    base path until Ctrl+C, to requests for the machine's own host names and those `allowed`."""
    for problem in filter(None, map(host_name_problem, allowed)):  # a usage error, before anything is built
        click.echo(f"Error: {problem}", err=True)
        sys.exit(2)
    if options.base_url:  # a bad --base-url is a usage error, before anything is built
        bad = [p for p in load_config(options.source, "", options.base_url)[1] if p.path == "--base-url"]
        if bad:
            click.echo(f"Error: {bad[0].message}", err=True)
            sys.exit(2)
    options = replace(options, output=preview_folder(options.source), preview=True, force=False)
    try:
        server = Server((host, port), options.output, "/", allowed)
    except OSError as exc:
        reason = "the port is already in use; choose another with --port, or --port 0 for a free one" \
            if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        click.echo(f"Error: cannot listen on {host}:{port}: {reason}", err=True)
        sys.exit(2)
    try:
        session = hold_preview(options.output)
    except SystemExit:
        server.server_close()
        raise
    if threading.current_thread() is threading.main_thread():  # `kill` stops as cleanly as Ctrl+C
        signal.signal(signal.SIGTERM, _interrupt)
    preview = Preview(options, server, host, quiet)
    try:
        preview.build(first=True)
        preview.watcher.watch()
        preview.watcher.start()
        threading.Thread(target=preview.rebuild_loop, name="rebuild", daemon=True).start()
        click.echo(f"Serving {report.shown(options.source)} at {preview.url} (Ctrl+C to stop)")
        server.serve_forever()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not interrupt the cleanup
        click.echo("Stopped.")
    finally:
        preview.close()
        os.close(session)  # the session lock goes with it
