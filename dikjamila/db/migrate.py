"""Run Alembic migrations in code when a database is opened; copy SQLite files first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from dikjamila.db import dialects

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, revision: str = "head", backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to `revision`. Returns the path of the pre-migration copy, if one was taken.

    An SQLite file that already holds data (any revision, not the target) is copied with
    the online backup API before anything changes, so a failed migration loses nothing.
    """
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
