"""The words a kiosk shows for a service and a yes/no question, plainer than the SOP's labels.

Only presentation: what is required still comes from the SOP. A service or fact missing here
(an office's own SOP, a new fact) gets a generic line made from its SOP name or fact label.
"""

from __future__ import annotations

from dikjamila.i18n import tr
from dikjamila.sop.condition import lower_first
from dikjamila.sop.facts import FACTS

# code → (one line: what it is for, icon name in resources/kiosk/icons). Source texts for `tr`.
SERVICE_LINES: dict[str, tuple[str, str]] = {
    "akta_kelahiran": ("Akta untuk anak yang baru lahir", "bayi"),
    "akta_kematian": ("Melaporkan anggota keluarga yang meninggal", "kematian"),
    "akta_perkawinan": ("Mencatat perkawinan (non-Muslim)", "cincin"),
    "akta_perceraian": ("Mencatat perceraian yang sudah diputus pengadilan", "perceraian"),
    "kk_baru": ("Membuat Kartu Keluarga baru", "keluarga"),
    "kk_perubahan": ("Mengubah data di Kartu Keluarga", "keluarga"),
    "kk_hilang_rusak": ("Kartu Keluarga hilang atau rusak", "keluarga"),
    "ktp_baru": ("KTP-el pertama (umur 17 atau sudah menikah)", "ktp"),
    "ktp_hilang_rusak_perubahan": ("KTP-el hilang, rusak, atau datanya berubah", "ktp"),
    "kia": ("Kartu Identitas Anak, untuk anak di bawah 17 tahun", "anak"),
    "pindah": ("Pindah ke luar Kabupaten Balangan", "pindah"),
    "datang": ("Pindah datang ke Kabupaten Balangan", "datang"),
    "perubahan_nama": ("Mengganti nama dengan penetapan pengadilan", "nama"),
    "pengakuan_pengesahan_anak": ("Pengakuan atau pengesahan anak", "anak"),
}

# fact → the question in plain words. Source texts for `tr`.
QUESTIONS: dict[str, str] = {
    "applicant_is_subject": "Apakah Anda mengurus untuk diri sendiri atau keluarga dalam satu KK?",
    "moved_in_from_other_regency": "Apakah Anda pindah datang dari luar Kabupaten Balangan?",
    "head_of_family_died": "Apakah kepala keluarga sudah meninggal dunia?",
    "split_from_existing_kk": "Apakah Anda memisahkan diri dari KK lama (tetap satu alamat)?",
    "foundling": "Apakah anak ini anak yang ditemukan (orang tuanya tidak diketahui)?",
    "parents_married_registered": "Apakah perkawinan orang tua sudah tercatat (ada buku nikah atau akta perkawinan)?",
    "lodging": "Apakah Anda menumpang di rumah orang lain?",
}


def service_line(code: str, name: str) -> tuple[str, str]:
    """(description, icon) of a service; an unknown one: "Mengurus <name>" and the generic icon."""
    line, icon = SERVICE_LINES.get(code, ("", ""))
    return (tr(line) if line else tr("Mengurus {name}", name=name)), icon


def question_text(fact: str) -> str:
    if fact in QUESTIONS:
        return tr(QUESTIONS[fact])
    return tr("Apakah {what}?", what=lower_first(tr(FACTS[fact].label)))
