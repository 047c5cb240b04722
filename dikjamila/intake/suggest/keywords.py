"""The keyword table behind the suggestions: words → concepts → services and requirements.

Everything an office may want to tune is here, in one place:

* `CONCEPTS`: each concept (upper case) and the words or phrases that mean it, written the
  way `text.normalize` leaves text (lower case, no accents or punctuation, single spaces).
  Informal, Banjar and misspelled forms are listed next to the standard ones; other typos
  of words of 5 letters or more are caught by fuzzy matching (see `text.py`).
  A phrase may carry more than one concept (`PHRASE_EXTRA`): "surat pindah" is SKPWNI, SURAT
  and PINDAH.
* `SERVICE_RULES`: service code → (concepts that must all appear close together, weight).
* `REQUIREMENT_RULES`: requirement code → the same shape. A requirement code means the same
  document in every SOP that uses it, so one table serves the whole catalog; only the codes
  of the request's own SOP are ever considered.

Weights: about 3 is "clearly this", 2 is "probably", below `MIN_SCORE` is no suggestion.
"""

from __future__ import annotations

#: concept → words and phrases (extra concepts of a phrase are in `PHRASE_EXTRA`).
CONCEPTS: dict[str, tuple[str, ...]] = {
    "AKTA": ("akta", "akte", "acta", "akte2", "kutipan", "certificate"),
    "LAHIR": ("lahir", "kelahiran", "lahiran", "melahirkan", "dilahirkan", "beranak",
              "baranak", "kalahiran", "baru lahir", "brojol"),
    "ANAK": ("anak", "bayi", "baby", "putra", "putri", "anaknya", "cucu"),
    "MATI": ("meninggal", "kematian", "wafat", "almarhum", "almarhumah", "alm", "almh",
             "mati", "maninggal", "meninggal dunia", "berpulang", "tutup usia", "mendiang",
             "kamatian"),
    "ALM": ("almarhum", "almarhumah", "alm", "almh", "mendiang", "yang meninggal",
            "jenazah"),
    "CERAI": ("cerai", "perceraian", "bercerai", "bacerai", "talak", "percerain"),
    "KAWIN": ("kawin", "perkawinan", "nikah", "pernikahan", "menikah", "nikahan", "kawinan",
              "bakawin", "balaki", "babini", "perkawinannya", "pernikahannya"),
    "KK": ("kk", "kartu keluarga", "kartu kk", "kartukeluarga", "k k"),
    "KTP": ("ktp", "ektp", "ktpel", "e ktp", "ktp el", "kartu tanda penduduk",
            "ktp elektronik", "e k t p", "k t p"),
    "KIA": ("kia", "kartu identitas anak", "kartu anak", "ktp anak", "k i a"),
    "HILANG": ("hilang", "kehilangan", "ilang", "hilng", "lenyap", "tercecer", "tacicir",
               "kecurian", "dicuri", "kecopetan", "tidak ketemu", "gak ketemu",
               "ga ketemu", "nda ketemu", "kada tatamu", "raib", "hilangnya"),
    "RUSAK": ("rusak", "robek", "sobek", "rabit", "patah", "luntur", "pudar", "terbakar",
              "tebakar", "tabakar", "basah", "banjir", "kena air", "kena banyu",
              "terkelupas", "mengelupas", "lecek", "retak", "terbelah", "tidak terbaca",
              "pecah", "rusaknya"),
    "UBAH": ("ubah", "perubahan", "rubah", "merubah", "mengubah", "diubah", "dirubah",
             "ganti", "diganti", "mengganti", "gantinya", "perbaikan", "perbaiki",
             "pembetulan", "pembaruan", "update", "koreksi", "tambah", "menambah",
             "tambahkan", "masukkan", "memasukkan", "masukan", "dimasukkan", "coret",
             "dicoret", "keluarkan", "mengeluarkan", "perubahan data"),
    "SALAH": ("salah", "keliru", "typo", "tidak sesuai", "tidak sama", "beda"),
    "BARU": ("baru", "bikin", "buat", "membuat", "pembuatan", "maulah", "bikinkan",
             "buatkan"),
    "PISAH": ("pisah kk", "pecah kk", "misah kk", "memisahkan kk", "pisah dari kk",
              "kk sendiri", "kk terpisah"),
    "REKAM": ("rekam", "perekaman", "rekaman", "merekam", "pemula"),
    "UMUR17": ("17 tahun", "umur 17", "usia 17", "sudah 17", "sweet seventeen"),
    "PINDAH": ("pindah", "pindahan", "bapindah", "berpindah", "mutasi", "pindah domisili",
               "skpwni", "pindahkan", "memindahkan", "dipindah"),
    "SKPWNI": ("skpwni", "surat pindah", "surat keterangan pindah", "sk pindah", "skpwni nya",
               "sk pwni"),
    "DATANG": ("datang", "kedatangan", "pendatang", "pindah masuk", "pindah datang",
               "pindahan dari", "masuk ke balangan", "ke sini", "kesini"),
    "KELUAR": ("pindah keluar", "keluar daerah", "ke luar daerah", "luar kota",
               "ke luar kota", "luar provinsi", "luar kabupaten"),
    "GANTINAMA": ("ganti nama", "ubah nama", "perubahan nama", "rubah nama", "tukar nama",
                  "mengganti nama", "mengubah nama", "nama baru"),
    "NAMA": ("nama",),
    "PENGAKUAN": ("pengakuan", "pengesahan", "mengakui", "akui", "pengakuan anak",
                  "pengesahan anak", "luar nikah", "di luar kawin", "nikah siri", "siri"),
    "SURAT": ("surat", "suket", "surat keterangan", "keterangan", "sket", "srt"),
    "FASKES": ("bidan", "puskesmas", "pkm", "rumah sakit", "rs", "rsud", "klinik", "dokter",
               "dr", "rumah bersalin", "polindes", "poskesdes", "bidan desa"),
    "DESA": ("desa", "kades", "lurah", "kelurahan", "pembakal", "kepala desa"),
    "POLISI": ("polisi", "kepolisian", "polsek", "polres", "polda", "laporan polisi",
               "berita acara", "bap", "lapor polisi"),
    "PUTUSAN": ("putusan", "salinan putusan", "amar putusan"),
    "PENGADILAN": ("pengadilan", "pengadilan agama", "pengadilan negeri"),
    "PENETAPAN": ("penetapan", "penetapan pengadilan"),
    "SPTJM": ("sptjm", "tanggung jawab mutlak", "surat pernyataan tanggung jawab mutlak"),
    "PASUTRI": ("pasutri", "suami istri", "pasangan suami istri"),
    "PERNYATAAN": ("pernyataan", "surat pernyataan", "pernyataan"),
    "TERLAMBAT": ("terlambat", "keterlambatan", "telat", "lewat waktu"),
    "AYAH": ("ayah", "bapak", "bapaknya", "suami", "abah", "papa", "bpk", "bapa", "ayahnya",
             "suaminya", "abahnya", "bapak nya"),
    "IBU": ("ibu", "istri", "isteri", "mama", "mamah", "mamak", "uma", "ibunya", "bini",
            "istrinya", "umanya", "mama nya"),
    "SAKSI": ("saksi", "saksinya"),
    "LAMA": ("lama", "yang lama", "asli lama"),
    "BUKU": ("buku",),
    "FOTO": ("foto", "poto", "photo", "gambar", "potret", "pic"),
    "PASFOTO": ("pas foto", "pasfoto", "pas photo", "pas poto", "2x3", "3x4", "4x6",
                "foto formal"),
    "BERDUA": ("berdua", "berdampingan", "pengantin", "mempelai", "kedua mempelai"),
    "PEMUKA": ("pemuka agama", "pendeta", "pastor", "romo", "gereja", "pemberkatan",
               "vihara", "klenteng", "pura", "pandita", "pinandita", "penghayat"),
    "KUASA": ("kuasa", "surat kuasa"),
    "PEMILIK": ("pemilik rumah", "yang punya rumah", "numpang", "menumpang", "tuan rumah",
                "rumah kos", "kos"),
    "IJAZAH": ("ijazah", "ijasah", "ijazahnya"),
}

