"""Backup and restore of an office: a zip with a consistent database copy and its blobs.

The database is copied with SQLite's online backup API (a consistent snapshot while the
workstation runs); the blobs listed are the ones that snapshot references. A manifest
holds every file's sha256, so a damaged archive is refused before anything is replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import make_url

from dikjamila import __version__
from dikjamila.config import (
    Paths,
    Settings,
    attachment_storage_for,
    database_url,
    load_settings,
)
from dikjamila.db import dialects
from dikjamila.db.database import Database
from dikjamila.errors import InvalidInput, UserError
from dikjamila.files import AttachmentStore
from dikjamila.files.db_store import DatabaseBlobStore
from dikjamila.i18n import tr
from dikjamila.office_id import office_id

log = logging.getLogger(__name__)

DB_ENTRY = "database.sqlite3"
MANIFEST = "manifest.json"
#: Every column naming a stored file (tests/core/test_backup_loose_files.py checks the models
#: against this list): request attachments, message media, outbox documents and tray files.
_BLOB_QUERIES = (
    "SELECT blob_sha256 FROM attachments",
    "SELECT blob_sha256 FROM messages WHERE blob_sha256 IS NOT NULL",
    "SELECT blob_sha256 FROM outbox_items WHERE blob_sha256 IS NOT NULL",
    "SELECT blob_sha256 FROM loose_files",
)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    blobs: int
    bytes: int
    # The audit chain head in the snapshot ("COUNT:HASH"): an anchor kept outside the database.
    audit_head: str = ""


def unique_path(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext`… when it exists (two copies in one second)."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def referenced_blobs(db_file: Path) -> list[str]:
    """Every stored file the database copy `db_file` points at (sorted sha256s)."""
    conn = sqlite3.connect(db_file)
    try:
        shas: set[str] = set()
        for query in _BLOB_QUERIES:
            shas.update(row[0] for row in conn.execute(query))
        return sorted(shas)
    finally:
        conn.close()


def backup(paths: Paths, db: Database, store, destination: Path | None = None) -> BackupResult:
    """Write `destination` (default: backups/cadangan-<time>.zip in the data dir)."""
    dialect = dialects.for_engine(db.engine)
    if destination is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        destination = unique_path(paths.backups_dir / f"cadangan-{stamp}.zip")
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    # (made now if the office has none yet, so that the office restored from this archive is
    # the same office to its folder backups: dikjamila.backup_folder.offices)
    office_id(db)
    with tempfile.TemporaryDirectory(dir=destination.parent) as work:
        snapshot = Path(work) / DB_ENTRY
        dialect.backup_to(db.engine, snapshot)
        shas = referenced_blobs(snapshot)
        missing = [s for s in shas if not store.exists(s)]
        if missing:
            raise UserError(tr("{n} berkas lampiran hilang dari penyimpanan (mis. {sha}); cadangan tidak dibuat.",
                               n=len(missing), sha=missing[0][:12]))
        head = audit_head(snapshot)
        manifest = {"version": __version__, "created": datetime.now().isoformat(timespec="seconds"),
                    "database_sha256": file_sha256(snapshot), "blobs": shas, "audit_head": head}
        partial = Path(work) / "backup.zip"
        total = 0
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            zf.write(snapshot, DB_ENTRY)
            for sha in shas:
                # Photos and PDFs are already compressed: store them as they are.
                zf.write(store.path(sha), f"blobs/{sha}", compress_type=zipfile.ZIP_STORED)
                total += store.path(sha).stat().st_size
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(partial, destination)
    return BackupResult(destination, len(shas), total, head)


def audit_head(db_file: Path) -> str:
    """The snapshot's audit chain head, "COUNT:HASH" ("" for an office with no events yet)."""
    conn = sqlite3.connect(db_file)
    try:
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('audit_head', 'audit_count')"))
    finally:
        conn.close()
    return f"{rows['audit_count']}:{rows['audit_head']}" if "audit_head" in rows else ""


def _checked_members(zf: zipfile.ZipFile) -> dict:
    names = zf.namelist()
    for name in names:
        parts = Path(name).parts
        if name.startswith(("/", "\\")) or ".." in parts or ":" in name:
            raise InvalidInput(tr("Arsip cadangan berisi jalur berbahaya ({name}); ditolak.", name=name))
    if MANIFEST not in names or DB_ENTRY not in names:
        raise InvalidInput(tr("Ini bukan arsip cadangan Dik Jamila (manifest atau basis data tidak ada)."))
    try:
        manifest = json.loads(zf.read(MANIFEST))
        blobs, db_sha = manifest["blobs"], manifest["database_sha256"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(tr("Manifest arsip cadangan rusak; arsip ditolak.")) from exc
    if not isinstance(blobs, list) or not isinstance(db_sha, str):
        raise InvalidInput(tr("Manifest arsip cadangan rusak; arsip ditolak."))
    for sha in blobs:
        if not isinstance(sha, str) or len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha) or f"blobs/{sha}" not in names:
            raise InvalidInput(tr("Arsip cadangan tidak lengkap: berkas {sha} tidak ada.", sha=sha[:12]))
    return manifest


