"""Inbox benchmark on PostgreSQL: bench_inbox's queries through the desk on PostgreSQL, beside
hand-written PostgreSQL SQL and the SQLite desk, at 1,000,000 requests.

    python -m tests.bench.bench_inbox_pg [--rows 1000000] [--repeat 30] [--warmup 3] [--budget 20]
                                         [--only TEXT] [--explain-all] [--skip-sqlite] [--migrate-sqlite]
                                         [--reload] [--wait-quiet SECONDS]

The queries are bench_inbox's own (`build_cases`, built once on each desk). For each query,
timed like bench_inbox (`timed`: `--warmup` untimed runs, then `--repeat` timed ones):
- the SQLite desk, on the SQLite bench file (opened without migrating it: see `open_sqlite`);
- (a) the desk on PostgreSQL (`tests/bench/pg_load.py` starts the bench server and loads the
  same rows into it once);
- (b) hand-written SQL through psycopg on the same PostgreSQL database. Plain pages are
  bench_inbox's SQL; text searches use `bench_raw.search` (see `pg_load.build_raw_search`: a
  tsvector GIN, a trigram GIN and `(name|due, id) INCLUDE (tsvector)` indexes over the words
  SQLite's FTS5 table has), which only these raw forms read, in several forms. The fastest
  median is the baseline. The raw connection never prepares statements (custom plans always).

The desk's results are compared with the raw baseline's and with the SQLite desk's (a note in
the table when they differ). `[generic plan Nx]`: the desk's connection ran one of the query's
statements N times on a prepared statement's generic plan (its duplicate-mark lookups aside).

Target (issue 10): every page and search query p95 <= 50 ms on SQLite and on PostgreSQL.
Counts are shown without a target. For each PostgreSQL miss (and every query with
`--explain-all`) the desk's SQL is shown with EXPLAIN (ANALYZE, BUFFERS); when the generic plan
of a prepared statement differs in time, it too (psycopg prepares a statement from its 6th
execution on a connection, and PostgreSQL may then keep a plan made without the values).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench import generate, pg_load
from tests.bench.bench_inbox import (
    COLS,
    LIMIT,
    PAGE,
    PAGE_TARGET_MS,
    Case,
    StatementLog,
    TimedOut,
    build_cases,
    explain,
    p95,
    timed,
)
from tests.bench.machine import machine_busy_seconds

N = LIMIT + 1
BUSY_OTHERS = 0.3  # CPUs used by other processes above which the figures are flagged (as bench_intake)
TSQ = "to_tsquery('simple', %(tsq)s)"
RAW_FROM = "bench_raw.search"


@dataclass
class RawForm:
    sql: str | list[str]
    params: object
    key: object  # rows -> comparable with the desk's key


@dataclass
class Row:
    name: str
    kind: str
    lite: list[float] | None = None
    pg: list[float] | None = None
    raw: dict[str, list[float]] = field(default_factory=dict)
    forms: dict[str, RawForm] = field(default_factory=dict)
    statements: list[tuple[str, object]] = field(default_factory=list)
    lite_statements: list[tuple[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pg_timed_out: bool = False

    @property
    def best(self) -> str | None:
        return min(self.raw, key=lambda k: statistics.median(self.raw[k])) if self.raw else None

    def ok(self, samples: list[float] | None) -> bool | None:
        if self.kind == "count" or samples is None:
            return None
        return p95(samples) <= PAGE_TARGET_MS


# -- raw PostgreSQL forms -----------------------------------------------------------------------

def _ids(rows) -> list:
    return [r[0] for r in rows[:LIMIT]]


def _terms(fts: str) -> list[str]:
    """The terms of bench_inbox's FTS5 MATCH string ('"aminah"* AND "x"*')."""
    return [t.replace('""', '"') for t in re.findall(r'"((?:[^"]|"")*)"\*', fts)]


def _text_params(params) -> tuple[list[str], str | None, int | None]:
    """(terms, status, cursor id) from the params of bench_inbox's SQLite text forms."""
    if isinstance(params, dict):
        return _terms(params["q"]), params.get("s"), params.get("c")
    fts = next(p for p in params if isinstance(p, str) and p.endswith('"*'))
    status = next((p for p in params if isinstance(p, str) and p != fts), None)
    return _terms(fts), status, None


