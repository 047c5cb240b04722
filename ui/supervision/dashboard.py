""""Dasbor layanan": a supervisor's view of a day, month or year of the office's work.

The figures come from `Desk.service_report(period)` on the database worker (the desk checks
the right to see reports; an operator's refusal is shown in the window). Tiles and charts are
filled from the report by `ui.supervision.dashboard_figures`; the footnotes say what each
figure counts, and the audit chain head is shown so a printed copy can be checked later.
Changing the period loads again (after a short pause, so spinning a year loads once); a
change to the data while the window is open only says so — reading a year's figures is not
free, the supervisor clicks "Muat" when wanted. Exports: `ui.supervision.report_export`.
"""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dikjamila.changes import ChangeSet
from dikjamila.desk.timezone import WITA
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.reports.footnotes import footnotes
from dikjamila.reports.model import ServiceReport
from dikjamila.reports.period import Period
from ui.supervision.charts import BarChart, ColumnChart
from ui.supervision.dashboard_figures import (
    CAPTIONS,
    count_rows,
    ikm_legend_html,
    ikm_rows,
    service_rows,
    tile_figures,
)
from ui.supervision.period_picker import PeriodPicker
from ui.supervision.report_export import ReportExporter
from ui.supervision.tiles import CARD_STYLE, TileGrid

RELOAD_DELAY_MS = 300
MESSAGE_STYLES = {
    "error": "color: #991b1b; background: #fef2f2; border: 1px solid #fecaca;",
    "info": "color: #166534; background: #f0fdf4; border: 1px solid #bbf7d0;",
    "": "color: #1e3a8a; background: #eff6ff; border: 1px solid #bfdbfe;",
}


def card(parent: QWidget, *children: QWidget) -> QFrame:
    """A white card holding `children` side by side, at their top (the first one stretches)."""
    frame = QFrame(parent)
    frame.setObjectName("chartCard")
    frame.setStyleSheet(f"#chartCard {{ {CARD_STYLE.format(edge='#d8dee6')} }}")
    lay = QHBoxLayout(frame)
    lay.setContentsMargins(4, 4, 12, 4)
    for i, child in enumerate(children):
        lay.addWidget(child, 0 if i else 1, Qt.AlignmentFlag.AlignTop)
    return frame


