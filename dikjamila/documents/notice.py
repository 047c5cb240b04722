"""The missing-documents notice (pemberitahuan kekurangan berkas), the paper twin of the
"berkas kurang" WhatsApp message.

Its list comes from the same completeness report as the message (`dikjamila.sop.check`):
one line per blocking requirement; alternatives (a requirement group not yet met) as one
line naming the choices, "A, atau B dan C"; an eligibility rule the facts do not satisfy
yet. Wording is the resident's, not the operator's: "lengkapi data ... dulu" becomes "may be
needed, depending on ...".

The bytes depend only on `NoticeData`; the notice is dated by day, so printing or sending it
twice on one day for the same request state gives the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from dikjamila.documents.pdf_base import FAMILY, OfficePdf
from dikjamila.documents.wording import WITA, long_date, long_datetime
from dikjamila.i18n import tr
from dikjamila.sop.condition import lower_first
from dikjamila.sop.facts import FACTS
from dikjamila.sop.message import join_all, join_alternatives
from dikjamila.sop.model import CompletenessReport, ItemResult, ItemState, Sop


@dataclass(frozen=True)
class MissingLine:
    """One thing the resident still has to send or tell."""

    label: str
    detail: str = ""


@dataclass(frozen=True)
class NoticeData:
    office_name: str
    office_address: str
    number: str
    applicant_name: str
    service_name: str
    received_at: datetime
    notice_date: date  # the office day the notice is made (WITA)
    missing: tuple[MissingLine, ...]
    office_whatsapp: str = ""
    place: str = "Paringin"  # where the office signs, before the date


def _facts_text(names: tuple[str, ...]) -> str:
    return join_all([lower_first(tr(FACTS[n].label)) if n in FACTS else n for n in names])


def _condition_text(sop: Sop, code: str) -> str:
    """Why a requirement may apply, e.g. "pemohon bukan yang bersangkutan"."""
    requirement = next((r for r in sop.requirements if r.code == code), None)
    group = sop.group_of(code)
    conditions = [c for c in (group.when if group else None, requirement.when if requirement else None) if c]
    return join_all([c.describe() for c in conditions])


def _item_detail(item: ItemResult, sop: Sop) -> str:
    if item.needs_facts:
        why = _condition_text(sop, item.code)
        detail = (tr("diperlukan bila {why}; petugas akan memastikan", why=why) if why else
                  tr("mungkin diperlukan, tergantung {facts}; petugas akan memastikan",
                     facts=_facts_text(item.needs_facts)))
    elif item.state is ItemState.INVALID:
        detail = item.reason
    elif item.files:
        detail = item.reason  # "perlu 2 berkas, baru ada 1"
    else:
        detail = tr("belum diterima")
    return f"{detail}. {item.note}" if item.note else detail


def missing_lines(report: CompletenessReport, sop: Sop) -> tuple[MissingLine, ...]:
    """What the notice lists, in checklist order (see the module docstring)."""
    by_code = {item.code: item for item in report.items if item.kind == "document"}
    unmet = {g.code for g in report.groups if g.state is ItemState.MISSING}
    lines: list[MissingLine] = []
    for item in report.items:
        if item.kind != "eligibility" or not item.blocking:
            continue
        if item.state is ItemState.INVALID:
            lines.append(MissingLine(item.label, tr("belum terpenuhi menurut data permohonan")))
        else:
            lines.append(MissingLine(item.label, tr("mohon sampaikan {facts}",
                                                    facts=_facts_text(item.needs_facts))))
    listed: set[str] = set()
    for item in report.items:
        if item.kind != "document":
            continue
        if item.group in unmet:
            if item.group in listed:
                continue
            listed.add(item.group)
            group = next(g for g in sop.groups if g.code == item.group)
            options = []
            for option in group.one_of:
                todo = [by_code[c].label for c in option
                        if c in by_code and by_code[c].state not in (ItemState.OK, ItemState.NOT_APPLICABLE)]
                if todo:
                    options.append(join_all(todo))
            lines.append(MissingLine(group.label, tr("salah satu: {choices}",
                                                     choices=join_alternatives(options))))
        elif item.blocking:
            lines.append(MissingLine(item.label, _item_detail(item, sop)))
    return tuple(lines)


def build_missing_notice(data: NoticeData) -> bytes:
    """The notice as PDF bytes."""
    pdf = OfficePdf(created_at=datetime.combine(data.notice_date, time(8, 0), tzinfo=WITA))
    pdf.set_title(tr("Pemberitahuan kekurangan berkas {number}", number=data.number))
    pdf.set_author(data.office_name)
    pdf.footer_note = tr("Pemberitahuan kekurangan berkas {number} — dibuat oleh sistem Dik Jamila, "
                         "sah tanpa tanda tangan.", number=data.number)
    pdf.add_page()
    pdf.letterhead(data.office_name, data.office_address, tr("Pemberitahuan Kekurangan Berkas"))
    pdf.key_values([
        (tr("Nomor permohonan"), data.number),
        (tr("Nama pemohon"), data.applicant_name),
        (tr("Layanan"), data.service_name),
        (tr("Diterima"), long_datetime(data.received_at)),
    ], label_width=42)
    pdf.ln(3)
    name = " ".join(data.applicant_name.split())
    pdf.paragraph(tr("Yth. Bapak/Ibu {name},", name=name) if name else tr("Yth. Bapak/Ibu,"))
    pdf.ln(1)
    pdf.paragraph(tr(
        "Terima kasih telah mengajukan permohonan {service}. Setelah kami periksa, berkas "
        "berikut masih perlu dilengkapi:", service=data.service_name))
    pdf.ln(2)
    if data.missing:
        rows = [(str(n), line.label, line.detail) for n, line in enumerate(data.missing, 1)]
        pdf.table([tr("No"), tr("Berkas/persyaratan"), tr("Keterangan")], rows,
                  widths=(10, 78, 86), aligns=("C", "L", "L"))
    else:
        pdf.paragraph(tr("Tidak ada lagi berkas yang kurang; permohonan Anda sudah lengkap."))
    _next_steps(pdf, data)
    _closing(pdf, data)
    return pdf.output_bytes()


def _next_steps(pdf: OfficePdf, data: NoticeData) -> None:
    # NOTE: no line break inside a phone number ("+62 811-..." split over two lines).
    where = (tr("nomor WhatsApp layanan {number}", number=data.office_whatsapp.replace(" ", "\u00a0"))
             if data.office_whatsapp else tr("nomor WhatsApp layanan yang Anda hubungi"))
    pdf.heading(tr("Yang perlu Anda lakukan"))
    steps = [
        tr("Kirim berkas di atas dengan membalas pesan ke {where}, atau bawa ke kantor atau kios "
           "layanan desa.", where=where),
        tr("Kirim foto yang jelas (seluruh tulisan terbaca, tidak terpotong, tidak buram) atau "
           "file PDF."),
        tr("Sebutkan nomor permohonan {number} bila mengirim dari nomor lain.", number=data.number),
        tr("Permohonan diproses setelah berkas lengkap; waktu menunggu kelengkapan berkas tidak "
           "dihitung dalam waktu layanan."),
    ]
    pdf.set_font(FAMILY, "", 10)
    for n, step in enumerate(steps, 1):
        if pdf.will_page_break(6):
            pdf.add_page()
        pdf.cell(7, 5.4, f"{n}.")
        pdf.multi_cell(0, 5.4, step, align="L", new_x="LMARGIN", new_y="NEXT")


def _closing(pdf: OfficePdf, data: NoticeData) -> None:
    if pdf.will_page_break(26):
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 10)
    column = min(pdf.epw, max(78.0, pdf.get_string_width(data.office_name) + 6))
    x = pdf.w - pdf.r_margin - column
    pdf.set_font(FAMILY, "", 10)
    for text in (f"{data.place}, {long_date(data.notice_date)}", tr("Hormat kami,")):
        pdf.set_x(x)
        pdf.cell(column, 5.4, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x)
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(column, 5.4, data.office_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
