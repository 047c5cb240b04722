"""Reading .txt/.zip exports: media matched to entries, encodings, and unsafe zips refused."""

from __future__ import annotations

import stat
import zipfile

import pytest

from dikjamila.errors import InvalidInput
from dikjamila.intake.chat_export import (
    MessageKind,
    ZipLimits,
    decode_chat,
    read_export,
)

CHAT = ("[15/02/20 08.31.00] Budi: \u200e<terlampir: 00000013-KK.pdf>\n"
        "[15/02/20 08.32.00] Budi: \u200e<terlampir: 00000014-PHOTO-2020-02-15-08-32-00.jpg> akta\n"
        "[15/02/20 08.33.00] Budi: \u200e<terlampir: 00000015-hilang.pdf>\n")


def _zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:  # name may be a ZipInfo (symlink entries)
            archive.writestr(name, data)
    return path


def _files(tmp_path):
    return sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))


def test_ios_zip_media_matched_and_missing_reported(tmp_path):
    path = _zip(tmp_path / "chat.zip", [("_chat.txt", CHAT.encode()), ("00000013-KK.pdf", b"%PDF-1.4 kk"),
                                        ("00000014-PHOTO-2020-02-15-08-32-00.jpg", b"\xff\xd8jpeg"),
                                        ("extra.webp", b"RIFF")])
    bundle = read_export(path)
    assert bundle.source == "zip" and bundle.chat_entry == "_chat.txt" and bundle.encoding == "utf-8"
    assert bundle.media == {"00000013-KK.pdf": "00000013-KK.pdf",
                            "00000014-PHOTO-2020-02-15-08-32-00.jpg": "00000014-PHOTO-2020-02-15-08-32-00.jpg"}
    assert bundle.missing == ("00000015-hilang.pdf",) and bundle.unreferenced == ("extra.webp",)
    photo = bundle.chat.messages[1]
    assert photo.kind is MessageKind.MEDIA and photo.text == "akta"
    assert bundle.open_entry(bundle.file_of(photo)) == b"\xff\xd8jpeg"
    assert bundle.open_entry(bundle.file_of(bundle.chat.messages[0])) == b"%PDF-1.4 kk"
    assert bundle.file_of(bundle.chat.messages[2]) is None
    assert _files(tmp_path) == ["chat.zip"]


def test_android_zip_in_folder_with_bom_crlf(tmp_path):
    text = ("\ufeff15/02/20 08.31 - Budi: IMG-20200215-WA0001.jpg (file terlampir)\r\nKK saya\r\n"
            "15/02/20 08.32 - Budi: DOC-20200215-WA0002.pdf (file terlampir)\r\n")
    path = _zip(tmp_path / "a.zip", [("Chat WhatsApp dengan Budi/Chat WhatsApp dengan Budi.txt", text.encode()),
                                     ("Chat WhatsApp dengan Budi/IMG-20200215-WA0001.jpg", b"jpg"),
                                     ("notes.txt", b"other")])
    bundle = read_export(path)
    assert bundle.chat_entry.endswith("Chat WhatsApp dengan Budi.txt")
    assert bundle.media == {"IMG-20200215-WA0001.jpg": "Chat WhatsApp dengan Budi/IMG-20200215-WA0001.jpg"}
    assert bundle.missing == ("DOC-20200215-WA0002.pdf",)
    assert bundle.chat.messages[0].text == "KK saya"


def test_txt_export_and_fallback_encoding(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes("15/02/20 08.30 - José: café ok\n".encode("cp1252"))
    bundle = read_export(path)
    assert bundle.source == "txt" and bundle.encoding == "cp1252" and bundle.open_entry is None
    assert bundle.chat.messages[0].sender == "José" and bundle.chat.messages[0].text == "café ok"
    assert "bukan UTF-8" in bundle.warnings[0]
    assert decode_chat("é".encode("utf-16"))[:2] == ("é", "utf-16")
    assert decode_chat(b"\xef\xbb\xbfok")[:2] == ("ok", "utf-8-sig")
    with pytest.raises(InvalidInput, match="tidak didukung"):
        read_export(tmp_path / "chat.rar")


def _symlink(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(("entries", "message"), [
    ([("_chat.txt", b"x"), ("../x", b"evil")], "tidak aman"),
    ([("_chat.txt", b"x"), ("a/../../x", b"evil")], "tidak aman"),
    ([("_chat.txt", b"x"), ("/etc/x", b"evil")], "tidak aman"),
    ([("_chat.txt", b"x"), ("C:\\Windows\\x", b"evil")], "tidak aman"),
    ([("_chat.txt", b"x"), (_symlink("link"), b"/etc/passwd")], "tautan simbolik"),
    ([("_chat.txt", b"x"), ("inner.zip", b"PK\x03\x04rest")], "arsip di dalam arsip"),
    ([("_chat.txt", b"x"), ("photo.jpg", b"PK\x03\x04rest")], "arsip di dalam arsip"),
    ([("_chat.txt", b"x"), ("zeros.jpg", bytes(50 * 1024 * 1024))], "bom zip"),
    ([("readme.md", b"x")], "Tidak ada berkas teks chat"),
])
def test_unsafe_zips_refused_nothing_written(tmp_path, entries, message):
    path = _zip(tmp_path / "evil.zip", entries)
    with pytest.raises(InvalidInput, match=message) as refused:
        read_export(path)
    assert refused.value.message.startswith(("Berkas zip ditolak", "Tidak ada"))
    assert _files(tmp_path) == ["evil.zip"]


def test_limits_on_count_size_and_encryption(tmp_path):
    path = _zip(tmp_path / "many.zip", [("_chat.txt", b"x")] + [(f"f{i}.jpg", b"1234") for i in range(5)])
    with pytest.raises(InvalidInput, match="terlalu banyak berkas"):
        read_export(path, limits=ZipLimits(max_entries=3))
    with pytest.raises(InvalidInput, match="melebihi batas"):
        read_export(path, limits=ZipLimits(max_total_bytes=10))
    raw = bytearray((tmp_path / "many.zip").read_bytes())
    central = raw.index(b"PK\x01\x02")
    raw[central + 8] |= 0x01  # mark the first entry encrypted in the central directory
    (tmp_path / "enc.zip").write_bytes(bytes(raw))
    with pytest.raises(InvalidInput, match="terenkripsi"):
        read_export(tmp_path / "enc.zip")
    (tmp_path / "broken.zip").write_bytes(b"not a zip")
    with pytest.raises(InvalidInput, match="rusak"):
        read_export(tmp_path / "broken.zip")
    assert _files(tmp_path) == ["broken.zip", "enc.zip", "many.zip"]
