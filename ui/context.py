"""What every window of a signed-in session needs: the office, the actor, the desk, the
database worker, the executor for long jobs, the change watcher — and, on the PC that runs
it, the WhatsApp link service."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from dikjamila.auth.roles import Actor, Permission, allowed
from dikjamila.desk import Desk
from dikjamila.identity import kecamatan_list
from dikjamila.intake.watch import WatchService
from dikjamila.office import Office
from ui.changes import ChangeWatcher
from ui.executor import Executor
from ui.whatsapp.link_session import LinkSession
from ui.worker import COUNTS_NICE, DbWorker


class ChangeBus(QObject):
    """Signals every view listens to.

    `data_changed(ChangeSet)` comes from the app's one change watcher (`ui.changes`): data
    changed here or on another workstation. `settings_changed()` after an admin saved settings.
    """

    data_changed = Signal(object)  # dikjamila.desk.ChangeSet
    settings_changed = Signal()


def default_link_service(office: Office):
    """The WhatsApp link as configured (transport from the office's settings)."""
    from dikjamila.whatsapp.service import LinkService

    return LinkService(office)


@dataclass
class AppContext:
    office: Office
    actor: Actor
    worker: DbWorker
    bus: ChangeBus = field(default_factory=ChangeBus)
    #: Makes the session's WhatsApp link service (`start()` / `stop()`); tests pass their own,
    #: None runs no link here.
    link_service_factory: Callable[[Office], Any] | None = default_link_service

    def __post_init__(self):
        # NOTE: the desk reads settings, SOP catalog and store from the office at each call, so
        # one desk for the session stays right after an admin changes settings.
        self.desk: Desk = self.office.desk(self.actor)
        self.kecamatan_names = {k.code: k.name for k in kecamatan_list()}
        self._closers: list = [lambda: self.worker.shutdown(timeout=3)]
        self._count_worker: DbWorker | None = None
        self._scratch: Path | None = None
        self.changes = ChangeWatcher(self)
        self.on_close(self.changes.stop)
        self.executor = Executor()
        self.on_close(lambda: self.executor.shutdown(timeout=3))
        self.link = LinkSession(self, self.link_service_factory)
        self.on_close(self.link.stop)
        # Watched folders (downloads, SIAK's PDFs) follow while a front-desk session is open;
        # never at a kiosk. Started by the main window once it has shown.
        self.watch = WatchService(self.office) if allowed(self.actor, Permission.VIEW_INBOX) else None
        if self.watch is not None:
            self.on_close(self.watch.stop)

    @property
    def service_names(self) -> dict[str, str]:
        """Service code → name, from the catalog as it is now (an admin may change the SOP folder)."""
        return {s.code: s.name for s in self.office.catalog.all()}

    def can(self, permission: Permission) -> bool:
        return allowed(self.actor, permission)

    def submit(self, fn, on_done=None, on_error=None, *, label: str = ""):
        return self.worker.submit(fn, on_done, on_error, label=label)

    def submit_count(self, fn, on_done=None, on_error=None, *, label: str = ""):
        """Like `submit`, for counts shown beside a view (the inbox's status tabs).

        NOTE: they run on a database worker of their own, so the rows the operator waits for
        never queue behind a count: the counts of a one-letter search take seconds on an office
        of a million requests (tests/bench/README.md). That worker has no busy indicator.
        """
        if self._count_worker is None:
            worker = self._count_worker = DbWorker(nice=COUNTS_NICE)
            self.on_close(lambda: worker.shutdown(timeout=3))
        return self._count_worker.submit(fn, on_done, on_error, label=label)

    def start_link_service(self) -> str:
        """Start the WhatsApp link when this PC is the one that runs it (`ui.whatsapp.link_session`);
        stopped when the session ends. Returns "" or why it could not start (Indonesian)."""
        return self.link.start()

    @property
    def link_service(self):
        """The running WhatsApp link service of this session, or None."""
        return self.link.service

    def scratch_dir(self) -> Path:
        """A private folder of this session (e.g. files copied to open them in another
        program), removed when the session ends so personal data does not linger there."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="dikjamila-sesi-"))
            folder = self._scratch
            self.on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
        return self._scratch

    def on_close(self, closer) -> None:
        """Run `closer()` when the session ends (before the database worker stops)."""
        self._closers.insert(0, closer)

    def close(self) -> None:
        """End the session: stop background work (newest first), then the database worker."""
        for closer in self._closers:
            closer()
        self._closers = []
