"""Every bundled SOP: one complete and one incomplete request, plus its conditions and
alternatives, checked against DOMAIN.md's table of services."""

from datetime import date

import pytest

from dikjamila.sop import AttachedFile, ItemState, check, load_catalog

DAY = date(2026, 11, 27)
SELF = {"applicant_is_subject": True}
CATALOG = load_catalog()
SERVICES = ["kk_baru", "kk_perubahan", "kk_hilang_rusak", "ktp_baru",
            "ktp_hilang_rusak_perubahan", "kia", "akta_kelahiran", "akta_kematian",
            "akta_perkawinan", "akta_perceraian", "pindah", "datang", "perubahan_nama",
            "pengakuan_pengesahan_anak"]

# code -> (facts, files for a complete request {requirement: count},
#          (facts, files, expected missing codes, text the message must contain))
CASES = {
    "kk_baru": (
        {"marital_status": "kawin", "moved_in_from_other_regency": True, "subject_age": 25,
         "head_of_family_died": False, "split_from_existing_kk": False},
        {"bukti_perkawinan": 1, "skpwni": 1},
        ({"marital_status": "kawin", "moved_in_from_other_regency": True, "subject_age": 25,
          "head_of_family_died": True, "split_from_existing_kk": False},
         {"sptjm_perkawinan": 1, "skpwni": 1},
         ["akta_kematian_kepala_keluarga", "kk_lama"],
         "2. KK lama\n")),
    "kk_perubahan": ({}, {"kk_lama": 1, "bukti_perubahan": 1},
                     ({}, {"kk_lama": 1}, ["bukti_perubahan"], "1. Bukti peristiwa")),
    "kk_hilang_rusak": (
        {}, {"kk_rusak": 1, "ktp_el": 1},
        ({}, {"ktp_el": 1}, ["surat_kehilangan", "kk_rusak"],
         "1. Bukti KK hilang atau rusak: Surat keterangan kehilangan dari kepolisian, "
         "atau KK yang rusak\n")),
    "ktp_baru": ({"subject_age": 17, "marital_status": "belum_kawin"}, {"kk": 1},
                 ({"subject_age": 16, "marital_status": "kawin"}, {"kk": 1},
                  ["bukti_perkawinan"], "1. Buku nikah atau kutipan akta perkawinan\n")),
    "ktp_hilang_rusak_perubahan": (
        {"replacement_reason": "hilang"}, {"kk": 1, "surat_kehilangan": 1},
        ({"replacement_reason": "rusak"}, {"kk": 1, "surat_kehilangan": 1}, ["ktp_rusak"],
         "1. KTP-el yang rusak\n")),
    "kia": ({"subject_age": 4}, {"akta_kelahiran": 1, "kk": 1, "ktp_ayah": 1, "ktp_ibu": 1},
            ({"subject_age": 5}, {"akta_kelahiran": 1, "kk": 1, "ktp_ayah": 1, "ktp_ibu": 1},
             ["pas_foto"], "1. Pas foto anak berwarna ukuran 2×3\n")),
    "akta_kelahiran": (
        {"foundling": False}, {"surat_kelahiran": 1, "bukti_perkawinan_ortu": 1, "kk": 1},
        ({"foundling": False}, {"sptjm_kelahiran": 1, "ktp_saksi": 1, "sptjm_pasutri": 1,
                                "kk": 1},
         ["surat_kelahiran", "ktp_saksi"],
         "1. Bukti kelahiran: Surat keterangan kelahiran dari rumah sakit/puskesmas/dokter/"
         "bidan atau kepala desa/lurah, atau KTP-el 2 orang saksi (perlu 2 berkas, baru ada 1) "
         "untuk melengkapi SPTJM kebenaran data kelahiran (F-2.03) yang sudah diterima\n")),
    "akta_kematian": (
        {"late_report_days": 45}, {"surat_kematian": 1, "kk": 1, "ktp_almarhum": 1},
        ({"late_report_days": 3}, {"kk": 1, "ktp_almarhum": 1}, ["surat_kematian"],
         "1. Surat keterangan kematian dari dokter/rumah sakit atau kepala desa/lurah\n")),
    "akta_perkawinan": (
        {"marital_status": "belum_kawin", "partner_marital_status": "cerai_hidup"},
        {"surat_pemuka_agama": 1, "pas_foto_berdampingan": 1, "kk": 1, "ktp_el": 2,
         "akta_perceraian": 1},
        ({"marital_status": "belum_kawin", "partner_marital_status": "cerai_mati"},
         {"surat_pemuka_agama": 1, "pas_foto_berdampingan": 1, "kk": 1, "ktp_el": 1},
         ["ktp_el", "akta_kematian_pasangan"],
         "1. KTP-el kedua mempelai (perlu 2 berkas, baru ada 1)\n"
         "2. Kutipan akta kematian suami/istri terdahulu\n")),
    "akta_perceraian": (
        {"late_report_days": 10},
        {"putusan_pengadilan": 1, "pernyataan_akta_tidak_ada": 1, "kk": 1, "ktp_el": 1},
        ({}, {"kk": 1, "ktp_el": 1},
         ["putusan_pengadilan", "kutipan_akta_perkawinan", "pernyataan_akta_tidak_ada"],
         "2. Bukti perkawinan: Kutipan akta perkawinan, atau Surat pernyataan bahwa kutipan "
         "akta perkawinan hilang/tidak ada\n")),
    "pindah": ({}, {"kk": 1, "ktp_el": 1},
               ({}, {"kk": 1}, ["ktp_el"], "1. KTP-el yang akan pindah\n")),
    "datang": ({"lodging": False}, {"skpwni": 1, "ktp_atau_kia": 1},
               ({"lodging": True}, {"skpwni": 1, "ktp_atau_kia": 1}, ["surat_pemilik_rumah"],
                "1. Surat pernyataan dari pemilik rumah tempat menumpang\n")),
    "perubahan_nama": (
        {}, {"penetapan_pengadilan": 1, "akta_kelahiran": 1, "kk": 1, "ktp_el": 1},
        ({}, {"akta_kelahiran": 1, "kk": 1, "ktp_el": 1}, ["penetapan_pengadilan"],
         "1. Salinan penetapan pengadilan negeri tentang perubahan nama\n")),
    "pengakuan_pengesahan_anak": (
        {"parents_married_registered": True},
        {"akta_kelahiran": 1, "kk": 1, "bukti_perkawinan_ortu": 1},
        ({"parents_married_registered": False},
         {"akta_kelahiran": 1, "kk": 1, "bukti_perkawinan_ortu": 1}, ["surat_pengakuan"],
         "1. Surat pengakuan anak dari ayah biologis yang disetujui ibu kandung\n")),
}


