"""Building WhatsApp chat exports for tests: Indonesian Android and English iOS, with media."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.whatsapp_support import jpeg

OFFICE = "Disdukcapil Balangan"


def android_id_chat(resident: str = "Budi Santoso") -> str:
    """An Indonesian Android export (dd/mm/yy, "HH.MM"): a request with two photos and replies."""
    return (
        "01/12/26 10.00 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini "
        "yang dapat membaca atau mendengarkannya.\n"
        f"01/12/26 10.00 - {resident}: Assalamualaikum, saya mau buat akta kelahiran anak saya\n"
        f"01/12/26 10.02 - {resident}: IMG-20261201-WA0001.jpg (file terlampir)\nini KK nya\n"
        f"01/12/26 10.03 - {resident}: IMG-20261201-WA0002.jpg (file terlampir)\nsurat keterangan lahir dari bidan\n"
        f"01/12/26 10.04 - {resident}: Pesan ini dihapus\n"
        f"01/12/26 10.05 - {OFFICE}: Baik Pak, berkas kami periksa.\nMohon ditunggu.\n"
        f"01/12/26 10.07 - {resident}: <Media tidak disertakan>\n"
    )


def ios_en_chat(resident: str = "+62 813-5000-1111") -> str:
    """An English iOS export (brackets, m/d/yy 12 h): a KIA request with a photo."""
    return (
        f"[12/1/26, 9:58:01 AM] {OFFICE}: \u200eMessages and calls are end-to-end encrypted.\n"
        f"[12/1/26, 10:00:00 AM] {resident}: I want to make KIA for my son\n"
        f"[12/1/26, 10:01:00 AM] {resident}: \u200e<attached: 00000003-PHOTO-2026-12-01-10-01-00.jpg>\n"
        f"[12/1/26, 10:02:00 AM] {resident}: akta kelahiran anak\n"
        f"[12/1/26, 10:09:00 AM] {OFFICE}: Thank you, we will check.\n"
    )


def write_zip(path: Path, chat_name: str, chat: str, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(chat_name, chat.encode("utf-8"))
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def android_zip(path: Path, resident: str = "Budi Santoso") -> Path:
    return write_zip(path, f"Chat WhatsApp dengan {resident}.txt", android_id_chat(resident), {
        "IMG-20261201-WA0001.jpg": jpeg((120, 160, 200)), "IMG-20261201-WA0002.jpg": jpeg((30, 60, 90))})


def ios_zip(path: Path) -> Path:
    return write_zip(path, "_chat.txt", ios_en_chat(), {"00000003-PHOTO-2026-12-01-10-01-00.jpg": jpeg((1, 2, 3))})
