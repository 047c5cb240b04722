"""Two workstations on one PostgreSQL server: a change on one shows on the other within 3 s,
heard through LISTEN/NOTIFY (the other's periodic poll is set far beyond that here)."""

from __future__ import annotations

import time

import pytest

from dikjamila.desk import NewRequest
from dikjamila.office import Office
from tests.pg_support import copied_pg_office, make_pg_template
from tests.ui.conftest import STAFF


@pytest.fixture(scope="module")
def pg_ui_template(tmp_path_factory, pg_server):
    return make_pg_template(pg_server, tmp_path_factory.mktemp("pg-ui") / "kantor", STAFF)


def test_a_change_on_another_workstation_arrives_by_notify(qtbot, tmp_path, pg_server, pg_ui_template):
    from ui.changes import ChangeWatcher
    from ui.context import AppContext
    from ui.worker import DbWorker

    with copied_pg_office(pg_server, pg_ui_template, tmp_path / "kantor") as office_a:
        office_b = Office.open(tmp_path / "kantor")  # the second PC: its own connection pool
        ctx_b = AppContext(office_b, office_b.actor_for("budi"), DbWorker())
        try:
            ctx_b.changes.stop()
            watcher = ChangeWatcher(ctx_b, interval_ms=600_000)  # no help from the timer
            assert watcher.listener is not None
            seen = []
            ctx_b.bus.data_changed.connect(seen.append)
            watcher.start()
            qtbot.waitUntil(lambda: watcher.listener.listening.is_set() and watcher.marker >= 0, timeout=10000)

            sari = office_a.desk(office_a.actor_for("sari"))
            started = time.monotonic()
            made = sari.create_request(NewRequest(service_code="kia", applicant_name="Siti Aminah", channel="whatsapp"))
            qtbot.waitUntil(lambda: any(c.kind == "request" and c.entity_id == str(made.id)
                                        for changes in seen for c in changes.changes), timeout=3000)
            assert time.monotonic() - started < 3.0
            watcher.stop()
        finally:
            ctx_b.close()
            office_b.close()


def test_the_window_says_offline_and_clears_when_the_server_is_back(qtbot, tmp_path, pg_server, pg_ui_template):
    from sqlalchemy.engine import make_url

    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.worker import DbWorker

    with copied_pg_office(pg_server, pg_ui_template, tmp_path / "kantor") as office:
        ctx = AppContext(office, office.actor_for("sari"), DbWorker(), link_service_factory=None)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        name = make_url(office.db.url).database
        try:
            pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            pg_server.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            qtbot.waitUntil(window.offline_label.isVisible, timeout=10000)  # the watcher's next poll
            assert "tidak terjangkau" in window.offline_label.text()
        finally:
            pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        qtbot.waitUntil(lambda: not window.offline_label.isVisible(), timeout=10000)
        window.close()
        ctx.close()


def test_what_the_operator_typed_survives_a_lost_server_and_saves_after(qtbot, tmp_path, pg_server, pg_ui_template):
    from sqlalchemy.engine import make_url

    from tests.ui.editor_support import act, idle, open_editor
    from ui.context import AppContext
    from ui.worker import DbWorker

    with copied_pg_office(pg_server, pg_ui_template, tmp_path / "kantor") as office:
        ctx = AppContext(office, office.actor_for("sari"), DbWorker(), link_service_factory=None)
        try:
            rid = ctx.desk.create_request(NewRequest(service_code="kia", applicant_name="Siti Aminah",
                                                     channel="whatsapp")).id
            ctx.desk.claim(rid)
            editor = open_editor(qtbot, ctx, rid)
            name = make_url(office.db.url).database
            editor.fields.edits["applicant_name"].setText("Siti Aminah Rahmah")
            pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            pg_server.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            try:
                editor.actions.save.click()
                qtbot.waitUntil(lambda: "terputus" in editor.message_bar.text(), timeout=10000)
                idle(qtbot, editor)
                assert editor.fields.edits["applicant_name"].text() == "Siti Aminah Rahmah"  # kept on screen
                assert editor.has_unsaved_changes()
            finally:
                pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            act(qtbot, editor, editor.actions.save.click)
            assert ctx.desk.get_request(rid, record_view=False).applicant_name == "Siti Aminah Rahmah"
        finally:
            ctx.close()
