"""What each figure of a service report counts, in Indonesian (printed under the report)."""

from __future__ import annotations

from dikjamila.i18n import tr
from dikjamila.reports.model import ServiceReport
from dikjamila.reports.numbers import id_int, id_percent


def footnotes(report: ServiceReport) -> list[str]:
    """The definitions behind `report`'s figures, one paragraph each."""
    notes = [
        tr("Periode {label}: dari pukul 00.00 WITA hari pertama sampai sebelum pukul 00.00 WITA hari "
           "sesudah hari terakhir. Semua waktu dalam WITA.", label=report.period.label),
        tr("Permohonan per layanan, kecamatan, saluran dan status: permohonan yang diterima dalam periode. "
           "Status adalah status saat laporan dibuat."),
        tr("Waktu layanan: dari permohonan diterima sampai terbit (KTP-el dan KIA: sampai siap diambil), "
           "dikurangi lama menunggu kelengkapan berkas dari pemohon (status Berkas kurang), dalam jam "
           "kalender; dihitung atas permohonan yang terbit dalam periode. Median = nilai tengah; P90 = "
           "90% permohonan terbit dalam waktu itu atau kurang (peringkat terdekat)."),
        tr("Lama menunggu berkas ditampilkan tersendiri dan tidak dihitung sebagai waktu kerja kantor."),
        tr("Tepat waktu: terbit paling lambat pada batas waktu layanan, setelah batas itu digeser sepanjang "
           "lama menunggu berkas. Batas waktu = target dalam SOP layanan (bila SOP tidak menyebutkan: "
           "1 hari) yang dihitung dalam hari kerja, yaitu tanpa Sabtu, Minggu, libur nasional dan cuti "
           "bersama menurut berkas kalender kantor."),
        tr("Dokumen terkirim: dokumen (PDF) yang keluar lewat WhatsApp dalam periode (terkirim, sampai "
           "atau dibaca), menurut waktu server WhatsApp atau perubahan terakhirnya; dokumen yang sama ke "
           "nomor yang sama dihitung satu kali."),
        tr("Pengaduan: yang diterima dalam periode. Diselesaikan = di antaranya yang sudah selesai sebelum "
           "periode berakhir. Rasio = diselesaikan dibagi diterima; standar pelayanan paling sedikit {target}.",
           target=id_percent(report.complaints.target_ratio, 0)),
        tr("IKM (PermenPANRB 14/2017): dari nilai asli (1 sampai 4) survei yang diisi dalam periode. NRR per "
           "unsur = jumlah nilai unsur dibagi jumlah responden; IKM = jumlah (NRR \u00d7 1/9) \u00d7 25, "
           "dihitung tanpa pembulatan bobot. Mutu: A (Sangat baik) di atas 88,30; B (Baik) di atas 76,60 "
           "sampai 88,30; C (Kurang baik) 65,00 sampai 76,60; D (Tidak baik) di bawah 65,00. Mutu "
           "ditentukan dari nilai sebelum dibulatkan ke dua desimal."),
        tr("Penduduk dilayani: banyaknya NIK pemohon yang berbeda di antara permohonan yang diterima dalam "
           "periode; bila NIK belum diketahui dipakai nomor HP, dan permohonan tanpa keduanya dihitung "
           "satu orang."),
        tr("Kepala rantai audit: jumlah peristiwa dan hash peristiwa terakhir dalam catatan audit saat "
           "angka laporan ini dibaca. Keutuhan catatan sampai titik itu dapat diperiksa di menu Supervisi, "
           "Periksa jejak audit, atau dengan perintah dikjamila audit verify --head JUMLAH:HASH."),
    ]
    if report.working_days is not None:
        notes.append(tr("Hari kerja dalam periode ini: {days} (menurut kalender kantor).",
                        days=id_int(report.working_days)))
    return notes
