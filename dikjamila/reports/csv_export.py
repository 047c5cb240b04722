"""A service report as CSV, for a spreadsheet.

The file is sections one after another, separated by an empty line; each section is a title
row (one cell), a header row and its data rows. Codes stay as stored (service code, kecamatan
code, channel, status) next to their Indonesian names, so a sheet can be joined with others.

Format: UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the Windows code page
and garbles any non-ASCII name), CRLF line ends. Two dialects:
- standard (the default): comma-separated, decimal point ("87.50") — RFC 4180, what
  LibreOffice, Google Sheets, Python and Excel with English regional settings read directly;
- regional (`regional=True`): semicolon-separated, decimal comma ("87,50") — what Excel
  opens directly by double-click on a PC with Indonesian regional settings, where the list
  separator is ";" and "87.50" would be read as 8750.
Hours and percentages have two decimals, NRR three, the IKM two (rounded half up from the
exact value, as on the PDF).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.reports.footnotes import footnotes
from dikjamila.reports.ikm import ELEMENT_LABELS, ELEMENTS, format_two_decimals
from dikjamila.reports.model import CountRow, ServiceReport, ServiceTimes

BOM = "\ufeff"
Cell = str | int


def report_csv(report: ServiceReport, *, regional: bool = False) -> str:
    """Every figure of `report` as CSV text (with its BOM); see the module for the format."""
    mark = "," if regional else "."

    def num(value: float | None, places: int = 2) -> str:
        return "" if value is None else f"{value:.{places}f}".replace(".", mark)

    def pct(share: float | None) -> str:
        return "" if share is None else num(share * 100)

    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";" if regional else ",", lineterminator="\r\n")
    sections = _sections(report, num, pct, "" if report.ikm.ikm_exact is None
                         else format_two_decimals(report.ikm.ikm_exact, mark))
    for i, (title, header, rows) in enumerate(sections):
        if i:
            writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return out.getvalue()


def _times_cells(t: ServiceTimes, num: Callable, pct: Callable) -> list[Cell]:
    return [t.issued, num(t.median_hours), num(t.p90_hours), t.within_target, pct(t.within_target_share),
            t.waited, num(t.wait_median_hours), num(t.wait_total_hours)]


def _counts(rows: Sequence[CountRow]) -> list[list[Cell]]:
    return [[r.key, r.label, r.count] for r in rows]


def _sections(report: ServiceReport, num: Callable, pct: Callable, ikm_text: str):
    p, t, c, ikm = report.period, report.times, report.complaints, report.ikm
    built = report.built_at.astimezone(WITA).strftime("%Y-%m-%d %H:%M")
    value = [tr("Uraian"), tr("Nilai")]
    yield tr("Laporan layanan"), value, [
        [tr("Periode"), p.label], [tr("Kode periode"), p.code],
        [tr("Tanggal pertama"), p.first.isoformat()], [tr("Tanggal terakhir"), p.last.isoformat()],
        [tr("Dibuat (WITA)"), built], [tr("Kepala rantai audit"), str(report.chain_head)],
        [tr("Hari kerja"), "" if report.working_days is None else report.working_days],
    ]
    yield tr("Ringkasan"), value, [
        [tr("Permohonan diterima"), report.received],
        [tr("Penduduk dilayani"), report.residents],
        [tr("Permohonan terbit"), t.issued],
        [tr("Waktu layanan median (jam)"), num(t.median_hours)],
        [tr("Waktu layanan P90 (jam)"), num(t.p90_hours)],
        [tr("Terbit tepat waktu"), t.within_target],
        [tr("Terbit tepat waktu (%)"), pct(t.within_target_share)],
        [tr("Permohonan yang menunggu berkas"), t.waited],
        [tr("Lama menunggu berkas median (jam)"), num(t.wait_median_hours)],
        [tr("Lama menunggu berkas total (jam)"), num(t.wait_total_hours)],
        [tr("Dokumen terkirim"), report.documents_sent],
        [tr("Pengaduan diterima"), c.received],
        [tr("Pengaduan diselesaikan"), c.resolved],
        [tr("Pengaduan belum selesai"), c.open],
        [tr("Pengaduan diselesaikan (%)"), pct(c.ratio)],
        [tr("Standar pengaduan diselesaikan (%)"), pct(c.target_ratio)],
        [tr("IKM"), ikm_text],
        [tr("Mutu IKM"), ikm.grade],
        [tr("Kinerja IKM"), ikm.grade_label],
        [tr("Responden IKM"), ikm.respondents],
    ]
    times_header = [tr("Terbit"), tr("Median (jam)"), tr("P90 (jam)"), tr("Tepat waktu"), tr("Tepat waktu (%)"),
                    tr("Menunggu berkas"), tr("Menunggu berkas median (jam)"), tr("Menunggu berkas total (jam)")]
    yield tr("Per layanan"), [tr("Kode"), tr("Layanan"), tr("Diterima"), *times_header], [
        [row.key, row.label, row.received, *_times_cells(row.times, num, pct)] for row in report.by_service
    ]
    yield tr("Per kecamatan"), [tr("Kode"), tr("Kecamatan"), tr("Permohonan")], _counts(report.by_kecamatan)
    yield tr("Per saluran"), [tr("Kode"), tr("Saluran"), tr("Permohonan")], _counts(report.by_channel)
    yield tr("Per status"), [tr("Kode"), tr("Status"), tr("Permohonan")], _counts(report.by_status)
    yield tr("IKM per unsur"), [tr("Unsur"), tr("Uraian"), tr("NRR")], [
        [element, tr(name), num(nrr, 3)] for element, name, nrr in zip(ELEMENTS, ELEMENT_LABELS, ikm.nrr or (None,) * len(ELEMENTS), strict=True)
    ]
    yield tr("Keterangan"), [tr("Catatan")], [[note] for note in footnotes(report)]
