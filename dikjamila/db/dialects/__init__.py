"""What differs between database servers lives here, one small module per dialect.

`for_engine(engine)` picks the module. SQLite has pragmas, FTS5 and the online backup API;
PostgreSQL its text search (tsvector + GIN) and locks; every other server gets the portable
fallbacks in `generic`.
"""

from types import ModuleType

from sqlalchemy.engine import Engine


def for_dialect_name(name: str) -> ModuleType:
    if name == "sqlite":
        from dikjamila.db.dialects import sqlite

        return sqlite
    if name == "postgresql":
        from dikjamila.db.dialects import postgresql

        return postgresql
    from dikjamila.db.dialects import generic

    return generic


def for_engine(engine: Engine) -> ModuleType:
    return for_dialect_name(engine.dialect.name)