class ServiceDashboard(QWidget):
    """A separate window. `loaded(ServiceReport)` after each load; `report` is the last one."""

    loaded = Signal(object)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.report: ServiceReport | None = None
        self.loads = 0
        self._asked = 0  # the number of the newest load asked for: older answers are dropped
        self.setWindowTitle(tr("Dasbor layanan — Dik Jamila"))
        self.exporter = ReportExporter(ctx, self)
        self.exporter.said.connect(self.show_message)
        self.exporter.busy_changed.connect(lambda busy: self._update_buttons())
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.load)
        self._build()
        ctx.bus.data_changed.connect(self._on_data_changed)
        self.resize(1340, 720)
        QTimer.singleShot(0, self, self.load)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.picker = PeriodPicker(self)
        self.picker.changed.connect(self._reload_timer.start)
        self.load_button = self._button(tr("Muat"), self.load, tr("Baca angka periode ini dari basis data"))
        self.pdf_button = self._button(tr("Ekspor PDF…"), self.export_pdf, tr("Laporan PDF untuk dicetak atau disimpan"))
        self.csv_button = self._button(tr("Ekspor CSV…"), self.export_csv, tr("Semua angka sebagai CSV untuk spreadsheet"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Periode:"), self))
        bar.addWidget(self.picker)
        bar.addWidget(self.load_button)
        bar.addStretch(1)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.csv_button)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.content = QWidget(self)
        self.heading = QLabel(self.content)
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1f2937;")
        self.subheading = QLabel(self.content)
        self.subheading.setStyleSheet("color: #64748b;")
        self.subheading.setWordWrap(True)
        self.subheading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tiles = TileGrid({k: tr(v) for k, v in CAPTIONS.items()}, 5, self.content)
        self.service_chart = BarChart(tr("Permohonan per layanan"), self.content)
        self.kecamatan_chart = BarChart(tr("Permohonan per kecamatan"), self.content)
        self.channel_chart = BarChart(tr("Permohonan per saluran"), self.content)
        self.status_chart = BarChart(tr("Permohonan per status (saat ini)"), self.content)
        self.ikm_chart = ColumnChart(tr("IKM per unsur (nilai rata-rata, skala 1–4)"), self.content,
                                     axis_title=tr("NRR"))
        self.ikm_chart.empty_text = tr("Belum ada survei IKM yang diisi dalam periode ini.")
        self.ikm_legend = QLabel(self.content)
        self.ikm_legend.setTextFormat(Qt.TextFormat.RichText)
        self.ikm_legend.setStyleSheet("border: none;")
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, charts in ((left, (self.service_chart, self.channel_chart)),
                               (right, (self.kecamatan_chart, self.status_chart))):
            column.setSpacing(10)
            for chart in charts:
                column.addWidget(card(self.content, chart))
            column.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(10)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        ikm_card = card(self.content, self.ikm_chart, self.ikm_legend)
        self.notes = QLabel(self.content)
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setStyleSheet("color: #475569; font-size: 8.5pt;")
        inner = QVBoxLayout(self.content)
        inner.setContentsMargins(12, 8, 12, 12)
        inner.setSpacing(10)
        inner.addWidget(self.heading)
        inner.addWidget(self.subheading)
        inner.addWidget(self.tiles)
        inner.addLayout(columns)
        inner.addWidget(ikm_card)
        inner.addWidget(self.notes)
        inner.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.content)
        self.content.hide()

        top = QVBoxLayout()
        top.setContentsMargins(12, 10, 12, 0)
        top.addLayout(bar)
        top.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        self._update_buttons()

    def _button(self, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: slot())
        return button

    # -- loading ------------------------------------------------------------------------------------
    def chosen_period(self) -> Period | None:
        """The picker's period, or None after saying why the core refuses it."""
        try:
            return self.picker.period()
        except UserError as exc:
            self.show_message(exc.message, "error")
            return None

    def load(self) -> None:
        """Read the figures of the chosen period on the database worker."""
        self._reload_timer.stop()
        period = self.chosen_period()
        if period is None:
            return
        self._asked += 1
        asked, desk = self._asked, self.ctx.desk
        self.show_message(tr("Membaca angka {label}…", label=period.label), "")
        self._update_buttons()
        self.ctx.submit(lambda: desk.service_report(period), self._guard(lambda r: self._loaded(asked, r)),
                        self._guard(lambda m: self._refused(asked, m)),
                        label=tr("Membaca laporan layanan…"))

    def _loaded(self, asked: int, report: ServiceReport) -> None:
        if asked != self._asked:
            return
        self.report = report
        self.loads += 1
        self.show_message("", "")
        self._show(report)
        self._update_buttons()
        self.loaded.emit(report)

    def _refused(self, asked: int, message: str) -> None:
        if asked != self._asked:
            return
        self.report = None
        self.content.hide()
        self.show_message(message, "error")
        self._update_buttons()

    def _on_data_changed(self, changes: ChangeSet) -> None:
        if self.report is not None and changes and not self.message_text():
            self.show_message(tr("Ada data yang berubah sejak angka ini dibaca. Klik \u201cMuat\u201d untuk "
                                 "memperbarui."), "")

    # -- showing ------------------------------------------------------------------------------------
    def _show(self, report: ServiceReport) -> None:
        self.heading.setText(tr("Laporan layanan {label}", label=report.period.label))
        built = report.built_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
        self.subheading.setText(tr("Angka dibaca {built} WITA  ·  Kepala rantai audit: {head}",
                                   built=built, head=report.chain_head.short))
        self.subheading.setToolTip(tr("Kepala rantai audit lengkap: {head}", head=str(report.chain_head)))
        for key, figure in tile_figures(report).items():
            self.tiles[key].show_figure(figure.value, figure.detail, figure.state)
        self.service_chart.set_rows(service_rows(report))
        self.kecamatan_chart.set_rows(count_rows(report.by_kecamatan))
        self.channel_chart.set_rows(count_rows(report.by_channel))
        self.status_chart.set_rows(count_rows(report.by_status))
        self.ikm_chart.set_rows(*ikm_rows(report))
        self.ikm_legend.setText(ikm_legend_html(report))
        items = "".join(f"<li>{html.escape(note)}</li>" for note in footnotes(report))
        self.notes.setText(f"<b>{html.escape(tr('Keterangan'))}</b>"
                           f"<ol style='margin-top: 4px; -qt-list-indent: 1;'>{items}</ol>")
        self.content.show()

    def show_message(self, text: str, level: str = "") -> None:
        self.message.setStyleSheet(MESSAGE_STYLES.get(level, MESSAGE_STYLES[""]) + "border-radius: 4px; padding: 4px 8px;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    def _update_buttons(self) -> None:
        ready = self.report is not None and not self.exporter.busy
        self.pdf_button.setEnabled(ready)
        self.csv_button.setEnabled(ready)

    # -- exports ------------------------------------------------------------------------------------
    # NOTE: the period of the figures on screen, not the picker's (it may have moved since).
    def export_pdf(self) -> None:
        if self.report is not None:
            self.exporter.export_pdf(self.report.period)

    def export_csv(self) -> None:
        if self.report is not None:
            self.exporter.export_csv(self.report.period)

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run
