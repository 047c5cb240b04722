"""Demo paperwork: phone photos of documents (JPEG) and office letters/certificates (PDF).

The photos imitate what residents send over WhatsApp: a sheet of paper lying slightly
askew on a table, lit unevenly, a little noisy and soft. PDFs are A4 letters from the
Disdukcapil with a kop (letterhead), a body and a signature block; their text can be read
back with pypdf. Every paper is marked as a specimen so it cannot pass for a real one.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timezone

from fpdf import FPDF
from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

from dikjamila.resources import resource_path

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
ISSUER = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Balangan"
ADDRESS = "Jl. Jend. A. Yani Km. 1, Paringin, Kabupaten Balangan, Kalimantan Selatan 71611"
SPECIMEN = "SPESIMEN - dokumen contoh untuk demo, bukan dokumen resmi"
# Pixel operations that store an upright picture so that a viewer applying the EXIF
# orientation shows it upright again (the inverse of ImageOps.exif_transpose).
_T = Image.Transpose
_STORE_FOR_ORIENTATION = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM,
                          5: _T.TRANSPOSE, 6: _T.ROTATE_90, 7: _T.TRANSVERSE, 8: _T.ROTATE_270}
_TABLES = (((92, 62, 40), (150, 108, 72)), ((52, 54, 58), (96, 98, 104)),
           ((40, 66, 58), (78, 110, 96)), ((110, 84, 70), (170, 140, 118)))
_PHONES = (("samsung", "SM-A125F"), ("Xiaomi", "Redmi Note 8"), ("OPPO", "CPH2185"),
           ("vivo", "vivo 1906"), ("realme", "RMX2185"))


def date_id(value: date) -> str:
    """A date the Indonesian way, e.g. "5 Maret 2025" (always Indonesian: it is on paper)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def _font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(resource_path("fonts", name)), max(8, round(size)))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Split `text` into lines no wider than `width` pixels."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _paper(title: str, holder: str, number: str, lines: Sequence[str], pw: int, ph: int,
           rng: random.Random) -> Image.Image:
    """The sheet itself, upright, as RGBA: header, title, number, fields, stamp, signature."""
    tint = rng.randint(-8, 4)
    paper = Image.new("RGBA", (pw, ph), (244 + tint // 2, 240 + tint // 2, 230 + tint, 255))
    d = ImageDraw.Draw(paper)
    s = (pw + ph) / 1700  # layout unit: about 1 px for a 1000 x 700 sheet
    ink, faint = (35, 35, 45), (120, 120, 130)
    d.rectangle((22 * s, 22 * s, pw - 22 * s, ph - 22 * s), outline=(150, 140, 120),
                width=max(1, round(3 * s)))
    y = 48 * s
    for text, size in (("REPUBLIK INDONESIA", 20 * s), ("PEMERINTAH KABUPATEN BALANGAN", 17 * s)):
        f = _font(size, bold=True)
        d.text((pw / 2, y), text, font=f, fill=faint, anchor="ma")
        y += size * 1.45
    y += 12 * s
    f = _font(40 * s, bold=True)
    for row in _wrap(title.upper(), f, pw - 120 * s):
        d.text((pw / 2, y), row, font=f, fill=ink, anchor="ma")
        y += 40 * s * 1.25
    y += 6 * s
    if number:
        d.text((pw / 2, y), f"No. {number}", font=_font(22 * s), fill=ink, anchor="ma")
        y += 22 * s * 1.6
    d.line((60 * s, y, pw - 60 * s, y), fill=faint, width=max(1, round(2 * s)))
    y += 24 * s
    f, size, x0 = _font(23 * s), 23 * s, 70 * s
    keys = [k.strip() for k, sep, _ in (ln.partition(":") for ln in lines) if sep and len(k) <= 24]
    key_w = min(max(f.getlength(k) for k in ["Nama", *keys]) + 30 * s, 0.4 * pw)
    bottom = ph - 190 * s  # leave room for the signature block
    for line in [f"Nama: {holder}", *lines]:
        key, sep, value = line.partition(":")
        if sep and len(key) <= 24:
            d.text((x0, y), key.strip(), font=f, fill=ink)
            rows, x = _wrap(": " + value.strip(), f, pw - x0 - key_w - 60 * s), x0 + key_w
        else:
            rows, x = _wrap(line, f, pw - x0 - 60 * s), x0
        for row in rows:
            if y > bottom:
                break
            d.text((x, y), row, font=f, fill=ink)
            y += size * 1.45
    # Signature block with a squiggle and an office stamp over it.
    sx, sy = pw - 330 * s, ph - 175 * s
    d.text((sx, sy), "Kepala Dinas,", font=_font(20 * s), fill=ink)
    pts = [(sx + 20 * s + i * 22 * s, sy + 70 * s + rng.uniform(-22, 22) * s) for i in range(9)]
    d.line(pts, fill=(30, 40, 110), width=max(1, round(3 * s)), joint="curve")
    d.line((sx, sy + 118 * s, sx + 260 * s, sy + 118 * s), fill=ink, width=max(1, round(2 * s)))
    r = 72 * s
    stamp = Image.new("RGBA", (round(2 * r + 8), round(2 * r + 8)), (0, 0, 0, 0))
    sd, c, blue = ImageDraw.Draw(stamp), r + 4, (70, 60, 170, 150)
    sd.ellipse((c - r, c - r, c + r, c + r), outline=blue, width=max(1, round(5 * s)))
    inner = r * 0.72
    sd.ellipse((c - inner, c - inner, c + inner, c + inner), outline=blue, width=max(1, round(2 * s)))
    sd.text((c, c), "SPESIMEN", font=_font(15 * s, bold=True), fill=blue, anchor="mm")
    stamp = stamp.rotate(rng.uniform(-30, 30), resample=Image.Resampling.BICUBIC)
    paper.alpha_composite(stamp, (round(sx - r * 0.6), round(sy - r * 0.2)))
    # A fold across the middle: a darker line with a lighter edge under it.
    fold = ph * rng.uniform(0.45, 0.55)
    d.line((0, fold, pw, fold), fill=(226, 221, 211), width=1)
    d.line((0, fold + 1, pw, fold + 1), fill=(252, 250, 244), width=1)
    return paper


def _noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Uniform grey noise from `rng` (so one seed gives one picture)."""
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def document_photo(title: str, *, holder: str, number: str = "", lines: Sequence[str] = (),
                   rng: random.Random, orientation: int = 1,
                   size: tuple[int, int] = (1200, 900)) -> bytes:
    """JPEG bytes of a phone photo of a paper document on a table.

    `size` is the picture as seen upright. With an `orientation` other than 1 the pixels
    are stored turned/flipped and the EXIF Orientation tag says how to show them, as
    phones do: for 6 and 8 the stored width and height are swapped. Lines that do not fit
    on the sheet are left out, as if cut off by the camera frame.
    """
    if orientation not in range(1, 9):
        raise ValueError(f"EXIF orientation must be 1..8, not {orientation}")
    w, h = size
    dark, light = rng.choice(_TABLES)
    grain = _noise(rng, (max(2, w // 50), max(2, h // 3))).resize((w, h), Image.Resampling.BICUBIC)
    photo = ImageOps.colorize(grain.filter(ImageFilter.GaussianBlur(2)), dark, light).convert("RGBA")
    aspect = 1.414 if w >= h else 1 / 1.414  # A4, the same way round as the picture
    pw = round(min(0.84 * w, 0.84 * h * aspect))
    ph = round(pw / aspect)
    paper = _paper(title, holder, number, lines, pw, ph, rng)
    paper = paper.rotate(rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True)
    x = (w - paper.width) // 2 + rng.randint(-w // 40, w // 40)
    y = (h - paper.height) // 2 + rng.randint(-h // 40, h // 40)
    shadow = Image.new("RGBA", paper.size, (0, 0, 0, 0))
    shadow.putalpha(paper.getchannel("A").point(lambda a: a * 0.55).filter(ImageFilter.GaussianBlur(10)))
    photo.alpha_composite(shadow, (x + 8, y + 12))
    photo.alpha_composite(paper, (x, y))
    rgb = photo.convert("RGB")
    # Uneven light: bright centre (vignette) and a slope from one side.
    light_map = ImageOps.invert(Image.radial_gradient("L")).resize((w, h))
    slope = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize((w, h))
    light_map = ImageChops.multiply(light_map.point(lambda v: 150 + v * 0.42),
                                    slope.point(lambda v: 215 + v * 0.16))
    rgb = ImageChops.multiply(rgb, Image.merge("RGB", [light_map] * 3))
    grain = _noise(rng, (w, h)).point(lambda v: 128 + (v - 128) * 0.08)
    rgb = ImageChops.add(rgb, Image.merge("RGB", [grain] * 3), 1.0, -128)
    rgb = rgb.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 0.9)))
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = rng.choice(_PHONES)
    if orientation != 1:
        exif[ExifTags.Base.Orientation] = orientation
        rgb = rgb.transpose(_STORE_FOR_ORIENTATION[orientation])
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


class _Letter(FPDF):
    """An A4 page. Latin-1 text uses the core Helvetica; anything else DejaVu Sans.

    NOTE: fpdf2's core fonts know only latin-1, but loading and subsetting the TTF costs
    ~70 ms a document, which the demo (hundreds of PDFs) cannot afford when not needed.
    """

    def __init__(self, texts: Sequence[str] = ()) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        try:
            "".join(texts).encode("latin-1")
            self.family = "Helvetica"
        except UnicodeEncodeError:
            self.family = "DejaVu"
            self.add_font("DejaVu", "", str(resource_path("fonts", "DejaVuSans.ttf")))
            self.add_font("DejaVu", "B", str(resource_path("fonts", "DejaVuSans-Bold.ttf")))
        self.set_auto_page_break(False)
        self.set_margins(22, 15, 22)

    def row(self, text: str, size: float = 11, style: str = "", align: str = "L",
            gap: float = 1.5) -> None:
        """A paragraph in DejaVu `size` pt, then `gap` mm of space."""
        self.set_font(self.family, style, size)
        self.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)


def _pseudo_qr(pdf: FPDF, x: float, y: float, side: float, text: str) -> None:
    """A QR-like square pattern derived from `text` (a placeholder, not a real QR code)."""
    cells, bits = 21, int.from_bytes(hashlib.sha256(text.encode()).digest() * 2, "big")
    step = side / cells
    for i in range(cells * cells):
        r, c = divmod(i, cells)
        on = bool(bits >> (i % 512) & 1)
        for r0, c0 in ((0, 0), (0, 14), (14, 0)):  # the three finder squares
            lr, lc = r - r0, c - c0
            if 0 <= lr < 7 and 0 <= lc < 7:
                on = lr in (0, 6) or lc in (0, 6) or (2 <= lr <= 4 and 2 <= lc <= 4)
        if on:
            pdf.rect(x + c * step, y + r * step, step, step, style="F")


def document_pdf(title: str, *, holder: str, number: str = "", lines: Sequence[str] = (),
                 issuer: str = ISSUER, qr_text: str | None = None, dated: date | None = None) -> bytes:
    """An A4 letter/certificate PDF from `issuer`: kop, title, number, fields, signature.

    `lines` may be "Key: value" pairs (set as a table) or free sentences. With `qr_text`
    the signature is electronic (TTE): a QR-like placeholder box labelled "TTE".
    `dated` (default today) is the "Paringin, <date>" line; equal inputs give equal bytes.
    About a dozen lines fit; the page does not grow (the demo never needs more).
    """
    dated = dated or date.today()
    pdf = _Letter([title, holder, number, issuer, *lines])
    pdf.set_creation_date(datetime.combine(dated, time(9, 0), tzinfo=timezone.utc))
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_draw_color(40, 40, 40)
    pdf.ellipse(22, 15, 20, 24)  # where the regency emblem sits on real letterheads
    pdf.set_left_margin(44)  # the kop is centred in the space right of the emblem
    pdf.set_right_margin(14)
    pdf.row("PEMERINTAH KABUPATEN BALANGAN", 13, "B", "C", 0.5)
    pdf.row(issuer.upper(), 10, "B", "C", 0.5)
    pdf.row(ADDRESS, 8, "", "C", 0)
    pdf.set_margins(22, 15, 22)
    y = max(pdf.get_y(), 40) + 2
    for width, dy in ((0.9, 0), (0.25, 1.3)):  # the kop's thick-and-thin rule
        pdf.set_line_width(width)
        pdf.line(22, y + dy, 188, y + dy)
    pdf.set_y(y + 9)
    pdf.row(title.upper(), 15, "B", "C", 1)
    if number:
        pdf.row(f"Nomor: {number}", 11, "", "C", 6)
    pdf.row("Yang bertanda tangan di bawah ini menerangkan bahwa:", 11, gap=3)
    for line in [f"Nama: {holder}", *lines]:
        key, sep, value = line.partition(":")
        if sep and len(key) <= 28:
            pdf.set_font(pdf.family, "", 11)
            pdf.set_x(30)
            pdf.cell(48, 6, key.strip())
            pdf.multi_cell(0, 6, f": {value.strip()}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.8)
        else:
            pdf.row(line, 11)
    pdf.ln(4)
    pdf.row("Demikian surat ini dibuat dengan sebenarnya untuk dapat dipergunakan "
            "sebagaimana mestinya.", 11, gap=10)
    pdf.set_left_margin(112)
    pdf.row(f"Paringin, {date_id(dated)}", 11, gap=0.5)
    pdf.row("KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KABUPATEN BALANGAN,", 10, "B", gap=3)
    if qr_text is not None:
        top = pdf.get_y()
        pdf.rect(112, top, 30, 30)
        _pseudo_qr(pdf, 114, top + 2, 26, qr_text)
        pdf.set_xy(144, top + 11)
        pdf.set_font(pdf.family, "B", 14)
        pdf.cell(20, 8, "TTE", new_x="LMARGIN", new_y="TOP")
        pdf.set_y(top + 33)
    else:
        pdf.set_y(pdf.get_y() + 24)
    pdf.row("H. CONTOH PEJABAT, M.AP", 11, "B", gap=0.5)
    pdf.row("Pembina Tingkat I (IV/b)", 10, gap=0.5)
    pdf.row("NIP. 19700101 199503 1 001", 10)
    pdf.set_left_margin(22)
    pdf.set_y(268)
    if qr_text is not None:
        pdf.row("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat "
                "elektronik yang diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), BSSN.",
                7.5, align="C", gap=0.5)
    pdf.set_text_color(150, 40, 40)
    pdf.row(SPECIMEN, 7.5, "B", "C", 0)
    return bytes(pdf.output())


def issued_document_pdf(service_name: str, *, holder: str, nik: str, number: str,
                        issued_on: date) -> bytes:
    """The finished document of a request (e.g. "Kutipan Akta Kelahiran"), signed by TTE.

    The 16-digit NIK is printed unbroken so a later check can tie the PDF to its request.
    """
    if len(nik) != 16 or not nik.isdigit():
        raise ValueError(f"NIK must be 16 digits, not {nik!r}")
    lines = [f"NIK: {nik}", f"Jenis Dokumen: {service_name}", f"Tanggal Terbit: {date_id(issued_on)}",
             f"Kepada penduduk tersebut di atas telah diterbitkan {service_name} sesuai data "
             "kependudukan pada Sistem Informasi Administrasi Kependudukan (SIAK)."]
    return document_pdf(service_name, holder=holder, number=number, lines=lines,
                        qr_text=f"{number}|{nik}|{issued_on.isoformat()}", dated=issued_on)
