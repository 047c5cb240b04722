"""One watched folder: find new files, wait until each is complete, hand it over once.

Two ways of finding files, because neither is enough alone: a watchdog observer reports
files as they are created, written or renamed into the folder (at once, cheaply), and a
background thread lists the folder every `rescan_seconds` — at start (files that came while
the program was closed), and later for whatever the events missed (a network share, a full
inotify queue, a folder deleted and made again). Only the folder itself is watched, not its
subfolders: downloads and SIAK both save flat.

A found file waits in a pending set until `ReadinessCheck` says it settled; then
`on_ready(path)` is called on the watcher's thread. A file handed over is remembered by its
size and modification time and not handed over again unless it changes. If `on_ready` raises,
the error is logged and the file is tried again at the next rescan — so `on_ready` should
return normally for a file it refuses for good (and remember the refusal itself).

Nothing raises out of the threads: errors are logged and the watcher goes on. A missing or
unreadable folder is logged once and retried at each rescan.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from dikjamila.intake.watch.ready import (
    DEFAULT_SETTLE_SECONDS,
    ReadinessCheck,
    is_temporary_name,
)

log = logging.getLogger(__name__)

#: Shortest pause between two looks at pending files (a download fires many events a second).
MIN_TICK_SECONDS = 0.05


class FolderWatcher:
    """Watch `folder` (not its subfolders); call `on_ready(path)` once for each complete file.

    `observe=False` lists the folder only (every `rescan_seconds`), without watchdog events.
    `max_age_seconds`: a rescan skips files not modified for that long (so pointing the
    watcher at a years-old downloads folder does not take every old file); files reported
    by an event are taken whatever their age.
    """

    def __init__(self, folder: Path | str, on_ready: Callable[[Path], None], *, rescan_seconds: float = 60.0,
                 settle_seconds: float = DEFAULT_SETTLE_SECONDS, observe: bool = True,
                 max_age_seconds: float | None = None, name: str = ""):
        if rescan_seconds <= 0 or settle_seconds < 0:
            raise ValueError("rescan_seconds must be positive and settle_seconds not negative")
        self.folder = Path(folder).absolute()
        self.name = name or self.folder.name
        self.rescan_seconds = rescan_seconds
        self.max_age_seconds = max_age_seconds
        self._on_ready = on_ready
        self._observe = observe
        self._ready = ReadinessCheck(settle_seconds)
        self._pending: set[Path] = set()
        self._pending_lock = threading.Lock()
        self._work_lock = threading.Lock()  # one scan or check at a time (the thread, scan_now)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._delivered: dict[Path, tuple[int, int]] = {}
        self._observer = None
        self._watch = None
        self._watch_stale = False
        self._thread: threading.Thread | None = None
        self._folder_problem = False  # logged; said again only after the folder worked once
        self._watch_problem = False
        self._next_rescan = 0.0
        self.scans = 0  # rescans done, for tests and diagnostics
        self.handed_over = 0

    # -- life ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start watching (the first rescan runs at once, on the watcher's thread)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        if self._observe:
            observer = Observer()
            observer.daemon = True
            try:
                observer.start()
                self._observer = observer
            except Exception:  # no inotify here: the rescan alone still finds every file
                log.warning("watchdog observer not started for %s; rescanning only", self.folder, exc_info=True)
        self._next_rescan = 0.0
        self._thread = threading.Thread(target=self._run, name=f"watch-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the thread, then the observer, and wait for them (a file being handed over finishes)."""
        self._stopping.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("watcher of %s still busy after %.1f s; left to finish alone", self.folder, timeout)
        observer, self._observer, self._watch = self._observer, None, None
        if observer is not None:
            try:
                observer.stop()
                observer.join(timeout)
            except Exception:  # already dead: nothing left to stop
                log.warning("watchdog observer of %s did not stop cleanly", self.folder, exc_info=True)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def observing(self) -> bool:
        """True while watchdog events arrive for the folder (else only the rescan finds files)."""
        return self._watch is not None and not self._watch_stale

    # -- finding -------------------------------------------------------------------------
    def notice(self, path: Path | str) -> None:
        """A file in the folder was created, written or renamed into it: look at it soon."""
        path = Path(path)
        if path.parent != self.folder or is_temporary_name(path.name):
            return
        with self._pending_lock:
            self._pending.add(path)
        self._wake.set()

    def scan_now(self) -> None:
        """List the folder and look at pending files now, on the calling thread (tests, a
        "Pindai sekarang" button). Settling still needs two looks `settle_seconds` apart."""
        with self._work_lock:
            self._rescan()
            self._check_pending()

    @property
    def pending(self) -> frozenset[Path]:
        with self._pending_lock:
            return frozenset(self._pending)

    # -- the thread ------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with self._work_lock:
                    if time.monotonic() >= self._next_rescan:
                        self._rescan()
                        self._next_rescan = time.monotonic() + self.rescan_seconds
                    self._check_pending()
            except Exception:  # a bug or an odd file system: log, and keep watching
                log.exception("watcher of %s failed a round; going on", self.folder)
            self._pause()

    def _pause(self) -> None:
        """Wait for an event, the next look at pending files, or the next rescan."""
        until_rescan = max(0.0, self._next_rescan - time.monotonic())
        with self._pending_lock:
            waiting = bool(self._pending)
        tick = max(MIN_TICK_SECONDS, self._ready.settle_seconds / 2)
        self._wake.wait(min(tick, until_rescan) if waiting else until_rescan)
        self._wake.clear()
        self._stopping.wait(MIN_TICK_SECONDS)  # events come in bursts: take them together

    def _rescan(self) -> None:
        self.scans += 1
        try:
            entries = list(os.scandir(self.folder))
        except OSError as exc:
            if not self._folder_problem:
                log.warning("watched folder %s cannot be read (%s); trying again every %s s",
                            self.folder, exc.strerror or exc, self.rescan_seconds)
                self._folder_problem = True
            self._drop_watch()
            return
        if self._folder_problem:
            log.info("watched folder %s can be read again", self.folder)
            self._folder_problem = False
        self._ensure_watch()
        present: set[Path] = set()
        oldest = time.time() - self.max_age_seconds if self.max_age_seconds else None
        for entry in entries:
            if is_temporary_name(entry.name):
                continue
            try:
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError:  # gone between the listing and the look
                continue
            path = Path(entry.path)
            present.add(path)
            if self._delivered.get(path) == (st.st_size, st.st_mtime_ns):
                continue
            if oldest is not None and st.st_mtime < oldest:
                continue
            with self._pending_lock:
                self._pending.add(path)
        for path in [p for p in self._delivered if p not in present]:
            del self._delivered[path]  # keeps the memory as small as the folder

    def _check_pending(self) -> None:
        with self._pending_lock:
            paths = sorted(self._pending)
        for path in paths:
            if self._stopping.is_set():
                return
            try:
                st = path.stat()
            except OSError:
                st = None
            if st is None or self._delivered.get(path) == (st.st_size, st.st_mtime_ns):
                self._settled(path)  # gone, or already handed over as it is
                continue
            if not self._ready.is_ready(path):
                continue
            signature = self._ready.signature(path)
            self._settled(path)
            self._hand_over(path, signature)

    def _settled(self, path: Path) -> None:
        with self._pending_lock:
            self._pending.discard(path)
        self._ready.forget(path)

    def _hand_over(self, path: Path, signature: tuple[int, int] | None) -> None:
        try:
            self._on_ready(path)
        except Exception:  # a database hiccup must not stop the watching
            log.exception("file %s of %s not taken; trying again at the next rescan", path.name, self.folder)
            return
        if signature is not None:
            self._delivered[path] = signature
        self.handed_over += 1

    # -- the observer ----------------------------------------------------------------------
    def _ensure_watch(self) -> None:
        observer = self._observer
        if observer is None:
            return
        if self._watch_stale:
            self._drop_watch()
        if self._watch is not None:
            return
        try:
            self._watch = observer.schedule(_Events(self), str(self.folder), recursive=False)
            self._watch_problem = False
        except Exception as exc:  # noqa: BLE001 - e.g. the inotify watch limit: the rescan still finds files
            if not self._watch_problem:
                log.warning("no watchdog events for %s (%s); the rescan every %s s finds new files",
                            self.folder, exc, self.rescan_seconds)
                self._watch_problem = True

    def _drop_watch(self) -> None:
        watch, self._watch, self._watch_stale = self._watch, None, False
        observer = self._observer
        if watch is None or observer is None:
            return
        try:
            observer.unschedule(watch)
        except Exception:  # the emitter died with its folder: nothing to unschedule
            log.debug("watch of %s already gone", self.folder, exc_info=True)

    def _watch_lost(self) -> None:
        """The folder itself was deleted or moved: schedule again once it is back."""
        self._watch_stale = True
        self._wake.set()


class _Events(FileSystemEventHandler):
    """watchdog's thread: only notes paths; all the work happens on the watcher's thread."""

    def __init__(self, watcher: FolderWatcher):
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            self._note(event)
        except Exception:  # never let an odd event kill watchdog's dispatch thread
            log.exception("watchdog event %r not handled", event)

    def _note(self, event: FileSystemEvent) -> None:
        src = Path(os.fsdecode(event.src_path))
        if event.event_type in ("deleted", "moved") and event.is_directory and src == self._watcher.folder:
            self._watcher._watch_lost()
            return
        if event.is_directory:
            return
        if event.event_type == "moved":
            self._watcher.notice(os.fsdecode(event.dest_path))
        elif event.event_type in ("created", "modified", "closed"):
            self._watcher.notice(src)
