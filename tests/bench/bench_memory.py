"""Benchmark: resident memory of the workstation and of the WhatsApp worker.

    python -m tests.bench.bench_memory [--rows 1000000] [--seconds 30] [--after-ready 5]
                                       [--only workstation|worker] [--smaps] [--tracemalloc]

1. The workstation: a child process (`--child`, so the benchmark's own imports do not count)
   opens the window on the 1,000,000-request bench office (`tests.bench.workstation`) and runs
   the shared scroll-and-search script (`tests.bench.inbox_driver`, the one `bench_gui_stall`
   uses) for `--seconds`. This process reads the child's /proc status every 100 ms: RSS before
   the script, its peak during the script, and at the end; VmHWM (the kernel's peak over the
   whole life); PSS and USS (private pages: what the process alone holds) from
   /proc/PID/smaps_rollup at the end. Limit: RSS ≤ 300 MB, peak and final.
2. The WhatsApp worker: the real worker process, started with the command the supervisor uses
   (`dikjamila.whatsapp.supervisor.worker_command`: neonize and its Go library loaded), on an
   empty data dir: no linked phone and no network here, so after `ready` it waits to be
   linked. Measured `--after-ready` seconds after its `ready` line. Limit: RSS ≤ 120 MB.

`--smaps` adds, per process, the resident memory by mapping (the largest libraries, the
heap, anonymous memory); `--tracemalloc` (slow, a diagnostic) has the workstation child print
the Python allocations that grew most during the script; `--scroll-only` drops the searches
and tab switches from the script, so the rows pile up (what a long scroll costs). Prints PASS/FAIL per limit; exit 1 on
any FAIL. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.bench.child_process import end_child
from tests.bench.process_memory import rollup_kb, smaps_by_mapping, status_kb

REPO = Path(__file__).resolve().parents[2]
WORKSTATION_LIMIT_MB = 300.0
WORKER_LIMIT_MB = 120.0
SAMPLE_S = 0.1


def _mb(kb: float | None) -> str:
    return f"{kb / 1024:.0f} MB" if kb is not None else "n/a"


def print_smaps(pid: int) -> None:
    print("    resident by mapping (RSS / private):")
    for name, rss, private in smaps_by_mapping(pid):
        print(f"      {name[:48]:<48} {rss / 1024:7.1f} MB {private / 1024:7.1f} MB")


class Sampler(threading.Thread):
    """Reads a process's VmRSS every SAMPLE_S; `peak(since)` is the largest since a time."""

    def __init__(self, pid: int):
        super().__init__(name="bench-memory-sampler", daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_S):
            rss = status_kb(self.pid, "VmRSS").get("VmRSS")
            if rss is not None:
                self.samples.append((time.perf_counter(), rss))

    def peak(self, since: float, until: float | None = None) -> int | None:
        mine = [kb for t, kb in self.samples if t >= since and (until is None or t <= until)]
        return max(mine) if mine else None


# -- 1. the workstation -------------------------------------------------------------------------

