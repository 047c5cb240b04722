"""Fixtures for Qt tests: a real office and a signed-in context with its database worker."""

from __future__ import annotations

import pytest

from tests.support import PASSWORD, copied_office, make_staffed_office  # noqa: F401

STAFF = [("admin", "Admin Kantor", "admin"), ("sari", "Sari Operator", "operator"),
         ("budi", "Budi Operator", "operator"), ("hasan", "Hasan Supervisor", "supervisor")]


@pytest.fixture(scope="session", autouse=True)
def gui_thread_collector(qapp):
    """Garbage collected on the GUI thread only, as the workstation does (ui/runtime.py)."""
    from ui.runtime import collect_on_gui_thread

    collector = collect_on_gui_thread(qapp)
    yield collector
    collector.stop()


@pytest.fixture(scope="session")
def ui_office_template(tmp_path_factory):
    return make_staffed_office(tmp_path_factory.mktemp("ui-template") / "kantor", STAFF)


@pytest.fixture
def ui_office(tmp_path, ui_office_template):
    with copied_office(ui_office_template, tmp_path / "kantor") as office:
        yield office


@pytest.fixture
def make_ctx(qtbot):
    """Build an AppContext for a user; its worker is shut down after the test."""
    from ui.context import AppContext
    from ui.worker import DbWorker

    contexts = []

    def make(office, username="sari"):
        ctx = AppContext(office, office.actor_for(username), DbWorker())
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
