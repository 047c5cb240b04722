"""Render the README's pictures of a monthly service report (pages 1 and 2 of its PDF).

    .venv/bin/python tools/render_report_docs.py [--count 400] [--period 2026-11] [--out docs] [--keep DIR]

A demo office (`dikjamila.demo.build_demo`: staff, requests over the last 30 days, WhatsApp
conversations, complaints and IKM answers) is built in a temporary folder; the supervisor's
desk makes the report of `--period` (default: last month, office time) and `pdftoppm -r 80`
renders its first two pages to `OUT/laporan-bulanan.png` and `OUT/laporan-bulanan-2.png`
(the PDF itself is kept as `OUT/laporan-bulanan.pdf` only with `--pdf`). Needs poppler-utils.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def last_month() -> str:
    from dikjamila.desk.timezone import WITA

    first_of_this = datetime.now(UTC).astimezone(WITA).date().replace(day=1)
    previous = first_of_this - timedelta(days=1)
    return f"{previous.year}-{previous.month:02d}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400, help="demo requests (default 400)")
    parser.add_argument("--period", default=None, help="report period (default: last month)")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--keep", type=Path, help="build the demo office in this folder and keep it")
    parser.add_argument("--pdf", action="store_true", help="also keep the PDF next to the pictures")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 1

    from dikjamila.demo.office_demo import build_demo
    from dikjamila.office import Office

    with tempfile.TemporaryDirectory(prefix="report-docs-") as tmp:
        folder = args.keep or Path(tmp) / "kantor"
        office = Office.open(folder)
        try:
            if office.needs_first_admin():
                build_demo(office, count=args.count)
            made = office.desk(office.actor_for("hasan")).report_pdf(args.period or last_month())
        finally:
            office.close()
        pdf = Path(tmp) / made.file_name
        pdf.write_bytes(made.data)
        args.out.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(Path(tmp) / "page")],
                       check=True)
        pages = sorted(Path(tmp).glob("page-*.png"))
        for page, name in zip(pages, ("laporan-bulanan.png", "laporan-bulanan-2.png"), strict=False):
            shutil.copyfile(page, args.out / name)
            print(args.out / name)
        if args.pdf:
            shutil.copyfile(pdf, args.out / "laporan-bulanan.pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
