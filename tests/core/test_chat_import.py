"""Chat-export import (issue 8, item 4/6): real exports into a real office, through routing."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from dikjamila.db.models import Base, Message
from dikjamila.errors import InvalidInput
from dikjamila.intake.importing import DayOrderNeeded, ImportCancelled
from tests.chat_export_support import (
    OFFICE,
    android_id_chat,
    android_zip,
    ios_zip,
    write_zip,
)
from tests.whatsapp_support import incoming_event, jpeg

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

# Tables an import may leave a trace in even when it is refused or undone: its own log, the
# audit trail (append-only) and the change log other workstations watch.
LOG_TABLES = {"imports", "audit_events", "change_log", "number_counters"}


def _counts(office) -> dict[str, int]:
    with office.db.engine.connect() as conn:
        return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
                for t in Base.metadata.tables if t not in LOG_TABLES}


def _blobs(office) -> set[str]:
    return set(office.store.iter_blobs())


def test_an_android_indonesian_zip_becomes_a_request_with_its_photos(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    summary = desk.import_chat(android_zip(tmp_path / "chat.zip"))
    assert (summary.requests_created, summary.requests_updated, summary.attachments) == (1, 0, 2)
    assert summary.messages == 5  # 4 from the resident (one an omitted file) + 1 office reply
    assert summary.skipped == {"pesan sistem (enkripsi, anggota grup, dll.)": 1,
                               "pesan yang dihapus pengirimnya": 1,
                               "berkas tidak ikut diekspor (ekspor tanpa media)": 1}
    [number] = summary.request_numbers
    req = desk.get_request(desk.find_number(number))
    assert (req.channel, req.status, req.applicant_name, req.applicant_phone) == ("import", "baru", "Budi Santoso", "")
    assert req.suggested_service == "akta_kelahiran" and req.service_code == ""
    assert req.received_at == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10.00 WITA, kept from the chat
    assert sorted(a.original_name for a in req.attachments) == ["IMG-20261201-WA0001.jpg", "IMG-20261201-WA0002.jpg"]
    chosen = desk.update_request(req.id, req.row_version, {"service_code": "akta_kelahiran"})
    assert {a.original_name: a.suggested_requirement for a in chosen.attachments} == {
        "IMG-20261201-WA0001.jpg": "kk", "IMG-20261201-WA0002.jpg": "surat_kelahiran"}
    talk = desk.conversation(req.id)
    assert [e.direction for e in talk].count("out") == 1
    assert "Baik Pak, berkas kami periksa.\nMohon ditunggu." in [e.text for e in talk]
    assert desk.unhandled_messages() == []


def test_reimporting_the_same_export_adds_nothing(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    path = android_zip(tmp_path / "chat.zip")
    desk.import_chat(path)
    before = _counts(staffed_office)
    again = desk.import_chat(path)
    assert (again.messages, again.requests_created, again.attachments, again.already_known) == (0, 0, 0, 5)
    assert _counts(staffed_office) == before


def test_a_later_export_of_the_same_chat_adds_only_the_new_messages(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    desk.import_chat(write_zip(tmp_path / "a.zip", "_chat.txt", android_id_chat(), {}))
    longer = android_id_chat() + "02/12/26 08.15 - Budi Santoso: Pak, sudah jadi belum?\n"
    summary = desk.import_chat(write_zip(tmp_path / "b.zip", "_chat.txt", longer, {}))
    assert (summary.messages, summary.requests_created, summary.requests_updated) == (1, 0, 1)


def test_an_ios_english_zip_with_a_number_as_sender(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    summary = desk.import_chat(ios_zip(tmp_path / "ios.zip"))
    [number] = summary.request_numbers
    req = desk.get_request(desk.find_number(number))
    assert req.applicant_phone == "+6281350001111" and req.suggested_service == "kia"
    assert [a.original_name for a in req.attachments] == ["00000003-PHOTO-2026-12-01-10-01-00.jpg"]
    assert req.received_at == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def test_a_live_burst_and_the_export_of_the_same_chat_give_one_request(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    photo = tmp_path / "live.jpg"
    photo.write_bytes(jpeg((120, 160, 200)))
    live = desk.store_incoming(incoming_event("L1", "0813 5000 1111", push_name="Budi",
                                              text="Assalamualaikum, saya mau buat akta kelahiran anak saya",
                                              at="2026-12-01T02:00:00+00:00"))
    desk.store_incoming(incoming_event("L2", "0813 5000 1111", push_name="Budi", text="ini KK nya", file=photo,
                                       mime="image/jpeg", kind="image", at="2026-12-01T02:02:30+00:00"))
    before = desk.count()
    # The office phone saved the resident as "Pak Budi RT 3"; the export has one more message.
    chat = android_id_chat("Pak Budi RT 3") + "01/12/26 10.20 - Pak Budi RT 3: yang kedua surat lahir\n"
    summary = desk.import_chat(write_zip(tmp_path / "c.zip", "_chat.txt", chat,
                                         {"IMG-20261201-WA0001.jpg": jpeg((120, 160, 200)),
                                          "IMG-20261201-WA0002.jpg": jpeg((30, 60, 90))}))
    assert desk.count() == before and summary.requests_created == 0
    assert summary.request_numbers == [desk.get_request(live.request_id).number]
    assert summary.already_known == 2
    req = desk.get_request(live.request_id)
    assert len(req.attachments) == 2  # the live photo once, the second photo from the export
    assert "yang kedua surat lahir" in [e.text for e in desk.conversation(req.id)]


def test_an_ambiguous_day_order_is_asked_then_imported(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    chat = (f"[03/04/26, 09:00:00] Rina: mau urus KIA\n[03/04/26, 09:05:00] {OFFICE}: baik\n")
    path = write_zip(tmp_path / "x.zip", "_chat.txt", chat, {})
    with pytest.raises(DayOrderNeeded) as asked:
        desk.import_chat(path)
    assert asked.value.example == "03/04/2026"
    summary = desk.import_chat(path, day_first=False)
    req = desk.get_request(desk.find_number(summary.request_numbers[0]))
    assert req.received_at.astimezone(UTC).date().isoformat() == "2026-03-04"


def test_a_chat_with_no_office_side_is_refused_with_what_to_do(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    chat = "01/12/26 10.00 - Budi: halo\n01/12/26 10.01 - Petugas Nur: iya pak, silakan\n"
    path = write_zip(tmp_path / "x.zip", "_chat.txt", chat, {})
    before = _counts(staffed_office)
    with pytest.raises(InvalidInput, match="Nama kantor di chat"):
        desk.import_chat(path)
    assert _counts(staffed_office) == before
    summary = desk.import_chat(path, office_name="Petugas Nur")
    assert summary.requests_created == 1 and summary.messages == 2


def _evil(name, data):
    return (name, data)


@pytest.mark.parametrize(("extra", "reason"), [
    (("../../escape.jpg", b"x"), "tidak aman"),
    (("/etc/cron.d/x", b"x"), "tidak aman"),
    (("inner.zip", b"PK\x03\x04rest"), "arsip di dalam arsip"),
    (("bomb.jpg", bytes(60 * 1024 * 1024)), "bom zip"),
    ("symlink", "tautan simbolik"),
])
def test_unsafe_exports_are_refused_with_the_office_unchanged(staffed_office, staff, tmp_path, extra, reason):
    import stat

    desk = staffed_office.desk(staff["sari"])
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", android_id_chat().encode())
        if extra == "symlink":
            info = zipfile.ZipInfo("IMG-20261201-WA0001.jpg")
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
        else:
            archive.writestr(*extra)
    data_files = sorted(p for p in staffed_office.paths.data_dir.rglob("*") if "logs" not in p.parts
                        and not p.name.startswith("dikjamila.sqlite3"))
    before = _counts(staffed_office)
    with pytest.raises(InvalidInput, match=reason):
        desk.import_chat(path)
    assert _counts(staffed_office) == before
    assert sorted(p for p in staffed_office.paths.data_dir.rglob("*") if "logs" not in p.parts
                  and not p.name.startswith("dikjamila.sqlite3")) == data_files
    assert not (tmp_path.parent / "escape.jpg").exists()


@pytest.mark.parametrize("cancel_after", [1, 3, 5])
def test_a_cancelled_import_leaves_the_office_as_it_was(staffed_office, staff, tmp_path, cancel_after):
    desk = staffed_office.desk(staff["sari"])
    existing = desk.store_incoming(incoming_event("L1", "0813 5000 1111", text="mau urus KIA"))
    before, blobs = _counts(staffed_office), _blobs(staffed_office)
    asked = []

    def should_cancel() -> bool:
        asked.append(1)
        return len(asked) > cancel_after

    with pytest.raises(ImportCancelled):
        desk.import_chat(android_zip(tmp_path / "chat.zip"), should_cancel=should_cancel)
    assert _counts(staffed_office) == before and _blobs(staffed_office) == blobs
    assert desk.incoming_message(existing.id).request_id == existing.request_id
    with staffed_office.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Message).where(Message.import_id.is_not(None))) == 0


def test_progress_is_reported_from_start_to_end(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    seen = []
    desk.import_chat(android_zip(tmp_path / "chat.zip"), progress=lambda f, t: seen.append((f, t)))
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert all(t for _, t in seen)


def test_a_txt_export_reports_its_files_as_missing(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    path = tmp_path / "Chat WhatsApp dengan Budi.txt"
    path.write_text(android_id_chat(), encoding="utf-8")
    summary = desk.import_chat(path)
    assert summary.missing_files == ["IMG-20261201-WA0001.jpg", "IMG-20261201-WA0002.jpg"]
    assert summary.attachments == 0 and summary.requests_created == 1


def test_a_file_that_is_not_there_or_not_a_chat_is_refused_clearly(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    with pytest.raises(InvalidInput, match="tidak ditemukan"):
        desk.import_chat(tmp_path / "tidak-ada.zip")
    (tmp_path / "catatan.txt").write_text("bukan chat\nsama sekali\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="Tidak ada pesan chat"):
        desk.import_chat(tmp_path / "catatan.txt")
    (tmp_path / "foto.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(InvalidInput, match="tidak didukung"):
        desk.import_chat(tmp_path / "foto.pdf")


def test_cancelling_an_import_keeps_a_file_that_reached_the_tray_meanwhile(staffed_office, staff, tmp_path):
    """The same photo arrives through a watched folder while the import runs: cancelling the
    import must not delete the tray's file from the store."""
    import hashlib
    import zipfile

    desk = staffed_office.desk(staff["sari"])
    archive = android_zip(tmp_path / "chat.zip")
    with zipfile.ZipFile(archive) as opened:
        photo = next(n for n in opened.namelist() if n.endswith(".jpg"))
        (tmp_path / "unduhan").mkdir()
        dropped = tmp_path / "unduhan" / "foto.jpg"
        dropped.write_bytes(opened.read(photo))
    asked = []

    def should_cancel() -> bool:
        asked.append(1)
        if len(asked) == 4:
            desk.take_loose_file(dropped, "downloads")
        return len(asked) > 4

    with pytest.raises(ImportCancelled):
        desk.import_chat(archive, should_cancel=should_cancel)
    sha = hashlib.sha256(dropped.read_bytes()).hexdigest()
    assert [f.blob_sha256 for f in desk.loose_files()] == [sha]
    assert sha in _blobs(staffed_office)