#: Phrases that carry more concepts than the one they are listed under.
PHRASE_EXTRA: dict[str, tuple[str, ...]] = {
    "surat pindah": ("SURAT", "PINDAH"),
    "surat keterangan pindah": ("SURAT", "PINDAH"),
    "pindah masuk": ("PINDAH",),
    "pindah datang": ("PINDAH",),
    "pindahan dari": ("PINDAH",),
    "pindah keluar": ("PINDAH",),
    "pisah kk": ("KK",), "pecah kk": ("KK",), "misah kk": ("KK",), "memisahkan kk": ("KK",),
    "pisah dari kk": ("KK",), "kk sendiri": ("KK",), "kk terpisah": ("KK",),
    "ktp anak": ("ANAK",),
    "pengakuan anak": ("ANAK",), "pengesahan anak": ("ANAK",),
    "laporan polisi": ("SURAT",), "surat kuasa": ("SURAT",),
    "surat pernyataan": ("SURAT",),
    "penetapan pengadilan": ("PENGADILAN",),
    "surat keterangan": (),
    "skpwni": ("SURAT",),
    "yang meninggal": ("MATI",), "jenazah": ("MATI",),
    "nikah siri": ("KAWIN",),
}

#: Words never corrected by fuzzy matching (everyday words close to a keyword).
NO_FUZZY: frozenset[str] = frozenset({
    "keluarga", "kepala", "anggota", "terima", "kasih", "selamat", "malam", "siang",
    "pagi", "sore", "tolong", "mohon", "bapak", "bisakah", "apakah", "kalau", "kapan",
    "sudah", "belum", "sampai", "lahirnya", "tanggal", "karena", "semua", "barusan",
    "kabar", "makasih", "permisi", "assalamualaikum", "waalaikumsalam", "sekarang",
    "kantor", "dinas", "pelayanan", "layanan", "berapa", "persyaratan", "syarat", "syaratnya",
    "berkas", "kirim", "dikirim", "jadinya", "dimana", "gimana", "bagaimana", "pindai",
    "masih", "bisa", "tunggu", "antri", "online", "nomor", "balangan", "paringin",
    "besok", "kemarin", "hari", "tahun", "bulan", "minggu", "lagi", "ulang", "dulu",
    "bupati", "camat", "kecamatan", "pemohon", "mohonkan", "urusan", "datangnya",
    "keterangannya", "kutip", "scan", "scanner", "screenshot", "whatsapp", "image",
})

