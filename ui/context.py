"""What every window of a signed-in session needs: the office, the actor, the desk, the
database worker, the executor for long jobs, and the change watcher."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from dikjamila.auth.roles import Actor, Permission, allowed
from dikjamila.desk import Desk
from dikjamila.identity import kecamatan_list
from dikjamila.office import Office
from ui.changes import ChangeWatcher
from ui.executor import Executor
from ui.worker import DbWorker


class ChangeBus(QObject):
    """Signals every view listens to.

    `data_changed(ChangeSet)` comes from the app's one change watcher (`ui.changes`): data
    changed here or on another workstation. `settings_changed()` after an admin saved settings.
    """

    data_changed = Signal(object)  # dikjamila.desk.ChangeSet
    settings_changed = Signal()


@dataclass
class AppContext:
    office: Office
    actor: Actor
    worker: DbWorker
    bus: ChangeBus = field(default_factory=ChangeBus)

    def __post_init__(self):
        # NOTE: the desk reads settings, SOP catalog and store from the office at each call, so
        # one desk for the session stays right after an admin changes settings.
        self.desk: Desk = self.office.desk(self.actor)
        self.kecamatan_names = {k.code: k.name for k in kecamatan_list()}
        self._closers: list = [lambda: self.worker.shutdown(timeout=3)]
        self.changes = ChangeWatcher(self)
        self.on_close(self.changes.stop)
        self.executor = Executor()
        self.on_close(lambda: self.executor.shutdown(timeout=3))

    @property
    def service_names(self) -> dict[str, str]:
        """Service code → name, from the catalog as it is now (an admin may change the SOP folder)."""
        return {s.code: s.name for s in self.office.catalog.all()}

    def can(self, permission: Permission) -> bool:
        return allowed(self.actor, permission)

    def submit(self, fn, on_done=None, on_error=None, *, label: str = ""):
        return self.worker.submit(fn, on_done, on_error, label=label)

    def on_close(self, closer) -> None:
        """Run `closer()` when the session ends (before the database worker stops)."""
        self._closers.insert(0, closer)

    def close(self) -> None:
        """End the session: stop background work (newest first), then the database worker."""
        for closer in self._closers:
            closer()
        self._closers = []
