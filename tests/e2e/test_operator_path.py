"""The front-desk operator's whole path, in a real window, from sign-in to an issued document."""

from __future__ import annotations

from datetime import date

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from dikjamila.demo.paperwork import issued_document_pdf
from dikjamila.desk import NewRequest
from tests.ui.conftest import PASSWORD
from ui.context import AppContext
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.worker import DbWorker

TIMEOUT = 15_000
NIK = "6311054506900003"


def _photo(path, shade):
    Image.new("RGB", (800, 600), (shade, 180, 150)).save(path, "JPEG")
    return path


def test_operator_signs_in_checks_a_request_and_issues_the_document(qtbot, ui_office, tmp_path):
    office = ui_office
    # A resident's request, as it arrives from WhatsApp, plus another one above it in the inbox.
    intake = office.desk(office.actor_for("hasan"))
    rid = intake.create_request(NewRequest(
        service_code="kk_hilang_rusak", applicant_name="Siti Aminah", applicant_phone="0812-3456-7890",
        kecamatan_code="63.11.05", facts={"applicant_is_subject": True})).id
    intake.create_request(NewRequest(service_code="kia", applicant_name="Noor Hayati"))
    worker = DbWorker()

    # 1. Sign in (real argon2 check, on the worker).
    login = LoginDialog(office, worker)
    qtbot.addWidget(login)
    login.show()
    login.username.setText("sari")
    login.password.setText("salah-sandi")
    login.try_login()
    qtbot.waitUntil(lambda: "salah" in login.message.text(), timeout=TIMEOUT)
    login.password.setText(PASSWORD)
    with qtbot.waitSignal(login.accepted, timeout=TIMEOUT):
        login.try_login()
    assert login.actor.username == "sari"

    window = MainWindow(AppContext(office, login.actor, worker))
    qtbot.addWidget(window)
    window.show()
    window.inbox.start()
    inbox = window.inbox

    # 2. Find the request in the inbox by typing its number's name, open it with Enter.
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 2, timeout=TIMEOUT)
    inbox.search.setText("aminah")
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1, timeout=TIMEOUT)
    inbox.table.setFocus()
    inbox.select_first()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.editor(rid) is not None and window.editor(rid).ready(), timeout=TIMEOUT)
    editor = window.editor(rid)
    assert window.tabs.currentWidget() is editor

    def wait_ready():
        qtbot.waitUntil(editor.ready, timeout=TIMEOUT)

    def act(fn):
        with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
            fn()
        wait_ready()

    # 3. Claim it; type an invalid NIK (the message appears), then a valid one; save.
    act(editor.actions.claim.click)
    nik = editor.fields.edits["applicant_nik"]
    nik.setText("6311 0545 0690")
    assert "16 angka" in editor.fields.message("applicant_nik")
    assert not editor.actions.save.isEnabled()
    nik.setText(NIK)
    assert "16 angka" not in editor.fields.message("applicant_nik")
    act(editor.actions.save.click)
    assert office.desk(office.actor_for("sari")).get_request(rid, record_view=False).applicant_nik == NIK

    # 4. Attach files to checklist items with the attach action; the checklist turns complete.
    act(editor.actions.move_buttons["diperiksa"].click)
    assert "Belum lengkap" in editor.checklist.banner_text()
    assert not editor.actions.move_buttons["diproses"].isEnabled()
    for code, shade in (("ktp_el", 90), ("surat_kehilangan", 120)):
        editor.choose_files = lambda path=_photo(tmp_path / f"{code}.jpg", shade): [path]
        act(editor.checklist.item_row(code).attach_button.click)
    assert "Berkas lengkap" in editor.checklist.banner_text()

    # 5. Advance to diproses; attach the issued PDF; its first page shows in the preview.
    button = editor.actions.move_buttons["diproses"]
    assert button.isEnabled(), button.toolTip()
    act(button.click)
    assert editor.detail.status == "diproses"
    number = editor.detail.number
    pdf = tmp_path / "KK-terbit.pdf"
    pdf.write_bytes(issued_document_pdf("Kartu Keluarga", holder="Siti Aminah", nik=NIK, number=number,
                                       issued_on=date.today()))
    editor.choose_issued_pdf = lambda: pdf
    act(editor.actions.issued.click)
    pane = editor.preview
    qtbot.waitUntil(lambda: pane.kind() == "pdf" and pane.pdf_viewer.page_count() == 1, timeout=TIMEOUT)
    assert pane.current_viewer() is pane.pdf_viewer
    assert pane.pdf_viewer.page_label_text() == "Halaman 1 dari 1"

    # 6. Move to terbit; every step is in the history tab.
    act(editor.actions.move_buttons["terbit"].click)
    assert editor.detail.status == "terbit"
    editor.tabs.setCurrentWidget(editor.history)
    QApplication.processEvents()
    text = "\n".join(editor.history.descriptions())
    for expected in ("Permohonan dibuat", "Diambil", "Diperiksa", "Diproses", "Terbit", "KK-terbit.pdf",
                     "ktp_el.jpg", "surat_kehilangan.jpg"):
        assert expected in text, (expected, text)
    # The inbox, back on its tab, shows the new status.
    window.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: inbox.model.index(0, 5).data() == "Terbit", timeout=TIMEOUT)
    window.close()
