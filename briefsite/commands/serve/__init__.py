"""`build.py serve`: build, serve the output under its base path, rebuild on change, reload open pages."""

from __future__ import annotations

import errno
import json
import mimetypes
import secrets
import signal
import socket
import sys
import threading
import traceback
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import click
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from ...build import Options, build_site
from ...config import load_config
from ...errors import BuildError, BuildFailed, display
from ...memory.briefs import CACHE_DIR
from ...output.render import THEME

EVENTS = "/__briefsite/events"  # outside every page a site can have: no segment starts with "__"
QUIET = 0.3  # seconds without a change before rebuilding: one save of ten files is one rebuild
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "application/javascript; charset=utf-8", ".mjs": "application/javascript; charset=utf-8",
         ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
         ".wasm": "application/wasm", ".txt": "text/plain; charset=utf-8", ".pagefind": "application/octet-stream"}
NOT_FOUND = b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"

# Added to HTML responses as they are served, never written to disk. The server's "error" event
# shares its name with EventSource's own connection errors, which carry no data: those are skipped.
SCRIPT = """<script data-briefsite-build="TOKEN">/* briefsite serve: live reload */ (() => {
const events = new EventSource("EVENTS?since=" + encodeURIComponent(document.currentScript.dataset.briefsiteBuild));
events.addEventListener("reload", () => location.reload());
events.addEventListener("error", (event) => {
  if (typeof event.data !== "string") return;
  const box = document.getElementById("briefsite-errors") || document.body.appendChild(document.createElement("div"));
  Object.assign(box, {id: "briefsite-errors", role: "alert"}).style.cssText = "position:fixed;inset:0 0 auto 0;"
    + "z-index:2147483647;max-height:100vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#fff;"
    + "border-bottom:4px solid #ff5c5c;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap";
  const line = (text, tag = "div") => Object.assign(document.createElement(tag), {textContent: text});
  box.replaceChildren(line("Build failed: fix and save, and this page reloads.", "strong"), ...JSON.parse(event.data)
    .map((e) => line(e.path + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "") + ": " + e.message)));
});
})();</script>
"""


