"""A lost PostgreSQL server: the desk says "offline" (nothing changed), and works again after."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from dikjamila.errors import DatabaseOffline
from tests.pg_support import copied_pg_office

from .conftest import new_request


@pytest.fixture
def pg_office(tmp_path, pg_server, pg_staffed_template):
    """(SQLite's counterpart, a vanished file, is test_lost_database.py.)"""
    with copied_pg_office(pg_server, pg_staffed_template, tmp_path / "kantor") as office:
        yield office


def test_a_lost_connection_is_offline_and_nothing_is_lost(pg_office, pg_server):
    staffed_office, server = pg_office, pg_server
    staff = {n: staffed_office.actor_for(n) for n in ("sari",)}
    desk = staffed_office.desk(staff["sari"])
    rid = desk.create_request(new_request(applicant_name="Rina Anggraini")).id
    name = make_url(staffed_office.db.url).database
    # The server drops this office's connections and refuses new ones (as when it goes down).
    server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    server.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    try:
        with pytest.raises(DatabaseOffline) as lost:
            desk.claim(rid)
        assert "Koneksi ke basis data terputus" in lost.value.message
        with pytest.raises(DatabaseOffline):
            desk.inbox()
    finally:
        server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    # Back: the pool reconnects by itself (pre-ping); the request is as it was, and claimable.
    assert desk.get_request(rid, record_view=False).applicant_name == "Rina Anggraini"
    assert desk.claim(rid).assignee_id == staff["sari"].id
