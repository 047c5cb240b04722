"""The IKM survey form (PermenPANRB 14/2017): nine elements U1–U9, each scored 1–4.

The operator fills it in with the resident at the counter (or from a paper form). All nine
answers are required: the save button stays disabled and says which are missing. Keys 1–4
answer the row that has the focus (else the first unanswered one) and move on to the next.
The answers are saved by the desk on the database worker; its refusal (the request is not
finished, or was already answered) is shown in the dialog, in its words.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.desk.survey import SCORE_LABELS, SURVEY_ELEMENTS
from dikjamila.i18n import tr

#: (code, label) of U1..U9 in the order the desk stores them, and (score, word) of the scale;
#: the labels are source texts for `tr` (the same as the WhatsApp invitation's).
ELEMENTS = tuple((f"U{n}", label) for n, label in enumerate(SURVEY_ELEMENTS, start=1))
CHOICES = tuple(sorted(SCORE_LABELS.items()))
_BUTTON_STYLE = ("QPushButton { padding: 4px 8px; border: 1px solid #9ca3af; border-radius: 5px; background: #ffffff; }"
                 "QPushButton:checked { background: #1d4ed8; color: white; border-color: #1e3a8a; font-weight: bold; }"
                 "QPushButton:focus { border: 2px solid #f59e0b; }")


class SurveyDialog(QDialog):
    """The survey for request `request_id`; `saved(object)` carries the desk's result.

    Open it with `open()` (not `exec()`): it saves on the worker and closes itself when the
    desk has accepted the answers.
    """

    saved = Signal(object)

    def __init__(self, ctx, request_id: int, *, heading: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = request_id
        self.setWindowTitle(tr("Survei kepuasan masyarakat (IKM)"))
        self.groups: list[QButtonGroup] = []
        self._saving = False
        title = QLabel(heading, self)
        title.setStyleSheet("font-size: 14px; font-weight: bold;")
        title.setVisible(bool(heading))
        intro = QLabel(tr("Tanyakan kesembilan unsur kepada pemohon dan pilih jawabannya. Tombol 1–4 pada papan "
                          "ketik menjawab baris yang aktif lalu pindah ke baris berikutnya."), self)
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        for column, (score, word) in enumerate(CHOICES, start=1):
            head = QLabel(f"{score}\n{tr(word)}", self)
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            head.setStyleSheet("color: #374151; font-weight: bold;")
            grid.addWidget(head, 0, column)
        for row, (code, label) in enumerate(ELEMENTS, start=1):
            name = QLabel(f"<b>{code}</b>&nbsp; {tr(label)}", self)
            name.setWordWrap(True)
            name.setMinimumWidth(240)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignVCenter)
            group = QButtonGroup(self)
            group.setExclusive(True)
            for column, (score, word) in enumerate(CHOICES, start=1):
                button = QPushButton(str(score), self)
                button.setCheckable(True)
                button.setAutoDefault(False)
                button.setMinimumSize(96, 40)
                button.setStyleSheet(_BUTTON_STYLE)
                button.setToolTip(f"{code} {tr(label)}: {score} — {tr(word)}")
                button.setAccessibleName(f"{code} {tr(label)}: {tr(word)}")
                group.addButton(button, score)
                grid.addWidget(button, row, column)
            group.idToggled.connect(self._update)
            self.groups.append(group)
        grid.setColumnStretch(0, 1)
        comment_label = QLabel(tr("Saran atau komentar (boleh kosong)"), self)
        self.comment = QPlainTextEdit(self)
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(64)
        comment_label.setBuddy(self.comment)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #6b7280;")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c; font-weight: bold;")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setMinimumHeight(36)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setMinimumHeight(36)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.setSpacing(8)
        lay.addWidget(title)
        lay.addWidget(intro)
        lay.addLayout(grid)
        lay.addWidget(comment_label)
        lay.addWidget(self.comment)
        lay.addWidget(self.hint)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(720)
        self._update()
        self.groups[0].button(1).setFocus(Qt.FocusReason.OtherFocusReason)

    # -- state ---------------------------------------------------------------------------------------
    def scores(self) -> list[int | None]:
        """The answers U1..U9 in order; None where not answered yet."""
        return [g.checkedId() if g.checkedId() > 0 else None for g in self.groups]

    def set_score(self, element: int, score: int) -> None:
        """Answer element `element` (0 = U1) with `score` (1–4)."""
        self.groups[element].button(score).setChecked(True)

    def missing(self) -> list[str]:
        """The codes not answered yet ("U3", …)."""
        return [code for (code, _label), score in zip(ELEMENTS, self.scores(), strict=True) if score is None]

    def _update(self, *_args) -> None:
        missing = self.missing()
        self.ok_button.setEnabled(not missing and not self._saving)
        if not missing:
            self.ok_button.setText(tr("Simpan jawaban"))
            self.hint.setText(tr("Kesembilan unsur sudah dijawab."))
        elif len(missing) == len(ELEMENTS):
            self.ok_button.setText(tr("Jawab kesembilan unsur dulu"))
            self.hint.setText(tr("Semua unsur wajib dijawab."))
        else:
            self.ok_button.setText(tr("Belum dijawab: {codes}", codes=", ".join(missing)))
            names = [f"{code} {tr(label)}" for code, label in ELEMENTS if code in missing]
            self.hint.setText(tr("Belum dijawab: {names}.", names="; ".join(names)))
        self.ok_button.setToolTip(self.hint.text())

    # -- keyboard: 1–4 answer the active row and move on -----------------------------------------------
    def keyPressEvent(self, event) -> None:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_4 and not self.comment.hasFocus():
            row = self._active_row()
            if row is not None:
                score = key - Qt.Key.Key_1 + 1
                self.set_score(row, score)
                following = min(row + 1, len(self.groups) - 1)
                target = self.groups[following].checkedButton() or self.groups[following].button(score)
                if row + 1 < len(self.groups):
                    target.setFocus(Qt.FocusReason.TabFocusReason)
                else:
                    self.comment.setFocus(Qt.FocusReason.TabFocusReason)
                return
        super().keyPressEvent(event)

    def _active_row(self) -> int | None:
        focused = self.focusWidget()
        for row, group in enumerate(self.groups):
            if focused in group.buttons():
                return row
        missing = [row for row, score in enumerate(self.scores()) if score is None]
        return missing[0] if missing else None

    # -- saving ----------------------------------------------------------------------------------------
    def save(self) -> None:
        """Save on the worker; the dialog closes when the desk took the answers."""
        scores = self.scores()
        if None in scores or self._saving:
            return
        self._saving = True
        self._update()
        self.error.hide()
        desk, rid, comment = self.ctx.desk, self.request_id, self.comment.toPlainText().strip()
        self.ctx.submit(lambda: desk.record_survey(rid, list(scores), source="operator", comment=comment),
                        _alive(self, self._on_saved), _alive(self, self._on_refused), label=tr("Menyimpan survei…"))

    def _on_saved(self, result) -> None:
        self._saving = False
        self.saved.emit(result)
        self.accept()

    def _on_refused(self, message: str) -> None:
        self._saving = False
        self._update()
        self.error.setText(tr("Survei tidak disimpan: {reason}", reason=message))
        self.error.show()


def _alive(widget: QWidget, callback):
    """Drop a result that arrives after the dialog was deleted."""
    def run(*args):
        if shiboken6.isValid(widget):
            callback(*args)
    return run
