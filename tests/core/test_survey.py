"""The IKM survey at the desk: one response of nine scores per finished request, typed in by
staff or a kiosk, and the invitation — by hand or when the request finishes — once per request."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from dikjamila.auth.roles import Actor
from dikjamila.db.models import Request, SurveyResponse
from dikjamila.desk.survey import SCORE_LABELS, SURVEY_ELEMENTS
from dikjamila.errors import Conflict, InvalidInput, PermissionDenied
from dikjamila.whatsapp.runner import OutboxRunner
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus
from tests.whatsapp_support import terbit_request

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

SCORES = [4, 4, 3, 4, 3, 4, 4, 4, 3]


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


def _invite_off(office, admin):
    office.update_settings(admin, replace(office.settings, survey_invite_on_finish=False))


def _invitations(desk, rid):
    return [o for o in desk.outbox_for(rid) if o.template == "undangan_survei"]


def _finished(desk) -> int:
    rid = terbit_request(desk)
    desk.advance(rid, "terkirim")
    return rid


def _responses(office) -> int:
    with office.db.reading() as session:
        return session.scalar(select(func.count()).select_from(SurveyResponse))


def test_the_labels_follow_the_invitations_order():
    assert len(SURVEY_ELEMENTS) == 9 and SURVEY_ELEMENTS[0] == "Persyaratan" and SURVEY_ELEMENTS[8] == \
        "Sarana dan prasarana"
    assert SCORE_LABELS[1] == "Tidak baik" and SCORE_LABELS[4] == "Sangat baik"


def test_scores_for_a_finished_request_are_recorded_once(staffed_office, staff, desk):
    _invite_off(staffed_office, staff["admin"])
    rid = _finished(desk)
    assert desk.survey_for(rid) is None
    info = desk.record_survey(rid, SCORES, comment=" Petugasnya ramah. ")
    assert (info.request_id, info.scores, info.source, info.comment, info.entered_by) == (
        rid, tuple(SCORES), "operator", "Petugasnya ramah.", staff["sari"].id)
    assert info.request_number == desk.get_request(rid).number and info.message_id is None
    assert desk.survey_for(rid) == info
    with pytest.raises(Conflict, match="sudah ada penilaian"):
        staffed_office.desk(staff["budi"]).record_survey(rid, [1] * 9)
    assert _responses(staffed_office) == 1
    desk.advance(rid, "selesai")  # closing it later changes nothing
    assert desk.survey_for(rid) == info


def test_an_open_request_has_no_survey_yet(desk):
    rid = desk.create_request(new_request()).id
    with pytest.raises(Conflict, match="sudah selesai"):
        desk.record_survey(rid, SCORES)
    with pytest.raises(Conflict, match="sudah selesai"):
        desk.invite_survey(rid)


@pytest.mark.parametrize("scores, words", [
    ([4] * 8, "9 nilai"),
    ([4] * 10, "9 nilai"),
    ([4, 4, 3, 4, 5, 4, 4, 4, 3], "U5"),
    ([0, 4, 3, 4, 3, 4, 4, 4, 3], "U1"),
    ([4, 4, 3, 4, 3, 4, 4, True, 3], "U8"),
    ([4, 4, "3", 4, 3, 4, 4, 4, 3], "U3"),
])
def test_exactly_nine_scores_each_one_to_four(staffed_office, staff, desk, scores, words):
    _invite_off(staffed_office, staff["admin"])
    rid = _finished(desk)
    with pytest.raises(InvalidInput, match=words):
        desk.record_survey(rid, scores)
    with pytest.raises(InvalidInput, match="Sumber"):
        desk.record_survey(rid, SCORES, source="email")
    assert _responses(staffed_office) == 0


def test_a_kiosk_records_only_for_its_own_requests_and_always_as_kiosk(staffed_office, staff, desk):
    kiosk = staffed_office.desk(staff["kios1"])
    own = kiosk.create_request(new_request(channel="kiosk")).id
    other = desk.create_request(new_request()).id
    with staffed_office.db.writing() as session:
        session.execute(update(Request).where(Request.id.in_([own, other])).values(status="selesai"))
    assert kiosk.record_survey(own, SCORES, source="operator").source == "kiosk"
    with pytest.raises(PermissionDenied):
        kiosk.record_survey(other, SCORES)
    with pytest.raises(PermissionDenied):
        kiosk.invite_survey(own)


def test_an_invitation_is_queued_once_per_request(staffed_office, staff, desk):
    _invite_off(staffed_office, staff["admin"])
    rid = _finished(desk)
    first = desk.invite_survey(rid)
    assert staffed_office.desk(staff["budi"]).invite_survey(rid) == first
    [item] = _invitations(desk, rid)
    assert item.recipient == "+6281234567890" and desk.get_request(rid).number in item.text
    assert "U9 Sarana dan prasarana" in item.text
    desk.cancel_message(first)
    assert desk.invite_survey(rid) == first and desk.outbox_item(first).state == "queued"  # asked again on purpose
    desk.record_survey(rid, SCORES)
    with pytest.raises(Conflict, match="sudah ada penilaian"):
        desk.invite_survey(rid)


def test_finishing_a_request_invites_the_resident_once(desk):
    rid = terbit_request(desk)
    assert _invitations(desk, rid) == []
    desk.advance(rid, "terkirim")
    [invitation] = _invitations(desk, rid)
    desk.advance(rid, "selesai")
    assert _invitations(desk, rid) == [invitation]


def test_no_invitation_when_the_setting_is_off_or_the_request_is_rejected(staffed_office, staff, desk):
    rejected = desk.create_request(new_request()).id
    desk.reject(rejected, "Bukan warga Kabupaten Balangan")
    assert _invitations(desk, rejected) == []
    _invite_off(staffed_office, staff["admin"])
    rid = _finished(desk)
    desk.advance(rid, "selesai")
    assert _invitations(desk, rid) == []


def test_the_document_confirmed_sent_by_the_runner_invites_after_it(staffed_office, desk):
    rid = terbit_request(desk)
    document = desk.send_issued_document(rid)

    class Sender:
        name, paced = "scripted", False

        def send(self, message):
            return SendOutcome(SendStatus.SENT, message_id=f"WA-{message.item_id}", server_time=datetime.now(UTC),
                               sha256=message.document_sha256)

        def close(self):
            pass

    runner = OutboxRunner(staffed_office.desk(Actor.system("whatsapp")), Sender(), accounts=("",))
    runner.run_once()
    assert desk.get_request(rid).status == "terkirim"
    [invitation] = _invitations(desk, rid)
    assert invitation.id > document
    runner.run_once()
    assert desk.outbox_item(invitation.id).state == "sent" and len(_invitations(desk, rid)) == 1
