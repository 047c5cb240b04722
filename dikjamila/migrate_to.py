"""Move a one-PC office (its SQLite file and attachments) onto a database server, losing nothing.

- The target must be empty: a row in any table is refused before anything is written.
- Its schema comes from the same Alembic migrations every workstation runs on opening.
- The source is read in one read transaction (a consistent snapshot). Every table is copied in
  foreign-key order, in batches, primary keys kept (request ids rise with arrival; the audit
  chain names ids); then PostgreSQL's id sequences are moved past the copied ids.
- Rows and attachments go in ONE transaction on the target: a failure or Ctrl+C halfway
  leaves no row on the server, and the command can simply run again.
- Afterwards everything is checked from the target: the rows of each table, every stored and
  referenced file's sha256 recomputed from what the server (or the folder) holds, the audit
  chain (its hash covers each event's time to the microsecond) and a text search.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import String, func, inspect, literal, select, table, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from dikjamila import audit
from dikjamila.config import ATTACHMENT_STORAGES, Settings, attachment_storage_for
from dikjamila.db import migrate
from dikjamila.db.database import Database
from dikjamila.db.models import Attachment, Base, LooseFile, Message, OutboxItem
from dikjamila.desk.inbox import inbox_page
from dikjamila.desk.records import InboxFilter
from dikjamila.errors import UserError
from dikjamila.files import AttachmentStore
from dikjamila.files.db_store import DatabaseBlobStore, blob_digest, write_blob
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

BATCH = 1000
#: The office setting `attachment_storage` where the office keeps its settings in `meta`.
STORAGE_SETTING_KEY = "setting:attachment_storage"
#: Kept through the attachment store, not copied as rows.
BLOB_TABLES = ("blobs", "blob_chunks")
_BLOB_COLUMNS = (Attachment.blob_sha256, Message.blob_sha256, OutboxItem.blob_sha256, LooseFile.blob_sha256)


def _sqlite_only(name: str) -> bool:
    """Tables of SQLite alone: its full-text index (the server keeps its own) and internals."""
    return name == "alembic_version" or name.startswith(("request_search", "sqlite_"))


@dataclass
class MigrationState:
    """Progress lines for the person watching, and whether the target transaction committed."""

    say: Callable[[str], None] = lambda line: None
    committed: bool = False


@dataclass(frozen=True)
class Check:
    """One line of the comparison: what the source holds and what the target holds."""

    name: str
    source: int
    target: int
    same_content: bool = True  # every row's values, in primary-key order (a digest of both sides)

    @property
    def equal(self) -> bool:
        return self.source == self.target and self.same_content


@dataclass
class Snapshot:
    counts: dict[str, int]
    digests: dict[str, str]  # of each table's rows as copied (see `_digest`)
    blobs: list[str]  # every stored file, and every referenced one
    audit_head: str
    newest_number: str | None


@dataclass
class MigrationReport:
    checks: list[Check]
    blob_problems: list[str] = field(default_factory=list)
    audit_problems: list[str] = field(default_factory=list)
    audit_source: str = ""
    audit_target: str = ""
    search_number: str | None = None
    search_found: bool = True

    @property
    def ok(self) -> bool:
        return (all(c.equal for c in self.checks) and not self.blob_problems and not self.audit_problems
                and self.audit_source == self.audit_target and self.search_found)


def masked(url: str) -> str:
    """`url` with its password shown as ***."""
    return make_url(url).render_as_string(hide_password=True)


def open_target(url: str) -> Database:
    """The server at `url`, reached but not migrated yet; UserError (Indonesian) when it cannot be."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(tr("Alamat basis data tujuan tidak sah: {url}. Contoh: "
                           "postgresql+psycopg://dikjamila:SANDI@server-kantor:5432/dikjamila", url=url[:80])) from exc
    if parsed.get_backend_name() == "sqlite":
        raise UserError(tr("Tujuan harus server basis data (PostgreSQL), bukan berkas SQLite."))
    shown = masked(url)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        # A firewalled host would otherwise keep the command waiting for minutes.
        url = parsed.update_query_dict({"connect_timeout": "15"}).render_as_string(hide_password=False)
    try:
        db = Database(url, run_migrations=False)
        with db.engine.connect() as conn:
            conn.execute(select(literal(1)))
    except (NoSuchModuleError, ImportError) as exc:
        raise UserError(tr("Jenis basis data {url} tidak didukung (pakai postgresql+psycopg://…).", url=shown)) from exc
    except DBAPIError as exc:
        # INFO: an expected refusal; the detail is for the log file, not the terminal.
        log.info("target database %s unreachable", shown, exc_info=True)
        raise UserError(tr("Server basis data {url} tidak bisa dihubungi atau menolak masuk. Periksa alamat, "
                           "nama basis data, pengguna, kata sandi dan jaringan; rinciannya ada di berkas log.",
                           url=shown)) from exc
    return db


