"""The editor's intake actions, mixed into RequestEditor: the suggested service in one click,
"Sudah dilihat" on a mark, an issued PDF the SIAK folder offered, a file dragged from
"Berkas belum ditempatkan"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dikjamila.i18n import tr

if TYPE_CHECKING:
    from ui.editor.host import (
        EditorHost as _Host,  # the mixins see only what the editor declares
    )
else:
    _Host = object


class IntakeActions(_Host):
    def choose_service(self, code: str) -> None:
        """"Pakai layanan ini": the suggested service, chosen with one click. A click during a
        reload (a message arrived, the ack went out) is carried out when the reload is done."""
        if not self.ready():
            def again() -> None:
                self.loaded.disconnect(again)
                self.choose_service(code)

            self.loaded.connect(again)
            return
        index = self.service.findData(code)
        if index >= 0:
            self.service.setCurrentIndex(index)
            self._on_service_picked(index)

    def clear_attention(self) -> None:
        desk, rid = self.ctx.desk, self._request_id
        self._change(lambda: desk.clear_attention(rid), label=tr("Menandai sudah dilihat…"))

    def take_offered_pdf(self, loose_id: int) -> None:
        """An issued PDF the SIAK folder offered: it becomes this request's issued document."""
        desk, rid = self.ctx.desk, self._request_id
        self._change(lambda: desk.place_loose_file(loose_id, rid), label=tr("Menjadikan dokumen terbit…"),
                     done=tr("PDF dari folder SIAK menjadi dokumen terbit permohonan ini."))

    def place_loose_file(self, loose_id: int, requirement_code: str | None) -> None:
        """A file dragged from "Berkas belum ditempatkan" onto this request (or one of its items)."""
        desk, rid = self.ctx.desk, self._request_id
        self._change(lambda: desk.place_loose_file(loose_id, rid, requirement_code),
                     label=tr("Menempatkan berkas…"), done=tr("Berkas ditempatkan di permohonan ini."))
