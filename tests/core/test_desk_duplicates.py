"""Duplicate warning: another open request for the same service by the same NIK, phone or KK."""

from __future__ import annotations

import pytest

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)


def test_same_service_same_person_is_found_on_each_key(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    first = desk.create_request(new_request(applicant_phone="0812-3456-7890", applicant_nik="6311054506900003")).id
    by_phone = desk.create_request(new_request(applicant_name="Lain", applicant_phone="0812-3456-7890",
                                               applicant_nik="6311054506900011")).id
    by_nik = desk.create_request(new_request(applicant_name="Siti", applicant_phone="0813-5000-1111",
                                             applicant_nik="6311054506900003")).id
    found = {d.id: d.matched_on for d in desk.duplicates_of(first)}
    assert found == {by_phone: ("phone",), by_nik: ("nik",)}


def test_another_service_or_a_closed_request_is_not_a_duplicate(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    first = desk.create_request(new_request()).id
    other_service = desk.create_request(new_request(service_code="akta_kematian")).id
    rejected = desk.create_request(new_request()).id
    desk.claim(rejected)
    desk.reject(rejected, "Permohonan ganda, sudah ada.")
    assert desk.duplicates_of(first) == []
    assert desk.duplicates_of(other_service) == []


def test_a_request_without_nik_phone_or_kk_has_no_duplicates(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    bare = desk.create_request(new_request(applicant_phone="", applicant_nik="")).id
    desk.create_request(new_request(applicant_phone="", applicant_nik=""))
    assert desk.duplicates_of(bare) == []
