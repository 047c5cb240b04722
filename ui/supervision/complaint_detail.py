"""One complaint as the complaints window's detail shows it (HTML for a QTextBrowser)."""

from __future__ import annotations

import html

from dikjamila.desk.complaint_records import (
    COMPLAINT_CHANNEL_LABELS,
    COMPLAINT_OUTCOME_LABELS,
    ComplaintInfo,
    ComplaintStatus,
)
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from ui.supervision.complaints_model import (
    STATUS_COLOURS,
    complainant_text,
    label_of,
    status_text,
)

MUTED = "#64748b"


def _when(value) -> str:
    return value.astimezone(WITA).strftime("%d-%m-%Y %H:%M") + " WITA" if value else "—"


def _row(name: str, value: str) -> str:
    return (f"<tr><td style='color:{MUTED}; padding-right: 10px; white-space: nowrap;'>{html.escape(name)}</td>"
            f"<td>{value}</td></tr>")


def _paragraphs(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def detail_html(c: ComplaintInfo) -> str:
    """Who, when, how, about which request, the text; who handles it; the outcome and whether
    the resident was told."""
    colour = STATUS_COLOURS.get(c.status, "#374151")
    rows = [
        _row(tr("Pengadu"), html.escape(complainant_text(c))),
        _row(tr("Diterima"), html.escape(_when(c.received_at))),
        _row(tr("Saluran"), html.escape(label_of(COMPLAINT_CHANNEL_LABELS, c.channel))
             + (html.escape(tr(" (dari pesan WhatsApp)")) if c.message_id is not None else "")),
        _row(tr("Permohonan"), html.escape(c.request_number or "—")),
        _row(tr("Status"), f"<span style='color:{colour}; font-weight:600'>{html.escape(status_text(c))}</span>"),
        _row(tr("Petugas"), html.escape(c.assignee_name or "—")),
    ]
    fields = f"<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>"
    words = [f"<b>{html.escape(tr('Isi pengaduan'))}</b><br>{_paragraphs(c.text)}"]
    if c.status == ComplaintStatus.RESOLVED:
        told = (tr("Hasil dikirim ke pengadu lewat WhatsApp (antrean kirim).") if c.notice_item_id is not None
                else tr("Tanpa nomor WhatsApp: hasil disampaikan langsung."))
        words.append(
            f"<b>{html.escape(tr('Hasil'))}</b>: {html.escape(label_of(COMPLAINT_OUTCOME_LABELS, c.outcome))}"
            f" — {html.escape(_when(c.resolved_at))}<br>{_paragraphs(c.resolution)}"
            f"<br><span style='color:{MUTED}'>{html.escape(told)}</span>")
    text = "".join(f"<p style='margin:0 0 8px 0'>{w}</p>" for w in words)
    # Two columns: the facts at the left, the words (complaint and answer) at the right.
    return (f"<h3 style='margin:0 0 6px 0'>{html.escape(tr('Pengaduan #{id}', id=c.id))}</h3>"
            f"<table width='100%' cellspacing='0' cellpadding='0'><tr>"
            f"<td width='40%' valign='top' style='padding-right:16px'>{fields}</td>"
            f"<td valign='top'>{text}</td></tr></table>")