def child(data_dir: str, url: str, seconds: float, trace: bool, scroll_only: bool) -> int:
    """In the child: open the window, say READY, run the script, say DONE, wait for the parent."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if trace:
        import tracemalloc

        tracemalloc.start(12)
    from tests.bench.inbox_driver import InboxDriver
    from tests.bench.workstation import open_window

    app, window = open_window(data_dir, url or None)
    driver = InboxDriver(app, window, seconds, scroll_only=scroll_only)
    snapshot = []

    def begin():
        if trace:
            import tracemalloc

            snapshot.append(tracemalloc.take_snapshot())
        print("READY", flush=True)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(1400, begin)  # the driver starts at 1500 ms
    driver.run()
    print("DONE " + json.dumps({"summary": driver.summary()}), flush=True)
    if trace:
        import tracemalloc

        after = tracemalloc.take_snapshot()
        print("tracemalloc: largest growth during the script (file:line, size, count)", file=sys.stderr)
        for stat in after.compare_to(snapshot[0], "lineno")[:15]:
            print(f"  {stat}", file=sys.stderr)
        print(f"  traced now {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB", file=sys.stderr)
    sys.stdin.readline()  # the parent reads smaps while the window still exists
    window.ctx.worker.shutdown()
    return 0


def measure_workstation(args) -> tuple[bool, list[str]]:
    from tests.bench import generate

    db_path, _ = generate.ensure(None, args.rows)
    data_dir, url = generate.office_args(db_path)
    command = [sys.executable, "-m", "tests.bench.bench_memory", "--child", str(data_dir), url,
               "--seconds", str(args.seconds)] + (["--tracemalloc"] if args.tracemalloc else []) \
        + (["--scroll-only"] if args.scroll_only else [])
    proc = subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    ready_at = done_at = None
    ready_kb = None
    done: dict = {}
    for line in proc.stdout:
        if line.startswith("READY"):
            ready_at = time.perf_counter()
            ready_kb = status_kb(proc.pid, "VmRSS").get("VmRSS")
        elif line.startswith("DONE"):
            done_at = time.perf_counter()
            done = json.loads(line[5:])
            break
    final = status_kb(proc.pid, "VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads")
    roll = rollup_kb(proc.pid)
    if args.smaps and done_at:
        print_smaps(proc.pid)
    sampler.stop.set()
    end_child(proc, "\n", wait_s=30)
    if ready_at is None or done_at is None:
        return False, [f"workstation: the child ended early (exit {proc.returncode})"]
    peak = sampler.peak(ready_at, done_at)
    peak = max(peak or 0, final.get("VmRSS", 0))
    script = "scrolling only" if args.scroll_only else "scrolling and searching"
    lines = [
        (f"workstation, {args.rows:,} requests, {args.seconds:.0f} s of {script} "
         f"({done.get('summary', '?')})"),
        (f"  RSS before the script {_mb(ready_kb)}, peak during it {_mb(peak)}, at the end "
         f"{_mb(final.get('VmRSS'))} (anon {_mb(final.get('RssAnon'))}, files {_mb(final.get('RssFile'))}); "
         f"VmHWM over the whole life {_mb(final.get('VmHWM'))}; {final.get('Threads', '?')} threads"),
        f"  at the end: PSS {_mb(roll.get('Pss'))}, USS {_mb(roll.get('Uss'))}",
    ]
    ok = peak <= WORKSTATION_LIMIT_MB * 1024
    lines.append(f"{'PASS' if ok else 'FAIL'}: workstation RSS peak {_mb(peak)}, final {_mb(final.get('VmRSS'))} "
                 f"(limit {WORKSTATION_LIMIT_MB:.0f} MB)")
    return ok, lines


# -- 2. the WhatsApp worker ---------------------------------------------------------------------

def measure_worker(args) -> tuple[bool, list[str]]:
    from dikjamila.whatsapp.supervisor import worker_command
    from tests.bench.worker_process import WorkerProcess

    with tempfile.TemporaryDirectory(prefix="dikjamila-bench-memory-") as tmp:
        command = worker_command(Path(tmp) / "data")
        worker = WorkerProcess(command)
        sampler = Sampler(worker.pid)
        sampler.start()
        try:
            if not worker.ready.wait(args.timeout):
                return False, [f"FAIL: the worker said no `ready` within {args.timeout:.0f} s "
                               f"(exit {worker.proc.poll()}): " + " | ".join(worker.stderr_tail[-4:])]
            ready_s = time.perf_counter() - worker.started_at
            ready_at = time.perf_counter()
            time.sleep(args.after_ready)
            status = status_kb(worker.pid, "VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads")
            roll = rollup_kb(worker.pid)
            if args.smaps:
                print_smaps(worker.pid)
            peak = max(sampler.peak(ready_at) or 0, status.get("VmRSS", 0))
        finally:
            sampler.stop.set()
            worker.stop(wait_s=15)
    events = [str(event.get("event")) for event in worker.events]
    rss = status.get("VmRSS")
    lines = [
        (f"WhatsApp worker ({' '.join(command[1:3])} …), not linked, {args.after_ready:.0f} s idle after "
         f"`ready` (ready after {ready_s:.2f} s; events {events})"),
        (f"  RSS {_mb(rss)} (anon {_mb(status.get('RssAnon'))}, files {_mb(status.get('RssFile'))}), "
         f"peak while idle {_mb(peak)}, VmHWM {_mb(status.get('VmHWM'))}; PSS {_mb(roll.get('Pss'))}, "
         f"USS {_mb(roll.get('Uss'))}; {status.get('Threads', '?')} threads"),
    ]
    ok = rss is not None and peak <= WORKER_LIMIT_MB * 1024
    lines.append(f"{'PASS' if ok else 'FAIL'}: WhatsApp worker RSS {_mb(rss)}, peak {_mb(peak)} "
                 f"(limit {WORKER_LIMIT_MB:.0f} MB)")
    return ok, lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--seconds", type=float, default=30.0, help="length of the scroll-and-search script")
    p.add_argument("--after-ready", type=float, default=5.0, help="worker: idle seconds after `ready`")
    p.add_argument("--timeout", type=float, default=60.0, help="worker: give up waiting for `ready`")
    p.add_argument("--only", choices=("workstation", "worker"))
    p.add_argument("--smaps", action="store_true", help="resident memory by mapping, per process")
    p.add_argument("--tracemalloc", action="store_true", help="workstation: Python allocations (slow)")
    p.add_argument("--scroll-only", action="store_true",
                   help="workstation: scroll only (no searches or tab switches), so rows pile up")
    p.add_argument("--child", nargs=2, metavar=("DATA_DIR", "URL"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return child(args.child[0], args.child[1], args.seconds, args.tracemalloc, args.scroll_only)
    if not Path("/proc/self/status").exists():
        print("needs Linux /proc")
        return 2
    load = os.getloadavg()
    results = []
    if args.only in (None, "workstation"):
        results.append(measure_workstation(args))
    if args.only in (None, "worker"):
        results.append(measure_worker(args))
    print(f"\nResident memory (load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after; "
          f"{os.cpu_count()} CPUs)")
    for _ok, lines in results:
        print("\n".join(lines))
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
