"""One open database: engine, short sessions for reading and writing, migrations on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from dikjamila.db import dialects, migrate
from dikjamila.db.network_share import network_share_problem
from dikjamila.errors import UserError


class Database:
    """An engine plus session factories. Opening it migrates the schema to the newest revision.

    `reading()` gives a session for queries; `writing()` one whose transaction holds the
    write lock from its first statement (SQLite) and commits on leaving the block.
    """

    def __init__(self, url: str, *, backup_dir: Path | None = None, run_migrations: bool = True):
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            if problem := network_share_problem(Path(parsed.database)):
                raise UserError(problem)
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine = create_engine(url, pool_pre_ping=True)
        self.dialect = dialects.for_engine(self.engine)
        self.dialect.configure_engine(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**self.dialect.write_options()), expire_on_commit=False
        )
        self.migration_backup: Path | None = None
        if run_migrations:
            self.migration_backup = migrate.upgrade(self.engine, backup_dir=backup_dir)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        # NOTE: `session.info` holds per-transaction caches (the audit chain's head, the
        # changes already logged); each write transaction has a session of its own.
        with self._write() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
