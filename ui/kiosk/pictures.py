"""Pictures drawn in code: service icons and the survey's faces.

NOTE: drawn, not emoji: a kiosk PC may have no colour-emoji font (this one has none), and
then 😞 🙁 🙂 😄 would show as empty boxes. Service icons come from `resources/kiosk/icons/`
(`<name>.svg` or `.png`) when the office ships them; otherwise a pictogram is drawn for the
names the kiosk core uses, and a document with the service's initials for any other.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap

from ui.kiosk.theme import ACCENT

#: Face colours for scores 1..4 (the face's shape also differs, for colour-blind eyes).
FACE_COLOURS = {1: "#dc2626", 2: "#f59e0b", 3: "#84cc16", 4: "#16a34a"}


def _icon_file(name: str):
    if not name:
        return None
    try:
        from dikjamila.resources import resource_path

        for ext in ("svg", "png"):
            path = resource_path("kiosk", "icons", f"{name}.{ext}")
            if path.is_file():
                return path
    except FileNotFoundError:
        return None
    return None


def _initials(title: str) -> str:
    words = [w for w in title.replace("/", " ").split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def service_icon(icon: str, title: str, size: int) -> QPixmap:
    """The icon `icon` of a service named `title`, `size` px square: the office's file, else a
    pictogram drawn here, else a document with the service's initials."""
    path = _icon_file(icon)
    if path is not None:
        pixmap = QPixmap(str(path))
        if not pixmap.isNull():
            return pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw = _PICTOGRAMS.get(icon)
    if draw is None:
        _document(p, size, _initials(title))
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(ACCENT))
        p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.18, size * 0.18)
        p.scale(size / 100, size / 100)  # pictograms are drawn on a 100 × 100 grid
        p.setBrush(QColor("white"))
        p.setPen(QPen(QColor("white"), 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        draw(p)
    p.end()
    return pixmap


def _document(p: QPainter, size: int, initials: str) -> None:
    w, h = size * 0.74, size * 0.92
    x, y, fold = (size - w) / 2, (size - h) / 2, size * 0.2
    page = QPainterPath()
    page.moveTo(x, y)
    page.lineTo(x + w - fold, y)
    page.lineTo(x + w, y + fold)
    page.lineTo(x + w, y + h)
    page.lineTo(x, y + h)
    page.closeSubpath()
    p.setPen(QPen(QColor("#172554"), max(2, size / 32)))
    p.setBrush(QColor(ACCENT))
    p.drawPath(page)
    p.setBrush(QColor("#93c5fd"))
    corner = QPainterPath()
    corner.moveTo(x + w - fold, y)
    corner.lineTo(x + w - fold, y + fold)
    corner.lineTo(x + w, y + fold)
    corner.closeSubpath()
    p.drawPath(corner)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.3))
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(x, y + fold * 0.8, w, h - fold), Qt.AlignmentFlag.AlignCenter, initials)


# -- pictograms, white on the accent colour, drawn on a 100 × 100 grid ----------------------------------
def _person(p: QPainter, cx: float, top: float, height: float, *, outline: bool = False) -> None:
    head = height * 0.3
    p.save()
    p.setPen(QPen(QColor(ACCENT), 5) if outline else Qt.PenStyle.NoPen)
    p.drawEllipse(QPointF(cx, top + head / 2), head / 2, head / 2)
    body = QPainterPath()
    body.addRoundedRect(QRectF(cx - height * 0.26, top + head * 1.12, height * 0.52, height - head * 1.12),
                        height * 0.2, height * 0.2)
    p.drawPath(body)
    p.restore()


def _family(p: QPainter) -> None:
    _person(p, 30, 18, 64)
    _person(p, 70, 18, 64)
    _person(p, 50, 42, 42, outline=True)  # the child in front, set off from the parents


def _child(p: QPainter) -> None:
    _person(p, 40, 18, 66)
    _person(p, 66, 44, 40, outline=True)


def _baby(p: QPainter) -> None:
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QPointF(50, 32), 15, 15)
    p.drawRoundedRect(QRectF(28, 46, 44, 36), 18, 18)
    p.restore()


