"""The kiosk station on its own: SOP questions and documents, identity messages, files, submit."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from dikjamila.errors import InvalidInput
from dikjamila.kiosk import local_db
from dikjamila.kiosk.api import KioskDraft
from dikjamila.kiosk.pin import hash_pin
from dikjamila.kiosk.station import KioskStation

from .kiosk_support import ANSWERS, NIK, PHONE, filled_draft, kiosk_dir, photo


@pytest.fixture
def station(tmp_path):
    station = KioskStation.open(kiosk_dir(tmp_path / "kios", kiosk_admin_pin_hash=hash_pin("2468")))
    yield station
    station.close()


def _stored(station) -> list[str]:
    return list(station.store.iter_blobs())


def test_services_questions_and_documents_come_from_the_sop(station):
    services = {s.code: s for s in station.services()}
    assert services["akta_kelahiran"].name == "Akta Kelahiran" and services["akta_kelahiran"].result == "pdf"
    assert services["ktp_baru"].result == "card" and services["akta_kelahiran"].description
    assert [q.fact for q in station.questions("akta_kelahiran")] == ["foundling", "applicant_is_subject"]
    assert all(q.text.startswith("Apakah") and q.text.endswith("?") for q in station.questions("kk_baru"))

    docs = {d.code: d for d in station.documents("akta_kelahiran", ANSWERS)}
    assert not docs["surat_kelahiran"].optional and "SPTJM" in docs["surat_kelahiran"].note
    assert docs["sptjm_kelahiran"].optional and docs["ktp_saksi"].min_files == 2  # the alternative
    assert "laporan_polisi" not in docs and "surat_kuasa" not in docs  # the answers rule them out
    found = {d.code: d for d in station.documents("akta_kelahiran", {"foundling": True, "applicant_is_subject": False})}
    assert {"laporan_polisi", "surat_kuasa", "kk"} <= set(found) and "surat_kelahiran" not in found
    # A condition on a fact the kiosk does not ask (the child's age) leaves the office to decide.
    kia = {d.code: d for d in station.documents("kia", {"applicant_is_subject": True})}
    assert kia["pas_foto"].optional and "5 tahun" in kia["pas_foto"].note and kia["pas_foto"].kinds == ("image",)
    with pytest.raises(InvalidInput):
        station.questions("tidak_ada")


def test_identity_problems_are_named_in_indonesian(station):
    assert station.check_identity("Siti Aminah", PHONE, NIK) == {}
    bad = station.check_identity("", "0812", "63110545069")
    assert bad == {"name": "Nama belum diisi.", "phone": "Nomor HP 0812 terlalu pendek.",
                   "nik": "NIK harus 16 angka, yang diketik 11 angka."}
    assert station.check_identity("Siti", "021-5551234", "6311051306900003")["phone"].endswith(
        "bukan nomor HP/WhatsApp.")
    assert "Bulan lahir" in station.check_identity("Siti", PHONE, "6311054513900003")["nik"]


def test_a_corrupt_photo_is_refused_and_nothing_is_stored(station, tmp_path):
    draft = KioskDraft(service_code="akta_kelahiran", answers=dict(ANSWERS))
    good = photo(tmp_path / "kk.jpg", 1)
    broken = tmp_path / "rusak.jpg"
    broken.write_bytes(good.read_bytes()[:300])  # a photo cut off in the middle
    with pytest.raises(InvalidInput, match="rusak"):
        station.add_file(draft, "kk", broken)
    assert draft.files == [] and _stored(station) == []
    pdf = tmp_path / "kk.pdf"
    pdf.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(InvalidInput, match="PDF rusak"):
        station.add_file(draft, "kk", pdf)
    with pytest.raises(InvalidInput, match="tidak diminta"):
        station.add_file(draft, "laporan_polisi", good)
    assert draft.files == [] and _stored(station) == []


def test_removing_a_file_deletes_the_kiosk_copy(station, tmp_path):
    draft = KioskDraft(service_code="akta_kelahiran", answers=dict(ANSWERS))
    kept = station.add_file(draft, "kk", photo(tmp_path / "a.jpg", 1))
    twice = station.add_file(draft, "surat_kelahiran", photo(tmp_path / "b.jpg", 1))  # the same picture
    assert kept.path.is_file() and kept.path != tmp_path / "a.jpg" and kept.sha256 == twice.sha256
    station.remove_file(draft, kept)
    assert twice.path.is_file()  # still held by the draft's other file
    station.remove_file(draft, twice)
    assert draft.files == [] and _stored(station) == []


def test_submit_refuses_a_missing_document_naming_it(station, tmp_path):
    draft = filled_draft(station, tmp_path / "foto", 1)
    kk = next(f for f in draft.files if f.document_code == "kk")
    station.remove_file(draft, kk)
    assert station.missing(draft) == ["KK tempat anak akan dicatat"]
    with pytest.raises(InvalidInput, match="Berkas belum lengkap: KK tempat anak akan dicatat"):
        station.submit(draft)
    draft.applicant_nik = "123"
    draft.files.append(kk)
    with pytest.raises(InvalidInput, match="NIK harus 16 angka"):
        station.submit(draft)
    assert station.pending_count() == 0


def test_the_alternative_documents_satisfy_a_group(station, tmp_path):
    draft = filled_draft(station, tmp_path / "foto", 1)
    letter = next(f for f in draft.files if f.document_code == "surat_kelahiran")
    station.remove_file(draft, letter)
    assert station.missing(draft)[0].startswith("Surat keterangan kelahiran")
    station.add_file(draft, "sptjm_kelahiran", photo(tmp_path / "sptjm.jpg", 50))
    for n in range(2):
        station.add_file(draft, "ktp_saksi", photo(tmp_path / f"saksi{n}.jpg", 60 + n))
    assert station.missing(draft) == []


def test_submit_stores_everything_with_gap_free_kiosk_numbers(station, tmp_path):
    first = station.submit(filled_draft(station, tmp_path / "a", 1))
    second = station.submit(filled_draft(station, tmp_path / "b", 2))
    assert (first.kiosk_number, second.kiosk_number) == ("KIOS-LAMPIHONG-0001", "KIOS-LAMPIHONG-0002")
    assert first.uuid != second.uuid and first.pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(first.pdf)).pages)
    assert "KIOS-LAMPIHONG-0001" in text
    assert station.pending_count() == 2 and len(_stored(station)) == 6
    with station.db.reading() as session:
        row = session.execute(select(local_db.submissions).where(local_db.submissions.c.uuid == first.uuid)).one()
        files = session.execute(select(local_db.submission_files)).all()
    assert (row.applicant_phone, row.applicant_nik, row.state) == ("+6281234567890", NIK, "pending")
    assert len(files) == 6
    # A draft refused at submit gives its number back: the next one follows on.
    broken = filled_draft(station, tmp_path / "c", 3)
    broken.applicant_phone = ""
    with pytest.raises(InvalidInput):
        station.submit(broken)
    assert station.submit(filled_draft(station, tmp_path / "d", 4)).kiosk_number == "KIOS-LAMPIHONG-0003"


def test_a_kiosk_without_its_village_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="kiosk_desa"):
        KioskStation.open(kiosk_dir(tmp_path / "kios", kiosk_desa="123"))


def test_the_admin_pin(station):
    assert station.check_pin("2468")
    for _ in range(5):
        assert not station.check_pin("0000")
    with pytest.raises(InvalidInput, match="Coba lagi dalam"):
        station.check_pin("2468")


def test_survey_answers_are_checked_and_kept(station, tmp_path):
    scores = {f"U{n}": 3 for n in range(1, 10)}
    with pytest.raises(InvalidInput, match="U9 belum dijawab"):
        station.record_survey("BLG-20261201-0001", "7890", {k: v for k, v in scores.items() if k != "U9"})
    with pytest.raises(InvalidInput, match="U2 harus 1, 2, 3, atau 4"):
        station.record_survey("BLG-20261201-0001", "7890", {**scores, "U2": 5})
    receipt = station.submit(filled_draft(station, tmp_path / "a", 1))
    with pytest.raises(InvalidInput, match="belum selesai"):
        station.record_survey(receipt.kiosk_number, "7890", scores)
    station.record_survey("blg-20261201-0001", "7890", scores)
    with station.db.reading() as session:
        assert session.execute(select(local_db.surveys.c.number)).scalars().all() == ["BLG-20261201-0001"]


def test_a_pdf_where_a_photo_is_asked_is_refused(station, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    pdf = tmp_path / "foto.pdf"
    with open(pdf, "wb") as out:
        writer.write(out)
    draft = KioskDraft(service_code="kia", answers={"applicant_is_subject": True})
    with pytest.raises(InvalidInput, match="Pas foto .* harus berupa foto"):
        station.add_file(draft, "pas_foto", pdf)
    assert draft.files == [] and _stored(station) == []
    assert station.add_file(draft, "kk", pdf).kind == "pdf"


def test_without_an_office_nothing_is_delivered_and_nothing_claims_it_was(station, tmp_path):
    station.submit(filled_draft(station, tmp_path / "a", 1))
    report = station.deliver()  # no office_db_url and no office database in this data dir
    assert not report.reached and report.pending == 1 and "belum ada" in report.message
    assert station.last_reached() is None and len(_stored(station)) == 3
    assert not (station.paths.database_file).exists()  # a kiosk never makes an office
