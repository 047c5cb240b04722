"""Benchmark: making a receipt (tanda terima) PDF, fonts cached vs. `add_font` per document.

    python -m tests.bench.bench_documents [--repeat 50] [--fresh 5]

Targets (issue 9): the first receipt in a fresh process ≤ 400 ms; the median of `--repeat`
receipts ≤ 50 ms. In the same run, the baseline: the same receipt from a page that registers
the two DejaVu faces with plain `FPDF.add_font` for every document (what fpdf2's docs show).

"First receipt" is timed inside a fresh process (`--probe`), from just before
`build_receipt` is called (the modules imported) to its bytes; the import of the document
modules (fpdf2, fontTools, Pillow) is shown beside it, since an app pays it once at start-up
or on the first document.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dikjamila.documents.pdf_base import OfficePdf

ROOT = Path(__file__).resolve().parents[2]
WITA = timezone(timedelta(hours=8), "WITA")
FIRST_TARGET, MEDIAN_TARGET = 0.400, 0.050


def sample_data():
    """A demo-like receipt: an applicant with letters beyond latin-1, three files."""
    from dikjamila.documents.receipt import ReceiptData, ReceivedFile

    at = datetime(2026, 12, 1, 9, 15, tzinfo=WITA)
    return ReceiptData(
        office_name="Disdukcapil Kabupaten Balangan",
        office_address="Jl. A. Yani Km 1,5, Paringin, Kabupaten Balangan, Kalimantan Selatan",
        number="BLG-20261201-0001", received_at=at, applicant_name="Ṣiti Ñurul Ħasanah",
        applicant_phone="+62 812-3456-7890", service_name="Akta Kelahiran", channel="WhatsApp",
        due_at=at + timedelta(days=6), office_whatsapp="+62 811-5000-1234",
        files=(ReceivedFile("Surat keterangan kelahiran dari rumah sakit/puskesmas/dokter/bidan", "surat-lahir.jpg", at),
               ReceivedFile("KK tempat anak akan dicatat", "KK.pdf", at),
               ReceivedFile("", "IMG-20261201-WA0003.jpg", at)))


def plain_add_font_page() -> type[OfficePdf]:
    """OfficePdf, but registering the fonts with plain `add_font` in every document."""
    from fpdf import FPDF

    from dikjamila.documents import pdf_base
    from dikjamila.resources import resource_path

    class PlainOfficePdf(pdf_base.OfficePdf):
        def __init__(self, *, created_at=None):
            FPDF.__init__(self, orientation="P", unit="mm", format="A4")
            for style, file in pdf_base._FONT_FILES.items():
                self.add_font(pdf_base.FAMILY, style, str(resource_path("fonts", file)))
            self.footer_note, self.numbered = "", True
            self.set_margins(pdf_base.MARGIN_MM, 16, pdf_base.MARGIN_MM)
            self.set_auto_page_break(True, margin=20)
            self.set_creation_date(created_at or pdf_base.FIXED_CREATION_DATE)
            self.set_font(pdf_base.FAMILY, "", 10)

        def output(self, *args: Any, **kwargs: Any) -> Any:
            return FPDF.output(self, *args, **kwargs)

    return PlainOfficePdf


def timed_runs(build, data, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of `repeat` calls (CPU time shows what a shared, busy
    machine adds: the wall time waits for a core, the CPU time does not)."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        build(data)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def probe() -> None:
    """In a fresh process: import, first receipt, second receipt (JSON on stdout)."""
    started = time.perf_counter()
    from dikjamila.documents.receipt import build_receipt

    imported = time.perf_counter()
    data = sample_data()
    (first,), (first_cpu,) = timed_runs(build_receipt, data, 1)
    (second,), _ = timed_runs(build_receipt, data, 1)
    print(json.dumps({"import": imported - started, "first": first, "first_cpu": first_cpu,
                      "second": second}))


def fresh_runs(count: int) -> list[dict]:
    results = []
    for _ in range(count):
        done = subprocess.run([sys.executable, "-m", "tests.bench.bench_documents", "--probe"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=50)
    p.add_argument("--fresh", type=int, default=5, help="fresh processes for the first-receipt time")
    p.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.probe:
        probe()
        return 0

    fresh_runs(1)  # warm the OS file cache and Python's bytecode cache
    fresh = fresh_runs(args.fresh)
    from dikjamila.documents import receipt

    data = sample_data()
    receipt.build_receipt(data)
    cached, cached_cpu = timed_runs(receipt.build_receipt, data, args.repeat)
    cached_page = receipt.OfficePdf
    receipt.OfficePdf = plain_add_font_page()  # type: ignore[misc]
    try:
        receipt.build_receipt(data)
        plain, plain_cpu = timed_runs(receipt.build_receipt, data, args.repeat)
    finally:
        receipt.OfficePdf = cached_page  # type: ignore[misc]

    first = statistics.median(r["first"] for r in fresh)
    first_cpu = statistics.median(r["first_cpu"] for r in fresh)
    imports = statistics.median(r["import"] for r in fresh)
    print(f"\nreceipt PDF ({args.fresh} fresh processes; {args.repeat} receipts in this one), ms")
    print(f"{'':40}{'median':>8}{'p95':>8}{'max':>8}{'cpu med':>9}")
    for label, runs, cpu in (("fonts cached (OfficePdf)", cached, cached_cpu),
                             ("plain add_font per document", plain, plain_cpu)):
        ordered = sorted(runs)
        print(f"{label:40}{ms(statistics.median(runs))}{ms(ordered[int(len(ordered) * 0.95) - 1])}"
              f"{ms(ordered[-1])} {ms(statistics.median(cpu))}")
    print(f"{'first receipt in a fresh process':40}{ms(first)}{'':8}{ms(max(r['first'] for r in fresh))}"
          f" {ms(first_cpu)}")
    print(f"{'  (import of the document modules)':40}{ms(imports)}")
    print(f"{'  (second receipt in that process)':40}{ms(statistics.median(r['second'] for r in fresh))}")
    ratio = statistics.median(plain) / statistics.median(cached)
    print(f"\nplain add_font / cached: {ratio:.1f}x (median wall time)")
    ok_first, ok_median = first <= FIRST_TARGET, statistics.median(cached) <= MEDIAN_TARGET
    print(f"{'PASS' if ok_first else 'FAIL'}  first receipt ≤ {FIRST_TARGET * 1000:.0f} ms "
          f"({first * 1000:.0f} ms; with the imports {(first + imports) * 1000:.0f} ms)")
    print(f"{'PASS' if ok_median else 'FAIL'}  median of {args.repeat} ≤ {MEDIAN_TARGET * 1000:.0f} ms "
          f"({statistics.median(cached) * 1000:.1f} ms)")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0 if ok_first and ok_median else 1


if __name__ == "__main__":
    sys.exit(main())
