"""Inbox benchmark: the desk's inbox, tab counts and search against hand-written SQLite SQL.

    python -m tests.bench.bench_inbox [--rows 1000000] [--db PATH] [--repeat 30] [--only TEXT]

For each query: `--warmup` untimed runs, then `--repeat` timed runs of (a) the desk call
through `Office.open(...).desk(Actor.system())` and (b) the best raw SQL for the same result
through sqlite3 (several forms are tried; the fastest median is the baseline). Prints median
and p95 in ms, the ratio desk/raw (medians), and PASS/FAIL against the targets:

- every inbox page query (searches included): desk p95 <= 50 ms;
- searches and counts: desk median <= 2x the raw baseline median.

For a query that misses a target the desk's SQL is shown with EXPLAIN QUERY PLAN.
The database (see tests/bench/generate.py) is generated on first use and then reused.
"""

from __future__ import annotations

import argparse
import logging
import math
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event

from tests.bench import generate

PAGE_TARGET_MS = 50.0
RATIO_TARGET = 2.0
LIMIT = 200
WALK_PAGES = 50

COLS = (
    "r.id, r.number, r.received_at, r.applicant_name, r.applicant_phone, r.applicant_nik, "
    "r.service_code, r.kecamatan_code, r.village_code, r.channel, r.status, r.assignee_id, "
    "coalesce(u.full_name, ''), r.due_at, r.complete, r.row_version"
)
PAGE = f"SELECT {COLS} FROM requests r LEFT JOIN users u ON u.id = r.assignee_id"
N = LIMIT + 1  # the desk reads one row more to know whether another page follows


def fts_form(where: str = "", order: str = "DESC") -> str:
    """The good form of STYLE.md: take one page of FTS rowids in rowid order, then join."""
    return (f"WITH hits AS (SELECT rowid AS id FROM request_search WHERE request_search MATCH :q "
            f"{where} ORDER BY rowid {order} LIMIT {N}) "
            f"SELECT {COLS} FROM hits JOIN requests r ON r.id = hits.id "
            f"LEFT JOIN users u ON u.id = r.assignee_id ORDER BY r.id {order}")


@dataclass
class Case:
    name: str
    kind: str  # "page", "search" (a page with text), "count"
    desk: Callable[[], object]
    raw: dict[str, tuple[str, dict | tuple]]  # form label -> (sql, params)
    key: Callable[[object], object] = lambda r: r  # desk result -> comparable with raw result
    raw_key: Callable[[str, list], object] = lambda form, rows: [r[0] for r in rows[:LIMIT]]
    note: str = ""  # "extra": beyond the brief's list


@dataclass
class Result:
    case: Case
    desk: list[float]
    raw: dict[str, list[float]]
    statements: list[tuple[str, object]] = field(default_factory=list)
    agree: bool | None = None
    timed_out: bool = False  # the desk call was interrupted after --budget seconds

    @property
    def best_form(self) -> str:
        return min(self.raw, key=lambda k: statistics.median(self.raw[k]))

    @property
    def raw_best(self) -> list[float]:
        return self.raw[self.best_form]

    def checks(self) -> list[tuple[str, bool, str]]:
        out = []
        d_med, d_p95 = statistics.median(self.desk), p95(self.desk)
        if self.case.kind in ("page", "search"):
            out.append(("p95<=50ms", d_p95 <= PAGE_TARGET_MS,
                        f"p95 {d_p95:.2f} ms vs {PAGE_TARGET_MS:.0f} ms"))
        if self.case.kind in ("search", "count"):
            r_med = statistics.median(self.raw_best)
            ratio = d_med / r_med if r_med else math.inf
            out.append(("<=2x raw", ratio <= RATIO_TARGET,
                        f"median {d_med:.2f} ms = {ratio:.1f}x raw {r_med:.2f} ms ({self.best_form})"))
        return out

    @property
    def passed(self) -> bool:
        return all(ok for _, ok, _ in self.checks())


def p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


class TimedOut(Exception):
    pass


