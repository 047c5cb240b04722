"""A WhatsApp worker process with a fake library: the real `worker_main` and a FakeBackend.

    python -m tests.fakes.fake_worker --data-dir D [--account A] [--scenario S.json]

(cwd: the project root). The scenario's keys are described in `tests/fakes/fake_backend.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dikjamila.whatsapp.worker.main import worker_main
from tests.fakes.fake_backend import FakeBackend


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fake_worker")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--account", default="")
    parser.add_argument("--scenario", type=Path, default=None)
    args = parser.parse_args(argv)
    scenario = json.loads(args.scenario.read_text(encoding="utf-8")) if args.scenario else {}

    def factory(session_path, incoming_dir, log):
        return FakeBackend(scenario, session_path, incoming_dir, log=log)

    return worker_main(args.data_dir, args.account, backend_factory=factory)


if __name__ == "__main__":
    sys.exit(main())
