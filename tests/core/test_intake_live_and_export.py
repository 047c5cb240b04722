"""A burst received live (the real link service and worker protocol, WhatsApp replaced by the
fake worker) and the export of the same chat made later on the office phone: one request."""

from __future__ import annotations

from sqlalchemy import select

from dikjamila.db.models import Message
from dikjamila.desk.timezone import WITA
from tests.chat_export_support import OFFICE, write_zip
from tests.whatsapp_support import jpeg

from .test_wa_supervisor import linked_office, start, wait_until  # noqa: F401 - fixture

RESIDENT = "+6281350001111"


def test_the_live_burst_and_its_export_give_one_request(linked_office, staff, tmp_path):  # noqa: F811
    desk = linked_office.desk(staff["sari"])
    photo = tmp_path / "IMG-20261201-WA0005.jpg"
    photo.write_bytes(jpeg((90, 120, 150)))
    burst = [{"message_id": "LIVE-1", "sender": RESIDENT, "push_name": "Budi",
              "text": "assalamualaikum pak mau urus kk hilang"},
             {"message_id": "LIVE-2", "sender": RESIDENT, "push_name": "Budi", "text": "ini ktp saya",
              "file": str(photo), "file_name": photo.name, "mime": "image/jpeg", "kind": "image"}]
    service = start(linked_office, {"link": "connected", "incoming": burst}, tmp_path)
    try:
        wait_until(lambda: desk.count() == 1 and desk.unhandled_count() == 0, what="the request")
    finally:
        service.stop()
    [row] = desk.inbox().rows
    assert row.suggested_service == "kk_hilang_rusak" and row.applicant_phone == RESIDENT

    # The office phone's export of that chat: the resident saved as "Pak Budi (Tebing Tinggi)",
    # the same two messages at the minutes they arrived, the office's reply, and one more.
    with linked_office.db.reading() as session:
        first, second = session.scalars(select(Message.sent_at).where(Message.direction == "in")
                                        .order_by(Message.id)).all()

    def stamp(at) -> str:
        return at.astimezone(WITA).strftime("%d/%m/%y %H.%M")

    name = "Pak Budi (Tebing Tinggi)"
    chat = (f"{stamp(first)} - {name}: assalamualaikum pak mau urus kk hilang\n"
            f"{stamp(second)} - {name}: {photo.name} (file terlampir)\nini ktp saya\n"
            f"{stamp(second)} - {OFFICE}: Baik Pak, mohon kirim juga surat kehilangan dari kepolisian.\n"
            f"{stamp(second)} - {name}: baik pak nanti sy kirim\n")
    summary = desk.import_chat(write_zip(tmp_path / "export.zip", f"Chat WhatsApp dengan {name}.txt", chat,
                                         {photo.name: photo.read_bytes()}))
    assert (summary.requests_created, summary.requests_updated, summary.already_known) == (0, 1, 2)
    assert desk.count() == 1
    detail = desk.get_request(row.id)
    assert [a.original_name for a in detail.attachments] == [photo.name]  # the photo once
    texts = [e.text for e in desk.conversation(row.id)]
    assert texts.count("assalamualaikum pak mau urus kk hilang") == 1 and "baik pak nanti sy kirim" in texts
    # Importing it again changes nothing.
    again = desk.import_chat(tmp_path / "export.zip")
    assert (again.messages, again.requests_created) == (0, 0) and desk.count() == 1
