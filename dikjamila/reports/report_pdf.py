"""A service report as an official PDF: letterhead, summary, tables, charts, definitions.

Built on the office's page (`dikjamila.documents.pdf_base.OfficePdf`); charts are drawn with
fpdf2's primitives (`dikjamila.reports.charts`). Every page's footer carries the audit chain
head (short); the last page prints it in full, as `dikjamila audit verify --head` takes it.
"""

from __future__ import annotations

from dikjamila.desk.timezone import WITA
from dikjamila.documents.pdf_base import FAMILY, OfficePdf
from dikjamila.i18n import tr
from dikjamila.reports.charts import hbar_chart, hbar_height, vbar_chart, vbar_height
from dikjamila.reports.footnotes import footnotes
from dikjamila.reports.ikm import ELEMENT_LABELS, ELEMENTS
from dikjamila.reports.model import CountRow, ServiceReport, ServiceTimes
from dikjamila.reports.numbers import id_decimal, id_hours, id_int, id_percent
from dikjamila.reports.period import day_label


def report_pdf(report: ServiceReport, *, office_name: str, office_address: str, prepared_by: str = "") -> bytes:
    """The report as PDF bytes (the same report always gives the same bytes)."""
    pdf = OfficePdf(created_at=report.built_at)
    title = tr("Laporan Pelayanan Administrasi Kependudukan")
    pdf.set_title(f"{title} \u2014 {report.period.label}")
    pdf.set_author(office_name)
    pdf.footer_note = tr("Laporan {period} \u00b7 Kepala rantai audit: {head}\u2026",
                         period=report.period.label, head=report.chain_head.short)
    pdf.letterhead(office_name, office_address, title)
    _opening(pdf, report, prepared_by)
    _summary(pdf, report)
    _services(pdf, report)
    _places_and_channels(pdf, report)
    _complaints(pdf, report)
    _ikm(pdf, report)
    _closing(pdf, report, office_name)
    return pdf.output_bytes()


ROW_MM = 4.6 + 2 * 1.2  # a one-line table row: line height and padding (pdf_base)


def _keep(pdf: OfficePdf, needed: float) -> None:
    """Start a new page unless `needed` mm still fit on this one (a heading with its table)."""
    if pdf.will_page_break(needed):
        pdf.add_page()


def _table(pdf: OfficePdf, headers, rows, widths, aligns, *, keep: bool = True) -> None:
    """A compact table; one that fits on a page is not split (`keep`)."""
    if keep and (len(rows) + 1) * ROW_MM < 120:
        _keep(pdf, (len(rows) + 1) * ROW_MM + 2)
    pdf.table(headers, rows, widths=widths, aligns=aligns, size=8.5, line_height=4.6)


def _opening(pdf: OfficePdf, report: ServiceReport, prepared_by: str) -> None:
    built = report.built_at.astimezone(WITA)
    pairs = [(tr("Periode"), report.period.label),
             (tr("Rentang tanggal"), f"{day_label(report.period.first)} \u2013 {day_label(report.period.last)}")]
    if report.working_days is not None:
        pairs.append((tr("Hari kerja"), tr("{days} hari", days=id_int(report.working_days))))
    pairs.append((tr("Data dibaca"), tr("{day} pukul {time} WITA", day=day_label(built.date()),
                                        time=built.strftime("%H.%M"))))
    if prepared_by:
        pairs.append((tr("Dibuat oleh"), prepared_by))
    pdf.key_values(pairs, label_width=36, line_height=5.6)


