"""Importing a WhatsApp chat export from the workstation (`ui.intake`): the progress dialog and
its "Batal", the day/month question, refusals, the summary, and dropping files on the inbox.

The import itself is a stand-in with `Desk.import_chat`'s signature (passed as `run_import`);
everything else is real: the session's executor threads, the dialogs, a real office.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from dikjamila.desk import Desk, NewRequest
from dikjamila.errors import InvalidInput
from dikjamila.intake.importing import DayOrderNeeded, ImportCancelled, ImportSummary
from ui.intake.import_drop import install_export_drop, refusal_message, split_exports
from ui.intake.import_job import ChatImporter, date_readings
from ui.intake.import_summary import ImportSummaryDialog

TIMEOUT = 10_000  # ms


class FakeImport:
    """Stands in for `Desk.import_chat`: records each call, then runs `behaviour`."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.calls: list[dict] = []

    def __call__(self, path: Path, *, day_first=None, resident_phone="", progress=None, should_cancel=None):
        self.calls.append({"path": path, "day_first": day_first, "thread": threading.current_thread()})
        return self.behaviour(path, day_first, progress, should_cancel)


def summary_for(path: Path, **counts) -> ImportSummary:
    return ImportSummary(file_name=path.name, **counts)


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    widget.resize(900, 600)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def importer_for(ui_office, make_ctx, window):
    def make(behaviour) -> tuple[ChatImporter, FakeImport]:
        fake = FakeImport(behaviour)
        return ChatImporter(make_ctx(ui_office), window, run_import=fake), fake

    return make


def _export(tmp_path: Path, name: str = "WhatsApp Chat dengan Budi.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(b"PK\x05\x06" + bytes(18))
    return path


# -- progress ------------------------------------------------------------------------------
def test_the_progress_dialog_shows_the_import_off_the_gui_thread_then_the_summary(
        qtbot, importer_for, tmp_path):
    halfway, release = threading.Event(), threading.Event()

    def behaviour(path, day_first, progress, should_cancel):
        progress(0.5, "Membaca pesan 50 dari 100")
        halfway.set()
        release.wait(TIMEOUT / 1000)
        return summary_for(path, messages=100, requests_created=2, request_numbers=["BLG-1", "BLG-2"])

    importer, fake = importer_for(behaviour)
    importer.start([_export(tmp_path)])
    dialog = importer.progress_dialog
    assert dialog is not None and dialog.isVisible() and importer.running
    qtbot.waitUntil(lambda: dialog.bar.value() == 500, timeout=TIMEOUT)
    assert "Membaca pesan 50 dari 100" in dialog.detail.text()
    assert "WhatsApp Chat dengan Budi.zip" in dialog.file_label.text()
    assert fake.calls[0]["thread"] is not threading.main_thread()
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT) as finished:
        release.set()
    assert importer.progress_dialog is None and not dialog.isVisible() and not importer.running
    assert [s.messages for s in finished.args[0]] == [100]
    shown = importer.summary_dialog
    assert shown is not None and shown.isVisible()
    assert shown.views[0].count_labels["Permohonan baru"].text() == "2"


def test_batal_stops_the_import_and_the_dialog_waits_until_it_has_undone_its_work(
        qtbot, importer_for, tmp_path):
    saw_cancel, finish_undo = threading.Event(), threading.Event()

    def behaviour(path, day_first, progress, should_cancel):
        while not should_cancel():
            progress(0.3, "Menyimpan pesan")
            threading.Event().wait(0.01)
        saw_cancel.set()
        finish_undo.wait(TIMEOUT / 1000)  # removing what it added
        raise ImportCancelled

    importer, fake = importer_for(behaviour)
    importer.start([_export(tmp_path), _export(tmp_path, "kedua.txt")])
    dialog = importer.progress_dialog
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=TIMEOUT)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(saw_cancel.is_set, timeout=TIMEOUT)
    assert dialog.isVisible() and not dialog.cancel_button.isEnabled()
    assert "Membatalkan" in dialog.detail.text()
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT):
        finish_undo.set()
    assert not dialog.isVisible() and importer.summary_dialog is None
    assert importer.message_box.text() == "Impor dibatalkan; tidak ada yang disimpan."
    assert len(fake.calls) == 1  # the second file never started


