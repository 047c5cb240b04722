"""IKM answers by WhatsApp, through the real receiving path (`store_incoming` and routing, and
once end to end with the fake worker): read, recorded and answered — nothing twice."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from dikjamila.auth.roles import Actor
from dikjamila.config import Settings
from dikjamila.db.models import Message, OutboxItem, SurveyResponse
from dikjamila.whatsapp.runner import OutboxRunner
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus
from tests.whatsapp_support import incoming_event, terbit_request

from .test_wa_supervisor import start, state_of, wait_until

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

RESIDENT = "+6281234567890"


class Sender:
    """The WhatsApp edge: every send acknowledged with a known id, at a known time."""

    name, paced = "scripted", False

    def __init__(self, at: datetime):
        self.at = at
        self.sent = []

    def send(self, message):
        self.sent.append(message)
        return SendOutcome(SendStatus.SENT, message_id=f"SRV-{message.item_id}", server_time=self.at,
                           sha256=message.document_sha256)

    def close(self):
        pass


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


@pytest.fixture
def invited(staffed_office, desk):
    """A finished request whose invitation went out a minute ago: (request id, its WhatsApp id, when)."""
    rid = terbit_request(desk)
    desk.advance(rid, "terkirim")  # invites by itself (the setting is on by default)
    at = datetime.now(UTC) - timedelta(minutes=1)
    OutboxRunner(staffed_office.desk(Actor.system("whatsapp")), Sender(at), accounts=("",)).run_once()
    [invitation] = [o for o in desk.outbox_for(rid) if o.template == "undangan_survei"]
    assert invitation.state == "sent"
    return rid, invitation.wa_message_id, at


def _receive(desk, wa_id, text, at, *, quoted_id=""):
    return desk.store_incoming(incoming_event(wa_id, RESIDENT, text=text, at=(at + timedelta(seconds=30)).isoformat(),
                                              quoted_id=quoted_id))


def _replies(desk, rid, template):
    return [o for o in desk.outbox_for(rid) if o.template == template]


def _counts(office):
    with office.db.reading() as session:
        return (session.scalar(select(func.count()).select_from(SurveyResponse)),
                session.scalar(select(func.count()).select_from(OutboxItem)))


@pytest.mark.parametrize("text", ["443434443", "4 4 3 4 3 4 4 4 3", "4,4,3,4,3,4,4,4,3"])
def test_a_valid_answer_is_recorded_and_confirmed_with_the_scores(staffed_office, desk, invited, text):
    rid, _, at = invited
    before = desk.count()
    msg = _receive(desk, "IN-1", text, at)
    survey = desk.survey_for(rid)
    assert (survey.scores, survey.source, survey.message_id, survey.entered_by) == (
        (4, 4, 3, 4, 3, 4, 4, 4, 3), "whatsapp", msg.id, None)
    [confirmation] = _replies(desk, rid, "konfirmasi_survei")
    assert confirmation.recipient == RESIDENT and confirmation.in_reply_to_id == msg.id
    assert "U1 Persyaratan: 4" in confirmation.text and "U9 Sarana dan prasarana: 3" in confirmation.text
    # The answer stays in the request's conversation; nothing new is made of it.
    assert msg.request_id == rid and desk.count() == before and desk.unhandled_messages() == []
    assert text in [e.text for e in desk.conversation(rid)]
    assert _replies(desk, rid, "cara_menjawab_survei") == []


def test_a_quoted_answer_is_read_even_with_another_request_open(desk, invited):
    rid, wa_id, at = invited
    from .conftest import new_request
    open_rid = desk.create_request(new_request(applicant_phone=RESIDENT)).id
    msg = _receive(desk, "IN-Q", "4 4 3 4 3 4 4 4 3", at, quoted_id=wa_id)
    assert msg.request_id == rid and desk.survey_for(rid).message_id == msg.id
    assert desk.conversation(open_rid) == []


def test_a_garbled_answer_gets_how_to_reply_then_a_good_one_counts(desk, invited):
    rid, _, at = invited
    garbled = _receive(desk, "IN-G", "4434", at)
    [how_to] = _replies(desk, rid, "cara_menjawab_survei")
    assert "Contoh balasan: 443434443" in how_to.text and how_to.in_reply_to_id == garbled.id
    assert desk.survey_for(rid) is None and garbled.request_id == rid
    _receive(desk, "IN-G2", "4 4 3 4 3 4 4 4 3", at + timedelta(minutes=1))
    assert desk.survey_for(rid).scores == (4, 4, 3, 4, 3, 4, 4, 4, 3)
    assert len(_replies(desk, rid, "konfirmasi_survei")) == 1


def test_how_to_reply_is_sent_at_most_three_times(desk, invited):
    rid, _, at = invited
    for n in range(5):
        _receive(desk, f"IN-G{n}", "4" * (n + 1), at + timedelta(minutes=n))
    assert len(_replies(desk, rid, "cara_menjawab_survei")) == 3


def test_unrelated_text_routes_as_usual_without_how_to_reply(staffed_office, desk, invited):
    rid, wa_id, at = invited
    thanks = _receive(desk, "IN-T", "terima kasih bu, sudah saya cetak", at)
    quoted_thanks = _receive(desk, "IN-T2", "terima kasih", at, quoted_id=wa_id)
    assert _replies(desk, rid, "cara_menjawab_survei") == [] and desk.survey_for(rid) is None
    with staffed_office.db.reading() as session:
        flags = {m.wa_message_id: (m.request_id, m.route_flag) for m in session.scalars(select(Message))}
    # Written soon after the document went out: the request's conversation, by the usual rules.
    assert flags["IN-T"][0] == rid and flags["IN-T"][1] != "survey"
    assert flags["IN-T2"] == (rid, "reply")
    assert thanks.request_id == quoted_thanks.request_id == rid
    new = _receive(desk, "IN-N", "Mau buat akta kelahiran anak kedua", at)
    assert _replies(desk, rid, "cara_menjawab_survei") == [] and new.request_id == rid  # (not closed yet)


def test_the_same_message_replayed_or_routed_again_does_nothing_twice(staffed_office, desk, invited):
    rid, _, at = invited
    event = incoming_event("IN-R", RESIDENT, text="443434443", at=(at + timedelta(seconds=30)).isoformat())
    garbled = incoming_event("IN-RG", RESIDENT, text="44", at=(at + timedelta(seconds=20)).isoformat())
    desk.store_incoming(garbled)
    first = desk.store_incoming(event)
    after_first = _counts(staffed_office)
    again = desk.store_incoming(event)
    desk.store_incoming(garbled)
    assert not again.stored_now and again.id == first.id
    assert _counts(staffed_office) == after_first
    # Even routed again from scratch (an operator's "route all", a bug that un-handles them):
    with staffed_office.db.writing() as session:
        session.execute(update(Message).where(Message.wa_message_id.in_(["IN-R", "IN-RG"])).values(
            handled_at=None, request_id=None, route_flag=""))
    desk.route_pending()
    assert _counts(staffed_office) == after_first
    assert len(_replies(desk, rid, "konfirmasi_survei")) == 1 and len(_replies(desk, rid, "cara_menjawab_survei")) == 1


def test_a_second_valid_answer_makes_no_second_response_and_no_reply(staffed_office, desk, invited):
    rid, wa_id, at = invited
    _receive(desk, "IN-1", "443434443", at)
    after_first = _counts(staffed_office)
    second = _receive(desk, "IN-2", "1 1 1 1 1 1 1 1 1", at + timedelta(minutes=5), quoted_id=wa_id)
    garbled = _receive(desk, "IN-3", "11", at + timedelta(minutes=6))
    assert _counts(staffed_office) == after_first
    assert desk.survey_for(rid).scores == (4, 4, 3, 4, 3, 4, 4, 4, 3)
    assert second.request_id == garbled.request_id == rid  # kept in the conversation for the operator


def test_an_invitation_older_than_thirty_days_takes_no_unquoted_answer(staffed_office, desk, invited):
    rid, wa_id, at = invited
    long_ago = at - timedelta(days=31)
    with staffed_office.db.writing() as session:
        session.execute(update(OutboxItem).where(OutboxItem.wa_message_id == wa_id).values(
            server_time=long_ago, last_attempt_at=long_ago))
    _receive(desk, "IN-OLD", "443434443", at)
    assert desk.survey_for(rid) is None and _replies(desk, rid, "cara_menjawab_survei") == []
    # Quoting the invitation still answers it.
    _receive(desk, "IN-OLDQ", "443434443", at, quoted_id=wa_id)
    assert desk.survey_for(rid) is not None


def test_end_to_end_with_the_fake_worker(staffed_office, staff, tmp_path):
    """The invitation goes out through the worker; the resident's quoted answer comes back
    through it (twice: a replay), is recorded once, and the confirmation goes out once."""
    values = {**staffed_office.settings.__dict__, "whatsapp_transport": "linked", "whatsapp_min_gap_seconds": 0,
              "whatsapp_send_deadline_seconds": 2}
    staffed_office.update_settings(Actor.system(), Settings(**values))
    desk = staffed_office.desk(staff["sari"])
    rid = terbit_request(desk)
    desk.advance(rid, "terkirim")
    [invitation] = [o for o in desk.outbox_for(rid) if o.template == "undangan_survei"]
    inject = tmp_path / "inject"
    inject.mkdir()
    service = start(staffed_office, {"link": "connected", "inject_dir": str(inject)}, tmp_path)
    try:
        wait_until(lambda: (s := state_of(desk)) and s.state == "connected", what="connected")
        wa_id = wait_until(lambda: desk.outbox_item(invitation.id).wa_message_id, what="invitation sent")
        answer = {"event": "incoming", "message_id": "IN-E2E", "chat": RESIDENT, "sender": RESIDENT,
                  "sender_lid": "", "push_name": "Siti", "at": datetime.now(UTC).isoformat(),
                  "text": "4,4,3,4,3,4,4,4,3", "quoted_id": wa_id, "file": None, "file_error": ""}
        (inject / "answer.tmp").write_text(json.dumps([answer, answer]))
        (inject / "answer.tmp").rename(inject / "answer.json")
        wait_until(lambda: desk.survey_for(rid) is not None, what="the response")
        wait_until(lambda: [o.state for o in _replies(desk, rid, "konfirmasi_survei")] == ["sent"],
                   what="the confirmation sent")
    finally:
        service.stop()
    assert desk.survey_for(rid).scores == (4, 4, 3, 4, 3, 4, 4, 4, 3)
    assert len(_replies(desk, rid, "konfirmasi_survei")) == 1
    sent = [json.loads(line) for line in (staffed_office.paths.data_dir / "whatsapp" / "fake-sent.jsonl").open()]
    assert [s["text"].count("U1 Persyaratan: 4") for s in sent if "sudah kami catat" in s["text"]] == [1]
