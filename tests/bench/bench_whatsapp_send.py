"""Benchmark: the GUI-thread stalls while the workstation on the WhatsApp PC sends documents.

    python -m tests.bench.bench_whatsapp_send [--documents 500] [--rows 2000] [--idle-seconds 5]
    python -m tests.bench.bench_whatsapp_send --real-worker-rss

An office with `--rows` requests is generated in a temporary folder (`tests.bench.generate`),
its transport set to the linked device with pacing off (no gap, a cap of 100,000 a day).
Before anything is measured, `--documents` requests with an applicant phone are put in
`terbit` (raw SQL, like the generator), each gets its own issued PDF (20-60 KB: a text page
with the NIK and an incompressible "stamp" image) through `desk.attach_file(role="issued")`,
and one `dokumen_terbit` message per request is queued with that PDF.

The workstation window is then opened on the office (`tests.bench.workstation.open_window`)
with its own link service held back. A 1 ms heartbeat timer on the GUI thread records the gaps
between its ticks:
1. idle: the window open, its timers running, nothing else (the baseline, `--idle-seconds`);
2. idle, inbox refreshes: the same, with the inbox re-read every second, as the change watcher
   makes it do while items go out (the GUI's own share of the work, `--idle-seconds`);
3. send: the link service is started the way the window starts it on the WhatsApp PC
   (`ctx.start_link_service()`, in the workstation process), with the fake worker: the real
   worker loop and protocol in a child process, WhatsApp replaced by a scripted backend that
   is linked at once and answers every send with a `delivered` receipt. The phase lasts until
   every item is sent (or delivered/read, or given up as failed/uncertain).
The queue is watched from a thread of the benchmark's own with a plain `sqlite3` connection
(a COUNT by state every 250 ms), so the watching does not stall the GUI thread it measures;
the same thread samples the worker's and the workstation's RSS (`/proc/<pid>/status`).
Garbage collections are timed as well (`gc.callbacks`, any thread), since a long one holds the
GIL and stops the GUI thread with it. Each send-phase gap over 50 ms is split, from the GUI
thread's /proc schedstat, into time on a CPU, time runnable but waiting for a CPU, and the rest
(blocked: in practice waiting for the GIL). The CPU used during the send phase by the
workstation, the worker and every other process on the machine is printed too: the machine is
shared, and a busy neighbour shows up as stalls here.

Diagnostics (off by default; each changes the timing a little):
- `--detail-over MS`: list the send-phase gaps over MS (default 50) with that breakdown;
- `--dump-stalls MS`: when the GUI thread has not beaten for MS, every thread's Python stack
  (faulthandler's watchdog, which needs no GIL);
- `--cpu-attrib`: per listed gap, the CPU time of each workstation thread, the worker and
  the rest of the machine around it (sampled every 5 ms);
- `--gui-calls`: per listed gap, the calls from Qt into Python on the GUI thread (sys.setprofile);
- `--hold-inbox`: the inbox does not follow changes while sending;
- `--try-changed-rows`: a re-read inbox repaints only the rows that differ (a proposed change to
  `ui/inbox/model.py`, tried here without touching it);
- `--switch-interval MS`: Python's GIL switch interval (default 5 ms).

`--real-worker-rss` measures something else: it starts the real worker
(`python -m dikjamila.whatsapp.worker`, neonize and its Go library loaded; it cannot connect
without network) and, for comparison, the fake worker, and prints the RSS of each 3 s after
its `ready` line: the difference is what the WhatsApp library costs in memory.

Target: longest GUI-thread stall during the send phase < 50 ms.
"""

from __future__ import annotations

import argparse
import collections
import faulthandler
import gc
import io
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench import generate
from tests.bench.cpu_time import SchedStat, cpu_seconds
from tests.bench.machine import machine_busy_seconds
from tests.bench.process_memory import status_kb

REPO = Path(__file__).resolve().parents[2]
SETTLE_MS = 1500
POLL_S = 0.25
SCENARIO = {"link": "connected", "receipts": ["delivered"]}
DONE_STATES = ("sent", "delivered", "read")
GIVEN_UP = ("failed", "uncertain", "cancelled")
STALL_MS = 50.0


# -- memory -------------------------------------------------------------------------------------

def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float | None:
    """A process's resident set (or `VmHWM`, its peak) in MB."""
    kb = status_kb(pid, field).get(field)
    return kb / 1024 if kb is not None else None


