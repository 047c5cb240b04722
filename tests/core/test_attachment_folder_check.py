"""A folder for attachments (`attachment_folder`) is checked by writing to it before it is saved."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dikjamila.errors import InvalidInput
from dikjamila.files.folder_check import check_attachment_folder


def test_a_writable_folder_passes_and_keeps_nothing(tmp_path):
    check_attachment_folder(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unusable_folders_are_refused_in_indonesian(tmp_path):
    (tmp_path / "berkas.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInput, match="bukan folder"):
        check_attachment_folder(tmp_path / "berkas.txt")
    with pytest.raises(InvalidInput, match="tidak ada"):
        check_attachment_folder(tmp_path / "tidak-ada")
    if Path("/sys/kernel").is_dir():  # even root cannot create a file there (CI runs as root)
        with pytest.raises(InvalidInput, match="tidak bisa ditulis dari komputer ini"):
            check_attachment_folder("/sys/kernel")


def test_update_settings_refuses_an_unwritable_folder_only_where_it_would_be_used(staffed_office, staff, tmp_path):
    office, admin = staffed_office, staff["admin"]
    file = tmp_path / "berkas.txt"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInput, match="bukan folder"):
        office.update_settings(admin, replace(office.settings, attachment_storage="folder", attachment_folder=str(file)))
    with pytest.raises(InvalidInput, match="bukan folder"):  # "auto" on SQLite keeps files in the folder too
        office.update_settings(admin, replace(office.settings, attachment_folder=str(file)))
    assert office.settings.attachment_folder == ""
    with pytest.raises(InvalidInput, match="'awan' tidak dikenal"):
        office.update_settings(admin, replace(office.settings, attachment_storage="awan"))
    # In the database the folder is not used, so it is not checked.
    office.update_settings(admin, replace(office.settings, attachment_storage="database", attachment_folder=str(file)))
    assert office.settings.attachment_storage == "database"
