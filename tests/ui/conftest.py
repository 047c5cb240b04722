"""Fixtures for Qt tests: a real office and a signed-in context with its database worker."""

from __future__ import annotations

import shutil

import pytest

from dikjamila.office import Office

PASSWORD = "rahasia-123"
STAFF = [("admin", "Admin Kantor", "admin"), ("sari", "Sari Operator", "operator"),
         ("budi", "Budi Operator", "operator"), ("hasan", "Hasan Supervisor", "supervisor")]


@pytest.fixture(scope="session")
def ui_office_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ui-template") / "kantor"
    office = Office.open(folder)
    admin = None
    for username, name, role in STAFF:
        office.add_user(admin, username=username, full_name=name, role=role, password=PASSWORD)
        admin = admin or office.actor_for("admin")
    office.close()
    return folder


@pytest.fixture
def ui_office(tmp_path, ui_office_template):
    folder = tmp_path / "kantor"
    shutil.copytree(ui_office_template, folder)
    office = Office.open(folder)
    yield office
    office.close()


@pytest.fixture
def make_ctx(qtbot):
    """Build an AppContext for a user; its worker is shut down after the test."""
    from ui.context import AppContext
    from ui.worker import DbWorker

    workers = []

    def make(office, username="sari"):
        worker = DbWorker()
        workers.append(worker)
        return AppContext(office, office.actor_for(username), worker)

    yield make
    for worker in workers:
        worker.shutdown()
