"""One backup folder, one office: two offices pointed at the same folder (a share, one USB disk)
must not count or remove each other's copies. Real offices, real SQLite files, real folders."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from dikjamila.backup_folder import (
    backup_if_due,
    choose_copy,
    list_copies,
    restore_from_folder,
)
from dikjamila.backup_folder.layout import FORMAT
from dikjamila.backup_folder.retention import keep_newest
from dikjamila.config import Paths
from dikjamila.db.database import Database
from dikjamila.errors import InvalidInput, UserError
from dikjamila.office import Office
from dikjamila.office_id import office_id
from tests.support import copied_office

from .conftest import new_request
from .test_backup_folder import DAY, applicants, backup, blobs_in, folder_files, jpeg

SECOND_NAME = "Disdukcapil Balangan — Loket Paringin"


@pytest.fixture
def shared(tmp_path) -> Path:
    """The backup folder: a share or a USB disk, which two offices may both be pointed at."""
    path = tmp_path / "disk-bersama" / "cadangan"
    path.mkdir(parents=True)
    return path


@pytest.fixture
def second_office(staffed_template, tmp_path):
    """Another office: its own data dir and database (a second PC, a second office)."""
    with copied_office(staffed_template, tmp_path / "kantor-2") as office:
        yield office


def with_request(office, name: str, picture: str) -> str:
    """A request of `name` with one attached photo; the photo's sha256."""
    desk = office.desk(office.actor_for("sari"))
    rid = desk.create_request(new_request(applicant_name=name)).id
    return desk.attach_file(rid, jpeg(picture), "foto.jpg").blob_sha256


def rename(office, name: str) -> None:
    office.update_settings(office.actor_for("admin"), replace(office.settings, office_name=name))


