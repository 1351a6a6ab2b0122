"""Shared helpers: small inline sites in tmp_path, the CLI run in-process, and the session's
golden site (built once), served golden site and headless browser."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from datetime import datetime
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from PIL import Image
from served import serve

from briefsite import faults
from briefsite.build import Options, build_site
from briefsite.commands.cli import main
from briefsite.errors import BuildFailed
from briefsite.media import previews, share
from briefsite.site.urls import MARKER

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_NOW = datetime.fromisoformat("2025-03-01T00:00:00+07:00")  # its embargoed brief is still out (Makefile too)
ROOT = Path(__file__).resolve().parent.parent
# CI sets this so that a missing browser, Java or npm package fails instead of skipping.
REQUIRE_CLIENTS = os.environ.get("BRIEFSITE_REQUIRE_CLIENTS") == "1"


def require_client(found: bool, what: str, how: str) -> None:
    """Skip a test whose real client is missing, saying how to install it; fail in CI."""
    if found:
        return
    message = f"{what} is not installed; {how}"
    if REQUIRE_CLIENTS:
        pytest.fail(message + " (BRIEFSITE_REQUIRE_CLIENTS=1)")
    pytest.skip(message)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def nu_errors(*folders: Path) -> str:
    """The Nu HTML Checker's errors for every HTML page under `folders` ('' when valid): one Java start."""
    require_client(shutil.which("java") is not None, "Java", "install it with `apt-get install default-jre-headless`")
    require_client(VNU_JAR.is_file(), "The Nu HTML Checker (vnu-jar)", "run `npm ci`")
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "gnu", *map(str, folders)],
        capture_output=True, text=True)
    assert checked.returncode in (0, 1), checked.stderr
    return checked.stderr + checked.stdout


def brief_text(title="A brief", date="2025-02-27", body="Body text.", **header) -> str:
    """A brief file's text with the given header keys (values written as YAML)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in header.items()]
    return "\n".join(lines + ["---", body, ""])


def build(src: Path, out: Path, **options):
    """One build of `src` into `out`, from scratch (no cache, one process); its Result."""
    return build_site(Options(src, out, jobs=1, cache=False, **options))


def failure(src: Path, tmp_path: Path) -> list[str]:
    """The errors, as printed, of a build of `src` that must fail."""
    with pytest.raises(BuildFailed) as caught:
        build(src, tmp_path / "out")
    return [str(error) for error in caught.value.errors]


def shown(src: Path, problems) -> list[str]:
    """Problems as printed, with paths relative to the site folder `src`."""
    return [str(problem).replace(f"{src}/", "") for problem in problems]


def write_site(root: Path, briefs: dict, config: str | None = None) -> Path:
    """A site folder at `root`: {file name: text or bytes} under briefings/, and site.yml from `config`.

    Share images are off unless `config` names them: most tests are about pages, and drawing a
    card for every brief of every test site would double the suite's time.
    """
    (root / "briefings").mkdir(parents=True, exist_ok=True)
    for name, content in briefs.items():
        path = root / "briefings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    config = textwrap.dedent(config or "")
    if "share_images" not in config:
        config += ("" if config.endswith("\n") or not config else "\n") + "share_images: false\n"
    (root / "site.yml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path):
    """write_site in tmp_path/`folder` (src unless named): the site factory of every test of one site.

    A module's tests that only read one built site share it instead: a module-scoped fixture calls
    write_site in a folder of tmp_path_factory and builds it once (e.g. test_feeds, test_exports).
    """

    def make(briefs: dict, config: str | None = None, folder: str = "src") -> Path:
        return write_site(tmp_path / folder, briefs, config)

    return make


@pytest.fixture
def undrawn_share_images(monkeypatch):
    """Every share image one fixed PNG instead of drawn (25 ms of CPU a card), in this process and the
    processes it forks: for tests of many builds about what pages and files say, where a card's file, its
    address and its tags are all there is to check, never its pixels (test_share_images draws them)."""
    undraw_share_images(monkeypatch)


def undraw_share_images(monkeypatch) -> None:
    """What the fixture above does, for a fixture of a wider scope with a monkeypatch of its own."""
    card = png(1200, 630, "#ffffff")  # a blank card of the size drawn
    monkeypatch.setattr(share, "share_image", lambda *args, **kwargs: card)
    monkeypatch.setattr(previews, "share_image", lambda *args, **kwargs: card)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """The test runs in tmp_path: messages show paths relative to the working folder, short and exact."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def cli():
    """Run build.py's CLI in-process; returns the click Result (stdout and stderr apart)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


# A stand-in for Pagefind (briefsite.output.search.PAGEFIND) that notes which part, by its output folder's
# name, it indexes into the file $PAGEFIND_LOG, then runs Pagefind.
RECORDING_PAGEFIND = """
import os, sys
with open(os.environ["PAGEFIND_LOG"], "a") as log:
    log.write(os.path.basename(sys.argv[sys.argv.index("--output-path") + 1]) + "\\n")
