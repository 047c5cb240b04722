"""`restore_from_folder`: put one database copy of a backup folder back, with its attachments.

Everything is verified before anything changes: the database copy against its manifest's
sha256 (after it was copied into the data dir, so what is checked is what is installed), the
manifest against the files the copy points at, and every attachment file against its sha256.
Then the zip restore's own ending (`dikjamila.backup.install_restore`) adds the attachments
through the office's store and replaces the database, keeping the old one in `backups/`.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from dikjamila.backup import (
    DB_ENTRY,
    BackupResult,
    file_sha256,
    install_restore,
    office_store,
    referenced_blobs,
)
from dikjamila.backup_folder.layout import FolderCopy, blob_path, list_copies, os_reason
from dikjamila.config import Paths, load_settings
from dikjamila.errors import InvalidInput, UserError
from dikjamila.files import AttachmentStore
from dikjamila.i18n import tr

log = logging.getLogger(__name__)


def choose_copy(folder: Path, name: str | None = None) -> FolderCopy:
    """The copy named `name` ("cadangan-20261127-083000", with or without .sqlite3/.json), of
    whichever office, or the newest (`newest_copy`); InvalidInput when the folder holds none or
    not that one."""
    if not folder.is_dir():
        raise InvalidInput(tr("Folder cadangan {path} tidak ada atau tidak terjangkau.", path=folder))
    copies = list_copies(folder)
    if not copies:
        raise InvalidInput(tr("Tidak ada salinan cadangan Dik Jamila di folder {path}.", path=folder))
    if not name:
        return newest_copy(folder, copies)
    stem = Path(name).name.removesuffix(".sqlite3").removesuffix(".json")
    for copy in copies:
        if copy.name == stem:
            return copy
    raise InvalidInput(tr("Salinan {name} tidak ada di folder {path}. Yang ada: {names}.", name=stem, path=folder,
                          names=", ".join(c.name for c in copies[-5:])))


def newest_copy(folder: Path, copies: list[FolderCopy]) -> FolderCopy:
    """The newest of `copies` (oldest first, by time then name), when they are one office's.

    Copies that name no office (made before copies named one) are taken as the office's that
    named one, as a backup does. Copies of two or more named offices (only a folder put together
    by hand) are refused: the newest of them may be the other office's database.
    """
    newest = {c.office_id: c for c in copies if c.office_id}  # oldest first: the newest of each stays
    if len(newest) < 2:
        return copies[-1]
    raise InvalidInput(tr("Folder cadangan {path} berisi cadangan lebih dari satu kantor; salinan terbaru tidak "
                          "bisa dipilih begitu saja. Sebutkan nama salinan yang dipulihkan (restore-folder --copy "
                          "NAMA). Salinan terbaru tiap kantor: {names}.", path=folder, names="; ".join(
                              f"{c.name} ({c.office_name or c.office_id[:8]})" for c in newest.values())))


def restore_from_folder(paths: Paths, folder: str | os.PathLike, name: str | None = None,
                        store: AttachmentStore | None = None) -> BackupResult:
    """Replace the office's database with the copy `name` of `folder` (default: the newest) and
    add the attachments it needs. Close the workstation first.

    Refused with InvalidInput, before anything changes: no such copy, a damaged database copy, a
    file missing or damaged in the folder, an office whose database is not its SQLite file, no
    name given in a folder holding several offices' copies (`newest_copy`).
    """
    folder = Path(folder)
    copy = choose_copy(folder, name)
    settings = load_settings(paths) if store is None else None
    if settings is not None and settings.database_url and \
            settings.database_url != f"sqlite:///{paths.database_file}":
        raise UserError(tr("Pemulihan dari folder hanya untuk basis data SQLite di folder data; kantor ini memakai "
                           "basis data lain (database_url)."))
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.data_dir) as work:
        db_tmp = Path(work) / DB_ENTRY
        try:
            shutil.copyfile(copy.database, db_tmp)
        except FileNotFoundError as exc:
            raise InvalidInput(tr("Salinan basis data {name} tidak ada di folder cadangan.",
                                  name=copy.database.name)) from exc
        except OSError as exc:
            log.warning("database copy %s could not be read", copy.database, exc_info=True)
            raise UserError(tr("Salinan basis data {name} tidak bisa dibaca: {reason}.", name=copy.database.name,
                               reason=os_reason(exc))) from exc
        if file_sha256(db_tmp) != copy.database_sha256:
            raise InvalidInput(tr("Salinan basis data {name} rusak (sidik sha256 tidak cocok); tidak dipulihkan.",
                                  name=copy.database.name))
        if lacking := sorted(set(referenced_blobs(db_tmp)) - set(copy.blobs)):
            raise InvalidInput(tr("Daftar isi cadangan {name} tidak lengkap: berkas {sha} tidak tercatat.",
                                  name=copy.name, sha=lacking[0][:12]))
        for sha in sorted(copy.blobs):  # every file first: a refused restore adds nothing
            path = blob_path(folder, sha)
            if not path.is_file():
                raise InvalidInput(tr("Cadangan {name} tidak lengkap: berkas {sha} tidak ada di folder.",
                                      name=copy.name, sha=sha[:12]))
            if file_sha256(path) != sha:
                raise InvalidInput(tr("Berkas {sha} di folder cadangan rusak (isinya tidak cocok dengan sidik "
                                      "sha256-nya); tidak ada yang dipulihkan.", sha=sha[:12]))
        if store is None:
            store = office_store(paths, settings)
        return install_restore(paths, db_tmp, sorted(copy.blobs), lambda sha: blob_path(folder, sha).open("rb"),
                               store)