def attach(code: str, counts: dict[str, int]) -> list[AttachedFile]:
    """Files for `counts`, each of a kind the requirement accepts."""
    sop = CATALOG.get(code)
    return [AttachedFile(req, sop.requirement(req).kinds[0], f"{req}-{n}")
            for req, count in counts.items() for n in range(count)]


def run(code, facts, counts, **kw):
    return check(CATALOG.get(code), {**SELF, **facts}, attach(code, counts), as_of=DAY, **kw)


def test_catalog_has_exactly_the_fourteen_services():
    assert CATALOG.codes() == sorted(SERVICES) == sorted(CASES)


@pytest.mark.parametrize("code", SERVICES)
def test_bundled_sop_basics(code):
    sop = CATALOG.get(code)
    assert sop.source.stem == code and sop.version >= 1 and sop.forms is not None
    assert any("Perpres 96/2018" in basis for basis in sop.legal_basis)
    assert any("Permendagri 108/2019" in basis for basis in sop.legal_basis)
    assert sop.requirement("surat_kuasa").when.source == "applicant_is_subject == false"
    card = code in ("ktp_baru", "ktp_hilang_rusak_perubahan", "kia")
    assert (sop.result == "card") is card and sop.ends_in_pickup is card
    assert sop.target_hours == (168 if code == "akta_perceraian" else 24)


@pytest.mark.parametrize("code", SERVICES)
def test_complete_request(code):
    facts, counts, _ = CASES[code]
    report = run(code, facts, counts)
    assert report.complete, [(i.code, i.reason) for i in report.missing()]
    assert report.missing() == [] and report.missing_message == ""


