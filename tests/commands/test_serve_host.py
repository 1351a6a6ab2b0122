"""`serve` answers only to its own host names (issue 24: DNS rebinding), streams files with bounded
memory, and marks every response nosniff. Most tests run the preview server in-process on a small
folder; one runs the real CLI with --allow-host."""

from __future__ import annotations

import hashlib
import http.client
import socket
import subprocess
import sys
import threading
import tracemalloc

import pytest

from briefsite.commands.serve import server as server_module
from briefsite.commands.serve.hosts import host_name_problem, served_hosts
from briefsite.commands.serve.server import EVENTS, Server

from conftest import ROOT, brief_text

WAIT = 20  # seconds: the bound of every wait
MB = 1024 * 1024
BIG = 20 * MB
PAGE = b"<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>"


def refusal(port: int, *names: str) -> str:
    served = ", ".join(["127.0.0.1", "[::1]", "localhost", *names][:-1]) + " and " + (
        names[-1] if names else "localhost")
    return (f"400 Bad Request: this preview answers only to {served}, on port {port}.\n"
            "To answer to another host name, start serve with --allow-host NAME.\n")


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "preview"
    root.mkdir()
    (root / "index.html").write_bytes(PAGE)
    (root / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    return root


@pytest.fixture
def start(root):
    """Start the preview server on 127.0.0.1 in a thread; every one is stopped at the end."""
    started = []

    def start(*allowed: str) -> Server:
        server = Server(("127.0.0.1", 0), root, "/", allowed)
        thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)  # stops at once
        thread.start()
        started.append((server, thread))
        return server

    yield start
    for server, thread in started:
        server.hub.close()
        server.shutdown()
        server.server_close()
        thread.join(WAIT)


def port_of(server: Server) -> int:
    return server.server_address[1]


