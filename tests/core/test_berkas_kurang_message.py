"""The "berkas kurang" WhatsApp text: template, placeholders and the numbered list."""

from datetime import date

import pytest

from dikjamila.resources import resource_path
from dikjamila.sop import AttachedFile, check, load_catalog, render_berkas_kurang
from dikjamila.sop.message import (
    PLACEHOLDERS,
    join_all,
    join_alternatives,
    load_template,
    parse_template,
)

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

DAY = date(2026, 11, 27)


def test_bundled_template_uses_only_known_placeholders():
    text = resource_path("templates", "berkas_kurang.txt").read_text("utf-8")
    template = parse_template(text)
    assert set(template.get_identifiers()) == PLACEHOLDERS
    assert load_template() is load_template()  # read once, cached
    assert "##" not in template.template


def test_message_content_for_an_incomplete_request():
    sop = load_catalog().get("akta_kematian")
    report = check(sop, {"applicant_is_subject": True},
                   [AttachedFile("kk", "pdf"),
                    AttachedFile("ktp_almarhum", "image", "ktp.jpg", valid=False,
                                 reason="foto buram")],
                   as_of=DAY, applicant_name="  Budi   Santoso ",
                   request_number="BLG-20261127-0042")
    message = report.missing_message
    assert message.startswith("Yth. Bapak/Ibu Budi Santoso,\n")
    assert "*Akta Kematian*" in message and "*BLG-20261127-0042*" in message
    assert ("\n1. Surat keterangan kematian dari dokter/rumah sakit atau kepala desa/lurah\n"
            "2. KTP-el almarhum/almarhumah (ktp.jpg: foto buram)\n") in message
    assert "3." not in message
    assert "membalas pesan ini ke nomor ini" in message and "PDF" in message
    assert message.rstrip().endswith("Disdukcapil Kabupaten Balangan")
    assert "$" not in message


def test_complete_request_has_empty_message():
    sop = load_catalog().get("pindah")
    report = check(sop, {"applicant_is_subject": True},
                   [AttachedFile("kk", "image"), AttachedFile("ktp_el", "pdf")], as_of=DAY)
    assert report.complete and report.missing_message == ""


def test_render_without_name_or_number():
    text = render_berkas_kurang(service_name="Pindah Datang", entries=["SKPWNI"])
    assert text.startswith("Yth. Bapak/Ibu,\n")
    assert "Nomor permohonan: *-*" in text and "\n1. SKPWNI\n" in text
    assert render_berkas_kurang(service_name="X", entries=[]) == ""


def test_custom_template_drops_comments_and_fills_placeholders():
    template = parse_template("## komentar\n$addressee|$service_name|$request_number\n$items\n$$")
    text = render_berkas_kurang(service_name="KIA", entries=["A", "B"], applicant_name="Ani",
                                request_number="N1", template=template)
    assert text == "Bapak/Ibu Ani|KIA|N1\n1. A\n2. B\n$"


@pytest.mark.parametrize(("text", "fragment"), [
    ("Halo $nama", "isian tidak dikenal: nama"),
    ("Biaya $ 5", "'$' yang tidak sah"),
])
def test_bad_templates_are_refused(text, fragment):
    with pytest.raises(ValueError) as info:
        parse_template(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize(("parts", "joined"), [
    (["A"], "A"), (["A", "B"], "A dan B"), (["A", "B", "C"], "A, B, dan C")])
def test_join_all(parts, joined):
    assert join_all(parts) == joined


def test_join_alternatives():
    assert join_alternatives(["A", join_all(["B", "C"])]) == "A, atau B dan C"
