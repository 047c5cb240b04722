"""What the dashboard shows for a `ServiceReport`, as text: its tiles and its charts' rows.

Pure functions (no Qt), so the figures can be checked against the report without a window.
Numbers are written as an Indonesian reader expects (`dikjamila.reports.numbers`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from dikjamila.i18n import tr
from dikjamila.reports.ikm import ELEMENT_LABELS, ELEMENTS
from dikjamila.reports.model import CountRow, ServiceReport
from dikjamila.reports.numbers import id_decimal, id_int, id_percent

#: Tile key -> caption, in the order they are laid out (five to a row).
CAPTIONS = {
    "received": "Permohonan diterima",
    "residents": "Penduduk dilayani",
    "on_time": "Selesai tepat waktu",
    "median": "Waktu layanan, median (jam)",
    "p90": "Waktu layanan, P90 (jam)",
    "documents": "Dokumen terkirim",
    "complaints": "Pengaduan diterima",
    "complaint_ratio": "Pengaduan diselesaikan",
    "ikm": "Indeks Kepuasan Masyarakat (IKM)",
    "waited": "Menunggu berkas pemohon",
}
_IKM_STATES = {"A": "good", "B": "good", "C": "warn", "D": "bad"}


@dataclass(frozen=True)
class Figure:
    value: str
    detail: str = ""
    state: str = ""  # "" | "good" | "warn" | "bad"


def _hours(value: float | None) -> str:
    return id_decimal(value, 1)


def _days_note(hours: float | None) -> str:
    return tr(" (≈ {days} hari)", days=id_decimal(hours / 24, 1)) if hours is not None and hours >= 48 else ""


def tile_figures(report: ServiceReport) -> dict[str, Figure]:
    """Every tile's figure, keyed as `CAPTIONS`."""
    t, c, ikm = report.times, report.complaints, report.ikm
    if c.ratio is None:
        ratio_state = ""
    else:
        ratio_state = "good" if c.ratio >= c.target_ratio else "bad"
    return {
        "received": Figure(id_int(report.received), tr("{n} ditolak", n=id_int(report.rejected))),
        "residents": Figure(id_int(report.residents), tr("NIK berbeda (atau nomor HP)")),
        "on_time": Figure(id_percent(t.within_target_share),
                          tr("{n} dari {issued} yang terbit, sesuai target SOP",
                             n=id_int(t.within_target), issued=id_int(t.issued))),
        "median": Figure(_hours(t.median_hours),
                         tr("dari {n} permohonan terbit", n=id_int(t.issued)) + _days_note(t.median_hours)),
        "p90": Figure(_hours(t.p90_hours), tr("90% terbit dalam waktu ini") + _days_note(t.p90_hours)),
        "documents": Figure(id_int(report.documents_sent), tr("PDF terkirim lewat WhatsApp")),
        "complaints": Figure(id_int(c.received), tr("{resolved} selesai, {open} belum",
                                                    resolved=id_int(c.resolved), open=id_int(c.open))),
        "complaint_ratio": Figure(id_percent(c.ratio), tr("standar paling sedikit {target}",
                                                          target=id_percent(c.target_ratio, 0)), ratio_state),
        "ikm": Figure(ikm.ikm_text,
                      tr("Mutu {grade} ({label}), {n} responden", grade=ikm.grade, label=ikm.grade_label,
                         n=id_int(ikm.respondents)) if ikm.respondents else tr("Belum ada responden"),
                      _IKM_STATES.get(ikm.grade, "")),
        "waited": Figure(id_int(t.waited),
                         tr("median {hours} jam menunggu; tidak dihitung waktu layanan",
                            hours=_hours(t.wait_median_hours)) if t.waited else tr("tidak ada yang menunggu")),
    }


def count_rows(rows: tuple[CountRow, ...], *, skip_empty_unknown: bool = True) -> list[tuple[str, int]]:
    """A breakdown as chart rows; the "unknown" line only when it counts something."""
    return [(r.label, r.count) for r in rows if r.count or r.key or not skip_empty_unknown]


def service_rows(report: ServiceReport) -> list[tuple[str, int]]:
    """Requests received per service, most requested first (a service not chosen yet only when
    some request has none)."""
    return [(r.label, r.received) for r in report.by_service if r.received or r.key]


def ikm_rows(report: ServiceReport) -> tuple[list[tuple[str, float]], list[str]]:
    """The NRR per element U1..U9 and each element's name (for tooltips); empty without
    respondents."""
    if not report.ikm.respondents:
        return [], []
    return (list(zip(ELEMENTS, report.ikm.nrr, strict=True)),
            [f"{e} {tr(name)}" for e, name in zip(ELEMENTS, ELEMENT_LABELS, strict=True)])


def ikm_legend_html(report: ServiceReport) -> str:
    """The IKM's elements with their names and NRR (beside the column chart), and the index."""
    ikm = report.ikm
    values = ikm.nrr if ikm.respondents else (None,) * len(ELEMENTS)
    rows = "".join(
        f"<tr><td style='color:#64748b; padding-right:8px'>{e}</td><td style='padding-right:14px'>"
        f"{html.escape(tr(name))}</td><td align='right'>{id_decimal(v, 2) if v is not None else '-'}</td></tr>"
        for e, name, v in zip(ELEMENTS, ELEMENT_LABELS, values, strict=True))
    if ikm.respondents:
        head = tr("IKM {value} — mutu {grade} ({label}); {n} responden", value=ikm.ikm_text, grade=ikm.grade,
                  label=ikm.grade_label, n=id_int(ikm.respondents))
    else:
        head = tr("Belum ada responden dalam periode ini.")
    return (f"<p style='margin:10px 0 6px 0'><b>{html.escape(head)}</b></p>"
            f"<table cellspacing='0' cellpadding='2'><tr><th align='left'>{tr('Unsur')}</th>"
            f"<th align='left'>{tr('Uraian')}</th><th align='right'>{tr('NRR')}</th></tr>{rows}</table>")
