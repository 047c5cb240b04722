""""Berkas belum ditempatkan": the panel lists the watched folders' files, counts them, places and dismisses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from dikjamila.auth.roles import Actor
from dikjamila.desk import NewRequest
from tests.whatsapp_support import jpeg as _jpeg
from tests.whatsapp_support import text_pdf as _pdf
from ui.intake.tray_panel import (
    LOOSE_FILE_MIME,
    PlaceDialog,
    TrayPanel,
    loose_id_from_mime,
)

TIMEOUT = 10_000
NIK = "6311054506900003"






@pytest.fixture
def found(ui_office, tmp_path):
    """A request, a SIAK PDF naming it and a photo from the downloads folder, taken as the watcher would."""
    watch = ui_office.desk(Actor.system("watch"))
    req = ui_office.desk(ui_office.actor_for("sari")).create_request(NewRequest(
        service_code="akta_kelahiran", applicant_name="Siti Aminah", applicant_phone="0812-3456-7890",
        applicant_nik=NIK))
    (tmp_path / "akta.pdf").write_bytes(_pdf("KUTIPAN AKTA KELAHIRAN", f"NIK {NIK}"))
    (tmp_path / "IMG-WA0001.jpg").write_bytes(_jpeg())
    siak = watch.take_loose_file(tmp_path / "akta.pdf", "siak")
    photo = watch.take_loose_file(tmp_path / "IMG-WA0001.jpg", "downloads")
    return req, siak, photo


def _panel(qtbot, ctx) -> TrayPanel:
    panel = TrayPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def _answer_dialog(qtbot, check) -> list:
    """Answer the place dialog the next click opens: `check(dialog)` fills it in, then OK."""
    seen = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PlaceDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.request_number())
        check(dialog)
        dialog.ok.click()

    QTimer.singleShot(0, answer)
    return seen


def test_the_panel_lists_counts_dismisses_and_places_through_the_dialog(qtbot, ui_office, make_ctx, found):
    req, siak, photo = found
    ctx = make_ctx(ui_office)
    panel = TrayPanel(ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.count_changed, timeout=TIMEOUT) as counted:
        panel.show()
    assert counted.args == [2] and panel.model.rowCount() == 2
    rows = {panel.model.index(r, 0).data(): r for r in range(2)}
    assert set(rows) == {"akta.pdf", "IMG-WA0001.jpg"}
    pdf_row = rows["akta.pdf"]
    assert panel.model.index(pdf_row, 1).data() == "SIAK" and panel.model.index(pdf_row, 3).data() == req.number
    assert panel.model.index(rows["IMG-WA0001.jpg"], 1).data() == "Unduhan"
    assert panel.model.index(rows["IMG-WA0001.jpg"], 3).data() == "—"

    # The drag carries the file's id for the editor's checklist.
    mime = panel.model.mimeData([panel.model.index(pdf_row, 0)])
    assert mime.hasFormat(LOOSE_FILE_MIME) and loose_id_from_mime(mime) == siak.id

    # "Abaikan" takes the photo out of the list (and out of the count).
    assert panel.select_loose(photo.id)
    with qtbot.waitSignal(panel.count_changed, timeout=TIMEOUT) as counted:
        panel.dismiss.click()
    assert counted.args == [1] and panel.model.rowCount() == 1
    assert "diabaikan" in panel.message.text()
    assert ctx.desk.loose_file(photo.id).dismissed_at is not None

    # "Tempatkan ke permohonan…": the request the PDF names is ready in the dialog; OK places it.
    assert panel.select_loose(siak.id)
    seen = _answer_dialog(qtbot, lambda dialog: None)
    with qtbot.waitSignal(panel.count_changed, timeout=TIMEOUT) as counted:
        panel.place.click()
    assert seen == [req.number] and counted.args == [0] and panel.model.rowCount() == 0
    assert panel.message.text() == f"akta.pdf ditempatkan pada permohonan {req.number}."
    [att] = ctx.desk.get_request(req.id).attachments
    assert att.role == "issued" and att.blob_sha256 == siak.blob_sha256
    assert not panel.place.isEnabled() and not panel.dismiss.isEnabled()


def test_a_typed_number_places_a_download_and_an_unknown_one_is_refused(qtbot, ui_office, make_ctx, found):
    req, _siak, photo = found
    ctx = make_ctx(ui_office)
    panel = _panel(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.loads >= 1, timeout=TIMEOUT)
    assert panel.select_loose(photo.id)

    _answer_dialog(qtbot, lambda dialog: dialog.number.setEditText("blg-00000000-0000"))
    panel.place.click()
    qtbot.waitUntil(lambda: "tidak ditemukan" in panel.message.text(), timeout=TIMEOUT)
    assert panel.model.rowCount() == 2

    _answer_dialog(qtbot, lambda dialog: dialog.number.setEditText(req.number.lower()))
    panel.place.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    [att] = ctx.desk.get_request(req.id).attachments
    assert att.role == "resident" and att.requirement_code is None and att.original_name == "IMG-WA0001.jpg"


def test_the_dialog_needs_a_number_and_cancel_places_nothing(qtbot, ui_office, make_ctx, found):
    _req, _siak, photo = found
    dialog = PlaceDialog(photo)
    qtbot.addWidget(dialog)
    assert dialog.request_number() == "" and not dialog.ok.isEnabled()
    dialog.number.setEditText("BLG-20261201-0001")
    assert dialog.ok.isEnabled()

    ctx = make_ctx(ui_office)
    panel = _panel(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.loads >= 1, timeout=TIMEOUT)
    panel.select_loose(photo.id)
    panel.ask_request_number = lambda info: None  # the operator cancelled
    panel.place.click()
    assert ctx.worker.pending == 0 and panel.model.rowCount() == 2


def test_a_file_found_elsewhere_appears_without_a_reload(qtbot, ui_office, make_ctx, found, tmp_path):
    ctx = make_ctx(ui_office)
    ctx.changes.start()
    panel = _panel(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.loads >= 1 and panel.model.rowCount() == 2, timeout=TIMEOUT)
    (tmp_path / "scan.pdf").write_bytes(_pdf("SURAT PENGANTAR RT"))
    with qtbot.waitSignal(panel.count_changed, timeout=TIMEOUT) as counted:
        ui_office.desk(Actor.system("watch")).take_loose_file(tmp_path / "scan.pdf", "downloads")
    assert counted.args == [3] and panel.model.rowCount() == 3


def test_open_shows_the_stored_file(qtbot, ui_office, make_ctx, found, monkeypatch):
    _req, siak, _photo = found
    opened = []
    monkeypatch.setattr("ui.intake.tray_panel.open_stored_file",
                        lambda ctx, parent, sha, kind, name, on_error=None: opened.append((sha, kind, name)))
    panel = _panel(qtbot, make_ctx(ui_office))
    qtbot.waitUntil(lambda: panel.loads >= 1, timeout=TIMEOUT)
    panel.select_loose(siak.id)
    panel.open.click()
    assert opened == [(siak.blob_sha256, "pdf", "akta.pdf")]
