"""Helpers for the headless-Chromium tests: the system browser, and a page that records its problems."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from conftest import chromium_path

# Playwright cannot download browsers here: always launch the system Chromium with these.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def launch(playwright):
    """The system Chromium, headless."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


@dataclass
class Watcher:
    """Everything that went wrong on a page: console errors, uncaught exceptions, failed
    requests, HTTP errors (except those explicitly `expected`), and any dialog at all."""

    expected_status: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("dialog", self._dialog)

    def _console(self, message) -> None:
        if message.type in ("error", "assert"):
            location = message.location.get("url", "") if message.location else ""
            # Chromium reports every HTTP error status in the console too; the deliberate
            # 404 document is checked by _response, anything else is a problem there.
            if "the server responded with a status of 404" in message.text and location in self.expected_status:
                return
            self.problems.append(f"console {message.type}: {message.text} at {location}")

    def _request_failed(self, request) -> None:
        # Chromium fetches the page's icon after "load", and a lazy image when it nears the viewport, which
        # may be after "load" too; a test that navigates on at once (goto, a click) cancels those fetches,
        # more often on a busy machine. Only that cancellation of an image is the test's doing: an image
        # that fails otherwise, or answers with an HTTP error, still counts (and every link and source is
        # checked in test_site and by the crawler in test_clients).
        if request.failure == "net::ERR_ABORTED" and (
                request.resource_type == "image" or urlsplit(request.url).path.endswith("/static/favicon.svg")):
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400 and self.expected_status.get(response.url) != response.status:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog ({dialog.type}): {dialog.message!r}")
        dialog.dismiss()

    def assert_clean(self, what: str) -> None:
        assert not self.problems, f"{what}:\n  " + "\n  ".join(self.problems)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG image; fails if `data` is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR", "PNG without an IHDR chunk first"
    return struct.unpack(">II", data[16:24])


def format_violations(violations: list[dict]) -> str:
    """axe-core violations, one line per rule with the offending elements' selectors."""
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])]
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')} -> "
                     + "; ".join(targets[:8]) + (f" (+{len(targets) - 8} more)" if len(targets) > 8 else ""))
    return "\n  ".join(lines)


SCHEMES = ("light", "dark")


def serious_violations(page, axe_js) -> dict[str, list[dict]]:
    """axe-core's serious and critical violations on the loaded page, in each colour scheme.

    axe is added once and run once a scheme: the page is not loaded again for the second."""
    page.add_script_tag(path=str(axe_js))
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        violations = page.evaluate("async () => (await axe.run(document)).violations")
        found[scheme] = [v for v in violations if v.get("impact") in ("serious", "critical")]
    return found
