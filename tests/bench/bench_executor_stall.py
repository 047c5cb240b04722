"""Benchmark: the longest GUI-thread stall while an import-like job runs on the executor.

    python -m tests.bench.bench_executor_stall [--seconds 30] [--rows 20000]

The workstation window is opened on a freshly generated office in a temporary folder (the
shared `bench-data/` files are not touched). A 1 ms heartbeat timer on the GUI thread records
the gaps between its ticks, three times for `--seconds` each:
1. idle: the window open, its own timers running, nothing else (the baseline);
2. idle with refreshes: the inbox refreshed every second, as the change watcher makes it do
   while an import changes requests (the GUI's own work, for comparison);
3. import: a job on `ctx.executor` that, file after file, reads a phone photo of a document
   from disk, takes its sha256, decodes it and makes a thumbnail with Pillow, and stores it
   on an open request through the real desk (`ctx.desk.attach_file`, what an import does),
   reporting progress to the status bar. Each photo gets a different trailer (as phones
   append data), so every item is a new blob for the store, never a deduplicated one.
The longest gap is the longest time the window could not repaint or react. Target: < 50 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench import generate  # noqa: E402

PHOTOS = 16
PHOTO_SIZE = (1600, 1200)  # what WhatsApp leaves of a phone photo
OPEN_REQUESTS = 20
SETTLE_MS = 1500


def _photos(folder: Path) -> list[Path]:
    """`PHOTOS` JPEGs of paper documents on a table, as residents send them."""
    from dikjamila.demo.paperwork import document_photo

    rng = random.Random(7)
    folder.mkdir(parents=True)
    paths = []
    titles = ("KARTU KELUARGA", "AKTA KELAHIRAN", "SURAT PENGANTAR RT", "KTP-EL", "SURAT NIKAH")
    for i in range(PHOTOS):
        data = document_photo(titles[i % len(titles)], holder="Siti Aminah", number=f"6311{i:012d}",
                              rng=rng, orientation=(1, 6)[i % 2], size=PHOTO_SIZE)
        path = folder / f"IMG-20261127-WA{i:04d}.jpg"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _open_request_ids(office) -> list[int]:
    with office.db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id FROM requests WHERE status IN ('baru', 'diperiksa', 'berkas_kurang') "
            f"ORDER BY id DESC LIMIT {OPEN_REQUESTS}").all()
    return [row[0] for row in rows]


def _import_job(desk, photos: list[Path], request_ids: list[int], seconds: float):
    """The job: import photos until `seconds` have passed (or it is cancelled)."""
    from PIL import Image, ImageOps

    def job(state) -> int:
        began = time.perf_counter()
        done = 0
        while (elapsed := time.perf_counter() - began) < seconds:
            state.raise_if_cancelled()
            path = photos[done % len(photos)]
            data = path.read_bytes() + b"\x00dikjamila-bench-%08d" % done
            digest = hashlib.sha256(data).hexdigest()
            with Image.open(io.BytesIO(data)) as img:
                thumb = ImageOps.exif_transpose(img)
                thumb.thumbnail((256, 256))
            desk.attach_file(request_ids[done % len(request_ids)], data, path.name, origin="import")
            done += 1
            state.progress(min(1.0, elapsed / seconds), f"Mengimpor {path.name} ({digest[:8]}…): {done} berkas")
        return done

    return job


def _summary(gaps: list[float]) -> str:
    return (f"median {statistics.median(gaps):.1f} ms, p99 {statistics.quantiles(gaps, n=100)[98]:.1f} ms, "
            f"longest {max(gaps):.1f} ms, {sum(g > 50 for g in gaps)} gaps over 50 ms ({len(gaps):,} beats)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=30.0, help="length of each phase (idle, import)")
    p.add_argument("--rows", type=int, default=20_000, help="requests in the generated office")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="dikjamila-bench-") as tmp:
        folder = Path(tmp)
        print(f"generating an office with {args.rows:,} requests and {PHOTOS} photos in {folder} …", flush=True)
        db_path = folder / "kantor" / generate.DB_NAME
        generate.generate(db_path, args.rows, quiet=True)
        photos = _photos(folder / "impor")
        data_dir, url = generate.office_args(db_path)

        from PySide6.QtCore import QElapsedTimer, QTimer

        from tests.bench.workstation import open_window

        app, window = open_window(data_dir, url)
        ctx = window.ctx
        request_ids = _open_request_ids(ctx.office)

        phase = ["settle"]
        gaps: dict[str, list[float]] = {"settle": [], "idle": [], "refresh": [], "import": []}
        clock = QElapsedTimer()
        clock.start()
        last = [clock.nsecsElapsed()]

        def beat():
            now = clock.nsecsElapsed()
            gaps[phase[0]].append((now - last[0]) / 1e6)
            last[0] = now

        heartbeat = QTimer(interval=1)
        heartbeat.timeout.connect(beat)
        heartbeat.start()
        outcome: dict[str, object] = {"progress": 0}

        def on_progress(_fraction: float, text: str) -> None:
            outcome["progress"] = int(outcome["progress"]) + 1
            window.statusBar().showMessage(text)

        def finish(key: str, value) -> None:
            outcome[key] = value
            heartbeat.stop()  # closing the window is not part of the measurement
            app.quit()

        refresher = QTimer(interval=1000)
        refresher.timeout.connect(window.inbox.refresh)

        def start_refresh() -> None:
            phase[0] = "refresh"
            refresher.start()
            QTimer.singleShot(int(args.seconds * 1000), start_import)

        def start_import() -> None:
            refresher.stop()
            phase[0] = "import"
            ctx.executor.start(_import_job(ctx.desk, photos, request_ids, args.seconds),
                               lambda done: finish("items", done), lambda message: finish("error", message),
                               on_progress, label="bench import")

        def start_idle() -> None:
            phase[0] = "idle"
            QTimer.singleShot(int(args.seconds * 1000), start_refresh)

        QTimer.singleShot(SETTLE_MS, start_idle)
        app.exec()
        heartbeat.stop()
        ctx.close()
        ctx.office.close()

    if "error" in outcome:
        print(f"the import failed: {outcome['error']}")
        return 2
    idle, refresh, busy = gaps["idle"], gaps["refresh"], gaps["import"]
    items = int(outcome["items"])
    print(f"\nGUI-thread heartbeat (1 ms timer), {args.seconds:.0f} s per phase, {args.rows:,} requests")
    print(f"idle (baseline)       : {_summary(idle)}")
    print(f"idle, inbox refreshes : {_summary(refresh)}")
    print(f"import on the executor: {_summary(busy)}")
    print(f"import job: {items:,} photos read, hashed, thumbnailed and attached "
          f"({items / args.seconds:.1f}/s) on {len(request_ids)} requests; "
          f"{outcome['progress']} progress deliveries")
    worst = max(busy)
    print(f"longest stall, import vs idle: {worst:.1f} ms vs {max(idle):.1f} ms (ratio {worst / max(idle):.2f}); "
          f"vs idle with the same inbox refreshes: {max(refresh):.1f} ms (ratio {worst / max(refresh):.2f})")
    print(f"{'PASS' if worst < 50 else 'FAIL'}: longest stall during the import {worst:.1f} ms (target < 50 ms)")
    return 0 if worst < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
