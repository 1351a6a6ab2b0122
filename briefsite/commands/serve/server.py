"""The preview server: the output folder under its base path, and the live-reload event stream."""

from __future__ import annotations

import json
import mimetypes
import os
import secrets
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, quote, unquote

from .hosts import served_hosts

EVENTS = "/__briefsite/events"  # outside every page a site can have: no segment starts with "__"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "application/javascript; charset=utf-8", ".mjs": "application/javascript; charset=utf-8",
         ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
         ".wasm": "application/wasm", ".txt": "text/plain; charset=utf-8", ".pagefind": "application/octet-stream"}
NOT_FOUND = b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"
# An HTML page up to this size is read whole to add the live-reload script; anything else, and a larger
# page (a saved report, not a page of the site), is streamed from the file as it is.
WHOLE_PAGE = 8 * 1024 * 1024

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
    """An HTTP server for `root` under `prefix` (which a rebuild may change), with its Hub, answering only
    to its own host names and those `allowed`."""

    daemon_threads = True
    block_on_close = False  # open event streams must not hold up Ctrl+C

    def __init__(self, address, root: Path, prefix: str, allowed: tuple[str, ...] = ()):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.root, self.prefix, self.hub = root, prefix, Hub()
        super().__init__(address, Handler)
        self.hosts = served_hosts(address[0], self.server_address[0], self.server_address[1], allowed)

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
        if not self.host_served():  # before anything else, the event stream included
            return self.refuse(body)
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
        kind, target = self.lookup(relative)
        if kind == "folder":
            return self.redirect(quote(path + "/") + (f"?{query}" if query else ""))
        if kind == "outside":
            return self.send_error(403)
        try:
            file = target.open("rb") if target else None
        except OSError:  # swapped away by a rebuild since the lookup, or unreadable
            file = None
        if file is None:
            return self.not_found(body)
        with file:
            self.send_file(file, target.name, body)

    def lookup(self, relative: str) -> tuple[str, Path | None]:
        """("file", path or None if there is none), ("folder", path) to redirect, or ("outside", path)."""
        try:
            root = self.server.root.resolve()
            target = (root / relative).resolve()  # symlinks resolved, so a link out of the site is caught
            if target.is_relative_to(root) and target.is_dir():
                if relative and not relative.endswith("/"):
                    return "folder", target
                target = (target / "index.html").resolve()
            if not target.is_relative_to(root):
                return "outside", target
            return "file", target if target.is_file() else None
        except (OSError, RuntimeError):  # swapped away by a rebuild, a name too long, a symlink loop
            return "file", None

    def send_file(self, file: BinaryIO, name: str, body: bool) -> None:
        """Send an open file: a page whole with the live-reload script, anything else streamed."""
        kind = content_type(name)
        size = os.fstat(file.fileno()).st_size  # of the file opened: a rebuild renames new files in beside it
        if kind.startswith("text/html") and size <= WHOLE_PAGE:
            return self.send(200, name, file.read(WHOLE_PAGE), body)
        self.send_headers(200, kind, size)
        if body:
            self.stream_file(file, size)

    def stream_file(self, file: BinaryIO, size: int) -> None:
        """Send the first `size` bytes of `file` from the kernel's page cache (sendfile), never whole in memory.

        A file cut short while it is sent leaves a short body, and one that grows is sent to its old length:
        Content-Length holds. The connection is closed after a short body, so that the client sees it is
        cut (and, were connections kept alive, never reads the next response as the rest of this one)."""
        try:
            sent = self.connection.sendfile(file, 0, size)
        except ConnectionError:
            raise  # a closed tab: handle_error keeps quiet
        except OSError:  # the file failed under us (a network file system, an I/O error)
            sent = -1
        if sent != size:
            self.close_connection = True

    def send(self, status: int, name: str, data: bytes, body: bool) -> None:
        """Send `data` as the file `name`, typed by its suffix, HTML with the live-reload script."""
        kind = content_type(name)
        if kind.startswith("text/html"):
            data = inject(data, self.server.hub.token)
        self.send_headers(status, kind, len(data))
        if body:
            self.wfile.write(data)

    def send_headers(self, status: int, kind: str, length: int) -> None:
        """The status line and headers of a file's response."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        self.end_headers()

    def send_response(self, code, message=None):
        super().send_response(code, message)
        self.send_header("X-Content-Type-Options", "nosniff")  # on every response, errors and redirects too

    def host_served(self) -> bool:
        """Whether the request is for a host name this server answers to (see hosts.py). An HTTP/1.0
        request may name none: no browser sends one, so no page of another site can make it."""
        named = self.headers.get_all("Host") or []
        if not named:
            return self.request_version == "HTTP/1.0"
        return len(named) == 1 and self.server.hosts.allows(named[0])

    def refuse(self, body: bool) -> None:
        """400, with a short plain page naming the host names that are served."""
        text = self.server.hosts.refusal().encode()
        self.close_connection = True
        self.send_headers(400, "text/plain; charset=utf-8", len(text))
        if body:
            self.wfile.write(text)

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


def content_type(name: str) -> str:
    """The Content-Type of the file `name`, by its suffix."""
    kind = "application/atom+xml" if name == "feed.xml" else TYPES.get(Path(name).suffix.lower())
    return kind or mimetypes.guess_type(name)[0] or "application/octet-stream"


def inject(page: bytes, token: str) -> bytes:
    """`page` with the live-reload script before its last </body> (or at the end)."""
    script = SCRIPT.replace("TOKEN", token).encode()
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]
