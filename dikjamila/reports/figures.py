"""Build a service report from the database: a handful of aggregate queries, one slim pass.

What each figure counts (the footnotes say the same in Indonesian):
- requests by service, kecamatan, channel and status: received in the period (status as now);
- service times: requests that first reached `terbit` in the period (a card service's
  "ready for pickup" is that step too), from arrival to `terbit` minus the time spent in
  `berkas_kurang`, in clock hours; median and 90th percentile (nearest rank);
- within target: `issued_at - time in berkas_kurang <= due_at` (the due time already counts
  the SOP target on working days; waiting for the resident does not count against the office);
- documents sent: outbox items with a document that went out (sent, delivered or read) in the
  period, by the server's time or else the item's last change; the same document to the same
  number counts once;
- complaints: received in the period; resolved = of those, resolved before the period ended;
- IKM: survey responses answered in the period;
- residents: distinct applicant NIKs among requests received in the period (the phone number
  when no NIK is known; a request with neither counts as one resident).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    DateTime,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from dikjamila import audit
from dikjamila.db.models import Complaint, OutboxItem, Request, SurveyResponse
from dikjamila.db.types import utcnow
from dikjamila.desk.records import CHANNEL_LABELS, CHANNELS
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.identity.wilayah import kecamatan, kecamatan_list
from dikjamila.lifecycle import Status, label
from dikjamila.reports.ikm import ikm_from_totals
from dikjamila.reports.model import (
    ComplaintFigures,
    CountRow,
    ServiceReport,
    ServiceRow,
    ServiceTimes,
)
from dikjamila.reports.period import Period
from dikjamila.whatsapp.outbox_state import OutboxState

COMPLAINT_TARGET = 0.91  # the office's standard: at least 91% of complaints resolved
WENT_OUT = (OutboxState.SENT.value, OutboxState.DELIVERED.value, OutboxState.READ.value)


def build_report(session: Session, period: Period, *, catalog, calendar=None) -> ServiceReport:
    """Every figure of the report for `period`, read in `session`'s one transaction.

    `catalog` names the services; `calendar` (optional, a `WorkCalendar`) counts the
    period's working days.
    """
    start, end = period.start_utc, period.end_utc
    built_at = utcnow()
    counts = _request_counts(session, start, end)
    times = _times(session, start, end)
    received_by_service = counts["service"]
    service_keys = [s.code for s in catalog.all()]
    service_keys += sorted((set(received_by_service) | set(times)) - set(service_keys))
    names = {code: _service_name(catalog, code) for code in service_keys}
    by_service = sorted(
        (ServiceRow(code, names[code], received_by_service.get(code, 0), _summarise(times.get(code, [])))
         for code in service_keys),
        key=lambda row: (-row.received, -row.times.issued, row.label))
    all_times = [t for rows in times.values() for t in rows]
    return ServiceReport(
        period=period,
        built_at=built_at,
        received=sum(received_by_service.values()),
        by_service=tuple(by_service),
        by_kecamatan=_kecamatan_rows(counts["kecamatan"]),
        by_channel=_ordered(counts["channel"], list(CHANNELS), _channel_label),
        by_status=_ordered(counts["status"], [s.value for s in Status], _status_label),
        times=_summarise(all_times),
        documents_sent=_documents_sent(session, start, end),
        complaints=_complaints(session, start, end),
        ikm=_ikm(session, start, end),
        residents=_residents(session, start, end),
        chain_head=audit.head(session),
        working_days=_working_days(calendar, period),
    )


# -- requests ---------------------------------------------------------------------------

def _request_counts(session: Session, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """Requests received in [start, end) by service, kecamatan, channel and status: one
    GROUP BY over all four (a few thousand combinations at most), folded here."""
    rows = session.execute(
        select(Request.service_code, Request.kecamatan_code, Request.channel, Request.status, func.count())
        .where(Request.received_at >= start, Request.received_at < end)
        .group_by(Request.service_code, Request.kecamatan_code, Request.channel, Request.status))
    counts: dict[str, dict[str, int]] = {k: defaultdict(int) for k in ("service", "kecamatan", "channel", "status")}
    for service, kec, channel, status, n in rows:
        counts["service"][service or ""] += n
        counts["kecamatan"][kec or ""] += n
        counts["channel"][channel or ""] += n
        counts["status"][status or ""] += n
    return counts


# One request's service time: (hours counted against the office, within target, hours waited).
_Time = tuple[float, bool, float]


def _times(session: Session, start: datetime, end: datetime) -> dict[str, list[_Time]]:
    """Per service, the times of the requests first issued in [start, end)."""
    # NOTE: read as plain (naive UTC) datetimes: the aware conversion of the column type was
    # half of this query's time over a month of 30,000 requests, and only differences are used.
    naive = [type_coerce(c, DateTime()) for c in (Request.received_at, Request.issued_at, Request.due_at)]
    rows = session.connection().execute(  # Core, not the ORM: plain tuples, no ORM row handling
        select(Request.service_code, *naive, Request.incomplete_seconds)
        .where(Request.issued_at >= start, Request.issued_at < end))
    times: dict[str, list[_Time]] = defaultdict(list)
    for row in rows:
        service, received, issued, due, waited_s = tuple(row)
        waited = timedelta(seconds=waited_s or 0)
        counted = max(0.0, (issued - received - waited).total_seconds()) / 3600
        times[service or ""].append((counted, issued - waited <= due, waited.total_seconds() / 3600))
    return times


def _summarise(times: list[_Time]) -> ServiceTimes:
    if not times:
        return ServiceTimes(0, None, None, 0, None, 0, None, 0.0)
    hours = sorted(t[0] for t in times)
    within = sum(1 for t in times if t[1])
    waits = [t[2] for t in times if t[2] > 0]
    return ServiceTimes(
        issued=len(times), median_hours=statistics.median(hours), p90_hours=nearest_rank(hours, 90),
        within_target=within, within_target_share=within / len(times), waited=len(waits),
        wait_median_hours=statistics.median(waits) if waits else None, wait_total_hours=sum(waits, 0.0))


def nearest_rank(ordered: list[float], percent: int) -> float:
    """The nearest-rank percentile of an ascending list: the smallest value with at least
    `percent`% of the values at or below it."""
    rank = (percent * len(ordered) + 99) // 100  # ceil(percent/100 * n), in integers
    return ordered[max(rank, 1) - 1]


def _residents(session: Session, start: datetime, end: datetime) -> int:
    who = case((Request.applicant_nik != "", "n" + Request.applicant_nik),
               (Request.applicant_phone != "", "p" + Request.applicant_phone),
               else_="r" + cast(Request.id, String))
    return session.scalar(
        select(func.count(distinct(who))).where(Request.received_at >= start, Request.received_at < end)) or 0


# -- the rest of the office's work ------------------------------------------------------

def _documents_sent(session: Session, start: datetime, end: datetime) -> int:
    at = func.coalesce(OutboxItem.server_time, OutboxItem.updated_at)
    pairs = (select(OutboxItem.recipient, OutboxItem.blob_sha256)
             .where(OutboxItem.blob_sha256.is_not(None), OutboxItem.state.in_(WENT_OUT), at >= start, at < end)
             .distinct().subquery())
    return session.scalar(select(func.count()).select_from(pairs)) or 0


def _complaints(session: Session, start: datetime, end: datetime) -> ComplaintFigures:
    resolved_in_time = and_(Complaint.status == "resolved", Complaint.resolved_at.is_not(None),
                            Complaint.resolved_at < end)
    received, resolved = session.execute(
        select(func.count(), func.coalesce(func.sum(case((resolved_in_time, 1), else_=0)), 0))
        .where(Complaint.received_at >= start, Complaint.received_at < end)).one()
    return ComplaintFigures(received=received, resolved=resolved, open=received - resolved,
                            ratio=resolved / received if received else None, target_ratio=COMPLAINT_TARGET)


def _ikm(session: Session, start: datetime, end: datetime):
    u = SurveyResponse
    columns = (u.u1, u.u2, u.u3, u.u4, u.u5, u.u6, u.u7, u.u8, u.u9)
    row = session.execute(
        select(func.count(), *(func.coalesce(func.sum(c), 0) for c in columns))
        .where(u.answered_at >= start, u.answered_at < end)).one()
    return ikm_from_totals(row[0], [int(v) for v in row[1:]])


def _working_days(calendar, period: Period) -> int | None:
    if calendar is None:
        return None
    return calendar.working_days_between(period.first, period.last + timedelta(days=1))


# -- names ------------------------------------------------------------------------------

def _service_name(catalog, code: str) -> str:
    if not code:
        return tr("Belum dipilih")
    try:
        return catalog.get(code).name
    except UserError:  # a service whose SOP was removed since: its code is all we have
        return code


def _channel_label(key: str) -> str:
    known = {str(channel): name for channel, name in CHANNEL_LABELS.items()}.get(key)
    return tr(known) if known else key


def _status_label(key: str) -> str:
    try:
        return label(key)
    except ValueError:
        return key


def _ordered(counts: dict[str, int], keys: list[str], name: Any) -> tuple[CountRow, ...]:
    """Every known key in its order (zeros too), then any stored value not known, by size."""
    extra = sorted((k for k in counts if k not in keys), key=lambda k: -counts[k])
    return tuple(CountRow(k, name(k) if k else tr("Tidak diketahui"), counts.get(k, 0)) for k in keys + extra)


def _kecamatan_rows(counts: dict[str, int]) -> tuple[CountRow, ...]:
    known = [k.code for k in kecamatan_list()]
    return _ordered(counts, known, _kecamatan_name)


def _kecamatan_name(code: str) -> str:
    try:
        return kecamatan(code).name
    except UserError:
        return code
