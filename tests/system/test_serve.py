"""`build.py serve` end to end: the server in a subprocess, raw HTTP and SSE clients, and
headless Chromium: sub-path and content types, debounced rebuilds, live reload, the error
overlay, traversal refused, a busy port, and a clean stop."""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, brief_text

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the browser fixture (conftest): a skip locally, a failure in CI
    expect = None

WAIT = 20  # seconds: the bound of every wait
SECRET = "secret-marker-5f3a"
SITE_YML = f"""\
# {SECRET}
title: Serve Test
base_url: https://example.org/briefs/
search: false
"""
FIRST = "2025-02-27-first.md"
FIRST_PAGE = "briefs/2025-02-27-first/"
BAD_DATE = "src/briefings/2025-02-27-first.md:3:7: date: '2025-02-30' is not a real date"
PREVIEW = ".briefsite-cache/serve"  # where serve builds; it never writes site/


class Served:
    """`build.py serve --port 0` in a subprocess (cwd: the site's parent); output collected line by line."""

    def __init__(self, source, *args):
        self.name = source.name
        command = [sys.executable, str(ROOT / "build.py"), "serve", "--source", self.name, "--port", "0",
                   "--jobs", "1", *args]
        # As from a terminal: a test run started in the background (`make test &`) ignores SIGINT, which
        # its children would inherit, and Ctrl+C would then never reach the server.
        self.process = subprocess.Popen(command, cwd=source.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=lambda s=stream, keep=lines: keep.extend(s), daemon=True).start()

    def start(self) -> Served:
        """Wait for the "Serving" line and read the URL from it."""
        self.wait_for(lambda: any(line.startswith("Serving") for line in self.out), "the Serving line")
        serving = next(line for line in self.out if line.startswith("Serving"))
        self.url = re.fullmatch(rf"Serving {self.name} at (http://\S+) \(Ctrl\+C to stop\)\n", serving).group(1)
        self.host, self.port = urlsplit(self.url).hostname, urlsplit(self.url).port
        return self

    def wait_for(self, condition, what: str, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"no {what} (exit {self.process.poll()}); stdout: {self.out}; stderr: {self.err}")
            time.sleep(0.05)

    def rebuilds(self) -> int:
        return sum(line.startswith("Rebuilt ") for line in self.out)

    def request(self, path: str, method: str = "GET"):
        """(status, headers, body text) for `path` sent exactly as given."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=WAIT)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Events:
    """A Server-Sent Events client on the live-reload stream, collecting (event, data)."""

    def __init__(self, served: Served, since: str):
        self.served, self.events, self.ready = served, [], threading.Event()
        self.socket = socket.create_connection((served.host, served.port), timeout=WAIT * 3)
        self.socket.sendall(f"GET /__briefsite/events?since={since} HTTP/1.0\r\n\r\n".encode())
        threading.Thread(target=self._read, daemon=True).start()
        assert self.ready.wait(WAIT), "the event stream did not open"

    def _read(self) -> None:
        event = None
        try:
            for raw in self.socket.makefile("rb"):
                line = raw.decode().rstrip("\r\n")
                if line.startswith("retry:"):
                    self.ready.set()
                elif line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    self.events.append((event, line[6:]))
        except OSError:
            pass

    def wait_for(self, kind: str, count: int = 1) -> str:
        """The data of the `count`th event of this kind."""
        self.served.wait_for(lambda: sum(e == kind for e, _ in self.events) >= count, f"{kind!r} event #{count}")
        return [data for e, data in self.events if e == kind][count - 1]

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the server may have gone already
            self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()


@pytest.fixture
def serve():
    """Start `build.py serve` for a site folder; every server is stopped at the end."""
    started: list[Served] = []

    def start(source, *args) -> Served:
        started.append(Served(source, *args))
        return started[-1].start()

    yield start
    for served in started:
        served.stop()


@pytest.fixture
def site(make_site):
    return make_site({FIRST: brief_text("First brief", tags="[fraud]"),
                      "2025-02-28-second.md": brief_text("Second brief", date="2025-02-28")}, SITE_YML)


def build_token(html: str) -> str:
    return re.search(r'data-briefsite-build="([^"]+)"', html).group(1)


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def write_brief(site, title: str, **header) -> None:
    (site / "briefings" / FIRST).write_text(brief_text(title, tags="[fraud]", **header), encoding="utf-8")


# 1. The site under its sub-path, with the right types; the script only on the wire.

def test_pages_served_under_the_base_path_with_content_types(site, serve):
    served = serve(site)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/briefs/", served.url) and served.port != 8000
    types = {"": "text/html; charset=utf-8", FIRST_PAGE: "text/html; charset=utf-8",
             "static/style.css": "text/css; charset=utf-8", "static/favicon.svg": "image/svg+xml",
             "feed.xml": "application/atom+xml", "tags/fraud/feed.xml": "application/atom+xml",
             "feed.json": "application/json", "briefs.json": "application/json", "sitemap.xml": "application/xml",
             "robots.txt": "text/plain; charset=utf-8"}
    for path, kind in types.items():
        status, headers, _ = served.request("/briefs/" + path)
        assert (status, headers["Content-Type"]) == (200, kind), path
    status, _, page = served.request("/briefs/" + FIRST_PAGE)
    assert h1(page) == "First brief"
    assert f'<link rel="canonical" href="{served.url}{FIRST_PAGE}">' in page  # built for the local URL
    assert page.count("/__briefsite/events") == 1 and page.index("data-briefsite-build") < page.rindex("</body>")
    on_disk = site / PREVIEW
    assert "</body>" in (on_disk / FIRST_PAGE / "index.html").read_text(encoding="utf-8")
    assert not [p for p in on_disk.rglob("*") if p.is_file() and re.search(rb"__briefsite|briefsite-build|EventSource", p.read_bytes())]
    # Outside the sub-path: the root redirects, anything else is not found.
    for path in ("/", "/briefs"):
        status, headers, _ = served.request(path)
        assert (status, headers["Location"]) == (302, "/briefs/"), path
    status, headers, _ = served.request("/briefs/briefs/2025-02-27-first")
    assert (status, headers["Location"]) == (302, "/briefs/" + FIRST_PAGE)
    for path in ("/briefs/no-such-page/", "/elsewhere/index.html", "/index.html"):
        status, headers, body = served.request(path)
        assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8", path
        assert h1(body) == "Page not found" and "data-briefsite-build" in body, path
    status, headers, body = served.request("/briefs/", method="HEAD")
    assert status == 200 and body == "" and int(headers["Content-Length"]) > 1000


def test_base_url_option_keeps_its_path(site, serve):
    served = serve(site, "--base-url", "https://example.com/other/path")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/other/path/", served.url)
    status, _, page = served.request("/other/path/" + FIRST_PAGE)
    assert status == 200 and f'<link rel="canonical" href="{served.url}{FIRST_PAGE}">' in page
    assert served.request("/briefs/" + FIRST_PAGE)[0] == 404


# 2. An edit rebuilds and reloads; ten saves at once rebuild once.

def test_edit_rebuilds_once_and_streams_reload(site, serve):
    served = serve(site)
    events = Events(served, build_token(served.request("/briefs/" + FIRST_PAGE)[2]))
    write_brief(site, "First brief, revised")
    events.wait_for("reload")
    assert h1(served.request("/briefs/" + FIRST_PAGE)[2]) == "First brief, revised"
    assert served.rebuilds() == 1

    for i in range(10):
        (site / "briefings" / f"2025-03-{i + 1:02}-new.md").write_text(brief_text(f"New brief {i}"), encoding="utf-8")
    events.wait_for("reload", 2)
    time.sleep(1.5)  # thirty quiet periods: any second rebuild would have started by now
    assert served.rebuilds() == 2, served.out
    assert [e for e, _ in events.events] == ["reload", "reload"]
    briefs = json.loads(served.request("/briefs/briefs.json")[2])["briefs"]
    assert len(briefs) == 12  # the one rebuild saw all ten files
    events.close()


# 3. A broken brief: the server keeps going, the terminal and the stream say where.

def test_build_error_is_reported_and_fixed(site, serve):
    served = serve(site)
    events = Events(served, build_token(served.request("/briefs/" + FIRST_PAGE)[2]))
    write_brief(site, "Broken brief", date="2025-02-30")
    errors = json.loads(events.wait_for("error"))
    assert [(e["path"], e["line"], e["column"]) for e in errors] == [("src/briefings/2025-02-27-first.md", 3, 7)]
    assert errors[0]["message"].startswith("date: '2025-02-30' is not a real date")
    served.wait_for(lambda: any("Build failed with 1 error" in line for line in served.err), "failure summary")
    assert any(line.startswith(BAD_DATE) for line in served.err), served.err
    assert "Traceback" not in "".join(served.err)
    # Still serving the last good site; a page opened now learns of the error at once.
    assert served.process.poll() is None
    assert h1(served.request("/briefs/" + FIRST_PAGE)[2]) == "First brief"
    late = Events(served, "any")
    assert json.loads(late.wait_for("error")) == errors
    write_brief(site, "Fixed brief")
    events.wait_for("reload")
    late.wait_for("reload")
    assert h1(served.request("/briefs/" + FIRST_PAGE)[2]) == "Fixed brief"
    events.close()
    late.close()


# 4. No request path leaves the output folder.

TRAVERSALS = ["/briefs/../site.yml", "/briefs/%2e%2e/site.yml", "/briefs/%2E%2E/%2e%2e/src/site.yml",
              "/briefs/..%2f..%2fetc/passwd", "/briefs/..%2fsite.yml", "/briefs/%00", "/briefs/index.html%00.txt",
              "/briefs/..\\site.yml", "/briefs/%5c..%5csite.yml", "/briefs//etc/passwd", "/briefs/static/../../site.yml",
              "/briefs/static/%2e%2e/%2e%2e/site.yml", "/../src/site.yml", "/briefs/leak.txt",
              "/briefs/leakdir/secret.txt", "/briefs/leakdir/src/site.yml", "/briefs/leakdir"]


def test_traversal_is_refused(site, serve):
    served = serve(site)
    secret = site.parent / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (site / PREVIEW / "leak.txt").symlink_to(secret)
    (site / PREVIEW / "leakdir").symlink_to(site.parent, target_is_directory=True)
    assert served.request("/briefs/robots.txt")[0] == 200  # the server does serve files
    for path in TRAVERSALS:
        status, headers, body = served.request(path)
        assert status in (403, 404), f"{path}: {status}"
        assert SECRET not in body and "root:" not in body and "Location" not in headers, path


# 5. A busy port: one clear line, no traceback.

def test_busy_port_is_a_clear_error(site):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--source", str(site),
                                 "--port", str(port)], capture_output=True, text=True, timeout=WAIT)
    assert result.returncode == 2
    assert result.stderr == (f"Error: cannot listen on 127.0.0.1:{port}: the port is already in use; "
                             "choose another with --port, or --port 0 for a free one\n")
    assert not (site / "site").exists() and not (site / PREVIEW).exists()  # refused before building


# 6. A real browser: the open page reloads itself, shows the overlay, and drops it.

@pytest.fixture
def page(browser):  # the session's Chromium (conftest)
    context = browser.new_context()
    context.set_default_timeout(WAIT * 1000)
    page = context.new_page()
    page.uncaught = []
    page.on("pageerror", lambda error: page.uncaught.append(error))
    yield page
    context.close()


def test_browser_reloads_and_shows_the_error_overlay(site, serve, page):
    served = serve(site)
    page.goto(served.url + FIRST_PAGE)
    expect(page.locator("h1")).to_have_text("First brief")
    write_brief(site, "First brief, revised")
    expect(page.locator("h1")).to_have_text("First brief, revised")

    write_brief(site, "Broken brief", date="2025-02-30")
    overlay = page.locator("#briefsite-errors")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text(BAD_DATE)
    assert overlay.evaluate("e => getComputedStyle(e).position") == "fixed"
    expect(page.locator("h1")).to_have_text("First brief, revised")  # the last good page stays

    write_brief(site, "Fixed <b>brief</b>")
    expect(overlay).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Fixed <b>brief</b>")
    assert page.uncaught == []


def test_search_works_in_serve_mode(make_site, serve, page):
    site = make_site({FIRST: brief_text("First brief", body="The chartered flight left."),
                      "2025-02-28-second.md": brief_text("Second brief")}, SITE_YML.replace("false", "true"))
    served = serve(site)
    # Indexed after the site is served (the reload of an edit waits for no Pagefind): soon, not at once.
    served.wait_for(lambda: served.request("/briefs/pagefind/parts.json")[0] == 200, "the search index")
    assert served.request("/briefs/pagefind/2025/pagefind.js")[1]["Content-Type"] == "application/javascript; charset=utf-8"
    assert served.request("/briefs/pagefind/parts.json")[1]["Content-Type"] == "application/json"
    page.goto(served.url + "search/?q=chartered")
    expect(page.locator("#search-status")).to_have_text("1 brief found.")
    expect(page.locator("#search-results .item-title a")).to_have_text("First brief")
    assert page.uncaught == []


# 7. Ctrl+C (or kill) stops cleanly, also with an open event stream.

@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_stops_cleanly(site, serve, signum):
    served = serve(site)
    events = Events(served, "any")
    served.process.send_signal(signum)
    assert served.process.wait(WAIT) == 0
    time.sleep(0.2)  # let the readers drain the pipes
    assert "Traceback" not in "".join(served.err), served.err
    assert served.out[-1] == "Stopped.\n"
    events.close()


# 8. Odd request paths get the 404 page, never a traceback or a redirect off the host (issue 11).

ODD_PATHS = ["/briefs/" + "a" * 300, "/briefs/" + "%C3%A9" * 200 + "/index.html", "/briefs/" + "a/" * 3000,
             "/briefs/%ff", "/briefs/%ff/", "/briefs/tags/%c3%28/", "/briefs/loop", "/briefs/loop/x",
             "/briefs/%2F", "/briefs/tags//fraud/", "/briefs/tags/fraud//"]


def test_odd_paths_are_not_found_without_a_traceback(site, serve):
    served = serve(site)
    (site / PREVIEW / "loop").symlink_to("loop")
    for path in ODD_PATHS:
        status, headers, body = served.request(path)
        assert (status, "Location" in headers) == (404, False), path[:80]
        assert h1(body) == "Page not found", path[:80]
    assert served.request("/briefs/tags/fraud/")[0] == 200  # still serving
    assert "Traceback" not in "".join(served.err), served.err


def test_a_root_base_path_never_redirects_to_another_host(make_site, serve):
    site = make_site({FIRST: brief_text("First brief")}, "base_url: https://example.org/\nsearch: false\n")
    served = serve(site)
    briefs = (site / PREVIEW / "briefs").resolve()
    for path in ("/%2F" + str(briefs).lstrip("/"), "/%2F%2F" + str(briefs).lstrip("/"), "/briefs/%2F"):
        status, headers, _ = served.request(path)
        assert (status, headers.get("Location")) == (404, None), path
    status, headers, _ = served.request("/briefs")
    assert (status, headers["Location"]) == (302, "/briefs/")
    assert "Traceback" not in "".join(served.err), served.err


def test_a_base_path_with_escapes_is_served_under_it(make_site, serve):
    site = make_site({FIRST: brief_text("First brief", tags="[fraud]")},
                     "base_url: https://example.org/a%20b/c/\nsearch: false\n")
    served = serve(site)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/a%20b/c/", served.url)
    for path in ("/", "/a%20b/c"):
        status, headers, _ = served.request(path)
        assert (status, headers["Location"]) == (302, "/a%20b/c/"), path
    status, _, page = served.request("/a%20b/c/" + FIRST_PAGE)
    assert status == 200 and h1(page) == "First brief"
    hrefs = re.findall(r'(?:href|src|action)="([^"#]+)', page)
    assert hrefs and all(h.startswith(("/a%20b/c/", served.url)) for h in hrefs), hrefs
    status, headers, _ = served.request("/a%20b/c/tags/fraud")
    assert (status, headers["Location"]) == (302, "/a%20b/c/tags/fraud/")
    assert served.request("/a%20b/c/tags/fraud/")[0] == 200


def test_a_folder_that_cannot_be_watched_is_a_warning_once(make_site, monkeypatch, capsys):
    from briefsite.commands.serve.watch import Watcher

    site = make_site({FIRST: brief_text("First brief")})
    monkeypatch.chdir(site.parent)
    watcher = Watcher(site, site / PREVIEW)

    def full(handler, path, recursive):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watcher.observer, "schedule", full)
    watcher.watch()
    watcher.watch()  # before the next build: still one warning per folder
    warnings = capsys.readouterr().err.splitlines()
    assert warnings[:2] == [
        "src: warning: cannot watch this folder (inotify watch limit reached); saving a file there does not rebuild",
        "src/briefings: warning: cannot watch this folder (inotify watch limit reached); saving a file there does "
        "not rebuild"]
    assert len(warnings) == 3 and watcher.watched == set()  # and the theme's folder


# 9. Serve builds into its preview folder in the cache, never into site/ (issue: localhost links in site/).

def snapshot(folder) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, with its bytes (symbolic links too, as their target)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_build(site, *args) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--source", site.name, "--quiet",
                             "--jobs", "1", *args], cwd=site.parent, capture_output=True, text=True, timeout=WAIT * 3)
    assert result.returncode == 0, result.stderr
    return result


def test_serve_never_writes_the_output_folder(site, serve):
    run_build(site)
    before = snapshot(site / "site")
    assert "sitemap.xml" in before and b"https://example.org/briefs/" in before["sitemap.xml"]
    mtimes = {p: p.stat().st_mtime_ns for p in (site / "site").rglob("*")}
    served = serve(site)
    status, _, page = served.request("/briefs/" + FIRST_PAGE)
    assert status == 200 and f'<link rel="canonical" href="{served.url}{FIRST_PAGE}">' in page  # the local URL
    write_brief(site, "First brief")  # a rebuild too: same text, new modification time
    served.wait_for(lambda: served.rebuilds() == 1, "a rebuild")
    served.stop()
    assert snapshot(site / "site") == before  # every name and every byte
    assert {p: p.stat().st_mtime_ns for p in (site / "site").rglob("*")} == mtimes  # not even rewritten
    assert not [p for p in site.iterdir() if p.name.startswith(".site.")]  # no work folders beside it
    # The same bytes as a clean build into a new folder, and a later build into site/ changes nothing.
    (site / "briefings" / FIRST).write_text(brief_text("First brief", tags="[fraud]"), encoding="utf-8")
    run_build(site, "--output", str(site.parent / "clean"), "--no-cache")
    assert snapshot(site.parent / "clean") == before
    run_build(site)
    assert snapshot(site / "site") == before


def test_preview_folder_is_in_the_cache_with_local_urls(site, serve):
    served = serve(site)
    preview = site / PREVIEW
    assert (preview / ".briefsite").is_file()  # made like any output: marked, so the next serve updates it
    sitemap = (preview / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{served.url}{FIRST_PAGE}</loc>" in sitemap and "example.org" not in sitemap
    page = (preview / FIRST_PAGE / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{served.url}{FIRST_PAGE}">' in page
    assert not (site / "site").exists()
    assert any(line.startswith("Built 2 briefs, ") and f"into {site.name}/{PREVIEW}/ in " in line
               for line in served.out), served.out
    # A second session of the same site would overwrite the first one's local URLs: refused.
    second = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--source", str(site), "--port", "0"],
                            capture_output=True, text=True, timeout=WAIT)
    assert second.returncode == 1 and "another serve of this site is running" in second.stderr, second.stderr
    assert served.request("/briefs/" + FIRST_PAGE)[0] == 200
    served.stop()
    # The next session takes the folder over without --force, with its own port in every link.
    again = serve(site)
    page = (preview / FIRST_PAGE / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{again.url}{FIRST_PAGE}">' in page
    assert not (site / "site").exists()


def test_build_may_not_write_into_the_preview_folder(site):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--source", str(site), "--output",
                             str(site / PREVIEW)], capture_output=True, text=True, timeout=WAIT)
    assert result.returncode == 1 and "the output folder may not be inside .briefsite-cache/" in result.stderr


def test_serve_takes_no_output_folder(site):
    help_text = " ".join(subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--help"],
                                        capture_output=True, text=True, timeout=WAIT).stdout.split())
    assert "SOURCE/.briefsite-cache/serve/ (never the output folder)" in help_text
    assert "--output" not in help_text and "--force" not in help_text
