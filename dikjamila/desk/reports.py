"""Service reports for a day, month or year (figures, CSV, PDF)."""

from __future__ import annotations

from dikjamila.desk.base import DeskBase


class ReportOps(DeskBase):
    pass
