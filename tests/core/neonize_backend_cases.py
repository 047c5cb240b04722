"""NeonizeBackend with neonize imported for real and only the Go client replaced.

The fake client offers the methods the backend calls and dispatches events through neonize's
own `Event.execute`, the entry Go calls, with real neonize protobuf messages.
"""

from __future__ import annotations

import ctypes
import json
import logging
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from neonize.events import EVENT_TO_INT, Event
from neonize.exc import DownloadError, GetJIDFromStoreError, SendMessageError
from neonize.proto import Neonize_pb2 as nz
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import (
    ContextInfo,
    DocumentMessage,
    ExtendedTextMessage,
    FutureProofMessage,
    ImageMessage,
)
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import Message as E2EMessage
from neonize.utils.jid import build_jid

from dikjamila.whatsapp import protocol
from dikjamila.whatsapp.worker.backend import BackendError
from dikjamila.whatsapp.worker.neonize_backend import NeonizeBackend

ROOT = Path(__file__).resolve().parents[2]
LOG = logging.getLogger("test.wa_neonize")
OWN = "6281100000009"
RESIDENT = "6281234567890"
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 photo bytes \x00\xff\xd9"


class FakeGoClient:
    """Stands in for neonize.client.NewClient; connect() blocks until stop(), like the real one."""

    def __init__(self, name: str):
        self.name, self.uuid = name, name.encode()
        self.event = Event(self)
        self.calls: list[tuple] = []
        self.download_error: Exception | None = None
        self.send_error: Exception | None = None
        self.not_on_whatsapp: set[str] = set()
        self.lids: dict[str, str] = {}
        self._stopped = threading.Event()
        self.connecting = threading.Event()

    def connect(self):
        self.connecting.set()
        self._stopped.wait()

    def stop(self):
        self._stopped.set()

    def get_me(self):
        return nz.Device(JID=build_jid(OWN))

    def is_on_whatsapp(self, *numbers):
        return [nz.IsOnWhatsAppResponse(Query=n, JID=build_jid(n.lstrip("+")), IsIn=n not in self.not_on_whatsapp)
                for n in numbers]

    def _sent(self, *call):
        self.calls.append(call)
        if self.send_error:
            raise self.send_error
        return nz.SendResponse(ID="3EB0C0FFEE", Timestamp=1_750_000_000)

    def send_message(self, to, message):
        return self._sent("send_message", to.User, message)

    def send_document(self, to, file, caption=None, filename=None, mimetype=None):
        return self._sent("send_document", to.User, file, caption, filename, mimetype)

    def download_any(self, message):
        self.calls.append(("download_any", message))
        if self.download_error:
            raise self.download_error
        return PHOTO

    def get_pn_from_lid(self, jid):
        self.calls.append(("get_pn_from_lid", jid.User))
        if jid.User not in self.lids:
            raise GetJIDFromStoreError("no mapping")
        return build_jid(self.lids[jid.User])

    def PairPhone(self, phone, show_push_notification):
        return "ABCD-1234"

    def fire(self, ev):
        """Hand `ev` to the callbacks the way Go does: bytes at an address, and the event code."""
        data = complete(ev).SerializeToString()
        buffer = ctypes.create_string_buffer(data, max(len(data), 1))
        self.event.execute(self.uuid, ctypes.addressof(buffer), len(data), EVENT_TO_INT[type(ev)])


def complete(message):
    """`message` with every required field set, as Go always sends them (neonize's are proto2)."""
    for field in message.DESCRIPTOR.fields:
        if field.message_type is not None:
            if field.is_repeated:
                for item in getattr(message, field.name):
                    complete(item)
            elif message.HasField(field.name) or field.is_required:
                complete(getattr(message, field.name))
        elif field.is_required and not message.HasField(field.name):
            setattr(message, field.name, field.default_value)
    return message


@pytest.fixture
def linked(tmp_path):
    """(backend, fake client, events list), started and connected."""
    events: list[dict] = []
    backend = NeonizeBackend(tmp_path / "session.sqlite3", tmp_path / "incoming",
                             client_factory=FakeGoClient, log=LOG)
    backend.start(events.append)
    client = backend.client
    assert client.connecting.wait(5)
    client.fire(nz.Connected(status=True))
    yield backend, client, events
    backend.stop()


def source(sender=RESIDENT, server="s.whatsapp.net", **more):
    jid = nz.JID(User=sender, Server=server)
    return nz.MessageSource(**{"Chat": jid, "Sender": jid, "IsFromMe": False, "IsGroup": False, **more})


def message_event(content: E2EMessage, message_id="3EB0IN1", **source_args):
    info = nz.MessageInfo(MessageSource=source(**source_args), ID=message_id, Pushname="Siti Aminah",
                          Timestamp=1_750_000_000_123)  # neonize gives a message's time in ms
    return nz.Message(Info=info, Message=content)


