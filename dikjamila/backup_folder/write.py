"""`backup_to_folder`: a new dated database copy, and only the attachments the folder lacks.

Attachments are stored by content (their name is their sha256), so a file already in the
folder's `blobs/` is the same file: a second backup copies only what is new. Every file is
written under a temp name in the folder's `tmp/`, fsynced, checked against its sha256 and only
then renamed into place, so a crash or a full disk mid-copy never leaves half a file that a
later run would count as present. Earlier copies are never written to; only the retention step
removes the oldest ones once the new copy and its manifest are complete.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dikjamila import __version__
from dikjamila.backup import audit_head, file_sha256, referenced_blobs
from dikjamila.backup_folder.copying import copy_blob, need_space, write_atomically
from dikjamila.backup_folder.layout import (
    DB_SUFFIX,
    FORMAT,
    MANIFEST_SUFFIX,
    PREFIX,
    FolderLock,
    blob_path,
    check_backup_folder,
    list_copies,
    os_reason,
    tmp_dir,
)
from dikjamila.backup_folder.offices import (
    OfficeStamp,
    refuse_other_office,
    this_office,
)
from dikjamila.backup_folder.retention import keep_newest
from dikjamila.config import Paths
from dikjamila.db import dialects
from dikjamila.db.database import Database
from dikjamila.desk.timezone import WITA
from dikjamila.errors import InvalidInput, UserError
from dikjamila.files import AttachmentStore
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class FolderBackupResult:
    database: Path  # the new database copy
    manifest: Path
    created: datetime
    blobs: int  # files the copy needs
    copied_files: int  # of those, copied by this run (the others were there already)
    copied_bytes: int
    removed_copies: int  # older database copies removed (keep the newest `keep`)
    pruned_files: int  # files no kept copy needs any more, removed
    audit_head: str = ""
    same_disk: bool = False  # the folder is on the data dir's own disk: say that another disk is safer


def unsupported(db: Database) -> str:
    """"" when this database can be backed up to a folder, else why not (Indonesian).

    Like the zip backup (`dikjamila.backup`, `dialects.*.backup_to`): only SQLite is copied by
    the program; a server is backed up with its own tools, attachments kept in it included.
    """
    if db.engine.dialect.name == "sqlite":
        return ""
    return tr("Cadangan ke folder hanya untuk basis data SQLite; basis data server (PostgreSQL) dicadangkan "
              "dengan alat server (pg_dump), lampiran di dalamnya ikut.")


def backup_to_folder(paths: Paths, db: Database, store, folder: str | os.PathLike, *, keep: int = 14,
                     now: datetime | None = None, progress: Progress | None = None,
                     check_existing: bool = False) -> FolderBackupResult:
    """Write a new database copy (`cadangan-<office time>.sqlite3`) and its manifest into `folder`,
    copy into `folder/blobs/` the attachments it needs that are not there yet, then keep only the
    newest `keep` copies (files no kept copy needs are removed with them).

    `progress(fraction, text)` is called along the way (it may raise to stop the run: the files
    of this run are then removed, nothing earlier is touched). `check_existing` re-reads every
    file already in the folder and replaces one whose content no longer matches its sha256.
    Refused with UserError (Indonesian): PostgreSQL, a bad folder (`layout.check_backup_folder`),
    a folder holding another office's copies (`offices`: nothing there is touched), a full or
    failing disk, a stored file missing or unreadable; earlier copies stay as they were.
    """
    if keep < 1:
        raise InvalidInput(tr("Jumlah salinan cadangan yang disimpan minimal 1."))
    if refusal := unsupported(db):
        raise UserError(refusal)
    store_root = store.root if isinstance(store, AttachmentStore) else None
    target = check_backup_folder(folder, data_dir=paths.data_dir, store_root=store_root)
    me = this_office(db)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    say = progress or (lambda _fraction, _text: None)
    try:
        with FolderLock(target) as lock:
            refuse_other_office(target, list_copies(target), me)  # under the lock: no other run writes now
            result = _backup(db, store, target, lock, now, say, check_existing, me)
            try:
                removed, pruned = keep_newest(target, keep, me.id)
            except OSError:  # the new copy is whole; the old ones go next time
                log.warning("old backups in %s could not all be removed", target, exc_info=True)
                removed = pruned = 0
    except OSError as exc:
        log.warning("backup to folder %s failed", target, exc_info=True)
        raise UserError(tr("Cadangan ke folder {path} gagal: {reason}. Salinan cadangan sebelumnya tidak berubah.",
                           path=target, reason=os_reason(exc))) from exc
    say(1.0, tr("Cadangan selesai."))
    return FolderBackupResult(**{**result, "removed_copies": removed, "pruned_files": pruned,
                                 "same_disk": _same_disk(target, paths.data_dir)})


def _backup(db: Database, store, folder: Path, lock: FolderLock, now: datetime, say: Progress,
            check_existing: bool, me: OfficeStamp) -> dict:
    work = tmp_dir(folder)
    work.mkdir(exist_ok=True)
    for leftover in work.glob("*.part"):  # a run that died; the lock says none runs now
        leftover.unlink(missing_ok=True)
    stem = _free_name(folder, now)
    database, manifest = folder / f"{stem}{DB_SUFFIX}", folder / f"{stem}{MANIFEST_SUFFIX}"
    snapshot = work / f"{stem}{DB_SUFFIX}.part"
    placed: list[Path] = []  # removed again unless the manifest lands
    try:
        say(0.0, tr("Menyalin basis data…"))
        live = dialects.for_engine(db.engine).database_file(db.engine)
        need_space(folder, live.stat().st_size if live is not None and live.exists() else 0)
        _snapshot(db, snapshot, folder)
        shas = referenced_blobs(snapshot)
        sizes, todo, missing = {}, [], []
        for sha in shas:
            dest = blob_path(folder, sha)
            if dest.is_file() and _still_good(dest, sha, store, check_existing):
                sizes[sha] = dest.stat().st_size
            elif store.exists(sha):
                todo.append(sha)
            else:
                missing.append(sha)
        if missing:
            raise UserError(tr("{n} berkas lampiran hilang dari penyimpanan kantor (mis. {sha}); cadangan tidak "
                               "dibuat. Salinan sebelumnya tidak berubah.", n=len(missing), sha=missing[0][:12]))
        sources = {sha: store.path(sha) for sha in todo}
        total = sum(p.stat().st_size for p in sources.values())
        need_space(folder, total)
        done = 0
        for i, sha in enumerate(todo, 1):
            say(0.05 + 0.9 * done / max(total, 1), tr("Menyalin lampiran {i} dari {n}…", i=i, n=len(todo)))
            sizes[sha] = copy_blob(sources[sha], sha, folder)
            done += sizes[sha]
            lock.refresh()
        say(0.96, tr("Menulis daftar isi cadangan…"))
        head = audit_head(snapshot)
        db_sha, db_bytes = file_sha256(snapshot), snapshot.stat().st_size
        os.replace(snapshot, database)
        placed.append(database)
        body = {"format": FORMAT, "version": __version__, "created": now.isoformat(timespec="seconds"),
                "created_office_time": now.astimezone(WITA).isoformat(timespec="seconds"),
                "office_id": me.id, "office_name": me.name,
                "database": database.name, "database_sha256": db_sha, "database_bytes": db_bytes,
                "audit_head": head, "copied_files": len(todo), "copied_bytes": done,
                "blobs": {sha: sizes[sha] for sha in shas}}
        write_atomically(manifest, json.dumps(body, indent=1).encode("utf-8"), work)
        placed.clear()
    finally:
        snapshot.unlink(missing_ok=True)
        for path in placed:
            path.unlink(missing_ok=True)
    return {"database": database, "manifest": manifest, "created": now, "blobs": len(shas),
            "copied_files": len(todo), "copied_bytes": done, "audit_head": head}


def _free_name(folder: Path, now: datetime) -> str:
    """`cadangan-<office date>-<time>`, with `-2`, `-3`… when a copy of that second exists."""
    base = f"{PREFIX}{now.astimezone(WITA):%Y%m%d-%H%M%S}"
    stem, n = base, 1
    while (folder / f"{stem}{DB_SUFFIX}").exists() or (folder / f"{stem}{MANIFEST_SUFFIX}").exists():
        n += 1
        stem = f"{base}-{n}"
    return stem


def _snapshot(db: Database, snapshot: Path, folder: Path) -> None:
    """A consistent copy of the live database (SQLite's online backup API), fsynced."""
    try:
        dialects.for_engine(db.engine).backup_to(db.engine, snapshot)
        with snapshot.open("rb+") as fh:
            os.fsync(fh.fileno())
    except sqlite3.Error as exc:
        log.warning("database copy to %s failed", snapshot, exc_info=True)
        reason = tr("disk penuh") if "full" in str(exc).lower() else str(exc)
        raise UserError(tr("Salinan basis data tidak bisa ditulis ke folder cadangan {path}: {reason}. Salinan "
                           "sebelumnya tidak berubah.", path=folder, reason=reason)) from exc


def _still_good(dest: Path, sha: str, store, check: bool) -> bool:
    """A file already in the folder: whole (written under a temp name, then renamed), and the
    size the office's own copy has; with `check`, also its content re-hashed."""
    if isinstance(store, AttachmentStore) and store.exists(sha) and \
            store.path(sha).stat().st_size != dest.stat().st_size:
        log.warning("backup file %s differs in size from the office's; copied again", dest)
        return False
    if check and file_sha256(dest) != sha:
        log.warning("backup file %s is damaged; copied again", dest)
        return False
    return True


def _same_disk(folder: Path, data_dir: Path) -> bool:
    try:
        return folder.stat().st_dev == data_dir.stat().st_dev
    except OSError:
        return False
