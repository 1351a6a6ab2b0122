"""Full-text search: index a written site with Pagefind, one bundle per part, and check what it wrote.

Pagefind cannot update an index, so the briefs are indexed in parts, one per
year of their date (their pages' `year` filter): an edit re-indexes its year
only. The search page loads the newest part and merges the others. Beside the
parts, PARTS lists them for the search page and PAGES lists each part's pages
for the next build.

One index of the whole site matches a word no page extends by the longest
indexed word it begins with ("meixin" by "mei"); each part would decide that
alone, and find "mei" in the years without "meixin". So a small WORDS index,
one page of each part's words, tells the search page which parts match a query
as the whole site would.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

from .. import faults
from ..errors import BuildError, BuildFailed
from ..parallel import die_with_parent
from ..site import urls
from ..site.urls import BUNDLE

ENTRY = "pagefind-entry.json"
PARTS = "parts.json"  # the parts' names, newest first: what the search page loads
PAGES = "pages.json"  # each part's brief pages: what tells the next build which parts changed
WORDS = "words"  # the index of the parts' words, one page each
WORDS_LIST = "words.txt"  # in each part: the words of its pages, as Pagefind read them
SIGNATURE = b"pagefind_dcd"  # before the JSON of a decompressed fragment


def _pagefind() -> list[str]:
    """Pagefind's binary from its PyPI package: run as it is, not through a Python start-up per part."""
    try:
        from pagefind_bin import get_executable
        return [str(get_executable())]
    except (ImportError, FileNotFoundError):  # require_pagefind() says what to install
        return [sys.executable, "-m", "pagefind"]


PAGEFIND = _pagefind()  # the command; tests put a stand-in here


