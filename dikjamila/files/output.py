"""Writing a file the user asked for (a PDF, a CSV): checked first, then written whole.

A refusal says why in Indonesian (no folder, a folder where a file name was expected, no
permission, disk full); the file appears only complete: a temporary file beside it, renamed over
it, removed again when anything fails.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from dikjamila.errors import InvalidInput, UserError
from dikjamila.i18n import tr


def check_output_path(path: Path) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InvalidInput(tr("{path} adalah sebuah folder; sebutkan nama berkas, mis. {path}/laporan.pdf.",
                              path=path))
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(tr("{folder} adalah sebuah berkas, bukan folder; pilih tempat lain.", folder=folder))
    if not folder.is_dir():
        raise InvalidInput(tr("Folder {folder} tidak ada; buat dulu foldernya atau pilih tempat lain.", folder=folder))
    if not os.access(folder, os.W_OK):
        raise InvalidInput(tr("Berkas tidak bisa disimpan di {folder}: tidak ada izin menulis di folder itu.",
                              folder=folder))


def write_output(path: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8, its line ends kept) to `path` whole, or raise UserError."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        try:
            tmp.write_bytes(payload)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(tr("Berkas {path} tidak bisa disimpan: {reason}.", path=path, reason=_reason(exc))) from exc


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return tr("tidak ada izin menulis di sana")
    if exc.errno == errno.ENOSPC:
        return tr("disk penuh")
    if exc.errno == errno.EROFS:
        return tr("tempat itu hanya bisa dibaca")
    if isinstance(exc, IsADirectoryError):
        return tr("itu sebuah folder, bukan nama berkas")
    if isinstance(exc, NotADirectoryError | FileNotFoundError):
        return tr("foldernya tidak ada")
    return tr("sistem operasi menolak (kode {code})", code=errno.errorcode.get(exc.errno or 0, str(exc.errno)))
