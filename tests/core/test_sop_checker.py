"""The completeness checker on small hand-written SOPs: states, groups, conditions, facts."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dikjamila.errors import InvalidInput
from dikjamila.sop import (
    FACTS, AttachedFile, FactType, ItemState, check, load_sop, parse_condition, resolve_facts,
)

SOP_TEXT = """\
code = "uji"
name = "Layanan Uji"
version = 3

[[eligibility]]
code = "dewasa"
label = "Berumur 17 tahun ke atas"
rule = "subject_age >= 17"

[[requirements]]
code = "a"
label = "Dokumen A"

[[requirements]]
code = "b"
label = "Dokumen B"

[[requirements]]
code = "c"
label = "Dokumen C"

[[requirements]]
code = "foto"
label = "Pas foto"
kinds = ["image"]
when = "subject_age >= 20"

[[requirements]]
code = "saksi"
label = "KTP saksi"
kinds = ["pdf"]
min_files = 2

[[requirements]]
code = "tambahan"
label = "Dokumen tambahan"
optional = true

[[requirements]]
code = "numpang"
label = "Surat pemilik rumah"
when = "lodging"

[[groups]]
code = "g"
label = "Bukti G"
one_of = [["a"], ["b", "c"]]
"""
DAY = date(2026, 11, 27)
ADULT = {"subject_age": 30, "applicant_is_subject": True, "lodging": False}


@pytest.fixture(scope="module")
def sop(tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("sop")) / "uji.toml"
    path.write_text(SOP_TEXT, encoding="utf-8")
    return load_sop(path)


def files(*codes: str, kind: str = "image") -> list[AttachedFile]:
    return [AttachedFile(code, kind, f"{code}.jpg") for code in codes]


def full() -> list[AttachedFile]:
    return files("a", "foto") + files("saksi", "saksi", kind="pdf")


def run(sop, facts=ADULT, attachments=(), **kw):
    report = check(sop, facts, list(attachments), as_of=DAY, **kw)
    return report, {item.code: item for item in report.items}


def test_complete_request(sop):
    report, items = run(sop, attachments=full())
    assert report.complete and report.missing() == [] and report.missing_message == ""
    assert (report.sop_code, report.sop_version) == ("uji", 3)
    assert items["a"].state is ItemState.OK and items["a"].reason == "sudah ada 1 berkas"
    assert items["saksi"].files == 2
    assert items["tambahan"].state is ItemState.MISSING and items["tambahan"].optional
    assert items["numpang"].state is ItemState.NOT_APPLICABLE
    assert items["numpang"].reason == "hanya bila menumpang di rumah orang lain"
    assert items["surat_kuasa"].state is ItemState.NOT_APPLICABLE
    assert items["dewasa"].kind == "eligibility" and items["dewasa"].state is ItemState.OK


def test_alternative_a_alone_satisfies_group(sop):
    report, items = run(sop, attachments=full())
    assert items["b"].state is items["c"].state is ItemState.NOT_APPLICABLE
    assert items["b"].reason == "tidak perlu: sudah dipenuhi dengan Dokumen A"
    assert items["b"].group == "g"
    (group,) = report.groups
    assert group.state is ItemState.OK and group.satisfied_by == ("a",)


def test_alternative_b_without_c_is_missing_and_message_names_the_options(sop):
    attachments = files("b", "foto") + files("saksi", "saksi", kind="pdf")
    report, items = run(sop, attachments=attachments, applicant_name="Siti")
    assert not report.complete
    assert [i.code for i in report.missing()] == ["a", "c"]
    assert items["b"].state is ItemState.OK
    assert "1. Bukti G: Dokumen A, atau Dokumen C untuk melengkapi Dokumen B yang sudah diterima" \
        in report.missing_message
    assert "2." not in report.missing_message


def test_alternative_b_and_c_together_satisfy_group(sop):
    report, items = run(sop, attachments=files("b", "c", "foto") + files("saksi", "saksi",
                                                                          kind="pdf"))
    assert report.complete
    assert items["a"].state is ItemState.NOT_APPLICABLE
    assert report.groups[0].satisfied_by == ("b", "c")


def test_unmet_group_is_listed_once_as_alternatives(sop):
    report, _ = run(sop, attachments=files("foto") + files("saksi", "saksi", kind="pdf"))
    assert [i.code for i in report.missing()] == ["a", "b", "c"]
    assert "1. Bukti G: Dokumen A, atau Dokumen B dan Dokumen C\n" in report.missing_message


def test_condition_boundary_decides_applicability(sop):
    base = files("a") + files("saksi", "saksi", kind="pdf")
    young, items = run(sop, {**ADULT, "subject_age": 19}, base)
    assert young.complete and items["foto"].state is ItemState.NOT_APPLICABLE
    assert items["foto"].reason == "hanya bila umur yang bersangkutan 20 tahun ke atas"
    old, items = run(sop, {**ADULT, "subject_age": 20}, base)
    assert [i.code for i in old.missing()] == ["foto"]
    assert items["foto"].reason == "belum ada berkas"


def test_age_is_derived_from_birth_date_and_as_of(sop):
    base = files("a") + files("saksi", "saksi", kind="pdf")
    facts = {"subject_birth_date": "2006-11-28", "applicant_is_subject": True, "lodging": False}
    report = check(sop, facts, base, as_of=DAY)  # 19 until tomorrow
    assert report.complete
    report = check(sop, facts, base, as_of=date(2026, 11, 28))
    assert [i.code for i in report.missing()] == ["foto"]


def test_applicant_not_subject_requires_power_of_attorney(sop):
    report, items = run(sop, {**ADULT, "applicant_is_subject": False}, full())
    assert [i.code for i in report.missing()] == ["surat_kuasa"]
    assert "Surat kuasa dari yang bersangkutan kepada pemohon" in report.missing_message
    report, _ = run(sop, {**ADULT, "applicant_is_subject": False}, full() + files("surat_kuasa"))
    assert report.complete


def test_unknown_fact_keeps_requirement_required_and_asks_for_the_fact(sop):
    report, items = run(sop, {"subject_age": 30}, full())
    numpang = items["numpang"]
    assert numpang.state is ItemState.MISSING and numpang.needs_facts == ("lodging",)
    assert "lengkapi data Menumpang di rumah orang lain dulu" in numpang.reason
    assert report.needed_facts() == ["applicant_is_subject", "lodging"]
    assert "Surat pemilik rumah (bila menumpang di rumah orang lain)" in report.missing_message
    # Once the files are there, the undecided condition no longer matters.
    report, items = run(sop, {"subject_age": 30}, full() + files("numpang", "surat_kuasa"))
    assert report.complete and items["numpang"].needs_facts == ()


def test_eligibility_false_and_unknown(sop):
    report, items = run(sop, {**ADULT, "subject_age": 16}, full())
    assert items["dewasa"].state is ItemState.INVALID and not report.complete
    assert "Berumur 17 tahun ke atas: belum terpenuhi" in report.missing_message
    report, items = run(sop, {"applicant_is_subject": True, "lodging": False}, full())
    assert items["dewasa"].state is ItemState.MISSING
    assert items["dewasa"].needs_facts == ("subject_age",)
    assert items["foto"].state is ItemState.OK  # undecided but present


def test_wrong_kind_and_rejected_files_are_invalid(sop):
    attachments = [AttachedFile("a", "pdf"), AttachedFile("foto", "pdf", "foto.pdf"),
                   AttachedFile("saksi", "image", "s1.jpg"), AttachedFile("saksi", "pdf"),
                   AttachedFile("b", "image", valid=False, reason="buram")]
    report, items = run(sop, attachments=attachments)
    assert items["foto"].state is ItemState.INVALID
    assert items["foto"].reason == "foto.pdf: berkas harus foto"
    assert items["saksi"].state is ItemState.INVALID and items["saksi"].files == 1
    assert items["saksi"].reason == "s1.jpg: berkas harus PDF; perlu 2 berkas, baru ada 1"
    assert items["b"].state is ItemState.NOT_APPLICABLE  # group met by A
    message = report.missing_message
    assert "1. Pas foto (foto.pdf: berkas harus foto)" in message
    assert "2. KTP saksi (s1.jpg: berkas harus PDF; perlu 2 berkas, baru ada 1)" in message


def test_rejected_file_without_reason_and_extra_bad_file(sop):
    attachments = full() + [AttachedFile("a", "image", valid=False)]
    _, items = run(sop, attachments=attachments)
    assert items["a"].state is ItemState.OK
    assert items["a"].reason == "sudah ada 1 berkas; 1 berkas lain tidak dipakai"
    _, items = run(sop, attachments=[AttachedFile("a", "image", valid=False)])
    assert items["a"].reason == "berkas tidak dapat dipakai"


def test_min_files_counts(sop):
    report, items = run(sop, attachments=files("a", "foto") + files("saksi", kind="pdf"))
    assert items["saksi"].state is ItemState.MISSING
    assert items["saksi"].reason == "perlu 2 berkas, baru ada 1"
    assert "KTP saksi (perlu 2 berkas, baru ada 1)" in report.missing_message


def test_optional_never_blocks_and_is_not_in_message(sop):
    report, items = run(sop, attachments=files("foto"))
    assert items["tambahan"].state is ItemState.MISSING and not items["tambahan"].blocking
    assert "Dokumen tambahan" not in report.missing_message


def test_unassigned_and_unknown_attachments_are_ignored(sop):
    report, _ = run(sop, attachments=full() + [AttachedFile(None, "image"),
                                               AttachedFile("zzz", "pdf")])
    assert report.complete


def test_check_is_deterministic(sop):
    args = (sop, {"subject_age": 30}, files("b", "c"))
    assert check(*args, as_of=DAY) == check(*args, as_of=DAY)


def test_bad_fact_values_are_refused(sop):
    with pytest.raises(InvalidInput) as info:
        check(sop, {"subject_age": "30"}, [], as_of=DAY)
    assert "Umur yang bersangkutan" in info.value.message
    with pytest.raises(InvalidInput):
        check(sop, {"marital_status": "janda"}, [], as_of=DAY)
    with pytest.raises(InvalidInput):
        check(sop, {"subject_birth_date": "2030-01-01"}, [], as_of=DAY)


def test_resolve_facts_derives_and_ignores_unknown_keys():
    facts = resolve_facts({"event_date": date(2025, 1, 1), "subject_birth_date": "2024-02-29",
                           "nama": "x"}, as_of=date(2025, 2, 28))
    assert facts["subject_age"] == 0 and facts["late_report_days"] == 58 and "nama" not in facts
    assert resolve_facts({"subject_birth_date": "2024-02-29"}, date(2025, 3, 1))["subject_age"] == 1
    assert resolve_facts({"event_date": "2026-10-01"}, DAY)["late_report_days"] == 57
    assert resolve_facts({"subject_age": 3, "subject_birth_date": "2000-01-01"},
                         DAY)["subject_age"] == 3  # an explicit value wins


@pytest.mark.parametrize(("text", "facts", "expected"), [
    ("lodging and foundling", {"lodging": False}, False),
    ("lodging and foundling", {"lodging": True}, None),
    ("lodging or foundling", {"lodging": True}, True),
    ("lodging or foundling", {"lodging": False}, None),
    ("not lodging", {}, None),
    ("subject_age not in [1, 2]", {"subject_age": 3}, True),
    ("marital_status != 'kawin'", {"marital_status": "kawin"}, False),
])
def test_three_valued_evaluation(text, facts, expected):
    assert parse_condition(text).evaluate(facts) is expected


def _fact_value(fact):
    if fact.type is FactType.BOOL:
        return st.booleans()
    if fact.type is FactType.INT:
        return st.integers(0, 120)
    if fact.type is FactType.ENUM:
        return st.sampled_from(fact.allowed)
    return st.dates(date(1930, 1, 1), DAY)


FACT_MAPS = st.fixed_dictionaries({}, optional={n: st.none() | _fact_value(f)
                                                 for n, f in FACTS.items()})
ATTACHMENTS = st.lists(st.builds(
    AttachedFile, st.sampled_from(["a", "b", "c", "foto", "saksi", "numpang", "surat_kuasa",
                                   None]),
    st.sampled_from(["image", "pdf", "docx"]), st.just(""), st.booleans()), max_size=12)


@settings(max_examples=200, deadline=None)
@given(facts=FACT_MAPS, attachments=ATTACHMENTS)
def test_report_invariants(sop, facts, attachments):
    report = check(sop, facts, attachments, as_of=DAY)
    assert report == check(sop, facts, attachments, as_of=DAY)
    assert report.complete == (report.missing() == [])
    assert (report.missing_message == "") == report.complete
    for item in report.missing():
        assert item.label.split(" ")[0] in report.missing_message or item.group
