"""The neonize adapter's tests (`neonize_backend_cases.py`), run in a child pytest process.

Importing neonize loads its Go runtime into the process for good (its threads and signal
handlers stay). The workstation never does that — the worker is its own process — and the
test run must not either: the Qt tests that follow share this process. So the cases run in
a child, and this test fails with their report when any of them fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("neonize_backend_cases.py")


def test_the_neonize_adapter_cases_pass_in_their_own_process():
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                           str(CASES)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:]
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 8 and "skipped" not in summary, summary
