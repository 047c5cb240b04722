"""The report's files read back: the CSV with the csv module, the PDF with pypdf."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from dikjamila.reports.csv_export import report_csv
from dikjamila.reports.numbers import id_int

from .report_data import fill


@pytest.fixture(scope="module")
def made(tmp_path_factory, staffed_template):
    """One filled office, its November report, and the desk's PDF and CSV of that report."""
    from tests.support import copied_office

    with copied_office(staffed_template, tmp_path_factory.mktemp("outputs") / "kantor") as office:
        fill(office)
        desk = office.desk(office.actor_for("hasan"))
        report = desk.service_report("2026-11")
        yield report, desk.report_pdf(report), desk.report_csv(report), desk


def sections(text: str, delimiter: str = ",") -> dict[str, list[list[str]]]:
    """Title -> rows (header first) of each blank-line separated section."""
    assert text.startswith("\ufeff")
    found: dict[str, list[list[str]]] = {}
    title = None
    for row in csv.reader(io.StringIO(text[1:]), delimiter=delimiter):
        if not row:
            title = None
        elif title is None:
            title = row[0]
            found[title] = []
        else:
            found[title].append(row)
    return found


def _num(value: float | None, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}"


def test_the_csv_holds_every_figure(made):
    report, _pdf, text, _desk = made
    got = sections(text)
    assert list(got) == ["Laporan layanan", "Ringkasan", "Per layanan", "Per kecamatan", "Per saluran",
                         "Per status", "IKM per unsur", "Keterangan"]
    head = dict(got["Laporan layanan"][1:])
    assert head["Periode"] == "November 2026" and head["Kode periode"] == "2026-11"
    assert head["Kepala rantai audit"] == str(report.chain_head)
    assert head["Hari kerja"] == str(report.working_days)
    t, c, ikm = report.times, report.complaints, report.ikm
    summary = dict(got["Ringkasan"][1:])
    assert summary == {
        "Permohonan diterima": str(report.received), "Penduduk dilayani": str(report.residents),
        "Permohonan terbit": str(t.issued), "Waktu layanan median (jam)": _num(t.median_hours),
        "Waktu layanan P90 (jam)": _num(t.p90_hours), "Terbit tepat waktu": str(t.within_target),
        "Terbit tepat waktu (%)": _num(t.within_target_share * 100),
        "Permohonan yang menunggu berkas": str(t.waited),
        "Lama menunggu berkas median (jam)": _num(t.wait_median_hours),
        "Lama menunggu berkas total (jam)": _num(t.wait_total_hours),
        "Dokumen terkirim": str(report.documents_sent), "Pengaduan diterima": str(c.received),
        "Pengaduan diselesaikan": str(c.resolved), "Pengaduan belum selesai": str(c.open),
        "Pengaduan diselesaikan (%)": _num(c.ratio * 100), "Standar pengaduan diselesaikan (%)": "91.00",
        "IKM": ikm.ikm_text.replace(",", "."), "Mutu IKM": ikm.grade, "Kinerja IKM": ikm.grade_label,
        "Responden IKM": str(ikm.respondents),
    }
    services = got["Per layanan"]
    assert services[0][:4] == ["Kode", "Layanan", "Diterima", "Terbit"]
    assert [(r[0], r[1], int(r[2]), int(r[3]), r[4], r[6]) for r in services[1:]] == [
        (s.key, s.label, s.received, s.times.issued, _num(s.times.median_hours), str(s.times.within_target))
        for s in report.by_service]
    for title, rows in (("Per kecamatan", report.by_kecamatan), ("Per saluran", report.by_channel),
                        ("Per status", report.by_status)):
        assert [(r[0], r[1], int(r[2])) for r in got[title][1:]] == [(r.key, r.label, r.count) for r in rows]
    assert [r[2] for r in got["IKM per unsur"][1:]] == [f"{v:.3f}" for v in ikm.nrr]
    assert len(got["Keterangan"]) > 8


def test_the_regional_csv_uses_semicolons_and_decimal_commas(made):
    report = made[0]
    got = sections(report_csv(report, regional=True), delimiter=";")
    summary = dict(got["Ringkasan"][1:])
    assert summary["Waktu layanan median (jam)"] == _num(report.times.median_hours).replace(".", ",")
    assert summary["IKM"] == report.ikm.ikm_text
    assert got["Per layanan"][1][1] == report.by_service[0].label


def test_the_pdf_reads_back_with_period_totals_ikm_and_chain_head(made):
    report, generated, _csv, _desk = made
    file_name, data = generated
    assert file_name == "laporan-layanan-2026-11.pdf" and data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert "November 2026" in text and "LAPORAN PELAYANAN ADMINISTRASI KEPENDUDUKAN" in text
    assert "DISDUKCAPIL KABUPATEN BALANGAN" in text
    assert re.search(rf"Permohonan diterima\s+{re.escape(id_int(report.received))}\b", text)
    assert re.search(rf"Permohonan terbit\s+{re.escape(id_int(report.times.issued))}\b", text)
    assert re.search(r"Nilai IKM\s*:\s*" + re.escape(report.ikm.ikm_text), text)
    assert re.fullmatch(r"\d{2},\d{2}", report.ikm.ikm_text)
    assert f"{report.ikm.ikm_text} ({report.ikm.grade}, {report.ikm.grade_label})" in text
    assert str(report.chain_head) in text  # in full, to type into `audit verify --head`
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page
        assert f"Kepala rantai audit: {report.chain_head.short}" in page
    for title in ("Gambar 1. Permohonan diterima per layanan", "Gambar 2. Permohonan diterima per kecamatan",
                  "Gambar 3. Permohonan diterima per saluran", "Gambar 4. Nilai rata-rata (NRR) per unsur"):
        assert title in text
    assert reader.metadata.title == "Laporan Pelayanan Administrasi Kependudukan \u2014 November 2026"


def test_the_same_report_gives_the_same_pdf_bytes(made):
    from dikjamila.reports.report_pdf import report_pdf

    report = made[0]
    args = {"office_name": "Disdukcapil Kabupaten Balangan", "office_address": "Paringin"}
    assert report_pdf(report, **args) == report_pdf(report, **args)



def test_a_period_without_any_data_still_makes_both_files(made):
    desk = made[3]
    report = desk.service_report("2026-06-15")
    assert (report.received, report.times.issued, report.ikm.respondents) == (0, 0, 0)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(desk.report_pdf(report).data)).pages)
    assert "15 Juni 2026" in text and "Tidak ada permohonan yang diterima dalam periode ini." in text
    assert "Belum ada responden survei kepuasan dalam periode ini." in text and str(report.chain_head) in text
    assert "Gambar 1." not in text
    summary = dict(sections(desk.report_csv(report))["Ringkasan"][1:])
    assert summary["Permohonan diterima"] == "0" and summary["IKM"] == "" and summary["Waktu layanan median (jam)"] == ""
