"""Intake benchmark (issue 8): chat-export imports and live incoming messages into requests.

    python -m tests.bench.bench_intake [--quick] [--only NAMES] [--wait-quiet SECONDS] [--keep]

The data comes from `tests.bench.chat_generator` (see its docstring): the text exports are
written afresh each run, the photo zip is generated once and cached under
`bench-data/intake/` (about half a minute and 1.2 GB for 2,000 photos).

Each measurement runs in a fresh office in a temporary folder (`Office.open`, so the schema
is the real migrated one), with a system actor (`Actor.system("bench")`) and default settings
(automatic requests and "permohonan diterima" replies on). Measurements (`--only` names):

- `long`: one exported chat of 40,000 messages between the office and one resident over
  about two years, through `desk.import_chat`. Baselines: parsing the same file alone
  (`read_export`), and a raw sqlite3 bulk insert of the same messages into the `messages`
  table of a fresh office (one transaction, the app's pragmas).
- `writer`: the same import while another writer (its own `Office` on the same folder, in a
  thread, like a second desk on the workstation) adds a note to a request every 50 ms; every
  wait is timed and the longest printed with the import step it fell in.
- `writer-process` (extra): the same with the writer in a child process, like another
  workstation: it shares the database's write lock but not the GIL, so the two runs tell
  waiting for the lock from waiting for the interpreter (the child's CPU shows as "rest of
  machine").
- `batch`: 50 chats of 800 messages (one resident each), imported one after another into one
  office: the office's typical batch import. Baselines as for `long`.
- `photos`: a .zip export with 2,000 photos (1600x1200 JPEG, each fully decoded by the store).
  Baselines: decoding the same JPEGs with Pillow (open + load) on one thread, and on as many
  threads as cores. The file step's CPU time over its wall time shows how many cores it used.
- `live`: 1,000 incoming events from 300 senders (bursts of 1-5 messages) fed one by one
  through `desk.store_incoming`, as the link does; the time until the last one is stored and
  routed (each event is routed before `store_incoming` returns; checked afterwards: no message
  left unhandled). Baselines: raw sqlite3 inserts of as many message rows, one transaction
  each (the live path commits each message), and all in one transaction.
- `live-photos` (extra): the same with one message in ten carrying a 1600x1200 photo.

Every import's steps are timed from its progress reports: reading (parse, sides, import row),
files (from the first file stored), messages (staged inserts) and routing (bursts into
requests, the office's replies placed). Wall time, CPU time of the whole process (all
threads) and the CPU used by the rest of the machine are printed, since the machine is shared
(a measurement during which other processes used more than 0.3 of a CPU is flagged;
`--wait-quiet` waits for them before each measurement). The SQL statements the desk sent are
counted (an executemany counts once; BEGINs are transactions), and the audit events and change-log rows it wrote.

Targets (issue 8, "Done when"), as rates so that `--quick` (a tenth of every size) is held to
the same pace: 40,000 exported messages in <= 5 s (both `long` and `batch`); 2,000 photos in
<= 20 s, using both cores; 1,000 live messages into requests in <= 5 s; another writer never
waits more than 1 s during an import.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from tests.bench import chat_generator as gen
from tests.bench.machine import machine_busy_seconds

IMPORT_RATE = 40_000 / 5.0  # messages per second
PHOTO_RATE = 2_000 / 20.0  # photos per second
LIVE_RATE = 1_000 / 5.0  # messages per second
WRITER_MAX_WAIT_S = 1.0
WRITER_INTERVAL_S = 0.05
NAMES = ("long", "writer", "writer-process", "batch", "photos", "live", "live-photos")
BUSY_OTHERS = 0.3  # CPUs used by other processes above which a figure is flagged


@dataclass(frozen=True)
class Sizes:
    long: int
    chats: int
    chat_messages: int
    photos: int
    live: int
    senders: int


FULL = Sizes(long=40_000, chats=50, chat_messages=800, photos=2_000, live=1_000, senders=300)
QUICK = Sizes(long=4_000, chats=5, chat_messages=800, photos=200, live=100, senders=30)


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Span:
    wall: float
    cpu: float  # this process, all threads
    others: float | None  # CPU seconds the rest of the machine used meanwhile

    @property
    def cores(self) -> float:
        return self.cpu / self.wall if self.wall else 0.0

    def text(self) -> str:
        other = ""
        if self.others is not None and self.wall:
            other = f", rest of machine {self.others / self.wall:.2f} CPU"
            if self.others / self.wall > BUSY_OTHERS:
                other += " [machine busy: figures unreliable]"
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU ({self.cores:.2f} cores){other}"


def wait_quiet(limit_s: float) -> None:
    """Wait (up to `limit_s`) until the rest of the machine uses under BUSY_OTHERS of a CPU."""
    if limit_s <= 0:
        return
    t0 = time.monotonic()
    while True:
        b0, c0 = machine_busy_seconds(), time.process_time()
        time.sleep(1.0)
        b1, c1 = machine_busy_seconds(), time.process_time()
        if b0 is None or b1 is None:
            return
        others = max(0.0, b1 - b0 - (c1 - c0))
        waited = time.monotonic() - t0
        if others < BUSY_OTHERS:
            if waited > 1.5:
                print(f"  (waited {waited:.0f} s for the machine to be quiet)", flush=True)
            return
        if waited > limit_s:
            print(f"  (the machine stayed busy: other processes use {others:.2f} CPU; measuring anyway)", flush=True)
            return


class Clock:
    def __init__(self):
        self.t0, self.c0, self.m0 = time.perf_counter(), time.process_time(), machine_busy_seconds()

    def span(self) -> Span:
        wall, cpu, busy = time.perf_counter() - self.t0, time.process_time() - self.c0, machine_busy_seconds()
        others = None if busy is None or self.m0 is None else max(0.0, busy - self.m0 - cpu)
        return Span(wall, cpu, others)


class Steps:
    """An import's progress reports as steps: reading, files, messages, routing."""

    def __init__(self):
        self.marks: list[tuple[str, float, float]] = []  # (step, wall, cpu) where each step begins
        self.step = "start"

    def __call__(self, fraction: float, text: str) -> None:
        # The steps as `ChatImportOps.import_chat` reports them (0.0, "Menyimpan berkas …", 0.6, 0.8, 1.0).
        step = ("reading" if fraction == 0.0 else "files" if text.startswith("Menyimpan") else
                "messages" if fraction == 0.6 else "routing" if fraction == 0.8 else "done" if fraction >= 1.0
                else self.step)
        if step != self.step:
            self.step = step
            self.marks.append((step, time.monotonic(), time.process_time()))

    def spans(self) -> list[tuple[str, float, float]]:
        """(step, wall s, CPU s) of each step."""
        out = []
        for (name, w0, c0), (_next, w1, c1) in zip(self.marks, self.marks[1:], strict=False):
            out.append((name, w1 - w0, c1 - c0))
        return out

    def text(self) -> str:
        return "; ".join(f"{name} {wall:.2f} s ({cpu / wall if wall else 0:.2f} cores)"
                         for name, wall, cpu in self.spans())


