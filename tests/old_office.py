"""A data dir as the oldest release left it: its database made by migration 0001, with one user
and two requests written in that schema's own SQL. Used by tests/core/test_migrations.py and by
tools/build_bundle.sh (a newer bundle must migrate it on open):

    python -m tests.old_office FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

from dikjamila.config import DATABASE_FILE
from dikjamila.db import migrate
from dikjamila.db.database import Database

OLDEST_REVISION = "0001"
USER_SQL = ("INSERT INTO users (id, username, full_name, role, password_hash, active, created_at) "
            "VALUES (?, ?, ?, ?, 'x', 1, '2026-11-01 01:00:00.000000')")
REQUEST_SQL = (
    "INSERT INTO requests (id, uuid, number, service_code, sop_version, applicant_name, applicant_phone, "
    "applicant_nik, subject_name, subject_nik, facts_json, kecamatan_code, village_code, channel, status, "
    "complete, assignee_id, received_at, updated_at, due_at, closed_at, reject_reason, row_version) "
    "VALUES (?, ?, ?, 'akta_kelahiran', NULL, ?, ?, ?, ?, '', '{}', '63.11.05', '', 'whatsapp', 'baru', "
    "0, ?, ?, ?, ?, NULL, '', 1)")
OLD_REQUESTS = [
    (1, "00000000-0000-0000-0000-000000000001", "BLG-20261120-0001", "Siti Aminah", "+6281234567890",
     "6311054506900003", "Bayi Aminah", 1, "2026-11-20 02:00:00.000000", "2026-11-20 02:00:00.000000",
     "2026-11-21 02:00:00.000000"),
    (2, "00000000-0000-0000-0000-000000000002", "BLG-20261120-0002", "Ahmad Fauzi", "+6285211112222",
     "6311050101850007", "Rizky Fauzi", None, "2026-11-20 03:00:00.000000", "2026-11-20 03:00:00.000000",
     "2026-11-21 03:00:00.000000"),
]


def make_old_office(data_dir: Path) -> Path:
    """Write the old office into `data_dir` (created; must hold no database yet)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(f"sqlite:///{data_dir / DATABASE_FILE}", run_migrations=False)
    try:
        assert migrate.upgrade(db.engine, revision=OLDEST_REVISION) is None  # nothing to copy when empty
        with db.engine.begin() as conn:
            conn.exec_driver_sql(USER_SQL, (1, "sari", "Sari Operator", "operator"))
            for row in OLD_REQUESTS:
                conn.exec_driver_sql(REQUEST_SQL, row)
        assert migrate.current_revision(db.engine) == OLDEST_REVISION
    finally:
        db.close()
    return data_dir


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.old_office FOLDER")
    print(make_old_office(Path(sys.argv[1])))