def timed(fn: Callable[[], object], warmup: int, repeat: int, budget_s: float,
          interrupt: Callable[[], None]) -> tuple[list[float], object]:
    """Times (ms) of `repeat` calls after `warmup` calls.

    A query so slow that all runs would take longer than `budget_s` gets fewer runs (at least
    3, no warm-up; see the n column); one call longer than `budget_s` is interrupted and
    raises TimedOut.
    """
    def once():
        timer = threading.Timer(budget_s, interrupt)
        timer.start()
        t0 = time.perf_counter()
        try:
            out = fn()
        except Exception as exc:
            if time.perf_counter() - t0 >= budget_s * 0.99:
                raise TimedOut from exc
            raise
        finally:
            timer.cancel()
        return out, (time.perf_counter() - t0) * 1000

    result, first = once()
    samples = []
    if first / 1000 * (warmup + repeat) > budget_s:
        warmup, repeat = 0, max(3, min(repeat, int(budget_s * 1000 / first)))
        samples.append(first)
    else:
        warmup -= 1
    for _ in range(warmup):
        result, _ms = once()
    while len(samples) < repeat:
        result, ms = once()
        samples.append(ms)
    return samples, result


class StatementLog:
    """The SQL the desk sends (via SQLAlchemy's before_cursor_execute), and its connections
    (so that a runaway query can be interrupted)."""

    def __init__(self, engine):
        self.recording = False
        self.statements: dict[str, object] = {}
        self.connections: dict[int, object] = {}

        @event.listens_for(engine, "checkout")
        def _checkout(dbapi_conn, _record, _proxy):
            self.connections[id(dbapi_conn)] = dbapi_conn

        @event.listens_for(engine, "before_cursor_execute")
        def _log(conn, cursor, statement, parameters, context, executemany):
            if self.recording and statement.lstrip().upper().startswith(("SELECT", "WITH")):
                self.statements.setdefault(statement, parameters)

    def interrupt(self) -> None:
        for c in list(self.connections.values()):
            c.interrupt()


def run_raw(conn: sqlite3.Connection, sql, params, multi: bool):
    if multi:  # a list of (sql, params): e.g. one count per status
        return [conn.execute(s, p).fetchall() for s, p in zip(sql, params, strict=True)]
    return conn.execute(sql, params).fetchall()


def explain(conn: sqlite3.Connection, statement: str, parameters) -> str:
    rows = conn.execute("EXPLAIN QUERY PLAN " + statement, parameters or ()).fetchall()
    depth: dict[int, int] = {0: 0}
    lines = []
    for node_id, parent, _unused, detail in rows:
        depth[node_id] = depth.get(parent, 0) + 1
        lines.append("    " + "  " * depth[node_id] + detail)
    return "\n".join(lines)