_BODY = re.compile(rb"<([a-zA-Z][\w-]*)\b[^>]*\sdata-pagefind-body\b")
_PAGEFIND_ATTRIBUTE = re.compile(rb"""\sdata-pagefind-[\w-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


def searched(page: bytes) -> bytes:
    """What Pagefind reads of a page: all of it to the end of its body element, and after that only the
    data-pagefind attributes (a filter or metadata may sit anywhere). Two pages alike here index alike:
    a brief whose related briefs or neighbours changed, and nothing else, is not indexed again.
    The whole page where the body's end is not plain (a comment in it could hide a tag)."""
    start = _BODY.search(page)
    if not start:
        return page
    tags = re.compile(rb"<(/?)" + re.escape(start.group(1)) + rb"\b[^>]*>", re.IGNORECASE)
    depth = 0
    for tag in tags.finditer(page, start.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            if b"<!--" in page[start.start():tag.end()] or _BODY.search(page, tag.end()):
                return page
            return page[:tag.end()] + b"".join(_PAGEFIND_ATTRIBUTE.findall(page, tag.end()))
    return page


def brief_parts(briefs) -> dict[str, str]:
    """Each brief page's part of the index: the year of the brief's date, as its page's `year` filter says."""
    return {urls.output_file(urls.brief(brief)): str(brief.date.year) for brief in briefs}


def index_search(folder: Path, bundle: Path, output: Path, changed: list[str] | None = None, *,
               parts: dict[str, str]) -> None:
    """Write the search bundle of the site in `folder` into `bundle`: a Pagefind index per part of `parts`
    (page -> part). With `changed` (the files an incremental build wrote or deleted), a part of the bundle in
    `folder` that holds the same pages, none of them changed, is kept (linked) instead of indexed again.
    Raises BuildFailed naming `output`."""
    require_pagefind()
    pages = pages_by_part(parts)
    old = folder / BUNDLE
    before, touched = ({}, set()) if changed is None else (pages_before(old), set(changed))
    kept = {name for name, paths in pages.items() if before.get(name) == paths and touched.isdisjoint(paths)
            and broken_part(old / name) is None}
    bundle.mkdir(parents=True, exist_ok=True)
    for name in sorted(kept):
        shutil.copytree(old / name, bundle / name, copy_function=_link)
    fresh = sorted(set(pages) - kept, key=int, reverse=True)
    run_pagefind({name: (folder, pages[name]) for name in fresh}, bundle, output)
    for name in fresh:
        if problem := broken_part(bundle / name):  # e.g. a full disk: Pagefind still exits 0
            raise broken_index(output, f"{name}/{problem}")
        write_words(bundle / name, name, output)
    if pages and kept == set(pages) == set(before) and broken_part(old / WORDS) is None:
        shutil.copytree(old / WORDS, bundle / WORDS, copy_function=_link)  # the same parts, the same words
    elif pages:
        index_words(bundle, output, list(pages))
    (bundle / PARTS).write_text(json.dumps(sorted(pages, key=int, reverse=True)) + "\n")
    (bundle / PAGES).write_text(json.dumps(pages, indent=0, sort_keys=True) + "\n")
    if problem := broken(bundle):
        raise broken_index(output, problem)


def broken_index(output: Path, problem: str) -> BuildFailed:
    return BuildFailed([BuildError(str(output), 0, 0, f"Pagefind wrote a broken search index: {problem}; "
                                   "is the disk full?")])


def require_pagefind() -> None:
    try:
        import pagefind_bin  # noqa: F401  (the binary ships in this package)
    except ImportError:
        raise BuildFailed([BuildError("site.yml", 0, 0, "search needs Pagefind: install it with "
                                      "`pip install 'pagefind[bin]'`, or set `search: false`")]) from None


def pages_by_part(parts: dict[str, str]) -> dict[str, list[str]]:
    """The pages of each part, sorted."""
    pages: dict[str, list[str]] = {}
    for page, name in sorted(parts.items()):
        pages.setdefault(name, []).append(page)
    return pages


def pages_before(old: Path) -> dict[str, list[str]]:
    """The pages of each part of the bundle `old`; none from a missing bundle or the single index older
    builds wrote, whose parts are then all indexed."""
    try:
        before = json.loads((old / PAGES).read_bytes())
    except (OSError, ValueError):
        return {}
    return before if isinstance(before, dict) else {}


def run_pagefind(sites: dict[str, tuple[Path, list[str] | None]], bundle: Path, output: Path) -> None:
    """Run Pagefind over each of `sites` (name -> folder and the pages of it to read, None: all) into
    `bundle`/name.

    One at a time: Pagefind uses every core itself; on 2 cores two at once were no faster (a cold
    4,000-brief build: 9.3 s of search against 8.4 s) and held two indexes in memory.
    """
    for name, (site, pages) in sites.items():
        # Run in a folder of its own with a configuration file: the glob as an argument, a year of 10,000
        # briefs is longer than the 128 KB the system allows one; and no pagefind.yml of the folder the build
        # was started in applies.
        config = bundle / f".{name}.config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "pagefind.json").write_text(json.dumps({"glob": only(pages)} if pages is not None else {}),
                                              encoding="utf-8")
        run = start_pagefind(site, bundle / name, config)
        try:
            faults.point("searching")
            stdout, stderr = run.communicate()
        except BaseException:  # an error or Ctrl+C here must not leave Pagefind writing on
            run.kill()
            run.wait()
            raise
        finally:
            shutil.rmtree(config, ignore_errors=True)
        if run.returncode != 0:
            detail = (stderr or stdout).strip().splitlines()
            reason = detail[-1] if detail else f"exit status {run.returncode}"
            raise BuildFailed([BuildError(str(output), 0, 0, f"Pagefind failed: {reason}")])


def only(pages: list[str]) -> str:
    """Pagefind's glob for exactly `pages`, one alternative each: a part's pages are read where they are, not
    through a folder of links to them, whose folders (one a brief) took longer to remove than to index."""
    # Their paths are briefs/<slug>/index.html, and a slug is letters, digits, marks and hyphens
    # (values/slugs.py): no character a glob treats as special.
    return "{" + ",".join(pages) + "}"


def index_words(bundle: Path, output: Path, names: list[str]) -> None:
    """The words index: Pagefind over one page per part of `bundle`, holding its words, filtered as
    `index-part:name` as the search page tags the part."""
    site = bundle / f".{WORDS}.site"
    for name in names:
        (site / name).mkdir(parents=True)
        words = (bundle / name / WORDS_LIST).read_text(encoding="utf-8")
        (site / name / "index.html").write_text(
            f'<!doctype html>\n<html lang="{escape(language(bundle / name))}">\n<body data-pagefind-body '
            f'data-pagefind-filter="index-part:{name}">\n<p>{escape(words)}</p>\n</body>\n</html>\n',
            encoding="utf-8")
    run_pagefind({WORDS: (site, None)}, bundle, output)
    shutil.rmtree(site)


def write_words(part: Path, name: str, output: Path) -> None:
    """The list of every word the part's fragments hold: their text and metadata, which Pagefind indexes both."""
    words = set()
    for fragment in sorted((part / "fragment").glob("*.pf_fragment")):
        try:
            record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(SIGNATURE))
            words.update(record["content"].split())
            for value in record["meta"].values():
                words.update(str(value).split())
        except (EOFError, ValueError, KeyError, TypeError, AttributeError, gzip.BadGzipFile):
            raise broken_index(output, f"{name}/fragment/{fragment.name} is not what Pagefind writes") from None
    (part / WORDS_LIST).write_text(" ".join(sorted(words)) + "\n", encoding="utf-8")


