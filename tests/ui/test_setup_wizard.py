"""The first-run setup wizard on a new office: every page filled and checked, everything saved at
"Selesai" (read back from the office opened afresh), the operators able to sign in; "Nanti saja"
remembered; a refused save shown with nothing half-saved."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from dikjamila.errors import UserError
from dikjamila.office import Office
from tests.support import PASSWORD
from ui.setup_wizard import SetupWizard, open_setup_wizard
from ui.worker import DbWorker

ROOT = Path(__file__).resolve().parents[2]
NEXT, FINISH, CANCEL = (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton,
                        QWizard.WizardButton.CancelButton)


@pytest.fixture
def new_office(tmp_path):
    """An office just made: its admin account exists, nothing else."""
    office = Office.open(tmp_path / "kantor")
    office.add_user(None, username="admin", full_name="Admin Kantor", role="admin", password=PASSWORD)
    yield office
    office.close()


@pytest.fixture
def wizard(qtbot, new_office):
    worker = DbWorker()
    wizard = SetupWizard(new_office, new_office.actor_for("admin"), worker)
    qtbot.addWidget(wizard)
    wizard.show()
    yield wizard
    worker.shutdown()


def fresh(office: Office) -> Office:
    return Office.open(office.paths.data_dir)


def next_page(qtbot, wizard, expected) -> None:
    wizard.button(NEXT).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is expected, timeout=10000)


def fill_account(page, username, full_name, role, password, repeat=None) -> None:
    page.username.setText(username)
    page.full_name.setText(full_name)
    page.role.setCurrentIndex(page.role.findData(role))
    page.password.setText(password)
    page.repeat.setText(password if repeat is None else repeat)
    page.add_button.click()


def walk_to_summary(qtbot, wizard, tmp_path, username="sari"):
    """Fill every page with good values (the backup folder on "another disk")."""
    wizard.office_page.name.setText("Disdukcapil Kabupaten Balangan")
    wizard.office_page.address.setText("Jl. A. Yani Km 1,5, Paringin")
    next_page(qtbot, wizard, wizard.prefix_page)
    wizard.prefix_page.prefix.setText("tbl")
    next_page(qtbot, wizard, wizard.whatsapp_page)
    wizard.whatsapp_page.numbers.setText("0812-5000-1111")
    wizard.whatsapp_page.now.setChecked(True)
    next_page(qtbot, wizard, wizard.accounts_page)
    fill_account(wizard.accounts_page, username, "Petugas Baru", "operator", "sandi-sari-1")
    next_page(qtbot, wizard, wizard.siak_page)
    (tmp_path / "siak").mkdir(exist_ok=True)
    wizard.siak_page.folder.setText(str(tmp_path / "siak"))
    next_page(qtbot, wizard, wizard.backup_page)
    (tmp_path / "disk-lain").mkdir(exist_ok=True)
    wizard.backup_page.folder.setText(str(tmp_path / "disk-lain"))
    next_page(qtbot, wizard, wizard.summary_page)


def test_the_whole_wizard_checks_each_page_then_saves_everything_at_the_end(qtbot, wizard, new_office, tmp_path):
    assert wizard.currentPage() is wizard.office_page
    wizard.office_page.name.setText("   ")
    wizard.button(NEXT).click()
    assert wizard.currentPage() is wizard.office_page and "wajib diisi" in wizard.office_page.message.text()
    wizard.office_page.name.setText("Disdukcapil  Kabupaten Tabalong")
    wizard.office_page.address.setText("Jl. Pangeran Antasari No. 1, Tanjung")
    next_page(qtbot, wizard, wizard.prefix_page)

    for bad in ("T-BL", "TABALONG", ""):  # a sign, too long, nothing
        wizard.prefix_page.prefix.setText(bad)
        wizard.button(NEXT).click()
        assert wizard.currentPage() is wizard.prefix_page, bad
        assert "huruf dan angka" in wizard.prefix_page.message.text()
    wizard.prefix_page.prefix.setText("tbl")
    assert wizard.prefix_page.example.text() == "TBL-20261127-0001"
    next_page(qtbot, wizard, wizard.whatsapp_page)

    page = wizard.whatsapp_page
    page.now.setChecked(True)
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page and "untuk menghubungkannya sekarang" in page.message.text()
    page.numbers.setText("0812-ABCD-111")
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page and "Nomor WhatsApp 0812-ABCD-111" in page.message.text()
    page.numbers.setText("0511 21234")  # a landline cannot receive WhatsApp from the office
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page and page.message.text()
    page.numbers.setText("0812-5000-1111")
    next_page(qtbot, wizard, wizard.accounts_page)

    accounts = wizard.accounts_page
    fill_account(accounts, "sari", "Sari Operator", "operator", "sandi-sari-1", repeat="sandi-sari-2")
    assert "tidak sama" in accounts.message.text() and accounts.table.rowCount() == 0
    accounts.repeat.setText("sandi-sari-1")
    accounts.add_button.click()
    fill_account(accounts, "budi", "Budi Operator", "operator", "pendek")
    assert "minimal 8" in accounts.message.text()
    fill_account(accounts, "Sari", "Sari Lain", "operator", "sandi-lain-1")
    assert "sudah dipakai" in accounts.message.text()
    fill_account(accounts, "budi santoso", "Budi", "operator", "sandi-budi-1")
    assert "tanpa spasi" in accounts.message.text()
    accounts.username.setText("hasan")
    wizard.button(NEXT).click()
    assert wizard.currentPage() is accounts and "belum ditambahkan" in accounts.message.text()
    fill_account(accounts, "hasan", "Hasan Supervisor", "supervisor", "sandi-hasan-1")
    assert accounts.table.rowCount() == 2 and [a.username for a in accounts.accounts] == ["sari", "hasan"]
    next_page(qtbot, wizard, wizard.siak_page)

    wizard.siak_page.folder.setText(str(tmp_path / "tidak-ada"))
    wizard.button(NEXT).click()
    qtbot.waitUntil(lambda: "tidak ada" in wizard.siak_page.message.text(), timeout=10000)
    assert wizard.currentPage() is wizard.siak_page
    (tmp_path / "siak").mkdir()
    wizard.siak_page.folder.setText(str(tmp_path / "siak"))
    next_page(qtbot, wizard, wizard.backup_page)

    backup = wizard.backup_page
    assert "disk lain" in " ".join(w.text() for w in backup.findChildren(type(backup.message)))
    backup.folder.setText(str(new_office.paths.data_dir / "backups"))
    (new_office.paths.data_dir / "backups").mkdir(exist_ok=True)
    wizard.button(NEXT).click()
    qtbot.waitUntil(lambda: "di dalam folder data" in backup.message.text(), timeout=10000)
    (tmp_path / "disk-lain").mkdir()
    backup.folder.setText(str(tmp_path / "disk-lain"))
    backup.keep.setValue(7)
    next_page(qtbot, wizard, wizard.summary_page)
    assert "TBL-20261127-0001" in wizard.summary_page.summary.text()
    assert "hasan (Supervisor)" in wizard.summary_page.summary.text()

    wizard.button(FINISH).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=20000)
    assert wizard.saved and wizard.connect_now
    office = fresh(new_office)
    try:
        s = office.settings
        assert (s.office_name, s.office_address) == ("Disdukcapil Kabupaten Tabalong",
                                                     "Jl. Pangeran Antasari No. 1, Tanjung")
        assert s.request_number_prefix == "TBL"
        assert s.whatsapp_numbers == ["+6281250001111"] and s.whatsapp_transport == "linked"
        assert s.watch_siak_dir == str(tmp_path / "siak")
        assert (s.backup_dir, s.backup_daily, s.backup_keep) == (str(tmp_path / "disk-lain"), True, 7)
        assert s.setup_done
        assert office.login("sari", "sandi-sari-1").role == "operator"
        assert office.login("hasan", "sandi-hasan-1").role == "supervisor"
    finally:
        office.close()


def test_nanti_saja_closes_and_remembers_the_setup_was_offered(qtbot, wizard, new_office):
    wizard.office_page.name.setText("Nama yang tidak disimpan")
    wizard.button(CANCEL).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10000)
    assert not wizard.saved and not wizard.connect_now
    office = fresh(new_office)
    try:
        assert office.settings.setup_done
        assert office.settings.office_name == "Disdukcapil Kabupaten Balangan"
        assert [u.username for u in office.desk(office.actor_for("admin")).users()] == ["admin"]
    finally:
        office.close()


def test_a_refused_save_is_shown_and_nothing_is_half_saved(qtbot, wizard, new_office, tmp_path):
    walk_to_summary(qtbot, wizard, tmp_path)
    shutil.rmtree(tmp_path / "disk-lain")  # the external disk was unplugged meanwhile
    wizard.button(FINISH).click()
    qtbot.waitUntil(lambda: "tidak ada atau tidak terjangkau" in wizard.summary_page.message.text(), timeout=10000)
    assert wizard.isVisible() and not wizard.saved and wizard.button(FINISH).isEnabled()
    office = fresh(new_office)
    try:
        assert not office.settings.setup_done and office.settings.request_number_prefix == "BLG"
        with pytest.raises(UserError):
            office.login("sari", "sandi-sari-1")
    finally:
        office.close()

    (tmp_path / "disk-lain").mkdir()  # plugged in again: "Selesai" once more saves it all
    wizard.button(FINISH).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=20000)
    office = fresh(new_office)
    try:
        assert office.settings.setup_done and office.settings.request_number_prefix == "TBL"
        assert office.login("sari", "sandi-sari-1").username == "sari"
    finally:
        office.close()


def test_an_account_name_taken_meanwhile_is_refused_before_anything_is_saved(qtbot, wizard, new_office, tmp_path):
    walk_to_summary(qtbot, wizard, tmp_path)
    new_office.add_user(new_office.actor_for("admin"), username="sari", full_name="Sari Dari PC Lain",
                        role="operator", password=PASSWORD)
    wizard.button(FINISH).click()
    qtbot.waitUntil(lambda: "sari sudah dipakai" in wizard.summary_page.message.text(), timeout=10000)
    office = fresh(new_office)
    try:
        assert not office.settings.setup_done and office.settings.whatsapp_numbers == []
    finally:
        office.close()


def test_the_admin_opens_it_later_and_the_window_is_told(qtbot, ui_office, make_ctx, tmp_path):
    ctx = make_ctx(ui_office, "admin")
    ui_office.update_settings(ctx.actor, replace(ui_office.settings, setup_done=True))
    linked, changed = [], []
    ctx.bus.settings_changed.connect(lambda: changed.append(True))
    wizard = open_setup_wizard(ctx, None, connect_whatsapp=lambda: linked.append(True))
    qtbot.addWidget(wizard)
    walk_to_summary(qtbot, wizard, tmp_path, username="dewi")
    wizard.button(FINISH).click()
    qtbot.waitUntil(lambda: bool(linked), timeout=20000)
    assert ui_office.login("dewi", "sandi-sari-1").username == "dewi"
    assert changed and ui_office.settings.request_number_prefix == "TBL"
    assert ui_office.settings.whatsapp_numbers == ["+6281250001111"]


# The workstation as `dikjamila` starts it; the dialogs say they were shown and answer at once.
START = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from ui import login, main_window, setup_wizard

def first_run(self):
    self.office.add_user(None, username="admin", full_name="Admin", role="admin", password="rahasia-123")
    self.actor = self.office.actor_for("admin")
    print("FIRST-RUN")
    return QDialog.DialogCode.Accepted

def sign_in(self):
    self.actor = self.office.actor_for("admin")
    print("SIGN-IN")
    return QDialog.DialogCode.Accepted

def wizard(self):
    print("WIZARD")
    return 0

def show(self):
    print("WINDOW")
    QTimer.singleShot(0, QApplication.instance().quit)

login.FirstRunDialog.exec, login.LoginDialog.exec = first_run, sign_in
setup_wizard.SetupWizard.exec = wizard
main_window.MainWindow.show = show
from ui.app import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def test_the_wizard_follows_the_first_admin_of_a_new_office_and_only_then(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DIKJAMILA_HOME"}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / ".xdg-data"),
               XDG_CONFIG_HOME=str(tmp_path / ".xdg-config"))

    def start() -> list[str]:
        run = subprocess.run([sys.executable, "-c", START, str(tmp_path / "kantor")], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120, check=False)
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    assert start() == ["FIRST-RUN", "WIZARD", "WINDOW"]
    assert start() == ["SIGN-IN", "WINDOW"]
