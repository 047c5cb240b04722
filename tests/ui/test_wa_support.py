"""Helpers of the WhatsApp UI tests (no tests here): a linked-device office, the fake worker, screenshots."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

from dikjamila.auth.roles import Actor

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10_000
#: Set to a folder to keep screenshots of the windows the tests build (e.g. /tmp).
SHOTS = os.environ.get("DIKJAMILA_SCREENSHOTS", "")


def configure(office, **values) -> None:
    """Change the office's settings as an admin would (they take effect at once)."""
    office.update_settings(Actor.system(), replace(office.settings, **values))


def linked(office, **values) -> None:
    configure(office, whatsapp_transport="linked", whatsapp_min_gap_seconds=0, **values)


def system_desk(office):
    """The desk the link service writes with."""
    return office.desk(Actor.system("whatsapp"))


def fake_worker_command(scenario: dict, folder: Path):
    """`command_for` of a LinkService that runs `tests.fakes.fake_worker` with `scenario`."""
    path = folder / "scenario.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")

    def command(data_dir: Path, account: str) -> list[str]:
        return [sys.executable, "-m", "tests.fakes.fake_worker", "--data-dir", str(data_dir),
                "--scenario", str(path)] + (["--account", account] if account else [])
    return command


def worker_env() -> dict[str, str]:
    """The fake worker imports `tests.fakes` whatever the working directory."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH", "")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"wa-{name}.png"))
