"""The folder transport: each message becomes a folder of files (the demo's and tests' default).

One item, one folder, named by the outbox item id and the recipient::

    <folder>/000123-+6281234567890/
        pesan.txt      the text (or the document's caption)
        pesan.json     recipient, template, text, document name, size and sha256
        akta.pdf       the document, copied byte for byte (when there is one)

An item is built in a hidden staging folder beside it and renamed into place, so a crash
leaves either no item or a whole one (plus a hidden leftover that the next write of that item
sweeps away). Writing the same item again replaces it. A folder cannot confirm delivery, so a
written item is `handed_over`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from dikjamila.i18n import tr
from dikjamila.whatsapp.transports.base import Outgoing, SendOutcome, SendStatus

log = logging.getLogger(__name__)

TEXT_FILE = "pesan.txt"
META_FILE = "pesan.json"
_CHUNK = 1 << 20
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


class _DocumentProblem(Exception):
    """The document to send is missing, unreadable or not the recorded bytes."""

    def __init__(self, outcome: SendOutcome):
        super().__init__(outcome.detail)
        self.outcome = outcome


def item_folder_name(message: Outgoing) -> str:
    """`000123-+6281234567890`: the item id first, so a listing sorts by queue order."""
    recipient = _BAD_CHARS.sub("_", message.recipient.strip()) or "tanpa-nomor"
    return f"{message.item_id:06d}-{recipient}"


def safe_file_name(name: str, fallback: str = "dokumen") -> str:
    """`name` without folders or characters Windows refuses, and never one of our own files."""
    base = re.split(r"[\\/]", name)[-1]
    base = _BAD_CHARS.sub("_", base).strip(" .") or fallback
    if base.split(".")[0].upper() in _RESERVED:
        base = "_" + base
    if base.lower() in (TEXT_FILE, META_FILE):
        base = "dokumen-" + base
    return base[:200]


class FolderTransport:
    """Writes each outgoing message into `folder` (created when missing)."""

    name = "folder"

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def send(self, message: Outgoing) -> SendOutcome:
        prefix = f"{message.item_id:06d}-"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._sweep(f".tmp-{prefix}")
            self._sweep(f".old-{prefix}")
            staging = Path(tempfile.mkdtemp(prefix=f".tmp-{prefix}", dir=self.folder))
        except OSError as exc:
            return self._unwritable(exc)
        try:
            outcome = self._fill(staging, message)
            self._install(staging, self.folder / item_folder_name(message), prefix)
        except _DocumentProblem as problem:
            self._remove(staging)
            return problem.outcome
        except OSError as exc:
            self._remove(staging)
            return self._unwritable(exc)
        return outcome

    def close(self) -> None:
        """Nothing is held open between sends."""

    # -- building one item -------------------------------------------------------------------

    def _fill(self, staging: Path, message: Outgoing) -> SendOutcome:
        sha256, size, file_name = None, None, ""
        if message.document is not None:
            file_name = safe_file_name(message.document_name or message.document.name)
            sha256, size = _copy_document(message, staging / file_name)
        meta = {
            "item_id": message.item_id,
            "recipient": message.recipient,
            "account": message.account,
            "template": message.template,
            "text": message.text,
            "document_name": (message.document_name or message.document.name) if message.document else "",
            "document_file": file_name,
            "mime": message.mime if message.document else "",
            "size": size,
            "sha256": sha256,
            "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        _write_synced(staging / TEXT_FILE, message.text.encode("utf-8"))
        _write_synced(staging / META_FILE,
                      json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
        return SendOutcome(SendStatus.HANDED_OVER, sha256=sha256,
                           detail=f"written to {self.folder / item_folder_name(message)}")

    def _install(self, staging: Path, final: Path, prefix: str) -> None:
        """Move the finished item into place, replacing any earlier copy of the same item."""
        earlier = [p for p in self.folder.glob(prefix + "*") if p.is_dir()]
        parked = []
        for old in earlier:
            target = self.folder / f".old-{prefix}{uuid.uuid4().hex[:8]}"
            os.replace(old, target)
            parked.append(target)
        os.replace(staging, final)
        _sync_dir(self.folder)
        for old in parked:
            self._remove(old)

    # -- housekeeping ------------------------------------------------------------------------

    def _sweep(self, prefix: str) -> None:
        """Remove hidden leftovers of an earlier write of this item that was interrupted."""
        for leftover in self.folder.glob(prefix + "*"):
            self._remove(leftover)

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            shutil.rmtree(path)
        except FileNotFoundError:
            pass
        except OSError:
            log.warning("could not remove %s", path, exc_info=True)

    def _unwritable(self, exc: OSError) -> SendOutcome:
        log.warning("folder transport cannot write to %s", self.folder, exc_info=exc)
        return SendOutcome(
            SendStatus.FAILED,
            error=tr("Folder pesan keluar {folder} tidak bisa ditulis: {error}. Periksa folder "
                     "itu (ada, tidak penuh, boleh ditulis) di Pengaturan WhatsApp.",
                     folder=self.folder, error=exc.strerror or exc),
            detail=f"cannot write {self.folder}: {exc!r}",
        )


def _copy_document(message: Outgoing, target: Path) -> tuple[str, int]:
    """Copy the document's bytes to `target` as they are; their sha256 and size."""
    assert message.document is not None
    digest, size = hashlib.sha256(), 0
    try:
        source = open(message.document, "rb")  # noqa: SIM115 - closed below, errors told apart
    except FileNotFoundError as exc:
        raise _DocumentProblem(SendOutcome(
            SendStatus.FAILED_PERMANENT,
            error=tr("Berkas dokumen untuk dikirim tidak ditemukan: {name}.",
                     name=message.document_name or message.document.name),
            detail=f"document missing: {message.document}")) from exc
    except OSError as exc:
        raise _DocumentProblem(SendOutcome(
            SendStatus.FAILED,
            error=tr("Berkas dokumen tidak bisa dibaca: {error}.", error=exc.strerror or exc),
            detail=f"cannot read {message.document}: {exc!r}")) from exc
    with source, open(target, "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    sha256 = digest.hexdigest()
    if message.document_sha256 and sha256 != message.document_sha256.lower():
        raise _DocumentProblem(SendOutcome(
            SendStatus.FAILED_PERMANENT, sha256=sha256,
            error=tr("Isi berkas dokumen tidak sama dengan yang tercatat; dokumen tidak dikirim."),
            detail=f"sha256 mismatch: expected {message.document_sha256}, read {sha256}"))
    return sha256, size


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _sync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles for this)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
