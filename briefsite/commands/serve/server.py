"""The preview server: the output folder under its base path, and the live-reload event stream."""

from __future__ import annotations

import json
import mimetypes
import secrets
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote

EVENTS = "/__briefsite/events"  # outside every page a site can have: no segment starts with "__"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "application/javascript; charset=utf-8", ".mjs": "application/javascript; charset=utf-8",
         ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
         ".wasm": "application/wasm", ".txt": "text/plain; charset=utf-8", ".pagefind": "application/octet-stream"}
NOT_FOUND = b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"

# Added to HTML responses as they are served, never written to disk; read once, with the stream's
# address filled in, so a request only adds its build token. The server's "error" event shares its
# name with EventSource's own connection errors, which carry no data: the script skips those.
SCRIPT = ('<script data-briefsite-build="TOKEN">'
          + files(__package__).joinpath("livereload.js").read_text(encoding="utf-8").rstrip("\n")
          + "</script>\n").replace("EVENTS", EVENTS)


class Hub:
    """The state the event streams report: a token per good build, or the errors of a failed one."""

    def __init__(self):
        self.changed = threading.Condition()
        self.boot, self.builds = secrets.token_hex(4), 0  # a restarted server reloads its pages too
        self.serial, self.errors, self.closed = 0, None, False

    @property
    def token(self) -> str:
        """The current good build, as pages carry it: a page with another token is out of date."""
        return f"{self.boot}-{self.builds}"

    def publish(self, errors: list[dict] | None) -> None:
        """Tell every stream about a build: None for a good one, else its errors."""
        with self.changed:
            self.builds += errors is None
            self.serial, self.errors = self.serial + 1, errors
            self.changed.notify_all()

    def close(self) -> None:
        """End every stream."""
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
    """An HTTP server for `root` under `prefix` (which a rebuild may change), with its Hub."""

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
        """Answer the request for `self.path`: a file, a redirect, the event stream, or an error."""
        raw, _, query = self.path.partition("?")
        try:
            path = unquote(raw.partition("#")[0], errors="strict")
        except UnicodeDecodeError:  # %ff: not UTF-8, so no file of the site has that name
            return self.not_found(body)
        if "\x00" in path or "\\" in path:
            return self.send_error(403)
        if path == EVENTS:
            return self.stream(parse_qs(query).get("since", [""])[0]) if body else self.send_error(405)
        prefix = unquote(self.server.prefix)  # links write the base path percent-encoded, as in /a%20b/
        if not path.startswith(prefix):
            return self.redirect(quote(prefix)) if path in ("/", prefix.rstrip("/")) else self.not_found(body)
        relative = path[len(prefix):]
        parts = relative.split("/")
        if any(part in (".", "..") for part in parts):
            return self.send_error(403)
        if "" in parts[:-1]:  # "//": no page has an empty segment, and a redirect to one would leave the host
            return self.not_found(body)
        kind, target, data = self.lookup(relative)
        if kind == "folder":
            return self.redirect(quote(path + "/") + (f"?{query}" if query else ""))
        if kind == "outside":
            return self.send_error(403)
        if data is None:
            return self.not_found(body)
        self.send(200, target.name, data, body)

    def lookup(self, relative: str) -> tuple[str, Path | None, bytes | None]:
        """("file", path, bytes or None if there is none), ("folder", ...) to redirect, or ("outside", ...)."""
        try:
            root = self.server.root.resolve()
            target = (root / relative).resolve()  # symlinks resolved, so a link out of the site is caught
            if target.is_relative_to(root) and target.is_dir():
                if relative and not relative.endswith("/"):
                    return "folder", target, None
                target = (target / "index.html").resolve()
            if not target.is_relative_to(root):
                return "outside", target, None
            return "file", target, target.read_bytes() if target.is_file() else None
        except (OSError, RuntimeError):  # swapped away by a rebuild, a name too long, a symlink loop
            return "file", None, None

    def send(self, status: int, name: str, data: bytes, body: bool) -> None:
        """Send `data` as the file `name`, typed by its suffix, HTML with the live-reload script."""
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
        """The site's own 404 page, or a bare one."""
        page = self.server.root / "404.html"
        try:
            data = page.read_bytes()
        except OSError:  # no site yet (the first build failed): a bare page still shows the overlay
            data = NOT_FOUND
        self.send(404, "404.html", data, body)

    def redirect(self, location: str) -> None:
        """A temporary redirect to `location`, a path on this host."""
        self.send_response(302)  # not 301: the base path may change with site.yml
        self.send_header("Location", "/" + location.lstrip("/"))  # never "//host": that leaves this host
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
    script = SCRIPT.replace("TOKEN", token).encode()
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]
