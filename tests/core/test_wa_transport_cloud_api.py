"""The Cloud API transport against a real local HTTP server that answers like the Graph API.

The server (http.server on 127.0.0.1, port 0) checks the bearer token, takes the upload apart
by hand (so the bytes compared are exactly the bytes on the wire) and answers with the Graph
API's success and error shapes. Nothing of the transport is replaced.
"""

from __future__ import annotations

import hashlib
import json
import socket
import stat
import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from dikjamila.config import Paths, Settings, save_settings
from dikjamila.whatsapp.transports import secrets
from dikjamila.whatsapp.transports.base import Outgoing, SendStatus
from dikjamila.whatsapp.transports.cloud_api import CloudApiTransport

TOKEN = "EAAG-test-token-123"
PHONE_ID = "109876543210"
PDF = b"%PDF-1.7\r\n" + bytes(range(256)) * 64 + b"\r\n--not-a-boundary\r\n%%EOF\n"
WAMID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1"


def graph_error(code, message, status=400):
    return status, {"error": {"message": f"(#{code}) {message}", "type": "OAuthException",
                              "code": code, "error_data": {"messaging_product": "whatsapp",
                                                           "details": message},
                              "fbtrace_id": "AbCdEf123"}}


class FakeGraph:
    """Records each request; answers from queues ("hang" = accept and never answer)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.upload_answers: list = []
        self.message_answers: list = []
        self.release = threading.Event()
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                seen = {"path": self.path, "headers": dict(self.headers), "body": body}
                graph.requests.append(seen)
                kind = self.path.rsplit("/", 1)[-1]
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    answer = graph_error(190, "Error validating access token: Session has expired",
                                         status=401)
                elif kind == "media":
                    seen["parts"] = parse_multipart(self.headers["Content-Type"], body)
                    answer = graph.upload_answers.pop(0) if graph.upload_answers else (200, {"id": "MEDIA-77"})
                else:
                    seen["json"] = json.loads(body)
                    answer = graph.message_answers.pop(0) if graph.message_answers else (200, {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": seen["json"]["to"], "wa_id": seen["json"]["to"]}],
                        "messages": [{"id": WAMID}]})
                if answer == "hang":
                    graph.release.wait(10)
                    return
                status, payload = answer
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v21.0"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def only(self, kind):
        return [r for r in self.requests if r["path"].endswith("/" + kind)]


def parse_multipart(content_type: str, body: bytes) -> dict:
    """name -> {"filename", "type", "data"}, split by hand so the bytes are the wire's bytes."""
    assert content_type.startswith("multipart/form-data"), content_type
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    parts = {}
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        head, data = chunk[2:].split(b"\r\n\r\n", 1)
        assert data.endswith(b"\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        disposition = headers["Content-Disposition"]
        fields = dict(p.strip().split("=", 1) for p in disposition.split(";")[1:])
        name = fields["name"].strip('"')
        parts[name] = {"filename": fields.get("filename", "").strip('"') or None,
                       "type": headers.get("Content-Type"), "data": data[:-2]}
    return parts


@pytest.fixture
def graph():
    server = FakeGraph()
    yield server
    server.close()


_made: list[CloudApiTransport] = []


@pytest.fixture(autouse=True)
def _close_transports():
    yield
    while _made:
        _made.pop().close()


def transport(url, token=TOKEN, **kwargs):
    made = CloudApiTransport(url, PHONE_ID, token, document_template="dokumen_terbit",
                             text_template="pemberitahuan_layanan", language="id", **kwargs)
    _made.append(made)
    return made


def document_message(tmp_path, *, hours_ago=2.0, text="Akta kelahiran Anda terlampir.", data=PDF):
    path = tmp_path / "blob"
    path.write_bytes(data)
    last = None if hours_ago is None else datetime.now(UTC) - timedelta(hours=hours_ago)
    return Outgoing(item_id=5, recipient="+6281234567890", text=text, template="dokumen_terbit",
                    document=path, document_name="akta-kelahiran.pdf",
                    document_sha256=hashlib.sha256(data).hexdigest(), last_incoming_at=last)


def text_message(hours_ago=2.0, text="Berkas Anda kurang:\n- KK\n- KTP"):
    last = None if hours_ago is None else datetime.now(UTC) - timedelta(hours=hours_ago)
    return Outgoing(item_id=6, recipient="+6281234567890", text=text, last_incoming_at=last)


# -- what goes on the wire --------------------------------------------------------------------


def test_document_inside_the_window_is_uploaded_exactly_and_sent_free_form(graph, tmp_path):
    outcome = transport(graph.url).send(document_message(tmp_path))

    assert outcome.status is SendStatus.SENT
    assert outcome.message_id == WAMID
    assert outcome.sha256 == hashlib.sha256(PDF).hexdigest()
    assert abs((outcome.server_time - datetime.now(UTC)).total_seconds()) < 60
    upload, = graph.only("media")
    assert upload["path"] == f"/v21.0/{PHONE_ID}/media"
    assert upload["headers"]["Authorization"] == f"Bearer {TOKEN}"
    parts = upload["parts"]
    assert parts["messaging_product"]["data"] == b"whatsapp"
    assert parts["type"]["data"] == b"application/pdf"
    assert parts["file"]["filename"] == "akta-kelahiran.pdf"
    assert parts["file"]["type"] == "application/pdf"
    assert parts["file"]["data"] == PDF
    sent, = graph.only("messages")
    assert sent["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert sent["headers"]["Content-Type"] == "application/json"
    assert sent["json"] == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "6281234567890",
        "type": "document",
        "document": {"id": "MEDIA-77", "filename": "akta-kelahiran.pdf",
                     "caption": "Akta kelahiran Anda terlampir."}}


@pytest.mark.parametrize("hours_ago", [30.0, None], ids=["outside", "unknown"])
def test_document_outside_the_window_goes_as_the_template(graph, tmp_path, hours_ago):
    outcome = transport(graph.url).send(document_message(tmp_path, hours_ago=hours_ago))

    assert outcome.status is SendStatus.SENT
    sent, = graph.only("messages")
    assert sent["json"] == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "6281234567890",
        "type": "template",
        "template": {"name": "dokumen_terbit", "language": {"code": "id"}, "components": [
            {"type": "header", "parameters": [{"type": "document", "document": {
                "id": "MEDIA-77", "filename": "akta-kelahiran.pdf"}}]},
            {"type": "body", "parameters": [{"type": "text",
                                             "text": "Akta kelahiran Anda terlampir."}]}]}}


