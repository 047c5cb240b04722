"""The million-request inbox on PostgreSQL: a bench server that persists, and the SQLite bench data in it.

    python -m tests.bench.pg_load [--rows 1000000] [--db SQLITE_FILE] [--reload] [--refresh-search] [--stop]

The server is made like `tests/pg_support.private_server` makes one (initdb, pg_ctl; run as the
`postgres` user when started by root), but its data stays in `bench-data/pg/data` and it keeps
running between benchmark runs: Unix socket in `bench-data/pg/`, port PORT, no TCP. Durability is
off (fsync, full_page_writes); memory is set like a small office server (SERVER_SETTINGS).

The database `dj_inbox_ROWS` is loaded once:
1. `Office.open` on it, so the schema and the dialect's search objects come from the real
   Alembic migrations (as `generate.py` does for SQLite);
2. every table's rows copied from the SQLite bench file with `COPY ... FROM STDIN`, except
   SQLite's FTS5 tables (`request_search*`). Secondary indexes are dropped first and rebuilt
   afterwards from their own definitions (a bulk build is far faster than 1,000,000 inserts into
   each); row triggers, if the dialect has any, fire as for any insert;
3. sequences set past the copied ids; `bench_raw.search` built (the raw baseline's own text
   index, which the desk never reads: `build_raw_search`); `VACUUM ANALYZE`: PostgreSQL plans
   from statistics, and index-only scans need the visibility map.
A comment on the database marks a complete load; an incomplete one is dropped and loaded again.
When `dikjamila/db/dialects/postgresql.py` changed after the load, `--reload` loads again (5-6 min),
or `--refresh-search` re-runs its `drop_search_index` / `create_search_index` on the loaded database
as migration 0004 does, then `VACUUM FULL` (the fill's UPDATE leaves every row twice).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

from tests.bench import generate
from tests.pg_support import PgServer, _as_server_user, _binaries

PG_DIR = generate.DEFAULT_DIR / "pg"
DATA = PG_DIR / "data"
# NOTE: not 55432: a developer's own cluster (/tmp/pgdev) listens on that one on this machine.
PORT = 55439
SERVER_SETTINGS = {
    "listen_addresses": "''", "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
    "shared_buffers": "256MB", "work_mem": "16MB", "maintenance_work_mem": "512MB", "max_wal_size": "4GB",
}
COPY_BATCH = 50_000
DONE_MARK = "dikjamila bench: loaded"
DIALECT_FILE = generate.REPO / "dikjamila" / "db" / "dialects" / "postgresql.py"

# The text the raw baseline searches: what SQLite's FTS5 table indexes (number, names, NIKs, the
# phone as digits and as 0…), lower-cased, every run of non-alphanumerics one space, with a space
# in front — so a word prefix is `LIKE '% term%'`, and `to_tsvector('simple', …)` has its words.
_PHONE = ("replace({p}applicant_phone, '+', '') || CASE WHEN {p}applicant_phone LIKE '+62%%' "
          "THEN ' 0' || substr({p}applicant_phone, 4) ELSE '' END")
WORDS_SQL = (" ' ' || trim(regexp_replace(lower({p}number || ' ' || {p}applicant_name || ' ' || "
             "{p}subject_name || ' ' || {p}applicant_nik || ' ' || {p}subject_nik || ' ' || " + _PHONE + "), "
             "'[^[:alnum:]]+', ' ', 'g'))")


def words_sql(prefix: str = "") -> str:
    """The searched words of a request row as an SQL expression (`prefix`: "r." for an alias)."""
    return WORDS_SQL.format(p=prefix)


@dataclass
class Loaded:
    data_dir: Path
    url: str
    database: str
    seconds: float | None  # None: reused


def _server_user() -> str:
    return "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")


def _pg_ctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    bin_dir = _binaries()
    if bin_dir is None:
        raise SystemExit("PostgreSQL is not installed (pg_ctl not found; Debian: apt install postgresql)")
    return subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(DATA), *args]),
                          capture_output=True, text=True, timeout=300, check=check)


def postmaster_pid() -> int | None:
    try:
        return int((DATA / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def start_server() -> PgServer:
    """The bench server, started (and first initialised) if it is not running; reused if it is."""
    server = PgServer(str(PG_DIR), PORT, _server_user())
    if not (DATA / "PG_VERSION").exists():
        PG_DIR.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(PG_DIR, "postgres")
        PG_DIR.chmod(0o700)
        bin_dir = _binaries()
        subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(DATA), "-U", server.user, "-A",
                                        "trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True, timeout=300)
        print(f"initialised a cluster in {DATA}", flush=True)
    if _pg_ctl("status", check=False).returncode == 0:
        if _settings_match(server):
            return server
        print("the bench server runs with other settings: restarting it", flush=True)
        _pg_ctl("-m", "fast", "stop")
    options = f"-k {PG_DIR} -p {PORT} " + " ".join(f"-c {k}={v}" for k, v in SERVER_SETTINGS.items())
    _pg_ctl("-o", options, "-l", str(PG_DIR / "server.log"), "-w", "-t", "120", "start")
    print(f"started the bench server (socket {PG_DIR}, port {PORT})", flush=True)
    return server


def _settings_match(server: PgServer) -> bool:
    import psycopg

    try:
        with connect(server, "postgres") as conn:
            return all(conn.execute(f"SHOW {name}").fetchone()[0] == value
                       for name, value in (("shared_buffers", "256MB"), ("work_mem", "16MB"), ("fsync", "off")))
    except psycopg.Error:
        return False


def stop_server() -> None:
    if _pg_ctl("status", check=False).returncode == 0:
        _pg_ctl("-m", "fast", "stop")
        print("stopped the bench server", flush=True)


def connect(server: PgServer, database: str, **kw):
    import psycopg

    return psycopg.connect(host=server.host, port=server.port, user=server.user, dbname=database, **kw)


def dialect_fingerprint() -> str:
    """A short hash of the PostgreSQL dialect module (to tell when the loaded DB predates it)."""
    return hashlib.sha256(DIALECT_FILE.read_bytes()).hexdigest()[:12] if DIALECT_FILE.exists() else "none"


def _done_comment(server: PgServer, database: str) -> str | None:
    with connect(server, "postgres", autocommit=True) as conn:
        row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                           (database,)).fetchone()
    if row is None:
        return None
    return row[0] or ""


def ensure_loaded(server: PgServer, rows: int, sqlite_path: Path, *, reload: bool = False) -> Loaded:
    """The loaded database (reused when complete and holding `rows` requests)."""
    database = f"dj_inbox_{rows}"
    data_dir = PG_DIR / f"office-{rows}"
    url = server.url(database)
    comment = _done_comment(server, database)
    if comment and comment.startswith(DONE_MARK) and not reload:
        with connect(server, database) as conn:
            have = conn.execute("SELECT count(*) FROM requests").fetchone()[0]
        if have == rows:
            print(f"reusing PostgreSQL database {database} ({have:,} requests; {comment})", flush=True)
            return Loaded(data_dir, url, database, None)
        print(f"{database} holds {have:,} requests, not {rows:,}: loading again", flush=True)
    elif comment is not None and not reload:
        print(f"{database} exists but its load did not finish: loading again", flush=True)
    started = time.perf_counter()
    server.admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    server.admin(f'CREATE DATABASE "{database}"')
    _migrate(data_dir, url)
    print(f"  schema: {time.perf_counter() - started:.1f} s", flush=True)
    src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        with connect(server, database) as conn:
            copy_tables(conn, src)
            build_raw_search(conn)
    finally:
        src.close()
    t = time.perf_counter()
    with connect(server, database, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    print(f"  VACUUM ANALYZE: {time.perf_counter() - t:.1f} s", flush=True)
    seconds = time.perf_counter() - started
    server.admin(f"COMMENT ON DATABASE \"{database}\" IS '{DONE_MARK} {rows} requests in {seconds:.0f} s, "
                 f"{time.strftime('%Y-%m-%d %H:%M')}, postgresql.py {dialect_fingerprint()}'")
    print(f"loaded {rows:,} requests into {database} in {seconds:.1f} s (machine load average now "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)", flush=True)
    return Loaded(data_dir, url, database, seconds)


def _migrate(data_dir: Path, url: str) -> None:
    from dikjamila.office import Office

    Office.open(data_dir, db_url=url).close()


def _copy_order(conn) -> list[str]:
    """Public tables, each after the tables its foreign keys point to."""
    tables = [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    deps: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in conn.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = 'public'::regnamespace"):
        if child != parent:
            deps[child].add(parent)
    return list(TopologicalSorter(deps).static_order())


def copy_tables(conn, src: sqlite3.Connection) -> None:
    """Copy every table SQLite and PostgreSQL share (columns by name), indexes rebuilt afterwards."""
    sqlite_tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    order = [t for t in _copy_order(conn) if t in sqlite_tables and t != "alembic_version"]
    skipped = sorted(t for t in sqlite_tables - set(order)
                     if not t.startswith(("request_search", "sqlite_")) and t != "alembic_version")
    if skipped:
        print(f"  not in PostgreSQL, not copied: {', '.join(skipped)}", flush=True)
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)").fetchall()
    for name, _definition in indexes:
        conn.execute(f"DROP INDEX {name}")
    for table in reversed(order):  # whatever the migrations put in (e.g. meta rows) gives way to the copy
        conn.execute(f'DELETE FROM "{table}"')
    for table in order:
        t = time.perf_counter()
        pg_columns = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position", (table,))]
        lite_columns = {r[1] for r in src.execute(f'PRAGMA table_info("{table}")')}
        columns = [c for c in pg_columns if c in lite_columns]
        extra = [c for c in pg_columns if c not in lite_columns]
        names = ", ".join(f'"{c}"' for c in columns)
        n = 0
        with conn.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            cur = src.execute(f'SELECT {names} FROM "{table}"')
            while batch := cur.fetchmany(COPY_BATCH):
                for row in batch:
                    copy.write_row(row)
                n += len(batch)
        if n:
            print(f"  {table}: {n:,} rows in {time.perf_counter() - t:.1f} s"
                  + (f" (left to their defaults or triggers: {', '.join(extra)})" if extra else ""), flush=True)
    conn.commit()
    t = time.perf_counter()
    for _name, definition in indexes:
        conn.execute(definition)
    conn.commit()
    print(f"  {len(indexes)} secondary indexes rebuilt in {time.perf_counter() - t:.1f} s", flush=True)
    for table, column in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND (column_default LIKE 'nextval%%' OR is_identity = 'YES')").fetchall():
        conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', %s), "
                     f"coalesce((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)", (column,))
    conn.commit()


RAW_VERSION = "raw v2"


def build_raw_search(conn) -> None:
    """`bench_raw.search`: the raw baseline's text index, which only bench_inbox_pg's raw forms read.

    Per request: its words, their tsvector (GIN), a trigram GIN over the words, and the name and
    due time with `(sort column, id) INCLUDE (doc)` indexes: a sorted text page can then walk one
    index and test each entry without visiting a table row (an index-only scan).
    """
    t = time.perf_counter()
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    conn.execute("DROP SCHEMA IF EXISTS bench_raw CASCADE")
    conn.execute("CREATE SCHEMA bench_raw")
    conn.execute(f"CREATE TABLE bench_raw.search AS SELECT id, name, due, words, to_tsvector('simple', words) AS doc "
                 f"FROM (SELECT id, applicant_name AS name, due_at AS due, {words_sql()} AS words FROM requests) s "
                 f"ORDER BY id")
    conn.execute("ALTER TABLE bench_raw.search ADD PRIMARY KEY (id)")
    conn.execute("CREATE INDEX search_doc ON bench_raw.search USING gin (doc)")
    conn.execute("CREATE INDEX search_words ON bench_raw.search USING gin (words gin_trgm_ops)")
    conn.execute("CREATE INDEX search_name ON bench_raw.search (name, id) INCLUDE (doc)")
    conn.execute("CREATE INDEX search_due ON bench_raw.search (due, id) INCLUDE (doc)")
    conn.execute(f"COMMENT ON TABLE bench_raw.search IS '{RAW_VERSION}'")
    conn.commit()
    print(f"  bench_raw.search (tsvector, trigram, covering sort indexes) in {time.perf_counter() - t:.1f} s",
          flush=True)


def ensure_raw_search(server: PgServer, database: str) -> None:
    """Rebuild `bench_raw.search` when it is missing or older than RAW_VERSION."""
    with connect(server, database) as conn:
        have = conn.execute("SELECT obj_description(to_regclass('bench_raw.search'), 'pg_class')").fetchone()[0]
        if have == RAW_VERSION:
            return
        build_raw_search(conn)
    with connect(server, database, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) bench_raw.search")


def refresh_search(server: PgServer, loaded: Loaded) -> None:
    """Re-make the dialect's search objects on the loaded database, as migration 0004 would."""
    from sqlalchemy import create_engine

    from dikjamila.db import dialects

    t = time.perf_counter()
    engine = create_engine(loaded.url)
    try:
        search = dialects.for_engine(engine)
        with search.migration_connection(engine) as conn:
            search.drop_search_index(conn)
            search.create_search_index(conn, prefixes="2 3 4 5 6")
    finally:
        engine.dispose()
    with connect(server, loaded.database, autocommit=True) as conn:
        conn.execute("VACUUM (FULL, ANALYZE) requests")  # the fill's UPDATE left every row twice
    comment = (_done_comment(server, loaded.database) or "").split(", postgresql.py")[0]
    server.admin(f"COMMENT ON DATABASE \"{loaded.database}\" IS '{comment}, postgresql.py {dialect_fingerprint()}'")
    print(f"search objects re-made by {search.__name__} in {time.perf_counter() - t:.1f} s", flush=True)


