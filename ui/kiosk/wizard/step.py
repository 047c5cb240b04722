"""What every wizard step is: a page with a title that may hold up "Lanjut" until it is ready."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from dikjamila.i18n import tr
from ui.kiosk.theme import page

if TYPE_CHECKING:
    from ui.kiosk.wizard.wizard import Wizard


class Step(QWidget):
    """One step. The wizard calls `enter()` when it shows the step, `leave()` when it moves
    away (either way: what was entered is kept in the draft), and `before_next(proceed)` on
    "Lanjut" — a step that must ask the station first calls `proceed()` when it has.

    `ready_changed(bool)` turns "Lanjut" on and off; `why_not()` says in plain words what is
    still needed (shown next to the disabled button).
    """

    ready_changed = Signal(bool)
    title = ""
    next_text = tr("Lanjut")

    def __init__(self, wizard: Wizard):
        super().__init__(wizard)
        page(self)
        self.wizard = wizard
        self.ctx = wizard.ctx

    @property
    def draft(self):
        return self.wizard.draft

    def enter(self) -> None:
        """The step is shown: fill it from the draft."""

    def leave(self) -> None:
        """The step is left: keep what was entered in the draft."""

    def is_ready(self) -> bool:
        return True

    def why_not(self) -> str:
        return ""

    def before_next(self, proceed: Callable[[], None]) -> None:
        proceed()

    def wipe(self) -> None:
        """Forget everything shown (idle reset, new resident)."""
