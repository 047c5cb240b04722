"""Fixtures for core tests: a real office (SQLite file, blob store) in a temp folder."""

from __future__ import annotations

import shutil

import pytest

from dikjamila.desk import NewRequest
from dikjamila.office import Office

PASSWORD = "rahasia-123"


STAFF = [("sari", "Sari Operator", "operator"), ("budi", "Budi Operator", "operator"),
         ("hasan", "Hasan Supervisor", "supervisor"), ("kios1", "Kios Juai", "kiosk")]


@pytest.fixture(scope="session")
def staffed_template(tmp_path_factory):
    """A migrated office with its users, made once; each test gets its own copy.

    NOTE: argon2 hashing is deliberately slow, so users are created once per test run.
    """
    folder = tmp_path_factory.mktemp("template") / "kantor"
    office = Office.open(folder)
    office.add_user(None, username="admin", full_name="Admin Kantor", role="admin", password=PASSWORD)
    admin = office.login("admin", PASSWORD)
    for username, name, role in STAFF:
        office.add_user(admin, username=username, full_name=name, role=role, password=PASSWORD)
    office.close()
    return folder


@pytest.fixture
def office(tmp_path):
    office = Office.open(tmp_path / "kantor")
    yield office
    office.close()


@pytest.fixture
def staffed_office(tmp_path, staffed_template):
    folder = tmp_path / "kantor"
    shutil.copytree(staffed_template, folder)
    office = Office.open(folder)
    yield office
    office.close()


@pytest.fixture
def staff(staffed_office):
    """admin, supervisor, two operators and a kiosk (users made with real argon2 passwords)."""
    return {name: staffed_office.actor_for(name) for name in ("admin", "sari", "budi", "hasan", "kios1")}


def new_request(**overrides) -> NewRequest:
    values = dict(service_code="akta_kelahiran", applicant_name="Siti Aminah", channel="whatsapp",
                  applicant_phone="0812-3456-7890", applicant_nik="6311054506900003",
                  kecamatan_code="63.11.05")
    values.update(overrides)
    return NewRequest(**values)