def prepare(rows: int, sqlite_path: Path | None = None, *, reload: bool = False) -> tuple[PgServer, Loaded]:
    """Server up and database loaded; warns when the current code would make another schema."""
    sqlite_path = (sqlite_path or generate.default_db_path(rows)).resolve()
    if generate.existing_rows(sqlite_path) != rows:
        raise SystemExit(f"{sqlite_path} does not hold {rows:,} requests: run `python -m tests.bench.generate "
                         f"--rows {rows}` first")
    server = start_server()
    loaded = ensure_loaded(server, rows, sqlite_path, reload=reload)
    ensure_raw_search(server, loaded.database)
    comment = _done_comment(server, loaded.database) or ""
    if not comment.endswith(f"postgresql.py {dialect_fingerprint()}"):
        if _same_schema_as_fresh(server, loaded.database):  # the module changed, its objects did not
            server.admin(f"COMMENT ON DATABASE \"{loaded.database}\" IS "
                         f"'{comment.split(', postgresql.py')[0]}, postgresql.py {dialect_fingerprint()}'")
        else:
            print(f"NOTE: the schema made by the current code (search objects of {DIALECT_FILE.name}, "
                  f"migrations) differs from the loaded database's: `python -m tests.bench.pg_load --reload` "
                  f"(or --refresh-search) re-makes them", flush=True)
    return server, loaded


