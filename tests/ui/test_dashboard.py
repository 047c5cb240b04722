""""Dasbor layanan": this month's figures from real requests, complaints and survey answers,
another period on request, the CSV export, and the refusals shown inside the window."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from fractions import Fraction

import pytest
from PySide6.QtCore import Qt

from dikjamila.desk.timezone import WITA
from dikjamila.reports.ikm import format_two_decimals
from dikjamila.reports.period import MONTHS
from tests.core.conftest import new_request
from tests.whatsapp_support import NIK, terbit_request

TIMEOUT = 15_000
SURVEYS = ([4, 4, 3, 4, 3, 4, 4, 4, 3], [3, 3, 2, 4, 4, 3, 3, 3, 2])
PLAIN = [("akta_kelahiran", "6311054506900011", "63.11.01"), ("akta_kelahiran", "6311054506900012", "63.11.02"),
         ("kia", "6311054506900013", "63.11.02"), ("ktp_baru", "6311054506900014", "63.11.05"),
         ("akta_kematian", "6311054506900015", "63.11.05")]


def _office_month(office) -> dict:
    """Requests, complaints and answers made through the desk now (this month), and what the
    dashboard should show for them — counted here from what was made, not from the report."""
    sari = office.desk(office.actor_for("sari"))
    hasan = office.desk(office.actor_for("hasan"))
    made = []
    for service, nik, kec in PLAIN:
        made.append(sari.create_request(new_request(service_code=service, applicant_nik=nik, kecamatan_code=kec)))
    sari.claim(made[-1].id)
    sari.reject(made[-1].id, "Berkas bukan milik pemohon")
    finished = []
    for _ in SURVEYS:
        rid = terbit_request(sari)  # a KK request (kk_hilang_rusak) of NIK, issued at once
        sari.advance(rid, "terkirim")
        finished.append(rid)
    for rid, scores in zip(finished, SURVEYS, strict=True):
        sari.record_survey(rid, scores)
    complaints = [sari.record_complaint(channel="walk_in", text=f"Antrean lama, hari ke-{i}", phone="0813-5000-1111")
                  for i in range(3)]
    for c in complaints[:2]:
        hasan.resolve_complaint(c.id, outcome="selesai", resolution="Loket tambahan sudah dibuka.")
    received = len(PLAIN) + len(finished)
    totals = [sum(s[i] for s in SURVEYS) for i in range(9)]
    ikm = sum((Fraction(t, len(SURVEYS)) for t in totals), Fraction(0)) / 9 * 25
    return {
        "received": str(received),
        "residents": str(len({nik for _s, nik, _k in PLAIN} | {NIK})),
        "rejected": "1 ditolak",
        "on_time": "100,0%",
        "on_time_detail": f"{len(finished)} dari {len(finished)} yang terbit, sesuai target SOP",
        "complaints": "3",
        "complaint_detail": "2 selesai, 1 belum",
        "complaint_ratio": "66,7%",
        "ikm": format_two_decimals(ikm, ","),
        "respondents": f"{len(SURVEYS)} responden",
        "akta_kelahiran": sum(1 for s, _n, _k in PLAIN if s == "akta_kelahiran"),
    }


def _dashboard(qtbot, make_ctx, office, username="hasan"):
    from ui.main_window import MainWindow

    window = MainWindow(make_ctx(office, username))
    qtbot.addWidget(window)
    actions = [a.text() for a in window.supervision.menu.actions()]
    assert "Dasbor layanan…" in actions
    dashboard = window.supervision.open_dashboard()
    assert window.supervision.open_dashboard() is dashboard  # one window, brought to the front
    qtbot.waitUntil(lambda: dashboard.loads >= 1, timeout=TIMEOUT)
    return window, dashboard


def test_this_month_is_shown_as_counted_from_the_rows(qtbot, make_ctx, ui_office):
    expected = _office_month(ui_office)
    _window, dash = _dashboard(qtbot, make_ctx, ui_office)
    now = datetime.now(WITA)
    assert dash.report.period.code == f"{now.year}-{now.month:02d}"
    assert dash.heading.text() == f"Laporan layanan {MONTHS[now.month - 1]} {now.year}"
    tiles = dash.tiles
    assert tiles["received"].value_text() == expected["received"]
    assert tiles["received"].detail_text() == expected["rejected"]
    assert tiles["residents"].value_text() == expected["residents"]
    assert tiles["on_time"].value_text() == expected["on_time"]
    assert tiles["on_time"].detail_text() == expected["on_time_detail"]
    assert tiles["complaints"].value_text() == expected["complaints"]
    assert tiles["complaints"].detail_text() == expected["complaint_detail"]
    assert tiles["complaint_ratio"].value_text() == expected["complaint_ratio"]
    assert "91%" in tiles["complaint_ratio"].detail_text()
    assert tiles["ikm"].value_text() == expected["ikm"]
    assert expected["respondents"] in tiles["ikm"].detail_text()
    assert tiles["documents"].value_text() == "0"  # the issued PDFs were never sent
    assert float(tiles["median"].value_text().replace(",", ".")) < 1  # issued within the test's seconds

    services = dict(dash.service_chart.rows)
    assert services["Akta Kelahiran"] == expected["akta_kelahiran"]
    assert sum(services.values()) == int(expected["received"])
    assert sum(v for _label, v in dash.status_chart.rows) == int(expected["received"])
    assert [label for label, _v in dash.ikm_chart.rows] == [f"U{i}" for i in range(1, 10)]
    assert dash.ikm_chart.rows[0][1] == pytest.approx((4 + 3) / 2)
    assert str(dash.report.chain_head.short) in dash.subheading.text()
    assert "Kepala rantai audit" in dash.notes.text() and dash.content.isVisibleTo(dash)
    assert dash.message_text() == ""


def test_changing_the_period_loads_it(qtbot, make_ctx, ui_office):
    expected = _office_month(ui_office)
    _window, dash = _dashboard(qtbot, make_ctx, ui_office)
    now = datetime.now(WITA)
    dash.picker.set_year(now.year)
    qtbot.waitUntil(lambda: dash.report.period.code == str(now.year), timeout=TIMEOUT)
    assert dash.tiles["received"].value_text() == expected["received"]
    assert dash.heading.text() == f"Laporan layanan Tahun {now.year}"

    dash.picker.set_year(now.year - 1)  # before anything was made
    qtbot.waitUntil(lambda: dash.report.period.code == str(now.year - 1), timeout=TIMEOUT)
    assert dash.tiles["received"].value_text() == "0"
    assert dash.tiles["ikm"].value_text() == "-" and dash.tiles["ikm"].detail_text() == "Belum ada responden"
    assert dash.ikm_chart.rows == []

    dash.picker.set_day(now.date())
    qtbot.waitUntil(lambda: dash.report.period.code == now.date().isoformat(), timeout=TIMEOUT)
    assert dash.tiles["received"].value_text() == expected["received"]


def test_the_csv_export_writes_what_the_core_returns(qtbot, make_ctx, ui_office, tmp_path):
    expected = _office_month(ui_office)
    _window, dash = _dashboard(qtbot, make_ctx, ui_office)
    target = tmp_path / "laporan.csv"
    offered = []
    dash.exporter.choose_csv_path = lambda suggested: offered.append(suggested) or (target, False)
    qtbot.mouseClick(dash.csv_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dash.message_text().startswith("CSV disimpan"), timeout=TIMEOUT)
    assert offered == [f"laporan-layanan-{dash.report.period.code}.csv"]
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\r\r\n" not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    values = {row[0]: row[1] for row in rows if len(row) == 2}
    assert values["Permohonan diterima"] == expected["received"]
    assert values["IKM"] == expected["ikm"].replace(",", ".")
    assert values["Kode periode"] == dash.report.period.code


def test_the_pdf_export_opens_the_preview(qtbot, make_ctx, ui_office):
    _office_month(ui_office)
    _window, dash = _dashboard(qtbot, make_ctx, ui_office)
    dash.pdf_button.click()
    qtbot.waitUntil(lambda: dash.exporter.preview is not None, timeout=30_000)
    preview = dash.exporter.preview
    qtbot.waitUntil(lambda: preview.page_count() >= 1, timeout=TIMEOUT)
    assert preview.file_name() == f"laporan-layanan-{dash.report.period.code}.pdf"
    assert preview.data().startswith(b"%PDF")
    assert dash.pdf_button.isEnabled()


def test_an_operator_is_refused_inside_the_window(qtbot, make_ctx, ui_office):
    from ui.supervision.dashboard import ServiceDashboard

    dash = ServiceDashboard(make_ctx(ui_office, "sari"))
    qtbot.addWidget(dash)
    dash.show()
    qtbot.waitUntil(lambda: "tidak boleh" in dash.message_text(), timeout=TIMEOUT)
    assert not dash.content.isVisibleTo(dash) and not dash.csv_button.isEnabled()


def test_a_period_the_core_refuses_is_explained(qtbot, make_ctx, ui_office):
    _window, dash = _dashboard(qtbot, make_ctx, ui_office)
    dash.picker.code = lambda: "2026-13"
    dash.load()
    assert "bulan 13 tidak ada" in dash.message_text()