def _unchecked_blobs(db_file: Path) -> set[str]:
    """Files the office kept without the photo/PDF checks: what a resident sent that the checklist
    cannot take (a voice note, a Word file), message media of kind "other" (`AttachmentStore.put_raw`).
    Held to those checks on the way back, they would refuse the whole restore."""
    conn = sqlite3.connect(db_file)
    try:
        return {row[0] for row in conn.execute(
            "SELECT blob_sha256 FROM messages WHERE file_kind = 'other' AND blob_sha256 IS NOT NULL")}
    except sqlite3.OperationalError:  # a copy from before messages kept such files
        log.info("backup copy %s has no unchecked message files", db_file, exc_info=True)
        return set()
    finally:
        conn.close()


def _put_unchecked(store, src: BinaryIO, sha: str, work: Path):
    """Store one unchecked file as the office first did (`put_raw`), through a temp file in `work`."""
    fd, name = tempfile.mkstemp(prefix="tanpa-periksa-", suffix=".part", dir=work)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        return store.put_raw(tmp, sha, max_bytes=max(1, tmp.stat().st_size))
    finally:
        tmp.unlink(missing_ok=True)


def office_store(paths: Paths, settings: Settings | None = None,
                 db: Database | None = None) -> AttachmentStore | DatabaseBlobStore:
    """The attachment store of the office at `paths`, with the size and pixel limits of its
    `settings` (default: read from its `settings.toml`), as `Office.store` builds it.

    Where it lives follows `attachment_storage`: a folder (`attachment_folder`, else the data
    dir's `blobs/`) or the database `db` (the default when `db` is a server), with this PC's
    cache in `<data dir>/cache/blobs`.
    """
    settings = settings or load_settings(paths)
    limits = {"max_bytes": settings.max_attachment_mb * 1024 * 1024,
              "max_pixels": settings.max_image_megapixels * 1_000_000}
    backend = db.engine.dialect.name if db is not None else \
        make_url(database_url(paths, settings)).get_backend_name()
    if attachment_storage_for(settings, backend) == "database":
        if db is None:
            raise UserError(tr("Lampiran kantor ini disimpan di basis data; perintah ini hanya untuk lampiran "
                               "di folder (pengaturan attachment_storage)."))
        return DatabaseBlobStore(db, paths.blob_cache_dir, **limits)
    folder = Path(settings.attachment_folder) if settings.attachment_folder else paths.blobs_dir
    return AttachmentStore(folder, **limits)


def restore(paths: Paths, archive: Path, store: AttachmentStore | None = None) -> BackupResult:
    """Replace the office's database with the archive's and add its blobs.

    Everything is extracted and verified in a temp folder first; the current database is
    kept as `backups/sebelum-pulih-<time>.sqlite3`. Close the workstation before restoring.
    The blobs go through `store`, by default the office's own (`office_store`): a photo is
    held to the office's `max_image_megapixels` and a file to its `max_attachment_mb`.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise InvalidInput(tr("Berkas cadangan {path} tidak ditemukan.", path=archive) if not archive.exists()
                           else tr("{path} adalah folder; pilih berkas cadangan (.zip) di dalamnya.", path=archive))
    if not zipfile.is_zipfile(archive):
        raise InvalidInput(tr("{name} bukan arsip cadangan (zip).", name=archive.name))
    # A broken settings.toml is refused before anything changes; the store itself (which
    # makes its folders) is only opened once the archive has passed every check.
    settings = load_settings(paths) if store is None else None
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf, tempfile.TemporaryDirectory(dir=paths.data_dir) as work:
        manifest = _checked_members(zf)
        db_tmp = Path(work) / DB_ENTRY
        with zf.open(DB_ENTRY) as src, db_tmp.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        if file_sha256(db_tmp) != manifest["database_sha256"]:
            raise InvalidInput(tr("Basis data dalam arsip rusak (sidik sha256 tidak cocok)."))
        # Verify every blob before storing any: a refused archive must add nothing.
        for sha in manifest["blobs"]:
            digest = hashlib.sha256()
            with zf.open(f"blobs/{sha}") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
            if digest.hexdigest() != sha:
                raise InvalidInput(tr("Berkas {sha} dalam arsip rusak.", sha=sha[:12]))
        if store is None:
            store = office_store(paths, settings)
        return install_restore(paths, db_tmp, manifest["blobs"], lambda sha: zf.open(f"blobs/{sha}"), store)


def install_restore(paths: Paths, db_copy: Path, shas: list[str], open_blob: Callable[[str], BinaryIO],
                    store: AttachmentStore | DatabaseBlobStore) -> BackupResult:
    """The end every restore shares (a zip here, a backup folder in `dikjamila.backup_folder`),
    once the database copy and every blob have been verified against their sha256.

    The blobs go through `store` (the office's limits apply; a refusal leaves the database as it
    was); the current database is kept as `backups/sebelum-pulih-<time>.sqlite3`; then `db_copy`,
    a file in the data dir, takes its place.
    """
    total = 0
    unchecked = _unchecked_blobs(db_copy)
    for sha in shas:
        with open_blob(sha) as src:
            stored = _put_unchecked(store, src, sha, db_copy.parent) if sha in unchecked else store.put_stream(src, sha)
        if stored.sha256 != sha:  # changed since it was verified: refuse before the database is replaced
            raise InvalidInput(tr("Berkas {sha} dalam cadangan berubah saat dipulihkan; ulangi pemulihan.", sha=sha[:12]))
        total += stored.size
    target = paths.database_file
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        keep = unique_path(paths.backups_dir / f"sebelum-pulih-{stamp}.sqlite3")
        keep.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(target)
        dst = sqlite3.connect(keep)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(db_copy, target)
    return BackupResult(target, len(shas), total)
