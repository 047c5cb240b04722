"""Checking a folder chosen for attachments (setting `attachment_folder`) before it is used.

A share can look fine (it exists, it lists) and still refuse writes: a read-only share, a
drive mapped with the wrong account, a full disk. The only sure test is to write a small file
there, rename it as the store does (temp file, then `os.replace`) and delete it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

_PROBE = b"Dik Jamila: uji tulis folder lampiran; berkas ini boleh dihapus.\n"


def check_attachment_folder(folder: str | os.PathLike) -> None:
    """Raise InvalidInput (Indonesian) unless `folder` is an existing folder this PC can write.

    Writes a probe file into it, renames it and deletes it; nothing is left behind.
    """
    path = Path(folder)
    try:
        if not path.exists():
            raise InvalidInput(tr("Folder lampiran {path} tidak ada (atau tidak terjangkau dari komputer ini).",
                                  path=path))
        if not path.is_dir():
            raise InvalidInput(tr("{path} bukan folder; pilih folder untuk menyimpan lampiran.", path=path))
    except OSError as exc:  # e.g. a share that answers with an error instead of "not found"
        raise _unwritable(path, exc) from exc
    probe = renamed = None
    try:
        fd, name = tempfile.mkstemp(prefix=".dikjamila-uji-", suffix=".part", dir=path)
        probe = Path(name)
        with os.fdopen(fd, "wb") as out:
            out.write(_PROBE)
            out.flush()
            os.fsync(out.fileno())
        renamed = probe.with_suffix(".tmp")
        os.replace(probe, renamed)
        probe = None
        renamed.unlink()
        renamed = None
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    finally:
        for leftover in (probe, renamed):
            if leftover is not None:
                try:
                    leftover.unlink(missing_ok=True)
                except OSError:
                    pass


def _unwritable(path: Path, exc: OSError) -> InvalidInput:
    return InvalidInput(tr("Folder lampiran {path} tidak bisa ditulis dari komputer ini ({reason}). Periksa izin "
                           "tulis dan sambungan ke folder itu; pengaturan tidak disimpan.",
                           path=path, reason=exc.strerror or exc))