_SCHEMA_QUERIES = (
    ("SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace "
     "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY 1"),
    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2",
    ("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
     "AND tgrelid::regclass::text NOT LIKE 'bench_raw.%' ORDER BY 1"),
    ("SELECT table_name, column_name, data_type, is_generated FROM information_schema.columns "
     "WHERE table_schema = 'public' ORDER BY 1, 2"),
)


def _same_schema_as_fresh(server: PgServer, database: str) -> bool:
    """Does the loaded database have the functions, indexes, triggers and columns that the
    current code's migrations make in an empty database (made and dropped here, a few seconds)?"""
    import tempfile

    scratch = f"{database}_schema_check"
    server.admin(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    server.admin(f'CREATE DATABASE "{scratch}"')
    try:
        with tempfile.TemporaryDirectory() as folder:
            _migrate(Path(folder), server.url(scratch))
        found = []
        for name in (scratch, database):
            with connect(server, name) as conn:
                found.append([conn.execute(q).fetchall() for q in _SCHEMA_QUERIES])
        return found[0] == found[1]
    finally:
        server.admin(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="the SQLite bench file to copy")
    parser.add_argument("--reload", action="store_true", help="drop the PostgreSQL database and load it again")
    parser.add_argument("--refresh-search", action="store_true",
                        help="re-make the dialect's search objects on the loaded database")
    parser.add_argument("--stop", action="store_true", help="stop the bench server and exit")
    args = parser.parse_args(argv)
    if args.stop:
        stop_server()
        return
    server, loaded = prepare(args.rows, args.db, reload=args.reload)
    if args.refresh_search:
        refresh_search(server, loaded)


if __name__ == "__main__":
    main()