def _card(p: QPainter) -> None:
    p.save()
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(14, 26, 72, 48), 7, 7)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("white"))
    p.drawRect(QRectF(23, 36, 20, 26))
    p.restore()
    for y in (40, 51, 62):
        p.drawLine(QPointF(52, y), QPointF(76, y))


def _rings(p: QPainter, gap: float = 0) -> None:
    p.save()
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(38 - gap, 52), 18, 18)
    p.drawEllipse(QPointF(62 + gap, 52), 18, 18)
    p.restore()


def _divorce(p: QPainter) -> None:
    _rings(p, gap=8)
    p.drawLine(QPointF(50, 20), QPointF(50, 84))


def _flower(p: QPainter) -> None:
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    for n in range(5):
        p.save()
        p.translate(50, 50)
        p.rotate(n * 72)
        p.drawEllipse(QPointF(0, -18), 10, 16)
        p.restore()
    p.setBrush(QColor(ACCENT))
    p.drawEllipse(QPointF(50, 50), 8, 8)
    p.restore()


def _house(p: QPainter, x: float) -> None:
    p.save()
    p.setBrush(Qt.BrushStyle.NoBrush)
    roof = QPainterPath()
    roof.moveTo(x, 48)
    roof.lineTo(x + 22, 26)
    roof.lineTo(x + 44, 48)
    p.drawPath(roof)
    p.drawRect(QRectF(x + 7, 48, 30, 28))
    p.restore()


def _arrow(p: QPainter, x1: float, x2: float) -> None:
    p.drawLine(QPointF(x1, 62), QPointF(x2, 62))
    head = 9 if x2 > x1 else -9
    p.drawLine(QPointF(x2, 62), QPointF(x2 - head, 53))
    p.drawLine(QPointF(x2, 62), QPointF(x2 - head, 71))


def _moving_out(p: QPainter) -> None:
    _house(p, 10)
    _arrow(p, 58, 90)


def _moving_in(p: QPainter) -> None:
    _arrow(p, 12, 42)
    _house(p, 48)


def _name(p: QPainter) -> None:
    font = QFont()
    font.setBold(True)
    font.setPixelSize(46)
    p.setFont(font)
    p.drawText(QRectF(0, 12, 100, 56), Qt.AlignmentFlag.AlignCenter, "Aa")
    p.drawLine(QPointF(22, 78), QPointF(78, 78))


#: The icon names the kiosk core gives its services (`dikjamila.kiosk.service_texts`).
_PICTOGRAMS = {
    "bayi": _baby, "anak": _child, "keluarga": _family, "ktp": _card, "cincin": _rings,
    "perceraian": _divorce, "kematian": _flower, "pindah": _moving_out, "datang": _moving_in, "nama": _name,
}


def face(score: int, size: int) -> QPixmap:
    """A face for a score 1 (very unhappy) .. 4 (very happy), `size` px square."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    line = max(2.0, size / 18)
    p.setPen(QPen(QColor("#111827"), line))
    p.setBrush(QColor(FACE_COLOURS[score]))
    m = line
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m))
    p.setBrush(QColor("#111827"))
    eye = size * 0.075
    for ex in (0.35, 0.65):
        p.drawEllipse(QPointF(size * ex, size * 0.38), eye, eye)
    # The mouth: a curve whose bend goes from a deep frown (1) to a wide smile (4).
    bend = {1: -0.16, 2: -0.07, 3: 0.08, 4: 0.18}[score]
    left, right, mouth_y = QPointF(size * 0.3, size * 0.68), QPointF(size * 0.7, size * 0.68), size * 0.68
    mouth = QPainterPath(left)
    mouth.quadTo(QPointF(size * 0.5, mouth_y + bend * size * 2), right)
    p.setBrush(Qt.BrushStyle.NoBrush if score < 4 else QColor("#111827"))
    if score == 4:
        mouth.closeSubpath()
    p.drawPath(mouth)
    p.end()
    return pixmap