def build_cases(desk, conn: sqlite3.Connection, rows: int) -> list[Case]:
    from dikjamila.db.dialects.sqlite import match_expression
    from dikjamila.desk.records import Cursor, InboxFilter
    from dikjamila.lifecycle import Status

    def ids(page):
        return [r.id for r in page.rows]

    def walk(flt, pages: int, **kw):
        page = desk.inbox(flt, limit=LIMIT, **kw)
        for _ in range(pages - 1):
            page = desk.inbox(flt, limit=LIMIT, after=page.next_cursor, **kw)
        return page.next_cursor

    cases: list[Case] = []

    def page(name, flt, raw, kind="page", note="", **kw):
        cases.append(Case(name, kind, lambda: desk.inbox(flt, limit=LIMIT, **kw), raw, key=ids, note=note))

    # -- plain pages -----------------------------------------------------------------------
    page("first page (newest 200)", InboxFilter(),
         {"id index": (f"{PAGE} ORDER BY r.id DESC LIMIT {N}", ())})
    page("status=diperiksa", InboxFilter(statuses=("diperiksa",)),
         {"(status,id)": (f"{PAGE} WHERE r.status = ? ORDER BY r.id DESC LIMIT {N}", ("diperiksa",))})
    page("status=diperiksa + service=kk_baru", InboxFilter(statuses=("diperiksa",), service="kk_baru"),
         {"(status,service,id)": ((f"{PAGE} WHERE r.status = ? AND r.service_code = ? "
                                  f"ORDER BY r.id DESC LIMIT {N}"), ("diperiksa", "kk_baru"))})
    page("kecamatan=63.11.05", InboxFilter(kecamatan="63.11.05"),
         {"(kecamatan,id)": (f"{PAGE} WHERE r.kecamatan_code = ? ORDER BY r.id DESC LIMIT {N}",
                             ("63.11.05",))})
    page("open statuses (4-way IN)", InboxFilter(statuses=("baru", "diperiksa", "berkas_kurang", "diproses")),
         {"(status,id) IN": (f"{PAGE} WHERE r.status IN (?, ?, ?, ?) ORDER BY r.id DESC LIMIT {N}",
                             ("baru", "diperiksa", "berkas_kurang", "diproses")),
          "UNION ALL per status": (
              (f"WITH ids AS (SELECT id FROM (SELECT id FROM (SELECT id FROM requests WHERE status = ? "
              f"ORDER BY id DESC LIMIT {N}) UNION ALL SELECT id FROM (SELECT id FROM requests WHERE "
              f"status = ? ORDER BY id DESC LIMIT {N}) UNION ALL SELECT id FROM (SELECT id FROM requests "
              f"WHERE status = ? ORDER BY id DESC LIMIT {N}) UNION ALL SELECT id FROM (SELECT id FROM "
              f"requests WHERE status = ? ORDER BY id DESC LIMIT {N})) ORDER BY id DESC LIMIT {N}) "
              f"SELECT {COLS} FROM ids JOIN requests r ON r.id = ids.id LEFT JOIN users u "
              f"ON u.id = r.assignee_id ORDER BY r.id DESC"),
              ("baru", "diperiksa", "berkas_kurang", "diproses"))},
         note="extra")

    cur = walk(InboxFilter(), WALK_PAGES)
    cases.append(Case(f"deep page {WALK_PAGES + 1} (walked cursor id {cur.id})", "page",
                      lambda: desk.inbox(InboxFilter(), limit=LIMIT, after=cur),
                      {"id < ?": (f"{PAGE} WHERE r.id < ? ORDER BY r.id DESC LIMIT {N}", (cur.id,))}, key=ids))
    half = rows // 2
    mid = Cursor(value=half, id=half)
    cases.append(Case(f"page after id {half:,}", "page",
                      lambda: desk.inbox(InboxFilter(), limit=LIMIT, after=mid),
                      {"id < ?": (f"{PAGE} WHERE r.id < ? ORDER BY r.id DESC LIMIT {N}", (half,))}, key=ids))
    cur_st = walk(InboxFilter(statuses=("selesai",)), WALK_PAGES)
    cases.append(Case(f"status=selesai deep page {WALK_PAGES + 1}", "page",
                      lambda: desk.inbox(InboxFilter(statuses=("selesai",)), limit=LIMIT, after=cur_st),
                      {"(status,id)": (f"{PAGE} WHERE r.status = ? AND r.id < ? ORDER BY r.id DESC LIMIT {N}",
                                       ("selesai", cur_st.id))}, key=ids, note="extra"))

    # -- sorts -----------------------------------------------------------------------------
    page("sort applicant A-Z, first page", InboxFilter(),
         {"(name,id)": (f"{PAGE} ORDER BY r.applicant_name, r.id LIMIT {N}", ())},
         sort="applicant", descending=False)
    cur_name = walk(InboxFilter(), WALK_PAGES, sort="applicant", descending=False)
    cases.append(Case(f"sort applicant, page {WALK_PAGES + 1}", "page",
                      lambda: desk.inbox(InboxFilter(), limit=LIMIT, after=cur_name, sort="applicant",
                                         descending=False),
                      {"(name,id) > row value": (
                          (f"{PAGE} WHERE (r.applicant_name, r.id) > (?, ?) "
                          f"ORDER BY r.applicant_name, r.id LIMIT {N}"), (cur_name.value, cur_name.id))},
                      key=ids, note="extra"))
    page("sort due (soonest), first page", InboxFilter(),
         {"(due,id)": (f"{PAGE} ORDER BY r.due_at, r.id LIMIT {N}", ())}, sort="due", descending=False)
    page("open + sort due, first page", InboxFilter(statuses=("diperiksa",)),
         {"(status,id) then sort": (f"{PAGE} WHERE r.status = ? ORDER BY r.due_at, r.id LIMIT {N}",
                                    ("diperiksa",))},
         sort="due", descending=False, note="extra")

    # -- text search -----------------------------------------------------------------------
    number = conn.execute("SELECT number FROM requests WHERE id = ?", (half,)).fetchone()[0]

    def search(name, text, flt_kw=None, raw_extra=None, note=""):
        flt = InboxFilter(text=text, **(flt_kw or {}))
        q = match_expression(text)
        raw = {"fts rowid-ordered, join": (fts_form(), {"q": q}),
               "fts join, one query": ((f"{PAGE} JOIN request_search f ON f.rowid = r.id "
                                       f"WHERE request_search MATCH :q ORDER BY f.rowid DESC LIMIT {N}"),
                                       {"q": q})}
        if raw_extra:
            raw = raw_extra(q)
        page(name, flt, raw, kind="search", note=note)

    search('text "aminah" (~20% of rows)', "aminah")
    search('NIK prefix "631105"', "631105")
    search('phone prefix "0812"', "0812")
    search('NIK prefix "6311" (the regency)', "6311", note="extra")
    search(f'request number "{number}"', number, raw_extra=lambda q: {
        "unique index": (f"{PAGE} WHERE r.number = ? ORDER BY r.id DESC LIMIT {N}", (number,)),
        "fts rowid-ordered, join": (fts_form(), {"q": q})})
    cases.append(Case(f"desk.find_number({number})", "search", lambda: desk.find_number(number),
                      {"unique index": ("SELECT id FROM requests WHERE number = ?", (number,))},
                      key=lambda i: [i], note="extra"))

    def text_status(text, status, *, probe: bool = True):
        def forms(q):
            p = {"q": q, "s": status}
            out = {
                "fts walk, filter status": (
                    (f"SELECT {COLS} FROM request_search f CROSS JOIN requests r ON r.id = f.rowid "
                    f"LEFT JOIN users u ON u.id = r.assignee_id WHERE request_search MATCH :q "
                    f"AND r.status = :s ORDER BY f.rowid DESC LIMIT {N}"), p),
                "status index, id IN (fts)": (
                    (f"{PAGE} WHERE r.status = :s AND r.id IN (SELECT rowid FROM request_search "
                    f"WHERE request_search MATCH :q) ORDER BY r.id DESC LIMIT {N}"), p),
            }
            if probe:  # the plan SQLite picks for the desk's count: one FTS query per status row
                out["status index walk, probe fts"] = (
                    (f"{PAGE} CROSS JOIN request_search f ON f.rowid = r.id WHERE r.status = :s "
                    f"AND request_search MATCH :q ORDER BY r.id DESC LIMIT {N}"), p)
            return out
        return forms

    search('text "aminah" + status=berkas_kurang', "aminah", {"statuses": ("berkas_kurang",)},
           raw_extra=text_status("aminah", "berkas_kurang"))
    search('NIK "631105" + status=ditolak', "631105", {"statuses": ("ditolak",)},
           raw_extra=text_status("631105", "ditolak", probe=False), note="extra")
    def text_sorted(sort, column):
        def forms(q):
            return {
                "fts hits, then sort": (
                    (f"SELECT {COLS} FROM request_search f CROSS JOIN requests r ON r.id = f.rowid "
                    f"LEFT JOIN users u ON u.id = r.assignee_id WHERE request_search MATCH :q "
                    f"ORDER BY r.{column}, r.id LIMIT {N}"), {"q": q}),
                f"{sort} index walk, id IN (fts)": (
                    (f"{PAGE} WHERE r.id IN (SELECT rowid FROM request_search WHERE request_search MATCH :q) "
                    f"ORDER BY r.{column}, r.id LIMIT {N}"), {"q": q}),
            }
        return forms

    for sort, column in (("applicant", "applicant_name"), ("due", "due_at")):
        flt = InboxFilter(text="aminah")
        cases.append(Case(f'text "aminah", sort {sort}', "search",
                          lambda flt=flt, sort=sort: desk.inbox(flt, limit=LIMIT, sort=sort, descending=False),
                          text_sorted(sort, column)(match_expression("aminah")), key=ids, note="extra"))

    cur_text = walk(InboxFilter(text="aminah"), WALK_PAGES)
    cases.append(Case(f'text "aminah", page {WALK_PAGES + 1}', "search",
                      lambda: desk.inbox(InboxFilter(text="aminah"), limit=LIMIT, after=cur_text),
                      {"fts rowid-ordered, join": (fts_form("AND rowid < :c"),
                                                   {"q": match_expression("aminah"), "c": cur_text.id})},
                      key=ids, note="extra"))

    # -- counts ----------------------------------------------------------------------------
    statuses = [s.value for s in Status]

    def status_count_rows(form, rows):
        counts = dict.fromkeys(statuses, 0)
        if form == "GROUP BY status":
            counts.update(dict(rows))
        else:
            counts.update({s: r[0][0] for s, r in zip(statuses, rows, strict=True)})
        return counts

    cases.append(Case("status tab counts (8 statuses)", "count", lambda: desk.status_counts(), {
        "GROUP BY status": ("SELECT status, count(*) FROM requests GROUP BY status", ()),
        "8x count(*) WHERE status=?": (["SELECT count(*) FROM requests WHERE status = ?"] * len(statuses),
                                       [(s,) for s in statuses]),
    }, key=dict, raw_key=status_count_rows))

    def count_case(name, text, flt_kw=None, note=""):
        flt = InboxFilter(text=text, **(flt_kw or {}))
        q = match_expression(text)
        if flt_kw:
            st = flt_kw["statuses"][0]
            raw = {"fts walk, filter status": (("SELECT count(*) FROM request_search f CROSS JOIN requests r "
                                               "ON r.id = f.rowid WHERE request_search MATCH ? AND r.status = ?"),
                                               (q, st)),
                   "status index, probe fts": (("SELECT count(*) FROM requests r CROSS JOIN request_search f "
                                               "ON f.rowid = r.id WHERE r.status = ? AND request_search MATCH ?"),
                                               (st, q)),
                   "status index, id IN (fts)": (("SELECT count(*) FROM requests WHERE status = ? AND id IN "
                                                 "(SELECT rowid FROM request_search WHERE request_search MATCH ?)"),
                                                 (st, q))}
        else:
            raw = {"fts only": ("SELECT count(*) FROM request_search WHERE request_search MATCH ?", (q,)),
                   "fts join requests": (("SELECT count(*) FROM request_search f JOIN requests r ON "
                                         "r.id = f.rowid WHERE request_search MATCH ?"), (q,))}
        cases.append(Case(name, "count", lambda: desk.count(flt), raw, key=lambda n: n,
                          raw_key=lambda form, rows: rows[0][0], note=note))

    count_case('count text "aminah"', "aminah")
    count_case('count NIK prefix "631105"', "631105", note="extra")
    count_case('count "aminah" + status=berkas_kurang', "aminah", {"statuses": ("berkas_kurang",)},
               note="extra")

    def counts_text(text):
        q = match_expression(text)
        return {
            "GROUP BY over fts join": (
                ("SELECT r.status, count(*) FROM request_search f JOIN requests r ON r.id = f.rowid "
                "WHERE request_search MATCH ? GROUP BY r.status"), (q,)),
        }

    cases.append(Case('status tab counts under text "aminah"', "count",
                      lambda: desk.status_counts(InboxFilter(text="aminah")), counts_text("aminah"),
                      key=lambda d: {k: v for k, v in d.items() if v},
                      raw_key=lambda form, rows: dict(rows), note="extra"))
    return cases


