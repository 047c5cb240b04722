"""Bar charts drawn with fpdf2's own primitives (rect, line, text): no image, no extra library.

Each chart is placed at the current y across the text width, moved to a new page first when
it would not fit, and leaves y below itself. Every chart has a title, value labels on its
bars, and a labelled, ticked value axis.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from fpdf import FPDF

from dikjamila.documents.pdf_base import FAMILY

BAR = (52, 96, 150)
GRID = (205, 205, 205)
AXIS = (60, 60, 60)
MUTED = (90, 90, 90)

Row = tuple[str, float]  # (category label, value)


def nice_step(rough: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten, at least `rough`."""
    if rough <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough - 1e-12)


def count_ticks(largest: float, *, intervals: int = 5) -> list[float]:
    """Ticks from 0 past `largest` for a count axis (whole-number steps)."""
    step = max(1.0, nice_step(max(largest, 1) / intervals))
    top = max(step, math.ceil(largest / step) * step)
    return [i * step for i in range(round(top / step) + 1)]


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut to `width` mm with an ellipsis when it is longer."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "\u2026") > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _title(pdf: FPDF, title: str, needed: float) -> None:
    if pdf.will_page_break(needed + 8):
        pdf.add_page()
    pdf.ln(1)
    pdf.set_font(FAMILY, "B", 9.5)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")


def _tick_text(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:.1f}".replace(".", ",")


HBAR_HEIGHT, HBAR_GAP = 4.2, 1.6


def hbar_height(count: int) -> float:
    """The height (mm) of a horizontal bar chart of `count` rows, title and axis included."""
    return 7 + count * (HBAR_HEIGHT + HBAR_GAP) + HBAR_GAP + 11


def vbar_height(height: float, captions: bool = False) -> float:
    """The height (mm) of a vertical bar chart whose plot is `height` mm."""
    return 7 + 3 + height + (10.4 if captions else 7.2) + 3


def hbar_chart(pdf: FPDF, title: str, rows: Sequence[Row], *, axis_label: str,
               value_text: Callable[[float], str] = _tick_text, label_width: float = 62) -> None:
    """Horizontal bars, one per row, labelled on the left, values at the bar ends."""
    with pdf.local_context():
        _hbars(pdf, title, rows, axis_label, value_text, label_width)


def _hbars(pdf: FPDF, title: str, rows: Sequence[Row], axis_label: str, value_text: Callable[[float], str],
           label_width: float) -> None:
    bar_height, gap = HBAR_HEIGHT, HBAR_GAP
    ticks = count_ticks(max((v for _, v in rows), default=0))
    plot_h = len(rows) * (bar_height + gap) + gap
    _title(pdf, title, plot_h + 12)
    left = pdf.l_margin + label_width + 2
    width = pdf.epw - label_width - 14  # room after the longest bar for its value
    top = pdf.get_y() + 1
    scale = width / ticks[-1]
    # Grid and tick labels.
    pdf.set_font(FAMILY, "", 7)
    pdf.set_line_width(0.15)
    for tick in ticks:
        x = left + tick * scale
        pdf.set_draw_color(*(AXIS if tick == 0 else GRID))
        pdf.line(x, top, x, top + plot_h)
        pdf.set_text_color(*MUTED)
        pdf.text(x - pdf.get_string_width(_tick_text(tick)) / 2, top + plot_h + 3.4, _tick_text(tick))
    # Bars.
    for i, (label, value) in enumerate(rows):
        y = top + gap + i * (bar_height + gap)
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FAMILY, "", 7.5)
        shown = _fit(pdf, label, label_width)
        pdf.text(left - 2 - pdf.get_string_width(shown), y + bar_height * 0.75, shown)
        if value > 0:
            pdf.set_fill_color(*BAR)
            pdf.rect(left, y, value * scale, bar_height, style="F")
        pdf.set_font(FAMILY, "B", 7.5)
        pdf.text(left + value * scale + 1.2, y + bar_height * 0.75, value_text(value))
    pdf.set_font(FAMILY, "", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.text(left + (width - pdf.get_string_width(axis_label)) / 2, top + plot_h + 7.4, axis_label)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(top + plot_h + 10)


def vbar_chart(pdf: FPDF, title: str, rows: Sequence[Row], *, axis_label: str, ticks: Sequence[float] | None = None,
               value_text: Callable[[float], str] = _tick_text, height: float = 46, width: float | None = None,
               caption_rows: Sequence[str] = ()) -> None:
    """Vertical bars over categories; the value axis runs from the first tick to the last.

    `ticks` default to whole counts from 0; the IKM chart passes 1-4. `caption_rows` are
    second lines under the category labels (e.g. a share).
    """
    with pdf.local_context():
        _vbars(pdf, title, rows, axis_label, ticks, value_text, height, width, caption_rows)


def _vbars(pdf: FPDF, title: str, rows: Sequence[Row], axis_label: str, ticks: Sequence[float] | None,
           value_text: Callable[[float], str], height: float, width: float | None,
           caption_rows: Sequence[str]) -> None:
    axis = list(ticks) if ticks else count_ticks(max((v for _, v in rows), default=0), intervals=4)
    low, high = axis[0], axis[-1]
    _title(pdf, title, height + 14)
    axis_w = 12
    left = pdf.l_margin + axis_w
    plot_w = (width or pdf.epw) - axis_w
    top = pdf.get_y() + 3
    bottom = top + height
    scale = height / (high - low)
    pdf.set_line_width(0.15)
    pdf.set_font(FAMILY, "", 7)
    for tick in axis:
        y = bottom - (tick - low) * scale
        pdf.set_draw_color(*(AXIS if tick == low else GRID))
        pdf.line(left, y, left + plot_w, y)
        pdf.set_text_color(*MUTED)
        text = _tick_text(tick)
        pdf.text(left - 1.5 - pdf.get_string_width(text), y + 1.2, text)
    pdf.set_draw_color(*AXIS)
    pdf.line(left, top, left, bottom)
    slot = plot_w / max(len(rows), 1)
    bar_w = min(slot * 0.6, 16)
    for i, (label, value) in enumerate(rows):
        x = left + i * slot + (slot - bar_w) / 2
        y = bottom - (min(value, high) - low) * scale
        if value > low:
            pdf.set_fill_color(*BAR)
            pdf.rect(x, y, bar_w, bottom - y, style="F")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FAMILY, "B", 7.5)
        shown = value_text(value)
        pdf.text(x + (bar_w - pdf.get_string_width(shown)) / 2, y - 1.2, shown)
        pdf.set_font(FAMILY, "", 7.5)
        name = _fit(pdf, label, slot - 1)
        pdf.text(left + i * slot + (slot - pdf.get_string_width(name)) / 2, bottom + 3.6, name)
        if i < len(caption_rows):
            pdf.set_text_color(*MUTED)
            note = _fit(pdf, caption_rows[i], slot - 1)
            pdf.text(left + i * slot + (slot - pdf.get_string_width(note)) / 2, bottom + 7, note)
    pdf.set_text_color(*MUTED)
    pdf.set_font(FAMILY, "", 7.5)
    below = bottom + (10.4 if caption_rows else 7.2)
    pdf.text(left + (plot_w - pdf.get_string_width(axis_label)) / 2, below, axis_label)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(below + 3)
