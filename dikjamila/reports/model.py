"""The figures of a service report: frozen, plain data (no ORM objects, no Qt).

A dashboard, the PDF and the CSV all draw from a `ServiceReport`; what each figure counts is
written in `dikjamila.reports.footnotes` (printed under the report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dikjamila.audit import ChainHead
from dikjamila.reports.ikm import IkmResult
from dikjamila.reports.period import Period


@dataclass(frozen=True)
class CountRow:
    """One line of a breakdown: the stored code, its Indonesian name, how many."""

    key: str  # "akta_kelahiran", "63.11.05", "whatsapp", "terbit"; "" = not chosen / unknown
    label: str
    count: int


@dataclass(frozen=True)
class ServiceTimes:
    """Time to completion of the requests issued (first `terbit`) in the period.

    Hours are clock hours from arrival to `terbit` minus the time spent in `berkas_kurang`.
    Every value is None when nothing was issued.
    """

    issued: int
    median_hours: float | None
    p90_hours: float | None
    within_target: int
    within_target_share: float | None  # 0-1
    # Of the same requests: those that waited in berkas_kurang, and for how long.
    waited: int
    wait_median_hours: float | None  # over the requests that waited
    wait_total_hours: float


@dataclass(frozen=True)
class ServiceRow:
    """One service's line: requests received in the period and times of those issued in it."""

    key: str  # service code ("" = not chosen yet)
    label: str
    received: int
    times: ServiceTimes


@dataclass(frozen=True)
class ComplaintFigures:
    """Complaints received in the period; `resolved` of those, by the end of the period."""

    received: int
    resolved: int
    open: int  # received in the period and not resolved by its end
    ratio: float | None  # resolved / received, 0-1; None without complaints
    target_ratio: float  # the office's standard (0.91)


@dataclass(frozen=True)
class ServiceReport:
    period: Period
    built_at: datetime  # UTC, when the figures were read
    received: int  # requests received in the period
    by_service: tuple[ServiceRow, ...]  # most requested first; every SOP service listed
    by_kecamatan: tuple[CountRow, ...]  # the 8 kecamatan in code order, then "Tidak diketahui"
    by_channel: tuple[CountRow, ...]  # every channel, in CHANNELS order
    by_status: tuple[CountRow, ...]  # every status, in lifecycle order (status now)
    times: ServiceTimes  # all services together
    documents_sent: int
    complaints: ComplaintFigures
    ikm: IkmResult
    residents: int  # distinct residents (NIK, else phone) among the requests received
    chain_head: ChainHead  # the audit chain when the figures were read
    working_days: int | None  # in the period, from the office calendar (None without one)

    @property
    def rejected(self) -> int:
        return next((row.count for row in self.by_status if row.key == "ditolak"), 0)