os.execv(sys.executable, [sys.executable, "-m", "pagefind", *sys.argv[1:]])
"""


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, with its bytes, except Pagefind's bundle and the marker
    of a folder a build made.

    Pagefind writes its filter index in hash-map order, so those files differ
    between identical builds (Pagefind issue #638); search has its own tests.
    """
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] != "pagefind" and p.relative_to(root).as_posix() != MARKER}


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Each output file's inode and modification time: a file written again has new ones."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def rewritten(out: Path, before: dict) -> set[str]:
    """The output files written since `before` (stamps) was taken."""
    return {name for name, stamp in stamps(out).items() if before.get(name) != stamp}


def clean_tree(src: Path, tmp_path: Path, name: str = "clean") -> dict[str, bytes]:
    """The tree a clean build of `src` makes (in tmp_path/`name`): what an incremental build must equal."""
    build(src, tmp_path / name)
    return tree(tmp_path / name)


def png(width: int = 800, height: int = 400, colour: str = "#c03030") -> bytes:
    """A PNG of one colour."""
    return encoded(Image.new("RGB", (width, height), colour), "PNG")


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    """`image` saved as `kind` (PNG, JPEG, ...) with Pillow's `options`: the file's bytes."""
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def bundle(output: Path) -> dict[str, bytes]:
    """The files of the Pagefind bundle under `output`, which tree() leaves out."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted((output / "pagefind").rglob("*"))
            if p.is_file()}


class BuiltSite:
    """A site and its output as a first build left them, put back before each test of a module that shares
    one built site instead of building it again (test_write_faults, test_robustness).

    A subclass names `root`, `src`, `out` and the folders under `root` that `snapshot` copies once and
    `restore` puts back at the same paths (the ledger is kept per output folder), their files with their
    modification times (which the ledger checks).
    """

    root: Path
    src: Path
    out: Path
    kept: tuple[str, ...]

    def snapshot(self) -> None:
        for name in self.kept:
            shutil.copytree(self.root / name, self.root / "pristine" / name, symlinks=True)

    def restore(self) -> None:
        for name in self.kept:
            shutil.rmtree(self.root / name, ignore_errors=True)
            shutil.copytree(self.root / "pristine" / name, self.root / name, symlinks=True)

    @property
    def beside(self) -> list[str]:
        """What lies in the output's folder: the output (and the sources, if there) once a build has finished."""
        return sorted(p.name for p in self.out.parent.iterdir()) if self.out.parent.exists() else []

    def points(self) -> Counter:
        """How many times a build of `src` into `out` (the cache on, in this process) reaches each fault point."""
        reached = Counter()

        def count(name: str) -> None:
            reached[name] += 1

        with mock.patch.object(faults, "point", count):
            build_site(Options(self.src, self.out, jobs=1))
        return reached


@pytest.fixture(scope="session")
def golden_site(tmp_path_factory) -> Path:
    """The golden sample site, built once per test session (base URL https://example.org/briefs/)."""
    out = tmp_path_factory.mktemp("golden") / "site"
    build_site(Options(GOLDEN / "site", out, jobs=1, cache=False, now=GOLDEN_NOW))  # no cache in the repo
    return out