def test_text_inside_the_window_is_free_text(graph):
    outcome = transport(graph.url).send(text_message())

    assert outcome.status is SendStatus.SENT and outcome.message_id == WAMID
    assert outcome.sha256 is None
    assert graph.only("media") == []
    sent, = graph.only("messages")
    assert sent["json"]["type"] == "text"
    assert sent["json"]["text"]["body"] == "Berkas Anda kurang:\n- KK\n- KTP"
    assert sent["json"]["to"] == "6281234567890"


def test_text_outside_the_window_is_the_text_template_on_one_line(graph):
    transport(graph.url).send(text_message(hours_ago=25))

    sent, = graph.only("messages")
    assert sent["json"]["type"] == "template"
    assert sent["json"]["template"] == {
        "name": "pemberitahuan_layanan", "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [
            {"type": "text", "text": "Berkas Anda kurang: - KK - KTP"}]}]}


# -- what the server says ---------------------------------------------------------------------


def test_reengagement_error_outside_the_window_explains_the_24_hour_rule(graph, tmp_path):
    graph.message_answers.append(graph_error(131047, "Re-engagement message"))
    outcome = transport(graph.url).send(document_message(tmp_path, hours_ago=40))

    assert outcome.status is SendStatus.FAILED_PERMANENT
    assert "24 jam" in outcome.error and "template" in outcome.error
    assert "dokumen_terbit" in outcome.error  # the setting to check
    assert "131047" in outcome.detail
    assert len(graph.only("messages")) == 1


def test_free_form_refused_at_the_window_edge_goes_once_as_the_template(graph):
    graph.message_answers.append(graph_error(131047, "Re-engagement message"))
    outcome = transport(graph.url).send(text_message(hours_ago=23.99))

    assert outcome.status is SendStatus.SENT
    first, second = graph.only("messages")
    assert first["json"]["type"] == "text" and second["json"]["type"] == "template"


@pytest.mark.parametrize("code", [130429, 131048, 131056, 80007])
def test_rate_limits_fail_for_a_later_retry(graph, code):
    graph.message_answers.append(graph_error(code, "Rate limit hit"))
    outcome = transport(graph.url).send(text_message())
    assert outcome.status is SendStatus.FAILED
    assert str(code) in outcome.error


@pytest.mark.parametrize("code", [131026, 131030])
def test_recipient_that_cannot_receive_is_a_permanent_failure(graph, code):
    graph.message_answers.append(graph_error(code, "Message undeliverable"))
    outcome = transport(graph.url).send(text_message())
    assert outcome.status is SendStatus.FAILED_PERMANENT
    assert str(code) in outcome.error


