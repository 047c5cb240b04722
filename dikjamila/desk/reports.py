"""Service reports for a day, month or year (figures, CSV, PDF).

Reading the figures is not audited: they hold counts, no one's personal data, and a dashboard
reads them often. An export (PDF or CSV, files that leave the program) is: `report.export`
with the period, the format and the audit chain head printed on it. The event itself comes
after that head, so the printed head is exactly the history the figures were read against.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from dikjamila.auth.roles import Permission
from dikjamila.desk.base import DeskBase, db_call

if TYPE_CHECKING:
    from dikjamila.reports.model import ServiceReport
    from dikjamila.reports.period import Period

# NOTE: `dikjamila.reports` is imported inside the methods: its modules use
# `dikjamila.desk.timezone` and `desk.records`, which load this package first.


class GeneratedReport(NamedTuple):
    """A report file made for saving or previewing (unpacks as `file_name, data`)."""

    file_name: str  # "laporan-layanan-2026-11.pdf"
    data: bytes


class ReportOps(DeskBase):
    @db_call
    def service_report(self, period: str | Period) -> ServiceReport:
        """The figures of `period` ("2026-11-30", "2026-11", "2026" or a Period); supervisors
        and admins only. A period typed wrong raises InvalidInput in Indonesian."""
        from dikjamila.reports.figures import build_report
        from dikjamila.reports.period import Period, parse_period

        self._require(Permission.REPORTS)
        chosen = period if isinstance(period, Period) else parse_period(period)
        with self.db.reading() as session:
            return build_report(session, chosen, catalog=self.catalog, calendar=getattr(self, "calendar", None))

    def report_pdf(self, period: str | Period | ServiceReport) -> GeneratedReport:
        """The report of `period` as an official PDF (letterhead, tables, charts, definitions).

        Given a report already read (`service_report`), its figures are used as they are, so a
        PDF and a CSV made from it carry the same audit chain head.
        """
        from dikjamila.reports.report_pdf import report_pdf

        report = self._report_for(period)
        data = report_pdf(report, office_name=self.settings.office_name,
                          office_address=self.settings.office_address, prepared_by=self._prepared_by())
        self._record_export(report, "pdf")
        return GeneratedReport(f"laporan-layanan-{report.period.code}.pdf", data)

    def report_csv(self, period: str | Period | ServiceReport, *, regional: bool = False) -> str:
        """The report of `period` (or a report already read) as CSV text; see
        `dikjamila.reports.csv_export` for the format. `regional` = semicolons and decimal
        commas, for Excel with Indonesian regional settings."""
        from dikjamila.reports.csv_export import report_csv

        report = self._report_for(period)
        text = report_csv(report, regional=regional)
        self._record_export(report, "csv")
        return text

    def _report_for(self, what: str | Period | ServiceReport) -> ServiceReport:
        from dikjamila.reports.model import ServiceReport

        if isinstance(what, ServiceReport):
            self._require(Permission.REPORTS)
            return what
        return self.service_report(what)

    @db_call
    def _record_export(self, report: ServiceReport, kind: str) -> None:
        with self.db.writing() as session:
            self._audit(session, "report.export", "report", report.period.code,
                        {"format": kind, "period": report.period.code, "head": str(report.chain_head)})

    def _prepared_by(self) -> str:
        if self.actor.id is None:  # the command line or a script, acting as the system
            return self.actor.username
        return f"{self.actor.full_name} ({self.actor.username})"
