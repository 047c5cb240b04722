"""The wizard's documents: the file list and the camera pages beside the steps, and the
station calls that copy a file into the kiosk or take it off the draft.

A mixin of `Wizard` (it uses the wizard's draft, stack, heading and `_call`); kept apart so
each file holds one idea.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from dikjamila.i18n import tr
from dikjamila.kiosk.api import KioskDocument, KioskFile
from ui.kiosk.camera import camera_present


class DocumentFiles:
    """`pick_file`, `take_photo`, `add_file`, `remove_file` for the document steps."""

    # (set by Wizard.__init__)
    ctx: Any
    draft: Any
    stack: Any
    heading: Any
    step_label: Any
    nav: Any
    picker: Any
    camera: Any
    steps: list
    _current: Any
    _camera: bool | None
    _side_document: KioskDocument | None
    _call: Any
    _say: Any
    _update_nav: Any
    show_error: Any
    go_to_step: Any
    index: Any

    def camera_present(self) -> bool:
        if self._camera is None:
            self._camera = self.ctx.options.use_camera and camera_present()
        return self._camera

    def pick_file(self, document: KioskDocument) -> None:
        self._side_document = document
        self._show_side(self.picker, tr("Pilih berkas untuk: {label}", label=document.label))
        self.picker.open_for(document.label)

    def take_photo(self, document: KioskDocument) -> None:
        self._side_document = document
        self._show_side(self.camera, tr("Foto: {label}", label=document.label))
        self.camera.start(document.label)

    def add_file(self, document: KioskDocument | None, path: Path, *, temporary: bool = False) -> None:
        """Copy `path` into the kiosk for `document` (the station checks it), then go back to
        the document's step. A temporary file (a camera shot) is deleted afterwards."""
        if document is None:
            return
        draft, station = self.draft, self.ctx.station

        def copy() -> KioskFile:
            try:
                return station.add_file(draft, document.code, path)
            finally:
                if temporary:
                    path.unlink(missing_ok=True)

        def failed(message: str) -> None:
            self._back_from_side_page()
            self.show_error(message)

        def stale(file: KioskFile) -> None:  # copied for a resident who has gone: delete it again
            self.ctx.call(lambda: station.remove_file(draft, file), None, lambda _m: None)

        self._call(copy, lambda _file: self._back_from_side_page(), failed, label=tr("Menyalin berkas…"),
                   on_stale=stale)

    def remove_file(self, file: KioskFile) -> None:
        draft, station = self.draft, self.ctx.station
        self._call(lambda: station.remove_file(draft, file), lambda _none: self._refresh_current())

    def _show_side(self, side: QWidget, title: str) -> None:
        if self._current is not None:
            self._current.leave()
        self.stack.setCurrentWidget(side)
        self.step_label.setText(tr("Langkah {n} dari {total}", n=self.index() + 1, total=len(self.steps)))
        self.heading.setText(title)
        self.nav.hide()
        self._say("")

    def _back_from_side_page(self) -> None:
        self.camera.stop()
        if self._current is not None:
            self.go_to_step(self.steps.index(self._current))

    def _refresh_current(self) -> None:
        if self._current is not None and self.stack.currentWidget() is self._current:
            self._current.enter()
            self._update_nav()