def test_escape_or_the_close_button_asks_to_cancel_instead_of_hiding_the_dialog(
        qtbot, importer_for, tmp_path):
    def behaviour(path, day_first, progress, should_cancel):
        while not should_cancel():
            threading.Event().wait(0.01)
        raise ImportCancelled

    importer, _fake = importer_for(behaviour)
    importer.start([_export(tmp_path)])
    dialog = importer.progress_dialog
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT):
        dialog.close()
        assert dialog.isVisible() and not dialog.cancel_button.isEnabled()


def test_files_given_while_importing_join_the_run_and_batal_leaves_the_rest_out(
        qtbot, importer_for, tmp_path):
    started, release = threading.Event(), threading.Event()

    def behaviour(path, day_first, progress, should_cancel):
        started.set()
        release.wait(TIMEOUT / 1000)  # too late to stop: this file finishes anyway
        return summary_for(path, messages=5)

    importer, fake = importer_for(behaviour)
    importer.start([_export(tmp_path)])
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
    importer.start([_export(tmp_path, "kedua.zip"), _export(tmp_path, "ketiga.txt")])
    assert importer.progress_dialog.step_label.text() == "Mengimpor berkas 1 dari 3"
    importer.cancel()
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT) as finished:
        release.set()
    assert len(fake.calls) == 1 and [s.messages for s in finished.args[0]] == [5]
    note = importer.summary_dialog.findChild(QLabel, "importNote")
    assert note is not None and note.text() == "Tidak diimpor karena dibatalkan: kedua.zip, ketiga.txt."


# -- the day/month question ------------------------------------------------------------------
def test_an_undecidable_date_order_is_asked_and_the_file_imported_again_with_the_answer(
        qtbot, importer_for, tmp_path):
    def behaviour(path, day_first, progress, should_cancel):
        if day_first is None:
            raise DayOrderNeeded(path.name, "03/04/25 10.15")
        return summary_for(path, messages=7)

    importer, fake = importer_for(behaviour)
    importer.start([_export(tmp_path)])
    qtbot.waitUntil(lambda: importer.day_order_box is not None and importer.day_order_box.isVisible(),
                    timeout=TIMEOUT)
    box = importer.day_order_box
    assert "03/04/25 10.15" in box.informativeText()
    assert "3 April 2025" in box.informativeText() and "4 Maret 2025" in box.informativeText()
    assert {b.text() for b in box.buttons()} == {"Tanggal/Bulan (31/12)", "Bulan/Tanggal (12/31)", "Batal"}
    assert importer.progress_dialog.isVisible()
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT):
        qtbot.mouseClick(box.month_first_button, Qt.MouseButton.LeftButton)
    assert [c["day_first"] for c in fake.calls] == [None, False]
    assert importer.summary_dialog.views[0].summary.messages == 7


def test_batal_in_the_date_question_imports_nothing(qtbot, importer_for, tmp_path):
    def behaviour(path, day_first, progress, should_cancel):
        raise DayOrderNeeded(path.name, "1/2/25")

    importer, fake = importer_for(behaviour)
    importer.start([_export(tmp_path)])
    qtbot.waitUntil(lambda: importer.day_order_box is not None, timeout=TIMEOUT)
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT):
        importer.day_order_box.cancel_button.click()
    assert len(fake.calls) == 1
    assert importer.message_box.text() == "Impor dibatalkan; tidak ada yang disimpan."


def test_date_readings_spell_out_both_orders():
    assert date_readings("[12/01/2024 08.30.00]") == ("12 Januari 2024", "1 Desember 2024")
    assert date_readings("31/12/24") is None  # decidable: the core never asks about it
    assert date_readings("kemarin") is None


# -- refusals ------------------------------------------------------------------------------
def test_a_refused_file_shows_the_reason_in_indonesian(qtbot, importer_for, tmp_path):
    reason = "Arsip zip ini tidak aman: berisi jalur di luar foldernya."

    def behaviour(path, day_first, progress, should_cancel):
        raise InvalidInput(reason)

    importer, _fake = importer_for(behaviour)
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT) as finished:
        importer.start([_export(tmp_path)])
    assert finished.args[0] == [] and importer.summary_dialog is None
    box = importer.message_box
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Warning
    assert reason in box.text() and "WhatsApp Chat dengan Budi.zip" in box.text()


