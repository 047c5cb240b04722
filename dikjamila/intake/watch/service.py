"""The watched folders of an office: one `FolderWatcher` per configured folder, feeding the tray.

The folders come from the office's settings at `start()` (`watch_downloads_dir` → "downloads",
`watch_siak_dir` → "siak"; empty: not watched); `follow_settings()` restarts the watchers when
an admin changed them. Each complete file goes to `Desk.take_loose_file` with the system
actor. A file the store refuses (not a PDF or photo, corrupt, too big) is logged and
remembered by its path, size and time, so it is not tried again until it changes; any other
failure (the database busy or unreachable) is left to the watcher, which tries again at its
next rescan.

If both settings name the same folder it is watched once, as SIAK's (whose PDFs go to the
requests they name; its photos go to the tray like downloads).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dikjamila.auth.roles import Actor
from dikjamila.db.types import utcnow
from dikjamila.errors import InvalidInput
from dikjamila.intake.watch.ready import DEFAULT_SETTLE_SECONDS
from dikjamila.intake.watch.watcher import FolderWatcher

log = logging.getLogger(__name__)

#: Folder kind → the setting naming its folder (SIAK first: it wins when both name one folder).
FOLDER_SETTINGS = {"siak": "watch_siak_dir", "downloads": "watch_downloads_dir"}
#: A rescan leaves alone files older than this (pointing the watcher at a years-old downloads
#: folder must not fill the tray); a file moved or saved into the folder is taken at any age.
MAX_AGE_SECONDS = 7 * 24 * 3600
REFUSALS_KEPT = 50


@dataclass(frozen=True)
class Refusal:
    """A file the store refused, and why (Indonesian, for the operator)."""

    folder_kind: str
    path: Path
    reason: str
    at: datetime


class WatchService:
    """Start with `start()`, stop with `stop()`; safe to call from any thread."""

    def __init__(self, office, actor: Actor | None = None, *, settle_seconds: float = DEFAULT_SETTLE_SECONDS,
                 rescan_seconds: float | None = None, observe: bool = True,
                 max_age_seconds: float | None = MAX_AGE_SECONDS):
        self.office = office
        self.actor = actor or Actor.system("watch")
        self.settle_seconds = settle_seconds
        self._rescan_override = rescan_seconds
        self._observe = observe
        self._max_age = max_age_seconds
        self._desk = None
        self._lock = threading.RLock()
        self._watchers: dict[str, FolderWatcher] = {}
        self._running_for: dict[str, Path] | None = None
        self._refused: dict[tuple[str, Path], tuple[int, int]] = {}
        self.refusals: deque[Refusal] = deque(maxlen=REFUSALS_KEPT)

    # -- life ------------------------------------------------------------------------------
    def start(self) -> None:
        """Watch the folders the settings name now (nothing when none is set)."""
        with self._lock:
            if self._running_for is not None:
                return
            folders = self.configured_folders()
            self._desk = self.office.desk(self.actor)
            for kind, folder in folders.items():
                watcher = FolderWatcher(
                    folder, lambda path, kind=kind: self._take(kind, path), rescan_seconds=self._rescan_seconds(),
                    settle_seconds=self.settle_seconds, observe=self._observe, max_age_seconds=self._max_age,
                    name=kind)
                watcher.start()
                self._watchers[kind] = watcher
                log.info("watching %s folder %s", kind, folder)
            self._running_for = folders

    def stop(self) -> None:
        with self._lock:
            watchers, self._watchers, self._running_for = self._watchers, {}, None
            for watcher in watchers.values():
                watcher.stop()

    def restart(self) -> None:
        with self._lock:
            self.stop()
            self.start()

    def follow_settings(self) -> bool:
        """After a settings change: restart if the folders or the rescan time changed. True if it did."""
        with self._lock:
            if self._running_for is None or (self.configured_folders() == self._running_for and all(
                    w.rescan_seconds == self._rescan_seconds() for w in self._watchers.values())):
                return False
            self.restart()
            return True

    def scan_now(self) -> None:
        """Every watcher lists its folder and looks at its pending files now (this thread)."""
        for watcher in list(self._watchers.values()):
            watcher.scan_now()

    @property
    def watchers(self) -> dict[str, FolderWatcher]:
        return dict(self._watchers)

    def configured_folders(self) -> dict[str, Path]:
        """Folder kind → folder, as the settings say now (a folder named twice counts once)."""
        settings = self.office.settings
        folders: dict[str, Path] = {}
        for kind, key in FOLDER_SETTINGS.items():
            value = str(getattr(settings, key, "") or "").strip()
            if not value:
                continue
            folder = Path(value).expanduser().absolute()
            if folder in folders.values():
                log.warning("%s names the same folder as another watched folder; watched once", key)
                continue
            folders[kind] = folder
        return folders

    def _rescan_seconds(self) -> float:
        if self._rescan_override is not None:
            return self._rescan_override
        return max(1, int(getattr(self.office.settings, "watch_rescan_seconds", 60) or 60))

    # -- taking ----------------------------------------------------------------------------
    def _take(self, kind: str, path: Path) -> None:
        """A watcher found a complete file. Refusals are final; other errors propagate (retried)."""
        try:
            st = path.stat()
        except OSError:
            log.info("watched file %s went away before it was taken", path.name)
            return
        signature = (st.st_size, st.st_mtime_ns)
        if self._refused.get((kind, path)) == signature:
            return
        try:
            info = self._desk.take_loose_file(path, kind)
        except InvalidInput as refused:
            log.warning("watched file %s (%s) refused: %s", path.name, kind, refused.message)
            self._refused[(kind, path)] = signature
            self.refusals.append(Refusal(kind, path, refused.message, utcnow()))
            return
        self._refused.pop((kind, path), None)
        if info.new:
            log.info("watched file %s (%s) is in the tray as #%s, offered to %s",
                     path.name, kind, info.id, [o.request_id for o in info.offered])
