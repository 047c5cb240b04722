"""Step 1: which service — big buttons with an icon and one line saying what it is for."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from dikjamila.kiosk.api import KioskService
from ui.kiosk.choice import ChoiceButton
from ui.kiosk.pictures import service_icon
from ui.kiosk.scrolling import scroll_page
from ui.kiosk.theme import s
from ui.kiosk.wizard.step import Step


class ServiceStep(Step):
    title = tr("Pilih layanan yang Anda perlukan")

    def __init__(self, wizard):
        super().__init__(wizard)
        self.buttons: dict[str, ChoiceButton] = {}
        self._content = QWidget()
        self._grid = QGridLayout(self._content)
        self._grid.setContentsMargins(0, 0, 12, 0)
        self._grid.setSpacing(14)
        self._columns = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(scroll_page(self._content, self))

    def show_services(self, services: list[KioskService]) -> None:
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        for service in services:
            button = ChoiceButton(service.name, service.description, service_icon(service.icon, service.name, s(64)),
                                  parent=self._content, title_pt=22, min_height=104)
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, code=service.code: self.wizard.choose_service(code))
            self.buttons[service.code] = button
        self._columns = 0
        self._arrange()

    def enter(self) -> None:
        for code, button in self.buttons.items():
            button.setChecked(code == self.draft.service_code)

    def is_ready(self) -> bool:
        return bool(self.draft.service_code)

    def why_not(self) -> str:
        return tr("Sentuh salah satu layanan. Geser daftar ke atas untuk layanan lain.")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        columns = 3 if self.width() >= s(1500) else 2
        if columns == self._columns:
            return
        self._columns = columns
        for n, button in enumerate(self.buttons.values()):
            self._grid.addWidget(button, n // columns, n % columns)
        for column in range(3):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