def test_with_several_files_a_refused_one_is_listed_in_the_summary_of_the_others(
        qtbot, importer_for, tmp_path):
    def behaviour(path, day_first, progress, should_cancel):
        if path.suffix == ".txt":
            raise InvalidInput("Berkas ini bukan ekspor chat WhatsApp.")
        return summary_for(path, messages=3)

    importer, fake = importer_for(behaviour)
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT):
        importer.start([tmp_path / "catatan.txt", _export(tmp_path)])
    assert [c["path"].name for c in fake.calls] == ["catatan.txt", "WhatsApp Chat dengan Budi.zip"]
    refused = importer.summary_dialog.findChild(QLabel, "importRefused")
    assert refused is not None and "catatan.txt: Berkas ini bukan ekspor chat WhatsApp." in refused.text()


# -- with the real desk (switches itself on once the core's import lands) ---------------------
@pytest.mark.skipif(not hasattr(Desk, "import_chat"),
                    reason="Desk.import_chat is not written yet")
def test_a_real_export_is_imported_through_the_desk(qtbot, ui_office, make_ctx, window, tmp_path):
    export = tmp_path / "WhatsApp Chat dengan Budi Santoso.txt"
    lines = ["15/02/24 08.30 - Budi Santoso: Selamat pagi, saya mau urus akta kelahiran anak saya",
             "15/02/24 08.31 - Budi Santoso: nama anak Siti Aminah, lahir 10 Februari 2024",
             "15/02/24 08.40 - Disdukcapil Balangan: Baik Pak, mohon kirim foto KK dan surat keterangan lahir"]
    export.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    importer = ChatImporter(make_ctx(ui_office), window)
    with qtbot.waitSignal(importer.finished, timeout=30_000) as finished:
        importer.start([export])
    assert importer.progress_dialog is None and importer.message_box is None
    [summary] = finished.args[0]
    assert summary.file_name == export.name and summary.messages == 3


@pytest.mark.skipif(not hasattr(Desk, "import_chat"), reason="Desk.import_chat is not written yet")
def test_a_real_export_with_undecidable_dates_is_asked_about_then_imported(
        qtbot, ui_office, make_ctx, window, tmp_path):
    export = tmp_path / "WhatsApp Chat dengan Ani.txt"
    export.write_text("03/04/2024 08:30 - Ani: halo, mau tanya syarat KIA\n"
                      "05/04/2024 09:00 - Ani: terima kasih\n", encoding="utf-8")
    importer = ChatImporter(make_ctx(ui_office), window)
    importer.start([export])
    qtbot.waitUntil(lambda: importer.day_order_box is not None, timeout=30_000)
    assert "3 April 2024" in importer.day_order_box.informativeText()
    with qtbot.waitSignal(importer.finished, timeout=30_000) as finished:
        importer.day_order_box.day_first_button.click()
    [summary] = finished.args[0]
    assert summary.messages == 2 and importer.message_box is None


# -- the summary ---------------------------------------------------------------------------
def _full_summary(numbers: list[str]) -> ImportSummary:
    return ImportSummary(
        file_name="WhatsApp Chat dengan +62 812-3456-7890.zip", messages=1234, already_known=56,
        requests_created=3, requests_updated=1, attachments=9,
        skipped={"pesan sistem WhatsApp (enkripsi, anggota grup)": 4, "pesan yang dihapus pengirimnya": 2,
                 "lampiran tidak disertakan dalam ekspor (<Media tidak disertakan>)": 5},
        errors=["IMG-20240112-WA0003.jpg: berkas rusak, tidak dapat dibaca"],
        warnings=["Baris 88: tanggal tidak valid, dilewati."],
        missing_files=["IMG-20240112-WA0007.jpg", "KK keluarga.pdf"], request_numbers=numbers)


