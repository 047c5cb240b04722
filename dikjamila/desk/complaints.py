"""Complaints (pengaduan): record, assign, resolve and tell the resident."""

from __future__ import annotations

from dikjamila.desk.base import DeskBase


class ComplaintOps(DeskBase):
    pass