#: (concepts that must all appear, weight) per service code of the SOP catalog.
SERVICE_RULES: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {
    "akta_kelahiran": ((("AKTA", "LAHIR"), 3.2), (("AKTA", "ANAK"), 2.6),
                       (("LAHIR", "ANAK"), 2.2), (("LAHIR",), 1.8)),
    "akta_kematian": ((("AKTA", "MATI"), 3.2), (("MATI",), 2.2)),
    "akta_perceraian": ((("AKTA", "CERAI"), 3.2), (("CERAI",), 2.6)),
    "akta_perkawinan": ((("AKTA", "KAWIN"), 3.2), (("PEMUKA",), 2.5), (("KAWIN",), 2.0)),
    "kia": ((("KIA",), 3.5),),
    "kk_baru": ((("PISAH",), 3.3), (("KK", "BARU"), 2.5), (("KK", "KAWIN"), 2.2)),
    "kk_perubahan": ((("KK", "UBAH"), 3.2), (("KK", "SALAH"), 3.2), (("KK", "ANAK"), 1.9)),
    "kk_hilang_rusak": ((("KK", "HILANG"), 3.3), (("KK", "RUSAK"), 3.3)),
    "ktp_baru": ((("KTP", "REKAM"), 3.2), (("REKAM",), 2.6), (("KTP", "UMUR17"), 3.0),
                 (("KTP", "BARU"), 2.5)),
    "ktp_hilang_rusak_perubahan": ((("KTP", "HILANG"), 3.3), (("KTP", "RUSAK"), 3.3),
                                   (("KTP", "UBAH"), 3.1), (("KTP", "SALAH"), 3.1)),
    "pindah": ((("PINDAH", "KELUAR"), 3.3), (("SKPWNI",), 2.3), (("PINDAH",), 2.2)),
    "datang": ((("PINDAH", "DATANG"), 3.5), (("SKPWNI", "DATANG"), 3.5), (("DATANG",), 1.9)),
    "perubahan_nama": ((("GANTINAMA",), 3.5),),
    "pengakuan_pengesahan_anak": ((("PENGAKUAN",), 3.5),),
}

