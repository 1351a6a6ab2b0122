"""`data/threads.yml`: the developing stories briefs belong to, declared once by slug."""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildError
from ..model.site import THREAD_STATUSES, ThreadProfile
from ..values.slugs import is_segment, slugify
from .fields import describe
from .records import one_of, read_data_file, record, text

THREADS_FILE = "threads.yml"
THREAD_READERS = {"title": text, "status": one_of(THREAD_STATUSES), "summary": text}


def load_threads(source: Path, shown: str = "") -> tuple[tuple[ThreadProfile, ...], list[BuildError]]:
    """The threads `data/threads.yml` declares (none when it is absent), and what is wrong with it."""
    doc, file, problems = read_data_file(source, THREADS_FILE, shown)
    if doc is None:
        return (), problems
    if not isinstance(doc.data, dict):
        return (), problems + [BuildError(file, 1, 1, "expected a mapping of thread slugs to {title, status, "
                                                      f"summary}}, got {describe(doc.data)}")]
    threads = []
    for slug in doc.data:
        line, col = doc.where((slug,))
        if not isinstance(slug, str) or not is_segment(slug):
            example = slugify(str(slug)) if isinstance(slug, (str, int, float)) else ""
            problems.append(BuildError(file, line, col, f"{slug!r} is not a thread slug; expected lowercase letters, "
                                       "digits and hyphens" + (f", such as '{example}'" if example else "")))
            continue
        values = record(doc, file, (slug,), slug, THREAD_READERS, problems)
        if values is None:
            continue
        if "title" not in values:
            problems.append(BuildError(file, line, col, f"{slug}: a thread needs a title"))
            continue
        threads.append(ThreadProfile(slug, **values))
    return tuple(threads), problems