def language(part: Path) -> str:
    """The language Pagefind indexed a part in: the words index must stem its words alike."""
    try:
        return next(iter(json.loads((part / ENTRY).read_bytes())["languages"]))
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return "unknown"


def start_pagefind(site: Path, part: Path, config: Path) -> subprocess.Popen:
    """Pagefind over `site` into `part`, run in `config`, whose pagefind.json it reads."""
    parent = os.getpid()
    return subprocess.Popen(
        [*PAGEFIND, "--site", os.path.abspath(site), "--silent", "--output-path", os.path.abspath(part)], cwd=config,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: die_with_parent(parent))


def split(bundle: Path) -> bool:
    """Whether `bundle` is in parts, as this version writes it (older builds wrote one index)."""
    return (bundle / PARTS).is_file() and (bundle / PAGES).is_file()


def broken(bundle: Path) -> str | None:
    """What is wrong with a search bundle: its lists of parts unreadable or at odds, or a part broken."""
    try:
        names = json.loads((bundle / PARTS).read_bytes())
        pages = json.loads((bundle / PAGES).read_bytes())
        if not (isinstance(names, list) and isinstance(pages, dict) and sorted(names) == sorted(pages)
                and all(isinstance(name, str) and name.isdigit() for name in names)):
            raise ValueError
    except (OSError, ValueError):
        return f"{PARTS} or {PAGES} is missing, empty or not what briefsite writes"
    for name in names + ([WORDS] if names else []):
        if problem := broken_part(bundle / name):
            return f"{name}/{problem}"
    return None


def broken_part(part: Path) -> str | None:
    """What is wrong with one Pagefind index: its entry file unreadable, a file it names missing, an empty file."""
    try:
        entry = json.loads((part / ENTRY).read_bytes())
        named = ["pagefind.js"] + [name for language in entry["languages"].values() for name in (
            f"pagefind.{language['hash']}.pf_meta", language["wasm"] and f"wasm.{language['wasm']}.pagefind")
            if name]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"{ENTRY} is missing, empty or not what Pagefind writes"
    for name in named:
        if not (part / name).is_file():
            return f"{name} is missing"
    for root, _, files in os.walk(part):
        for name in sorted(files):
            if os.path.getsize(os.path.join(root, name)) == 0:
                return f"{Path(root, name).relative_to(part).as_posix()} is empty"
    return None


def _link(source, target) -> None:
    """`target` as a hard link to `source`, or a copy on a file system without hard links."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)
