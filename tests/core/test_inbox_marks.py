"""The inbox marks a request an operator should look at twice: duplicates and routing notes."""

from __future__ import annotations

import pytest

from tests.whatsapp_support import incoming_event

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)


def _rows(desk):
    return {r.number: r for r in desk.inbox().rows}


def test_open_requests_for_the_same_service_by_the_same_person_are_both_marked(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    a = desk.create_request(new_request(applicant_phone="0812 1111 0001", applicant_nik="6311054506900003"))
    b = desk.create_request(new_request(applicant_phone="0812 1111 0002", applicant_nik="6311054506900003"))
    other_service = desk.create_request(new_request(service_code="kia", applicant_phone="0812 1111 0001",
                                                    applicant_nik="6311054506900003"))
    kk_1 = desk.create_request(new_request(service_code="kk_hilang_rusak", applicant_phone="0812 2222 0001",
                                           applicant_nik="", kk_number="6311050101200001"))
    kk_2 = desk.create_request(new_request(service_code="kk_hilang_rusak", applicant_phone="0812 2222 0002",
                                           applicant_nik="", kk_number="6311050101200001"))
    alone = desk.create_request(new_request(applicant_phone="0812 3333 0001", applicant_nik="6311054506900011"))
    rows = _rows(desk)
    assert rows[a.number].duplicate and rows[b.number].duplicate
    assert rows[kk_1.number].duplicate and rows[kk_2.number].duplicate
    assert not rows[other_service.number].duplicate and not rows[alone.number].duplicate
    assert [d.number for d in desk.duplicates_of(a.id)] == [b.number]
    # Once the twin is closed, the mark goes.
    desk.claim(b.id)
    desk.reject(b.id, "Permohonan ganda, dilanjutkan di nomor lain.")
    assert not _rows(desk)[a.number].duplicate


def test_a_request_waiting_for_its_service_shows_the_suggestion_and_routing_marks(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    first = desk.create_request(new_request(applicant_phone="0813 5000 1111"))
    second = desk.create_request(new_request(service_code="kia", applicant_phone="0813 5000 1111"))
    desk.store_incoming(incoming_event("W1", "0813 5000 1111", text="pak sudah jadi?"))
    fresh = desk.store_incoming(incoming_event("W2", "0813 5000 9999", text="mau urus akta kematian bapak saya"))
    rows = _rows(desk)
    assert rows[second.number].attention == "several_open" and rows[first.number].attention == ""
    new = rows[desk.get_request(fresh.request_id).number]
    assert (new.service_code, new.suggested_service, new.duplicate) == ("", "akta_kematian", False)
