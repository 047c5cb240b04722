"""Backup to a folder (issue 12): a dated database copy each time, only new files copied, the
newest copies kept, every file checked before a restore replaces anything, and a run that fails
halfway never harms the copies made before it."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from dikjamila.auth.roles import Actor
from dikjamila.backup_folder import (
    backup_if_due,
    backup_to_folder,
    due_for_backup,
    last_backup_time,
    list_copies,
    restore_from_folder,
)
from dikjamila.cli.main import main as cli_main
from dikjamila.config import Paths, Settings
from dikjamila.errors import InvalidInput, UserError
from dikjamila.logs import close_logging
from dikjamila.office import Office
from tests.whatsapp_support import incoming_event

from .conftest import new_request

ROOT = Path(__file__).resolve().parents[2]
DAY = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 09:00 WITA


def jpeg(text: str, size=(640, 480)) -> bytes:
    img = Image.new("RGB", size, (235, 230, 220))
    ImageDraw.Draw(img).text((40, 200), text, fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def noise_jpeg(side: int) -> bytes:
    """A photo that does not compress: `side`² pixels of noise, about side² bytes."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "JPEG", quality=95)
    return out.getvalue()


def rows(db_file: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_file)
    try:
        names = [n for n, in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite_%'")]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in names}
    finally:
        conn.close()


def applicants(db_file: Path) -> list[str]:
    conn = sqlite3.connect(db_file)
    try:
        return [r[0] for r in conn.execute("SELECT applicant_name FROM requests ORDER BY id")]
    finally:
        conn.close()


def folder_files(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file in the backup folder: (inode, mtime, sha256) by relative path."""
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in folder.rglob("*") if p.is_file()}


def blobs_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (folder / "blobs").glob("??/??/*")}


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


@pytest.fixture
def request_id(desk):
    return desk.create_request(new_request(applicant_name="Siti Aminah")).id


@pytest.fixture
def folder(tmp_path) -> Path:
    """The backup folder: another disk, as far as the office can tell."""
    path = tmp_path / "disk-lain" / "cadangan"
    path.mkdir(parents=True)
    return path


def backup(office, folder, **kw):
    return backup_to_folder(office.paths, office.db, office.store, folder, **kw)


def test_the_first_backup_copies_every_file_and_the_second_only_the_new_one(
        staffed_office, desk, request_id, folder):
    sizes = [desk.attach_file(request_id, jpeg(f"berkas {i}"), f"{i}.jpg").size for i in range(3)]
    first = backup(staffed_office, folder, now=DAY)
    assert (first.blobs, first.copied_files, first.copied_bytes) == (3, 3, sum(sizes))
    assert first.database == folder / "cadangan-20261127-090000.sqlite3" and first.manifest.is_file()
    before = folder_files(folder)

    new = desk.attach_file(request_id, jpeg("berkas baru"), "baru.jpg")
    second = backup(staffed_office, folder, now=DAY + timedelta(hours=1))
    assert (second.blobs, second.copied_files, second.copied_bytes) == (4, 1, new.size)
    after = folder_files(folder)
    assert {k: v for k, v in after.items() if k in before} == before, "an earlier file was rewritten"
    assert set(after) - set(before) == {"cadangan-20261127-100000.sqlite3", "cadangan-20261127-100000.json",
                                        f"blobs/{new.blob_sha256[:2]}/{new.blob_sha256[2:4]}/{new.blob_sha256}"}
    assert all(hashlib.sha256(data).hexdigest() == sha for sha, data in blobs_in(folder).items())
    assert [c.name for c in list_copies(folder)] == ["cadangan-20261127-090000", "cadangan-20261127-100000"]
    assert last_backup_time(folder) == DAY + timedelta(hours=1)


def test_fifteen_backups_keep_the_newest_fourteen_and_prune_files_none_needs(
        staffed_office, desk, request_id, folder):
    desk.attach_file(request_id, jpeg("KK"), "kk.jpg")
    stray = jpeg("sisa cadangan yang gagal")  # copied by a run that never finished
    sha = hashlib.sha256(stray).hexdigest()
    (folder / "blobs" / sha[:2] / sha[2:4]).mkdir(parents=True)
    (folder / "blobs" / sha[:2] / sha[2:4] / sha).write_bytes(stray)
    results = [backup(staffed_office, folder, now=DAY + timedelta(days=i), keep=14) for i in range(15)]
    copies = list_copies(folder)
    assert len(copies) == 14 and copies[0].name == "cadangan-20261128-090000"
    assert sorted(p.name for p in folder.glob("cadangan-*.sqlite3")) == sorted(c.database.name for c in copies)
    assert sorted(p.name for p in folder.glob("cadangan-*.json")) == sorted(c.manifest.name for c in copies)
    assert [r.removed_copies for r in results] == [0] * 14 + [1]
    assert results[-1].pruned_files == 1 and sha not in blobs_in(folder)
    assert [r.copied_files for r in results] == [1] + [0] * 14
    oldest_kept = Paths(folder.parent / "pulih")
    assert restore_from_folder(oldest_kept, folder, copies[0].name).blobs == 1


def test_a_damaged_file_in_the_folder_is_caught_and_the_office_is_left_as_it_was(
        staffed_office, desk, request_id, folder, tmp_path):
    shas = [desk.attach_file(request_id, jpeg(f"berkas {i}"), f"{i}.jpg").blob_sha256 for i in range(2)]
    backup(staffed_office, folder, now=DAY)
    damaged = folder / "blobs" / shas[1][:2] / shas[1][2:4] / shas[1]
    damaged.write_bytes(jpeg("PALSU"))
    target = Office.open(tmp_path / "lama")
    target.desk(Actor.system()).create_request(new_request(applicant_name="Pemohon Lama"))
    target.close()
    paths = Paths(tmp_path / "lama")
    db_before = paths.database_file.read_bytes()
    with pytest.raises(InvalidInput, match="rusak"):
        restore_from_folder(paths, folder)
    assert paths.database_file.read_bytes() == db_before
    assert applicants(paths.database_file) == ["Pemohon Lama"]
    assert not list(paths.blobs_dir.glob("??/??/*")), "a file was added before every file was checked"
    assert not list(paths.backups_dir.glob("sebelum-pulih-*"))


def test_a_damaged_database_copy_is_refused(staffed_office, request_id, folder, tmp_path):
    copy = backup(staffed_office, folder, now=DAY).database
    data = bytearray(copy.read_bytes())
    data[-100] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="sha256"):
        restore_from_folder(Paths(tmp_path / "baru"), folder)
    assert not (tmp_path / "baru" / "dikjamila.sqlite3").exists()


def test_a_restore_gives_back_equal_rows_and_files_and_any_chosen_copy(
        staffed_office, desk, request_id, folder, tmp_path):
    desk.attach_file(request_id, jpeg("KARTU KELUARGA"), "kk.jpg", requirement_code="kk")
    desk.add_note(request_id, "Pemohon minta dihubungi sore hari.")
    first = backup(staffed_office, folder, now=DAY)
    snapshot = rows(first.database)
    later = desk.create_request(new_request(applicant_name="Datang Belakangan"))
    desk.attach_file(later.id, jpeg("AKTA"), "akta.jpg")
    backup(staffed_office, folder, now=DAY + timedelta(days=1))

    newest = Paths(tmp_path / "terbaru")
    assert restore_from_folder(newest, folder).blobs == 2
    assert rows(newest.database_file) == rows(staffed_office.paths.database_file)
    office = Office.open(newest.data_dir)
    try:
        for att in office.desk(Actor.system()).get_request(later.id, record_view=False).attachments:
            assert office.store.read_bytes(att.blob_sha256) == staffed_office.store.read_bytes(att.blob_sha256)
            assert office.store.verify(att.blob_sha256)
    finally:
        office.close()

    chosen = Paths(tmp_path / "pilihan")
    restore_from_folder(chosen, folder, "cadangan-20261127-090000.sqlite3")
    assert rows(chosen.database_file) == snapshot
    assert "Datang Belakangan" not in applicants(chosen.database_file)
    with pytest.raises(InvalidInput, match="tidak ada di folder"):
        restore_from_folder(chosen, folder, "cadangan-20200101-000000")


def test_a_voice_note_a_resident_sent_comes_back_too(staffed_office, folder, tmp_path):
    """Files kept without the photo/PDF checks (kind "other") are restored as they were kept."""
    voice = tmp_path / "pesan-suara.ogg"
    voice.write_bytes(b"OggS\x00\x02" + os.urandom(5000))
    message = staffed_office.desk(Actor.system("wa")).store_incoming(incoming_event(
        "WA-1", "0813 5000 1111", file=voice, mime="audio/ogg", kind="audio"))
    assert message.file_kind == "other"
    backup(staffed_office, folder, now=DAY)
    target = Paths(tmp_path / "baru")
    assert restore_from_folder(target, folder).blobs == 1
    sha = message.blob_sha256
    assert (target.blobs_dir / sha[:2] / sha[2:4] / sha).read_bytes() == voice.read_bytes()


@pytest.mark.parametrize("where, refusal", [
    ("", "belum dipilih"),
    ("hilang", "tidak ada atau tidak terjangkau"),
    ("berkas.txt", "bukan folder"),
    ("<data>", "di dalam folder data"),
    ("<data>/backups", "di dalam folder data"),
    ("/proc", "tidak bisa ditulis"),
])
def test_a_folder_that_cannot_hold_a_backup_is_refused_and_nothing_is_written(
        staffed_office, request_id, tmp_path, where, refusal):
    if where == "/proc" and not Path("/proc/self").is_dir():
        pytest.skip("needs Linux /proc (a folder nobody may write in, not even root)")
    (tmp_path / "berkas.txt").write_text("bukan folder")
    data = staffed_office.paths.data_dir
    target = where.replace("<data>", str(data)) if where.startswith(("<", "/")) or not where else str(tmp_path / where)

    def files():
        return sorted(p for p in data.rglob("*") if not p.name.endswith(("-wal", "-shm")))

    assert staffed_office.store  # (opening the store makes its folders)
    (data / "backups").mkdir(exist_ok=True)
    before = files()
    with pytest.raises(InvalidInput, match=refusal):
        backup(staffed_office, target)
    assert files() == before
    assert not (tmp_path / "hilang").exists()


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc/self/mem (a file every read of fails)")
def test_an_unreadable_file_mid_run_leaves_earlier_copies_whole_and_the_next_run_completes(
        staffed_office, desk, request_id, folder):
    desk.attach_file(request_id, jpeg("lama"), "lama.jpg")
    backup(staffed_office, folder, now=DAY)
    before = folder_files(folder)
    new = sorted((desk.attach_file(request_id, jpeg(f"baru {i}"), f"b{i}.jpg") for i in range(2)),
                 key=lambda b: b.blob_sha256)
    broken = staffed_office.store.path(new[1].blob_sha256)  # copied after new[0] (files go in sha order)
    original = broken.read_bytes()
    os.chmod(broken, 0o644)
    broken.unlink()
    broken.symlink_to("/proc/self/mem")  # a real file whose every read fails (EIO), as a dying disk does
    with pytest.raises(UserError, match="tidak bisa dibaca") as refused:
        backup(staffed_office, folder, now=DAY + timedelta(days=1))
    assert "Salinan sebelumnya tidak berubah" in refused.value.message
    after = folder_files(folder)
    assert {k: v for k, v in after.items() if k in before} == before
    sha = new[0].blob_sha256
    assert set(after) - set(before) == {f"blobs/{sha[:2]}/{sha[2:4]}/{sha}"}, "only whole files may stay"
    assert not list((folder / "tmp").iterdir()) and not (folder / ".cadangan-berjalan").exists()
    assert last_backup_time(folder) == DAY

    broken.unlink()
    broken.write_bytes(original)  # the disk is replaced, the file comes back
    done = backup(staffed_office, folder, now=DAY + timedelta(days=1))
    assert (done.blobs, done.copied_files) == (3, 1)
    assert restore_from_folder(Paths(folder.parent / "pulih"), folder).blobs == 3


CHILD = """
import resource, signal, sys
from pathlib import Path
from dikjamila.backup_folder import backup_to_folder
from dikjamila.errors import UserError
from dikjamila.office import Office
from tests.whatsapp_support import incoming_event

office = Office.open(sys.argv[1])
limit = int(sys.argv[3])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    backup_to_folder(office.paths, office.db, office.store, sys.argv[2])
except UserError as exc:
    print(exc.message)
    sys.exit(3)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_disk_that_fills_up_mid_file_leaves_no_half_file_and_the_next_run_completes(
        staffed_office, desk, request_id, folder):
    desk.attach_file(request_id, jpeg("kecil"), "kecil.jpg")
    backup(staffed_office, folder, now=DAY)
    before = folder_files(folder)
    big = desk.attach_file(request_id, noise_jpeg(1500), "besar.jpg")
    assert big.size > 1_500_000
    staffed_office.close()
    limit = 1_000_000  # the database copy fits, the big photo does not
    assert max(p.stat().st_size for p in folder.glob("*.sqlite3")) < limit
    child = subprocess.run([sys.executable, "-c", CHILD, str(staffed_office.paths.data_dir), str(folder), str(limit)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert child.returncode == 3, child.stderr
    assert "Salinan cadangan sebelumnya tidak berubah" in child.stdout
    after = folder_files(folder)
    assert after == before, "the failed run left a file behind or changed one"
    assert not list((folder / "tmp").iterdir())

    office = Office.open(staffed_office.paths.data_dir)
    try:
        done = backup(office, folder, now=DAY + timedelta(days=1))
    finally:
        office.close()
    assert (done.copied_files, done.copied_bytes) == (1, big.size)
    assert blobs_in(folder)[big.blob_sha256] == staffed_office.paths.blobs_dir.joinpath(
        big.blob_sha256[:2], big.blob_sha256[2:4], big.blob_sha256).read_bytes()


def test_another_run_writing_to_the_folder_is_waited_for_and_a_dead_ones_lock_is_taken_over(
        staffed_office, request_id, folder):
    lock = folder / ".cadangan-berjalan"
    lock.write_text("pc-lain/4242/abcdef")
    with pytest.raises(UserError, match="sedang ditulis"):
        backup(staffed_office, folder, now=DAY)
    assert list_copies(folder) == []
    from dikjamila.db.dialects.claimants import this_host

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    lock.write_text(f"{this_host()}/{dead.stdout.strip()}/abcdef")  # a run on this PC whose process has ended
    assert backup(staffed_office, folder, now=DAY).blobs == 0
    assert not lock.exists()


def test_daily_backup_is_due_once_per_office_day():
    on = Settings(backup_dir="E:/cadangan")
    late_evening = datetime(2026, 11, 27, 15, 59, tzinfo=UTC)  # 23:59 WITA
    assert due_for_backup(on, None, late_evening)
    assert not due_for_backup(on, late_evening - timedelta(hours=15), late_evening)  # 08:59 WITA, same day
    assert due_for_backup(on, late_evening, late_evening + timedelta(minutes=2))  # 00:01 WITA, the next day
    assert not due_for_backup(Settings(backup_dir=""), None, late_evening)
    assert not due_for_backup(Settings(backup_dir="E:/cadangan", backup_daily=False), None, late_evening)


def test_the_scheduled_run_reads_the_last_backup_from_the_folder(staffed_office, request_id, folder):
    staffed_office.settings.backup_dir = str(folder)
    assert backup_if_due(staffed_office, now=DAY) is not None
    assert backup_if_due(staffed_office, now=DAY + timedelta(hours=6)) is None  # 15:00 WITA, same day
    assert backup_if_due(staffed_office, now=DAY + timedelta(hours=16)) is not None  # 01:00 WITA, next day
    assert len(list_copies(folder)) == 2


@pytest.mark.both_engines
def test_a_server_database_is_refused_like_the_zip_backup(office, folder, db_engine):
    if db_engine == "sqlite":
        assert backup(office, folder).blobs == 0
        return
    with pytest.raises(UserError, match="pg_dump"):
        backup(office, folder)
    assert list(folder.iterdir()) == []


@pytest.fixture
def root_logging():
    """A command that opens an office logs to its data dir: put the root logger back afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    close_logging()
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)


def test_the_command_line_backs_up_lists_and_restores(staffed_office, desk, request_id, folder, tmp_path, capsys,
                                                      root_logging):
    desk.attach_file(request_id, jpeg("KK"), "kk.jpg")
    data = str(staffed_office.paths.data_dir)
    staffed_office.close()
    assert cli_main(["backup-folder", "--data-dir", data, "--folder", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "1 berkas baru disalin" in out and "cadangan-" in out
    assert cli_main(["backup-folder", "--data-dir", data, "--folder", str(folder)]) == 0
    assert "0 berkas baru disalin" in capsys.readouterr().out
    assert cli_main(["backup-folder", "--data-dir", data, "--folder", str(folder), "--list"]) == 0
    listed = capsys.readouterr().out
    assert listed.count("cadangan-") == 2
    target = tmp_path / "pulih"
    assert cli_main(["restore-folder", "--data-dir", str(target), "--folder", str(folder)]) == 0
    assert "Dipulihkan" in capsys.readouterr().out
    assert applicants(target / "dikjamila.sqlite3") == ["Siti Aminah"]
    assert cli_main(["backup-folder", "--data-dir", data, "--folder", str(tmp_path / "tidak-ada")]) == 2
    assert "tidak ada atau tidak terjangkau" in capsys.readouterr().err
    manifest = json.loads(list_copies(folder)[0].manifest.read_text())
    assert manifest["copied_files"] == 1 and len(manifest["blobs"]) == 1
