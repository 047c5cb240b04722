"""The folder transport writes whole items, the document byte for byte, and says so when it can't."""

from __future__ import annotations

import hashlib
import json

from dikjamila.whatsapp.transports.base import Outgoing, SendStatus
from dikjamila.whatsapp.transports.folder import FolderTransport

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _document(tmp_path, data=PDF):
    path = tmp_path / "blobs" / "ab12"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _message(tmp_path, **overrides):
    values = {"item_id": 123, "recipient": "+6281234567890",
              "text": "Akta kelahiran Anda sudah terbit.", "template": "dokumen_terbit",
              "document": _document(tmp_path), "document_name": "akta-kelahiran.pdf",
              "document_sha256": hashlib.sha256(PDF).hexdigest()}
    return Outgoing(**(values | overrides))


def test_item_written_with_document_bytes_identical(tmp_path):
    out = tmp_path / "keluar"
    outcome = FolderTransport(out).send(_message(tmp_path))

    assert outcome.status is SendStatus.HANDED_OVER
    assert outcome.sha256 == hashlib.sha256(PDF).hexdigest()
    item = out / "000123-+6281234567890"
    assert sorted(p.name for p in out.iterdir()) == [item.name]  # nothing hidden left over
    assert sorted(p.name for p in item.iterdir()) == ["akta-kelahiran.pdf", "pesan.json", "pesan.txt"]
    assert hashlib.sha256((item / "akta-kelahiran.pdf").read_bytes()).hexdigest() == outcome.sha256
    assert (item / "pesan.txt").read_text(encoding="utf-8") == "Akta kelahiran Anda sudah terbit."
    meta = json.loads((item / "pesan.json").read_text(encoding="utf-8"))
    assert meta["recipient"] == "+6281234567890"
    assert meta["template"] == "dokumen_terbit"
    assert meta["text"] == "Akta kelahiran Anda sudah terbit."
    assert meta["document_name"] == "akta-kelahiran.pdf"
    assert meta["sha256"] == outcome.sha256
    assert meta["size"] == len(PDF)


def test_text_only_item(tmp_path):
    out = tmp_path / "keluar"
    outcome = FolderTransport(out).send(Outgoing(item_id=7, recipient="+6281234567890", text="Halo"))
    assert outcome.status is SendStatus.HANDED_OVER and outcome.sha256 is None
    item = out / "000007-+6281234567890"
    assert sorted(p.name for p in item.iterdir()) == ["pesan.json", "pesan.txt"]


def test_writing_the_same_item_again_replaces_it(tmp_path):
    out = tmp_path / "keluar"
    transport = FolderTransport(out)
    first = transport.send(_message(tmp_path, text="versi pertama"))
    (out / "000123-+6281234567890" / "sisa.tmp").write_text("x")  # would survive a merge
    second = transport.send(_message(tmp_path, text="versi kedua"))

    assert first.status is second.status is SendStatus.HANDED_OVER
    assert [p.name for p in out.iterdir()] == ["000123-+6281234567890"]
    item = out / "000123-+6281234567890"
    assert sorted(p.name for p in item.iterdir()) == ["akta-kelahiran.pdf", "pesan.json", "pesan.txt"]
    assert (item / "pesan.txt").read_text(encoding="utf-8") == "versi kedua"


def test_leftovers_of_an_interrupted_write_are_swept(tmp_path):
    out = tmp_path / "keluar"
    (out / ".tmp-000123-abcd").mkdir(parents=True)
    (out / ".tmp-000123-abcd" / "akta-kelahiran.pdf").write_bytes(PDF[:10])
    FolderTransport(out).send(_message(tmp_path))
    assert [p.name for p in out.iterdir()] == ["000123-+6281234567890"]


def test_unwritable_folder_fails_with_an_indonesian_message(tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("a file where the folder should be")
    outcome = FolderTransport(blocker / "keluar").send(_message(tmp_path))

    assert outcome.status is SendStatus.FAILED
    assert "tidak bisa ditulis" in outcome.error and str(blocker) in outcome.error


def test_altered_document_is_refused_and_nothing_is_written(tmp_path):
    out = tmp_path / "keluar"
    outcome = FolderTransport(out).send(_message(tmp_path, document_sha256="0" * 64))
    assert outcome.status is SendStatus.FAILED_PERMANENT
    assert "tidak sama" in outcome.error
    assert list(out.iterdir()) == []


def test_missing_document_is_refused(tmp_path):
    outcome = FolderTransport(tmp_path / "keluar").send(
        _message(tmp_path, document=tmp_path / "hilang.pdf", document_sha256=None))
    assert outcome.status is SendStatus.FAILED_PERMANENT
    assert "tidak ditemukan" in outcome.error


def test_document_name_cannot_escape_the_item_folder(tmp_path):
    out = tmp_path / "keluar"
    FolderTransport(out).send(_message(tmp_path, document_name="../../pesan.json"))
    item = out / "000123-+6281234567890"
    assert sorted(p.name for p in item.iterdir()) == ["dokumen-pesan.json", "pesan.json", "pesan.txt"]
    assert (item / "dokumen-pesan.json").read_bytes() == PDF
