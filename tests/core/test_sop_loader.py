"""SOP file loading and validation: every malformed file names the file and the key."""

from pathlib import Path

import pytest

from dikjamila.errors import NotFound, UserError
from dikjamila.resources import resource_path
from dikjamila.sop import (
    ConditionError, SopError, load_catalog, load_sop, parse_condition, validate_path,
)

GOOD = """\
code = "contoh"
name = "Contoh Layanan"
version = 2
legal_basis = ["Perpres 96/2018"]
forms = ["F-1.02"]

[[requirements]]
code = "a"
label = "Dokumen A"

[[requirements]]
code = "b"
label = "Dokumen B"
kinds = ["pdf"]
min_files = 2
when = "subject_age >= 5"
note = "catatan"

[[requirements]]
code = "c"
label = "Dokumen C"

[[groups]]
code = "g"
label = "Grup"
one_of = [["a"], ["b", "c"]]
"""


def write(tmp_path: Path, text: str, stem: str = "contoh") -> Path:
    path = tmp_path / f"{stem}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def errors_for(tmp_path: Path, text: str, stem: str = "contoh") -> list[str]:
    path = write(tmp_path, text, stem)
    with pytest.raises(SopError) as info:
        load_sop(path)
    assert isinstance(info.value, UserError)
    assert info.value.message == "\n".join(info.value.errors)
    assert validate_path(path) == list(info.value.errors)
    return list(info.value.errors)


def test_good_file_loads_with_defaults(tmp_path):
    sop = load_sop(write(tmp_path, GOOD))
    assert (sop.code, sop.name, sop.version) == ("contoh", "Contoh Layanan", 2)
    assert sop.target_hours == 0 and sop.result == "pdf" and sop.ends_in_pickup is False
    a, b = sop.requirement("a"), sop.requirement("b")
    assert a.kinds == ("image", "pdf") and a.min_files == 1 and not a.optional and a.when is None
    assert b.kinds == ("pdf",) and b.min_files == 2 and b.note == "catatan"
    assert b.when is not None and b.when.evaluate({"subject_age": 5}) is True
    assert sop.groups[0].one_of == (("a",), ("b", "c"))
    assert sop.group_of("c").code == "g" and sop.group_of("surat_kuasa") is None
    assert sop.source == tmp_path / "contoh.toml"


def test_power_of_attorney_is_added_unless_disabled_or_defined(tmp_path):
    poa = load_sop(write(tmp_path, GOOD)).requirement("surat_kuasa")
    assert poa.when.evaluate({"applicant_is_subject": False}) is True
    assert poa.when.evaluate({"applicant_is_subject": True}) is False
    off = load_sop(write(tmp_path, "power_of_attorney = false\n" + GOOD))
    assert all(r.code != "surat_kuasa" for r in off.requirements)
    own = GOOD + '\n[[requirements]]\ncode = "surat_kuasa"\nlabel = "Kuasa khusus"\n'
    sop = load_sop(write(tmp_path, own))
    assert [r.label for r in sop.requirements if r.code == "surat_kuasa"] == ["Kuasa khusus"]


def test_card_result_defaults_to_pickup_and_bom_is_accepted(tmp_path):
    sop = load_sop(write(tmp_path, "\ufeff" + 'result = "card"\n' + GOOD))
    assert sop.result == "card" and sop.ends_in_pickup is True


def test_toml_syntax_error_names_line(tmp_path):
    (error,) = errors_for(tmp_path, GOOD.replace('label = "Dokumen A"', 'label "Dokumen A"'))
    assert error.startswith("contoh.toml: baris 9, kolom")
    assert "TOML tidak sah" in error