def ask(server: Server, host: str | None, path: str = "/", method: str = "GET"):
    """(status, headers, body bytes) of a request with exactly this Host header (none if None)."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=WAIT)
    try:
        connection.putrequest(method, path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def raw(server: Server, request: bytes) -> bytes:
    """The whole answer to `request` sent as it is, read until the server closes."""
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=WAIT) as client:
        client.sendall(request)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
            if b"retry:" in answer:  # an event stream stays open: its first line is enough
                break
        return answer


# 1. Only the served host names, with the served port or none.

SERVED = ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "localhost", "127.0.0.1", "[::1]",
          "LocalHost:{port}", "[0:0::1]:{port}", "localhost:"]
REFUSED = ["evil.example:{port}", "evil.example", "localhost:{other}", "127.0.0.1:{other}", "localhost:80",
           "localhost.evil.example:{port}", "127.0.0.1.nip.io:{port}", "10.0.0.1:{port}", "", "::1", "::1:{port}",
           "[::1", "[::1]x", "[127.0.0.1]:{port}", "localhost:{port}x", "localhost:+{port}", ":{port}"]


@pytest.mark.parametrize("host", SERVED)
def test_served_host_names_are_answered(start, host):
    server = start()
    status, _, body = ask(server, host.format(port=port_of(server)))
    assert status == 200 and body.startswith(PAGE[:-len(b"</body></html>")])


@pytest.mark.parametrize("host", REFUSED)
def test_other_host_names_get_400_saying_what_is_served(start, host):
    server = start()
    port = port_of(server)
    status, headers, body = ask(server, host.format(port=port, other=port + 1))
    assert (status, headers["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Cache-Control"] == "no-store"
    assert body.decode() == refusal(port)


def test_a_refused_head_has_no_body(start):
    server = start()
    status, headers, body = ask(server, "evil.example", method="HEAD")
    assert (status, body) == (400, b"") and int(headers["Content-Length"]) == len(refusal(port_of(server)))


def test_the_live_reload_stream_is_refused_too(start):
    server = start()
    port = port_of(server)
    answer = raw(server, f"GET {EVENTS}?since=x HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.0 400 ") and answer.endswith(refusal(port).encode())
    answer = raw(server, f"GET {EVENTS}?since=x HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.0 200 ") and b"text/event-stream" in answer


def test_a_request_without_host(start):
    """HTTP/1.1 requires a Host (RFC 9112 3.2): 400. HTTP/1.0 may lack one, and no browser sends such a
    request, so no page of another site can: answered."""
    server = start()
    assert raw(server, b"GET / HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.0 400 ")
    assert raw(server, b"GET / HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 200 ")
    twice = f"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example:{port_of(server)}\r\n\r\n"
    assert raw(server, twice.encode()).startswith(b"HTTP/1.0 400 ")


def test_allowed_host_names_are_answered(start):
    server = start("preview.test", "MyBox")
    port = port_of(server)
    assert ask(server, f"preview.test:{port}")[0] == 200
    assert ask(server, "mybox")[0] == 200
    status, _, body = ask(server, f"evil.example:{port}")
    assert (status, body.decode()) == (400, refusal(port, "preview.test", "mybox"))


def test_all_interfaces_answer_any_address_and_the_machines_name(monkeypatch):
    monkeypatch.setattr(socket, "gethostname", lambda: "MyBox")
    hosts = served_hosts("0.0.0.0", "0.0.0.0", 8000, ("preview.test",))
    for host in ("192.168.1.5:8000", "[fe80::1]:8000", "mybox:8000", "mybox.local", "localhost", "preview.test"):
        assert hosts.allows(host), host
    for host in ("evil.example:8000", "192.168.1.5:8001", "mybox.evil.example"):
        assert not hosts.allows(host), host
    assert hosts.refusal() == (
        "400 Bad Request: this preview answers only to 127.0.0.1, [::1], localhost, mybox, mybox.local, "
        "preview.test and any IP address of this machine, on port 8000.\n"
        "To answer to another host name, start serve with --allow-host NAME.\n")
    assert served_hosts("::", "::", 8000).any_address


def test_a_host_given_by_name_or_address_is_served():
    named = served_hosts("mybox.lan", "192.168.1.5", 8000)
    assert named.allows("mybox.lan:8000") and named.allows("192.168.1.5:8000") and named.allows("localhost")
    assert not named.allows("192.168.1.6:8000") and not named.allows("evil.example:8000")
    assert served_hosts("192.168.1.5", "192.168.1.5", 8000).allows("192.168.1.5")
    assert served_hosts("::1", "::1", 8000).allows("[::1]:8000")
    listed = served_hosts("127.0.0.1", "127.0.0.1", 8000, ("192.168.1.5", "fe80::1"))
    assert listed.allows("192.168.1.5:8000") and listed.allows("[fe80::1]") and not listed.allows("192.168.1.6")


@pytest.mark.parametrize("name", ["example.com:8000", "http://example.com", "a/b", "", "exa mple", "-bad.example"])
def test_allow_host_takes_bare_host_names(name):
    assert host_name_problem(name) == (f"--allow-host: {name!r} is not a host name "
                                       "(give a name such as mybox.example, without port or scheme)")


@pytest.mark.parametrize("name", ["mybox", "preview.test", "My-Box.Example", "192.168.1.5", "::1", "xn--bcher-kva.example"])
def test_allow_host_accepts_names_and_addresses(name):
    assert host_name_problem(name) is None


def test_serve_command_with_allow_host(make_site):
    from test_serve import Served

    site = make_site({"2025-02-27-first.md": brief_text("First brief")}, "search: false\n")
    served = Served(site, "--allow-host", "preview.test").start()
    try:
        connection = http.client.HTTPConnection(served.host, served.port, timeout=WAIT)
        for host, status in ((f"preview.test:{served.port}", 200), (f"localhost:{served.port}", 200),
                             (f"evil.example:{served.port}", 400), (f"preview.test:{served.port + 1}", 400)):
            connection.putrequest("GET", "/", skip_host=True)
            connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read().decode()
            assert response.status == status, host
            if status == 400:
                assert body == refusal(served.port, "preview.test")
                connection.close()  # a refusal closes the connection
        connection.close()
    finally:
        served.stop()
    bad = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--source", str(site), "--port", "0",
                          "--allow-host", "http://preview.test"], capture_output=True, text=True, timeout=WAIT)
    assert (bad.returncode, bad.stderr) == (2, "Error: --allow-host: 'http://preview.test' is not a host name "
                                               "(give a name such as mybox.example, without port or scheme)\n")


# 2. Files are streamed: a big file never sits whole in memory.

def fetch_whole(server: Server, path: str, digests: list) -> None:
    """GET `path`, read it in chunks, and note its length and SHA-256."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=WAIT * 3)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        digest, length = hashlib.sha256(), 0
        while chunk := response.read(64 * 1024):
            digest.update(chunk)
            length += len(chunk)
        digests.append((response.status, int(response.headers["Content-Length"]), length, digest.hexdigest()))
    finally:
        connection.close()