def blob_file(folder: Path, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    path = folder / "blobs" / sha[:2] / sha[2:4] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return sha


def other_office_copy(folder: Path, stem: str, when, blobs: dict[str, int], *, office: str = "f" * 32,
                      name: str = SECOND_NAME) -> Path:
    """A copy as another office's program writes it: database file and manifest naming that office."""
    database = folder / f"{stem}.sqlite3"
    database.write_bytes(os.urandom(4096))
    manifest = folder / f"{stem}.json"
    manifest.write_text(json.dumps({
        "format": FORMAT, "created": when.isoformat(), "office_id": office, "office_name": name,
        "database": database.name, "database_sha256": hashlib.sha256(database.read_bytes()).hexdigest(),
        "database_bytes": 4096, "blobs": blobs}), encoding="utf-8")
    return manifest


def forget_office(manifest: Path) -> None:
    """Make a manifest look written before manifests named their office."""
    body = json.loads(manifest.read_text(encoding="utf-8"))
    del body["office_id"], body["office_name"]
    manifest.write_text(json.dumps(body), encoding="utf-8")


def test_an_office_id_is_made_once_kept_in_the_database_and_the_same_for_two_callers_at_once(staffed_office):
    url = staffed_office.db.url
    ids: list[str] = []

    def ask() -> None:  # another connection, as another PC's or process's
        db = Database(url, run_migrations=False)
        try:
            ids.append(office_id(db))
        finally:
            db.close()

    holder = Database(url, run_migrations=False)
    try:
        with holder.writing() as session:
            session.execute(text("SELECT 1"))  # holds the write lock: both callers find no id, then queue
            callers = [threading.Thread(target=ask) for _ in range(2)]
            for caller in callers:
                caller.start()
            time.sleep(0.5)
        for caller in callers:
            caller.join(timeout=20)
    finally:
        holder.close()
    assert len(ids) == 2 and ids[0] == ids[1] and len(ids[0]) == 32 and int(ids[0], 16) >= 0
    assert office_id(staffed_office.db) == ids[0]
    reopened = Office.open(staffed_office.paths.data_dir)
    try:
        assert office_id(reopened.db) == ids[0]
    finally:
        reopened.close()


@pytest.mark.parametrize("second_name, named", [
    (SECOND_NAME, "“Disdukcapil Kabupaten Balangan”, kode "),
    ("Disdukcapil Kabupaten Balangan", "namanya sama, tetapi basis datanya lain"),  # two PCs, one name
])
def test_a_second_office_is_refused_and_the_first_offices_copies_stay_whole_and_restorable(
        staffed_office, second_office, shared, tmp_path, second_name, named):
    with_request(staffed_office, "Siti Aminah", "KK kantor pertama")
    for day in range(2):
        backup(staffed_office, shared, now=DAY + timedelta(days=day), keep=2)
    rename(second_office, second_name)
    with_request(second_office, "Pemohon Kantor Kedua", "KK kantor kedua")
    before = folder_files(shared)

    with pytest.raises(UserError) as refused:
        backup(second_office, shared, now=DAY + timedelta(days=2), keep=2)
    message = refused.value.message
    assert f"Folder cadangan {shared} sudah berisi cadangan kantor lain" in message and named in message
    assert office_id(staffed_office.db)[:8] in message
    assert "Pilih folder lain untuk kantor ini" in message and "subfolder tersendiri" in message
    assert folder_files(shared) == before, "the refused office changed the folder"

    for copy in list_copies(shared):
        restored = Paths(tmp_path / f"pulih-{copy.name}")
        assert restore_from_folder(restored, shared, copy.name).blobs == 1
        assert applicants(restored.database_file) == ["Siti Aminah"]

    own = Path(message.rsplit(": ", 1)[1])  # the folder the message suggests: the second office's own
    assert own.parent == shared and own.name.startswith("Disdukcapil-")
    own.mkdir()
    assert backup(second_office, own, now=DAY + timedelta(days=2), keep=2).blobs == 1
    assert {k: v for k, v in folder_files(shared).items() if not k.startswith(f"{own.name}/")} == before


def test_the_second_offices_schedule_is_due_and_says_why_though_the_first_backed_up_today(
        staffed_office, second_office, shared):
    backup(staffed_office, shared, now=DAY)
    second_office.settings.backup_dir = str(shared)
    with pytest.raises(UserError, match="sudah berisi cadangan kantor lain"):
        backup_if_due(second_office, now=DAY + timedelta(hours=1))  # the first's copy of today is not its own
    assert len(list_copies(shared)) == 1


def test_an_office_whose_older_manifests_name_no_office_backs_up_and_prunes_as_before(
        staffed_office, shared):
    with_request(staffed_office, "Siti Aminah", "KK")
    stray = blob_file(shared, jpeg("sisa cadangan yang gagal"))  # no copy needs it
    old = [backup(staffed_office, shared, now=DAY + timedelta(days=i), keep=14) for i in range(2)]
    for result in old:
        forget_office(result.manifest)
    assert [c.office_id for c in list_copies(shared)] == ["", ""]

    new = backup(staffed_office, shared, now=DAY + timedelta(days=2), keep=2)
    assert (new.removed_copies, new.pruned_files) == (1, 1) and stray not in blobs_in(shared)
    assert not old[0].manifest.exists() and not old[0].database.exists()
    copies = list_copies(shared)
    assert [c.office_id for c in copies] == ["", office_id(staffed_office.db)]
    assert copies[-1].office_name == staffed_office.settings.office_name


def test_the_office_id_survives_backup_and_restore_and_the_restored_office_backs_up_into_the_same_folder(
        staffed_office, shared, tmp_path):
    with_request(staffed_office, "Siti Aminah", "KK")
    backup(staffed_office, shared, now=DAY)  # the office's first request for its id
    own = office_id(staffed_office.db)
    staffed_office.close()  # the PC is lost; the office is restored on another one

    restore_from_folder(Paths(tmp_path / "pc-baru"), shared)
    restored = Office.open(tmp_path / "pc-baru")
    try:
        assert office_id(restored.db) == own
        again = backup(restored, shared, now=DAY + timedelta(days=1), keep=1)
    finally:
        restored.close()
    assert again.removed_copies == 1, "the restored office counts its own earlier copy"
    assert [c.office_id for c in list_copies(shared)] == [own]


def test_retention_never_removes_another_offices_copies_or_a_file_their_manifests_need(staffed_office, shared):
    common = with_request(staffed_office, "Siti Aminah", "KK")  # the other office holds the same file
    ours = [backup(staffed_office, shared, now=DAY + timedelta(days=i), keep=14) for i in range(3)]
    theirs_only = blob_file(shared, jpeg("akta kantor lain"))
    stray = blob_file(shared, jpeg("sisa cadangan yang gagal"))
    needed = {sha: len(data) for sha, data in blobs_in(shared).items() if sha != stray}
    assert set(needed) == {common, theirs_only}
    # Written by hand: an office refuses a folder that holds another's copies, so only a folder
    # put together by hand holds both. Theirs are older than ours: the newest two of the folder
    # would be ours, and the other office would lose all three.
    theirs = [other_office_copy(shared, f"cadangan-202611{20 + i}-090000", DAY - timedelta(days=7 - i), needed)
              for i in range(3)]

    assert keep_newest(shared, 2, office_id(staffed_office.db)) == (1, 1)
    assert not ours[0].manifest.exists() and all(r.manifest.exists() for r in ours[1:])
    assert all(m.exists() and m.with_suffix(".sqlite3").exists() for m in theirs)
    assert set(blobs_in(shared)) == {common, theirs_only}, "a file another office's copies need was removed"


def test_no_attachment_file_is_removed_while_a_manifest_in_the_folder_cannot_be_read(staffed_office, shared):
    with_request(staffed_office, "Siti Aminah", "KK")
    unknown = blob_file(shared, jpeg("berkas salinan yang tidak terbaca"))
    (shared / "cadangan-20261120-080000.json").write_text('{"format": "dikjamila-cadangan-folder/2"}')
    results = [backup(staffed_office, shared, now=DAY + timedelta(days=i), keep=1) for i in range(2)]
    assert results[-1].removed_copies == 1 and results[-1].pruned_files == 0
    assert unknown in blobs_in(shared)


def test_restore_by_default_takes_the_newest_copy_and_refuses_to_guess_between_two_named_offices(
        staffed_office, second_office, shared, tmp_path):
    with_request(second_office, "Pemohon Kantor Kedua", "KK kedua")
    older_office = backup(second_office, shared, now=DAY + timedelta(days=1))
    forget_office(older_office.manifest)  # written by the second office's older program
    with_request(staffed_office, "Siti Aminah", "KK pertama")
    ours = backup(staffed_office, shared, now=DAY)  # an office finds only copies naming none: allowed

    newest = choose_copy(shared)  # the newest by time, whichever office: here the unnamed one
    assert (newest.name, newest.office_id) == (older_office.database.stem, "")
    restore_from_folder(Paths(tmp_path / "terbaru"), shared)
    assert applicants(Paths(tmp_path / "terbaru").database_file) == ["Pemohon Kantor Kedua"]
    assert choose_copy(shared, ours.database.name).office_id == office_id(staffed_office.db)
    restored = Paths(tmp_path / "pulih")
    restore_from_folder(restored, shared, ours.database.stem)
    assert applicants(restored.database_file) == ["Siti Aminah"]

    other_office_copy(shared, "cadangan-20261130-090000", DAY + timedelta(days=3), {})  # a folder put together by hand
    with pytest.raises(InvalidInput, match="lebih dari satu kantor") as refused:
        restore_from_folder(Paths(tmp_path / "tebak"), shared)
    assert ours.database.stem in refused.value.message and "cadangan-20261130-090000" in refused.value.message
    assert not (tmp_path / "tebak" / "dikjamila.sqlite3").exists()
    assert choose_copy(shared, "cadangan-20261130-090000").office_name == SECOND_NAME