def incoming(events):
    return [e for e in events if e["event"] == "incoming"]


def test_connected_names_the_linked_number(linked):
    _, _, events = linked
    assert events == [{"event": "connected", "phone": "+" + OWN}]
    assert all(protocol.encode(e) for e in events)


def test_send_document_returns_the_id_and_time_of_the_servers_answer(linked):
    backend, client, _ = linked
    data = b"%PDF-1.7 signed \x00\xff"
    message_id, server_time = backend.send_document("+" + RESIDENT, data, "akta.pdf", "application/pdf", "Akta")
    assert message_id == "3EB0C0FFEE"
    assert server_time == datetime.fromtimestamp(1_750_000_000, UTC)
    assert client.calls == [("send_document", RESIDENT, data, "Akta", "akta.pdf", "application/pdf")]
    assert backend.send_text("+" + RESIDENT, "Halo")[0] == "3EB0C0FFEE"


def test_send_refusals_become_reasons(linked, tmp_path):
    backend, client, _ = linked
    client.not_on_whatsapp.add("+6281999999999")
    with pytest.raises(BackendError) as refused:
        backend.send_text("+6281999999999", "x")
    assert refused.value.reason == "not_on_whatsapp" and client.calls == []
    for text, reason in (("failed to get reply to message: timed out", "timeout"),
                         ("websocket not connected", "not_connected"), ("server returned error 479", "failed")):
        client.send_error = SendMessageError(text)
        with pytest.raises(BackendError) as failed:
            backend.send_text("+" + RESIDENT, "x")
        assert failed.value.reason == reason
    offline = NeonizeBackend(tmp_path / "s2.sqlite3", tmp_path / "in2", client_factory=FakeGoClient, log=LOG)
    offline.start(lambda e: None)
    with pytest.raises(BackendError) as not_yet:
        offline.send_text("+" + RESIDENT, "x")
    assert not_yet.value.reason == "not_connected"
    offline.stop()


def test_an_image_is_downloaded_and_reported_as_incoming(linked, tmp_path):
    _, client, events = linked
    content = E2EMessage(imageMessage=ImageMessage(caption="KTP saya", mimetype="image/jpeg",
                                                   contextInfo=ContextInfo(stanzaID="3EB0QUOTED")))
    client.fire(message_event(content))
    [event] = incoming(events)
    assert [c[0] for c in client.calls] == ["download_any"]
    assert client.calls[0][1].imageMessage.caption == "KTP saya"
    path = Path(event["file"]["path"])
    assert path.parent == tmp_path / "incoming" and path.read_bytes() == PHOTO
    assert event["file"] == {"path": str(path), "name": "image-3EB0IN1.jpg", "mime": "image/jpeg",
                             "size": len(PHOTO), "kind": "image"}
    assert event["message_id"] == "3EB0IN1" and event["text"] == "KTP saya"
    assert event["sender"] == event["chat"] == "+" + RESIDENT and event["sender_lid"] == ""
    assert event["push_name"] == "Siti Aminah" and event["quoted_id"] == "3EB0QUOTED"
    assert event["at"] == "2025-06-15T15:06:40.123000+00:00" and event["file_error"] is None
    assert protocol.encode(event)


def test_a_senders_file_name_never_leaves_the_incoming_folder(linked, tmp_path):
    _, client, events = linked
    document = DocumentMessage(fileName="..\\../../etc/KK keluarga.pdf", mimetype="application/pdf",
                               caption="KK")
    client.fire(message_event(E2EMessage(documentWithCaptionMessage=FutureProofMessage(
        message=E2EMessage(documentMessage=document)))))
    [event] = incoming(events)
    path = Path(event["file"]["path"])
    assert path.parent == tmp_path / "incoming" and path.name.endswith("KK keluarga.pdf")
    assert event["file"]["name"] == "KK keluarga.pdf" and event["file"]["kind"] == "document"
    assert event["text"] == "KK"


def test_a_failed_download_still_reports_the_message(linked, tmp_path):
    _, client, events = linked
    client.download_error = DownloadError("media expired")
    client.fire(message_event(E2EMessage(imageMessage=ImageMessage(caption="Akta", mimetype="image/jpeg"))))
    [event] = incoming(events)
    assert event["file"] is None and "media expired" in event["file_error"] and event["text"] == "Akta"
    assert list((tmp_path / "incoming").glob("*")) == []  # no half file left


