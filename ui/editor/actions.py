"""What the operator can do with a request: the action bar, the rules behind its buttons, the
actions themselves (mixed into RequestEditor) and their dialogs.

`action_state` is a plain function of the loaded request, so the rules a button follows can
be read (and tested) in one place. The desk checks every guard again: a button is a courtesy.
`WorkflowActions` and `FileActions` run each change through the editor's `_change` (worker,
then announce and reload); their dialogs are small methods that tests replace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from dikjamila.auth.roles import Actor, Permission, allowed
from dikjamila.desk import RequestDetail
from dikjamila.errors import Conflict, InvalidInput, UserError
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.lifecycle import CLOSED, Status, label as status_label, next_statuses
from dikjamila.sop import CompletenessReport, Sop
from ui.editor.checklist import missing_summary

MIN_REASON = 5  # the desk refuses shorter reasons


@dataclass
class Move:
    """A "Lanjut ke" button: `reason` (short, shown) and `detail` (tooltip) say why not."""

    target: str
    enabled: bool
    reason: str = ""
    detail: str = ""


@dataclass
class ActionState:
    """What the action bar shows; a reason is Indonesian text for a disabled action."""

    editable: bool = False
    read_only_reason: str = ""
    claim: bool = False  # show "Ambil"
    take_over: bool = False  # "Ambil" means "Ambil alih": a supervisor takes it from a colleague
    release: bool = False  # show "Lepaskan"
    moves: list[Move] = field(default_factory=list)
    override: bool = False  # show "Lanjut dengan pengecualian…"
    message: bool = False  # show "Kirim pesan berkas kurang"
    message_reason: str = ""
    issued: bool = False  # show "Lampirkan dokumen terbit (PDF)"
    reject: bool = False
    note: bool = False

    def blockers(self) -> list[str]:
        """The lines of the visible "why not" label."""
        lines = [self.read_only_reason] if self.read_only_reason else []
        by_reason: dict[str, list[str]] = {}
        for m in self.moves:
            if not m.enabled and m.reason:
                by_reason.setdefault(m.reason, []).append(status_label(m.target))
        lines += [tr("Lanjut ke {targets}: {reason}", targets=tr(" atau ").join(targets), reason=reason)
                  for reason, targets in by_reason.items()]
        return lines


def action_state(detail: RequestDetail, sop: Sop | None, report: CompletenessReport | None,
                 actor: Actor, *, dirty: bool = False, invalid: bool = False) -> ActionState:
    st = ActionState()
    can = lambda p: allowed(actor, p)  # noqa: E731
    closed = detail.status in CLOSED
    held_by_other = detail.assignee_id not in (None, actor.id) and not can(Permission.REASSIGN)
    st.claim = not closed and can(Permission.CLAIM) and detail.assignee_id != actor.id and actor.id is not None
    st.take_over = st.claim and detail.assignee_id is not None and can(Permission.REASSIGN)
    st.release = not closed and can(Permission.CLAIM) and detail.assignee_id == actor.id and actor.id is not None
    st.note = can(Permission.NOTE)
    if closed:
        why = tr("Permohonan sudah {status}; tidak dapat diubah lagi.", status=status_label(detail.status).lower())
        if detail.reject_reason:
            why += " " + tr("Alasan penolakan: {reason}", reason=detail.reject_reason)
        st.read_only_reason = why
        return st
    if held_by_other:
        st.read_only_reason = tr("Sedang ditangani oleh {name}. Anda hanya dapat melihat; "
                                 "tekan Ambil bila perlu.", name=detail.assignee_name or "?")
        return st
    st.editable = can(Permission.EDIT_REQUEST)
    st.reject = can(Permission.REJECT)
    pickup = sop.ends_in_pickup if sop else False
    has_issued = any(a.role == "issued" and a.kind == "pdf" for a in detail.attachments)
    st.issued = bool(sop) and not pickup and can(Permission.ATTACH) and detail.status in (
        Status.DIPROSES, Status.TERBIT)
    st.message = report is not None and not report.complete and can(Permission.EDIT_REQUEST) and \
        detail.status in (Status.BARU, Status.DIPERIKSA, Status.BERKAS_KURANG)
    if st.message and not detail.applicant_phone:
        st.message_reason = tr("Nomor WhatsApp pemohon belum diisi.")
    for target in next_statuses(detail.status, ends_in_pickup=pickup):
        reason = detail = ""
        if not can(Permission.ADVANCE):
            reason = tr("Peran Anda tidak boleh memindahkan status.")
        elif invalid:
            reason = tr("Perbaiki dulu isian yang salah, lalu simpan.")
        elif dirty:
            reason = tr("Simpan dulu perubahan data yang belum disimpan.")
        elif target == Status.DIPROSES and report is None:
            reason = tr("Hasil pemeriksaan SOP belum ada.")
        elif target == Status.DIPROSES and not report.complete:
            reason = tr("Berkas belum lengkap ({what}; lihat Kelengkapan berkas).", what=missing_summary(report))
            detail = tr("Berkas belum lengkap: {missing}.", missing="; ".join(i.label for i in report.missing()))
            st.override = can(Permission.OVERRIDE_CHECKLIST)
        elif target in (Status.TERBIT, Status.TERKIRIM) and not pickup and not has_issued:
            reason = tr("Lampirkan dulu PDF dokumen yang terbit.")
        st.moves.append(Move(target, not reason, reason, detail or reason))
    return st


class ActionBar(QWidget):
    """Buttons for the request's actions; `apply(state)` shows what is possible now."""

    save_clicked = Signal()
    claim_clicked = Signal()
    release_clicked = Signal()
    advance_clicked = Signal(str)
    override_clicked = Signal()
    message_clicked = Signal()
    issued_clicked = Signal()
    note_clicked = Signal()
    reject_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.move_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self._row = row
        self.save = self._button(tr("Simpan"), self.save_clicked, tip=tr("Simpan perubahan data (Ctrl+S)"))
        self.save.setDefault(False)
        self.claim = self._button(tr("Ambil"), self.claim_clicked, tip=tr("Tangani permohonan ini"))
        self.release = self._button(tr("Lepaskan"), self.release_clicked,
                                    tip=tr("Kembalikan ke antrean bersama"))
        self._moves_at = row.count()
        self.override = self._button(tr("Pengecualian…"), self.override_clicked,
                                     tip=tr("Lanjut ke Diproses walau berkas belum lengkap, dengan alasan "
                                            "(supervisor)"))
        self.message = self._button(tr("Kirim pesan berkas kurang"), self.message_clicked,
                                    tip=tr("Kirim daftar berkas yang kurang ke WhatsApp pemohon"))
        self.issued = self._button(tr("Lampirkan dokumen terbit (PDF)"), self.issued_clicked)
        self.note = self._button(tr("Catatan…"), self.note_clicked, tip=tr("Tambah catatan internal"))
        row.addStretch(1)
        self.reject = self._button(tr("Tolak…"), self.reject_clicked, tip=tr("Tolak permohonan (alasan wajib)"))
        self.reject.setStyleSheet("color: #b91c1c;")
        self.blocker = QLabel(self)
        self.blocker.setObjectName("blockerLabel")
        self.blocker.setWordWrap(True)
        self.blocker.setStyleSheet("color: #92400e; background: #fffbeb; border: 1px solid #fcd34d;"
                                   "border-radius: 4px; padding: 3px 8px;")
        self.blocker.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        outer.addLayout(row)
        outer.addWidget(self.blocker)

    def _button(self, text: str, signal, *, tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: signal.emit())
        self._row.addWidget(button)
        return button

    def apply(self, state: ActionState, *, dirty: bool, valid: bool) -> None:
        self.save.setEnabled(state.editable and dirty and valid)
        self.save.setText(tr("Simpan*") if dirty else tr("Simpan"))
        self.save.setVisible(state.editable)
        self.claim.setVisible(state.claim)
        self.claim.setText(tr("Ambil alih") if state.take_over else tr("Ambil"))
        self.claim.setToolTip(tr("Ambil alih dari petugas yang sedang menangani") if state.take_over
                              else tr("Tangani permohonan ini"))
        self.release.setVisible(state.release)
        if [m.target for m in state.moves] != list(self.move_buttons):
            for button in self.move_buttons.values():
                self._row.removeWidget(button)
                button.deleteLater()
            self.move_buttons = {}
            for i, move in enumerate(state.moves):
                button = QPushButton(tr("Lanjut ke: {status}", status=status_label(move.target)), self)
                button.setAutoDefault(False)
                button.clicked.connect(lambda _c=False, t=move.target: self.advance_clicked.emit(t))
                self._row.insertWidget(self._moves_at + i, button)
                self.move_buttons[move.target] = button
        for move in state.moves:
            button = self.move_buttons[move.target]
            button.setEnabled(move.enabled)
            button.setToolTip(move.detail or tr("Pindahkan status ke {status}", status=status_label(move.target)))
            button.setStyleSheet("font-weight: bold;" if move.enabled else "")
        self.override.setVisible(state.override)
        self.message.setVisible(state.message)
        self.message.setEnabled(not state.message_reason)
        self.message.setToolTip(state.message_reason or tr("Kirim daftar berkas yang kurang ke WhatsApp pemohon"))
        self.issued.setVisible(state.issued)
        self.note.setVisible(state.note)
        self.reject.setVisible(state.reject)
        lines = state.blockers()
        self.blocker.setText("\n".join(lines))
        self.blocker.setVisible(bool(lines))


