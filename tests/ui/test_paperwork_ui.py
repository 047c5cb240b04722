"""The editor's "Dokumen" menu: receipt preview (print, save, send), berkas-kurang notice, archive
bundle, survey invitation; and the "Dokumen & supervisi" settings page.

A real office on SQLite and the real editor; the print and save dialogs are replaced (small
methods on the preview), printing goes to a PDF file that pypdf reads back.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pypdf
import pytest
import shiboken6
from fpdf import FPDF
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QPushButton

from dikjamila.config import load_settings
from dikjamila.errors import UserError
from tests.ui.editor_support import TIMEOUT, act, create, open_editor
from tests.whatsapp_support import diproses_request, terbit_request
from ui.paperwork.pdf_preview import GeneratedPdfPreview
from ui.paperwork.printing import prepare_a4, print_pdf
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def sari(ui_office, make_ctx):
    """Sari, an operator, signed in (the change watcher runs, as in the main window)."""
    ctx = make_ctx(ui_office, "sari")
    ctx.changes.start()
    return ctx


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    prepare_a4(printer)
    return printer


def click_entry(qtbot, editor, action) -> None:
    """Open the "Dokumen" menu (without its blocking exec) and click `action` in it."""
    button = editor.actions.documents
    assert button.isVisible() and button.isEnabled()
    menu = button.entries
    menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
    qtbot.waitUntil(menu.isVisible, timeout=TIMEOUT)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=TIMEOUT)


def open_preview(qtbot, editor, kind: str) -> GeneratedPdfPreview:
    qtbot.waitUntil(lambda: kind in editor.paperwork.previews, timeout=TIMEOUT)
    preview = editor.paperwork.previews[kind]
    qtbot.waitUntil(lambda: preview.page_count() >= 1, timeout=TIMEOUT)
    return preview


def test_the_receipt_is_previewed_printed_saved_and_sent_once(qtbot, sari, tmp_path):
    ctx = sari
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    documents = editor.actions.documents
    assert documents.receipt.isEnabled()
    click_entry(qtbot, editor, documents.receipt)
    preview = open_preview(qtbot, editor, "receipt")
    pages = preview.page_count()
    assert preview.isVisible() and preview.data().startswith(b"%PDF")
    assert "Tanda terima" in preview.windowTitle() and editor.detail.number in preview.windowTitle()
    assert len(pypdf.PdfReader(io.BytesIO(preview.data())).pages) == pages

    # "Cetak…": the printer the dialog would give, here a PDF file; every page arrives.
    printed = tmp_path / "cetak.pdf"
    preview.choose_printer = lambda: pdf_printer(printed)
    with qtbot.waitSignal(preview.printed, timeout=TIMEOUT) as signal:
        qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert signal.args == [pages]
    assert len(pypdf.PdfReader(printed).pages) == pages
    assert printed.stat().st_size > 20_000  # the pages are images: far more than an empty page
    assert "halaman dikirim ke printer" in preview.message_text()

    # "Simpan sebagai…": the same bytes; a folder that is not there is said in Indonesian.
    target = tmp_path / "tanda-terima.pdf"
    preview.choose_save_path = lambda: target
    with qtbot.waitSignal(preview.saved, timeout=TIMEOUT):
        qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == preview.data()
    preview.choose_save_path = lambda: tmp_path / "tidak-ada" / "x.pdf"
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "tidak bisa disimpan: foldernya tidak ada" in preview.message_text(), timeout=TIMEOUT)

    # "Kirim ke WhatsApp pemohon": one outbox item for this request, and the button cannot repeat it.
    assert ctx.desk.outbox_for(rid) == []
    assert preview.send_button.isVisible() and preview.send_button.isEnabled()
    act(qtbot, editor, lambda: qtbot.mouseClick(preview.send_button, Qt.MouseButton.LeftButton))
    assert "masuk antrean kirim" in editor.message_bar.text()
    [item] = ctx.desk.outbox_for(rid)
    assert item.document_name and item.document_name.endswith(".pdf")
    assert not preview.send_button.isEnabled() and "antrean" in preview.message_text()
    preview.close()


def test_print_pdf_prints_every_page_to_a_pdf_file(qtbot, tmp_path):
    doc = FPDF()
    for page in range(3):
        doc.add_page()
        doc.set_font("Helvetica", size=14)
        doc.cell(0, 10, f"Halaman {page + 1}")
    data = bytes(doc.output())
    out = tmp_path / "cetak.pdf"
    seen = []
    assert print_pdf(data, pdf_printer(out), progress=lambda f, text: seen.append(f)) == 3
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 3 and seen[-1] == 1.0
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert print_pdf(data, pdf_printer(tmp_path / "batal.pdf"), cancelled=lambda: True) == 0


def test_print_pdf_refuses_what_is_not_a_pdf(qtbot, tmp_path):
    with pytest.raises(UserError, match="tidak dapat dibaca untuk dicetak"):
        print_pdf(b"bukan pdf", pdf_printer(tmp_path / "x.pdf"))


def test_the_notice_follows_missing_documents_and_the_bundle_runs_in_the_background(qtbot, sari):
    ctx = sari
    incomplete = create(ctx)
    complete = diproses_request(ctx.desk)
    editor = open_editor(qtbot, ctx, complete)
    documents = editor.actions.documents
    assert not documents.notice.isEnabled() and "tidak ada yang kurang" in documents.notice.toolTip()
    assert documents.bundle.isEnabled()
    documents.bundle.trigger()
    bundle = open_preview(qtbot, editor, "bundle")
    assert bundle.page_count() >= 2 and not bundle.send_button.isVisible()
    qtbot.waitUntil(lambda: "Bundel arsip siap" in editor.message_bar.text(), timeout=TIMEOUT)
    bundle.close()
    qtbot.waitUntil(lambda: "bundle" not in editor.paperwork.previews or
                    not shiboken6.isValid(editor.paperwork.previews["bundle"]), timeout=TIMEOUT)

    # "Batal" in the progress window: the job's result is dropped, nothing opens.
    editor.message_bar.hide()
    documents.bundle.trigger()
    [progress] = [p for p in editor.findChildren(QProgressDialog) if p.isVisible()]
    assert progress.labelText() == "Menyusun bundel arsip…"
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # "Batal"
    assert editor.paperwork.bundle_task is None
    qtbot.waitUntil(lambda: sari.executor.pending == 0, timeout=TIMEOUT)
    qtbot.wait(50)
    assert editor.message_bar.text() == ""
    assert "bundle" not in editor.paperwork.previews or not shiboken6.isValid(editor.paperwork.previews["bundle"])

    other = open_editor(qtbot, ctx, incomplete)
    notice_action = other.actions.documents.notice
    assert notice_action.isEnabled()
    click_entry(qtbot, other, notice_action)
    notice = open_preview(qtbot, other, "notice")
    assert "berkas kurang" in notice.windowTitle().lower() and notice.send_button.isVisible()
    notice.close()


def test_the_survey_invitation_is_for_finished_requests(qtbot, sari):
    ctx = sari
    open_request = create(ctx)
    editor = open_editor(qtbot, ctx, open_request)
    documents = editor.actions.documents
    assert not documents.survey.isEnabled() and not documents.invite.isEnabled()
    assert "setelah permohonan terkirim" in documents.invite.toolTip()

    office = ctx.office  # no invitation of its own when the request is finished: the button's is the one
    office.update_settings(office.actor_for("admin"), replace(office.settings, survey_invite_on_finish=False))
    rid = terbit_request(ctx.desk)
    ctx.desk.advance(rid, "terkirim")
    finished = open_editor(qtbot, ctx, rid)
    documents = finished.actions.documents
    assert documents.survey.isEnabled() and documents.invite.isEnabled()
    before = ctx.desk.outbox_for(rid)
    act(qtbot, finished, lambda: click_entry(qtbot, finished, documents.invite))
    assert "Undangan survei masuk antrean kirim ke WhatsApp +62 812-3456-7890" in finished.message_bar.text()
    [invitation] = [i for i in ctx.desk.outbox_for(rid) if i not in before]
    assert "U1 Persyaratan" in invitation.text and "U9 Sarana dan prasarana" in invitation.text
    act(qtbot, finished, documents.invite.trigger)  # asked twice: still one invitation
    assert len(ctx.desk.outbox_for(rid)) == len(before) + 1

    # Once answered, the desk refuses another invitation; the refusal shows in the editor.
    ctx.desk.record_survey(rid, [4] * 9)
    act(qtbot, finished, documents.invite.trigger)
    assert "Undangan survei tidak dikirim" in finished.message_bar.text()
    assert "sudah ada penilaian" in finished.message_bar.text()


def test_the_settings_page_saves_the_new_fields_and_refuses_a_bad_number(qtbot, ui_office, make_ctx, tmp_path):
    office, ctx = ui_office, make_ctx(ui_office, "admin")
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    page = dialog.paperwork
    assert dialog.tabs.tabText(dialog.tabs.indexOf(page)) == "Dokumen && supervisi"
    page.supervisor.setText("021-555-1234")  # a Jakarta landline
    dialog.save()
    assert "Nomor WhatsApp supervisor" in dialog.message.text()
    assert "bukan nomor HP" in dialog.message.text()
    page.supervisor.setText("0812-5000-3333")
    page.calendar_dir.setText(str(tmp_path / "tidak-ada"))
    dialog.save()
    assert "Folder kalender" in dialog.message.text() and "tidak ada" in dialog.message.text()
    (tmp_path / "kalender").mkdir()
    (tmp_path / "kalender" / "balangan.toml").write_text(
        '[[days]]\ndate = 2026-12-24\nname = "Hari jadi"\nkind = "libur"\n', encoding="utf-8")
    page.calendar_dir.setText(str(tmp_path / "kalender"))
    dialog.save()
    assert "Kalender hari kerja tidak bisa dipakai" in dialog.message.text()
    assert "balangan.toml" in dialog.message.text()
    (tmp_path / "kalender" / "balangan.toml").write_text(
        '[[days]]\ndate = 2026-12-24\nname = "Hari jadi"\nkind = "libur_daerah"\n', encoding="utf-8")
    page.address.setPlainText("Jl. Jend. A. Yani No. 1\nParingin,   Balangan")
    page.survey_invite.setChecked(False)
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.save()
    saved = load_settings(office.paths)
    assert saved.supervisor_phone == "+6281250003333"
    assert saved.office_address == "Jl. Jend. A. Yani No. 1\nParingin, Balangan"
    assert saved.calendar_override_dir == str(tmp_path / "kalender")
    assert saved.survey_invite_on_finish is False
    again = SettingsDialog(ctx)
    qtbot.addWidget(again)
    assert again.paperwork.supervisor.text() == "+62 812-5000-3333"
    assert not again.paperwork.survey_invite.isChecked()
