"""Watching a site's inputs: which file events matter, and one rebuild for a burst of them."""

from __future__ import annotations

import threading
from pathlib import Path

import click
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from ...errors import printable, shown
from ...media.site_files import STATIC_DIR
from ...memory.briefs import CACHE_DIR
from ...reading.editions import EDITIONS_DIR
from ...reading.records import DATA_DIR
from ...resources import THEME

# Seconds without a change before rebuilding: one save of ten files, or an editor's save-by-rename (a few
# events within a millisecond or two), is one rebuild; every moment of it is added to each edit's wait.
QUIET = 0.05


class Changes(FileSystemEventHandler):
    """Sets `flag` when a site input changes; output, cache and editor temp files are ignored."""

    def __init__(self, source: Path, output: Path, flag: threading.Event):
        self.source, self.output, self.flag = source, output, flag
        self.inputs = [source / "briefings", source / "templates", THEME, source / "site.yml", source / DATA_DIR,
                       source / STATIC_DIR, source / EDITIONS_DIR]

    def on_any_event(self, event):
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]  # an editor's save-by-rename lands on dest
        if any(self.relevant(Path(str(path))) for path in paths if path):
            self.flag.set()

    def relevant(self, path: Path) -> bool:
        """Whether a change to `path` can change the site."""
        if path.is_relative_to(self.output) or path.is_relative_to(self.source / CACHE_DIR):
            return False
        folder = next((f for f in self.inputs if path.is_relative_to(f)), None)
        parts = path.relative_to(folder).parts if folder else ()
        # .x.swp, .#x (Emacs lock), #x# (autosave), x~ (backup), 4913 (Vim's probe), .tmp: not content
        return folder is not None and not any(
            p.startswith((".", "#")) or p.endswith(("~", ".swp", ".swx", ".tmp")) or p == "4913" for p in parts)


class Watcher:
    """The observer on a site's input folders, and the wait for a quiet moment after they change."""

    def __init__(self, source: Path, output: Path):
        self.source = source.absolute()
        self.flag, self.stopped = threading.Event(), threading.Event()
        self.handler = Changes(self.source, output.absolute(), self.flag)
        self.observer, self.watched, self.warned = Observer(), set(), set()

    def watch(self) -> None:
        """Watch the inputs that exist (a folder created later is picked up before the next build); never raises."""
        for folder, recursive in ((self.source, False), (self.source / "briefings", True),
                                  (self.source / "templates", True), (THEME, True), (self.source / DATA_DIR, False),
                                  (self.source / STATIC_DIR, True), (self.source / EDITIONS_DIR, False)):
            try:
                if folder.is_dir() and folder.resolve() not in self.watched:
                    self.observer.schedule(self.handler, str(folder), recursive=recursive)
                    self.watched.add(folder.resolve())
            except (OSError, RuntimeError) as exc:  # the inotify limit, a symlink loop: serve on, say so once
                if folder not in self.warned:
                    self.warned.add(folder)
                    reason = getattr(exc, "strerror", None) or exc
                    click.echo(printable(f"{shown(folder)}: warning: cannot watch this folder ({reason}); "
                                         "saving a file there does not rebuild"), err=True)

    def start(self) -> None:
        """Start reporting changes."""
        self.observer.start()

    def settled(self) -> bool:
        """Wait for a change, then for QUIET seconds without one; False once stopped."""
        self.flag.wait()
        while self.flag.is_set() and not self.stopped.is_set():
            self.flag.clear()
            self.flag.wait(QUIET)
        return not self.stopped.is_set()

    def stop(self) -> None:
        """Stop the observer and release a waiting `settled`."""
        self.stopped.set()
        self.flag.set()
        self.observer.stop()

    def join(self) -> None:
        """Wait briefly for the observer thread to end."""
        if self.observer.is_alive():
            self.observer.join(timeout=2)