def run(args) -> int:
    from dikjamila.auth.roles import Actor
    from dikjamila.office import Office

    db_path, gen = generate.ensure(args.db, args.rows, seed=args.seed)
    data_dir, url = generate.office_args(db_path)
    office = Office.open(data_dir, db_url=url)
    desk = office.desk(Actor.system())
    log = StatementLog(office.db.engine)
    # An interrupted runaway query is logged by the desk with a traceback; the table says it.
    logging.getLogger("dikjamila.desk.base").disabled = True
    conn = sqlite3.connect(db_path, isolation_level=None)
    rows = conn.execute("SELECT count(*) FROM requests").fetchone()[0]
    print(f"\nSQLite {sqlite3.sqlite_version}, {rows:,} requests, {db_path.stat().st_size / 1e6:.0f} MB, "
          f"{args.warmup} warm-ups + {args.repeat} timed runs per query; ms (wall clock, per call)")
    if gen["seconds"] is not None:
        print(f"generation: {gen['seconds']:.1f} s")

    cases = build_cases(desk, conn, rows)
    if args.only:
        cases = [c for c in cases if args.only.lower() in c.name.lower()]
    results: list[Result] = []
    for case in cases:
        log.statements, log.recording = {}, True
        try:
            desk_samples, desk_result = timed(case.desk, args.warmup, args.repeat, args.budget, log.interrupt)
        except TimedOut:
            desk_samples, desk_result = [args.budget * 1000], None
        finally:
            log.recording = False
        raw: dict[str, list[float]] = {}
        raw_results = {}
        for form, (sql, params) in case.raw.items():
            multi = isinstance(sql, list)
            try:
                samples, out = timed(lambda sql=sql, params=params, multi=multi: run_raw(conn, sql, params, multi),
                                     args.warmup, args.repeat, args.budget, conn.interrupt)
            except TimedOut:
                samples, out = [args.budget * 1000], None
            raw[form] = samples
            raw_results[form] = out
        res = Result(case, desk_samples, raw)
        res.statements = list(log.statements.items())
        res.timed_out = desk_result is None
        form = res.best_form
        if desk_result is not None and raw_results[form] is not None:
            res.agree = case.key(desk_result) == case.raw_key(form, raw_results[form])
        results.append(res)
        print_row(res, header=len(results) == 1)

    print("\nTargets: page queries p95 <= 50 ms; searches and counts median <= 2x the raw baseline median.")
    failed = 0
    for res in results:
        for label, ok, detail in res.checks():
            print(f"{'PASS' if ok else 'FAIL'}  {res.case.name} [{label}]: {detail}"
                  + ("" if res.case.note != "extra" else "  (extra)"))
        failed += not res.passed
    misses = [r for r in results if not r.passed or args.explain_all]
    for res in misses:
        print(f"\nEXPLAIN QUERY PLAN, desk SQL of: {res.case.name}")
        seen = set()
        for statement, parameters in res.statements:
            if statement in seen:
                continue
            seen.add(statement)
            print("  " + " ".join(statement.split()))
            print(f"  params: {parameters!r}")
            print(explain(conn, statement, parameters))
        form = res.best_form
        sql, params = res.case.raw[form]
        if not isinstance(sql, list):
            print(f"  raw baseline ({form}): {' '.join(sql.split())}")
            print(explain(conn, sql, params))
    bad = [r.case.name for r in results if r.agree is False]
    if bad:
        print("\nWARNING: desk and raw results differ for: " + "; ".join(bad))
    conn.close()
    office.close()
    return 1 if failed else 0