def big_file(root, name: str = "big.bin"):
    path = root / name
    with path.open("wb") as file:
        for i in range(BIG // MB):
            file.write(bytes([i]) * MB)
    return path


def test_big_files_are_streamed_in_bounded_memory(start, root):
    path = big_file(root)
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    server = start()
    digests = []
    tracemalloc.start()
    try:
        clients = [threading.Thread(target=fetch_whole, args=(server, "/big.bin", digests)) for _ in range(4)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(WAIT * 3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert digests == [(200, BIG, BIG, expected)] * 4
    assert peak < 4 * MB, f"peak {peak / MB:.1f} MB for four 20 MB downloads"  # read whole: over 80 MB


def test_head_of_a_big_file_sends_its_length_and_no_body(start, root):
    big_file(root)
    status, headers, body = ask(start(), "localhost", "/big.bin", method="HEAD")
    assert (status, headers["Content-Length"], headers["Content-Type"], body) == (
        200, str(BIG), "application/octet-stream", b"")


def test_a_file_cut_short_while_streamed_ends_the_connection(start, root, capsys):
    path = big_file(root)
    server = start()
    with socket.socket() as client:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)  # little in flight before the cut
        client.settimeout(WAIT)
        client.connect(("127.0.0.1", port_of(server)))
        client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answer = client.recv(65536)
        with path.open("r+b") as file:
            file.truncate(MB)
        while chunk := client.recv(65536):  # the server closes: a keep-alive would wait here until the timeout
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200 ") and f"Content-Length: {BIG}".encode() in head
    assert len(body) < BIG
    assert ask(server, "localhost", "/robots.txt")[0] == 200  # still serving
    assert "Traceback" not in capsys.readouterr().err


def test_a_file_that_grows_while_streamed_sends_its_length(start, root):
    path = big_file(root)
    server = start()
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=WAIT)
    try:
        connection.request("GET", "/big.bin")
        response = connection.getresponse()
        length = len(response.read(64 * 1024))
        with path.open("ab") as file:
            file.write(b"x" * MB)
        while chunk := response.read(64 * 1024):
            length += len(chunk)
        assert length == BIG
        connection.request("GET", "/robots.txt")  # still serving
        assert connection.getresponse().read() == b"User-agent: *\n"
    finally:
        connection.close()


def test_pages_are_read_whole_with_the_script_and_huge_ones_streamed_as_they_are(start, root, monkeypatch):
    server = start()
    status, headers, body = ask(server, "localhost", "/")
    assert status == 200 and b"data-briefsite-build" in body and int(headers["Content-Length"]) == len(body)
    monkeypatch.setattr(server_module, "WHOLE_PAGE", len(PAGE) - 1)
    status, headers, body = ask(server, "localhost", "/")
    assert (status, headers["Content-Type"], body) == (200, "text/html; charset=utf-8", PAGE)


# 3. Every response is nosniff; a link out of the folder is not followed.

def test_every_response_is_nosniff(start, root, tmp_path):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (root / "folder").mkdir()
    server = start()
    for path, expected in (("/robots.txt", 200), ("/folder", 302), ("/leak.txt", 403), ("/nothing", 404),
                           ("/%00", 403)):
        status, headers, body = ask(server, "localhost", path)
        assert (status, headers["X-Content-Type-Options"]) == (expected, "nosniff"), path
        assert b"secret" not in body
