"""Write the rendered site into a staging folder, then swap it in atomically."""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from .errors import BuildError, BuildFailed
from .render import Output
from .urls import UnsafePath, contained

STAGING = ".{name}.staging"
RETIRED = ".{name}.old"


def write_site(outputs: list[Output], output: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Replace `output` with `outputs` (and what `finish` adds to the new tree); on failure keep it as it was."""
    output = output.absolute()
    staging = output.parent / STAGING.format(name=output.name)
    retired = output.parent / RETIRED.format(name=output.name)
    for leftover in (staging, retired):  # from a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        _write_tree(outputs, staging, output if output.is_dir() else None)
        if finish:  # e.g. the search index, built over the complete new tree
            finish(staging)
        _swap(staging, output, retired)
    except OSError as exc:  # disk full, permissions: report it, keep the old site
        raise BuildFailed([BuildError(str(output), 0, 0, f"cannot write the site: {exc.strerror or exc}")]) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)


def _write_tree(outputs: list[Output], root: Path, previous: Path | None) -> None:
    """Write every output under `root`; a file equal to the previous build's is linked, not rewritten."""
    root.mkdir()
    made: set[Path] = {root}
    for output in outputs:
        try:
            target = contained(root, output.path)
        except UnsafePath as exc:
            raise BuildFailed([BuildError(output.source, 0, 0, str(exc))]) from None
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if not (previous and _link_unchanged(previous / output.path, target, output.data)):
            target.write_bytes(output.data)


def _link_unchanged(old: Path, target: Path, data: bytes) -> bool:
    """Hard-link `old` as `target` when it holds `data`: the file keeps its modification
    time, so rsync and CDNs upload only what changed."""
    try:
        if old.is_symlink() or old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
    except OSError:
        return False
    return True


def _swap(staging: Path, output: Path, retired: Path) -> None:
    """Put `staging` in place of `output` so that readers see the old or the new tree."""
    if not output.exists():
        os.rename(staging, output)
    elif not _exchange(staging, output):
        # No atomic exchange here: two renames, with a moment of no output.
        os.rename(output, retired)
        try:
            os.rename(staging, output)
        except OSError:
            os.rename(retired, output)
            raise
        return
    if staging.exists():  # after an exchange, staging holds the old tree
        os.rename(staging, retired)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories with Linux's renameat2; False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
