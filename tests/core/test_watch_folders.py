"""Watched folders (issue 8, item 5): downloads and SIAK's issued PDFs into "Berkas belum ditempatkan".

Real files in a temp folder, a real office, the real watchdog observer; settle times of a few
tenths of a second, and every wait is a poll with a deadline.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from dikjamila.auth.roles import Actor
from dikjamila.errors import Conflict, InvalidInput, PermissionDenied
from dikjamila.intake.watch import (
    FolderWatcher,
    ReadinessCheck,
    WatchService,
    is_temporary_name,
)
from tests.whatsapp_support import jpeg
from tests.whatsapp_support import text_pdf as pdf

from .conftest import new_request

SETTLE = 0.2
NIK = "6311054506900003"
CHILD_NIK = "6311051203150002"
KK = "6311051203150009"




def wait_until(condition, timeout: float = 5.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")




def configure(office, **values) -> None:
    office.update_settings(Actor.system(), replace(office.settings, **values))


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


@pytest.fixture
def folders(tmp_path):
    down, siak = tmp_path / "unduhan", tmp_path / "siak"
    down.mkdir()
    siak.mkdir()
    return down, siak


@pytest.fixture
def service(staffed_office, folders):
    configure(staffed_office, watch_downloads_dir=str(folders[0]), watch_siak_dir=str(folders[1]))
    svc = WatchService(staffed_office, settle_seconds=SETTLE, rescan_seconds=0.5)
    svc.start()
    yield svc
    svc.stop()


def tray(desk, n: int, timeout: float = 5.0):
    """The tray once it holds `n` files."""
    def full():
        files = desk.loose_files()
        return files if len(files) == n else None
    return wait_until(full, timeout, f"{n} file(s) in the tray")


# -- the "done when" -------------------------------------------------------------------
def test_a_siak_pdf_holding_a_requests_nik_is_offered_to_it_and_an_unknown_nik_goes_to_the_tray(
        desk, service, folders):
    req = desk.create_request(new_request(applicant_nik=NIK))
    (folders[1] / "akta_472.pdf").write_bytes(pdf("KUTIPAN AKTA KELAHIRAN", f"NIK {NIK}", "Siti Aminah"))
    [found] = tray(desk, 1)
    assert found.folder_kind == "siak" and found.kind == "pdf" and found.role == "issued"
    assert [(o.request_id, o.number, o.placed) for o in found.offered] == [(req.id, req.number, False)]
    assert [f.id for f in desk.offered_issued_pdfs(req.id)] == [found.id]

    (folders[1] / "akta_473.pdf").write_bytes(pdf("KUTIPAN AKTA KELAHIRAN", "NIK 6311010101900001"))
    stranger = next(f for f in tray(desk, 2) if f.original_name == "akta_473.pdf")
    assert stranger.offered == () and desk.loose_count() == 2
    assert [f.id for f in desk.offered_issued_pdfs(req.id)] == [found.id]

    att = desk.place_loose_file(found.id, req.id)
    assert att.role == "issued" and att.kind == "pdf" and att.pages == 1 and att.source == "watch_siak"
    assert [a.blob_sha256 for a in desk.get_request(req.id).attachments] == [found.blob_sha256]
    assert desk.offered_issued_pdfs(req.id) == [] and desk.loose_count() == 1
    assert desk.loose_file(found.id).placed_request_id == req.id and not desk.loose_file(found.id).is_open


def test_a_half_written_file_is_not_read_before_it_stops_changing(tmp_path):
    folder = tmp_path / "siak"
    folder.mkdir()
    content = pdf("KARTU KELUARGA", f"No. {KK}") + b"%" * 40_000  # bytes after %%EOF are still a PDF
    seen: list[bytes] = []
    # Settling takes 0.5 s here, five times the pause between two writes: room for a slow machine.
    watcher = FolderWatcher(folder, lambda p: seen.append(p.read_bytes()), rescan_seconds=0.1,
                            settle_seconds=0.5)
    watcher.start()
    try:
        target = folder / "kk.pdf"
        with open(target, "wb") as out:
            for start in range(0, len(content), 4_000):  # ~1 s of writing, a step every 0.1 s
                out.write(content[start:start + 4_000])
                out.flush()
                time.sleep(0.1)
                assert seen == [], "the watcher took the file while it was still being written"
        wait_until(lambda: seen, 3, "the finished file")
        time.sleep(0.3)
        assert seen == [content]  # the whole file, once
    finally:
        watcher.stop()


# -- finding files --------------------------------------------------------------------------
def test_readiness_needs_two_equal_looks_settle_seconds_apart(tmp_path):
    now = [100.0]
    check = ReadinessCheck(1.0, clock=lambda: now[0])
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"12345")
    assert not check.is_ready(path)  # the first look starts the clock
    now[0] += 0.5
    assert not check.is_ready(path)
    with open(path, "ab") as out:
        out.write(b"678")
    now[0] += 1.0
    assert not check.is_ready(path)  # it grew: the clock starts again
    now[0] += 1.0
    assert check.is_ready(path)
    empty = tmp_path / "empty.pdf"
    empty.touch()
    check.is_ready(empty)
    now[0] += 5
    assert not check.is_ready(empty)  # nothing written yet
    assert not check.is_ready(tmp_path / "gone.pdf")


@pytest.mark.parametrize("name, temporary", [
    ("akta.pdf.crdownload", True), ("scan.PART", True), ("a.partial", True), ("x.tmp", True),
    ("f.pdf.download", True), ("~$surat.docx", True), (".hidden.pdf", True), ("Thumbs.db", True),
    ("akta.pdf", False), ("IMG-20261201-WA0001.jpg", False), ("KK 6311.pdf", False),
])
def test_temporary_names(name, temporary):
    assert is_temporary_name(name) is temporary


def test_a_crdownload_is_ignored_until_it_is_renamed(tmp_path):
    folder = tmp_path / "unduhan"
    folder.mkdir()
    taken: list[Path] = []
    watcher = FolderWatcher(folder, taken.append, rescan_seconds=0.1, settle_seconds=SETTLE)
    watcher.start()
    try:
        partial = folder / "akta.pdf.crdownload"
        partial.write_bytes(pdf("AKTA"))
        time.sleep(SETTLE * 3)
        watcher.scan_now()
        assert taken == [] and watcher.pending == frozenset()
        partial.rename(folder / "akta.pdf")
        wait_until(lambda: taken, 3, "the renamed file")
        assert taken == [folder / "akta.pdf"]
    finally:
        watcher.stop()


def test_the_rescan_finds_files_no_event_reported(tmp_path):
    folder = tmp_path / "unduhan"
    folder.mkdir()
    (folder / "before.jpg").write_bytes(jpeg())  # written while nothing watched
    taken: list[str] = []
    watcher = FolderWatcher(folder, lambda p: taken.append(p.name), rescan_seconds=0.3, settle_seconds=SETTLE,
                            observe=False)
    watcher.start()
    try:
        wait_until(lambda: "before.jpg" in taken, 3, "the file written before start")
        assert not watcher.observing
        (folder / "later.jpg").write_bytes(jpeg())  # no observer: only the periodic rescan sees it
        wait_until(lambda: "later.jpg" in taken, 3, "the file found by the rescan")
        time.sleep(0.7)
        assert sorted(taken) == ["before.jpg", "later.jpg"]  # each handed over once
        assert watcher.scans >= 3
    finally:
        watcher.stop()


def test_the_rescan_leaves_old_files_alone_but_a_file_moved_in_is_taken_at_any_age(tmp_path):
    folder, outside = tmp_path / "unduhan", tmp_path / "lain"
    folder.mkdir()
    outside.mkdir()
    month_ago = time.time() - 30 * 24 * 3600
    for place in (folder / "lama.jpg", outside / "pindahan.jpg"):
        place.write_bytes(jpeg())
        os.utime(place, (month_ago, month_ago))
    taken: list[str] = []
    watcher = FolderWatcher(folder, lambda p: taken.append(p.name), rescan_seconds=0.1, settle_seconds=SETTLE,
                            max_age_seconds=7 * 24 * 3600)
    watcher.start()
    try:
        wait_until(lambda: watcher.scans >= 3 and watcher.observing, 3, "a few rescans")
        (outside / "pindahan.jpg").rename(folder / "pindahan.jpg")  # keeps its old time
        wait_until(lambda: taken, 3, "the file moved in")
        time.sleep(0.3)
        assert taken == ["pindahan.jpg"]
    finally:
        watcher.stop()


def test_a_missing_folder_is_logged_once_and_watched_when_it_appears(tmp_path, caplog):
    folder = tmp_path / "usb"
    taken: list[str] = []
    watcher = FolderWatcher(folder, lambda p: taken.append(p.name), rescan_seconds=0.1, settle_seconds=SETTLE)
    with caplog.at_level(logging.WARNING, logger="dikjamila.intake.watch.watcher"):
        watcher.start()
        try:
            wait_until(lambda: watcher.scans >= 4, 3, "several rescans")
            assert len([r for r in caplog.records if "cannot be read" in r.getMessage()]) == 1
            folder.mkdir()
            (folder / "foto.jpg").write_bytes(jpeg())
            wait_until(lambda: taken, 3, "the file in the new folder")
            wait_until(lambda: watcher.observing, 3, "the observer watching the new folder")
        finally:
            watcher.stop()
    assert taken == ["foto.jpg"]


def test_a_failing_hand_over_is_logged_and_tried_again_at_the_next_rescan(tmp_path, caplog):
    folder = tmp_path / "unduhan"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg())
    calls: list[str] = []

    def flaky(path: Path) -> None:
        calls.append(path.name)
        if len(calls) == 1:
            raise RuntimeError("database locked")

    watcher = FolderWatcher(folder, flaky, rescan_seconds=0.2, settle_seconds=SETTLE)
    watcher.start()
    try:
        wait_until(lambda: len(calls) >= 2, 3, "a second try")
        time.sleep(0.5)
        assert calls == ["a.jpg", "a.jpg"] and watcher.handed_over == 1 and watcher.running
    finally:
        watcher.stop()
    assert "trying again at the next rescan" in caplog.text


def test_stop_is_quick(tmp_path):
    watcher = FolderWatcher(tmp_path, lambda p: None, rescan_seconds=3600, settle_seconds=1)
    watcher.start()
    wait_until(lambda: watcher.scans >= 1, 3, "the first scan")
    started = time.monotonic()
    watcher.stop()
    assert time.monotonic() - started < 1.0 and not watcher.running
    assert not [t for t in threading.enumerate() if t.name == f"watch-{tmp_path.name}"]


# -- matching and the tray ------------------------------------------------------------------
def test_a_kk_is_offered_to_every_family_request_and_stays_until_each_has_it(desk, service, folders):
    mother = desk.create_request(new_request(applicant_nik=NIK, kk_number=KK))
    child = desk.create_request(new_request(applicant_name="Ahmad", applicant_nik=CHILD_NIK, kk_number=KK,
                                            applicant_phone="0813-5000-2222"))
    (folders[1] / "kk.pdf").write_bytes(pdf("KARTU KELUARGA", f"No. {KK}"))
    [kk] = tray(desk, 1)
    assert {o.request_id for o in kk.offered} == {mother.id, child.id}
    assert [f.id for f in desk.offered_issued_pdfs(mother.id)] == [kk.id] == [
        f.id for f in desk.offered_issued_pdfs(child.id)]

    desk.place_loose_file(kk.id, mother.id)
    after = desk.loose_file(kk.id)
    assert after.is_open and [o.request_id for o in after.waiting_offers] == [child.id]
    assert desk.offered_issued_pdfs(mother.id) == [] and [f.id for f in desk.offered_issued_pdfs(child.id)] == [kk.id]
    with pytest.raises(Conflict, match="sudah memiliki dokumen terbit"):
        desk.place_loose_file(kk.id, mother.id)
    desk.place_loose_file(kk.id, child.id)
    assert not desk.loose_file(kk.id).is_open and desk.loose_count() == 0

    # The request number in the file name wins over the NIKs in the text.
    (folders[1] / f"{child.number}.pdf").write_bytes(pdf("KUTIPAN AKTA", f"NIK {NIK}", f"NIK {CHILD_NIK}"))
    [named] = tray(desk, 1)
    assert [o.request_id for o in named.offered] == [child.id]


def test_the_same_file_twice_is_one_tray_row(desk, service, folders, staffed_office):
    data = jpeg()
    (folders[0] / "IMG-1.jpg").write_bytes(data)
    [first] = tray(desk, 1)
    (folders[0] / "IMG-1 (1).jpg").write_bytes(data)  # downloaded again
    wait_until(lambda: service.watchers["downloads"].handed_over >= 2, 3, "the second copy handed over")
    assert [f.id for f in desk.loose_files()] == [first.id]
    again = staffed_office.desk(Actor.system("watch")).take_loose_file(folders[0] / "IMG-1 (1).jpg", "downloads")
    assert again.id == first.id and again.new is False
    # The same content in the SIAK folder is another folder's file: a row of its own.
    shutil.copyfile(folders[0] / "IMG-1.jpg", folders[1] / "IMG-1.jpg")
    assert {f.folder_kind for f in tray(desk, 2)} == {"downloads", "siak"}


def test_a_corrupt_photo_is_refused_in_indonesian_and_the_watcher_goes_on(desk, service, folders, staffed_office):
    blobs_before = sorted(staffed_office.paths.blobs_dir.rglob("*"))
    (folders[0] / "rusak.jpg").write_bytes(jpeg()[:1500])
    wait_until(lambda: service.refusals, 3, "the refusal")
    [refusal] = service.refusals
    assert refusal.folder_kind == "downloads" and refusal.path.name == "rusak.jpg"
    assert "rusak" in refusal.reason and "foto tidak bisa dibuka" in refusal.reason
    assert desk.loose_count() == 0
    assert [p for p in staffed_office.paths.blobs_dir.rglob("*") if p.is_file() and "tmp" not in p.parts] == [
        p for p in blobs_before if p.is_file() and "tmp" not in p.parts]
    with pytest.raises(InvalidInput, match="rusak"):
        staffed_office.desk(Actor.system("watch")).take_loose_file(folders[0] / "rusak.jpg", "downloads")

    (folders[0] / "ktp.jpg").write_bytes(jpeg())
    [good] = tray(desk, 1)
    assert good.original_name == "ktp.jpg"
    service.scan_now()
    assert len(service.refusals) == 1  # the refused file is not tried again while it is unchanged


def test_downloads_placed_on_checklist_items_count_for_completeness(desk, service, folders):
    req = desk.create_request(new_request(service_code="kk_hilang_rusak", applicant_nik=NIK,
                                          facts={"applicant_is_subject": True}))
    desk.claim(req.id)
    (folders[0] / "ktp.jpg").write_bytes(jpeg())
    (folders[0] / "kk-lama.pdf").write_bytes(pdf("KARTU KELUARGA", "Siti"))
    files = {f.original_name: f for f in tray(desk, 2)}
    assert all(f.role == "resident" and f.offered == () for f in files.values())
    assert not desk.check(req.id).complete
    ktp = desk.place_loose_file(files["ktp.jpg"].id, req.id, "ktp_el")
    assert ktp.requirement_code == "ktp_el" and ktp.role == "resident" and ktp.source == "watch_downloads"
    with pytest.raises(InvalidInput, match="sudah ditempatkan"):
        desk.place_loose_file(files["ktp.jpg"].id, req.id, "ktp_el")
    desk.place_loose_file(files["kk-lama.pdf"].id, req.id, "kk_rusak")
    assert desk.check(req.id).complete and desk.get_request(req.id).complete
    assert desk.loose_count() == 0
    assert len(desk.loose_files(include_placed=True)) == 2
    actions = [e.action for e in desk.history(req.id)]
    assert actions.count("attachment.add") == 2


def test_dismissing_and_what_may_not_be_placed(desk, service, folders, staff, staffed_office):
    req = desk.create_request(new_request(applicant_nik=NIK))
    (folders[0] / "foto.jpg").write_bytes(jpeg())
    (folders[1] / "akta.pdf").write_bytes(pdf(f"NIK {NIK}"))
    files = {f.original_name: f for f in tray(desk, 2)}
    with pytest.raises(InvalidInput, match="bukan berkas persyaratan"):
        desk.place_loose_file(files["akta.pdf"].id, req.id, "surat_keterangan_lahir")
    with pytest.raises(InvalidInput, match="tidak ada di SOP"):
        desk.place_loose_file(files["foto.jpg"].id, req.id, "bukan_persyaratan")
    kiosk = staffed_office.desk(staff["kios1"])
    with pytest.raises(PermissionDenied):
        kiosk.loose_files()
    with pytest.raises(PermissionDenied):
        kiosk.place_loose_file(files["foto.jpg"].id, req.id)

    gone = desk.dismiss_loose_file(files["foto.jpg"].id)
    assert gone.dismissed_at is not None and not gone.is_open
    assert [f.original_name for f in desk.loose_files()] == ["akta.pdf"] and desk.loose_count() == 1
    with pytest.raises(InvalidInput, match="sudah diabaikan"):
        desk.place_loose_file(files["foto.jpg"].id, req.id)
    assert desk.get_request(req.id).attachments == []
    # Seen again (a rescan after a restart): still dismissed, not back in the tray.
    service.restart()
    service.scan_now()
    time.sleep(SETTLE * 2)
    service.scan_now()
    assert desk.loose_count() == 1


def test_the_service_follows_the_folder_settings(staffed_office, desk, folders, tmp_path):
    svc = WatchService(staffed_office, settle_seconds=SETTLE, rescan_seconds=0.3)
    svc.start()
    try:
        assert svc.watchers == {}  # nothing configured: nothing watched
        assert svc.follow_settings() is False
        configure(staffed_office, watch_downloads_dir=str(folders[0]))
        assert svc.follow_settings() is True and set(svc.watchers) == {"downloads"}
        (folders[0] / "a.jpg").write_bytes(jpeg())
        tray(desk, 1)
        configure(staffed_office, watch_downloads_dir=str(folders[1]), watch_siak_dir=str(folders[1]))
        assert svc.follow_settings() is True
        assert {k: w.folder for k, w in svc.watchers.items()} == {"siak": folders[1]}  # one folder, once
        assert svc.follow_settings() is False
    finally:
        svc.stop()
    assert svc.watchers == {}
