"""The rules behind the action bar: what the operator may do now, and why not.

`action_state` is a plain function of the loaded request, so the rules a button follows can
be read (and tested) in one place. The desk checks every guard again: a button is a courtesy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dikjamila.auth.roles import Actor, Permission, allowed
from dikjamila.desk import RequestDetail
from dikjamila.desk.records import FileRole
from dikjamila.guards import move_blocker
from dikjamila.i18n import tr
from dikjamila.lifecycle import CLOSED, Status, next_statuses
from dikjamila.lifecycle import label as status_label
from dikjamila.sop import CompletenessReport, Sop
from ui.editor.checklist import missing_summary


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
    send_document: bool = False  # show "Kirim dokumen lewat WhatsApp"
    send_again: bool = False  # …it went out before (terkirim): "Kirim dokumen lagi"
    send_document_reason: str = ""  # why it cannot be sent now
    reply: bool = False  # may write to the resident from the conversation tab
    reply_reason: str = ""
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
    has_issued = any(a.role == FileRole.ISSUED and a.kind == "pdf" for a in detail.attachments)
    st.issued = bool(sop) and not pickup and can(Permission.ATTACH) and detail.status in (
        Status.DIPROSES, Status.TERBIT)
    st.message = report is not None and not report.complete and can(Permission.EDIT_REQUEST) and \
        detail.status in (Status.BARU, Status.DIPERIKSA, Status.BERKAS_KURANG)
    if st.message and not detail.applicant_phone:
        st.message_reason = tr("Nomor WhatsApp pemohon belum diisi.")
    _sending(st, detail, pickup=pickup, has_issued=has_issued, may=can(Permission.EDIT_REQUEST))
    for target in next_statuses(detail.status, ends_in_pickup=pickup):
        reason = tip = ""
        if not can(Permission.ADVANCE):
            reason = tr("Peran Anda tidak boleh memindahkan status.")
        elif invalid:
            reason = tr("Perbaiki dulu isian yang salah, lalu simpan.")
        elif dirty:
            reason = tr("Simpan dulu perubahan data yang belum disimpan.")
        elif blocker := move_blocker(target, ends_in_pickup=pickup, report=report, has_issued_pdf=has_issued):
            # The desk's own guard (the same function); the checklist gets a shorter label.
            reason = tip = blocker
            if target == Status.DIPROSES and report is not None:
                reason = tr("Berkas belum lengkap ({what}; lihat Kelengkapan berkas).", what=missing_summary(report))
                st.override = can(Permission.OVERRIDE_CHECKLIST)
        st.moves.append(Move(target, not reason, reason, tip or reason))
    return st


def _sending(st: ActionState, detail: RequestDetail, *, pickup: bool, has_issued: bool, may: bool) -> None:
    """The WhatsApp actions: the issued PDF (at terbit, and again at terkirim) and replies."""
    no_phone = tr("Nomor WhatsApp pemohon belum diisi.")
    st.reply = may
    st.reply_reason = "" if detail.applicant_phone else no_phone
    st.send_document = may and not pickup and detail.status in (Status.TERBIT, Status.TERKIRIM)
    st.send_again = detail.status == Status.TERKIRIM
    if not st.send_document:
        return
    if not has_issued:
        st.send_document_reason = tr("Lampirkan dulu PDF dokumen yang terbit.")
    elif not detail.applicant_phone:
        st.send_document_reason = no_phone