class WorkflowActions:
    """The editor's workflow actions, mixed into RequestEditor (as the desk mixes its Ops).

    Uses the editor's ctx, detail, sop, report, message_bar and its `_change` runner. The
    `ask_*`, `edit_missing_message` and `confirm` methods are the dialogs; tests replace them.
    """

    def claim(self) -> None:
        desk, rid, me = self.ctx.desk, self._request_id, self.ctx.actor
        held = self.detail is not None and self.detail.assignee_id not in (None, me.id)
        if held and self.ctx.can(Permission.REASSIGN):
            # A supervisor takes the request over explicitly; a plain claim would be refused.
            if not self.confirm(tr("Ambil alih permohonan ini dari {name}?", name=self.detail.assignee_name)):
                return
            work = lambda: desk.assign(rid, me.id)  # noqa: E731
        else:
            work = lambda: desk.claim(rid)  # noqa: E731
        self._change(work, label=tr("Mengambil…"), done=tr("Permohonan ini sekarang Anda tangani."))

    def release(self) -> None:
        desk, rid = self.ctx.desk, self._request_id
        self._change(lambda: desk.release(rid), label=tr("Melepaskan…"), done=tr("Permohonan dikembalikan ke antrean."))

    def advance(self, target: str, override_reason: str = "") -> None:
        if not self.ready():
            return
        desk, rid, version = self.ctx.desk, self._request_id, self.detail.row_version
        self._change(lambda: desk.advance(rid, target, expected_version=version, override_reason=override_reason),
                     label=tr("Memindahkan status…"),
                     done=tr("Status sekarang: {status}.", status=status_label(target)))

    def override(self) -> None:
        reason = self.ask_override_reason()
        if reason:
            self.advance(Status.DIPROSES.value, override_reason=reason)

    def reject(self) -> None:
        if not self.ready():
            return
        reason = self.ask_reject_reason()
        if not reason:
            return
        if len(reason.strip()) < MIN_REASON:
            self.message_bar.show_message(tr("Alasan penolakan wajib diisi dengan jelas."), "error")
            return
        desk, rid, version = self.ctx.desk, self._request_id, self.detail.row_version
        self._change(lambda: desk.reject(rid, reason, expected_version=version), label=tr("Menolak…"),
                     done=tr("Permohonan ditolak."))

    def add_note(self) -> None:
        body = self.ask_note()
        if body:
            desk, rid = self.ctx.desk, self._request_id
            self._change(lambda: desk.add_note(rid, body), label=tr("Menyimpan catatan…"), done=tr("Catatan disimpan."))

    def send_missing_message(self) -> None:
        if not self.ready() or self.report is None or self.report.complete:
            return
        pickup = self.sop.ends_in_pickup if self.sop else False
        can_mark = Status.BERKAS_KURANG in next_statuses(self.detail.status, ends_in_pickup=pickup) \
            and self.ctx.can(Permission.ADVANCE)
        answer = self.edit_missing_message(self.report.missing_message, can_mark)
        if not answer:
            return
        text, mark = answer
        desk, rid, version = self.ctx.desk, self._request_id, self.detail.row_version

        def job():
            desk.queue_message(rid, text, purpose="berkas_kurang")
            if mark:
                desk.advance(rid, Status.BERKAS_KURANG.value, expected_version=version)

        done = tr("Pesan berkas kurang masuk antrean kirim WhatsApp.")
        if mark:
            done += " " + tr("Status sekarang: {status}.", status=status_label(Status.BERKAS_KURANG))
        self._change(job, label=tr("Mengantrekan pesan…"), done=done)

    # -- dialogs (small methods tests replace) ---------------------------------------------
    def ask_reject_reason(self) -> str | None:
        return ask_text(self, title=tr("Tolak permohonan"), min_length=MIN_REASON, ok_text=tr("Tolak"),
                        prompt=tr("Tulis alasan penolakan. Alasan ini disimpan dan dapat disampaikan ke pemohon."))

    def ask_override_reason(self) -> str | None:
        return ask_text(self, title=tr("Lanjut dengan pengecualian"), min_length=MIN_REASON, ok_text=tr("Lanjutkan"),
                        prompt=tr("Berkas belum lengkap. Tulis alasan memproses permohonan ini (dicatat di riwayat):"))

    def ask_note(self) -> str | None:
        return ask_text(self, title=tr("Tambah catatan"), prompt=tr("Catatan untuk petugas (tidak dikirim ke pemohon):"))

    def edit_missing_message(self, text: str, can_mark: bool) -> tuple[str, bool] | None:
        phone = self.detail.applicant_phone if self.detail else ""
        try:
            phone = normalize_phone(phone).display
        except InvalidInput:
            pass
        return ask_missing_message(self, text, phone=phone, can_mark=can_mark)

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, tr("Dik Jamila"), text)
        return answer == QMessageBox.StandardButton.Yes


