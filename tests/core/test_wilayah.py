"""Balangan's kecamatan and villages, and province codes (dikjamila.identity.wilayah)."""

import pytest

from dikjamila.errors import InvalidInput, NotFound
from dikjamila.identity import (
    Kecamatan,
    Village,
    WilayahNotFound,
    kecamatan,
    kecamatan_list,
    make_nik,
    parse_nik,
    province_codes,
    province_name,
    regency_name,
    village,
    villages,
)

# DOMAIN.md, "Identity numbers and places".
EXPECTED = {
    "63.11.01": ("Juai", 21),
    "63.11.02": ("Halong", 24),
    "63.11.03": ("Awayan", 23),
    "63.11.04": ("Batu Mandi", 18),
    "63.11.05": ("Lampihong", 27),
    "63.11.06": ("Paringin", 16),
    "63.11.07": ("Paringin Selatan", 16),
    "63.11.08": ("Tebing Tinggi", 12),
}


def test_eight_kecamatan_in_code_order():
    assert [(k.code, k.name) for k in kecamatan_list()] == [
        (code, name) for code, (name, _) in EXPECTED.items()
    ]


def test_157_villages():
    assert len(villages()) == 157
    assert len({v.code for v in villages()}) == 157


@pytest.mark.parametrize("code, expected", [(c, n) for c, (_, n) in EXPECTED.items()])
def test_villages_per_kecamatan(code, expected):
    found = villages(code)
    assert len(found) == expected
    assert all(v.kecamatan_code == code and v.code.startswith(code + ".") for v in found)


def test_villages_are_in_code_order():
    codes = [v.code for v in villages()]
    assert codes == sorted(codes)


def test_the_three_kelurahan():
    kelurahan = {v.code: v.name for v in villages() if v.kind == "kelurahan"}
    assert kelurahan == {
        "63.11.06.1019": "Paringin Timur",
        "63.11.06.1023": "Paringin Kota",
        "63.11.07.1001": "Batu Piring",
    }


def test_kind_follows_the_code():
    for v in villages():
        assert v.kind == {"1": "kelurahan", "2": "desa"}[v.code.split(".")[3][0]]


def test_village_lookup_dotted_and_plain():
    assert village("63.11.06.1019") == Village(
        code="63.11.06.1019", name="Paringin Timur", kind="kelurahan", kecamatan_code="63.11.06"
    )
    assert village("6311082004").name == "Ju'uh"
    assert village(" 63.11.01.2001 ").name == "Muara Ninian"


def test_kecamatan_lookup():
    assert kecamatan("63.11.05") == Kecamatan(code="63.11.05", name="Lampihong")
    assert kecamatan("631108").name == "Tebing Tinggi"
    assert kecamatan("631108").digits == "631108"


@pytest.mark.parametrize("code", ["63.11.09", "63.10.01", "6311", "", "abc", "63.11.05.2001"])
def test_unknown_kecamatan(code):
    with pytest.raises(WilayahNotFound) as caught:
        kecamatan(code)
    assert isinstance(caught.value, InvalidInput) and isinstance(caught.value, NotFound)
    assert "Kecamatan" in caught.value.message


@pytest.mark.parametrize("code", ["63.11.06.2001", "63.11.01.2022", "63.71.01.1001", "63.11.05",
                                  "x"])
def test_unknown_village(code):
    with pytest.raises(InvalidInput) as caught:
        village(code)
    assert "Desa/kelurahan" in caught.value.message


def test_villages_of_unknown_kecamatan():
    with pytest.raises(WilayahNotFound):
        villages("63.11.99")


def test_returned_lists_are_copies():
    villages().clear()
    kecamatan_list().clear()
    assert len(villages()) == 157 and len(kecamatan_list()) == 8


def test_regency_name():
    assert regency_name() == "Kabupaten Balangan"


def test_every_kecamatan_makes_valid_niks():
    import datetime as dt

    for kec in kecamatan_list():
        made = make_nik(kecamatan_code=kec.code, birth_date=dt.date(1990, 5, 4), sex="L", serial=1)
        assert parse_nik(made).kecamatan_code == kec.digits


# --- provinces -----------------------------------------------------------------------------

def test_38_provinces():
    codes = province_codes()
    assert len(codes) == 38
    assert codes[0] == "11" and codes[-1] == "96"
    assert codes == sorted(set(codes))


@pytest.mark.parametrize("code, name", [("11", "Aceh"), ("63", "Kalimantan Selatan"),
                                        ("31", "DKI Jakarta"), ("65", "Kalimantan Utara"),
                                        ("96", "Papua Barat Daya"), ("93", "Papua Selatan")])
def test_province_names(code, name):
    assert province_name(code) == name


@pytest.mark.parametrize("code", ["00", "10", "20", "54", "66", "77", "97", "99", "6", "630"])
def test_not_a_province(code):
    assert province_name(code) is None