def test_invalid_token_says_so(graph, tmp_path):
    t = transport(graph.url, token="EAAG-expired")
    outcome = t.send(document_message(tmp_path))
    assert outcome.status is SendStatus.FAILED
    assert "token cloud api tidak berlaku" in outcome.error.lower()
    assert "EAAG-expired" not in outcome.error + outcome.detail + repr(t)


def test_no_answer_after_the_message_was_posted_is_uncertain(graph, tmp_path):
    graph.message_answers.append("hang")
    outcome = transport(graph.url, timeout_s=0.5).send(document_message(tmp_path))
    assert outcome.status is SendStatus.UNCERTAIN
    assert "belum pasti" in outcome.error
    assert len(graph.only("media")) == len(graph.only("messages")) == 1


def test_no_answer_to_the_upload_is_a_plain_failure(graph, tmp_path):
    graph.upload_answers.append("hang")
    outcome = transport(graph.url, timeout_s=0.5).send(document_message(tmp_path))
    assert outcome.status is SendStatus.FAILED
    assert graph.only("messages") == []


def test_gateway_error_without_a_graph_answer_is_uncertain(graph):
    graph.message_answers.append((502, b"<html>Bad Gateway</html>"))
    assert transport(graph.url).send(text_message()).status is SendStatus.UNCERTAIN


def test_server_not_listening_fails(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = transport(f"http://127.0.0.1:{port}/v21.0", timeout_s=2).send(text_message())
    assert outcome.status is SendStatus.FAILED
    assert "Tidak bisa menghubungi" in outcome.error


# -- refused before any request ---------------------------------------------------------------


def test_document_over_100_mb_is_refused_without_a_request(graph, tmp_path):
    big = tmp_path / "besar.pdf"
    with open(big, "wb") as f:
        f.truncate(100 * 1024 * 1024 + 1)  # sparse: nothing is really written
    message = Outgoing(item_id=9, recipient="+6281234567890", text="", document=big,
                       document_name="besar.pdf")
    outcome = transport(graph.url).send(message)
    assert outcome.status is SendStatus.FAILED_PERMANENT
    assert "100 MB" in outcome.error
    assert graph.requests == []


def test_caption_over_1024_characters_is_refused_without_a_request(graph, tmp_path):
    outcome = transport(graph.url).send(document_message(tmp_path, text="x" * 1025))
    assert outcome.status is SendStatus.FAILED_PERMANENT
    assert "1024" in outcome.error
    assert graph.requests == []


def test_altered_document_is_refused_without_a_request(graph, tmp_path):
    message = document_message(tmp_path)
    message.document.write_bytes(PDF + b"tampered")
    outcome = transport(graph.url).send(message)
    assert outcome.status is SendStatus.FAILED_PERMANENT
    assert graph.requests == []


# -- the token --------------------------------------------------------------------------------


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A working keyring backend kept in memory (a stand-in for the OS keyring)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.store = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        del self.store[(service, username)]


@pytest.fixture
def keyring_backend():
    before = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(before)


def test_token_falls_back_to_a_private_file(tmp_path, keyring_backend):
    keyring_backend(keyring.backends.fail.Keyring())
    data_dir = tmp_path / "kantor"
    save_settings(Paths(data_dir), Settings(whatsapp_transport="cloud_api"))

    secrets.save_token(data_dir, f"  {TOKEN}\n")
    save_settings(Paths(data_dir), Settings(whatsapp_transport="cloud_api"))

    assert secrets.load_token(data_dir) == TOKEN
    file = data_dir / "secrets" / "cloud_api_token"
    assert file.read_text(encoding="utf-8") == TOKEN
    if sys.platform != "win32":
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    holders = [p for p in data_dir.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes()]
    assert holders == [file]  # not in settings.toml, nowhere else
    secrets.forget_token(data_dir)
    assert secrets.load_token(data_dir) is None and not file.exists()


def test_token_goes_to_a_working_keyring_and_not_to_a_file(tmp_path, keyring_backend):
    backend = MemoryKeyring()
    keyring_backend(backend)
    data_dir = tmp_path / "kantor"

    secrets.save_token(data_dir, TOKEN)

    assert backend.store == {(secrets.SERVICE, str(data_dir.resolve())): TOKEN}
    assert not secrets.token_file(data_dir).exists()
    assert secrets.load_token(data_dir) == TOKEN
    secrets.forget_token(data_dir)
    assert backend.store == {} and secrets.load_token(data_dir) is None


def test_windows_fallback_file_is_outside_the_data_dir(tmp_path):
    data_dir = tmp_path / "kantor"
    path = secrets.token_file(data_dir, windows=True)
    assert data_dir not in path.parents and path.name == "cloud_api_token"
