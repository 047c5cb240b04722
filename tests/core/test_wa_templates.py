"""WhatsApp message templates: bundled ones load and render, overrides replace them, broken
overrides are refused when loaded with the file named, values are inserted literally."""

from __future__ import annotations

import pytest

from dikjamila.errors import InvalidInput
from dikjamila.resources import resource_path
from dikjamila.whatsapp.templates import CAPTION_MAX_CHARS, TEMPLATES, load_templates

VALUES = {"nomor": "BLG-20261127-0042", "layanan": "Akta Kelahiran", "nama": "Siti Aminah",
          "status": "Diproses", "langkah": "Berkas Anda sedang kami proses.",
          "kantor": "Disdukcapil Kabupaten Balangan", "kios": "KIOS-LAMPIHONG-0007"}


def test_every_bundled_template_loads_and_renders():
    templates = load_templates(None)
    for name, spec in TEMPLATES.items():
        assert templates.source(name) == resource_path("templates", f"{name}.txt")
        assert spec.required <= templates.placeholders(name) <= spec.allowed
        text = templates.render(name, **VALUES)
        assert text.strip() == text and "##" not in text
        assert "{" not in text and "}" not in text
        assert text.rstrip().endswith("Disdukcapil Kabupaten Balangan"), name
        for field in templates.placeholders(name):
            assert VALUES[field] in text


def test_the_texts_say_what_the_resident_needs():
    templates = load_templates(None)
    caption = templates.render("dokumen_terbit", **VALUES)
    assert "HVS A4" in caption and "Permendagri Nomor 109 Tahun 2019" in caption and "kode QR" in caption
    assert "*BLG-20261127-0042*" in caption and "Siti Aminah" in caption
    assert len(templates.render("dokumen_terbit", **{**VALUES, "nama": "N" * 120, "layanan": "L" * 80})) \
        <= CAPTION_MAX_CHARS
    survey = templates.render("undangan_survei", **VALUES)
    assert all(f"U{n} " in survey for n in range(1, 10)) and "1 = tidak baik" in survey
    assert "4 = sangat baik" in survey
    assert "STATUS BLG-20261127-0042" in templates.render("permohonan_diterima", **VALUES)
    assert "WITA" in templates.render("di_luar_jam") and "WITA" in templates.render("siap_diambil", **VALUES)


def test_quick_replies_list_labels_in_menu_order_without_the_caption():
    replies = load_templates(None).quick_replies()
    assert [name for name, _ in replies] == [n for n, s in TEMPLATES.items() if s.quick_reply]
    assert ("status", "Status permohonan") in replies
    assert "dokumen_terbit" not in dict(replies) and all(label for _, label in replies)


def test_a_value_with_braces_stays_literal():
    templates = load_templates(None)
    text = templates.render("status", **{**VALUES, "nama": "Budi {nomor} {0} {{x}} {", "langkah": "%s $x {}"})
    assert "Bapak/Ibu Budi {nomor} {0} {{x}} {," in text and "%s $x {}" in text


def test_a_missing_value_is_refused():
    with pytest.raises(InvalidInput, match="langkah"):
        load_templates(None).render("status", **{k: v for k, v in VALUES.items() if k != "langkah"})
    with pytest.raises(InvalidInput, match="nomor"):
        load_templates(None).render("status", **{**VALUES, "nomor": None})
    with pytest.raises(InvalidInput, match="tidak dikenal"):
        load_templates(None).render("tidak_ada", **VALUES)


def test_an_override_replaces_only_its_own_template(tmp_path):
    (tmp_path / "status.txt").write_text("## catatan\n\nNomor {nomor}: {status}. {langkah} ({layanan}) {{ok}}\n\n",
                                         encoding="utf-8-sig")  # with a BOM, as Notepad saves it
    (tmp_path / "berkas_kurang.txt").write_text("$items", encoding="utf-8")  # another module's file
    templates = load_templates(tmp_path)
    assert templates.source("status") == tmp_path / "status.txt"
    assert templates.render("status", **VALUES) == \
        "Nomor BLG-20261127-0042: Diproses. Berkas Anda sedang kami proses. (Akta Kelahiran) {ok}"
    assert templates.source("dokumen_terbit") == resource_path("templates", "dokumen_terbit.txt")
    (tmp_path / "di_luar_jam.txt").write_text("{kantor}: kami buka lagi Senin pukul 08.00 WITA.", encoding="utf-8")
    assert load_templates(tmp_path).render("di_luar_jam", **VALUES) == \
        "Disdukcapil Kabupaten Balangan: kami buka lagi Senin pukul 08.00 WITA."
    assert load_templates(tmp_path / "tidak-ada").source("status") == resource_path("templates", "status.txt")


@pytest.mark.parametrize("content, words", [
    (b"Nomor {nomor} {layanan} {status} {langkah} {alamat}", "isian {alamat} tidak dikenal"),
    (b"Nomor {nomor} {status} {langkah}", "isian wajib {layanan} tidak ada"),
    (b"Nomor {nomor} {layanan} {status}\n{langkah", "baris 2: tanda '{' tanpa pasangan"),
    (b"Nomor {nomor} {layanan} {status} {langkah} :-}", "tanda '}' tanpa pasangan"),
    (b"Nomor {nomor} {layanan} {status} {langkah:>9}", "isian {langkah:>9} tidak sah"),
    (b"Nomor {0} {nomor} {layanan} {status} {langkah}", "isian {0} tidak sah"),
    (b"## hanya catatan\n\n  \n", "kosong"),
    (b"", "kosong"),
    (b"Nomor {nomor} {layanan} {status} {langkah}\nJalan Pangeran \xc3\x28", "bukan teks UTF-8 (baris 2)"),
])
def test_a_broken_override_is_refused_naming_the_file(tmp_path, content, words):
    path = tmp_path / "status.txt"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as caught:
        load_templates(tmp_path)
    assert str(path) in caught.value.message and words in caught.value.message


def test_an_unknown_template_file_and_a_too_long_caption_are_refused(tmp_path):
    (tmp_path / "statu.txt").write_text("{nomor}", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"statu\.txt tidak dikenal.*status\.txt"):
        load_templates(tmp_path)
    (tmp_path / "statu.txt").unlink()
    (tmp_path / "dokumen_terbit.txt").write_text("{nomor} {layanan} {nama} " + "x" * CAPTION_MAX_CHARS,
                                                 encoding="utf-8")
    with pytest.raises(InvalidInput, match="dokumen_terbit.txt terlalu panjang"):
        load_templates(tmp_path)