def _summary(pdf: OfficePdf, report: ServiceReport) -> None:
    t, c, ikm = report.times, report.complaints, report.ikm
    _keep(pdf, 12 * ROW_MM + 10)
    pdf.heading(tr("A. Ringkasan"))
    rows = [
        [tr("Permohonan diterima"), id_int(report.received), tr("semua saluran")],
        [tr("Penduduk dilayani"), id_int(report.residents), tr("NIK pemohon yang berbeda")],
        [tr("Permohonan terbit"), id_int(t.issued), tr("pertama kali terbit dalam periode")],
        [tr("Waktu layanan, median"), id_hours(t.median_hours), tr("tanpa lama menunggu berkas")],
        [tr("Waktu layanan, P90"), id_hours(t.p90_hours), tr("90% terbit dalam waktu ini")],
        [tr("Terbit tepat waktu"), _share_of(t.within_target, t.issued, t.within_target_share),
         tr("target SOP (bawaan 1 hari kerja)")],
        [tr("Menunggu berkas dari pemohon"), tr("{n} permohonan", n=id_int(t.waited)),
         tr("median {median}; total {total} jam", median=id_hours(t.wait_median_hours),
            total=id_decimal(t.wait_total_hours)) if t.waited else "-"],
        [tr("Permohonan ditolak"), id_int(report.rejected), tr("status saat laporan dibuat")],
        [tr("Dokumen terkirim"), id_int(report.documents_sent), tr("PDF lewat WhatsApp")],
        [tr("Pengaduan diselesaikan"), _share_of(c.resolved, c.received, c.ratio),
         tr("standar paling sedikit {target}", target=id_percent(c.target_ratio, 0))],
        [tr("Indeks Kepuasan Masyarakat"), _ikm_value(report),
         tr("{n} responden", n=id_int(ikm.respondents))],
    ]
    _table(pdf, [tr("Indikator"), tr("Nilai"), tr("Keterangan")], rows, (56, 50, 68), ("L", "R", "L"))


def _share_of(part: int, whole: int, share: float | None) -> str:
    if not whole:
        return "-"
    return tr("{share} ({part} dari {whole})", share=id_percent(share), part=id_int(part), whole=id_int(whole))


def _ikm_value(report: ServiceReport) -> str:
    ikm = report.ikm
    return f"{ikm.ikm_text} ({ikm.grade}, {ikm.grade_label})" if ikm.grade else tr("belum ada responden")


def _times_cells(t: ServiceTimes) -> list[str]:
    within = "-" if not t.issued else f"{id_int(t.within_target)} ({id_percent(t.within_target_share)})"
    return [id_int(t.issued), id_decimal(t.median_hours), id_decimal(t.p90_hours), within]


def _services(pdf: OfficePdf, report: ServiceReport) -> None:
    _keep(pdf, 6 * ROW_MM + 10)
    pdf.heading(tr("B. Permohonan per layanan"))
    rows = [[row.label, id_int(row.received), *_times_cells(row.times)]
            for row in report.by_service if row.key or row.received or row.times.issued]
    rows.append([tr("Semua layanan"), id_int(report.received), *_times_cells(report.times)])
    _table(pdf, [tr("Layanan"), tr("Diterima"), tr("Terbit"), tr("Median (jam)"), tr("P90 (jam)"), tr("Tepat waktu")],
           rows, (64, 20, 18, 20, 18, 34), ("L", "R", "R", "R", "R", "R"), keep=False)
    if not report.received:
        pdf.paragraph(tr("Tidak ada permohonan yang diterima dalam periode ini."), size=9)
        return
    shown = [(row.label, float(row.received)) for row in report.by_service if row.key or row.received]
    hbar_chart(pdf, tr("Gambar 1. Permohonan diterima per layanan"), shown, axis_label=tr("Jumlah permohonan"))


def _with_share(rows: tuple[CountRow, ...], total: int) -> list[list[str]]:
    return [[r.label, id_int(r.count), id_percent(r.count / total if total else None)] for r in rows]


def _places_and_channels(pdf: OfficePdf, report: ServiceReport) -> None:
    total = report.received
    kecamatan = [r for r in report.by_kecamatan if r.key or r.count]
    _keep(pdf, hbar_height(len(kecamatan)) + 10)
    pdf.heading(tr("C. Permohonan per kecamatan"))
    if total:
        hbar_chart(pdf, tr("Gambar 2. Permohonan diterima per kecamatan"),
                   [(r.label, float(r.count)) for r in kecamatan], axis_label=tr("Jumlah permohonan"), label_width=40)
    _table(pdf, [tr("Kecamatan"), tr("Permohonan"), tr("Bagian")], _with_share(tuple(kecamatan), total),
           (70, 30, 30), ("L", "R", "R"))
    channels = [r for r in report.by_channel if r.key or r.count]
    _keep(pdf, vbar_height(40, True) + 10)
    pdf.heading(tr("D. Saluran dan status"))
    if total:
        vbar_chart(pdf, tr("Gambar 3. Permohonan diterima per saluran"), [(r.label, float(r.count)) for r in channels],
                   axis_label=tr("Jumlah permohonan; di bawah nama saluran: bagiannya dari semua permohonan"),
                   caption_rows=[id_percent(r.count / total) for r in channels], height=40)
    statuses = [r for r in report.by_status if r.key or r.count]
    _keep(pdf, (len(statuses) + 1) * ROW_MM + 8)
    pdf.paragraph(tr("Status permohonan yang diterima dalam periode, saat laporan dibuat:"), size=9)
    pdf.ln(1)
    _table(pdf, [tr("Status"), tr("Permohonan"), tr("Bagian")], _with_share(tuple(statuses), total),
           (70, 30, 30), ("L", "R", "R"))