def refuse_non_empty(db: Database) -> None:
    """Refuse a target that holds any row in any table (its Alembic revision aside)."""
    full = []
    with db.engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            if name != "alembic_version" and conn.scalar(select(literal(1)).select_from(table(name)).limit(1)):
                full.append(name)
    if full:
        raise UserError(tr(
            "Basis data tujuan sudah berisi data (tabel {tables}); tidak ada yang ditulis. Pakai basis data kosong — "
            "sisa pemindahan yang terputus: hapus dan buat lagi basis datanya (DROP DATABASE lalu CREATE DATABASE), "
            "lalu jalankan lagi.", tables=", ".join(sorted(full)[:6])))


def _tables(src: Connection) -> list:
    """The tables to copy, in foreign-key order; refuses a source with anything they would miss."""
    inspector = inspect(src)
    present = set(inspector.get_table_names())
    models = {t.name: t for t in Base.metadata.sorted_tables}
    unknown = sorted(n for n in present if n not in models and not _sqlite_only(n))
    if unknown:
        raise UserError(tr("Basis data sumber berisi tabel yang tidak dikenal ({tables}); pemindahan dibatalkan "
                           "agar tidak ada yang hilang.", tables=", ".join(unknown)))
    chosen = [t for t in Base.metadata.sorted_tables if t.name in present and t.name not in BLOB_TABLES]
    for t in chosen:
        extra = {c["name"] for c in inspector.get_columns(t.name)} - set(t.columns.keys())
        if extra:
            raise UserError(tr("Tabel {table} di sumber punya kolom yang tidak dikenal ({columns}); pemindahan "
                               "dibatalkan.", table=t.name, columns=", ".join(sorted(extra))))
        for col in t.columns:  # SQLite never enforced VARCHAR lengths; the server does
            if isinstance(col.type, String) and col.type.length and src.scalar(
                    select(func.count()).select_from(t).where(func.length(col) > col.type.length)):
                raise UserError(tr("Tabel {table}, kolom {column}: ada isi lebih panjang dari {n} karakter yang "
                                   "tidak diterima server; pemindahan dibatalkan.", table=t.name, column=col.name,
                                   n=col.type.length))
    return chosen


def _snapshot(session: Session, tables: list, store) -> Snapshot:
    src = session.connection()
    counts = {t.name: src.scalar(select(func.count()).select_from(t)) for t in tables}
    referenced = {sha for col in _BLOB_COLUMNS for sha in src.scalars(select(col).where(col.is_not(None)).distinct())}
    missing = sorted(sha for sha in referenced if not store.exists(sha))
    if missing:
        raise UserError(tr("{n} berkas lampiran hilang dari penyimpanan sumber (mis. {sha}); pemindahan dibatalkan.",
                           n=len(missing), sha=missing[0][:12]))
    requests = Base.metadata.tables["requests"]
    newest = src.scalar(select(requests.c.number).order_by(requests.c.id.desc()).limit(1))
    return Snapshot(counts, {}, sorted(set(store.iter_blobs()) | referenced), str(audit.head(session)), newest)


def _ordered_rows(conn: Connection, t, batch: int = BATCH):
    """The table's rows in primary-key order, `batch` at a time."""
    return conn.execute(select(t).order_by(*t.primary_key.columns).execution_options(yield_per=batch)).partitions()


def _as_copied(t, row, blobs: str | None) -> dict:
    """The row as the target gets it: as read, except the office's storage setting (kept in `meta`,
    see `office_settings`, where it wins over each PC's file) when it would not send every
    workstation to where the files now are (--blobs); "auto" already means "database" there."""
    values = row._asdict()
    if blobs and t.name == "meta" and values["key"] == STORAGE_SETTING_KEY:
        try:
            current = json.loads(values["value"])
        except ValueError:
            current = None
        if current not in ATTACHMENT_STORAGES or \
                attachment_storage_for(Settings(attachment_storage=current), "server") != blobs:
            values["value"] = json.dumps(blobs)
    return values


def _digest(conn: Connection, t, blobs: str | None = None) -> str:
    """A sha256 over every row's values in primary-key order (`blobs`: as copied, see `_as_copied`)."""
    digest = hashlib.sha256()
    for rows in _ordered_rows(conn, t):
        for row in rows:
            digest.update(repr(tuple(_as_copied(t, row, blobs).values())).encode())
    return digest.hexdigest()


