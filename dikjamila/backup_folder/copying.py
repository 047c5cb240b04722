"""Writing into the backup folder without ever leaving half a file: every file goes to the
folder's `tmp/` first, is fsynced (and, for an attachment, checked against its sha256), then
renamed into place. A file under its final name is therefore always whole."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from dikjamila.backup_folder.layout import blob_path, tmp_dir
from dikjamila.errors import UserError
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
#: Left free on the backup disk beyond what the copy needs.
SPARE_BYTES = 16 * 1024 * 1024


def copy_blob(source: Path, sha: str, folder: Path) -> int:
    """Copy one stored file into the folder's `blobs/`: temp file, fsync, sha256 check, rename; its size."""
    fd, name = tempfile.mkstemp(prefix=f"{sha[:16]}-", suffix=".part", dir=tmp_dir(folder))
    tmp: Path | None = Path(name)
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out:
            try:
                src = source.open("rb")
            except OSError as exc:
                raise _unreadable(sha, exc) from exc
            with src:
                while True:
                    try:
                        chunk = src.read(CHUNK)
                    except OSError as exc:
                        raise _unreadable(sha, exc) from exc
                    if not chunk:
                        break
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha:
            raise UserError(tr("Berkas lampiran {sha} di penyimpanan kantor rusak (isinya tidak cocok dengan sidik "
                               "sha256-nya); cadangan tidak selesai. Salinan sebelumnya tidak berubah.", sha=sha[:12]))
        dest = blob_path(folder, sha)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, dest)
        tmp = None
        return size
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _unreadable(sha: str, exc: OSError) -> UserError:
    log.warning("stored file %s could not be read for the backup: %r", sha, exc)
    return UserError(tr("Berkas lampiran {sha} tidak bisa dibaca dari penyimpanan kantor ({reason}); cadangan tidak "
                        "selesai. Salinan sebelumnya tidak berubah.", sha=sha[:12], reason=exc.strerror or exc))


def write_atomically(target: Path, data: bytes, work: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=f"{target.stem}-", suffix=".part", dir=work)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def need_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if needed + SPARE_BYTES > free:
        raise UserError(tr("Ruang di disk cadangan {path} tidak cukup: perlu ± {need} MB, tersisa {free} MB. Cadangan "
                           "tidak dibuat; salinan sebelumnya tidak berubah.", path=folder,
                           need=max(1, round((needed + SPARE_BYTES) / 1e6)), free=round(free / 1e6)))
