"""Generated paperwork: receipts, berkas-kurang notices, archive bundles (filled in by issue 9)."""

from __future__ import annotations

from dikjamila.desk.base import DeskBase


class PaperworkOps(DeskBase):
    pass
