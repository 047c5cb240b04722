"""What a kiosk window owns: the station, the background threads, and the screen's settings.

Every station call goes through `call()` (the database worker: one thread, in order, results
back on the GUI thread), so the window never waits on the kiosk's database or files. Long
jobs — delivery to the office, decoding a big photo for its preview — run on the executor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dikjamila.kiosk.api import KioskStationApi
from ui.executor import Executor
from ui.worker import DbWorker, Job


@dataclass
class KioskOptions:
    """The screen's settings (from the station's settings when it has them; tests set them)."""

    idle_seconds: float = 120
    #: Folders whose images and PDFs "Pilih dari folder/flashdisk" lists (scanner folder, …);
    #: removable drives are added when they are plugged in.
    pick_folders: tuple[Path, ...] = ()
    #: "a4" or "80mm" (a receipt printer).
    paper: str = "a4"
    #: Tests and screenshots: print to this PDF file instead of the default printer.
    print_to_pdf: Path | None = None
    #: Prefixes the status keypad offers as one key each ("KIOS-", the office's "BLG-").
    number_prefixes: tuple[str, ...] = ("KIOS-", "BLG-")
    #: How often (seconds) pending submissions are delivered to the office; 0 = never.
    deliver_every_seconds: float = 60
    #: The camera may be used when one is present (tests and screenshots turn it off).
    use_camera: bool = True
    #: A line on the PIN pad (the demo says its PIN there); "" for a real kiosk.
    pin_hint: str = ""


class KioskContext:
    """The station with its worker and executor; `close()` stops both."""

    def __init__(self, station: KioskStationApi, options: KioskOptions | None = None, *,
                 deliver: Callable[[], Any] | None = None,
                 worker: DbWorker | None = None, executor: Executor | None = None):
        self.station = station
        self.options = options or KioskOptions()
        #: Delivers pending submissions to the office (run on the executor); None: not here.
        self.deliver = deliver
        self.worker = worker or DbWorker()
        self.executor = executor or Executor()

    def call(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None, *, label: str = "") -> Job:
        """Run `fn` (a station call) on the worker; callbacks on the GUI thread."""
        return self.worker.submit(fn, on_done, on_error, label=label)

    def close(self) -> None:
        self.executor.shutdown()
        self.worker.shutdown()
