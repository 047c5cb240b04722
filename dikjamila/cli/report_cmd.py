"""`dikjamila report`: the service report of a day, month or year as PDF and/or CSV.

    dikjamila report --period 2026-11 -o laporan-2026-11.pdf [--csv laporan-2026-11.csv]

At least one output is required. Both files come from one reading of the figures, so they
carry the same audit chain head. Files are written whole or not at all (a temporary file in
the same folder, then renamed), and a bad period or an unusable path is refused before the
office is opened.
"""

from __future__ import annotations

from pathlib import Path

from dikjamila.cli.common import add_command, cli_actor, open_office
from dikjamila.errors import InvalidInput
from dikjamila.files.output import check_output_path, write_output
from dikjamila.i18n import tr


def register(sub) -> None:
    """Add this module's commands to the `dikjamila` parser."""
    p = add_command(sub, "report", help="laporan layanan harian, bulanan atau tahunan (PDF dan/atau CSV)",
                    description="Laporan layanan: permohonan, waktu layanan, dokumen terkirim, pengaduan dan IKM.")
    p.add_argument("--period", required=True, metavar="PERIODE",
                   help="tanggal (2026-11-30), bulan (2026-11) atau tahun (2026)")
    p.add_argument("-o", "--output", metavar="BERKAS.pdf", help="simpan laporan PDF ke berkas ini")
    p.add_argument("--csv", metavar="BERKAS.csv", help="simpan angka laporan sebagai CSV ke berkas ini")
    p.add_argument("--csv-regional", action="store_true",
                   help="CSV dengan titik koma dan koma desimal (Excel dengan pengaturan wilayah Indonesia)")
    p.set_defaults(run=run)


def run(args) -> int:
    from dikjamila.reports.numbers import id_int, id_percent
    from dikjamila.reports.period import parse_period

    period = parse_period(args.period)
    if not args.output and not args.csv:
        raise InvalidInput(tr("Sebutkan berkas keluaran: -o LAPORAN.pdf, --csv LAPORAN.csv, atau keduanya."))
    targets = [Path(p) for p in (args.output, args.csv) if p]
    for target in targets:
        check_output_path(target)
    if len(targets) == 2 and targets[0].resolve() == targets[1].resolve():
        raise InvalidInput(tr("Berkas PDF dan CSV tidak boleh sama ({path}).", path=targets[0]))
    office = open_office(args, create=False)
    try:
        desk = office.desk(cli_actor())
        report = desk.service_report(period)
        if args.output:
            write_output(Path(args.output), desk.report_pdf(report).data)
        if args.csv:
            write_output(Path(args.csv), desk.report_csv(report, regional=args.csv_regional).encode("utf-8"))
    finally:
        office.close()
    t, ikm = report.times, report.ikm
    ikm_text = (tr("IKM {value} ({grade}, {label})", value=ikm.ikm_text, grade=ikm.grade, label=ikm.grade_label)
                if ikm.grade else tr("IKM belum ada responden"))
    print(tr("Laporan {label}: {received} permohonan diterima, {issued} terbit ({share} tepat waktu), {ikm}.",
             label=period.label, received=id_int(report.received), issued=id_int(t.issued),
             share=id_percent(t.within_target_share), ikm=ikm_text))
    print(tr("Kepala rantai audit: {head}", head=report.chain_head))
    for target in targets:
        print(tr("Disimpan: {path}", path=target))
    return 0
