"""A request's status as a resident at the kiosk reads it: the status in plain words and what
happens next. Nothing else about the request is ever shown there."""

from __future__ import annotations

from dikjamila.i18n import tr
from dikjamila.lifecycle import label

#: Not office statuses: still at this kiosk, and arrived at the office but not registered yet.
WAITING_HERE, ARRIVED = "tertunda", "tiba"

# status → (status text, next step), source texts for `tr`; `terbit`/`selesai` differ for cards.
_WORDS = {
    WAITING_HERE: ("Belum terkirim ke kantor",
                   "Permohonan tersimpan di kios ini dan dikirim otomatis saat kios terhubung ke kantor."),
    ARRIVED: ("Sudah sampai di kantor",
              "Petugas segera mencatatnya. Nomor permohonan dari kantor dikirim ke WhatsApp Anda."),
    "baru": ("Sudah diterima kantor", "Menunggu diperiksa petugas. Kabar berikutnya dikirim ke WhatsApp Anda."),
    "diperiksa": ("Sedang diperiksa petugas", "Tunggu pesan WhatsApp dari kantor."),
    "berkas_kurang": ("Berkas belum lengkap",
                      "Baca pesan WhatsApp dari kantor tentang berkas yang perlu dilengkapi, lalu kirimkan."),
    "diproses": ("Sedang diproses", "Dokumen sedang dibuat. Tunggu pesan WhatsApp dari kantor."),
    "terbit": ("Dokumen sudah jadi", "Dokumen segera dikirim ke WhatsApp Anda."),
    "terkirim": ("Dokumen sudah dikirim ke WhatsApp Anda", "Buka pesan dari kantor, simpan, lalu cetak dokumennya."),
    "selesai": ("Selesai", "Dokumen sudah dikirim ke WhatsApp Anda. Bila belum menerimanya, hubungi kantor."),
    "ditolak": ("Tidak dapat diproses", "Alasannya dikirim lewat WhatsApp. Hubungi kantor bila ada pertanyaan."),
}
_CARD_WORDS = {
    "terbit": ("Kartu sudah jadi", "Kartu dapat diambil di kantor Disdukcapil. Bawa tanda terima dan KK."),
    "selesai": ("Selesai", "Kartu sudah diambil."),
}


def status_words(status: str, *, card: bool = False) -> tuple[str, str]:
    """(status text, next step) for `status`; `card`: the service ends in a card picked up."""
    words = (_CARD_WORDS.get(status) if card else None) or _WORDS.get(status)
    if words is None:
        try:
            return label(status), tr("Tunggu pesan WhatsApp dari kantor.")
        except ValueError:
            return status, tr("Tunggu pesan WhatsApp dari kantor.")
    return tr(words[0]), tr(words[1])
