"""Schema migrations on open: a new database, one made by the previous revision, down and up again."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import inspect

from dikjamila.auth.roles import Actor
from dikjamila.config import DATABASE_FILE
from dikjamila.db import migrate
from dikjamila.db.database import Database
from dikjamila.db.dialects.sqlite import BUSY_TIMEOUT_MS, FTS_TABLE
from dikjamila.db.models import Base
from dikjamila.desk import InboxFilter
from dikjamila.office import Office
from tests.old_office import REQUEST_SQL, make_old_office

TRIGGERS = {"requests_search_ai", "requests_search_ad", "requests_search_au"}

def _revision(db_file) -> str:
    conn = sqlite3.connect(db_file)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def _names(engine, kind: str) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = ?", (kind,))}


@pytest.fixture
def old_data_dir(tmp_path):
    """A data dir whose database was made by revision 0001 and holds a user and two requests."""
    data_dir = make_old_office(tmp_path / "kantor")
    db = Database(f"sqlite:///{data_dir / DATABASE_FILE}", run_migrations=False)
    assert FTS_TABLE not in _names(db.engine, "table")
    db.close()
    return data_dir


def test_new_data_dir_is_migrated_to_head_with_every_table_and_the_pragmas(tmp_path):
    office = Office.open(tmp_path / "baru")
    try:
        engine = office.db.engine
        assert migrate.current_revision(engine) == migrate.head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert {"alembic_version", FTS_TABLE} <= tables
        assert TRIGGERS <= _names(engine, "trigger")
        assert office.db.migration_backup is None  # an empty database has nothing to keep
        assert not office.paths.backups_dir.exists()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS > 0
    finally:
        office.close()
    assert (tmp_path / "baru" / DATABASE_FILE).is_file()


def test_every_new_connection_gets_the_pragmas(tmp_path):
    office = Office.open(tmp_path / "baru")
    try:
        # Two connections at once: the second is a fresh DBAPI connection, not the pooled one.
        with office.db.engine.connect() as first, office.db.engine.connect() as second:
            for conn in (first, second):
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
            with pytest.raises(Exception, match="FOREIGN KEY"):
                second.exec_driver_sql("INSERT INTO notes (request_id, body, created_at) "
                                       "VALUES (999, 'x', '2026-11-20 00:00:00')")
    finally:
        office.close()


def test_database_of_previous_revision_is_upgraded_searchable_and_copied_first(old_data_dir):
    office = Office.open(old_data_dir)
    try:
        assert migrate.current_revision(office.db.engine) == migrate.head_revision()
        desk = office.desk(Actor.system())
        rows = desk.inbox(InboxFilter()).rows
        assert [r.number for r in rows] == ["BLG-20261120-0002", "BLG-20261120-0001"]
        assert rows[1].assignee_name == "Sari Operator"

        def found(text):
            return [r.number for r in desk.inbox(InboxFilter(text=text)).rows]

        # The FTS index was filled from rows that existed before it.
        assert found("aminah") == ["BLG-20261120-0001"]
        assert found("Fauzi") == ["BLG-20261120-0002"]
        assert found("0852-1111-2222") == ["BLG-20261120-0002"]
        assert found("6311054506900003") == ["BLG-20261120-0001"]
        assert found("Rizky") == ["BLG-20261120-0002"]  # subject name is indexed too
        assert found("bukanadanama") == []

        copy = office.db.migration_backup
        assert copy is not None and copy.is_file()
        assert copy.parent == old_data_dir / "backups"
        assert copy.name.startswith("sebelum-migrasi-0001-")
    finally:
        office.close()
    assert _revision(copy) == "0001"
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT number FROM requests ORDER BY id").fetchall() == [
            ("BLG-20261120-0001",), ("BLG-20261120-0002",)]
        assert conn.execute("SELECT username FROM users").fetchall() == [("sari",)]
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchall()
    finally:
        conn.close()


def test_new_requests_after_the_upgrade_are_searchable(old_data_dir):
    from .conftest import new_request

    office = Office.open(old_data_dir)
    try:
        desk = office.desk(Actor.system())
        created = desk.create_request(new_request(applicant_name="Hj. Mahmudah"))
        assert [r.number for r in desk.inbox(InboxFilter(text="mahmudah")).rows] == [created.number]
        assert desk.count() == 3
    finally:
        office.close()


def test_opening_a_current_database_makes_no_copy(old_data_dir):
    Office.open(old_data_dir).close()
    backups = old_data_dir / "backups"
    before = sorted(p.name for p in backups.iterdir())
    assert len(before) == 1
    office = Office.open(old_data_dir)
    try:
        assert office.db.migration_backup is None
    finally:
        office.close()
    assert sorted(p.name for p in backups.iterdir()) == before


def _run(engine, action, revision):
    migrate.run(engine, action, revision)


def test_downgrade_to_0001_then_upgrade_rebuilds_the_search_index(old_data_dir):
    office = Office.open(old_data_dir)
    engine = office.db.engine
    desk = office.desk(Actor.system())
    try:
        _run(engine, command.downgrade, "0001")
        assert migrate.current_revision(engine) == "0001"
        assert FTS_TABLE not in _names(engine, "table")
        assert not TRIGGERS & _names(engine, "trigger")
        with engine.begin() as conn:  # a row written while there is no index
            conn.exec_driver_sql(REQUEST_SQL, (3, "00000000-0000-0000-0000-000000000003", "BLG-20261121-0001",
                                               "Noor Aisyah", "+6281311112222", "6311054506900011", "Bayi",
                                               None, "2026-11-21 02:00:00.000000",
                                               "2026-11-21 02:00:00.000000", "2026-11-22 02:00:00.000000"))
        _run(engine, command.upgrade, "head")
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert TRIGGERS <= _names(engine, "trigger")
        with engine.connect() as conn:
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {FTS_TABLE}").scalar() == 3
        assert [r.number for r in desk.inbox(InboxFilter(text="noor")).rows] == ["BLG-20261121-0001"]
        assert [r.number for r in desk.inbox(InboxFilter(text="aminah")).rows] == ["BLG-20261120-0001"]
    finally:
        office.close()


def test_downgrade_and_upgrade_keep_the_rows_of_every_table(staffed_office, staff):
    """Going back a revision must not lose notes or files (SQLite table rebuilds cascade deletes)."""
    import io

    from PIL import Image

    from .conftest import new_request

    desk = staffed_office.desk(staff["sari"])
    req = desk.create_request(new_request())
    desk.add_note(req.id, "Berkas asli sudah dilihat.")
    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 190, 180)).save(photo, "JPEG")
    desk.attach_file(req.id, photo.getvalue(), "kk.jpg", requirement_code="kk")
    engine = staffed_office.db.engine

    # The change log (0005) only tells watchers what changed lately, and a link's state (0006) is
    # rewritten by its supervisor at start: neither is kept across a downgrade. The import log
    # and the watched-folder tray (0007) go too; the tray's files stay in the store and a rescan
    # of the folders finds them again.
    # The blob tables (0009) are empty here (SQLite keeps files in a folder); going below 0009
    # with files in them is refused by the migration itself. So are the kiosk inbox tables (0012)
    # with arrived submissions not taken yet.
    kept = [t for t in Base.metadata.tables if t not in ("change_log", "whatsapp_links", "imports", "loose_files",
                                                         "blobs", "blob_chunks") and not t.startswith("kiosk_")]

    def counts():
        with engine.connect() as conn:
            return {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() for t in kept}

    before = counts()
    assert before["notes"] == before["attachments"] == 1
    _run(engine, command.downgrade, "0001")
    assert counts() == before
    _run(engine, command.upgrade, "head")
    assert counts() == before
    assert [r.number for r in desk.inbox(InboxFilter(text="aminah")).rows] == [req.number]


def test_downgrade_to_base_and_back_leaves_a_working_empty_schema(tmp_path):
    office = Office.open(tmp_path / "kantor")
    engine = office.db.engine
    try:
        _run(engine, command.downgrade, "base")
        assert migrate.current_revision(engine) is None
        assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
        assert migrate.upgrade(engine, backup_dir=tmp_path / "kopi") is None  # no revision: nothing to copy
        assert not (tmp_path / "kopi").exists()
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        office.close()


def test_migration_files_are_named_after_their_revision_and_the_newest_is_the_head():
    """The open's fast path (`migrate.newest_revision_file`) reads the head from file names."""
    import importlib.util

    for path in sorted((migrate.MIGRATIONS_DIR / "versions").glob("[0-9]*.py")):
        spec = importlib.util.spec_from_file_location(f"_rev_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.revision == path.name[:4], path.name
    assert migrate.newest_revision_file() == migrate.head_revision()


def test_opening_an_up_to_date_office_does_not_load_alembic(tmp_path):
    """Start-up (issue 12): Alembic is loaded only when there is something to migrate."""
    import subprocess
    import sys

    Office.open(tmp_path / "kantor").close()  # made and migrated to head
    script = ("import sys\nfrom dikjamila.office import Office\n"
              f"office = Office.open({str(tmp_path / 'kantor')!r})\n"
              "print(office.db.migration_backup, 'alembic' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["None", "False"]


def test_an_old_office_is_still_upgraded_when_opened(old_data_dir):
    db = Database(f"sqlite:///{old_data_dir / DATABASE_FILE}", backup_dir=old_data_dir)
    try:
        assert migrate.stored_revision(db.engine) == migrate.head_revision()
        assert db.migration_backup is not None  # the copy taken before the upgrade
    finally:
        db.engine.dispose()
