"""`dikjamila migrate-to`: the demo office moved onto a fresh PostgreSQL database, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select

from dikjamila.db.database import Database
from dikjamila.db.models import Base
from dikjamila.files.db_store import blob_digest
from dikjamila.migrate_to import (
    BLOB_TABLES,
    STORAGE_SETTING_KEY,
    MigrationState,
    migrate_to,
)
from dikjamila.office import Office
from tests.pg_support import point_at

from .conftest import new_request
from .test_cli import cli  # the same command runner, one place

COUNT = 30


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A demo office made once by `dikjamila demo` (its SQLite file and blobs folder)."""
    cwd = tmp_path_factory.mktemp("demo")
    made = cli("demo", "--data-dir", "D", "--count", str(COUNT), cwd=cwd)
    assert made.returncode == 0, made.stderr
    return cwd / "D"


@pytest.fixture
def target(pg_server, request):
    """The URL of a new, empty PostgreSQL database (dropped afterwards)."""
    name = f"dj_move_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    pg_server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_server.admin(f'CREATE DATABASE "{name}"')
    yield pg_server.url(name)
    pg_server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copied_tables():
    return [t for t in Base.metadata.sorted_tables if t.name not in BLOB_TABLES]


def all_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every copied table, by primary key, as the models read them."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                    for t in copied_tables()}
    finally:
        engine.dispose()


def source_blobs(demo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (demo / "blobs").rglob("*") if p.is_file() and len(p.name) == 64}


