"""Run Alembic migrations in code when a database is opened; copy SQLite files first.

Opening a database that is already up to date does not load Alembic (about 0.1 s of the
workstation's start): its stored revision is read with one query and compared with the newest
migration file's. Migration files are named after their revision (`0012_kiosk.py` holds
revision "0012"; tests/core/test_migrations.py checks every file and the head).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from dikjamila.db import dialects

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def newest_revision_file() -> str | None:
    """The revision of the newest migration file, from its name (no Alembic needed)."""
    found = [m.group(1) for f in (MIGRATIONS_DIR / "versions").iterdir() if (m := _REVISION_FILE.match(f.name))]
    return max(found, default=None)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The database's revision with one plain query; None when it has none (a new database)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no such table: a new, empty database
        return None


def upgrade(engine: Engine, *, revision: str = "head", backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to `revision`. Returns the path of the pre-migration copy, if one was taken.

    An SQLite file that already holds data (any revision, not the target) is copied with
    the online backup API before anything changes, so a failed migration loses nothing.
    """
    if revision == "head" and (stored := stored_revision(engine)) is not None \
            and stored == newest_revision_file():
        return None  # up to date: the common case, without loading Alembic
    current = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    copy: Path | None = None
    dialect = dialects.for_engine(engine)
    db_file = dialect.database_file(engine)
    if current is not None and db_file is not None and backup_dir is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = backup_dir / f"sebelum-migrasi-{current}-{stamp}.sqlite3"
        n = 1
        while copy.exists():  # two openings within one second keep both copies
            n += 1
            copy = backup_dir / f"sebelum-migrasi-{current}-{stamp}-{n}.sqlite3"
        dialect.backup_to(engine, copy)
    from alembic import command

    run(engine, command.upgrade, target)
    return copy


def run(engine: Engine, alembic_command, revision: str) -> None:
    """Run an Alembic command (upgrade/downgrade) in one write transaction.

    On SQLite, foreign keys are switched off for the duration: Alembic's batch mode rebuilds
    a table by dropping it, which would otherwise cascade-delete the rows that point to it.
    The keys are checked before the transaction commits and switched back on afterwards.
    """
    dialect = dialects.for_engine(engine)
    cfg = alembic_config()
    with dialect.migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        alembic_command(cfg, revision)