def _text_args(terms: list[str], **extra) -> dict:
    args = {"tsq": " & ".join(f"{t}:*" for t in terms), **extra}
    args.update({f"w{i}": f"% {t}%" for i, t in enumerate(terms)})
    return args


def _like(terms: list[str], words: str) -> str:
    return " AND ".join(f"{words} LIKE %(w{i})s" for i in range(len(terms)))


def _translate(sql: str) -> str:
    """bench_inbox's SQLite SQL (plain pages and counts) as psycopg SQL."""
    return re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql).replace("?", "%s")


def _union_per_status(statuses: tuple[str, ...]) -> RawForm:
    parts = " UNION ALL ".join(f"(SELECT id FROM requests WHERE status = %s ORDER BY id DESC LIMIT {N})"
                               for _ in statuses)
    sql = (f"WITH ids AS (SELECT id FROM ({parts}) u ORDER BY id DESC LIMIT {N}) SELECT {COLS} FROM ids "
           f"JOIN requests r ON r.id = ids.id LEFT JOIN users u ON u.id = r.assignee_id ORDER BY r.id DESC")
    return RawForm(sql, statuses, _ids)


def _text_page_forms(terms, status, before, sort_col) -> dict[str, RawForm]:
    words = pg_load.words_sql("r.")
    args = _text_args(terms, s=status, c=before)
    cond = (" AND r.status = %(s)s" if status else "") + (" AND r.id < %(c)s" if before else "")
    order = f"r.{sort_col}, r.id" if sort_col else "r.id DESC"
    walk = "status" if status else "id"
    forms = {}
    if not sort_col:  # NOTE: a sort index walk meets 44,000 rows before the first "aminah": seconds
        forms[f"{walk} walk, LIKE on the row (no text index)"] = RawForm(
            f"{PAGE} WHERE {_like(terms, words)}{cond} ORDER BY {order} LIMIT {N}", args, _ids)
    if sort_col:
        side = {"applicant_name": "name", "due_at": "due"}[sort_col]

        def sorted_hits(where: str) -> str:
            return (f"WITH hits AS MATERIALIZED (SELECT id FROM {RAW_FROM} WHERE {where} ORDER BY {side}, id "
                    f"LIMIT {N}) {PAGE} JOIN hits ON hits.id = r.id ORDER BY {order}")

        forms["covering (sort, id) INCLUDE doc, planner's choice"] = RawForm(sorted_hits(f"doc @@ {TSQ}"), args, _ids)
        forms["covering (sort, id) INCLUDE doc, walk"] = RawForm(sorted_hits(f"ts_match_vq(doc, {TSQ})"), args, _ids)
    if status:
        forms["status walk, test each row's tsv"] = RawForm(
            f"{PAGE} CROSS JOIN LATERAL (SELECT 1 FROM {RAW_FROM} s WHERE s.id = r.id AND ts_match_vq(s.doc, {TSQ})) m "
            f"WHERE r.status = %(s)s{cond.replace(' AND r.status = %(s)s', '')} ORDER BY r.id DESC LIMIT {N}", args, _ids)
    if status or sort_col:
        forms["join tsv index, planner's choice"] = RawForm(
            f"{PAGE} JOIN {RAW_FROM} s ON s.id = r.id WHERE s.doc @@ {TSQ}{cond} ORDER BY {order} LIMIT {N}",
            args, _ids)
        forms["GIN hits, then join and sort"] = RawForm(
            f"WITH hits AS MATERIALIZED (SELECT id FROM {RAW_FROM} WHERE doc @@ {TSQ}) {PAGE} "
            f"JOIN hits ON hits.id = r.id WHERE true{cond} ORDER BY {order} LIMIT {N}", args, _ids)
        return forms
    side_cond = " AND id < %(c)s" if before else ""

    def hits(where: str, order_by: str = "id DESC") -> str:
        return (f"WITH hits AS MATERIALIZED (SELECT id FROM {RAW_FROM} WHERE {where}{side_cond} "
                f"ORDER BY {order_by} LIMIT {N}) SELECT {COLS} FROM hits JOIN requests r ON r.id = hits.id "
                f"LEFT JOIN users u ON u.id = r.assignee_id ORDER BY r.id DESC")

    forms["tsv index, planner's choice"] = RawForm(hits(f"doc @@ {TSQ}"), args, _ids)
    forms["tsv: walk ids, filter"] = RawForm(hits(f"ts_match_vq(doc, {TSQ})"), args, _ids)
    forms["tsv: GIN bitmap, then sort"] = RawForm(hits(f"doc @@ {TSQ}", "id + 0 DESC"), args, _ids)
    forms["trigram LIKE, planner's choice"] = RawForm(hits(_like(terms, "words")), args, _ids)
    return forms


