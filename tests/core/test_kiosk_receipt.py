"""The receipt a village kiosk prints (`dikjamila.documents.kiosk_receipt`), on A4 and on an
80 mm thermal roll: read back with pypdf, with poppler's `pdftotext -bbox` for where the words
stand, and with `pdftoppm` for what the QR code looks like once rasterised."""

from __future__ import annotations

import io
import logging
import re
import subprocess
from datetime import UTC, datetime

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from dikjamila.documents.kiosk_receipt import NEXT_STEPS, kiosk_receipt_pdf
from dikjamila.documents.qr import parse_status_payload, qr_matrix
from dikjamila.errors import InvalidInput

MM = 72 / 25.4  # points per millimetre
A4 = (595.28, 841.89)
ROLL_WIDTH = 80 * MM
NUMBER = "KIOS-PARINGIN-0007"
LONG_NAME = ("Muhammad Abdurrahman Wahid Zulkarnain Ṣiti Ñurul Ħasanah Иван Ђорђевић " * 4)[:200]
PAPERS = ("a4", "80mm")


def receipt(
    paper: str = "a4",
    *,
    office_name: str = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Balangan",
    office_address: str = "Jl. A. Yani No. 12, Paringin, Kabupaten Balangan, Kalimantan Selatan 71662",
    kiosk_number: str = NUMBER,
    applicant_name: str = "Siti Nurhaliza",
    documents: tuple[str, ...] = ("Surat keterangan lahir dari bidan", "Kartu Keluarga (KK)", "KTP-el ibu"),
) -> bytes:
    return kiosk_receipt_pdf(
        office_name=office_name, office_address=office_address, kiosk_number=kiosk_number,
        service_name="Akta Kelahiran", applicant_name=applicant_name, phone_masked="0812-****-7890",
        created_at=datetime(2026, 12, 7, 2, 5, tzinfo=UTC), documents=list(documents), paper=paper)


def text_of(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def words_of(data: bytes, tmp_path) -> tuple[float, float, list[tuple[float, float, float, float, str]]]:
    """Page width, height (pt) and (xMin, yMin, xMax, yMax, word) of every word, from poppler."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    width, height = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html).groups())
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
    return width, height, words


# -- the QR code, read back from the page's vector squares (as test_paperwork_pdfs does) ----------

def black_rects(page) -> list[tuple[float, float, float, float]]:
    """(x, top, width, height) in PDF space (origin bottom left) of each rectangle filled black.
    fpdf2 draws the receipt without `cm` transforms, so operands are page coordinates."""
    found, pending, stack = [], [], []
    fill: tuple[float, ...] = (0.0, 0.0, 0.0)  # the PDF default
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"q":
            stack.append(fill)
        elif op == b"Q":
            fill = stack.pop()
        elif op == b"g":
            fill = (float(operands[0]),) * 3
        elif op == b"rg":
            fill = tuple(float(v) for v in operands)
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands)
            pending.append((min(x, x + w), max(y, y + h), abs(w), abs(h)))
        elif op in (b"f", b"F", b"f*", b"B", b"B*", b"S", b"n"):
            if op in (b"f", b"F", b"f*", b"B", b"B*") and fill == (0.0, 0.0, 0.0):
                found.extend(pending)
            pending = []
        elif op == b"cm":
            raise AssertionError("a transform on the page: black_rects would misplace the squares")
    return found


def drawn_qr(page) -> tuple[list[list[bool]], float, float, float]:
    """The drawn code's modules, its left and top edges (PDF space) and the module size."""
    rects = black_rects(page)
    module = min(h for _, _, _, h in rects)
    left, top = min(r[0] for r in rects), max(r[1] for r in rects)
    size = round((max(r[0] + r[2] for r in rects) - left) / module)
    matrix = [[False] * size for _ in range(size)]
    for x, y, w, _h in rects:
        row, col = round((top - y) / module), round((x - left) / module)
        for c in range(col, col + round(w / module)):
            matrix[row][c] = True
    return matrix, left, top, module


def rasterised_qr(data: bytes, tmp_path, left: float, top: float, module: float, count: int):
    """The modules as `pdftoppm` paints them: the pixel at each module's centre, dark or not."""
    path = tmp_path / "qr.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", str(path),
                    str(tmp_path / "qr")], check=True)
    image = Image.open(tmp_path / "qr.png").convert("L")
    scale, page_height = 300 / 72, float(PdfReader(io.BytesIO(data)).pages[0].mediabox.height)
    return [[image.getpixel((round((left + (c + 0.5) * module) * scale),
                             round((page_height - top + (r + 0.5) * module) * scale))) < 128
             for c in range(count)] for r in range(count)]