@pytest.mark.parametrize(("change", "expected"), [
    (lambda t: t.replace('name = "Contoh Layanan"\n', ""), "contoh.toml: name: wajib diisi"),
    (lambda t: t.replace('label = "Dokumen A"\n', ""),
     "contoh.toml: requirements[1].label: wajib diisi"),
    (lambda t: t.replace("version = 2", 'version = "2"'),
     "contoh.toml: version: harus berupa bilangan bulat"),
    (lambda t: t.replace("version = 2", "version = 0"),
     "contoh.toml: version: harus bilangan bulat positif"),
    (lambda t: t.replace("version = 2", "version = true"),
     "contoh.toml: version: harus berupa bilangan bulat"),
    (lambda t: t.replace('forms = ["F-1.02"]', 'forms = "F-1.02"'),
     "contoh.toml: forms: harus berupa daftar teks"),
    (lambda t: t.replace('label = "Dokumen A"', 'lable = "Dokumen A"'),
     "contoh.toml: requirements[1].lable: kunci tidak dikenal (maksudnya 'label'?)"),
    (lambda t: t.replace("version = 2", "version = 2\ntarget_hour = 5"),
     "contoh.toml: target_hour: kunci tidak dikenal (maksudnya 'target_hours'?)"),
    (lambda t: t.replace('code = "c"', 'code = "a"'),
     "contoh.toml: requirements[3].code: kode 'a' sudah dipakai di requirements[1]"),
    (lambda t: t.replace('["b", "c"]', '["b", "x"]'),
     "contoh.toml: groups[1].one_of[2][2]: persyaratan 'x' tidak ada"),
    (lambda t: t.replace("subject_age >= 5", "umur >= 5"),
     "contoh.toml: requirements[2].when: fakta 'umur' tidak dikenal"),
    (lambda t: t.replace('kinds = ["pdf"]', 'kinds = ["pdf", "docx"]'),
     "contoh.toml: requirements[2].kinds: jenis berkas 'docx' tidak dikenal"),
    (lambda t: t.replace('kinds = ["pdf"]', "kinds = []"),
     "contoh.toml: requirements[2].kinds: tidak boleh kosong"),
    (lambda t: t.replace("min_files = 2", "min_files = 0"),
     "contoh.toml: requirements[2].min_files: harus 1 atau lebih"),
    (lambda t: t.replace('code = "contoh"', 'code = "lain"'),
     "contoh.toml: code: 'lain' harus sama dengan nama file 'contoh'"),
    (lambda t: t.replace('code = "a"', 'code = "Dok A"'),
     "contoh.toml: requirements[1].code: kode 'Dok A' hanya boleh"),
    (lambda t: 'result = "card"\nends_in_pickup = false\n' + t,
     "contoh.toml: ends_in_pickup: hasil berupa kartu harus diambil"),
    (lambda t: 'result = "paper"\n' + t, "contoh.toml: result: harus salah satu dari: pdf, card"),
    (lambda t: t.replace('one_of = [["a"], ["b", "c"]]', 'one_of = [["a", "b"]]'),
     "contoh.toml: groups[1].one_of: perlu paling sedikit 2 pilihan"),
    (lambda t: t.replace('one_of = [["a"], ["b", "c"]]', 'one_of = "a"'),
     "contoh.toml: groups[1].one_of: harus berupa daftar pilihan"),
    (lambda t: t.replace('code = "g"', 'code = "a"'),
     "contoh.toml: groups[1].code: kode 'a' sudah dipakai di requirements[1]"),
    (lambda t: t + '\n[[groups]]\ncode = "h"\nlabel = "H"\none_of = [["a"], ["c"]]\n',
     "contoh.toml: groups[2].one_of: persyaratan 'a' sudah ada di grup 'g'"),
    (lambda t: t.replace('label = "Dokumen C"', 'label = "Dokumen C"\noptional = true'),
     "contoh.toml: groups[1].one_of: persyaratan 'c' opsional tidak boleh"),
    (lambda t: t + '\n[[eligibility]]\ncode = "e"\nlabel = "E"\n',
     "contoh.toml: eligibility[1].rule: wajib diisi"),
    (lambda t: t.replace("[[groups]]", "[groups]").replace('code = "g"', 'code = "g"'),
     "contoh.toml: groups: harus berupa daftar tabel"),
    (lambda t: t.split("[[requirements]]")[0], "contoh.toml: requirements: wajib diisi"),
])
def test_each_malformed_file_names_file_and_key(tmp_path, change, expected):
    errors = errors_for(tmp_path, change(GOOD))
    assert any(error.startswith(expected) for error in errors), errors