def test_the_summary_shows_the_counts_the_skipped_reasons_and_the_problems(qtbot):
    dialog = ImportSummaryDialog([_full_summary(["BLG-20240112-0001", "BLG-20240112-0002"])])
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.views[0]
    counts = {name: label.text() for name, label in view.count_labels.items()}
    assert counts == {"Pesan baru disimpan": "1.234", "Pesan yang sudah ada": "56", "Permohonan baru": "3",
                      "Permohonan diperbarui": "1", "Berkas ditambahkan": "9", "Dilewati": "11"}
    tabs = [view.details.tabText(i) for i in range(view.details.count())]
    assert tabs == ["Kesalahan (1)", "Dilewati (3)", "Berkas hilang (2)", "Peringatan (1)"]
    table = view.details.widget(1)
    rows = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    assert rows[0] == ("lampiran tidak disertakan dalam ekspor (<Media tidak disertakan>)", "5")
    assert ("pesan yang dihapus pengirimnya", "2") in rows
    assert view.findChild(QLabel, "importErrors").isVisible()
    with qtbot.waitSignal(dialog.open_request, timeout=TIMEOUT) as opened:
        view.requests.itemActivated.emit(view.requests.item(1))
    assert opened.args == ["BLG-20240112-0002"]


def test_a_clean_import_says_nothing_was_skipped(qtbot):
    dialog = ImportSummaryDialog([ImportSummary(file_name="chat.txt", messages=4)])
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "importClean") is not None
    assert not dialog.views[0].open_button.isEnabled()


def test_opening_a_request_from_the_summary_gives_its_id(qtbot, importer_for, ui_office, tmp_path):
    detail = ui_office.desk(ui_office.actor_for("sari")).create_request(
        NewRequest(service_code="kia", applicant_name="Noor Hayati"))
    importer, _fake = importer_for(
        lambda path, day_first, progress, should_cancel: summary_for(path, request_numbers=[detail.number]))
    with qtbot.waitSignal(importer.finished, timeout=TIMEOUT):
        importer.start([_export(tmp_path)])
    view = importer.summary_dialog.views[0]
    with qtbot.waitSignal(importer.open_request, timeout=TIMEOUT) as opened:
        view.open_button.click()
    assert opened.args == [detail.id]


# -- dropping files ------------------------------------------------------------------------
def _drop(target: QWidget, paths: list[Path]) -> tuple[QDragEnterEvent, QDropEvent]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return enter, drop


def test_dropping_an_export_calls_back_and_other_files_are_refused_with_a_reason(qtbot, window, tmp_path):
    dropped, said = [], []
    install_export_drop(window, dropped.append, said.append)
    export, pdf = tmp_path / "WhatsApp Chat.ZIP", tmp_path / "KK.pdf"
    enter, drop = _drop(window, [export])
    assert enter.isAccepted() and drop.isAccepted()
    assert dropped == [[export]] and said == []
    _enter, drop = _drop(window, [pdf])
    assert not drop.isAccepted() and dropped == [[export]]
    assert said == ["KK.pdf tidak diimpor: hanya ekspor chat WhatsApp (.zip atau .txt) yang dapat diimpor."]
    _drop(window, [pdf, tmp_path / "chat.txt"])
    assert dropped[-1] == [tmp_path / "chat.txt"] and "KK.pdf" in said[-1]


def test_the_inbox_takes_a_drop_on_its_table_and_its_search_box(qtbot, ui_office, make_ctx, tmp_path):
    from ui.inbox.panel import InboxPanel

    panel = InboxPanel(make_ctx(ui_office))
    qtbot.addWidget(panel)
    panel.show()
    dropped = []
    install_export_drop(panel, dropped.append, lambda message: None)
    export = tmp_path / "chat.zip"
    _drop(panel.table.viewport(), [export])  # the viewport passes it up to the panel
    _drop(panel.search, [export])  # the search box takes text drops: watched too
    assert dropped == [[export], [export]] and panel.search.text() == ""


def test_split_and_refusal_wording(tmp_path):
    folder = tmp_path / "ekspor.zip"
    folder.mkdir()
    wanted, refused = split_exports([tmp_path / "a.txt", tmp_path / "b.Zip", tmp_path / "c.jpg", folder])
    assert [p.name for p in wanted] == ["a.txt", "b.Zip"] and [p.name for p in refused] == ["c.jpg", "ekspor.zip"]
    many = refusal_message([tmp_path / f"{i}.jpg" for i in range(5)])
    assert many.startswith("5 berkas tidak diimpor (0.jpg, 1.jpg, 2.jpg, …)")
