"""Fixtures for core tests: a real office (SQLite file, blob store) in a temp folder."""

from __future__ import annotations


import pytest

from dikjamila.desk import NewRequest
from dikjamila.office import Office
from tests.support import PASSWORD, copied_office, make_staffed_office  # noqa: F401



STAFF = [("sari", "Sari Operator", "operator"), ("budi", "Budi Operator", "operator"),
         ("hasan", "Hasan Supervisor", "supervisor"), ("kios1", "Kios Juai", "kiosk")]


@pytest.fixture(scope="session")
def staffed_template(tmp_path_factory):
    """A migrated office with its users, made once; each test gets its own copy."""
    return make_staffed_office(tmp_path_factory.mktemp("template") / "kantor",
                               [("admin", "Admin Kantor", "admin"), *STAFF])


@pytest.fixture
def office(tmp_path):
    office = Office.open(tmp_path / "kantor")
    yield office
    office.close()


@pytest.fixture
def staffed_office(tmp_path, staffed_template):
    with copied_office(staffed_template, tmp_path / "kantor") as office:
        yield office


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