def test_own_group_and_bookkeeping_messages_are_not_incoming(linked):
    _, client, events = linked
    text = E2EMessage(conversation="halo")
    client.fire(message_event(text, IsFromMe=True))
    group = nz.Message(Info=nz.MessageInfo(ID="G1", MessageSource=nz.MessageSource(
        Chat=nz.JID(User="1203630", Server="g.us"), Sender=build_jid(RESIDENT), IsGroup=True)), Message=text)
    client.fire(group)
    client.fire(message_event(E2EMessage(reactionMessage={"text": "👍"})))
    assert incoming(events) == []
    client.fire(message_event(E2EMessage(extendedTextMessage=ExtendedTextMessage(text="Syarat KTP?"))))
    assert [e["text"] for e in incoming(events)] == ["Syarat KTP?"]


def test_a_lid_sender_is_mapped_to_a_number_or_kept_as_lid(linked):
    _, client, events = linked
    client.lids["111222333444555"] = RESIDENT
    client.fire(message_event(E2EMessage(conversation="a"), message_id="L1", sender="111222333444555", server="lid"))
    client.fire(message_event(E2EMessage(conversation="b"), message_id="L2", sender="999888777666555", server="lid"))
    mapped, unknown = incoming(events)
    assert (mapped["sender"], mapped["sender_lid"], mapped["chat"]) == ("+" + RESIDENT, "111222333444555@lid",
                                                                       "+" + RESIDENT)
    assert (unknown["sender"], unknown["sender_lid"]) == ("", "999888777666555@lid")


def test_receipts_of_the_other_party_become_delivered_and_read(linked):
    _, client, events = linked
    for kind in (nz.Receipt.DELIVERED, nz.Receipt.READ, nz.Receipt.READ_SELF, nz.Receipt.RETRY):
        client.fire(nz.Receipt(MessageSource=source(), MessageIDs=["3EB0C0FFEE"], Timestamp=1_750_000_100,
                               Type=kind))
    receipts = [e for e in events if e["event"] == "receipt"]
    assert receipts == [
        {"event": "receipt", "message_ids": ["3EB0C0FFEE"], "kind": kind, "chat": "+" + RESIDENT,
         "at": "2025-06-15T15:08:20+00:00"} for kind in ("delivered", "read")]


def test_link_state_events(linked, capfd):
    _, client, events = linked
    client.event._qr(client, b"2@abc,def")  # how neonize hands a QR code to its callback
    client.fire(nz.TemporaryBan(Code=nz.TemporaryBan.BLOCKED_BY_USERS, Expire=3600))
    client.fire(nz.Disconnected(status=True))
    client.fire(nz.Disconnected(status=True))  # the same news once
    client.fire(nz.LoggedOut(OnConnect=False))
    assert events[1:] == [{"event": "qr", "data": "2@abc,def"},
                          {"event": "banned", "code": "blocked_by_users", "expires_s": 3600},
                          {"event": "disconnected", "reason": "Disconnected"},
                          {"event": "logged_out", "reason": "generic"}]
    assert capfd.readouterr().out == ""  # neonize's own QR printer never ran


def test_pairing_by_code_needs_a_link_waiting_for_it(tmp_path):
    backend = NeonizeBackend(tmp_path / "s.sqlite3", tmp_path / "in", client_factory=FakeGoClient, log=LOG)
    backend.start(lambda e: None)
    with pytest.raises(BackendError):
        backend.pair_phone("+" + OWN)
    backend.client.event._qr(backend.client, b"2@waiting")
    assert backend.pair_phone("+" + OWN) == "ABCD-1234"
    backend.stop()


def test_the_real_worker_loads_neonize_and_exits_when_stdin_closes(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "dikjamila.whatsapp.worker", "--data-dir", str(tmp_path)],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["event"] == "ready" and ready["pid"] == proc.pid
        # Wait for the client's first word (offline: "disconnected"): the Go library is running
        # and has opened its session file. Closing stdin before that raced the session's creation.
        first: list[bytes] = []
        reader = threading.Thread(target=lambda: first.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(20)
        assert first and protocol.decode(first[0])["event"] in {"disconnected", "qr", "connected", "error"}
        began = time.monotonic()
        out, err = proc.communicate(timeout=15)  # closes stdin first: the supervisor is gone
        assert proc.returncode == 0, err.decode(errors="replace")
        assert time.monotonic() - began < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    for line in out.splitlines():  # offline here: "disconnected", but nothing that is not a protocol line
        assert protocol.decode(line)["event"] in {"disconnected", "qr", "connected", "error"}
    assert (tmp_path / "whatsapp" / "session.sqlite3").exists()


def test_importing_the_worker_does_not_load_the_go_library():
    script = ("import sys\n"
              "import dikjamila.whatsapp.worker.main, dikjamila.whatsapp.worker.neonize_backend\n"
              "print('neonize' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.stdout.strip() == "False", result.stderr
