"""What differs between database servers lives here, one small module per dialect.

`for_engine(engine)` picks the module. SQLite has pragmas, FTS5 and the online backup API;
every other server gets the portable fallbacks in `generic` until it has its own module
(PostgreSQL: row locks, pg_trgm).
"""

from types import ModuleType

from sqlalchemy.engine import Engine


def for_dialect_name(name: str) -> ModuleType:
    if name == "sqlite":
        from dikjamila.db.dialects import sqlite

        return sqlite
    from dikjamila.db.dialects import generic

    return generic


def for_engine(engine: Engine) -> ModuleType:
    return for_dialect_name(engine.dialect.name)
