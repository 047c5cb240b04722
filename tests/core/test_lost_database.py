"""A database that goes away mid-session gives a clear Indonesian message and loses nothing."""

from __future__ import annotations

import os

import pytest

from dikjamila.errors import UserError

from .conftest import new_request


def test_a_vanished_database_is_reported_and_the_data_is_there_when_it_returns(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    rid = desk.create_request(new_request()).id
    db_file = staffed_office.paths.database_file
    staffed_office.db.engine.dispose()  # pooled connections would still see the old file
    moved = db_file.with_name("pindah.sqlite3")
    os.replace(db_file, moved)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(str(db_file) + suffix):
            os.replace(str(db_file) + suffix, str(moved) + suffix)
    with pytest.raises(UserError, match="basis data") as lost:
        desk.inbox()
    assert "tidak ada data yang berubah" in lost.value.message
    with pytest.raises(UserError):
        desk.claim(rid)
    # The file comes back (the network share reconnects): everything is as it was.
    staffed_office.db.engine.dispose()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(str(moved) + suffix):
            os.replace(str(moved) + suffix, str(db_file) + suffix)
        elif os.path.exists(str(db_file) + suffix):
            os.remove(str(db_file) + suffix)
    os.replace(moved, db_file)
    assert [r.id for r in desk.inbox().rows] == [rid]
    assert desk.claim(rid).assignee_name == "Sari Operator"
