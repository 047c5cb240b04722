"""An issued PDF from SIAK is offered to the open request(s) it names: number first, else NIK / KK."""

from __future__ import annotations

import datetime

import pytest

from dikjamila.demo.paperwork import issued_document_pdf

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)


def _text(office, pdf: bytes) -> str:
    return office.store.inspect(office.store.put_bytes(pdf, "x.pdf").sha256).text


def test_a_pdf_holding_a_requests_nik_is_offered_to_it_and_an_unknown_nik_to_none(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    req = desk.create_request(new_request(applicant_nik="6311054506900003"))
    text = _text(staffed_office, issued_document_pdf("Kutipan Akta Kelahiran", holder="Siti Aminah",
                                                     nik="6311054506900003", number="472/X",
                                                     issued_on=datetime.date(2026, 12, 1)))
    assert [(m.request_id, m.matched_on) for m in desk.match_issued_pdf(text, "akta.pdf")] == [(req.id, "nik")]
    stranger = _text(staffed_office, issued_document_pdf("Kutipan Akta Kelahiran", holder="Orang Lain",
                                                         nik="6311010101900001", number="473/X",
                                                         issued_on=datetime.date(2026, 12, 1)))
    assert desk.match_issued_pdf(stranger, "akta.pdf") == []


def test_a_kk_offers_itself_to_every_family_request_but_a_request_number_in_the_name_wins(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    mother = desk.create_request(new_request(applicant_nik="6311054506900003"))
    child = desk.create_request(new_request(applicant_name="Ahmad", applicant_nik="6311051203150002",
                                            applicant_phone="0813-5000-2222"))
    kk_text = "KARTU KELUARGA No. 6311 0512 0315 0009\nSiti 6311054506900003\nAhmad 6311051203150002"
    assert {m.request_id for m in desk.match_issued_pdf(kk_text)} == {mother.id, child.id}
    named = desk.match_issued_pdf(kk_text, f"{child.number}.pdf")
    assert [(m.request_id, m.matched_on) for m in named] == [(child.id, "number")]


def test_a_closed_request_is_not_offered(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    req = desk.create_request(new_request(applicant_nik="6311054506900003"))
    desk.claim(req.id)
    desk.reject(req.id, "Permohonan ganda, sudah ada.")
    assert desk.match_issued_pdf("NIK 6311054506900003", f"{req.number}.pdf") == []