def _text_count_forms(name: str, terms, status) -> dict[str, RawForm]:
    args = _text_args(terms, s=status)
    if name.startswith("status tab counts"):
        return {"GROUP BY over tsv index join": RawForm(
            f"SELECT r.status, count(*) FROM {RAW_FROM} s JOIN requests r ON r.id = s.id WHERE s.doc @@ {TSQ} "
            f"GROUP BY r.status", args, dict)}

    def one(rows):
        return rows[0][0]

    if status:
        return {"status walk, LIKE on the row": RawForm(
                    f"SELECT count(*) FROM requests r WHERE r.status = %(s)s AND "
                    f"{_like(terms, pg_load.words_sql('r.'))}", args, one),
                "tsv index join": RawForm(
                    f"SELECT count(*) FROM requests r JOIN {RAW_FROM} s ON s.id = r.id WHERE r.status = %(s)s "
                    f"AND s.doc @@ {TSQ}", args, one)}
    return {"tsv index": RawForm(f"SELECT count(*) FROM {RAW_FROM} WHERE doc @@ {TSQ}", args, one),
            "trigram index": RawForm(f"SELECT count(*) FROM {RAW_FROM} WHERE {_like(terms, 'words')}", args, one)}


def pg_forms(case: Case) -> dict[str, RawForm]:
    """Hand-written PostgreSQL forms for one of bench_inbox's cases (from its SQLite forms)."""
    texty = [(label, sql, params) for label, (sql, params) in case.raw.items()
             if not isinstance(sql, list) and "request_search" in sql]
    if texty:
        terms, status, before = _text_params(texty[0][2])
        if case.kind == "count":
            return _text_count_forms(case.name, terms, status)
        sort_col = ("applicant_name" if ", sort applicant" in case.name
                    else "due_at" if ", sort due" in case.name else None)
        forms = _text_page_forms(terms, status, before, sort_col)
        forms.update({label: RawForm(_translate(sql), params, lambda rows, label=label: case.raw_key(label, rows))
                      for label, (sql, params) in case.raw.items() if "request_search" not in sql})
        return forms
    forms = {}
    for label, (sql, params) in case.raw.items():
        if label == "UNION ALL per status":  # SQLite's subqueries without aliases
            forms[label] = _union_per_status(params)
            continue
        sql = [_translate(s) for s in sql] if isinstance(sql, list) else _translate(sql)
        forms[label] = RawForm(sql, params, lambda rows, label=label: case.raw_key(label, rows))
    return forms


def run_form(conn, form: RawForm):
    if isinstance(form.sql, list):
        return [conn.execute(s, p).fetchall() for s, p in zip(form.sql, form.params, strict=True)]
    return conn.execute(form.sql, form.params).fetchall()


# -- machine ------------------------------------------------------------------------------------