def _complaints(pdf: OfficePdf, report: ServiceReport) -> None:
    c = report.complaints
    _keep(pdf, 5 * 5.6 + 10)
    pdf.heading(tr("E. Dokumen terkirim dan pengaduan"))
    pdf.key_values([
        (tr("Dokumen terkirim"), tr("{n} dokumen", n=id_int(report.documents_sent))),
        (tr("Pengaduan diterima"), id_int(c.received)),
        (tr("Pengaduan diselesaikan"), id_int(c.resolved)),
        (tr("Belum selesai"), id_int(c.open)),
        (tr("Rasio penyelesaian"), tr("{ratio} (standar paling sedikit {target})", ratio=id_percent(c.ratio),
                                      target=id_percent(c.target_ratio, 0))),
    ], label_width=50, line_height=5.6)


def _ikm(pdf: OfficePdf, report: ServiceReport) -> None:
    ikm = report.ikm
    _keep(pdf, 4 * 5.6 + 10 * ROW_MM + 12)
    pdf.heading(tr("F. Indeks Kepuasan Masyarakat (IKM)"))
    if not ikm.respondents:
        pdf.paragraph(tr("Belum ada responden survei kepuasan dalam periode ini."))
        return
    pdf.key_values([(tr("Responden"), id_int(ikm.respondents)), (tr("Nilai IKM"), ikm.ikm_text),
                    (tr("Mutu pelayanan"), ikm.grade), (tr("Kinerja unit pelayanan"), ikm.grade_label)],
                   label_width=50, line_height=5.6)
    pdf.ln(1)
    rows = [[code, tr(name), id_decimal(nrr, 2)] for code, name, nrr in zip(ELEMENTS, ELEMENT_LABELS, ikm.nrr,
                                                                          strict=True)]
    _table(pdf, [tr("Unsur"), tr("Uraian"), tr("NRR")], rows, (18, 120, 36), ("C", "L", "R"))
    number = 4 if report.received else 1  # figures 1-3 are drawn only when requests came in
    vbar_chart(pdf, tr("Gambar {n}. Nilai rata-rata (NRR) per unsur pelayanan", n=number),
               [(code, nrr) for code, nrr in zip(ELEMENTS, ikm.nrr, strict=True)],
               axis_label=tr("NRR, skala 1 (tidak baik) sampai 4 (sangat baik)"), ticks=(1, 2, 3, 4),
               value_text=lambda v: id_decimal(v, 2), height=44)


def _closing(pdf: OfficePdf, report: ServiceReport, office_name: str) -> None:
    pdf.heading(tr("Keterangan"))
    pdf.set_font(FAMILY, "", 8)
    for i, note in enumerate(footnotes(report), start=1):
        pdf.cell(6, 4.2, f"{i}.")
        pdf.multi_cell(0, 4.2, note, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.6)
    if pdf.will_page_break(60):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.cell(0, 5, tr("Kepala rantai audit saat angka laporan ini dibaca (jumlah peristiwa:hash):"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 8.5)
    with pdf.local_context(fill_color=(240, 240, 240)):
        pdf.cell(0, 6.5, str(report.chain_head), border=1, fill=True, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    left = pdf.l_margin + pdf.epw - 78
    pdf.set_font(FAMILY, "", 9.5)
    for line in (tr("Mengetahui,"), tr("Kepala {office}", office=office_name)):
        pdf.set_x(left)
        pdf.multi_cell(78, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    pdf.set_x(left)
    pdf.cell(78, 5, "(" + "." * 48 + ")", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(left)
    pdf.cell(78, 5, tr("NIP.") + " " + "." * 40, align="C", new_x="LMARGIN", new_y="NEXT")
