"""The backup folder's layout, its checks, its manifests and its lock.

    <folder>/cadangan-20261127-083000.sqlite3   a consistent copy of the database (office time)
    <folder>/cadangan-20261127-083000.json      its manifest: sha256 of the copy, every file it needs,
                                                the office that made it (`office_id`, its name)
    <folder>/blobs/<sha[:2]>/<sha[2:4]>/<sha>   the attachments, by content (shared by every copy)
    <folder>/tmp/                               copies in progress (same disk, renamed when whole)
    <folder>/.cadangan-berjalan                 held while a backup writes (another PC, the CLI)

A database copy counts only once its manifest exists: the manifest is written last (temp file,
then rename), so a copy cut short by a crash or a full disk is never taken for a backup.

A folder holds the copies of one office: a second office is refused (`offices`), as its
retention would otherwise count and remove the first one's copies. Manifests written before
offices were told apart name none; such a copy counts as the office's that backs up there.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Self

from dikjamila.db.dialects.claimants import (
    alive_here,
    hold_here,
    new_claimant,
    this_host,
)
from dikjamila.errors import InvalidInput, UserError
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

PREFIX = "cadangan-"
DB_SUFFIX = ".sqlite3"
MANIFEST_SUFFIX = ".json"
FORMAT = "dikjamila-cadangan-folder/1"
LOCK_NAME = ".cadangan-berjalan"
#: A lock not refreshed for this long belongs to a run that died (another PC, a killed process).
LOCK_STALE_SECONDS = 60 * 60
LOCK_REFRESH_SECONDS = 30
_SHA_RE = re.compile(r"[0-9a-f]{64}")
_NAME_RE = re.compile(rf"{PREFIX}\d{{8}}-\d{{6}}(-\d+)?")


@dataclass(frozen=True)
class FolderCopy:
    """One database copy in a backup folder, as its manifest describes it."""

    name: str  # "cadangan-20261127-083000"
    database: Path
    manifest: Path
    created: datetime  # aware
    database_sha256: str
    database_bytes: int
    blobs: dict[str, int]  # sha256 -> size
    audit_head: str = ""
    office_id: str = ""  # "" in a manifest written before copies named their office
    office_name: str = ""  # for messages only: two offices may well share a name

    def counts_for(self, office_id: str) -> bool:
        """A copy of that office's, or an older one that names no office (taken as its, as before)."""
        return not self.office_id or self.office_id == office_id


def blob_path(folder: Path, sha: str) -> Path:
    return folder / "blobs" / sha[:2] / sha[2:4] / sha


def tmp_dir(folder: Path) -> Path:
    return folder / "tmp"


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Indonesian (the English text goes to the log)."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return tr("disk penuh")
    if exc.errno == errno.EFBIG:
        return tr("berkas terlalu besar untuk disk itu (mis. flashdisk FAT32) atau disk penuh")
    if isinstance(exc, PermissionError):
        return tr("tidak ada izin menulis di sana")
    if exc.errno == errno.EROFS:
        return tr("tempat itu hanya bisa dibaca")
    if isinstance(exc, FileNotFoundError):
        return tr("folder itu hilang (disk dilepas atau jaringan putus?)")
    return exc.strerror or tr("galat sistem berkas {code}", code=errno.errorcode.get(exc.errno or 0, "?"))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_backup_folder(folder: str | os.PathLike, *, data_dir: Path, store_root: Path | None = None) -> Path:
    """The folder, resolved, when a backup may go there; else InvalidInput in Indonesian.

    Refused: no folder chosen, a folder that does not exist (an unplugged disk, a share out of
    reach: it is not made here, or the copy would land on this PC's own disk), a file, the data
    dir or a folder inside it (or inside the attachment folder), a folder this PC cannot write.
    """
    if not str(folder).strip():
        raise InvalidInput(tr("Folder cadangan belum dipilih."))
    path = Path(folder).expanduser()
    try:
        if not path.exists():
            raise InvalidInput(tr("Folder cadangan {path} tidak ada atau tidak terjangkau (disk dilepas atau "
                                  "jaringan putus?). Cadangan tidak dibuat.", path=path))
        if not path.is_dir():
            raise InvalidInput(tr("{path} bukan folder; pilih folder untuk cadangan.", path=path))
        path = path.resolve()
    except OSError as exc:
        raise InvalidInput(tr("Folder cadangan {path} tidak bisa dibuka: {reason}.", path=path,
                              reason=os_reason(exc))) from exc
    for own in (data_dir, store_root):
        if own is not None and _inside(path, Path(own).resolve()):
            raise InvalidInput(tr("Folder cadangan {path} ada di dalam folder data kantor ({data}). Pilih folder di "
                                  "disk lain atau komputer lain: cadangan di tempat yang sama ikut hilang bila "
                                  "disk itu rusak.", path=path, data=own))
    try:
        with tempfile.TemporaryFile(dir=path, prefix=".uji-tulis-"):
            pass
    except OSError as exc:
        log.info("backup folder %s is not writable", path, exc_info=True)
        raise InvalidInput(tr("Folder cadangan {path} tidak bisa ditulis: {reason}. Cadangan tidak dibuat.",
                              path=path, reason=os_reason(exc))) from exc
    return path


