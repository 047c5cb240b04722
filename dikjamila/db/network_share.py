"""Is a SQLite file on a network share? Then it is refused: WAL needs shared memory on one host.

SQLite's write-ahead log keeps its index in a memory-mapped `-shm` file, which only works when
every process using the database runs on the same computer; over SMB/NFS two PCs each see their
own copy and the database is corrupted (sqlite.org/wal.html, "WAL does not work over a network
filesystem"). An office with several PCs uses PostgreSQL instead (README: "PostgreSQL").

Windows: a UNC path (`\\\\server\\share\\…`) or a drive letter the system reports as remote
(`GetDriveTypeW` = DRIVE_REMOTE, a mapped network drive). Linux: the file system type of the
mount holding the path, read from `/proc/self/mounts` (nfs, cifs, smb3, sshfs, …).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

from dikjamila.i18n import tr

NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
    "fuse.sshfs", "sshfs", "davfs", "fuse.davfs", "fuse.rclone", "lustre", "gpfs", "fuse.glusterfs",
})
_DRIVE_REMOTE = 4


def mount_type(path: Path, mounts_text: str) -> str:
    """The file system type of the mount holding `path`, from the text of /proc/self/mounts."""
    best, fs_type = "", ""
    target = str(path)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and len(point) > len(best):
            best, fs_type = point, fields[2]
    return fs_type


def _windows_remote(path: str) -> bool:
    pure = PureWindowsPath(path)
    if pure.drive.startswith("\\\\"):
        return True  # \\server\share
    if sys.platform != "win32" or not pure.drive:
        return False
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(pure.drive + "\\") == _DRIVE_REMOTE


def network_share_problem(database_file: Path, *, mounts_text: str | None = None) -> str | None:
    """Why this SQLite file must not be used (Indonesian), or None when it is on a local disk."""
    text = str(database_file)
    where = ""
    if _windows_remote(text):
        where = tr("folder jaringan")
    elif sys.platform.startswith("linux") or mounts_text is not None:
        wanted = Path(os.path.abspath(database_file))
        existing = wanted
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        # Symlinks resolved where they exist; the part not created yet is kept as written.
        located = existing.resolve() / wanted.relative_to(existing)
        if mounts_text is None:
            try:
                mounts_text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
        fs_type = mount_type(located, mounts_text)
        if fs_type in NETWORK_FS_TYPES:
            where = tr("folder jaringan ({fs})", fs=fs_type)
    if not where:
        return None
    return tr(
        "Basis data SQLite {path} ada di {where}. SQLite tidak aman dipakai lewat jaringan (berkas WAL-nya "
        "hanya bekerja di satu komputer; dua PC bisa merusak data). Simpan folder data di disk komputer ini, "
        "atau untuk beberapa PC pakai server PostgreSQL: `dikjamila migrate-to --db-url "
        "postgresql+psycopg://…` (lihat README, bagian PostgreSQL).", path=database_file, where=where)
