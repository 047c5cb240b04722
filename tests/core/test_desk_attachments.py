"""Files on a request through the desk: attach, link, refuse bad files, checklist, issued PDF guards."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dikjamila.demo.paperwork import document_pdf, issued_document_pdf
from dikjamila.desk.timezone import WITA
from dikjamila.errors import Conflict, InvalidInput
from dikjamila.files.db_store import DatabaseBlobStore

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

NIK = "6311054506900003"


def jpeg(color=(200, 180, 150)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


@pytest.fixture
def kk_request(desk):
    d = desk.create_request(new_request(service_code="kk_hilang_rusak", applicant_nik=NIK,
                                        facts={"applicant_is_subject": True}))
    desk.claim(d.id)
    desk.advance(d.id, "diperiksa")
    return d.id


def _blob_files(office):
    """What the store holds: its folder's files (temp files included); with the attachments in the
    database (PostgreSQL's default), the blob rows and any temp file left in this PC's cache."""
    if isinstance(office.store, DatabaseBlobStore):
        return sorted(office.store.iter_blobs()) + sorted(office.store.root.rglob("*.part"))
    return sorted(p for p in office.paths.blobs_dir.rglob("*") if p.is_file() and "thumbs" not in p.parts)


def test_attaching_files_turns_the_checklist_complete(desk, kk_request):
    report = desk.check(kk_request)
    assert not report.complete
    assert {i.code for i in report.missing()} >= {"ktp_el"}
    desk.attach_file(kk_request, jpeg(), "KTP.jpg", requirement_code="ktp_el")
    # One of the alternatives is enough: a damaged KK instead of a police letter.
    desk.attach_file(kk_request, document_pdf("KARTU KELUARGA", holder="Siti"), "kk.pdf",
                     requirement_code="kk_rusak")
    report = desk.check(kk_request)
    assert report.complete and report.missing_message == ""
    detail = desk.get_request(kk_request)
    assert detail.complete and detail.sop_version == report.sop_version
    assert desk.advance(kk_request, "diproses").status == "diproses"


def test_a_refused_file_leaves_no_row_no_blob_and_no_audit_event(staffed_office, desk, kk_request):
    before_events = len(desk.history(kk_request))
    cut = jpeg()[:1500]  # a truncated JPEG
    with pytest.raises(InvalidInput, match="KTP.jpg"):
        desk.attach_file(kk_request, cut, "KTP.jpg", requirement_code="ktp_el")
    with pytest.raises(InvalidInput):
        desk.attach_file(kk_request, b"MZ\x90\x00" + b"\x00" * 500, "surat.pdf")
    assert desk.get_request(kk_request, record_view=False).attachments == []
    assert _blob_files(staffed_office) == []
    assert len(desk.history(kk_request)) == before_events


def test_a_pdf_named_jpg_is_kept_as_a_pdf(desk, kk_request):
    info = desk.attach_file(kk_request, document_pdf("SURAT KEHILANGAN", holder="Siti"), "foto.jpg")
    assert info.kind == "pdf" and info.pages == 1 and info.requirement_code is None


def test_link_unlink_and_remove(desk, kk_request):
    info = desk.attach_file(kk_request, jpeg(), "IMG-20261127-WA0001.jpg")
    assert desk.link_attachment(info.id, "ktp_el").requirement_code == "ktp_el"
    report = desk.check(kk_request)
    # The linked photo meets the KTP-el line; only the group (police letter or damaged KK) is missing.
    states = {item.code: item.state for item in report.items}
    assert states["ktp_el"] == "ok"
    assert not report.complete
    assert {item.code for item in report.missing()} == {"surat_kehilangan", "kk_rusak"}
    assert [(g.code, g.state) for g in report.groups] == [("bukti_hilang_rusak", "missing")]
    assert "Bukti KK hilang atau rusak" in report.missing_message
    assert "KTP-el" not in report.missing_message
    with pytest.raises(InvalidInput, match="tidak ada di SOP"):
        desk.link_attachment(info.id, "akta_cerai")
    assert desk.link_attachment(info.id, None).requirement_code is None
    assert {item.code for item in desk.check(kk_request).missing()} == {"surat_kehilangan", "kk_rusak", "ktp_el"}
    desk.remove_attachment(info.id)
    assert desk.get_request(kk_request).attachments == []
    actions = [e.action for e in desk.history(kk_request)]
    assert actions.count("attachment.link") == 2 and "attachment.remove" in actions


def test_the_same_photo_twice_is_stored_once(staffed_office, desk, kk_request):
    data = jpeg()
    desk.attach_file(kk_request, data, "a.jpg")
    desk.attach_file(kk_request, data, "b.jpg")
    assert len(desk.get_request(kk_request).attachments) == 2
    assert len(_blob_files(staffed_office)) == 1


def _complete(desk, rid):
    desk.attach_file(rid, jpeg(), "KTP.jpg", requirement_code="ktp_el")
    desk.attach_file(rid, jpeg((10, 20, 30)), "hilang.jpg", requirement_code="surat_kehilangan")
    desk.advance(rid, "diproses")


def test_terbit_needs_an_issued_pdf_and_it_must_be_a_pdf(desk, kk_request):
    _complete(desk, kk_request)
    with pytest.raises(Conflict, match="PDF dokumen yang terbit"):
        desk.advance(kk_request, "terbit")
    with pytest.raises(InvalidInput, match="harus berupa PDF"):
        desk.attach_file(kk_request, jpeg(), "kk-baru.jpg", role="issued")
    number = desk.get_request(kk_request).number
    pdf = issued_document_pdf("Kartu Keluarga", holder="Siti Aminah", nik=NIK, number=number,
                              issued_on=desk.get_request(kk_request).received_at.astimezone(WITA).date())
    desk.attach_file(kk_request, pdf, "KK.pdf", role="issued")
    assert desk.advance(kk_request, "terbit").status == "terbit"
    assert desk.advance(kk_request, "terkirim").status == "terkirim"
    assert desk.advance(kk_request, "selesai").status == "selesai"


def test_terkirim_refuses_an_issued_pdf_of_someone_else(staffed_office, desk, kk_request):
    _complete(desk, kk_request)
    other = issued_document_pdf("Kartu Keluarga", holder="Orang Lain", nik="6311010101900001",
                                number="BLG-X", issued_on=desk.get_request(kk_request).received_at.date())
    desk.attach_file(kk_request, other, "KK.pdf", role="issued")
    desk.advance(kk_request, "terbit")
    with pytest.raises(Conflict, match="6311010101900001"):
        desk.advance(kk_request, "terkirim")
    # The stored PDF is byte-for-byte what was attached (signed documents are never re-rendered).
    sha = desk.get_request(kk_request).attachments[-1].blob_sha256
    assert desk.blob_path(sha).read_bytes() == other


def test_card_services_end_in_pickup_without_a_pdf(staffed_office, staff):
    supervisor = staffed_office.desk(staff["hasan"])
    d = supervisor.create_request(new_request(service_code="ktp_hilang_rusak_perubahan"))
    supervisor.advance(d.id, "diperiksa")
    supervisor.advance(d.id, "diproses", override_reason="Dokumen asli diperiksa di loket")
    assert supervisor.advance(d.id, "terbit").status == "terbit"  # no issued PDF for a card
    with pytest.raises(Conflict, match="Selesai"):
        supervisor.advance(d.id, "terkirim")
    assert supervisor.advance(d.id, "selesai").status == "selesai"