# -- tests -------------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", PAPERS)
def test_the_receipt_shows_the_number_request_documents_and_next_step(paper, caplog):
    with caplog.at_level(logging.WARNING):
        data = receipt(paper)
    assert not [r for r in caplog.records if "missing" in r.getMessage()]  # every glyph is in DejaVu
    text = text_of(data)
    for expected in ("TANDA TERIMA KIOS", NUMBER, "Akta Kelahiran", "Siti Nurhaliza", "0812-****-7890",
                     "Senin, 7 Desember 2026 10.05 WITA", "Surat keterangan lahir dari bidan",
                     "Kartu Keluarga (KK)", "KTP-el ibu", " ".join(NEXT_STEPS.split()),
                     "DINAS KEPENDUDUKAN", "Kalimantan Selatan 71662"):
        assert expected in text, expected
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_a4_is_an_a4_page_and_the_roll_is_80mm_wide_and_as_long_as_its_content(tmp_path):
    a4 = PdfReader(io.BytesIO(receipt("a4"))).pages[0].mediabox
    assert (float(a4.width), float(a4.height)) == pytest.approx(A4, abs=0.01)

    width, short, short_words = words_of(receipt("80mm"), tmp_path)
    assert width == pytest.approx(ROLL_WIDTH, abs=0.01)
    _, longer, long_words = words_of(receipt("80mm", documents=tuple(f"Dokumen {n}" for n in range(1, 21))),
                                     tmp_path)
    for height, words in ((short, short_words), (longer, long_words)):
        last = max(w[3] for w in words)
        assert height - 12 * MM < last < height - 3 * MM  # fitted: no long blank tail, nothing cut
    assert longer > short + 17 * 4 * MM  # 17 more list lines made the slip longer


@pytest.mark.parametrize("paper", PAPERS)
def test_the_qr_code_carries_the_kiosk_number_and_prints_at_least_30mm(paper, tmp_path):
    data = receipt(paper)
    matrix, left, top, module = drawn_qr(PdfReader(io.BytesIO(data)).pages[0])
    payload = f"DIKJAMILA:STATUS:{NUMBER}"
    assert matrix == qr_matrix(payload) and matrix != qr_matrix("DIKJAMILA:STATUS:KIOS-PARINGIN-0008")
    assert rasterised_qr(data, tmp_path, left, top, module, len(matrix)) == qr_matrix(payload)
    assert module * (len(matrix) + 8) >= 30 * MM  # the printed square, quiet zone included
    assert parse_status_payload(payload) == NUMBER


def test_the_status_reader_accepts_kiosk_numbers_and_still_refuses_others():
    assert parse_status_payload("dikjamila:status:kios-paringin-0007 ") == NUMBER
    assert parse_status_payload("KIOS-BATU-PIRING-0012") == "KIOS-BATU-PIRING-0012"
    assert parse_status_payload("BLG-20261201-0001") == "BLG-20261201-0001"
    for other in ("KIOS-0007", "KIOS-PARINGIN-7", "KIOS-PARINGIN-0007; DROP", "https://x.y"):
        assert parse_status_payload(other) is None


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", [LONG_NAME, "Abdurrahman" * 18 + "Zulkarnain"[:2]],
                         ids=["words", "one-word"])
def test_a_200_character_name_and_long_texts_wrap_inside_the_page(paper, name, tmp_path):
    assert len(name) == 200
    data = receipt(paper, applicant_name=name, kiosk_number="KIOS-BATUPIRINGANKOTAUTARA-0123",
                   office_address="Jl. A. Yani No. 12, Paringin, Kalimantan Selatan 71662. " * 4,
                   documents=("Surat pernyataan tanggung jawab mutlak kebenaran data kelahiran " * 3,))
    width, height, words = words_of(data, tmp_path)
    margin = 18 * MM if paper == "a4" else 4 * MM
    for x_min, y_min, x_max, y_max, word in words:
        assert margin - 0.5 <= x_min and x_max <= width - margin + 0.5, (word, x_min, x_max)
        assert 0 <= y_min and y_max <= height, word
    name_lines = {round(y_min) for _, y_min, _, _, word in words if len(word) >= 4 and word in name}
    assert len(name_lines) >= 3  # it wrapped (not shrunk onto one line, not cut)
    squeezed = "".join(text_of(data).split())
    assert "".join(name.split()) in squeezed  # every character printed, in order
    assert "KIOS-BATUPIRINGANKOTAUTARA-0123" in squeezed


def test_non_latin_names_render():
    for paper in PAPERS:
        assert "Иван Ђорђевић" in text_of(receipt(paper, applicant_name="Иван Ђорђевић"))


def test_an_unknown_paper_is_refused_in_indonesian():
    with pytest.raises(InvalidInput) as refused:
        receipt("letter")
    assert "Ukuran kertas" in refused.value.message and "80mm" in refused.value.message
    assert receipt(" A4 ") == receipt("a4")


def test_the_same_arguments_give_the_same_bytes():
    assert receipt("80mm") == receipt("80mm") and receipt("a4") == receipt("a4")