#: (concepts that must all appear, weight) per requirement code (any SOP that has it).
REQUIREMENT_RULES: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {
    "kk": ((("KK",), 3.0),),
    "kk_lama": ((("KK", "LAMA"), 3.5), (("KK",), 2.8)),
    "kk_rusak": ((("KK", "RUSAK"), 3.5), (("KK",), 2.6)),
    "ktp_el": ((("KTP",), 3.0),),
    "ktp_ayah": ((("KTP", "AYAH"), 3.5), (("KTP",), 1.5)),
    "ktp_ibu": ((("KTP", "IBU"), 3.5), (("KTP",), 1.5)),
    "ktp_almarhum": ((("KTP", "ALM"), 3.5), (("KTP",), 2.6)),
    "ktp_saksi": ((("KTP", "SAKSI"), 3.5),),
    "ktp_rusak": ((("KTP", "RUSAK"), 3.5), (("KTP",), 2.6)),
    "ktp_atau_kia": ((("KTP",), 3.0), (("KIA",), 3.0)),
    "surat_kelahiran": ((("SURAT", "LAHIR"), 3.2), (("FASKES", "LAHIR"), 3.2),
                        (("FASKES",), 2.2)),
    "sptjm_kelahiran": ((("SPTJM", "LAHIR"), 3.6), (("SPTJM",), 2.5)),
    "sptjm_pasutri": ((("SPTJM", "KAWIN"), 3.6), (("SPTJM", "PASUTRI"), 3.6), (("SPTJM",), 2.5)),
    "sptjm_perkawinan": ((("SPTJM",), 3.0),),
    "bukti_perkawinan_ortu": ((("KAWIN",), 3.0),),
    "bukti_perkawinan": ((("KAWIN",), 3.0), (("CERAI",), 2.6)),
    "laporan_polisi": ((("POLISI",), 3.0),),
    "surat_kehilangan": ((("POLISI",), 3.0), (("HILANG",), 2.5)),
    "surat_kematian": ((("SURAT", "MATI"), 3.2), (("FASKES", "MATI"), 3.2),
                       (("DESA", "MATI"), 3.0), (("FASKES",), 2.2), (("MATI",), 1.8)),
    "pernyataan_terlambat": ((("TERLAMBAT",), 3.2), (("PERNYATAAN",), 1.6)),
    "putusan_pengadilan": ((("PUTUSAN",), 3.2), (("PENGADILAN",), 2.6)),
    "kutipan_akta_perkawinan": ((("KAWIN",), 3.0),),
    "pernyataan_akta_tidak_ada": ((("PERNYATAAN", "HILANG"), 3.5), (("PERNYATAAN",), 1.6)),
    "surat_pemuka_agama": ((("PEMUKA",), 3.2), (("SURAT", "KAWIN"), 2.4)),
    "pas_foto_berdampingan": ((("FOTO", "BERDUA"), 3.0), (("PASFOTO",), 2.8),
                              (("FOTO", "KAWIN"), 2.0)),
    "akta_kematian_pasangan": ((("AKTA", "MATI"), 3.5), (("MATI",), 2.0)),
    "akta_perceraian": ((("CERAI",), 3.0),),
    "skpwni": ((("SKPWNI",), 3.5), (("PINDAH",), 2.2)),
    "surat_pemilik_rumah": ((("PEMILIK",), 3.2),),
    "akta_kelahiran": ((("AKTA", "LAHIR"), 3.5), (("AKTA", "ANAK"), 3.0), (("AKTA",), 2.0)),
    "pas_foto": ((("PASFOTO",), 3.5), (("FOTO", "ANAK"), 2.0)),
    "akta_kematian_kepala_keluarga": ((("AKTA", "MATI"), 3.5), (("MATI",), 2.0)),
    "bukti_perubahan": ((("IJAZAH",), 3.0), (("KAWIN",), 2.6), (("CERAI",), 2.6),
                        (("PUTUSAN",), 2.6), (("AKTA",), 2.2)),
    "penetapan_pengadilan": ((("PENETAPAN",), 3.5), (("PENGADILAN",), 2.6),
                             (("PUTUSAN",), 2.2)),
    "surat_pengakuan": ((("PENGAKUAN",), 3.2),),
    "surat_kuasa": ((("KUASA",), 3.5),),
}

#: Below this score nothing is suggested.
MIN_SCORE = 1.5
#: Concepts of one rule must lie within this many words of each other for full weight;
#: farther apart (e.g. in different messages of a burst) they count `FAR_FACTOR` of it.
WINDOW = 6
FAR_FACTOR = 0.6