def test_the_demo_moves_with_every_row_and_file_equal(demo, target, tmp_path):
    before = all_rows(f"sqlite:///{demo / 'dikjamila.sqlite3'}")
    moved = cli("migrate-to", "--data-dir", str(demo), "--db-url", target, cwd=tmp_path)
    assert moved.returncode == 0, moved.stdout + moved.stderr
    out = moved.stdout
    for t in copied_tables():
        n = len(before[t.name])
        assert f"\n{t.name} " in out and any(line.split()[:3] == [t.name, str(n), str(n)] and
                                             line.endswith("sama") for line in out.splitlines()), t.name
    blobs = source_blobs(demo)
    assert len(blobs) > COUNT
    assert f"berkas lampiran (sha256 sama)  {len(blobs):>9}  {len(blobs):>9}  sama" in out
    assert "Jejak audit di tujuan utuh" in out and "Semua sama" in out
    assert 'database_url = "postgresql+psycopg://' in out and "attachment_storage" not in out  # "auto" will do
    assert before["requests"] and before["audit_events"]

    # Every value of every row, timestamps to the microsecond; every file's bytes from the server.
    assert all_rows(target) == before
    db = Database(target, run_migrations=False)
    try:
        with db.reading() as s:
            for sha, data in blobs.items():
                assert blob_digest(s.connection(), sha) == (sha, len(data))
    finally:
        db.close()

    # A workstation pointed at the server: audit chain verifies, search works, files open.
    pc = tmp_path / "pc2"
    point_at(pc, target)
    verified = cli("audit", "verify", "--data-dir", str(pc), cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    newest = max(before["requests"], key=lambda r: r[0])
    number, name = newest[2], newest[5]
    found = cli("inbox", "--data-dir", str(pc), "--json", "--search", number, cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert [r["number"] for r in json.loads(found.stdout)] == [number]
    office = Office.open(pc)
    try:
        desk = office.desk(office.actor_for("admin"))
        req_id = before["attachments"][0][1]
        detail = desk.get_request(req_id)  # records a view: the chain goes on from the copied head
        assert detail.attachments
        for att in detail.attachments:
            assert desk.blob_path(att.blob_sha256).read_bytes() == blobs[att.blob_sha256]
        made = desk.create_request(new_request(applicant_name=name))
        assert made.id > newest[0]  # the id sequence continues after the copied ids
    finally:
        office.close()
    assert cli("audit", "verify", "--data-dir", str(pc), cwd=tmp_path).returncode == 0


def test_a_target_holding_data_is_refused_with_nothing_written(demo, target, tmp_path):
    engine = create_engine(target)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE catatan_lain (isi text)")
        conn.exec_driver_sql("INSERT INTO catatan_lain VALUES ('milik orang lain')")
    refused = cli("migrate-to", "--data-dir", str(demo), "--db-url", target, cwd=tmp_path)
    assert refused.returncode == 2
    assert "sudah berisi data (tabel catatan_lain); tidak ada yang ditulis" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert inspect(engine).get_table_names() == ["catatan_lain"]  # not even the schema was made
    engine.dispose()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("url, words", [
    (f"postgresql+psycopg://dikjamila:rahasia@127.0.0.1:{_closed_port()}/dikjamila", "tidak bisa dihubungi"),
    ("postgres:/salah ketik", "tidak sah"),
    ("sqlite:///kantor.sqlite3", "bukan berkas SQLite"),
])
def test_a_bad_or_unreachable_target_is_an_indonesian_message(demo, tmp_path, url, words):
    done = cli("migrate-to", "--data-dir", str(demo), "--db-url", url, cwd=tmp_path)
    assert done.returncode == 2 and words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "rahasia" not in done.stderr + done.stdout


def test_a_missing_database_on_the_server_is_an_indonesian_message(demo, pg_server, tmp_path):
    done = cli("migrate-to", "--data-dir", str(demo), "--db-url", pg_server.url("tidak_ada"), cwd=tmp_path)
    assert done.returncode == 2 and "tidak bisa dihubungi atau menolak masuk" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_interruption_halfway_leaves_no_row_and_a_second_run_succeeds(demo, target, monkeypatch):
    import dikjamila.migrate_to as mod

    real, calls = mod.write_blob, []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl+C while the files are being copied
        return real(*args, **kwargs)

    office = Office.open(demo)
    try:
        monkeypatch.setattr(mod, "write_blob", interrupted)
        state = MigrationState()
        with pytest.raises(KeyboardInterrupt):
            migrate_to(office.db, office.store, target, state=state)
        assert not state.committed
        assert all(not rows for rows in all_rows(target).values())
        monkeypatch.setattr(mod, "write_blob", real)
        report = migrate_to(office.db, office.store, target)
        assert report.ok, report
    finally:
        office.close()


def test_files_may_stay_in_the_shared_folder(demo, target, tmp_path):
    office_dir = Path(shutil.copytree(demo, tmp_path / "D"))
    # The office's settings are in its database (they win over a PC's file): on the server,
    # "auto" would mean "database", so the storage setting follows --blobs.
    conn = sqlite3.connect(office_dir / "dikjamila.sqlite3")
    with conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (STORAGE_SETTING_KEY, '"auto"'))
    conn.close()
    office = Office.open(office_dir)
    try:
        report = migrate_to(office.db, office.store, target, blobs="folder")
        assert report.ok and report.checks[-1].target == len(source_blobs(office_dir))
    finally:
        office.close()
    db = Database(target, run_migrations=False)
    try:
        with db.reading() as s:
            assert s.connection().exec_driver_sql("SELECT count(*) FROM blobs").scalar() == 0
            assert s.connection().exec_driver_sql(
                f"SELECT value FROM meta WHERE key = '{STORAGE_SETTING_KEY}'").scalar() == '"folder"'
    finally:
        db.close()
    moved = tmp_path / "pc2"
    point_at(moved, target)
    with (moved / "settings.toml").open("a", encoding="utf-8") as f:
        f.write(f"attachment_storage = \"folder\"\nattachment_folder = '{office_dir / 'blobs'}'\n")
    pc = Office.open(moved)
    try:
        desk = pc.desk(pc.actor_for("admin"))
        att = desk.get_request(all_rows(target)["attachments"][0][1], record_view=False).attachments[0]
        assert desk.blob_path(att.blob_sha256).is_relative_to(office_dir / "blobs")
    finally:
        pc.close()
