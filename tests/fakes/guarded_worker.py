"""The fake worker (`tests/fakes/fake_worker.py`) with a short check of the number's lock.

    python -m tests.fakes.guarded_worker --data-dir D [--account A] [--scenario S.json] [--lock-check-s 0.3]

The real `worker_main` and lock guard; only the library is the FakeBackend and the lock is
checked every `--lock-check-s` seconds instead of every 12, so a test need not wait.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dikjamila.whatsapp.worker.main import worker_main
from tests.fakes.fake_backend import FakeBackend


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="guarded_worker")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--account", default="")
    parser.add_argument("--scenario", type=Path, default=None)
    parser.add_argument("--lock-check-s", type=float, default=0.3)
    args = parser.parse_args(argv)
    scenario = json.loads(args.scenario.read_text(encoding="utf-8")) if args.scenario else {}

    def factory(session_path, incoming_dir, log):
        return FakeBackend(scenario, session_path, incoming_dir, log=log)

    return worker_main(args.data_dir, args.account, backend_factory=factory, lock_check_s=args.lock_check_s)


if __name__ == "__main__":
    sys.exit(main())
