"""A kiosk submission's files put back together from their chunks, checked, into the office's store.

The kiosk says each file's size, sha256 and chunk count; the chunks (`kiosk_chunks`, in order
of `seq`) are streamed into a temp file beside the store and must match all three before the
store sees the file. The store then checks it as any attachment (a photo decodes fully, a PDF
parses): what a kiosk checked, the office checks again — a kiosk PC may be tampered with.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from dikjamila.db.models import KioskChunk, KioskFile
from dikjamila.errors import InvalidInput, UserError
from dikjamila.files import StoredBlob
from dikjamila.i18n import tr


class BrokenSubmission(UserError):
    """What arrived does not match what the kiosk announced: it is not taken (and not retried)."""


@dataclass(frozen=True)
class TakenFile:
    """One file of the submission: in the store (`blob`), or refused by it (`refused`, why)."""

    file: KioskFile
    blob: StoredBlob | None
    refused: str = ""


def store_files(conn: Connection, store, uuid: str, files: list[KioskFile]) -> list[TakenFile]:
    """Every file of submission `uuid` into `store`; BrokenSubmission when one does not match."""
    taken = []
    for f in files:
        tmp = _assemble(conn, store, uuid, f)
        try:
            taken.append(TakenFile(f, store.put_file(tmp, f.original_name)))
        except InvalidInput as exc:  # the kiosk's check passed but ours does not: kept out, noted
            taken.append(TakenFile(f, None, exc.message))
        finally:
            tmp.unlink(missing_ok=True)
    return taken


def _assemble(conn: Connection, store, uuid: str, f: KioskFile) -> Path:
    folder = Path(store.root) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="kios-", suffix=".part", dir=folder)  # (".part": swept after a crash)
    path = Path(name)
    digest, size, seq = hashlib.sha256(), 0, 0
    try:
        with os.fdopen(fd, "wb") as out:
            while seq < f.chunk_count:
                data = conn.scalar(select(KioskChunk.data).where(
                    KioskChunk.submission_uuid == uuid, KioskChunk.file_no == f.file_no, KioskChunk.seq == seq))
                if data is None:
                    break
                digest.update(data)
                size += len(data)
                out.write(data)
                seq += 1
        if seq != f.chunk_count or size != f.size or digest.hexdigest() != f.sha256:
            raise BrokenSubmission(tr("Berkas {name} dari kios tidak utuh (sidik sha256 tidak cocok).",
                                      name=f.original_name))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