class Hub:
    """The state the event streams report: a token per good build, or the errors of a failed one."""

    def __init__(self):
        self.changed = threading.Condition()
        self.boot, self.builds = secrets.token_hex(4), 0  # a restarted server reloads its pages too
        self.serial, self.errors, self.closed = 0, None, False

    @property
    def token(self) -> str:
        return f"{self.boot}-{self.builds}"

    def publish(self, errors: list[dict] | None) -> None:
        with self.changed:
            self.builds += errors is None
            self.serial, self.errors = self.serial + 1, errors
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def wait(self, seen: int | None, since: str, timeout: float = 15.0):
        """(serial, (event, data) or None) for a stream that has reported `seen`; None once closed."""
        with self.changed:
            if seen is not None:
                self.changed.wait_for(lambda: self.serial != seen or self.closed, timeout)
            if self.closed:
                return None
            if self.serial == seen:
                return seen, None
            if self.errors is not None:
                return self.serial, ("error", json.dumps(self.errors))
            return self.serial, (("reload", self.token) if since != self.token else None)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # open event streams must not hold up Ctrl+C

    def __init__(self, address, root: Path, prefix: str):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.root, self.prefix, self.hub = root, prefix, Hub()
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed tab is not an error
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """Files of the output folder under the base path, live-reload script added to HTML."""

    server: Server

    def do_GET(self):
        self.respond(body=True)

    def do_HEAD(self):
        self.respond(body=False)

    def respond(self, body: bool) -> None:
        raw, _, query = self.path.partition("?")
        path = unquote(raw.partition("#")[0])
        if "\x00" in path or "\\" in path:
            return self.send_error(403)
        if path == EVENTS:
            return self.stream(parse_qs(query).get("since", [""])[0]) if body else self.send_error(405)
        prefix = self.server.prefix
        if not path.startswith(prefix):
            return self.redirect(prefix) if path in ("/", prefix.rstrip("/")) else self.not_found(body)
        relative = path[len(prefix):]
        if any(part in (".", "..") for part in relative.split("/")):
            return self.send_error(403)
        root = self.server.root.resolve()
        target = (root / relative).resolve()  # symlinks resolved, so a link out of the site is caught
        if target.is_relative_to(root) and target.is_dir():
            if not path.endswith("/"):
                return self.redirect(quote(path + "/") + (f"?{query}" if query else ""))
            target = (target / "index.html").resolve()
        if not target.is_relative_to(root):
            return self.send_error(403)
        try:
            data = target.read_bytes() if target.is_file() else None
        except OSError:  # swapped away by a rebuild mid-request
            data = None
        if data is None:
            return self.not_found(body)
        self.send(200, target.name, data, body)

    def send(self, status: int, name: str, data: bytes, body: bool) -> None:
        kind = "application/atom+xml" if name == "feed.xml" else TYPES.get(Path(name).suffix.lower())
        kind = kind or mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/html"):
            data = inject(data, self.server.hub.token)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def not_found(self, body: bool) -> None:
        page = self.server.root / "404.html"
        try:
            data = page.read_bytes()
        except OSError:  # no site yet (the first build failed): a bare page still shows the overlay
            data = NOT_FOUND
        self.send(404, "404.html", data, body)

    def redirect(self, location: str) -> None:
        self.send_response(302)  # not 301: the base path may change with site.yml
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream(self, since: str) -> None:
        """Server-Sent Events: the current state at once if it differs from the page's, then each change."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        seen = None
        while (news := self.server.hub.wait(seen, since)) is not None:
            seen, message = news
            self.wfile.write(f"event: {message[0]}\ndata: {message[1]}\n\n".encode() if message else b": ping\n\n")
            self.wfile.flush()  # a closed tab raises here and ends the thread

    def log_message(self, *args):  # requests are not news; build results are
        pass


def inject(page: bytes, token: str) -> bytes:
    """`page` with the live-reload script before its last </body> (or at the end)."""
    script = SCRIPT.replace("TOKEN", token).replace("EVENTS", EVENTS).encode()
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


class Changes(FileSystemEventHandler):
    """Sets `flag` when a site input changes; output, cache and editor temp files are ignored."""

    def __init__(self, source: Path, output: Path, flag: threading.Event):
        self.source, self.output, self.flag = source, output, flag
        self.inputs = [source / "briefings", source / "templates", THEME, source / "site.yml"]

    def on_any_event(self, event):
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]  # an editor's save-by-rename lands on dest
        if any(self.relevant(Path(str(path))) for path in paths if path):
            self.flag.set()

    def relevant(self, path: Path) -> bool:
        if path.is_relative_to(self.output) or path.is_relative_to(self.source / CACHE_DIR):
            return False
        folder = next((f for f in self.inputs if path.is_relative_to(f)), None)
        parts = path.relative_to(folder).parts if folder else ()
        # .x.swp, .#x (Emacs lock), #x# (autosave), x~ (backup), 4913 (Vim's probe), .tmp: not content
        return folder is not None and not any(
            p.startswith((".", "#")) or p.endswith(("~", ".swp", ".swx", ".tmp")) or p == "4913" for p in parts)


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
        self.flag, self.stop = threading.Event(), threading.Event()
        self.observer, self.watched = Observer(), set()

    @property
    def url(self) -> str:
        return self.origin + self.server.prefix

    def build(self, first: bool = False) -> None:
        """Build for the local URL; report to the terminal and the open pages; never raise."""
        if not self.fixed:  # follow base_url's sub-path in site.yml, also when it is edited
            config, problems = load_config(self.options.source, display(self.options.source))
            if not any(not p.warning for p in problems):
                self.server.prefix = config.base_path
        options = replace(self.options, base_url=self.url)
        try:
            result = build_site(options)
        except BuildFailed as failure:
            problems = failure.problems
            errors = failure.errors
        except Exception as exc:  # a bug must not stop the server either; show where it happened
            traceback.print_exc()
            problems = errors = [BuildError(display(options.source) or ".", 0, 0, f"internal error: {exc!r}")]
        else:
            problems, errors = result.warnings, []
        for problem in problems:
            if not (self.quiet and problem.warning):
                click.echo(str(problem), err=True)
        if errors:
            where = display(options.output) or "."
            click.echo(f"Build failed with {len(errors)} error{'s' if len(errors) != 1 else ''}; "
                       f"{where}/ was left unchanged.", err=True)
            self.server.hub.publish([{"path": e.path, "line": e.line, "column": e.column, "message": e.message}
                                     for e in errors])
            return
        self.server.hub.publish(None)
        if not self.quiet:
            noun = "brief" if result.briefs == 1 else "briefs"
            what = f"Built {result.briefs} {noun}, {result.pages} pages into {display(options.output) or '.'}/" \
                if first else f"Rebuilt {result.briefs} {noun}, {result.pages} pages"
            click.echo(f"{what} in {result.seconds:.2f} s ({result.rendered} rendered).")

    def watch(self) -> None:
        """Watch the inputs that exist (a folder created later is picked up before the next build)."""
        source, handler = self.options.source.absolute(), Changes(
            self.options.source.absolute(), self.options.output.absolute(), self.flag)
        for folder, recursive in ((source, False), (source / "briefings", True), (source / "templates", True),
                                  (THEME, True)):
            if folder.is_dir() and folder.resolve() not in self.watched:
                self.observer.schedule(handler, str(folder), recursive=recursive)
                self.watched.add(folder.resolve())

    def rebuild_loop(self) -> None:
        while not self.stop.is_set():
            self.flag.wait()
            while self.flag.is_set() and not self.stop.is_set():  # wait for a quiet moment
                self.flag.clear()
                self.flag.wait(QUIET)
            if not self.stop.is_set():
                before = self.server.prefix
                self.watch()
                self.build()
                if self.server.prefix != before:
                    click.echo(f"Serving now at {self.url}")

    def close(self) -> None:
        self.stop.set()
        self.flag.set()
        self.observer.stop()
        self.server.hub.close()
        self.server.server_close()
        if self.observer.is_alive():
            self.observer.join(timeout=2)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve_site(options: Options, host: str, port: int, quiet: bool = False) -> None:
    """Build, then serve `options.output` on host:port under the base path until Ctrl+C."""
    if options.base_url:  # a bad --base-url is a usage error, before anything is built
        bad = [p for p in load_config(options.source, "", options.base_url)[1] if p.path == "--base-url"]
        if bad:
            click.echo(f"Error: {bad[0].message}", err=True)
            sys.exit(2)
    try:
        server = Server((host, port), options.output, "/")
    except OSError as exc:
        reason = "the port is already in use; choose another with --port, or --port 0 for a free one" \
            if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        click.echo(f"Error: cannot listen on {host}:{port}: {reason}", err=True)
        sys.exit(2)
    if threading.current_thread() is threading.main_thread():  # `kill` stops as cleanly as Ctrl+C
        signal.signal(signal.SIGTERM, _interrupt)
    preview = Preview(options, server, host, quiet)
    try:
        preview.build(first=True)
        preview.watch()
        preview.observer.start()
        threading.Thread(target=preview.rebuild_loop, name="rebuild", daemon=True).start()
        click.echo(f"Serving {display(options.source) or '.'} at {preview.url} (Ctrl+C to stop)")
        server.serve_forever()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not interrupt the cleanup
        click.echo("Stopped.")
    finally:
        preview.close()
