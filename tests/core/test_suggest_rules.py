"""Rules of the suggestions: catalog codes only, robust reading, None when unsure."""

from __future__ import annotations

import pytest

from dikjamila.intake.suggest import suggest_requirement, suggest_service
from dikjamila.intake.suggest.keywords import CONCEPTS, REQUIREMENT_RULES, SERVICE_RULES
from dikjamila.intake.suggest.text import file_name_text, find_concepts, normalize
from dikjamila.sop import load_catalog

CATALOG = load_catalog()
ALL_REQUIREMENTS = {r.code for sop in CATALOG for r in sop.requirements}


def test_keyword_tables_name_only_catalog_codes_and_known_concepts():
    assert set(SERVICE_RULES) <= set(CATALOG.codes())
    assert set(SERVICE_RULES) == set(CATALOG.codes()), "every service has a rule"
    assert set(REQUIREMENT_RULES) <= ALL_REQUIREMENTS
    rules = [*SERVICE_RULES.values(), *REQUIREMENT_RULES.values()]
    used = {concept for group in rules for concepts, _ in group for concept in concepts}
    assert used <= set(CONCEPTS)


def test_only_codes_of_the_catalog_come_out():
    texts = ["akta kelahiran", "kk hilang", "pindah datang", "KIA", "ktp rusak", "ganti nama"]
    small = {"kia"}  # a catalog without most services: never suggest what it lacks
    assert suggest_service("akta kelahiran", small) is None
    assert suggest_service("mau bikin KIA, akta lahir sudah ada", small).code == "kia"
    for text in texts:
        assert suggest_service(text, CATALOG).code in CATALOG


def test_only_requirements_of_the_sop_come_out():
    words = ["kk", "ktp ibu", "buku nikah", "surat lahir bidan", "akta kematian", "skpwni",
             "pas foto 3x4", "surat kuasa", "putusan pengadilan", "ijazah", "sptjm"]
    for sop in CATALOG:
        codes = {r.code for r in sop.requirements}
        for text in words:
            suggestion = suggest_requirement("", text, "", sop)
            assert suggestion is None or suggestion.code in codes, (sop.code, text)


@pytest.mark.parametrize("text", [
    "AKTA KELAHIRAN!!!", "akte lahir...", "Akta   Kelahiran 🙏🙏", "akta-kelahiran",
    "aktaa kelahirannn", "akta kelahiaran", "akte kelahran", "aktenya kelahiran anak",
    "ulun handak maulah akta kalahiran",
])
def test_spelling_casing_punctuation_and_emojis(text):
    assert suggest_service(text, CATALOG).code == "akta_kelahiran"


@pytest.mark.parametrize("text, code", [
    ("ktp-el hilang", "ktp_hilang_rusak_perubahan"), ("e-KTP rusak", "ktp_hilang_rusak_perubahan"),
    ("E KTP ilang", "ktp_hilang_rusak_perubahan"), ("kk-nya hilang", "kk_hilang_rusak"),
    ("Kartu Keluarga rusak", "kk_hilang_rusak"), ("skpwni", "pindah"),
    ("abah maninggal", "akta_kematian"), ("mau bacerai", "akta_perceraian"),
])
def test_abbreviations_and_banjar(text, code):
    assert suggest_service(text, CATALOG).code == code


def test_suggestion_carries_confidence_and_matched_words():
    suggestion = suggest_service("Mau buat akte lahir anak", CATALOG)
    assert suggestion.matched == ("akte", "lahir")
    assert 0.9 <= suggestion.confidence <= 1
    weak = suggest_service("pindah", CATALOG)
    assert weak.confidence < suggestion.confidence
    tie = suggest_service("kk dan ktp hilang", CATALOG)
    assert tie.confidence <= 0.5 and tie.runner_up is not None


def test_words_far_apart_count_less():
    near = suggest_service("akta kelahiran", CATALOG)
    far = suggest_service("akta " + "ya " * 10 + "kelahiran", CATALOG)
    assert far.code == "akta_kelahiran" and far.confidence < near.confidence


def test_requirement_sources_and_ambiguity():
    kia = CATALOG.get("kia")
    assert suggest_requirement("ktp.jpg", "", "", kia) is None  # father's or mother's?
    caption_wins = suggest_requirement("IMG-20261201-WA0003.jpg", "ini kk nya",
                                       "sekalian ktp suami", kia)
    assert (caption_wins.code, caption_wins.source) == ("kk", "caption")
    by_name = suggest_requirement("KTP_Ibu.jpg", "", "", kia)
    assert (by_name.code, by_name.source) == ("ktp_ibu", "file_name")
    nearby = suggest_requirement("x.jpg", "", "ini surat dari rumah sakit",
                                 CATALOG.get("akta_kelahiran"))
    assert (nearby.code, nearby.source) == ("surat_kelahiran", "neighbouring_text")
    assert nearby.confidence < 0.9  # text around a file may be about another one
    # a document the SOP does not ask for is not forced onto another line
    assert suggest_requirement("ktp ibu.jpg", "", "", CATALOG.get("akta_kelahiran")) is None


def test_text_helpers():
    assert normalize("Pas Foto 2 × 3 😊, KTP-el!") == "pas foto 2x3 ktp el"
    assert file_name_text("IMG-20261201-WA0003.jpg").split() == []
    assert file_name_text("C:\\scan\\KtpIbu_final.jpeg").split() == ["Ktp", "Ibu", "final"]
    assert [h.concept for h in find_concepts("keluarga selamat")] == []
