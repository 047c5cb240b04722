"""What every window of a signed-in session needs: the office, the actor, the desk, the worker."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from dikjamila.auth.roles import Actor, Permission, allowed
from dikjamila.desk import Desk
from dikjamila.identity import kecamatan_list
from dikjamila.office import Office
from ui.worker import DbWorker


class ChangeBus(QObject):
    """After a change, say what changed; views refresh what they show (Anki's on_op_finished)."""

    request_changed = Signal(int)  # request id
    data_changed = Signal()  # something changed, possibly on another workstation


@dataclass
class AppContext:
    office: Office
    actor: Actor
    worker: DbWorker
    bus: ChangeBus = field(default_factory=ChangeBus)

    def __post_init__(self):
        self.desk: Desk = self.office.desk(self.actor)
        self.service_names = {s.code: s.name for s in self.office.catalog.all()}
        self.kecamatan_names = {k.code: k.name for k in kecamatan_list()}

    def can(self, permission: Permission) -> bool:
        return allowed(self.actor, permission)

    def submit(self, fn, on_done=None, on_error=None, *, label: str = ""):
        return self.worker.submit(fn, on_done, on_error, label=label)
