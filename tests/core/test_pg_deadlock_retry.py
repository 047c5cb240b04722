"""Two workstations locking the same rows in opposite order on PostgreSQL: the server aborts one
transaction to break the deadlock, and the desk runs that call again instead of failing it.
PostgreSQL only: SQLite's writers never hold locks in two orders (one writer at a time)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from dikjamila import changes
from dikjamila.changes import ChangeKind
from dikjamila.db.models import Request
from tests.pg_support import copied_pg_office

from .conftest import new_request


@pytest.fixture
def pg_office(pg_server, pg_staffed_template, tmp_path):
    with copied_pg_office(pg_server, pg_staffed_template, tmp_path / "kantor") as office:
        yield office


def test_an_edit_caught_in_a_deadlock_with_another_pc_is_run_again_and_saved(pg_office):
    """PC 1 saves a request (its row locked, then the change logged); PC 2 has logged a change and
    then locks that request. The server aborts PC 1's save; the desk saves it again, and both
    PCs' work is there afterwards."""
    sari = pg_office.desk(pg_office.actor_for("sari"))
    detail = sari.create_request(new_request(applicant_name="Siti Aminah"))
    sari.claim(detail.id)
    version = sari.get_request(detail.id).row_version

    other_pc_logged = threading.Event()
    save_waiting = threading.Event()
    results: dict[str, object] = {}

    def other_pc():
        with pg_office.db.writing() as session:
            changes.record(session, ChangeKind.SETTINGS, "x", "pc-2")  # takes the change-log lock
            session.flush()
            other_pc_logged.set()
            save_waiting.wait(10)
            session.execute(text("SELECT pg_sleep(0.3)"))  # PC 1 is now waiting for the change-log lock
            session.scalar(select(Request.id).where(Request.id == detail.id).with_for_update())
            session.execute(text("UPDATE requests SET attention = 'dari PC 2' WHERE id = :id"), {"id": detail.id})
        results["pc2"] = "committed"

    def pc_one_saves():
        other_pc_logged.wait(10)
        save_waiting.set()
        try:
            results["pc1"] = sari.update_request(detail.id, version, {"applicant_name": "Siti Aminah Binti Ali"})
        except Exception as exc:  # noqa: BLE001 - the test reports it
            results["pc1"] = exc

    threads = [threading.Thread(target=other_pc), threading.Thread(target=pc_one_saves)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not isinstance(results.get("pc1"), Exception), results.get("pc1")
    saved = sari.get_request(detail.id)
    assert saved.applicant_name == "Siti Aminah Binti Ali"
    # Whichever transaction the server chose to abort, the other PC's update is either there or
    # (if it was PC 2's) reported to PC 2; here PC 1 waited first, so PC 1's was aborted and rerun.
    assert results.get("pc2") == "committed"
    with pg_office.db.reading() as session:
        assert session.scalar(select(Request.attention).where(Request.id == detail.id)) == "dari PC 2"