@pytest.fixture(scope="session")
def served_golden(tmp_path_factory) -> str:
    """The golden site built for and served at http://127.0.0.1:PORT/briefs/; yields that URL."""
    out = tmp_path_factory.mktemp("served") / "briefs"
    with serve(out, "/briefs/") as url:
        build_site(Options(GOLDEN / "site", out, base_url=url, jobs=1, cache=False, now=GOLDEN_NOW))
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless system Chromium for the whole session (test_browser, test_search, test_serve)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_client(sync_playwright is not None, "Playwright", "install the test extras: `pip install -e '.[test]'`")
    require_client(chromium_path() is not None, "Chromium", "install it with `apt-get install chromium fonts-liberation`")
    from browser_helpers import launch  # not at the top: browser_helpers imports this module

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh context (no shared cookies, cache or storage) per test, of the session's Chromium."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


# Session fixtures that keep a thread running until the session ends: the served site's HTTP server,
# and asyncio's child watcher for Playwright's driver. A build in a process with other threads does
# not fork workers (parallel.can_fork), so the tests that use them run last (marked `served`), and
# every other test runs the same code whether or not they ran before it.
THREADED_FIXTURES = {"browser", "served_golden"}


SYSTEM = Path(__file__).parent / "system"  # whole-site, browser and real-client tests: `make test`, not `make check`


def pytest_configure(config):
    config.addinivalue_line("markers", "served: uses the served golden site or the browser (set by conftest); "
                                       "these run last")
    config.addinivalue_line("markers", "system: a test in tests/system/ (set by conftest); `make check` leaves "
                                       "them to `make test`")


@pytest.hookimpl(tryfirst=True)  # marked before `-m` selects
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(SYSTEM):
            item.add_marker(pytest.mark.system)
    threaded = [item for item in items if THREADED_FIXTURES & set(getattr(item, "fixturenames", ()))]
    for item in threaded:
        item.add_marker(pytest.mark.served)
    # The slow tests first, so that two workers do not end with one of them running a long test alone.
    last = set(threaded)
    rest = [item for item in items if item not in last]
    items[:] = sorted(rest, key=lambda item: item.get_closest_marker("slow") is None) + threaded


# The theme's own interactive and data elements, allowed where content's would not be.
SEARCH_SCRIPT = re.compile(r"/briefs/static/search\.js\?v=[0-9a-f]{10}")


def theme_element(tag: str, attrs: dict) -> bool:
    """The theme's own interactive and data elements, which content can never produce."""
    if tag == "script":  # JSON-LD data blocks, and the search page's own module
        return (attrs == {"type": "application/ld+json"}
                or (attrs.get("type") == "module" and SEARCH_SCRIPT.fullmatch(attrs.get("src", "")) is not None))
    if tag == "form":
        return attrs.get("role") == "search" and attrs.get("action") == "/briefs/search/"
    if tag == "input":
        return attrs.get("type") == "search" and attrs.get("name") == "q"
    if tag == "button":
        return attrs == {"type": "submit"}
    if tag == "select":
        return attrs == {"id": "search-sort", "name": "sort"}
    if tag == "noscript":
        return not attrs
    return False


WITHOUT_BYPASS = "BRIEFSITE_WITHOUT_BYPASS"  # set in the child pytest that runs without root's bypass


def rerun_without_permission_bypass(request) -> None:
    """Run this test again in a child pytest without the capabilities that let root ignore file
    permissions (setpriv drops them from the bounding set), so permission tests run as root too."""
    if os.environ.get(WITHOUT_BYPASS):
        pytest.fail("file permissions are still ignored without CAP_DAC_OVERRIDE")
    if not shutil.which("setpriv"):
        require_client(False, "setpriv (util-linux)", "install util-linux, or run the tests as a normal user")
    # Its own --basetemp: in pytest's shared one, the child would first delete the oldest numbered folders
    # (whole built sites of earlier runs), seconds of work that is not this test's.
    basetemp = request.getfixturevalue("tmp_path_factory").mktemp("without-bypass")
    child = subprocess.run(
        ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", sys.executable, "-m", "pytest", "-q",
         "-p", "no:cacheprovider", "--basetemp", str(basetemp), request.node.nodeid], cwd=ROOT,
        capture_output=True, text=True, env={**os.environ, WITHOUT_BYPASS: "1"})
    assert child.returncode == 0 and "1 passed" in child.stdout, child.stdout[-3000:] + child.stderr[-2000:]