def print_row(res: Result, *, header: bool) -> None:
    if header:
        print(f"\n{'query':<46} {'kind':<6} {'desk med':>8} {'desk p95':>8} {'raw med':>8} {'raw p95':>8} "
              f"{'ratio':>6} {'n':>3}  {'result':<6} raw baseline form")
        print("-" * 130)
    d_med, d_p95 = statistics.median(res.desk), p95(res.desk)
    r_med, r_p95 = statistics.median(res.raw_best), p95(res.raw_best)
    ratio = d_med / r_med if r_med else math.inf
    others = ", ".join(f"{k} {statistics.median(v):.2f}" for k, v in res.raw.items() if k != res.best_form)
    name = res.case.name + (" *" if res.case.note == "extra" else "")
    print(f"{name[:46]:<46} {res.case.kind:<6} {d_med:8.2f} {d_p95:8.2f} {r_med:8.2f} {r_p95:8.2f} "
          f"{ratio:6.1f} {len(res.desk):3d}  {'PASS' if res.passed else 'FAIL':<6} {res.best_form}"
          + (f"  (other: {others})" if others else "")
          + ("" if res.agree is not False else "  [RESULTS DIFFER]")
          + (f"  [desk interrupted after {res.desk[0] / 1000:.0f} s]" if res.timed_out else ""), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None,
                        help="SQLite file (default: bench-data/inbox-ROWS/dikjamila.sqlite3)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query (>= 30 advised)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds per query and side; slower queries get fewer runs (min 3)")
    parser.add_argument("--seed", type=int, default=7, help="seed when the database must be generated")
    parser.add_argument("--only", default="", help="run only queries whose name contains this text")
    parser.add_argument("--explain-all", action="store_true", help="query plans for every query")
    args = parser.parse_args(argv)
    sys.exit(run(args))


if __name__ == "__main__":
    main()