def test_all_problems_are_reported_at_once(tmp_path):
    text = GOOD.replace("version = 2", "version = -1").replace("min_files = 2", "min_files = 0")
    errors = errors_for(tmp_path, text.replace('["pdf"]', '["doc"]'))
    assert [e.split(":")[1].strip() for e in errors] == [
        "version", "requirements[2].kinds", "requirements[2].min_files"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("subject_age >=", "nilai diharapkan, bukan 'akhir kondisi'"),
    ("(foundling", "')' diharapkan"),
    ("foundling lodging", "'and', 'or' atau akhir kondisi diharapkan"),
    ("subject_age", "bukan ya/tidak"),
    ("subject_birth_date == 3", "fakta tanggal"),
    ("marital_status == 'janda'", "nilai 'janda' tidak dikenal untuk 'marital_status'"),
    ("marital_status > 'kawin'", "hanya untuk fakta angka"),
    ("subject_age == 'lima'", "hanya dapat dibandingkan dengan angka"),
    ("foundling == 1", "hanya dapat dibandingkan dengan true/false"),
    ("subject_age in 5", "'[' diharapkan"),
    ("lodging; import os", "karakter ';' tidak dikenal (posisi 8)"),
    ("__import__('os')", "fakta '__import__' tidak dikenal"),
    ("  ", "kondisi kosong"),
])
def test_condition_errors(text, fragment):
    with pytest.raises(ConditionError) as info:
        parse_condition(text)
    assert fragment in info.value.message


@pytest.mark.parametrize(("text", "described"), [
    ("subject_age >= 5", "umur yang bersangkutan 5 tahun ke atas"),
    ("subject_age < 5", "umur yang bersangkutan di bawah 5 tahun"),
    ("applicant_is_subject == false", "pemohon bukan yang bersangkutan atau keluarganya"),
    ("not foundling", "bukan anak yang ditemukan"),
    ("marital_status in ['cerai_hidup', \"cerai_mati\"]",
     "status perkawinan yang bersangkutan cerai hidup atau cerai mati"),
    ("lodging and (split_from_existing_kk or late_report_days > 30)",
     "menumpang di rumah orang lain dan (pisah dari KK lama atau jarak hari dari peristiwa "
     "sampai dilaporkan lebih dari 30 hari)"),
])
def test_condition_descriptions(text, described):
    assert parse_condition(text).describe() == described


def test_validate_path_on_folders_and_missing_paths(tmp_path):
    assert validate_path(resource_path("sops")) == []
    assert validate_path(tmp_path) == [f"{tmp_path}: tidak ada file .toml"]
    assert validate_path(tmp_path / "nope.toml") == [f"{tmp_path / 'nope.toml'}: tidak ditemukan"]
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace("version = 2", "version = 0"), stem="rusak")
    errors = validate_path(tmp_path)
    assert any(e.startswith("rusak.toml: code:") for e in errors)
    assert any(e.startswith("rusak.toml: version:") for e in errors)
    assert not any(e.startswith("contoh.toml") for e in errors)
    (tmp_path / "biner.toml").write_bytes(b"\xff\xfe\x00")
    assert "biner.toml: file harus berupa teks UTF-8" in validate_path(tmp_path)


def test_catalog_lists_bundled_services():
    catalog = load_catalog()
    assert len(catalog) == 14 and "kia" in catalog and "xyz" not in catalog
    assert catalog.codes() == sorted(catalog.codes())
    names = [sop.name for sop in catalog.all()]
    assert names == sorted(names, key=str.casefold) and list(catalog) == catalog.all()
    with pytest.raises(NotFound) as info:
        catalog.get("xyz")
    assert "xyz" in info.value.message


def test_override_dir_replaces_and_adds(tmp_path):
    bundled = load_catalog().get("kia")
    kia = bundled.source.read_text("utf-8").replace("version = 1", "version = 7")
    write(tmp_path, kia, stem="kia")
    write(tmp_path, GOOD)
    catalog = load_catalog(tmp_path)
    assert catalog.get("kia").version == 7 and catalog.get("kia").source == tmp_path / "kia.toml"
    assert catalog.get("contoh").name == "Contoh Layanan"
    assert len(catalog) == 15
    assert len(load_catalog(tmp_path / "belum-ada")) == 14


def test_broken_override_file_refuses_the_catalog(tmp_path):
    write(tmp_path, GOOD.replace("version = 2", "version = 0"))
    with pytest.raises(SopError) as info:
        load_catalog(tmp_path)
    assert info.value.errors == ("contoh.toml: version: harus bilangan bulat positif",)