def read_manifest(manifest: Path) -> FolderCopy:
    """The copy a manifest describes; InvalidInput when it is not one of ours or is damaged."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("not a folder backup manifest")
        blobs = {str(k): int(v) for k, v in data["blobs"].items()}
        created = datetime.fromisoformat(data["created"])
        office = data.get("office_id", ""), data.get("office_name", "")
        if not all(isinstance(v, str) for v in office):
            raise TypeError("office_id and office_name are text")
        copy = FolderCopy(manifest.stem, manifest.parent / data["database"], manifest, created,
                          str(data["database_sha256"]), int(data["database_bytes"]), blobs,
                          str(data.get("audit_head", "")), *office)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidInput(tr("Manifest cadangan {name} rusak atau tidak terbaca.", name=manifest.name)) from exc
    if (copy.database.parent != manifest.parent or copy.created.tzinfo is None
            or not all(_SHA_RE.fullmatch(s) for s in [copy.database_sha256, *blobs])):
        raise InvalidInput(tr("Manifest cadangan {name} rusak atau tidak terbaca.", name=manifest.name))
    return copy


def scan_copies(folder: Path) -> tuple[list[FolderCopy], list[Path]]:
    """The database copies in `folder`, oldest first (by time, then name: the order is total),
    and the manifests that could not be read (logged; a newer program's format looks so too)."""
    copies, unreadable = [], []
    for manifest in folder.glob(f"{PREFIX}*{MANIFEST_SUFFIX}"):
        if not _NAME_RE.fullmatch(manifest.stem):
            continue
        try:
            copies.append(read_manifest(manifest))
        except InvalidInput:
            log.warning("backup manifest %s is damaged; not counted", manifest, exc_info=True)
            unreadable.append(manifest)
    return sorted(copies, key=lambda c: (c.created, c.name)), unreadable


def list_copies(folder: Path) -> list[FolderCopy]:
    """The database copies in `folder`, oldest first; a damaged manifest is logged and skipped."""
    return scan_copies(folder)[0]


def last_backup_time(folder: str | os.PathLike, office_id: str | None = None) -> datetime | None:
    """When the newest copy in `folder` was made — of office `office_id` only, when given (another
    office's copy made today must not make this one's backup look done); None when there is none
    or the folder is out of reach."""
    if not str(folder).strip():
        return None
    try:
        copies = list_copies(Path(folder))
    except OSError:
        log.info("backup folder %s cannot be listed", folder, exc_info=True)
        return None
    if office_id is not None:
        copies = [c for c in copies if c.counts_for(office_id)]
    return copies[-1].created if copies else None


class FolderLock:
    """Held while a backup writes to the folder: one writer at a time (this PC's schedule and the
    command line, or two PCs sharing the folder), so pruning never removes what another run needs."""

    def __init__(self, folder: Path):
        self.path = folder / LOCK_NAME
        self._claimant = new_claimant()
        self._release = None
        self._touched = 0.0

    def __enter__(self) -> Self:
        for attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if attempt == 0 and self._stale():
                    self.path.unlink(missing_ok=True)
                    continue
                raise UserError(tr("Cadangan lain sedang ditulis ke folder {path} ({who}); coba lagi nanti.",
                                   path=self.path.parent, who=self._holder() or "?"))
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self._claimant)
            self._release = hold_here(self._claimant)
            self._touched = time.monotonic()
            return self
        raise AssertionError("unreachable")

    def refresh(self) -> None:
        """Say the run is alive (a long copy); cheap to call per file."""
        if time.monotonic() - self._touched >= LOCK_REFRESH_SECONDS:
            self._touched = time.monotonic()
            os.utime(self.path)

    def __exit__(self, *exc) -> None:
        if self._release is not None:
            self._release()
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            log.warning("backup lock %s could not be removed", self.path, exc_info=True)

    def _holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip()[:100]
        except OSError:
            return ""

    def _stale(self) -> bool:
        """A run of this PC that no longer runs, or any run silent for an hour."""
        holder = self._holder()
        host = holder.rsplit("/", 2)[0] if holder.count("/") >= 2 else ""
        try:
            silent = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return True
        if host == this_host() and not alive_here(holder):
            return True
        return silent > LOCK_STALE_SECONDS
