"""The office's PDF page: A4 portrait in mm, DejaVu fonts, letterhead, footer, tables.

Every generated document (receipt, missing-documents notice, archive bundle cover, reports)
starts from `OfficePdf`, so they share one look and one font set-up.

Fonts, and why they are not simply `add_font`-ed: `FPDF.add_font` parses the TrueType file
for every document (~30 ms a face), and at output fpdf2 subsets the whole 6,000-glyph DejaVu
(~35 ms a face) — a receipt cost ~85 ms in fonts alone. Here, once per process:

- the face is parsed once (`TTFFont`: cmap, widths, glyph ids, descriptor); each document
  gets a shallow copy with fresh copies of everything fpdf2 changes while writing: the glyph
  subset map, the missing-glyph list, the descriptor (it receives an object id and the
  embedded file) and the fontTools `TTFont` — `FPDF.output` subsets that object *in place*,
  so a shared one would leave the next document with only the previous one's glyphs;
- a "core" cut of the face (Latin, punctuation, a few symbols: ~620 glyphs) is made, with
  glyph names kept. At output, a document whose glyphs all lie in the core is subset from it
  (~6 ms a face); any other document falls back to the full font, so every glyph DejaVu has
  still renders. fpdf2 addresses glyphs by name at output, and widths come from the parsed
  face, so both sources give the same layout.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from fontTools import subset as ftsubset  # type: ignore[import-untyped]
from fontTools import ttLib  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.fonts import FontFace, SubsetMap, TTFFont

from dikjamila.documents.pdf_table import draw_table
from dikjamila.i18n import tr
from dikjamila.resources import resource_path

FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

# Code points of the core cut: ASCII, Latin-1, Latin Extended-A (Ħ), Latin Extended Additional
# (Ṣ), punctuation (– — ‘ ’ “ ” • …), €, №, minus, check marks. Kept small on purpose: the
# per-document subsetting time grows with the glyphs in the cut (~620 here, ~6 ms a face).
_CORE_RANGES = (
    (0x20, 0x7E), (0xA0, 0x17F), (0x1E00, 0x1EFF), (0x2010, 0x203A), (0x20AC, 0x20AC),
    (0x2116, 0x2116), (0x2212, 0x2212), (0x2713, 0x2714),
)

# A fixed creation date keeps the bytes of a document the same for the same content (the
# outbox recognises a document by its sha256); callers pass a meaningful date when they have one.
FIXED_CREATION_DATE = datetime(2020, 7, 1, tzinfo=UTC)

MARGIN_MM = 18.0
HEADER_FILL = (225, 230, 238)
RULE_COLOUR = (40, 40, 40)
MUTED = (90, 90, 90)


@dataclass(frozen=True)
class _ParsedFont:
    proto: TTFFont
    full: bytes
    core: bytes
    core_names: frozenset[str]


_cache: dict[str, _ParsedFont] = {}
_cache_lock = threading.Lock()


def _core_cut(font: ttLib.TTFont) -> tuple[bytes, frozenset[str]]:
    """Subset `font` (consumed) to the core code points, keeping glyph names."""
    options = ftsubset.Options(
        notdef_outline=True, recommended_glyphs=True, glyph_names=True,
        layout_features=[], legacy_kern=False,
    )
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "kern"]
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=[u for lo, hi in _CORE_RANGES for u in range(lo, hi + 1)])
    subsetter.subset(font)
    # NOTE: without this, saving expands and recompiles every glyph (~3x slower).
    font.recalcBBoxes = False
    buffer = BytesIO()
    font.save(buffer)
    names = frozenset(font.getGlyphOrder())
    font.close()  # (a lazy TTFont keeps its file open)
    return buffer.getvalue(), names


def _parsed(style: str) -> _ParsedFont:
    """The font face for `style`, parsed once per process."""
    with _cache_lock:
        parsed = _cache.get(style)
        if parsed is None:
            path = Path(resource_path("fonts", _FONT_FILES[style]))
            scratch = FPDF()
            scratch.render_color_fonts = False
            proto = TTFFont(scratch, path, f"{FAMILY.lower()}{style}", style)
            full = path.read_bytes()
            # The proto's own TTFont has its tables loaded already; cutting it is cheapest,
            # and documents never use it (each gets its own).
            core, core_names = _core_cut(proto.ttfont)
            parsed = _ParsedFont(proto=proto, full=full, core=core, core_names=core_names)
            _cache[style] = parsed
        return parsed


def _open_font(data: bytes) -> ttLib.TTFont:
    return ttLib.TTFont(BytesIO(data), recalcTimestamp=False, recalcBBoxes=False, lazy=True)


def _font_for(pdf: FPDF, style: str) -> TTFFont:
    """A per-document copy of a cached face: shared metrics, fresh mutable state."""
    parsed = _parsed(style)
    font = copy.copy(parsed.proto)
    font.i = len(pdf.fonts) + 1
    font.ttfont = _open_font(parsed.full)
    font._hbfont = None
    font.desc = copy.copy(parsed.proto.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.color_font = None
    font.subset = SubsetMap(font)
    return font


def _choose_source(font: TTFFont, style: str) -> None:
    """Before output: subset from the core cut when it holds every glyph the page uses."""
    parsed = _parsed(style)
    if parsed.core_names.issuperset(font.subset.get_all_glyph_names()):
        font.ttfont = _open_font(parsed.core)
    else:
        font.ttfont = _open_font(parsed.full)


def preload_fonts() -> None:
    """Parse the bundled fonts now (e.g. on a worker at start-up) instead of at first use."""
    for style in _FONT_FILES:
        _parsed(style)


class OfficePdf(FPDF):
    """A4 portrait document of the office: DejaVu family, letterhead, paged footer.

    `footer_note` (a short string, e.g. the audit chain head) is printed small at the
    bottom left of every page; the bottom right says "Halaman X dari Y".
    """

    def __init__(self, *, created_at: datetime | None = None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for style in _FONT_FILES:
            self.fonts[f"{FAMILY.lower()}{style}"] = _font_for(self, style)
        self.footer_note = ""
        self.numbered = True  # False: no "Halaman X dari Y" (a page that joins a larger file)
        self.set_margins(MARGIN_MM, 16, MARGIN_MM)
        self.set_auto_page_break(True, margin=20)
        self.set_creation_date(created_at or FIXED_CREATION_DATE)
        self.set_creator("Dik Jamila")
        self.set_font(FAMILY, "", 10)

    # -- page furniture -------------------------------------------------------------

    def footer(self) -> None:
        self.set_y(-13)
        self.set_draw_color(*RULE_COLOUR)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*MUTED)
        page_width = 28 if self.numbered else 0
        note, room = self.footer_note, self.epw - page_width - 2
        if self.get_string_width(note) > room:  # cut, never wrap or run under the page number
            while note and self.get_string_width(note + "…") > room:
                note = note[:-1]
            note += "…"
        self.cell(self.epw - page_width, 6, note, align="L")
        if self.numbered:
            page_text = tr("Halaman {page} dari {total}", page=self.page_no(), total="{nb}")
            self.cell(page_width, 6, page_text, align="R")
        self.set_text_color(0, 0, 0)

    def letterhead(self, office_name: str, office_address: str, title: str) -> None:
        """Official header (kop surat) on the current page, then the centred title."""
        if self.page == 0:
            self.add_page()
        self.set_text_color(0, 0, 0)
        self.set_font(FAMILY, "B", 12)
        self.cell(0, 6, tr("PEMERINTAH KABUPATEN BALANGAN"), align="C",
                  new_x="LMARGIN", new_y="NEXT")
        # A long office name is set a little smaller before it is allowed to wrap.
        name, size = office_name.upper(), 14.0
        while size > 11 and self._width_at(name, "B", size) > self.epw:
            size -= 0.5
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, 7, name, align="C", new_x="LMARGIN", new_y="NEXT")
        if office_address:
            self.set_font(FAMILY, "", 9)
            self.multi_cell(0, 4.6, office_address, align="C", new_x="LMARGIN", new_y="NEXT")
        y = self.get_y() + 2
        self.set_draw_color(*RULE_COLOUR)
        self.set_line_width(0.8)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_line_width(0.25)
        self.line(self.l_margin, y + 1.2, self.w - self.r_margin, y + 1.2)
        self.set_y(y + 6)
        self.set_font(FAMILY, "B", 13)
        self.multi_cell(0, 7, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_font(FAMILY, "", 10)

    def _width_at(self, text: str, style: str, size: float) -> float:
        self.set_font(FAMILY, style, size)
        return self.get_string_width(text)

    # -- content helpers ------------------------------------------------------------

    def heading(self, text: str, size: float = 11) -> None:
        """A bold section heading with a little space above it."""
        self.ln(2)
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 10)

    def paragraph(self, text: str, size: float = 10, line_height: float = 5.2) -> None:
        """Wrapped body text across the page width."""
        self.set_font(FAMILY, "", size)
        self.multi_cell(0, line_height, text, new_x="LMARGIN", new_y="NEXT")

    def key_values(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        label_width: float = 48,
        size: float = 10,
        line_height: float = 6,
    ) -> None:
        """A block of "label : value" lines; long values wrap under themselves."""
        for label, value in pairs:
            if self.will_page_break(line_height):
                self.add_page()
            self.set_font(FAMILY, "", size)
            self.cell(label_width, line_height, label)
            self.cell(4, line_height, ":")
            self.set_font(FAMILY, "B", size)
            value = value or "-"
            if self.get_string_width(value) <= self.w - self.r_margin - self.get_x() - 1:
                self.cell(0, line_height, value, new_x="LMARGIN", new_y="NEXT")  # (much faster)
            else:
                self.multi_cell(0, line_height, value, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 10)

    # NOTE: this deliberately replaces fpdf2's `table()` context manager with a plain call
    # (headers + rows), drawn by `pdf_table` (see there why not fpdf2's).
    def table(  # type: ignore[override]
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float] | None = None,
        aligns: Sequence[str] | None = None,
        *,
        size: float = 9,
        line_height: float = 4.8,
        styles: Sequence[FontFace | None] | None = None,
    ) -> None:
        """A bordered table: shaded bold header row, repeated after each page break.

        `widths` are in mm (default: equal shares of the text width); `aligns` holds
        "L", "C" or "R" per column (default: left); `styles` an optional font per column
        for the body cells, e.g. `FontFace(family="Courier", size_pt=7)` for hashes.
        Cells wrap at spaces and newlines.
        """
        columns = len(headers)
        self.set_draw_color(*RULE_COLOUR)
        self.set_line_width(0.2)
        draw_table(self, headers, rows, list(widths) if widths else [self.epw / columns] * columns,
                   list(aligns) if aligns else ["L"] * columns, family=FAMILY, size=size,
                   line_height=line_height, header_fill=HEADER_FILL, styles=styles)
        self.set_font(FAMILY, "", 10)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        for style in _FONT_FILES:
            font = self.fonts[f"{FAMILY.lower()}{style}"]
            if isinstance(font, TTFFont):
                _choose_source(font, style)
        return super().output(*args, **kwargs)

    def output_bytes(self) -> bytes:
        """The finished PDF file."""
        return bytes(self.output())
