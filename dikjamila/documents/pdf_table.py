"""Bordered tables on an `FPDF` page: shaded bold header row, wrapped cells, page breaks that
repeat the header.

Written here rather than with fpdf2's `table()`: that one lays text out with `multi_cell`,
whose line breaking measures the growing line again for every character (a 3-row table
cost ~7 ms, most of a receipt's layout time). Here each word is measured once and every
line is one `cell`. Cells wrap at spaces and at explicit newlines; a word wider than its
column is cut by characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.fonts import FontFace

PAD_X, PAD_Y = 1.6, 1.3


@dataclass(frozen=True)
class _Font:
    family: str
    style: str
    size: float


def _font_of(face: FontFace | None, default: _Font) -> _Font:
    if face is None:
        return default
    style = face.emphasis.style if face.emphasis is not None else default.style
    return _Font(face.family or default.family, style, face.size_pt or default.size)


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Lines of `text` no wider than `width` in the current font."""
    lines: list[str] = []
    space = pdf.get_string_width(" ")
    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for word in paragraph.split():
            w = pdf.get_string_width(word)
            while w > width and len(word) > 1:  # an overlong word (a hash, a file name): cut it
                if line:
                    lines.append(line)
                    line, line_width = "", 0.0
                cut = len(word) - 1
                while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                w = pdf.get_string_width(word)
            if line and line_width + space + w > width:
                lines.append(line)
                line, line_width = word, w
            else:
                line, line_width = (f"{line} {word}", line_width + space + w) if line else (word, w)
        lines.append(line)
    return lines


def draw_table(pdf: FPDF, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
               aligns: Sequence[str], *, family: str, size: float, line_height: float,
               header_fill: tuple[int, int, int], styles: Sequence[FontFace | None] | None = None) -> None:
    """Draw the table at the current position, across the left margin."""
    body = _Font(family, "", size)
    head_fonts = [_Font(family, "B", size)] * len(headers)
    body_fonts = [_font_of(styles[i] if styles and i < len(styles) else None, body) for i in range(len(headers))]

    def laid_out(values: Sequence[str], fonts: Sequence[_Font]) -> tuple[list[list[str]], float]:
        cells = []
        for value, width, font in zip(values, widths, fonts, strict=False):
            pdf.set_font(font.family, font.style, font.size)
            cells.append(wrap(pdf, str(value), width - 2 * PAD_X))
        return cells, max(len(c) for c in cells) * line_height + 2 * PAD_Y

    def draw(cells: list[list[str]], height: float, fonts: Sequence[_Font], fill: bool) -> None:
        x, top = pdf.l_margin, pdf.get_y()
        if fill:
            pdf.set_fill_color(*header_fill)
        for lines, width, align, font in zip(cells, widths, aligns, fonts, strict=False):
            pdf.rect(x, top, width, height, style="DF" if fill else "D")
            pdf.set_font(font.family, font.style, font.size)
            y = top + (height - len(lines) * line_height) / 2
            for line in lines:
                pdf.set_xy(x + PAD_X, y)
                pdf.cell(width - 2 * PAD_X, line_height, line, align=align)
                y += line_height
            x += width
        pdf.set_xy(pdf.l_margin, top + height)

    head, head_height = laid_out(headers, head_fonts)
    if pdf.will_page_break(head_height + line_height + 2 * PAD_Y):
        pdf.add_page()
    draw(head, head_height, head_fonts, True)
    for values in rows:
        cells, height = laid_out(values, body_fonts)
        if pdf.will_page_break(height):
            pdf.add_page()
            draw(head, head_height, head_fonts, True)
        draw(cells, height, body_fonts, False)
