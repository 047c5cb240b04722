"""Backup to a zip and restore from it: identical data, consistent snapshots, hostile archives refused."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from dikjamila import audit
from dikjamila.auth.roles import Actor
from dikjamila.backup import DB_ENTRY, MANIFEST, backup, restore
from dikjamila.config import Paths
from dikjamila.demo.paperwork import document_pdf
from dikjamila.desk import InboxFilter
from dikjamila.errors import InvalidInput
from dikjamila.office import Office

from .conftest import new_request


def jpeg(text: str) -> bytes:
    img = Image.new("RGB", (640, 480), (235, 230, 220))
    ImageDraw.Draw(img).text((40, 200), text, fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def query(db_file: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db_file)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def tables(db_file: Path) -> dict[str, list[tuple]]:
    """Every table's rows (FTS shadow tables included), and the schema itself."""
    names = query(db_file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    dump = {name: query(db_file, f'SELECT * FROM "{name}" ORDER BY 1') for name, in names}
    dump["<schema>"] = query(db_file, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
    return dump


def applicants(db_file: Path) -> list[str]:
    return [r[0] for r in query(db_file, "SELECT applicant_name FROM requests ORDER BY id")]


def blob_files(store_root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in store_root.glob("??/??/*")}


@pytest.fixture
def busy_office(staffed_office, staff):
    """Requests with photos and PDFs, notes, claims, status changes and a rejection."""
    sari = staffed_office.desk(staff["sari"])
    first = sari.create_request(new_request(applicant_name="Siti Aminah"))
    sari.claim(first.id)
    sari.advance(first.id, "diperiksa")
    sari.attach_file(first.id, jpeg("KARTU KELUARGA"), "WhatsApp Image.jpeg", requirement_code="kk")
    sari.attach_file(first.id, document_pdf("SURAT KETERANGAN LAHIR", holder="Siti Aminah"), "lahir.pdf",
                     requirement_code="surat_kelahiran")
    sari.add_note(first.id, "Pemohon minta dihubungi sore hari.")
    second = sari.create_request(new_request(applicant_name="Ahmad Fauzi", applicant_phone="0852-1111-2222"))
    sari.attach_file(second.id, jpeg("KTP AYAH"), "ktp.jpg")
    sari.reject(second.id, "Bukan warga Kabupaten Balangan")
    sari.create_request(new_request(applicant_name="Noor Aisyah", service_code="kia"))
    return staffed_office


def test_restore_into_a_new_data_dir_gives_identical_tables_blobs_and_audit(busy_office, tmp_path):
    src = busy_office
    result = backup(src.paths, src.db, src.store, tmp_path / "arsip.zip")
    assert result.path == tmp_path / "arsip.zip" and result.blobs == 3
    assert result.bytes == sum(len(b) for b in blob_files(src.paths.blobs_dir).values())

    target = Paths(tmp_path / "baru")
    restored = restore(target, result.path)
    assert restored.path == target.database_file and restored.blobs == 3

    before, after = tables(src.paths.database_file), tables(target.database_file)
    assert {"requests", "attachments", "notes", "audit_events", "request_search"} <= set(before)
    assert after == before
    source_blobs = blob_files(src.paths.blobs_dir)
    assert blob_files(target.blobs_dir) == source_blobs and len(source_blobs) == 3

    copy = Office.open(target.data_dir)
    try:
        assert copy.db.migration_backup is None
        with copy.db.reading() as session:
            assert audit.verify(session) == []
            assert audit.count(session) > 10
        for search in ("aminah", "0852 1111 2222", "BLG", "noor"):
            flt = InboxFilter(text=search)
            theirs = src.desk(Actor.system()).inbox(flt).rows
            assert copy.desk(Actor.system()).inbox(flt).rows == theirs and theirs
        for att in copy.desk(Actor.system()).get_request(1, record_view=False).attachments:
            assert copy.store.verify(att.blob_sha256)
            assert copy.store.read_bytes(att.blob_sha256) == src.store.read_bytes(att.blob_sha256)
    finally:
        copy.close()


def test_backup_while_another_thread_writes_is_a_consistent_snapshot(busy_office, staff, tmp_path):
    desk = busy_office.desk(staff["budi"])
    request_id = desk.create_request(new_request(applicant_name="Penulis Sibuk")).id
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer():
        try:
            while not stop.is_set():
                desk.add_note(request_id, "catatan bersamaan")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        archives = [backup(busy_office.paths, busy_office.db, busy_office.store, tmp_path / f"a{i}.zip").path
                    for i in range(5)]
    finally:
        stop.set()
        thread.join()
    assert not errors
    notes_seen = []
    for i, archive in enumerate(archives):
        with zipfile.ZipFile(archive) as zf:
            snapshot = tmp_path / f"snap{i}.sqlite3"
            snapshot.write_bytes(zf.read(DB_ENTRY))
        [(notes,)] = query(snapshot, "SELECT count(*) FROM notes WHERE request_id = ?", request_id)
        [(events,)] = query(snapshot, "SELECT count(*) FROM audit_events WHERE action = 'request.note' "
                                      "AND entity_id = ?", str(request_id))
        [(count,)] = query(snapshot, "SELECT value FROM meta WHERE key = 'audit_count'")
        [(total,)] = query(snapshot, "SELECT count(*) FROM audit_events")
        assert notes == events and int(count) == total  # each written in one transaction
        notes_seen.append(notes)
    assert notes_seen == sorted(notes_seen) and notes_seen[-1] > notes_seen[0]  # writes went on meanwhile


def test_archive_holds_the_moment_of_the_backup_not_later_writes(busy_office, staff, tmp_path):
    result = backup(busy_office.paths, busy_office.db, busy_office.store, tmp_path / "arsip.zip")
    desk = busy_office.desk(staff["sari"])
    later = desk.create_request(new_request(applicant_name="Datang Belakangan"))
    desk.attach_file(later.id, jpeg("DOKUMEN BARU"), "baru.jpg")
    target = Paths(tmp_path / "baru")
    restore(target, result.path)
    copy = Office.open(target.data_dir)
    try:
        numbers = [r.number for r in copy.desk(Actor.system()).inbox().rows]
        assert later.number not in numbers and len(numbers) == 3
        assert not copy.desk(Actor.system()).inbox(InboxFilter(text="belakangan")).rows
    finally:
        copy.close()
    assert len(blob_files(target.blobs_dir)) == 3


def _office_with_one_request(folder: Path, name: str) -> Path:
    office = Office.open(folder)
    office.desk(Actor.system()).create_request(new_request(applicant_name=name))
    office.close()
    return folder


def test_restore_over_an_office_keeps_its_old_database(busy_office, tmp_path):
    archive = backup(busy_office.paths, busy_office.db, busy_office.store, tmp_path / "arsip.zip").path
    target = Paths(_office_with_one_request(tmp_path / "lama", "Pemohon Lama"))
    restore(target, archive)
    kept = list(target.backups_dir.glob("sebelum-pulih-*.sqlite3"))
    assert [applicants(k) for k in kept] == [["Pemohon Lama"]]
    assert not Path(f"{target.database_file}-wal").exists()
    assert applicants(target.database_file) == ["Siti Aminah", "Ahmad Fauzi", "Noor Aisyah"]


def test_two_restores_in_a_row_keep_both_old_databases(busy_office, tmp_path):
    archive = backup(busy_office.paths, busy_office.db, busy_office.store, tmp_path / "arsip.zip").path
    target = Paths(_office_with_one_request(tmp_path / "lama", "Pemohon Lama"))
    restore(target, archive)
    restore(target, archive)  # e.g. a wrong archive, then the right one
    names = [name for k in target.backups_dir.glob("sebelum-pulih-*.sqlite3") for name in applicants(k)]
    assert "Pemohon Lama" in names, "the office's original database was overwritten"


# -- the office's own limits ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def archive_with_big_files(tmp_path_factory) -> Path:
    """A backup of an office whose limit is 60 MP: a 56 MP photo (a few kB) and a 1.3 MB one."""
    folder = tmp_path_factory.mktemp("besar") / "kantor"
    folder.mkdir()
    (folder / "settings.toml").write_text("max_image_megapixels = 60\n", encoding="utf-8")
    many_pixels, many_bytes = io.BytesIO(), io.BytesIO()
    Image.new("1", (8000, 7000), 0).save(many_pixels, format="PNG")
    Image.frombytes("RGB", (1100, 1100), os.urandom(1100 * 1100 * 3)).save(many_bytes, "JPEG", quality=95)
    assert len(many_bytes.getvalue()) > 1024 * 1024
    office = Office.open(folder)
    try:
        desk = office.desk(Actor.system())
        request_id = desk.create_request(new_request(applicant_name="Foto Besar")).id
        desk.attach_file(request_id, many_pixels.getvalue(), "56-megapiksel.png")
        desk.attach_file(request_id, many_bytes.getvalue(), "1-mb.jpg")
        return backup(office.paths, office.db, office.store, folder.parent / "arsip.zip").path
    finally:
        office.close()


def test_restore_keeps_photos_the_offices_pixel_limit_allows(archive_with_big_files, tmp_path):
    """The office allows 60 MP: restore must not hold its photos to the 50 MP default."""
    target = Paths(tmp_path / "baru")
    target.data_dir.mkdir()
    target.settings_file.write_text("max_image_megapixels = 60\n", encoding="utf-8")
    assert restore(target, archive_with_big_files).blobs == 2
    assert len(blob_files(target.blobs_dir)) == 2
    assert applicants(target.database_file) == ["Foto Besar"]


@pytest.mark.parametrize("settings, refusal", [
    ("", "lebih dari 50 megapiksel"),
    ("max_image_megapixels = 60\nmax_attachment_mb = 1\n", "melebihi batas 1 MB"),
])
def test_restore_refuses_files_over_the_offices_limits_and_keeps_its_database(
        archive_with_big_files, tmp_path, settings, refusal):
    target = Paths(_office_with_one_request(tmp_path / "lama", "Pemohon Lama"))
    target.settings_file.write_text(settings, encoding="utf-8")
    with pytest.raises(InvalidInput, match=refusal):
        restore(target, archive_with_big_files)
    assert applicants(target.database_file) == ["Pemohon Lama"]
    assert not list(target.backups_dir.glob("sebelum-pulih-*"))


# -- hostile archives ---------------------------------------------------------------------------

def _rewrite(good: Path, bad: Path, *, drop=(), replace=None, add=None) -> Path:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, data in (add or {}).items():
            dst.writestr(zipfile.ZipInfo(name), data)
    return bad


def _manifest(good: Path, **changes) -> bytes:
    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read(MANIFEST))
    manifest.update(changes)
    return json.dumps(manifest).encode()


HOSTILE = {
    "dot-dot": (lambda g, b: _rewrite(g, b, add={"../evil": b"x"}), "berbahaya"),
    "dot-dot-deep": (lambda g, b: _rewrite(g, b, add={"blobs/../../evil": b"x"}), "berbahaya"),
    "absolute": (lambda g, b: _rewrite(g, b, add={"/tmp/evil": b"x"}), "berbahaya"),
    "no-manifest": (lambda g, b: _rewrite(g, b, drop={MANIFEST}), "bukan arsip cadangan"),
    "no-database": (lambda g, b: _rewrite(g, b, drop={DB_ENTRY}), "bukan arsip cadangan"),
    "blob-not-in-zip": (lambda g, b: _rewrite(g, b, replace={MANIFEST: _manifest(
        g, blobs=json.loads(_manifest(g))["blobs"] + ["ab" * 32])}), "tidak lengkap"),
    "database-sha-mismatch": (lambda g, b: _rewrite(g, b, replace={MANIFEST: _manifest(
        g, database_sha256="0" * 64)}), "sha256"),
    "not-a-zip": (lambda g, b: (b.write_bytes(b"%PDF-1.4 bukan zip" * 50), b)[1], "bukan arsip"),
    "missing": (lambda g, b: b.with_name("tidak-ada.zip"), "tidak-ada.zip tidak ditemukan"),
    "a-folder": (lambda g, b: (b.with_name("folder.zip").mkdir(), b.with_name("folder.zip"))[1], "adalah folder"),
    "manifest-not-json": (lambda g, b: _rewrite(g, b, replace={MANIFEST: b"{rusak"}), "arsip"),
    "blob-content-not-its-name": (lambda g, b: _rewrite(g, b, replace={
        f"blobs/{json.loads(_manifest(g))['blobs'][-1]}": jpeg("PALSU")}), "rusak"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_archive_is_refused_and_changes_nothing(busy_office, tmp_path, case):
    good = backup(busy_office.paths, busy_office.db, busy_office.store, tmp_path / "baik.zip").path
    make, expected = HOSTILE[case]
    bad = make(good, tmp_path / "jahat.zip")
    target = Paths(_office_with_one_request(tmp_path / "sasaran", "Pemohon Lama"))
    db_before = target.database_file.read_bytes()
    files_before = sorted(p.relative_to(target.data_dir) for p in target.data_dir.rglob("*"))
    with pytest.raises(InvalidInput) as err:
        restore(target, bad)
    assert expected in err.value.message
    assert target.database_file.read_bytes() == db_before
    assert blob_files(target.blobs_dir) == {}
    assert sorted(p.relative_to(target.data_dir) for p in target.data_dir.rglob("*")) == files_before
    assert not (tmp_path / "evil").exists() and not Path("/tmp/evil").exists()


# -- command line -------------------------------------------------------------------------------

def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DIKJAMILA_HOME"}
    env.update(XDG_DATA_HOME=str(cwd / ".xdg-data"), XDG_CONFIG_HOME=str(cwd / ".xdg-config"))
    return subprocess.run([sys.executable, "-m", "dikjamila.cli.main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_backup_then_restore_gives_the_same_inbox(busy_office, tmp_path):
    a = busy_office.paths.data_dir
    busy_office.close()
    made = cli("backup", "--data-dir", str(a), "--output", "X.zip", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "3 lampiran" in made.stdout and (tmp_path / "X.zip").is_file()
    done = cli("restore", "X.zip", "--data-dir", "B", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Dipulihkan" in done.stdout
    inbox_a = cli("inbox", "--data-dir", str(a), "--json", cwd=tmp_path)
    inbox_b = cli("inbox", "--data-dir", "B", "--json", cwd=tmp_path)
    assert inbox_a.returncode == inbox_b.returncode == 0
    rows = json.loads(inbox_b.stdout)
    assert rows == json.loads(inbox_a.stdout) and len(rows) == 3
    bad = cli("restore", "X.zip.tidak-ada", "--data-dir", "C", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("Galat:")


def test_a_voice_note_a_resident_sent_comes_back_from_the_archive(staffed_office, tmp_path):
    """Files kept without the photo/PDF checks (kind "other": voice notes, documents from
    WhatsApp) are restored as they were kept, not refused as unreadable photos."""
    from tests.whatsapp_support import incoming_event

    voice = tmp_path / "pesan-suara.ogg"
    voice.write_bytes(b"OggS\x00\x02" + os.urandom(5000))
    message = staffed_office.desk(Actor.system("wa")).store_incoming(incoming_event(
        "WA-1", "0813 5000 1111", file=voice, mime="audio/ogg", kind="audio"))
    assert message.file_kind == "other"
    result = backup(staffed_office.paths, staffed_office.db, staffed_office.store, tmp_path / "arsip.zip")
    target = Paths(tmp_path / "baru")
    assert restore(target, result.path).blobs == 1
    sha = message.blob_sha256
    assert (target.blobs_dir / sha[:2] / sha[2:4] / sha).read_bytes() == voice.read_bytes()


def test_an_office_restored_from_a_zip_is_the_same_office_to_its_folder_backups(staffed_office, tmp_path):
    """The archive carries the office's id even when no folder backup ever asked for it."""
    from dikjamila.office_id import office_id

    result = backup(staffed_office.paths, staffed_office.db, staffed_office.store, tmp_path / "arsip.zip")
    target = Paths(tmp_path / "baru")
    restore(target, result.path)
    restored = Office.open(target.data_dir)
    try:
        assert office_id(restored.db) == office_id(staffed_office.db)
    finally:
        restored.close()
