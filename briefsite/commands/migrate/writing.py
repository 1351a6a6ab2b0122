"""New files under briefings/, never over a file and never through a symbolic link in it."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW


class Linked(OSError):
    """A file or folder on the way is a symbolic link: nothing is written through it."""

    def __init__(self, link: Path):
        super().__init__(errno.ELOOP, "a symbolic link", str(link))
        self.link = link


@contextmanager
def created(folder: Path, relative: str) -> Iterator[BinaryIO]:
    """A new file `folder/relative` to write, its folders made as needed.

    `folder` itself is the site's own (followed if it is a link, as the build reads it); below it, each
    folder is opened without following a link (O_NOFOLLOW) and the file is made only if nothing, not even
    a link, has its name (O_EXCL): FileExistsError, or Linked naming the link.
    """
    folder.mkdir(parents=True, exist_ok=True)
    *folders, name = relative.split("/")
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for index, part in enumerate(folders):
            with suppress(FileExistsError):
                os.mkdir(part, dir_fd=handle)
            inner = _opened(part, _FOLDER, handle, folder.joinpath(*folders[:index + 1]))
            os.close(handle)
            handle = inner
        file = _opened(name, _NEW_FILE, handle, folder / relative, 0o666)
        try:
            with os.fdopen(file, "wb") as out:
                yield out
        except BaseException:  # a full disk or Ctrl-C midway: no half-written brief is left to publish
            with suppress(OSError):
                os.unlink(name, dir_fd=handle)
            raise
    finally:
        os.close(handle)


def _opened(name: str, flags: int, folder: int, shown: Path, mode: int = 0o777) -> int:
    try:
        return os.open(name, flags, mode, dir_fd=folder)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.ENOTDIR and os.path.islink(shown)):
            raise Linked(shown) from None
        if exc.errno == errno.EEXIST and os.path.islink(shown):
            raise Linked(shown) from None
        raise