def _mb(value: float | None) -> str:
    return f"{value:.0f} MB" if value is not None else "n/a (no /proc)"


# -- the documents --------------------------------------------------------------------------------

def _issued_pdf(rng: random.Random, *, holder: str, nik: str, number: str, service: str) -> bytes:
    """An issued document (text page with the NIK) and a noisy stamp: 20-60 KB, every one distinct."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.set_creation_date(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, service.upper(), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("Helvetica", "", 11)
    for line in (f"Nomor: {number}", f"Nama: {holder}", f"NIK: {nik}", f"Jenis Dokumen: {service}",
                 f"Tanggal Terbit: {date.today().isoformat()}",
                 "Kepada penduduk tersebut di atas telah diterbitkan dokumen ini sesuai data kependudukan."):
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    # Noise does not compress: its height sets the file size (about 20-60 KB in all).
    height = rng.randint(170, 640)
    stamp = Image.frombytes("L", (160, height), rng.randbytes(160 * height))
    buf = io.BytesIO()
    stamp.save(buf, "JPEG", quality=80)
    buf.seek(0)
    pdf.image(buf, x=130, y=120, w=50)
    return bytes(pdf.output())


def prepare_documents(office, count: int) -> list[int]:
    """Put `count` requests with a phone in `terbit`, attach a PDF to each, queue its sending."""
    from dikjamila.auth.roles import Actor

    with office.db.engine.begin() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id FROM requests WHERE applicant_phone IS NOT NULL AND applicant_phone != '' "
            "AND status NOT IN ('selesai', 'ditolak') ORDER BY id DESC LIMIT ?", (count,)).all()
        ids = [row[0] for row in rows]
        if len(ids) < count:
            raise SystemExit(f"only {len(ids)} open requests with a phone; use more --rows")
        conn.exec_driver_sql(f"UPDATE requests SET status = 'terbit' WHERE id IN ({','.join(map(str, ids))})")
        details = {row[0]: row[1:] for row in conn.exec_driver_sql(
            "SELECT id, applicant_name, applicant_nik, number FROM requests "
            f"WHERE id IN ({','.join(map(str, ids))})").all()}
    desk = office.desk(Actor.system())
    rng = random.Random(11)
    sizes = []
    for i, rid in enumerate(ids):
        name, nik, number = details[rid]
        data = _issued_pdf(rng, holder=name or "Pemohon", nik=nik or f"6311{i:012d}", number=number or str(rid),
                           service="Kutipan Akta Kelahiran")
        sizes.append(len(data))
        att = desk.attach_file(rid, data, "dokumen.pdf", role="issued", origin="upload")
        desk.queue_message(rid, f"Dokumen Anda untuk permohonan {number} sudah terbit. Terlampir PDF-nya.",
                           blob_sha256=att.blob_sha256, purpose="dokumen_terbit", document_name="dokumen.pdf")
    print(f"{len(ids)} issued PDFs attached and queued ({min(sizes) / 1024:.0f}-{max(sizes) / 1024:.0f} KB, "
          f"{sum(sizes) / 1024 / 1024:.1f} MB in all)", flush=True)
    return ids


# -- the fake worker (as tests/core/test_wa_supervisor.py starts it) -------------------------------

def fake_worker(scenario: dict, folder: Path):
    def command(data_dir: Path, account: str) -> list[str]:
        path = folder / f"scenario-{account.lstrip('+') or 'default'}.json"
        path.write_text(json.dumps(scenario))
        return [sys.executable, "-m", "tests.fakes.fake_worker", "--data-dir", str(data_dir),
                "--scenario", str(path)] + (["--account", account] if account else [])
    return command


# -- watching the queue, off the GUI thread --------------------------------------------------------

class QueueWatch(threading.Thread):
    """Counts outbox items by state and samples RSS every `POLL_S`, on its own thread."""

    def __init__(self, db_path: Path, total: int, worker_pid):
        super().__init__(name="bench-queue-watch", daemon=True)
        self.db_path, self.total, self.worker_pid = db_path, total, worker_pid
        self.stop = threading.Event()
        self.done = threading.Event()
        self.counts: dict[str, int] = {}
        self.first_sent: float | None = None
        self.finished: float | None = None
        self.worker_rss: list[float] = []
        self.worker_pids: set[int] = set()
        self.own_rss: list[float] = []
        self.worker_cpu: dict[int, float] = {}  # pid -> CPU seconds at its last sample
        self.began = time.perf_counter()

    def run(self) -> None:
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        try:
            while not self.stop.wait(POLL_S):
                pid = self.worker_pid()
                if pid:
                    self.worker_pids.add(pid)
                    if (value := rss_mb(pid)) is not None:
                        self.worker_rss.append(value)
                    if (cpu := cpu_seconds(pid)) is not None:
                        self.worker_cpu[pid] = cpu
                if (value := rss_mb()) is not None:
                    self.own_rss.append(value)
                try:
                    counts = dict(conn.execute("SELECT state, count(*) FROM outbox_items GROUP BY state").fetchall())
                except sqlite3.OperationalError:
                    continue  # busy for a moment: next time
                self.counts = counts
                sent = sum(counts.get(s, 0) for s in DONE_STATES)
                if sent and self.first_sent is None:
                    self.first_sent = time.perf_counter() - self.began
                if sent + sum(counts.get(s, 0) for s in GIVEN_UP) >= self.total:
                    self.finished = time.perf_counter() - self.began
                    self.done.set()
                    return
        finally:
            conn.close()


def _set_link_factory(ctx, factory) -> bool:
    """Make the window's link service with `factory` (None: none) when it starts; False when the
    window has no link service of its own (an older one)."""
    found = False
    session = getattr(ctx, "link", None)
    if session is not None and hasattr(session, "_factory"):  # ui.whatsapp.link_session.LinkSession
        session._factory = factory
        found = True
    if hasattr(ctx, "link_service_factory"):
        ctx.link_service_factory = factory
        found = True
    return found and hasattr(ctx, "start_link_service")


class CpuSampler(threading.Thread):
    """--cpu-attrib (a diagnostic): every 5 ms, the CPU time of each thread of this process and of
    the worker, and of the whole machine (/proc/stat), so a stall can be laid against who ran."""

    def __init__(self, worker_pid):
        super().__init__(name="bench-cpu-sampler", daemon=True)
        self.worker_pid = worker_pid
        self.stop = threading.Event()
        self.snaps: collections.deque = collections.deque(maxlen=100_000)
        self.ticks = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _tasks(pid) -> dict[str, int]:
        out: dict[str, int] = {}
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return out
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    name = f.read().strip()
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    run = int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                continue
            key = f"{name}#{tid}"
            out[key] = out.get(key, 0) + run
        return out

    def _machine(self) -> tuple[float, float]:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
        steal = fields[7] if len(fields) > 7 else 0
        return busy * 1000 / self.ticks, steal * 1000 / self.ticks  # ms

    def run(self) -> None:
        names = {t.native_id: t.name for t in threading.enumerate()}
        while not self.stop.wait(0.005):
            if len(names) != threading.active_count():
                names = {t.native_id: t.name for t in threading.enumerate()}
            mine = self._tasks("self")
            mine = {f"{names.get(int(k.split('#')[1]), k.split('#')[0])}": v for k, v in mine.items()}
            pid = self.worker_pid()
            worker = sum(self._tasks(pid).values()) if pid else 0
            self.snaps.append((time.perf_counter(), mine, worker, *self._machine()))

    def between(self, start: float, end: float) -> str:
        snaps = list(self.snaps)
        before = [x for x in snaps if x[0] <= start]
        after = [x for x in snaps if x[0] >= end]
        if not before or not after:
            return "(no samples around it)"
        a, b = before[-1], after[0]
        threads = {k: (v - a[1].get(k, 0)) / 1e6 for k, v in b[1].items()}
        ours = sum(threads.values())
        worker = (b[2] - a[2]) / 1e6
        machine, steal = b[3] - a[3], b[4] - a[4]
        top = sorted(((ms, k) for k, ms in threads.items() if ms >= 1), reverse=True)[:6]
        return (f"window {(b[0] - a[0]) * 1000:.0f} ms; workstation threads {ours:.0f} ms ("
                + ", ".join(f"{k} {ms:.0f}" for ms, k in top) + f"); worker process {worker:.0f} ms; "
                f"whole machine busy {machine:.0f} ms (steal {steal:.0f}) of {(os.cpu_count() or 1) * (b[0] - a[0]) * 1000:.0f} "
                f"on {os.cpu_count()} CPUs -> other processes ~{max(0.0, machine - ours - worker):.0f} ms")


def _repaint_changed_rows_only() -> None:
    """--try-changed-rows (a diagnostic): the inbox's re-read repaints only the rows that differ,
    instead of announcing every row as changed (a trial of a proposed change to ui/inbox/model.py)."""
    from ui.inbox import model as inbox_model

    original = inbox_model.InboxModel._on_refreshed

    def on_refreshed(self, generation: int, page) -> None:
        if generation != self._generation or self._fetching or [r.id for r in page.rows] != [r.id for r in self._rows]:
            original(self, generation, page)
            return
        self.rows_fetched += len(page.rows)
        old, self._rows = self._rows, list(page.rows)
        last = len(inbox_model.COLUMNS) - 1
        for i, (before, after) in enumerate(zip(old, self._rows, strict=True)):
            if before != after:
                self.dataChanged.emit(self.index(i, 0), self.index(i, last))

    inbox_model.InboxModel._on_refreshed = on_refreshed


def _compact_dumps(text: str) -> str:
    """faulthandler's dumps, each thread as its innermost frames (the stdlib's shortened)."""
    out = []
    for n, dump in enumerate(text.split("Timeout (")[1:], start=1):
        out.append(f"    dump {n}:")
        for block in dump.split("\n\n"):
            lines = [ln.strip() for ln in block.splitlines() if ln.strip().startswith("File")]
            head = block.strip().splitlines()[0] if block.strip() else ""
            if not lines:
                continue
            frames = []
            for ln in lines[:5]:
                # File "/path/x.py", line 12 in func
                try:
                    path, rest = ln[6:].split('", line ')
                    lineno, func = rest.split(" in ")
                except ValueError:
                    frames.append(ln)
                    continue
                p = Path(path)
                try:
                    shown = str(p.relative_to(REPO))
                except ValueError:
                    shown = p.name
                frames.append(f"{shown}:{lineno} {func}")
            out.append(f"      {head.split('(')[0].strip() or 'thread'}: " + " < ".join(frames))
    return "\n".join(out)


# -- garbage collections ----------------------------------------------------------------------

class GcTimes:
    """Durations of the collections, per generation, in the current phase."""

    def __init__(self):
        self.phase = "settle"
        self.times: dict[str, list[tuple[int, float, str]]] = {}
        self._started: dict[int, float] = {}

    def __call__(self, phase: str, info: dict) -> None:
        ident = threading.get_ident()
        if phase == "start":
            self._started[ident] = time.perf_counter()
        elif (began := self._started.pop(ident, None)) is not None:
            self.times.setdefault(self.phase, []).append(
                (info["generation"], (time.perf_counter() - began) * 1000, threading.current_thread().name))

    def summary(self, phase: str) -> str:
        runs = self.times.get(phase, [])
        if not runs:
            return "none"
        parts = []
        for generation in (0, 1, 2):
            mine = [ms for g, ms, _ in runs if g == generation]
            if mine:
                parts.append(f"gen{generation} {len(mine)}× (longest {max(mine):.1f} ms)")
        return ", ".join(parts)


# -- diagnostics ----------------------------------------------------------------------------

class GuiCalls:
    """Every call from Qt into Python on the GUI thread (a slot, a timer, a model's `data`), timed
    with `sys.setprofile` (--gui-calls, a diagnostic: it slows those calls down somewhat)."""

    def __init__(self):
        self.depth = 0
        self.started = 0.0
        self.name = ""
        self.calls: collections.deque = collections.deque(maxlen=500_000)

    def __call__(self, frame, event, arg) -> None:
        if event == "call":
            if self.depth == 0:
                self.started = time.perf_counter()
                code = frame.f_code
                try:
                    where = Path(code.co_filename).relative_to(REPO)
                except ValueError:
                    where = Path(code.co_filename).name
                self.name = f"{where}:{code.co_firstlineno} {code.co_qualname}"
            self.depth += 1
        elif event == "return" and self.depth > 0:
            self.depth -= 1
            if self.depth == 0:
                self.calls.append((self.started, time.perf_counter(), self.name))

    def between(self, start: float, end: float) -> tuple[float, list[tuple[str, int, float, float]]]:
        """(ms spent in Python callbacks, [(name, calls, total ms, longest ms)]) within the window."""
        totals: dict[str, list[float]] = {}
        for began, ended, name in list(self.calls):
            if ended < start or began > end or name.startswith("tests/bench/bench_whatsapp_send"):
                continue
            ms = (min(ended, end) - max(began, start)) * 1000
            totals.setdefault(name, []).append(ms)
        rows = sorted(((n, len(v), sum(v), max(v)) for n, v in totals.items()), key=lambda r: -r[2])
        return sum(r[2] for r in rows), rows[:6]


# -- the measurement --------------------------------------------------------------------------

def _summary(gaps: list[float]) -> str:
    if len(gaps) < 2:
        return "no beats"
    return (f"median {statistics.median(gaps):.1f} ms, p99 {statistics.quantiles(gaps, n=100)[98]:.1f} ms, "
            f"longest {max(gaps):.1f} ms, {sum(g > STALL_MS for g in gaps)} gaps over {STALL_MS:.0f} ms "
            f"({len(gaps):,} beats)")


def run_send(args) -> int:
    from dikjamila.auth.roles import Actor
    from dikjamila.config import Settings
    from dikjamila.office import Office
    from dikjamila.whatsapp.service import LinkService

    with tempfile.TemporaryDirectory(prefix="dikjamila-bench-wa-") as tmp:
        folder = Path(tmp)
        print(f"generating an office with {args.rows:,} requests in {folder} …", flush=True)
        db_path = folder / "kantor" / generate.DB_NAME
        generate.generate(db_path, args.rows, quiet=True)
        data_dir, url = generate.office_args(db_path)

        office = Office.open(data_dir, url)
        current = office.settings.__dict__
        office.update_settings(Actor.system(), Settings(**{
            **current, "whatsapp_transport": "linked", "whatsapp_min_gap_seconds": 0,
            "whatsapp_daily_cap": 100_000}))
        began = time.perf_counter()
        prepare_documents(office, args.documents)
        print(f"prepared in {time.perf_counter() - began:.1f} s", flush=True)
        office.close()

        from PySide6.QtCore import QElapsedTimer, QTimer

        from tests.bench.workstation import open_window

        def make_service(office):
            return LinkService(office, transport="linked", command_for=fake_worker(SCENARIO, folder),
                               backoff=(0.2,))

        if args.try_changed_rows:
            _repaint_changed_rows_only()
        app, window = open_window(data_dir, url)
        ctx = window.ctx
        # The window starts the link on its first turn of the event loop; hold it back for the
        # idle baseline (the factory is read when it starts).
        has_factory = _set_link_factory(ctx, None)
        own_service: list = []
        if args.hold_inbox:  # diagnostic: the inbox does not follow the changes
            ctx.bus.data_changed.disconnect(window.inbox._on_data_changed)

        gc_times = GcTimes()
        gc.callbacks.append(gc_times)
        phase = ["settle"]
        gaps: dict[str, list[float]] = {"settle": [], "idle": [], "refresh": [], "send": []}
        # (ms into the send phase, gap, GUI thread on a CPU, waiting for a CPU) in ms
        stalls: list[tuple[float, float, float, float]] = []
        sched = SchedStat()
        cpu_attrib: list[tuple[float, float, str]] = []
        dump_file = open(folder / "stalls.txt", "w+") if args.dump_stalls else None  # noqa: SIM115
        gui_calls = GuiCalls() if args.gui_calls else None
        stall_calls: list[tuple[float, float, float, list]] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.nsecsElapsed()]
        last_sched = [sched.read()]
        send_began = [0]

        def beat():
            now = clock.nsecsElapsed()
            on_cpu, queued = now_sched = sched.read()
            gap = (now - last[0]) / 1e6
            gaps[phase[0]].append(gap)
            if phase[0] == "send" and gap > args.detail_over:
                stalls.append(((now - send_began[0]) / 1e6, gap, (on_cpu - last_sched[0][0]) / 1e6,
                               (queued - last_sched[0][1]) / 1e6))
                if cpu_sampler is not None:
                    end = time.perf_counter()
                    QTimer.singleShot(20, lambda at=(now - send_began[0]) / 1e6, g=gap, e=end: cpu_attrib.append(
                        (at, g, cpu_sampler.between(e - g / 1000, e))))
                if gui_calls is not None:
                    end = time.perf_counter()
                    stall_calls.append(((now - send_began[0]) / 1e6, gap, *gui_calls.between(end - gap / 1000, end)))
            last[0], last_sched[0] = now, now_sched
            if dump_file is not None and phase[0] == "send":
                faulthandler.dump_traceback_later(args.dump_stalls / 1000, file=dump_file)

        heartbeat = QTimer(interval=1)
        heartbeat.timeout.connect(beat)
        heartbeat.start()
        outcome: dict[str, object] = {}
        idle_rss: list[float] = []
        load: dict[str, tuple] = {}

        def service():
            return ctx.link_service if has_factory else (own_service[0] if own_service else None)

        def worker_pid():
            svc = service()
            if svc is None or not svc.supervisors:
                return None
            return next(iter(svc.supervisors.values())).pid

        watch = QueueWatch(db_path, args.documents, worker_pid)
        cpu_sampler = CpuSampler(worker_pid) if args.cpu_attrib else None
        checker = QTimer(interval=100)
        deadline = [0.0]

        def check():
            if watch.done.is_set() or time.perf_counter() > deadline[0]:
                load["end"] = (time.perf_counter(), cpu_seconds(), machine_busy_seconds())
                outcome["timed_out"] = not watch.done.is_set()
                checker.stop()
                heartbeat.stop()
                app.quit()

        checker.timeout.connect(check)

        def start_send() -> None:
            refresher.stop()
            idle_rss.append(rss_mb() or 0.0)
            load["start"] = (time.perf_counter(), cpu_seconds(), machine_busy_seconds())
            phase[0] = gc_times.phase = "send"
            send_began[0] = clock.nsecsElapsed()
            watch.began = time.perf_counter()
            deadline[0] = watch.began + args.timeout
            if has_factory:
                if ctx.link_service is not None:
                    outcome["error"] = "the window had started a link service of its own before the send phase"
                else:
                    _set_link_factory(ctx, make_service)
                    message = ctx.start_link_service()
                    svc = ctx.link_service
                    if message or svc is None:
                        outcome["error"] = message or "the link service did not start (runs_here false?)"
                    elif not all("tests.fakes.fake_worker" in sup.command for sup in svc.supervisors.values()):
                        outcome["error"] = "the window's link service is not the benchmark's (fake worker)"
                if "error" in outcome:
                    heartbeat.stop()
                    app.quit()
                    return
            else:  # an older window without a link service of its own
                svc = make_service(ctx.office)
                svc.start()
                own_service.append(svc)
            watch.start()
            if cpu_sampler is not None:
                cpu_sampler.start()
            checker.start()

        refresher = QTimer(interval=1000)
        refresher.timeout.connect(window.inbox.refresh)

        def start_refresh() -> None:
            phase[0] = gc_times.phase = "refresh"
            refresher.start()
            QTimer.singleShot(int(args.idle_seconds * 1000), start_send)

        def start_idle() -> None:
            phase[0] = gc_times.phase = "idle"
            QTimer.singleShot(int(args.idle_seconds * 1000), start_refresh)

        QTimer.singleShot(SETTLE_MS, start_idle)
        if args.switch_interval:
            sys.setswitchinterval(args.switch_interval / 1000)
        if gui_calls is not None:
            sys.setprofile(gui_calls)
        app.exec()
        sys.setprofile(None)
        heartbeat.stop()
        dumps = ""
        if dump_file is not None:
            faulthandler.cancel_dump_traceback_later()
            dump_file.seek(0)
            dumps = dump_file.read()
            dump_file.close()
        gc.callbacks.remove(gc_times)
        watch.stop.set()
        if cpu_sampler is not None:
            cpu_sampler.stop.set()
        hwm = rss_mb(field="VmHWM")
        svc = service()
        restarts = sum(s.restarts for s in svc.supervisors.values()) if svc is not None else 0
        for s in own_service:
            s.stop()
        ctx.close()
        ctx.office.close()
        sent_log = data_dir / "whatsapp" / "fake-sent.jsonl"
        acknowledged = sum(1 for _ in sent_log.open()) if sent_log.exists() else 0

    if "error" in outcome:
        print(f"the send phase could not start: {outcome['error']}")
        return 2
    elapsed = watch.finished or (time.perf_counter() - watch.began)
    counts = watch.counts
    sent = sum(counts.get(s, 0) for s in DONE_STATES)
    idle, refresh, busy = gaps["idle"], gaps["refresh"], gaps["send"]
    print(f"\nWhatsApp documents through the fake worker, workstation on {args.rows:,} requests")
    print(f"documents             : {args.documents} queued; states at the end {dict(sorted(counts.items()))}; "
          f"{acknowledged} acknowledged by the worker; worker restarts {restarts}"
          + ("; TIMED OUT" if outcome.get("timed_out") else ""))
    print(f"elapsed               : {elapsed:.1f} s from starting the link service to the last item sent "
          f"(first sent after {watch.first_sent or float('nan'):.2f} s)")
    print(f"sends per minute      : {sent / elapsed * 60:.0f}")
    print("GUI-thread heartbeat (1 ms timer)")
    print(f"  idle ({args.idle_seconds:.0f} s, baseline)       : {_summary(idle)}")
    print(f"  idle, inbox refreshes ({args.idle_seconds:.0f} s): {_summary(refresh)}")
    print(f"  send ({elapsed:.0f} s)                 : {_summary(busy)}")
    if stalls:
        worst = sorted(sorted(stalls, key=lambda s: -s[1])[:8])
        print(f"  the gaps over {args.detail_over:.0f} ms while sending (GUI thread /proc schedstat: on a CPU, waiting for "
              "a CPU, the rest blocked: waiting for the GIL):")
        for at, gap, on_cpu, queued in worst:
            print(f"    at {at / 1000:5.1f} s: {gap:5.1f} ms = on CPU {on_cpu:5.1f} + runnable {queued:5.1f} "
                  f"+ blocked {max(0.0, gap - on_cpu - queued):5.1f}")
        total = [sum(x[i] for x in stalls) for i in (1, 2, 3)]
        print(f"    all {len(stalls)} over {args.detail_over:.0f} ms: {total[0]:.0f} ms = on CPU {total[1]:.0f} + runnable {total[2]:.0f} "
              f"+ blocked {max(0.0, total[0] - total[1] - total[2]):.0f}")
    if dumps:
        print(f"  every thread's Python stack, {args.dump_stalls:.0f} ms into each stall (faulthandler):")
        print(_compact_dumps(dumps))
    for at, gap, text in cpu_attrib:
        print(f"  gap of {gap:.0f} ms at {at / 1000:.1f} s, CPU time around it: {text}")
    for at, gap, in_python, rows in stall_calls:
        print(f"  stall of {gap:.0f} ms at {at:.0f} ms: {in_python:.0f} ms of it in Python callbacks on the GUI thread")
        for name, n, total, longest in rows:
            print(f"    {total:6.1f} ms in {n:4}× {name} (longest {longest:.1f} ms)")
    print(f"garbage collections   : idle {gc_times.summary('idle')}; send {gc_times.summary('send')}")
    long_gc = sorted((ms, g, name) for g, ms, name in gc_times.times.get("send", []) if ms > 10)[-5:]
    if long_gc:
        print("  longest in the send phase: " + ", ".join(f"gen{g} {ms:.0f} ms on {name}" for ms, g, name in
                                                     reversed(long_gc)))
    if "start" in load and "end" in load and None not in load["start"] + load["end"]:
        (t0, own0, all0), (t1, own1, all1) = load["start"], load["end"]
        span = t1 - t0
        own, machine, worker = own1 - own0, all1 - all0, sum(watch.worker_cpu.values())
        print(f"CPU while sending     : {os.cpu_count()} CPUs, busy {machine / span:.2f} on average: workstation "
              f"{own / span:.2f}, worker {worker / span:.2f}, other processes {max(0.0, machine - own - worker) / span:.2f}")
    print(f"worker RSS peak       : {_mb(max(watch.worker_rss) if watch.worker_rss else None)} "
          f"(fake worker: Python and the worker loop, no WhatsApp library; pids {sorted(watch.worker_pids)})")
    print(f"workstation RSS peak  : {_mb(max(watch.own_rss) if watch.own_rss else None)} during the send phase "
          f"(before it {_mb(idle_rss[0] if idle_rss else None)}; process high-water mark {_mb(hwm)})")
    if len(idle) > 1 and len(busy) > 1:
        worst_ms = max(busy)
        print(f"longest stall, send vs idle: {worst_ms:.1f} ms vs {max(idle):.1f} ms "
              f"(ratio {worst_ms / max(idle):.2f}); vs idle with the same inbox refreshes: "
              f"{max(refresh):.1f} ms (ratio {worst_ms / max(refresh):.2f})")
        ok = worst_ms < STALL_MS and not outcome.get("timed_out")
        print(f"{'PASS' if ok else 'FAIL'}: longest GUI-thread stall while sending {worst_ms:.1f} ms "
              f"(target < {STALL_MS:.0f} ms)")
        return 0 if ok else 1
    return 1


# -- the real worker's memory -------------------------------------------------------------------

def _worker_rss(command: list[str], label: str, after_ready_s: float, timeout_s: float) -> dict:
    """Start a worker, wait for its `ready` line, then `after_ready_s`; its RSS; stop it."""
    from tests.bench.worker_process import WorkerProcess

    worker = WorkerProcess(command)
    result: dict = {"label": label, "pid": worker.pid}
    try:
        if not worker.ready.wait(timeout_s):
            result["error"] = f"no ready line within {timeout_s:.0f} s (exit {worker.proc.poll()}); stderr: " + \
                " | ".join(worker.stderr_tail[-5:])
            return result
        result["ready_s"] = time.perf_counter() - worker.started_at
        time.sleep(after_ready_s)
        result["rss"] = rss_mb(worker.pid)
        result["hwm"] = rss_mb(worker.pid, "VmHWM")
        result["threads"] = status_kb(worker.pid, "Threads").get("Threads")
        result["events"] = [e.get("event") for e in worker.events]
        return result
    finally:
        worker.stop(wait_s=10)


def run_real_worker_rss(args) -> int:
    with tempfile.TemporaryDirectory(prefix="dikjamila-bench-worker-") as tmp:
        folder = Path(tmp)
        scenario = folder / "scenario.json"
        scenario.write_text(json.dumps(SCENARIO))
        real = _worker_rss([sys.executable, "-m", "dikjamila.whatsapp.worker", "--data-dir", str(folder / "real")],
                           "real worker (neonize)", args.after_ready, args.timeout)
        fake = _worker_rss([sys.executable, "-m", "tests.fakes.fake_worker", "--data-dir", str(folder / "fake"),
                            "--scenario", str(scenario)], "fake worker (no library)", args.after_ready, args.timeout)
    print(f"\nWorker memory, {args.after_ready:.0f} s after `ready` (no network here: the real one cannot connect)")
    for r in (real, fake):
        if "error" in r:
            print(f"{r['label']:26}: {r['error']}")
            continue
        threads = r.get("threads") if r.get("threads") is not None else "?"
        print(f"{r['label']:26}: RSS {_mb(r['rss'])} (peak {_mb(r['hwm'])}), {threads} threads, "
              f"ready after {r['ready_s']:.2f} s; events {r['events']}")
    if "rss" in real and "rss" in fake and real["rss"] is not None and fake["rss"] is not None:
        print(f"the WhatsApp library costs about {real['rss'] - fake['rss']:.0f} MB of RSS per worker "
              f"(one worker per linked number)")
        return 0
    return 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--documents", type=int, default=500, help="issued PDFs queued and sent")
    p.add_argument("--rows", type=int, default=2000, help="requests in the generated office")
    p.add_argument("--idle-seconds", type=float, default=5.0, help="length of the idle baseline")
    p.add_argument("--timeout", type=float, default=900.0, help="give up on the send phase after this long")
    p.add_argument("--gui-calls", action="store_true",
                   help="diagnostic: time every call from Qt into Python on the GUI thread, print them per stall")
    p.add_argument("--switch-interval", type=float, default=0.0,
                   help="diagnostic: sys.setswitchinterval in ms (Python's default 5 ms)")
    p.add_argument("--hold-inbox", action="store_true",
                   help="diagnostic: the inbox does not refresh on changes while sending")
    p.add_argument("--detail-over", type=float, default=STALL_MS,
                   help="send-phase gaps longer than this (ms) are listed with their breakdown")
    p.add_argument("--try-changed-rows", action="store_true",
                   help="diagnostic: a re-read inbox repaints only the rows that changed (a proposed change)")
    p.add_argument("--dump-stalls", type=float, default=0.0, metavar="MS",
                   help="diagnostic: when the GUI thread has not beaten for MS ms, dump every thread's stack")
    p.add_argument("--cpu-attrib", action="store_true",
                   help="diagnostic: per stall, the CPU time of each thread, the worker and the machine")
    p.add_argument("--real-worker-rss", action="store_true",
                   help="instead: the RSS of the real worker (neonize loaded) against the fake one")
    p.add_argument("--after-ready", type=float, default=3.0, help="with --real-worker-rss: seconds after ready")
    args = p.parse_args(argv)
    os.chdir(REPO)  # the fake worker is `python -m tests.fakes.fake_worker`, started from here
    if args.real_worker_rss:
        if args.timeout == 900.0:
            args.timeout = 60.0
        return run_real_worker_rss(args)
    return run_send(args)


if __name__ == "__main__":
    sys.exit(main())