class FileActions:
    """The editor's file actions, mixed into RequestEditor (as the desk mixes its Ops).

    Uses the editor's ctx, detail, checklist, preview, message_bar and its `_change` runner.
    `choose_files` and `choose_issued_pdf` are the file dialogs; tests replace them.
    """

    def attach_to_requirement(self, code: str) -> None:
        paths = self.choose_files()
        if paths:
            self.attach_files(code, [(Path(p), Path(p).name) for p in paths])

    def attach_files(self, code: str | None, files: list) -> None:
        """Attach files ((Path | bytes, name) pairs) to requirement `code` (None: unlinked)."""
        if not files:
            return
        if self.detail is None or not self._state().editable:
            self.message_bar.show_message(tr("Berkas tidak dapat dilampirkan ke permohonan ini sekarang."), "error")
            return
        desk, rid = self.ctx.desk, self._request_id

        def job():
            added, refused = [], []
            for source, name in files:
                try:
                    added.append(desk.attach_file(rid, source, name, requirement_code=code))
                except Conflict:
                    raise
                except UserError as exc:
                    refused.append(exc.message)
            return added, refused

        def then(result) -> None:
            added, refused = result
            if added:
                self._preview_next = added[-1].id
            if refused:
                text = tr("{n} berkas dilampirkan; ditolak: {why}", n=len(added), why=" ".join(refused))
                return text, ("warning" if added else "error")
            return None

        where = tr(" untuk {label}", label=self._requirement_label(code)) if code else ""
        self._change(job, label=tr("Melampirkan berkas…"), then=then,
                     done=tr("{n} berkas dilampirkan{where}.", n=len(files), where=where))

    def replace_file(self, attachment_id: int, code: str) -> None:
        paths = self.choose_files()
        if not paths:
            return
        desk, rid = self.ctx.desk, self._request_id

        def job():
            added = [desk.attach_file(rid, Path(p), Path(p).name, requirement_code=code) for p in paths]
            desk.remove_attachment(attachment_id)  # only after the new file is safely in
            return added

        self._change(job, label=tr("Mengganti berkas…"), done=tr("Berkas diganti."),
                     then=lambda added: self._preview_after(added[-1]))

    def link(self, attachment_id: int, code: str | None) -> None:
        desk = self.ctx.desk
        done = tr("Berkas dikaitkan ke {label}.", label=self._requirement_label(code)) if code \
            else tr("Berkas dilepas; sekarang ada di Belum dikaitkan.")
        self._change(lambda: desk.link_attachment(attachment_id, code), label=tr("Mengaitkan berkas…"), done=done)

    def remove_file(self, attachment_id: int) -> None:
        att = self._attachment(attachment_id)
        if att is None or not self.confirm(tr("Hapus berkas {name} dari permohonan ini?", name=att.original_name)):
            return
        desk = self.ctx.desk
        self._change(lambda: desk.remove_attachment(attachment_id), label=tr("Menghapus berkas…"),
                     done=tr("Berkas {name} dihapus.", name=att.original_name))

    def attach_issued(self) -> None:
        path = self.choose_issued_pdf()
        if path is None:
            return
        desk, rid = self.ctx.desk, self._request_id
        self._change(lambda: desk.attach_file(rid, Path(path), Path(path).name, role="issued", origin="issued"),
                     label=tr("Melampirkan dokumen terbit…"), done=tr("Dokumen terbit dilampirkan."),
                     then=self._preview_after)

    def _preview_after(self, att) -> None:
        self._preview_next = att.id

    def show_attachment(self, attachment_id: int) -> None:
        """Show a file in the preview pane (its blob path is found on the worker)."""
        att = self._attachment(attachment_id)
        if att is None:
            return
        self.previewed_id = attachment_id
        desk = self.ctx.desk

        def shown(path) -> None:
            if self.previewed_id == attachment_id:
                self.preview.show_file(Path(path), att.kind, att.original_name)
                self.checklist.set_selected(attachment_id)

        self.ctx.submit(lambda: desk.blob_path(att.blob_sha256), self._guard(shown),
                        self._guard(lambda m: self.preview.clear(m)), label=tr("Membuka berkas…"))

    def _attachment(self, attachment_id: int):
        return next((a for a in (self.detail.attachments if self.detail else []) if a.id == attachment_id), None)

    # -- dialogs (small methods tests replace) ---------------------------------------------
    def choose_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self, tr("Pilih berkas"), "", tr("Foto atau PDF (*.jpg *.jpeg *.png *.heic *.webp *.pdf);;Semua berkas (*)"))
        return [Path(n) for n in names]

    def choose_issued_pdf(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Pilih PDF dokumen terbit"), "", tr("PDF (*.pdf)"))
        return Path(name) if name else None


class TextDialog(QDialog):
    """Ask for a text (reason, note, message). OK stays disabled until it is long enough."""

    def __init__(self, parent, *, title: str, prompt: str, text: str = "", min_length: int = 1,
                 ok_text: str = "", check_text: str = "", checked: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.min_length = min_length
        lay = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlainText(text)
        self.edit.setTabChangesFocus(True)
        lay.addWidget(self.edit, 1)
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #6b7280;")
        lay.addWidget(self.hint)
        self.check = QCheckBox(check_text, self)
        self.check.setChecked(checked)
        self.check.setVisible(bool(check_text))
        lay.addWidget(self.check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text or tr("Simpan"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.edit.textChanged.connect(self._update)
        self._update()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update(self) -> None:
        n = len(self.edit.toPlainText().strip())
        ok = n >= self.min_length
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.hint.setText("" if ok or self.min_length <= 1 else
                          tr("Tulis paling sedikit {n} karakter.", n=self.min_length))

    def value(self) -> str:
        return self.edit.toPlainText().strip()


def ask_text(parent, **kwargs) -> str | None:
    dialog = TextDialog(parent, **kwargs)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_missing_message(parent, text: str, *, phone: str, can_mark: bool) -> tuple[str, bool] | None:
    """The "berkas kurang" message, editable before it is queued; (text, also set status)."""
    dialog = TextDialog(
        parent, title=tr("Kirim pesan berkas kurang"),
        prompt=tr("Pesan ini akan dikirim ke WhatsApp {phone}. Periksa dan ubah bila perlu:", phone=phone),
        text=text, ok_text=tr("Kirim"),
        check_text=tr("Ubah status menjadi Berkas kurang") if can_mark else "", checked=can_mark)
    dialog.resize(620, 480)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.value(), dialog.check.isChecked() and can_mark
