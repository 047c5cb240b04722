"""The values a quick reply is filled with, from the request on screen.

The operator reads and edits the rendered text before it is sent, so `langkah` ("what happens
next") only needs to be a sensible start for the request's status.
"""

from __future__ import annotations

from dikjamila.desk import RequestDetail
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.lifecycle import label as status_label

NEXT_STEP = {
    Status.BARU: "Permohonan Anda sedang menunggu pemeriksaan petugas. Kami akan mengabari Anda.",
    Status.DIPERIKSA: "Berkas Anda sedang kami periksa. Kami akan mengabari bila ada yang perlu dilengkapi.",
    Status.BERKAS_KURANG: "Mohon kirim berkas yang masih kurang dengan membalas pesan ini.",
    Status.DIPROSES: "Berkas Anda sudah lengkap dan dokumen sedang diproses. Kami kabari bila sudah terbit.",
    Status.TERBIT: "Dokumen Anda sudah terbit dan akan kami kirim lewat WhatsApp ini.",
    Status.TERKIRIM: "Dokumen Anda sudah kami kirim lewat WhatsApp ini. Silakan dicetak di kertas HVS A4.",
    Status.SELESAI: "Permohonan Anda sudah selesai.",
    Status.DITOLAK: "Permohonan Anda tidak dapat kami proses.",
}


def quick_reply_values(detail: RequestDetail, service_name: str) -> dict[str, str]:
    """Every placeholder a template may use (`dikjamila.whatsapp.templates`), for this request."""
    step = tr(NEXT_STEP.get(Status(detail.status), ""))
    if detail.status == Status.DITOLAK and detail.reject_reason:
        step += " " + tr("Alasan: {reason}", reason=detail.reject_reason)
    return {"nomor": detail.number, "layanan": service_name, "nama": detail.applicant_name,
            "status": status_label(detail.status), "langkah": step}