def cluster_cpu_seconds(postmaster: int | None) -> float:
    """CPU seconds of the bench server: the postmaster, the backends it reaped, its live children."""
    if postmaster is None:
        return 0.0
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == postmaster:
            total += sum(int(x) for x in fields[11:15])
        elif int(fields[1]) == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def io_stall_seconds() -> float | None:
    """Seconds some task waited on I/O (Linux pressure stall information), or None."""
    try:
        with open("/proc/pressure/io") as f:
            return int(f.readline().split("total=")[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return None


class Load:
    """What the rest of the machine used during a phase (not this process, not the bench server),
    and how long tasks waited on the disk. NOTE: this VM reclaims cold page cache (kdamond), so a
    query that reads many pages may wait on the disk however idle the CPUs are."""

    def __init__(self, postmaster: int | None):
        self.postmaster = postmaster
        self.t0, self.busy0, self.io0 = time.perf_counter(), machine_busy_seconds(), io_stall_seconds()
        self.own0, self.pg0 = time.process_time(), cluster_cpu_seconds(postmaster)

    def text(self) -> str:
        wall = time.perf_counter() - self.t0
        busy = machine_busy_seconds()
        own, pg = time.process_time() - self.own0, cluster_cpu_seconds(self.postmaster) - self.pg0
        load1 = os.getloadavg()[0]
        if busy is None or self.busy0 is None or not wall:
            return f"{wall:.0f} s, load average {load1:.2f}"
        others = max(0.0, busy - self.busy0 - own - pg) / wall
        flag = " [machine busy: figures unreliable]" if others > BUSY_OTHERS else ""
        io = io_stall_seconds()
        io_text = "" if io is None or self.io0 is None else f"; waiting on I/O {100 * (io - self.io0) / wall:.1f}% of the time"
        return (f"{wall:.0f} s; this process {own / wall:.2f} CPU, bench server {pg / wall:.2f} CPU, rest of "
                f"machine {others:.2f} CPU{flag}{io_text}; load average {load1:.2f}")


def wait_quiet(limit_s: float) -> None:
    """Wait (up to `limit_s`) until the rest of the machine uses under BUSY_OTHERS of a CPU."""
    t0 = time.monotonic()
    while limit_s > 0:
        b0, c0 = machine_busy_seconds(), time.process_time()
        time.sleep(2.0)
        b1, c1 = machine_busy_seconds(), time.process_time()
        if b0 is None or b1 is None:
            return
        others = max(0.0, b1 - b0 - (c1 - c0)) / 2.0
        if others < BUSY_OTHERS:
            print(f"(the machine is quiet after {time.monotonic() - t0:.0f} s)", flush=True)
            return
        if time.monotonic() - t0 > limit_s:
            print(f"(the machine stayed busy: others use {others:.2f} CPU; measuring anyway)", flush=True)
            return


# -- the run ------------------------------------------------------------------------------------

class PgStatementLog(StatementLog):
    def _drivers(self):
        return [getattr(c, "driver_connection", c) for c in list(self.connections.values())]

    def interrupt(self) -> None:  # psycopg has no interrupt(): cancel the running query
        for conn in self._drivers():
            (getattr(conn, "cancel_safe", None) or conn.cancel)()

    def generic_plans(self) -> int:
        """How many times the desk's connections ran one of its queries as a prepared statement on
        the generic plan (the duplicate marks' lookups left out). NOTE: psycopg prepares a
        statement from its 6th execution on a connection; PostgreSQL then plans 5 runs with the
        values and may keep, from then on, one plan made without them."""
        total = 0
        for conn in self._drivers():
            if conn.closed:
                continue
            with conn.cursor() as cur:
                cur.execute("SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements "
                            "WHERE cardinality(parameter_types) > 0 AND statement NOT LIKE '%requests AS requests_1%'",
                            prepare=False)
                total += cur.fetchone()[0]
            conn.rollback()
        return total


def open_sqlite(db_path, *, migrate: bool):
    """The SQLite office. NOTE: not migrated by default: the bench file is shared, and a
    migration in someone's working tree would rewrite it (and copy 1.1 GB) just to read the inbox."""
    from dikjamila.config import load_settings, office_paths
    from dikjamila.db import migrate as migrations
    from dikjamila.db.database import Database
    from dikjamila.office import Office

    data_dir, url = generate.office_args(db_path)
    paths = office_paths(data_dir, url)
    db = Database(url, backup_dir=paths.backups_dir, run_migrations=migrate)
    have, head = migrations.current_revision(db.engine), migrations.head_revision()
    if have != head:
        print(f"NOTE: the SQLite bench file is at revision {have}, the code at {head}; opened as it is "
              f"(--migrate-sqlite to migrate it)", flush=True)
    return Office(paths, load_settings(paths), db)


def time_cases(desk_cases, log, args, label: str) -> dict[str, tuple[list[float], object, list, bool, int]]:
    out = {}
    for case in desk_cases:
        generic0 = log.generic_plans() if isinstance(log, PgStatementLog) else 0
        log.statements, log.recording = {}, True
        try:
            samples, result = timed(case.desk, args.warmup, args.repeat, args.budget, log.interrupt)
            timed_out = False
        except TimedOut:
            samples, result, timed_out = [args.budget * 1000], None, True
        finally:
            log.recording = False
        generic = log.generic_plans() - generic0 if isinstance(log, PgStatementLog) else 0
        out[case.name] = (samples, result, list(log.statements.items()), timed_out, generic)
        print(f"  {label}: {case.name[:60]:<60} median {statistics.median(samples):8.2f} ms", flush=True)
    return out


def run(args) -> int:
    import psycopg

    from dikjamila.auth.roles import Actor
    from dikjamila.office import Office

    sqlite_path = (args.db or generate.default_db_path(args.rows)).resolve()
    t_load = time.perf_counter()
    server, loaded = pg_load.prepare(args.rows, sqlite_path, reload=args.reload)
    if loaded.seconds is not None:
        print(f"load: {loaded.seconds:.1f} s", flush=True)
    pg_office = Office.open(loaded.data_dir, db_url=loaded.url)
    print(f"PostgreSQL office open (migrations checked): {time.perf_counter() - t_load:.1f} s", flush=True)
    logging.getLogger("dikjamila.desk.base").disabled = True
    pg_desk = pg_office.desk(Actor.system())
    pg_log = PgStatementLog(pg_office.db.engine)
    lite_conn = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    raw = pg_load.connect(server, loaded.database, autocommit=True, prepare_threshold=None)
    info = raw.execute("SELECT version(), current_setting('shared_buffers'), current_setting('work_mem'), "
                       "current_setting('jit'), pg_size_pretty(pg_database_size(current_database()))").fetchone()
    dialect = pg_office.db.dialect.__name__.rsplit(".", 1)[-1]
    print(f"\n{info[0].split(',')[0]}; shared_buffers {info[1]}, work_mem {info[2]}, jit {info[3]}; "
          f"database {info[4]}; desk dialect module: {dialect} (postgresql.py {pg_load.dialect_fingerprint()})")
    print(f"{args.rows:,} requests; {args.warmup} warm-ups + {args.repeat} timed runs per query and side; "
          f"ms, wall clock per call", flush=True)

    def wanted(cases):
        return [c for c in cases if args.only.lower() in c.name.lower()] if args.only else cases

    rows_by_name: dict[str, Row] = {}
    order: list[str] = []
    loads = []
    wait_quiet(args.wait_quiet)
    if not args.skip_sqlite:
        lite_office = open_sqlite(sqlite_path, migrate=args.migrate_sqlite)
        lite_log = StatementLog(lite_office.db.engine)
        load = Load(None)
        print("\nSQLite desk", flush=True)
        lite_cases = wanted(build_cases(lite_office.desk(Actor.system()), lite_conn, args.rows))
        lite = time_cases(lite_cases, lite_log, args, "sqlite")
        loads.append(("SQLite desk", load.text()))
        lite_office.close()
    else:
        lite_cases, lite = [], {}
    print("\nPostgreSQL desk and raw SQL", flush=True)
    postmaster = pg_load.postmaster_pid()
    load = Load(postmaster)
    pg_cases = wanted(build_cases(pg_desk, lite_conn, args.rows))
    pg = time_cases(pg_cases, pg_log, args, "pg desk")
    for case in pg_cases:
        row = Row(case.name, case.kind)
        rows_by_name[case.name] = row
        order.append(case.name)
        samples, result, row.statements, row.pg_timed_out, generic = pg[case.name]
        if generic:
            row.notes.append(f"[generic plan {generic}x]")
        row.pg = samples
        row.forms = pg_forms(case)
        agree = []
        for label, form in row.forms.items():
            try:
                fs, out = timed(lambda form=form: run_form(raw, form), args.warmup, args.repeat, args.budget,
                                raw.cancel_safe)
            except TimedOut:
                fs, out = [args.budget * 1000], None
            except psycopg.Error as exc:
                row.notes.append(f"raw form {label!r} failed: {str(exc).splitlines()[0]}")
                continue
            row.raw[label] = fs
            if out is not None and result is not None:
                agree.append(case.key(result) == form.key(out))
        if result is not None and agree and not all(agree):
            row.notes.append("[PG desk and raw differ]")
        if case.name in lite:
            ls, lres, row.lite_statements, lite_timed_out, _ = lite[case.name]
            row.lite = ls
            if lite_timed_out:
                row.notes.append(f"[SQLite desk interrupted after {args.budget:.0f} s]")
            lite_case = next(c for c in lite_cases if c.name == case.name)
            if result is not None and lres is not None and lite_case.key(lres) != case.key(result):
                row.notes.append("[PG desk and SQLite desk differ]")
        print(f"  pg raw:  {case.name[:60]:<60} best {row.best} "
              f"{statistics.median(row.raw[row.best]) if row.best else float('nan'):.2f} ms", flush=True)
    loads.append(("PostgreSQL", load.text()))
    missing = [c.name for c in lite_cases if c.name not in rows_by_name]
    if missing:
        print(f"NOTE: cases only on SQLite (their walked cursors differ?): {missing}")

    print_table([rows_by_name[n] for n in order], loads)
    failed = print_verdicts([rows_by_name[n] for n in order])
    explain_misses([rows_by_name[n] for n in order], server, loaded, lite_conn, args.explain_all)
    raw.close()
    lite_conn.close()
    pg_office.close()
    return 1 if failed else 0


def _stats(samples: list[float] | None) -> str:
    if not samples:
        return f"{'—':>8} {'—':>8}"
    return f"{statistics.median(samples):8.2f} {p95(samples):8.2f}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "FAIL")


def print_table(rows: list[Row], loads) -> None:
    print("\nms; p50 = median. Target: page and search queries p95 <= 50 ms on both (counts: no target)")
    print(f"\n{'query':<46} {'kind':<6} {'SQLite desk':>17} {'PG desk':>17} {'PG raw (best)':>17} "
          f"{'SQLite':>6} {'PG':>5}  notes")
    print(f"{'':<46} {'':<6} {'p50':>8} {'p95':>8} {'p50':>8} {'p95':>8} {'p50':>8} {'p95':>8}")
    print("-" * 140)
    for r in rows:
        notes = list(r.notes) + (["[PG desk interrupted]"] if r.pg_timed_out else [])
        print(f"{r.name[:46]:<46} {r.kind:<6} {_stats(r.lite)} {_stats(r.pg)} "
              f"{_stats(r.raw.get(r.best) if r.best else None)} {_verdict(r.ok(r.lite)):>6} "
              f"{_verdict(r.ok(r.pg)):>5}  {' '.join(notes)}")
    print("\nPostgreSQL raw forms (median ms; * = baseline):")
    for r in rows:
        forms = ", ".join(f"{'*' if k == r.best else ''}{k} {statistics.median(v):.2f}" for k, v in r.raw.items())
        print(f"  {r.name[:46]:<46} {forms}")
    print("\nMachine (2 cores shared with other engineers):")
    for phase, text in loads:
        print(f"  {phase}: {text}")


def print_verdicts(rows: list[Row]) -> int:
    failed = 0
    print(f"\nTarget: p95 <= {PAGE_TARGET_MS:.0f} ms for every page and search query")
    for r in rows:
        for side, samples in (("SQLite", r.lite), ("PostgreSQL", r.pg)):
            ok = r.ok(samples)
            if ok is None:
                continue
            failed += not ok
            print(f"{'PASS' if ok else 'FAIL'}  {side:<10} {r.name}: p95 {p95(samples):.2f} ms")
    return failed


def _positional(statement: str, parameters) -> tuple[str, list]:
    """A psycopg `%(name)s` statement as `$n` SQL for PREPARE, with its values in order."""
    names: list[str] = []

    def sub(m):
        if m.group(1) not in names:
            names.append(m.group(1))
        return f"${names.index(m.group(1)) + 1}"

    sql = re.sub(r"%\((\w+)\)s", sub, statement).replace("%%", "%")
    return sql, [parameters[n] for n in names]


def _plan(conn, sql: str, params) -> tuple[str, float]:
    lines = [r[0] for r in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)]
    total = next((float(m.group(1)) for line in lines if (m := re.search(r"Execution Time: ([\d.]+)", line))), 0.0)
    return "\n".join("      " + line for line in lines), total


def _generic_plan(conn, statement: str, parameters) -> tuple[str, float] | None:
    from psycopg import sql as pgsql

    if not isinstance(parameters, dict) or not parameters:
        return None
    text, values = _positional(statement, parameters)
    literals = ", ".join(pgsql.Literal(v).as_string(conn) for v in values)
    try:
        conn.execute("DEALLOCATE ALL")
        conn.execute(f"PREPARE bench_generic AS {text}")
        conn.execute("SET plan_cache_mode = force_generic_plan")
        return _plan(conn, f"EXECUTE bench_generic({literals})", None)
    finally:
        conn.execute("RESET plan_cache_mode")
        conn.execute("DEALLOCATE ALL")


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def explain_misses(rows: list[Row], server, loaded, lite_conn, explain_all: bool) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each desk statement of a PostgreSQL miss; the full plan of
    the slow ones (over 5 ms, or the slowest), a line for the others."""
    conn = pg_load.connect(server, loaded.database, autocommit=True, prepare_threshold=None)
    try:
        for r in rows:
            if not (r.ok(r.pg) is False or explain_all):
                continue
            print(f"\nEXPLAIN ANALYZE, PostgreSQL desk SQL of: {r.name}"
                  f" (desk p50 {statistics.median(r.pg):.2f} / p95 {p95(r.pg):.2f} ms)")
            plans = []
            for statement, parameters in r.statements:
                custom = _plan(conn, statement, parameters)
                generic = _generic_plan(conn, statement, parameters)
                plans.append((statement, parameters, custom, generic))
            slowest = max((c[1] for _s, _p, c, _g in plans), default=0.0)
            for i, (statement, parameters, custom, generic) in enumerate(plans, 1):
                g = f", generic plan {generic[1]:.2f} ms" if generic else ""
                print(f"  [{i}] custom plan {custom[1]:.2f} ms{g}: {_short(statement, 400)}")
                if custom[1] >= 5 or custom[1] == slowest or explain_all:
                    print(f"      params: {_short(repr(parameters), 300)}")
                    print("    custom plan (made with the values):\n" + _cut(custom[0]))
                    if generic and (generic[1] > 2 * custom[1] + 1 or custom[1] > 2 * generic[1] + 1):
                        print("    generic plan (a prepared statement's, made without the values):\n"
                              + _cut(generic[0]))
            if r.best:
                form = r.forms[r.best]
                if not isinstance(form.sql, list):
                    print(f"  raw baseline ({r.best}): {_short(form.sql, 400)}")
                    print(_cut(_plan(conn, form.sql, form.params)[0]))
        for r in rows:
            if r.ok(r.lite) is False or (explain_all and r.lite):
                print(f"\nEXPLAIN QUERY PLAN, SQLite desk SQL of: {r.name} (p95 {p95(r.lite):.2f} ms)")
                for statement, parameters in r.lite_statements:
                    print("  " + _short(statement, 400))
                    print(explain(lite_conn, statement, parameters))
    finally:
        conn.close()


def _cut(plan: str, width: int = 200) -> str:
    return "\n".join(line if len(line) <= width else line[:width - 1] + "…" for line in plan.splitlines())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None,
                        help="the SQLite bench file (default: bench-data/inbox-ROWS/dikjamila.sqlite3)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds per query and side; slower queries get fewer runs (min 3)")
    parser.add_argument("--only", default="", help="run only queries whose name contains this text")
    parser.add_argument("--explain-all", action="store_true", help="PostgreSQL plans for every query")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--migrate-sqlite", action="store_true", help="migrate the SQLite bench file first")
    parser.add_argument("--reload", action="store_true", help="load the PostgreSQL database again")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                        help="first wait up to this long for other processes to leave the CPUs")
    args = parser.parse_args(argv)
    sys.exit(run(args))


if __name__ == "__main__":
    main()
