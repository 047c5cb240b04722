"""Fixtures for core tests: a real office (SQLite file, blob store) in a temp folder."""

from __future__ import annotations

import pytest

from dikjamila.desk import NewRequest
from dikjamila.office import Office
from tests.pg_support import (
    copied_pg_office,
    make_pg_template,
    point_at,
)
from tests.support import PASSWORD, copied_office, make_staffed_office  # noqa: F401

STAFF = [("sari", "Sari Operator", "operator"), ("budi", "Budi Operator", "operator"),
         ("hasan", "Hasan Supervisor", "supervisor"), ("kios1", "Kios Juai", "kiosk")]


ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    """Tests marked `both_engines` (a module's `pytestmark`) run on SQLite and on PostgreSQL."""
    if "db_engine" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_engines") is not None
        metafunc.parametrize("db_engine", ENGINES if both else ENGINES[:1])


@pytest.fixture(scope="session")
def staffed_template(tmp_path_factory):
    """A migrated office with its users, made once; each test gets its own copy."""
    return make_staffed_office(tmp_path_factory.mktemp("template") / "kantor",
                               [("admin", "Admin Kantor", "admin"), *STAFF])


@pytest.fixture(scope="session")
def pg_staffed_template(tmp_path_factory, pg_server):
    """The same office on PostgreSQL: one migrated template database, cloned per test."""
    return make_pg_template(pg_server, tmp_path_factory.mktemp("pg-template") / "kantor",
                            [("admin", "Admin Kantor", "admin"), *STAFF])


@pytest.fixture
def office(tmp_path, db_engine, request):
    if db_engine == "postgresql":
        server = request.getfixturevalue("pg_server")
        name = f"dj_empty_{abs(hash(request.node.nodeid))}"
        server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.admin(f'CREATE DATABASE "{name}"')
        point_at(tmp_path / "kantor", server.url(name))
    office = Office.open(tmp_path / "kantor")
    yield office
    office.close()
    if db_engine == "postgresql":
        server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def staffed_office(tmp_path, db_engine, request):
    """A copy of the staffed template office, on the engine the test runs on."""
    if db_engine == "postgresql":
        server, template = request.getfixturevalue("pg_server"), request.getfixturevalue("pg_staffed_template")
        with copied_pg_office(server, template, tmp_path / "kantor") as office:
            yield office
        return
    with copied_office(request.getfixturevalue("staffed_template"), tmp_path / "kantor") as office:
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