@dataclass
class Target:
    label: str
    ok: bool
    detail: str
    extra: bool = False


@dataclass
class Report:
    targets: list[Target] = field(default_factory=list)

    def check(self, label: str, ok: bool, detail: str, *, extra: bool = False) -> None:
        self.targets.append(Target(label, ok, detail, extra))
        print(f"  -> {'PASS' if ok else 'FAIL'}  {label}: {detail}", flush=True)


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(q * len(s) + 0.5) - 1))] if s else 0.0


@contextmanager
def fresh_office(keep: bool, label: str) -> Iterator:
    from dikjamila.office import Office

    folder = Path(tempfile.mkdtemp(prefix=f"bench-intake-{label}-"))
    office = Office.open(folder / "kantor")
    try:
        yield office
    finally:
        office.close()
        if keep:
            print(f"  (office kept in {folder})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def trail(office) -> str:
    """What the desk wrote beside the data: audit events and change-log rows (the log is pruned
    as it grows, so its count is a floor)."""
    audit = count_rows(office, "SELECT count(*) FROM audit_events")
    changes = count_rows(office, "SELECT count(*) FROM change_log")
    return f"{audit:,} audit events, {changes:,} change-log rows"


def db_file(office) -> Path:
    return Path(office.db.engine.url.database)


def count_rows(office, sql: str) -> int:
    with sqlite3.connect(db_file(office)) as conn:
        return conn.execute(sql).fetchone()[0]


# -- baselines ---------------------------------------------------------------------------------
MESSAGE_COLUMNS = ("direction", "sender", "body", "blob_sha256", "sent_at", "source", "sender_phone", "push_name",
                   "file_name", "file_mime", "file_kind", "file_note", "content_key", "route_flag", "import_id",
                   "handled_at", "request_id", "account", "sender_lid", "quoted_wa_id")


def export_rows(bundles) -> list[tuple]:
    """The rows an import of `bundles` writes to `messages` (what the raw baseline inserts)."""
    from dikjamila.intake.chat_export import MessageKind, content_key

    rows = []
    for bundle in bundles:
        for m in bundle.chat.messages:
            if not m.sender or m.kind in (MessageKind.SYSTEM, MessageKind.DELETED):
                continue
            office = m.sender == gen.OFFICE
            at = (m.at - timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S.%f")
            rows.append(("out" if office else "in", m.sender, m.text, None, at, "import", "", m.sender, "", "", "",
                         "", content_key(m.at, m.text), "staged", 1, None, None, "", "", ""))
    return rows


def raw_insert(db_path: Path, rows: list[tuple], *, commit_each: bool) -> float:
    """Seconds to insert `rows` into `messages` with plain sqlite3 and the app's pragmas."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "busy_timeout = 15000"):
            conn.execute(f"PRAGMA {pragma}")
        sql = f"INSERT INTO messages ({', '.join(MESSAGE_COLUMNS)}) VALUES ({', '.join('?' * len(MESSAGE_COLUMNS))})"
        t0 = time.perf_counter()
        if commit_each:
            for row in rows:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(sql, row)
                conn.execute("COMMIT")
        else:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, rows)
            conn.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        conn.close()


def parse_time(paths: list[Path]) -> tuple[float, list]:
    from dikjamila.intake.chat_export import read_export

    t0 = time.perf_counter()
    bundles = [read_export(p) for p in paths]
    return time.perf_counter() - t0, bundles


def decode_time(photos: list[bytes], threads: int) -> float:
    import io

    from PIL import Image

    def one(data: bytes) -> None:
        with Image.open(io.BytesIO(data)) as img:
            img.load()

    t0 = time.perf_counter()
    if threads == 1:
        for data in photos:
            one(data)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(one, photos))
    return time.perf_counter() - t0


# -- the other writer ------------------------------------------------------------------------
def probe_loop(desk, request_id: int, stop: threading.Event, samples: list, errors: list,
               step: Callable[[], str] = lambda: "") -> None:
    """Add a note every WRITER_INTERVAL_S until `stop`; record (monotonic start, wait s, step)."""
    from dikjamila.errors import UserError

    next_at = time.monotonic()
    number = 0
    while not stop.is_set():
        number += 1
        label = step()
        t0 = time.monotonic()
        try:
            desk.add_note(request_id, f"catatan loket {number}")
        except UserError as exc:
            errors.append(exc.message)
        samples.append((t0, time.monotonic() - t0, label))
        next_at += WRITER_INTERVAL_S
        delay = next_at - time.monotonic()
        if delay > 0:
            stop.wait(delay)
        else:
            next_at = time.monotonic()


class WriterProbe:
    """A second desk (its own Office on the same folder) adding a note every 50 ms, in a thread
    of this process or in a child process (`process=True`: then it does not compete for our GIL)."""

    def __init__(self, data_dir: Path, request_id: int, step: Callable[[], str], *, process: bool):
        self.samples: list[tuple[float, float, str]] = []  # (monotonic start, wait s, import step)
        self.errors: list[str] = []
        self.process = process
        self.step = step
        if process:
            self.child = subprocess.Popen(
                [sys.executable, "-m", "tests.bench.bench_intake", "--probe", str(data_dir), str(request_id)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
            if self.child.stdout.readline().strip() != "ready":
                raise RuntimeError("the writer process did not start")
            self.steps: list[tuple[float, str]] = []
            self.watch_stop = threading.Event()
            self.watch = threading.Thread(target=self._watch_steps, daemon=True)
            self.watch.start()
        else:
            from dikjamila.auth.roles import Actor
            from dikjamila.office import Office

            self.office = Office.open(data_dir)
            self.stop_event = threading.Event()
            desk = self.office.desk(Actor.system("loket"))
            self.thread = threading.Thread(target=probe_loop, name="bench-writer", daemon=True,
                                           args=(desk, request_id, self.stop_event, self.samples, self.errors, step))
            self.thread.start()

    def _watch_steps(self) -> None:
        """The import's step over time (the child cannot ask us), sampled every 5 ms."""
        last = None
        while not self.watch_stop.wait(0.005):
            now = self.step()
            if now != last:
                self.steps.append((time.monotonic(), now))
                last = now

    def stop(self) -> None:
        if not self.process:
            self.stop_event.set()
            self.thread.join()
            self.office.close()
            return
        self.watch_stop.set()
        self.watch.join()
        out, _err = self.child.communicate("stop\n", timeout=60)
        result = json.loads(out.strip().splitlines()[-1])
        for t0, wait in result["samples"]:
            label = next((name for at, name in reversed(self.steps) if at <= t0), "start")
            self.samples.append((t0, wait, label))
        self.errors += result["errors"]


def probe_child(data_dir: str, request_id: str) -> None:
    """`--probe DIR ID`: the writer of `WriterProbe(process=True)`; "stop" on stdin ends it."""
    from dikjamila.auth.roles import Actor
    from dikjamila.office import Office

    office = Office.open(Path(data_dir))
    desk = office.desk(Actor.system("loket"))
    stop = threading.Event()
    samples: list = []
    errors: list = []
    runner = threading.Thread(target=probe_loop, args=(desk, int(request_id), stop, samples, errors), daemon=True)
    runner.start()
    print("ready", flush=True)
    sys.stdin.readline()
    stop.set()
    runner.join()
    office.close()
    print(json.dumps({"samples": [(t0, wait) for t0, wait, _ in samples], "errors": errors}), flush=True)


# -- SQL statements ----------------------------------------------------------------------------
class Statements:
    """The statements an engine sends, by their first word (an executemany counts once)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.counts: Counter[str] = Counter()
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.counts[statement.lstrip()[:6].upper().rstrip()] += 1

    def text(self, per: int = 0, what: str = "") -> str:
        total = sum(self.counts.values())
        out = f"{total:,} SQL statements ({self.counts['BEGIN']:,} transactions"
        out += "".join(f", {self.counts[k]:,} {k}" for k in ("SELECT", "INSERT", "UPDATE", "DELETE") if self.counts[k])
        out += ")"
        if per:
            out += f"; {total / per:.1f} statements and {self.counts['BEGIN'] / per:.2f} transactions per {what}"
        return out


# -- measurements ------------------------------------------------------------------------------
def import_one(office, path: Path, steps: Steps | None = None):
    from dikjamila.auth.roles import Actor

    return office.desk(Actor.system("bench")).import_chat(path, progress=steps)


def print_import(label: str, n: int, span: Span, summary, steps: Steps | None) -> None:
    print(f"  {label}: {n:,} messages in {span.text()}; {n / span.wall:,.0f} messages/s")
    print(f"    stored {summary.messages:,}, already known {summary.already_known:,}, requests created "
          f"{summary.requests_created}, updated {summary.requests_updated}, files on checklists "
          f"{summary.attachments:,}, skipped {sum(summary.skipped.values()):,}")
    if steps is not None:
        print(f"    steps: {steps.text()}")


def measure_long(args, sizes: Sizes, data: dict, report: Report) -> None:
    path: Path = data["long"]
    print(f"\n[long] one chat, {sizes.long:,} messages over ~2 years, {path.stat().st_size / 1e6:.1f} MB .txt", flush=True)
    parse_s, bundles = parse_time([path])
    n = sum(1 for m in bundles[0].chat.messages if m.sender)
    rows = export_rows(bundles)
    with fresh_office(args.keep, "long-raw") as office:
        raw_s = raw_insert(db_file(office), rows, commit_each=False)
    print(f"  baseline: parse only {parse_s:.2f} s ({n / parse_s:,.0f} messages/s); raw sqlite3 bulk insert of "
          f"{len(rows):,} rows {raw_s:.2f} s ({len(rows) / raw_s:,.0f} rows/s)", flush=True)
    with fresh_office(args.keep, "long") as office:
        statements = Statements(office.db.engine)
        steps = Steps()
        clock = Clock()
        summary = import_one(office, path, steps)
        span = clock.span()
        bursts = count_rows(office, "SELECT count(*) FROM audit_events WHERE action = 'intake.route'")
        written = trail(office)
    print_import("import", n, span, summary, steps)
    print(f"    {statements.text(bursts, 'submission')}; {written}")
    print(f"    {bursts:,} submissions routed ({span.wall / max(bursts, 1) * 1000:.1f} ms of import each); "
          f"import = {span.wall / parse_s:.1f}x parse, {span.wall / raw_s:.0f}x raw bulk insert")
    limit = n / IMPORT_RATE
    report.check(f"long chat: {n:,} messages <= {limit:.1f} s", span.wall <= limit,
                 f"{span.wall:.2f} s, {n / span.wall:,.0f} messages/s (target {IMPORT_RATE:,.0f}/s), "
                 f"{summary.requests_created} request(s) created")


def measure_writer(args, sizes: Sizes, data: dict, report: Report, *, process: bool = False) -> None:
    from dikjamila.auth.roles import Actor
    from dikjamila.desk import NewRequest

    path: Path = data["long"]
    label = "writer-process" if process else "writer"
    where = "in a child process (another workstation)" if process else "in a thread (another desk in this process)"
    print(f"\n[{label}] the long import while another writer {where} adds a note every "
          f"{WRITER_INTERVAL_S * 1000:.0f} ms", flush=True)
    with fresh_office(args.keep, label) as office:
        req = office.desk(Actor.system("bench")).create_request(NewRequest(
            service_code="akta_kelahiran", applicant_name="Siti Aminah", channel="walk_in",
            applicant_phone="0812-3456-7890", applicant_nik="6311054506900003", kecamatan_code="63.11.05"))
        steps = Steps()
        probe = WriterProbe(office.paths.data_dir, req.id, lambda: steps.step, process=process)
        time.sleep(0.3)  # a few notes before the import starts
        clock = Clock()
        began = time.monotonic()
        try:
            summary = import_one(office, path, steps)
        finally:
            span = clock.span()
            ended = time.monotonic()
            time.sleep(0.3)
            probe.stop()
        n = sum(1 for m in _read(path).chat.messages if m.sender)
    waits = [w for _t, w, _s in probe.samples]
    worst_at, worst, worst_step = max(probe.samples, key=lambda x: x[1])
    print_import("import with the writer", n, span, summary, steps)
    by_step: dict[str, list[float]] = {}
    for _t, w, st in probe.samples:
        by_step.setdefault(st, []).append(w)
    print(f"  writer: {len(waits):,} notes, wait median {statistics.median(waits) * 1000:.1f} ms, "
          f"p99 {pct(waits, 0.99) * 1000:.1f} ms, worst {worst * 1000:.0f} ms (during '{worst_step}', from "
          f"{worst_at - began:.2f} s to {worst_at + worst - began:.2f} s after the import began; it ended at "
          f"{ended - began:.2f} s); {sum(w > 0.1 for w in waits)} waits over 100 ms")
    print("    worst per import step: " + "; ".join(
        f"{st} {max(ws) * 1000:.0f} ms (n={len(ws)})" for st, ws in by_step.items()))
    longest = sorted(probe.samples, key=lambda x: -x[1])[:5]
    print("    longest waits (import time when it began, wait): " + "; ".join(
        f"{t0 - began:.2f} s {w * 1000:.0f} ms" for t0, w, _st in sorted(longest)))
    if probe.errors:
        print(f"    {len(probe.errors)} notes refused: {probe.errors[0]}")
    report.check(f"another writer ({'process' if process else 'thread'}) during the long import waits "
                 f"<= {WRITER_MAX_WAIT_S:.0f} s", worst <= WRITER_MAX_WAIT_S and not probe.errors,
                 f"worst {worst * 1000:.0f} ms ({worst_step}), {len(probe.errors)} refused", extra=process)


def _read(path: Path):
    from dikjamila.intake.chat_export import read_export
    return read_export(path)


def measure_batch(args, sizes: Sizes, data: dict, report: Report) -> None:
    paths: list[Path] = data["batch"]
    print(f"\n[batch] {len(paths)} chats x {sizes.chat_messages} messages, imported one after another", flush=True)
    parse_s, bundles = parse_time(paths)
    n = sum(1 for b in bundles for m in b.chat.messages if m.sender)
    rows = export_rows(bundles)
    with fresh_office(args.keep, "batch-raw") as office:
        raw_s = raw_insert(db_file(office), rows, commit_each=False)
    print(f"  baseline: parse only {parse_s:.2f} s ({n / parse_s:,.0f} messages/s); raw sqlite3 bulk insert of "
          f"{len(rows):,} rows {raw_s:.2f} s", flush=True)
    per_chat: list[float] = []
    created = known = 0
    none_made: list[str] = []
    with fresh_office(args.keep, "batch") as office:
        statements = Statements(office.db.engine)
        clock = Clock()
        step_sums: dict[str, list[float]] = {}
        for path in paths:
            steps = Steps()
            t0 = time.perf_counter()
            summary = import_one(office, path, steps)
            per_chat.append(time.perf_counter() - t0)
            created += summary.requests_created
            known += summary.already_known
            if not summary.requests_created:
                none_made.append(f"{path.stem.removeprefix('Chat WhatsApp dengan ')} -> {summary.request_numbers}")
            for name, wall, cpu in steps.spans():
                acc = step_sums.setdefault(name, [0.0, 0.0])
                acc[0] += wall
                acc[1] += cpu
        span = clock.span()
        bursts = count_rows(office, "SELECT count(*) FROM audit_events WHERE action = 'intake.route'")
    print(f"  import: {n:,} messages in {span.text()}; {n / span.wall:,.0f} messages/s")
    print(f"    per chat: median {statistics.median(per_chat):.2f} s, max {max(per_chat):.2f} s; "
          f"requests created {created}; {bursts:,} submissions routed; {known} messages taken as already known")
    print(f"    {statements.text(bursts, 'submission')}")
    if none_made:
        print(f"    {len(none_made)} chats created no request (their messages joined another chat's request): "
              + "; ".join(none_made[:5]))
    print("    steps (summed): " + "; ".join(f"{k} {w:.2f} s ({c / w if w else 0:.2f} cores)"
                                          for k, (w, c) in step_sums.items()))
    print(f"    import = {span.wall / parse_s:.1f}x parse, {span.wall / raw_s:.0f}x raw bulk insert")
    limit = n / IMPORT_RATE
    report.check(f"batch of {len(paths)} chats: {n:,} messages <= {limit:.1f} s", span.wall <= limit,
                 f"{span.wall:.2f} s, {n / span.wall:,.0f} messages/s, {created} requests created")


def measure_photos(args, sizes: Sizes, data: dict, report: Report) -> None:
    path: Path = data["photos"]
    cores = gen._cores()
    print(f"\n[photos] zip with {sizes.photos:,} photos (1600x1200 JPEG), {path.stat().st_size / 1e6:.0f} MB",
          flush=True)
    photos = list(gen.iter_zip_photos(path))
    one_s = decode_time(photos, 1)
    all_s = decode_time(photos, cores)
    print(f"  baseline: Pillow open+load of the {len(photos):,} JPEGs: 1 thread {one_s:.2f} s "
          f"({one_s / len(photos) * 1000:.1f} ms each); {cores} threads {all_s:.2f} s ({one_s / all_s:.2f}x)",
          flush=True)
    avg_kb = sum(map(len, photos)) / len(photos) / 1024
    del photos
    bundle = _read(path)
    n = sum(1 for m in bundle.chat.messages if m.sender)
    with fresh_office(args.keep, "photos") as office:
        statements = Statements(office.db.engine)
        steps = Steps()
        clock = Clock()
        summary = import_one(office, path, steps)
        span = clock.span()
    print(f"  ({avg_kb:.0f} KB per photo; the chat has {n:,} messages)")
    print_import("import", n, span, summary, steps)
    print(f"    {statements.text()}")
    spans = {name: (wall, cpu) for name, wall, cpu in steps.spans()}
    files_wall, files_cpu = spans.get("files", (0.0, 0.0))
    route_wall, route_cpu = spans.get("routing", (0.0, 0.0))
    print(f"    files step: {files_wall:.2f} s = {files_wall / one_s:.2f}x the 1-thread decode, "
          f"{files_wall / all_s:.2f}x the {cores}-thread decode; {files_cpu / files_wall if files_wall else 0:.2f} "
          f"cores busy; {sizes.photos / files_wall if files_wall else 0:,.0f} photos/s")
    print(f"    routing step: {route_wall:.2f} s ({route_cpu / route_wall if route_wall else 0:.2f} cores) = "
          f"{route_wall / one_s:.2f}x the 1-thread decode; whole import {sizes.photos / span.wall:,.0f} photos/s, "
          f"{span.wall / one_s:.2f}x the 1-thread decode")
    limit = sizes.photos / PHOTO_RATE
    report.check(f"photo zip: {sizes.photos:,} photos <= {limit:.0f} s", span.wall <= limit,
                 f"{span.wall:.2f} s, {sizes.photos / span.wall:,.0f} photos/s, {n / span.wall:,.0f} messages/s, "
                 f"{summary.requests_created} request(s) created, {summary.attachments:,} files on its checklist")
    report.check(f"photo zip: files stored on both cores (files step < 1-thread decode of {one_s:.1f} s)",
                 files_wall < one_s and files_cpu / max(files_wall, 1e-9) > 1.3,
                 f"files step {files_wall:.2f} s, {files_cpu / max(files_wall, 1e-9):.2f} cores busy; the whole import "
                 f"{span.cores:.2f} cores")


def measure_live(args, sizes: Sizes, data: dict, report: Report, *, photos: bool = False) -> None:
    from dikjamila.auth.roles import Actor

    label = "live-photos" if photos else "live"
    files = data.get("live_photos") if photos else None
    events = gen.live_events(sizes.live, sizes.senders, photo_files=files, photo_share=0.1 if photos else 0.0)
    with_files = sum(1 for e in events if e["file"])
    print(f"\n[{label}] {len(events):,} incoming events from {len({e['sender'] for e in events})} senders"
          + (f", {with_files} with a 1600x1200 photo" if photos else "") + ", through desk.store_incoming one by one",
          flush=True)
    if not photos:
        rows = [("in", e["push_name"], e["text"], None, e["at"][:19].replace("T", " ") + ".000000", "whatsapp",
                 e["sender"], e["push_name"], "", "", "", "", "k" * 64, "", None, None, None, "", "", "")
                for e in events]
        with fresh_office(args.keep, "live-raw") as office:
            each_s = raw_insert(db_file(office), rows, commit_each=True)
        with fresh_office(args.keep, "live-raw1") as office:
            bulk_s = raw_insert(db_file(office), rows, commit_each=False)
        print(f"  baseline: raw sqlite3 insert of {len(rows):,} rows, one transaction each {each_s:.3f} s "
              f"({each_s / len(rows) * 1000:.2f} ms each); all in one transaction {bulk_s:.3f} s", flush=True)
    with fresh_office(args.keep, label) as office:
        statements = Statements(office.db.engine)
        desk = office.desk(Actor.system("bench"))
        waits = []
        clock = Clock()
        for event in events:
            t0 = time.perf_counter()
            desk.store_incoming(event)
            waits.append(time.perf_counter() - t0)
        span = clock.span()
        left = count_rows(office, "SELECT count(*) FROM messages WHERE direction = 'in' AND request_id IS NULL")
        created = count_rows(office, "SELECT count(*) FROM requests")
        replies = count_rows(office, "SELECT count(*) FROM outbox_items")
        files_on = count_rows(office, "SELECT count(*) FROM attachments")
        written = trail(office)
    n = len(events)
    print(f"  store_incoming: {n:,} messages in {span.text()}; {n / span.wall:,.0f} messages/s")
    print(f"    per message: median {statistics.median(waits) * 1000:.1f} ms, p95 {pct(waits, 0.95) * 1000:.1f} ms, "
          f"max {max(waits) * 1000:.1f} ms")
    print(f"    requests created {created}, automatic replies queued {replies}, files on checklists {files_on}, "
          f"messages left without a request {left}")
    print(f"    {statements.text(n, 'message')}; {written}")
    if not photos:
        print(f"    = {span.wall / each_s:.0f}x the raw one-transaction-each insert")
    limit = n / LIVE_RATE
    report.check(f"{label}: {n:,} incoming messages into requests <= {limit:.1f} s",
                 span.wall <= limit and left == 0,
                 f"{span.wall:.2f} s, {n / span.wall:,.0f} messages/s, {created} requests created, {left} left over",
                 extra=photos)


# -- main --------------------------------------------------------------------------------------
def prepare(names: list[str], sizes: Sizes, quick: bool) -> dict:
    t0 = time.perf_counter()
    folder = gen.DATA_DIR / ("quick" if quick else "full")
    data: dict = {}
    if {"long", "writer", "writer-process", "batch"} & set(names):
        data["long"], data["batch"] = gen.write_text_exports(folder, long_messages=sizes.long, chats=sizes.chats,
                                                             chat_messages=sizes.chat_messages)
    if {"photos", "live-photos"} & set(names):
        data["photos"] = gen.photo_zip(sizes.photos)
    if "live-photos" in names:
        data["live_photos"] = gen.photos_on_disk(data["photos"], gen.DATA_DIR / f"live-photos-{sizes.photos}",
                                                 max(1, sizes.live // 10))
    print(f"data ready in {time.perf_counter() - t0:.1f} s ({folder})", flush=True)
    return data


def run(args) -> int:
    import PIL

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    sizes = QUICK if args.quick else FULL
    names = [n.strip() for n in args.only.split(",")] if args.only else list(NAMES)
    unknown = set(names) - set(NAMES)
    if unknown:
        raise SystemExit(f"unknown measurement(s): {', '.join(sorted(unknown))}; choose from {', '.join(NAMES)}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, Pillow {PIL.__version__}, "
          f"{gen._cores()} cores, load average {load[0]:.2f}; sizes {'--quick (a tenth)' if args.quick else 'full'}")
    data = prepare(names, sizes, args.quick)
    report = Report()
    for name in names:
        wait_quiet(args.wait_quiet)
        {"long": measure_long, "writer": measure_writer,
         "writer-process": lambda a, s, d, r: measure_writer(a, s, d, r, process=True),
         "batch": measure_batch, "photos": measure_photos,
         "live": measure_live,
         "live-photos": lambda a, s, d, r: measure_live(a, s, d, r, photos=True)}[name](args, sizes, data, report)
    print("\nTargets (issue 8):" + (" scaled to --quick sizes at the same rates" if args.quick else ""))
    for t in report.targets:
        print(f"{'PASS' if t.ok else 'FAIL'}  {t.label}: {t.detail}" + ("  (extra)" if t.extra else ""))
    return 0 if all(t.ok for t in report.targets if not t.extra) else 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of every size, same targets per second")
    parser.add_argument("--only", default="", help=f"comma-separated measurements: {', '.join(NAMES)}")
    parser.add_argument("--keep", action="store_true", help="keep each temporary office and print where")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="before each measurement, wait up to SECONDS for other processes to leave the CPUs")
    parser.add_argument("--probe", nargs=2, metavar=("DATA_DIR", "REQUEST_ID"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        probe_child(*args.probe)
        return
    sys.exit(run(args))


if __name__ == "__main__":
    main()