def copy_office(source_db: Database, store, target: Database, *, blobs: str, state: MigrationState,
                batch: int = BATCH) -> Snapshot:
    """Copy every row (and, for `blobs="database"`, every file) into `target` in one transaction."""
    with source_db.reading() as session:
        src = session.connection()
        tables = _tables(src)
        snap = _snapshot(session, tables, store)
        where = ""
        try:
            with target.engine.begin() as dst:
                for t in tables:
                    where = t.name
                    state.say(tr("  menyalin {table}: {n} baris", table=t.name, n=snap.counts[t.name]))
                    digest = hashlib.sha256()
                    for rows in _ordered_rows(src, t, batch):
                        copied = [_as_copied(t, row, blobs) for row in rows]
                        for values in copied:
                            digest.update(repr(tuple(values.values())).encode())
                        dst.execute(t.insert(), copied)
                    snap.digests[t.name] = digest.hexdigest()
                where = tr("urutan nomor id")
                _move_sequences(dst, tables)
                if blobs == "database":
                    where = tr("berkas lampiran")
                    state.say(tr("  menyalin {n} berkas lampiran ke basis data", n=len(snap.blobs)))
                    for sha in snap.blobs:
                        with open(store.path(sha), "rb") as fh:
                            write_blob(dst, sha, fh, check=False)  # checked from the server afterwards
                where = tr("penyimpanan akhir (commit)")
        except DBAPIError as exc:
            log.info("copying into the target failed at %s", where, exc_info=True)
            raise UserError(tr("Penyalinan ke server gagal ({where}); tidak ada yang tersimpan di server (satu "
                               "transaksi). Rinciannya ada di berkas log; perbaiki penyebabnya lalu jalankan lagi.",
                               where=where)) from exc
        state.committed = True
    return snap


def _move_sequences(conn: Connection, tables: list) -> None:
    """PostgreSQL: each id sequence continues after the highest copied id."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    for t in tables:
        pk = list(t.primary_key.columns)
        if len(pk) != 1 or pk[0].type.python_type is not int:
            continue
        seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": t.name, "c": pk[0].name})
        if seq:
            conn.execute(text(f"SELECT setval(:s, (SELECT COALESCE(max({quote(pk[0].name)}), 0) + 1 "
                              f"FROM {quote(t.name)}), false)"), {"s": seq})


def verify_copy(snap: Snapshot, target: Database, *, blobs: str, folder_store=None) -> MigrationReport:
    """Compare the target with the source snapshot, everything recomputed from the target."""
    report = MigrationReport([], audit_source=snap.audit_head, search_number=snap.newest_number)
    with target.reading() as session:
        conn = session.connection()
        for name, n in snap.counts.items():
            t = Base.metadata.tables[name]
            report.checks.append(Check(name, n, conn.scalar(select(func.count()).select_from(t)),
                                       _digest(conn, t) == snap.digests[name]))
        equal = 0
        for sha in snap.blobs:
            if blobs == "database":
                same = (blob_digest(conn, sha) or ("",))[0] == sha
            else:
                same = folder_store.exists(sha) and folder_store.verify(sha)
            equal += same
            if not same:
                report.blob_problems.append(sha)
        report.checks.append(Check(tr("berkas lampiran (sha256 sama)"), len(snap.blobs), equal))
        report.audit_problems = [p.message for p in audit.verify(session)]
        report.audit_target = str(audit.head(session))
        if snap.newest_number:
            page = inbox_page(session, target.dialect, InboxFilter(text=snap.newest_number), limit=5)
            report.search_found = any(r.number == snap.newest_number for r in page.rows)
    return report


def migrate_to(source_db: Database, store, url: str, *, blobs: str = "database", verify_only: bool = False,
               state: MigrationState | None = None) -> MigrationReport:
    """Move the office behind `source_db` (SQLite) and `store` onto the server at `url`, then check it."""
    state = state or MigrationState()
    if source_db.engine.dialect.name != "sqlite":
        raise UserError(tr("Kantor ini sudah memakai server basis data ({url}); migrate-to memindahkan kantor "
                           "SQLite satu komputer.", url=masked(source_db.url)))
    if blobs == "folder" and isinstance(store, DatabaseBlobStore):
        raise UserError(tr("Lampiran kantor ini ada di basis data SQLite-nya; pindahkan dengan --blobs database."))
    target = open_target(url)
    try:
        if verify_only:
            with source_db.reading() as session:
                tables = _tables(session.connection())
                snap = _snapshot(session, tables, store)
                snap.digests = {t.name: _digest(session.connection(), t, blobs) for t in tables}
            state.committed = True
        else:
            refuse_non_empty(target)
            state.say(tr("Membuat skema di {url}…", url=masked(url)))
            try:
                migrate.upgrade(target.engine)
            except DBAPIError as exc:
                log.info("migrating the target failed", exc_info=True)
                raise UserError(tr("Skema tidak bisa dibuat di server (hak akses pengguna itu?); rinciannya ada di "
                                   "berkas log.")) from exc
            snap = copy_office(source_db, store, target, blobs=blobs, state=state)
        state.say(tr("Memeriksa hasil dari server…"))
        return verify_copy(snap, target, blobs=blobs, folder_store=store if isinstance(store, AttachmentStore) else None)
    finally:
        target.close()

