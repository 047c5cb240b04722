"""`read_export`: a `.txt` or `.zip` WhatsApp export, checked and read without extracting anything."""

from __future__ import annotations

import logging
import posixpath
import re
import stat
import threading
import zipfile
from pathlib import Path, PurePosixPath

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.intake.chat_export.model import (
    ExportBundle,
    MessageKind,
    ParsedChat,
    ZipLimits,
)
from dikjamila.intake.chat_export.parser import parse_chat

log = logging.getLogger(__name__)
DEFAULT_LIMITS = ZipLimits()

_ARCHIVES = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz")
_OFFICE_ZIPS = (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")  # zip inside by design
_CHAT_NAME = re.compile(r"^(?:_chat|chat whatsapp dengan .+|whatsapp chat with .+|whatsapp chat - .+)\.txt$", re.IGNORECASE)


def read_export(path: Path, *, limits: ZipLimits = DEFAULT_LIMITS, day_first: bool | None = None) -> ExportBundle:
    """Parse an export. Raises InvalidInput (Indonesian message) for unsafe or unreadable files."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        size = path.stat().st_size
        if size > limits.max_chat_bytes:
            raise InvalidInput(tr("Berkas chat terlalu besar ({size} bita, batas {limit}).",
                                  size=size, limit=limits.max_chat_bytes))
        text, encoding, warnings = decode_chat(path.read_bytes())
        chat = parse_chat(text, day_first=day_first)
        names = tuple(dict.fromkeys(chat.attachments))
        return ExportBundle(chat, "txt", None, encoding, missing=names,
                            warnings=(*warnings, *chat.warnings))
    if suffix != ".zip":
        raise InvalidInput(tr("Jenis berkas tidak didukung: {suffix}. Pilih ekspor chat .txt atau .zip.",
                              suffix=suffix or path.name))
    return _read_zip(path, limits, day_first)


def decode_chat(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """(text, encoding, warnings): UTF-8 (BOM or not), UTF-16 by BOM, else cp1252/latin-1 with a warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig", ()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", ()
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as exc:
        log.info("chat export is not UTF-8 (%s); falling back", exc)
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, encoding, (tr("Teks chat bukan UTF-8; dibaca sebagai {encoding}. Periksa huruf "
                                   "yang tampak aneh.", encoding=encoding),)
    raise AssertionError("latin-1 decodes any bytes")


def _refuse(reason: str, **values: object) -> InvalidInput:
    return InvalidInput(tr("Berkas zip ditolak: ") + tr(reason, **values))


def _check_entries(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """The archive's files, after every safety check; raises InvalidInput on the first breach."""
    if len(infos) > limits.max_entries:
        raise _refuse("terlalu banyak berkas ({count}, batas {limit}).", count=len(infos), limit=limits.max_entries)
    files, total = [], 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise _refuse("jalur berkas tidak aman ({name}).", name=info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse("berisi tautan simbolik ({name}).", name=info.filename)
        if info.flag_bits & 0x1:
            raise _refuse("berisi berkas terenkripsi ({name}).", name=info.filename)
        if info.is_dir():
            continue
        if name.lower().endswith(_ARCHIVES):
            raise _refuse("berisi arsip di dalam arsip ({name}).", name=info.filename)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _refuse("ukurannya setelah dibuka melebihi batas ({limit} bita).", limit=limits.max_total_bytes)
        if (info.file_size >= limits.ratio_min_bytes
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            raise _refuse("rasio kompresi {name} tidak wajar (kemungkinan bom zip).", name=info.filename)
        files.append(info)
    return files


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """The entry's bytes, refusing any that expand past its declared size or `cap`."""
    limit = min(info.file_size, cap)
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise _refuse("isi {name} lebih besar dari ukuran yang dinyatakan.", name=info.filename)
    return data


def _pick_chat(files: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    texts = [i for i in files if i.filename.lower().endswith(".txt")]
    named = [i for i in texts if _CHAT_NAME.match(posixpath.basename(i.filename))]
    if named or len(texts) == 1:
        return min(named or texts, key=lambda i: i.filename.count("/"))
    if not texts:
        raise InvalidInput(tr("Tidak ada berkas teks chat (.txt) di dalam zip ini."))
    raise InvalidInput(tr("Zip ini berisi beberapa berkas .txt; tidak jelas mana yang berisi chat."))


def _read_zip(path: Path, limits: ZipLimits, day_first: bool | None) -> ExportBundle:
    try:
        with zipfile.ZipFile(path) as archive:
            files = _check_entries(archive.infolist(), limits)
            chat_info = _pick_chat(files)
            if chat_info.file_size > limits.max_chat_bytes:
                raise _refuse("teks chat terlalu besar ({size} bita).", size=chat_info.file_size)
            if nested := _nested_zip(archive, files, chat_info):
                raise _refuse("berisi arsip di dalam arsip ({name}).", name=nested)
            raw = _read_capped(archive, chat_info, limits.max_chat_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise InvalidInput(tr("Berkas zip rusak atau tidak bisa dibaca: {name}.", name=path.name)) from exc
    text, encoding, warnings = decode_chat(raw)
    chat: ParsedChat = parse_chat(text, day_first=day_first)
    by_name = {posixpath.basename(i.filename): i.filename for i in files if i is not chat_info}
    folded = {name.casefold(): entry for name, entry in by_name.items()}
    media, missing = {}, []
    for message in chat.messages:
        name = message.attachment
        if message.kind is not MessageKind.MEDIA or not name or name in media:
            continue
        entry = by_name.get(name) or folded.get(name.casefold())
        if entry:
            media[name] = entry
        elif name not in missing:
            missing.append(name)
    used = set(media.values())
    unreferenced = tuple(e for e in by_name.values() if e not in used)
    reader = _EntryReader(path, {i.filename: i for i in files}, limits.max_total_bytes)
    return ExportBundle(chat, "zip", chat_info.filename, encoding, media, tuple(missing), unreferenced,
                        (*warnings, *chat.warnings), reader)


class _EntryReader:
    """`open_entry`: one file's bytes from the zip, nothing written to disk.

    Each thread keeps its own open ZipFile: re-opening the zip for every file re-read its
    whole directory (6 ms for 2,000 entries), which made storing many photos quadratic.
    `close()` closes them all (the importer calls it when its files are stored).
    """

    def __init__(self, path: Path, entries: dict[str, zipfile.ZipInfo], cap: int):
        self._path, self._entries, self._cap = path, entries, cap
        self._local = threading.local()
        self._opened: list[zipfile.ZipFile] = []
        self._lock = threading.Lock()

    def __call__(self, entry: str) -> bytes:
        if entry not in self._entries:
            raise InvalidInput(tr("Berkas {name} tidak ada di dalam zip.", name=entry))
        archive = getattr(self._local, "archive", None)
        if archive is None:
            archive = self._local.archive = zipfile.ZipFile(self._path)
            with self._lock:
                self._opened.append(archive)
        return _read_capped(archive, archive.getinfo(entry), self._cap)

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for archive in opened:
            archive.close()
        self._local = threading.local()


def _nested_zip(archive: zipfile.ZipFile, files: list[zipfile.ZipInfo], chat: zipfile.ZipInfo) -> str | None:
    """Name of an entry that is itself a zip (by its first bytes) though not named so, if any."""
    for info in files:
        if info is chat or info.filename.lower().endswith(_OFFICE_ZIPS) or info.file_size < 4:
            continue
        with archive.open(info) as stream:
            if stream.read(4) in (b"PK\x03\x04", b"PK\x05\x06"):
                return info.filename
    return None
