"""The "Lampiran" settings page: where attachments are kept, and the shared folder checked by writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from dikjamila.config import load_settings
from dikjamila.desk import NewRequest
from dikjamila.files import AttachmentStore
from dikjamila.files.db_store import DatabaseBlobStore
from dikjamila.office import Office
from tests.whatsapp_support import jpeg
from ui.settings_dialog import SettingsDialog

TIMEOUT = 15_000


@pytest.fixture
def dialog(qtbot, ui_office, make_ctx):
    dialog = SettingsDialog(make_ctx(ui_office, "admin"))
    qtbot.addWidget(dialog)
    return dialog


def choose(dialog, code: str) -> None:
    page = dialog.storage
    page.storage.setCurrentIndex(page.storage.findData(code))


def reopened(office) -> Office:
    """The same office opened afresh: its settings as the core reads them (file and database)."""
    return Office.open(office.paths.data_dir)


def test_the_folder_field_is_only_for_the_shared_folder_choice(dialog, ui_office):
    page = dialog.storage
    assert dialog.tabs.tabText(dialog.tabs.indexOf(page)) == "Lampiran"
    assert [page.storage.itemText(i) for i in range(page.storage.count())] == [
        "Otomatis (server: di basis data; SQLite: folder data)", "Folder bersama", "Di basis data"]
    assert page.choice() == "auto" and not page.folder_box.isEnabled()
    assert str(ui_office.paths.blobs_dir) in page.where.text()  # auto on SQLite: the data folder
    choose(dialog, "folder")
    assert page.folder_box.isEnabled() and page.folder.isEnabled()
    assert page.where.text() == "Pilih folder bersama di atas."
    choose(dialog, "database")
    assert not page.folder_box.isEnabled() and not page.folder.isEnabled()
    assert page.where.text() == "Dengan pilihan ini lampiran baru disimpan di dalam basis data."
    assert "SQLite" in page.database_note.text() and "boleh" in page.database_note.text()
    choose(dialog, "auto")
    assert not page.folder_box.isEnabled()
    assert "semua komputer" in page.note.text() and "berlaku segera untuk berkas baru" in page.note.text()


def test_a_writable_shared_folder_is_saved_and_new_files_go_there(qtbot, dialog, ui_office, tmp_path):
    shared = tmp_path / "bersama"
    shared.mkdir()
    choose(dialog, "folder")
    dialog.storage.folder.setText(str(shared))
    assert str(shared) in dialog.storage.where.text()
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.save()
    assert not list(shared.glob(".dikjamila-uji-*"))  # the write probe leaves nothing behind
    assert load_settings(ui_office.paths).attachment_folder == str(shared)  # this PC's key: its settings.toml
    copy = reopened(ui_office)
    try:
        assert (copy.settings.attachment_storage, copy.settings.attachment_folder) == ("folder", str(shared))
        assert isinstance(copy.store, AttachmentStore) and copy.store.root == shared
    finally:
        copy.close()
    # The running office follows at once: a new file lands in the shared folder.
    desk = dialog.ctx.desk
    rid = desk.create_request(NewRequest(service_code="kia", applicant_name="Siti Aminah")).id
    sha = desk.attach_file(rid, jpeg(), "kk.jpg").blob_sha256
    assert (shared / sha[:2] / sha[2:4] / sha).is_file()


@pytest.mark.parametrize("where, reason", [
    ("sys", "tidak bisa ditulis"),  # exists, but even root cannot create a file there
    ("file", "bukan folder"),
    ("missing", "tidak ada"),
])
def test_an_unusable_folder_is_refused_and_nothing_is_saved(qtbot, dialog, ui_office, tmp_path, where, reason):
    if where == "sys":
        target = Path("/sys/kernel")
        if not target.is_dir():
            pytest.skip("no /sys/kernel on this system")
    elif where == "file":
        target = tmp_path / "bukan-folder.txt"
        target.write_text("isi", encoding="utf-8")
    else:
        target = tmp_path / "tidak-ada"
    before = ui_office.paths.settings_file.read_bytes() if ui_office.paths.settings_file.exists() else b""
    choose(dialog, "folder")
    dialog.storage.folder.setText(str(target))
    dialog.save()
    qtbot.waitUntil(lambda: reason in dialog.message.text(), timeout=TIMEOUT)
    assert str(target) in dialog.message.text()
    assert dialog.buttons.isEnabled() and dialog.result() != dialog.DialogCode.Accepted
    after = ui_office.paths.settings_file.read_bytes() if ui_office.paths.settings_file.exists() else b""
    assert after == before
    assert ui_office.settings.attachment_storage == "auto" and ui_office.store.root == ui_office.paths.blobs_dir
    copy = reopened(ui_office)
    try:
        assert (copy.settings.attachment_storage, copy.settings.attachment_folder) == ("auto", "")
    finally:
        copy.close()


def test_the_shared_folder_choice_needs_a_folder(dialog):
    choose(dialog, "folder")
    dialog.storage.folder.setText("  ")
    dialog.save()
    assert "Pilih folder bersama" in dialog.message.text()
    assert dialog.buttons.isEnabled()


def test_in_the_database_is_allowed_on_sqlite_as_the_core_allows_it(qtbot, dialog, ui_office):
    choose(dialog, "database")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.save()
    assert isinstance(ui_office.store, DatabaseBlobStore)
    copy = reopened(ui_office)
    try:
        assert copy.settings.attachment_storage == "database" and isinstance(copy.store, DatabaseBlobStore)
    finally:
        copy.close()