@pytest.mark.parametrize("code", SERVICES)
def test_incomplete_request_names_exactly_what_is_missing(code):
    facts, counts, missing, fragment = CASES[code][2]
    report = run(code, facts, counts, applicant_name="Aminah", request_number="BLG-1")
    assert not report.complete
    assert [item.code for item in report.missing()] == missing
    assert fragment in report.missing_message
    assert CATALOG.get(code).name in report.missing_message
    for item in report.missing():
        assert item.label in report.missing_message


@pytest.mark.parametrize("code", SERVICES)
def test_proxy_applicant_needs_power_of_attorney(code):
    facts, counts, _ = CASES[code]
    report = check(CATALOG.get(code), {**facts, "applicant_is_subject": False},
                   attach(code, counts), as_of=DAY)
    assert [item.code for item in report.missing()] == ["surat_kuasa"]
    assert run(code, {**facts, "applicant_is_subject": False},
               {**counts, "surat_kuasa": 1}).complete


def items(report):
    return {item.code: item for item in report.items}


def test_kia_photo_from_age_five_and_image_only():
    docs = {"akta_kelahiran": 1, "kk": 1, "ktp_ayah": 1, "ktp_ibu": 1}
    under = items(run("kia", {"subject_age": 4}, docs))["pas_foto"]
    assert under.state is ItemState.NOT_APPLICABLE
    assert under.reason == "hanya bila umur yang bersangkutan 5 tahun ke atas"
    pdf = [AttachedFile("pas_foto", "pdf", "foto.pdf")]
    report = check(CATALOG.get("kia"), {**SELF, "subject_age": 5}, attach("kia", docs) + pdf,
                   as_of=DAY)
    assert items(report)["pas_foto"].state is ItemState.INVALID
    assert items(run("kia", {"subject_age": 17}, docs))["di_bawah_17"].state is ItemState.INVALID


def test_ktp_baru_eligibility():
    young = run("ktp_baru", {"subject_age": 16, "marital_status": "belum_kawin"},
                {"kk": 1, "bukti_perkawinan": 1})
    assert [i.code for i in young.missing()] == ["umur_atau_kawin"]
    assert "Berumur 17 tahun ke atas atau sudah/pernah kawin: belum terpenuhi" \
        in young.missing_message
    assert run("ktp_baru", {"subject_age": 16, "marital_status": "kawin"},
               {"kk": 1, "bukti_perkawinan": 1}).complete


def test_kk_baru_split_and_single_adult():
    split = {"split_from_existing_kk": True, "head_of_family_died": False,
             "moved_in_from_other_regency": False, "marital_status": "belum_kawin"}
    report = run("kk_baru", {**split, "subject_age": 16}, {"kk_lama": 1})
    assert [i.code for i in report.missing()] == ["pisah_kk_dewasa"]
    report = run("kk_baru", {**split, "subject_age": 17}, {"kk_lama": 1})
    assert report.complete
    assert items(report)["bukti_perkawinan"].state is ItemState.NOT_APPLICABLE


def test_ktp_replacement_for_changed_data_takes_proof_or_skpwni():
    facts = {"replacement_reason": "perubahan"}
    assert run("ktp_hilang_rusak_perubahan", facts, {"kk": 1, "skpwni": 1}).complete
    report = run("ktp_hilang_rusak_perubahan", facts, {"kk": 1})
    assert [i.code for i in report.missing()] == ["bukti_perubahan", "skpwni"]
    assert items(report)["surat_kehilangan"].state is ItemState.NOT_APPLICABLE


def test_foundling_needs_police_report_instead_of_birth_and_marriage_proof():
    report = run("akta_kelahiran", {"foundling": True}, {"kk": 1})
    assert [i.code for i in report.missing()] == ["laporan_polisi"]
    assert run("akta_kelahiran", {"foundling": True}, {"kk": 1, "laporan_polisi": 1}).complete
    witnesses = {"sptjm_kelahiran": 1, "ktp_saksi": 2, "sptjm_pasutri": 1, "kk": 1}
    assert run("akta_kelahiran", {"foundling": False}, witnesses).complete


def test_late_death_report_shows_optional_statement():
    facts, counts, _ = CASES["akta_kematian"]
    line = items(run("akta_kematian", facts, counts))["pernyataan_terlambat"]
    assert line.state is ItemState.MISSING and line.optional and line.note
    on_time = items(run("akta_kematian", {"late_report_days": 30}, counts))
    assert on_time["pernyataan_terlambat"].state is ItemState.NOT_APPLICABLE
