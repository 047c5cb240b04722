"""The Cloud API transport: the WhatsApp Business Platform (Graph API), for a business number.

A document goes in two requests: `POST {base}/{phone_number_id}/media` (multipart: the bytes
exactly as stored) gives a media id; `POST {base}/{phone_number_id}/messages` sends it. Free-form
messages (a document with a caption, or text) are allowed only within 24 hours of the
resident's last message; outside that window (or when it is unknown) the office's approved
template goes instead: the document template with the document as its header and the text as
its one body parameter, or the text template with the text as its body parameter. Should the
server still refuse a free-form message for the window (131047, e.g. right at the 24-hour
edge), the template is sent once in its place: the refused message did not go out.

The API gives no server time, so a sent message carries the local time of the answer.
Sending only: Cloud API receipts and incoming messages need a public webhook.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from dikjamila.i18n import tr
from dikjamila.whatsapp.transports.base import Outgoing, SendOutcome, SendStatus

if TYPE_CHECKING:
    from dikjamila.config import Settings

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 100 * 1024 * 1024  # DOMAIN.md: PDF up to 100 MB
MAX_CAPTION_CHARS = 1024  # DOMAIN.md: caption <= 1024 characters
MAX_TEXT_CHARS = 4096  # "Message length exceeds 4,096 characters" (BAD_REQUEST, see below)
WINDOW = timedelta(hours=24)

# Graph API error codes (`error.code`), as found (2025) in copies of Meta's "Cloud API error
# codes" page and integrators' guides of it: developers.kaleyra.io/docs/cloud-api-error-codes,
# niswey.com/knowledge-base/error-codes-meta, unifydash.in/blog/whatsapp-business-api-error-
# handling, learn.turn.io ("Why am I seeing error code 131056", quoting Meta's text),
# wolkvox.helpjuice.com (Meta webhook error codes), help.salesforce.com (WhatsApp status errors,
# 4096-character text limit). Meta's own page was not reachable from here.
REENGAGEMENT = 131047  # "Re-engagement message": more than 24 h since the customer last replied
UNDELIVERABLE = 131026  # "Message undeliverable": not on WhatsApp, old app, terms not accepted
NOT_ALLOWED = 131030  # "Recipient phone number not in allowed list" (test/unverified numbers)
RATE_LIMITS = frozenset({
    4,  # API Too Many Calls (app call-rate limit)
    80007,  # WhatsApp Business Account rate limit
    130429,  # Cloud API throughput reached
    131048,  # spam rate limit (too many messages blocked or flagged)
    131056,  # (business, consumer) pair rate limit: too many to the same number
})
TOKEN_EXPIRED = 190  # "Access token has expired"
# Not mapped: "1006" (named in the brief) appears only as an On-Premises/Twilio code in what
# was found, not as a Cloud API code; an unknown code is a plain, retryable failure.
_BEFORE_SENDING = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError,
                   httpx.UnsupportedProtocol, httpx.LocalProtocolError)


class _Stop(Exception):
    """Ends a send with `outcome`; `code` is the Graph error code when the API gave one."""

    def __init__(self, outcome: SendOutcome, code: int | None = None):
        super().__init__(outcome.detail)
        self.outcome = outcome
        self.code = code


def in_window(last_incoming_at: datetime | None, now: datetime) -> bool:
    """True when the resident wrote less than 24 hours before `now` (naive times are UTC)."""
    if last_incoming_at is None:
        return False
    if last_incoming_at.tzinfo is None:
        last_incoming_at = last_incoming_at.replace(tzinfo=UTC)
    return now - last_incoming_at < WINDOW


def template_text(text: str) -> str:
    """A template parameter: no newlines or tabs, at most four spaces in a row (Meta's rule)."""
    flat = re.sub(r"\s*[\r\n\t]+\s*", " ", text)
    return re.sub(r" {5,}", "    ", flat).strip()


class CloudApiTransport:
    name = "cloud_api"

    def __init__(self, base_url: str, phone_number_id: str, token: str, *, document_template: str,
                 text_template: str, language: str, client: httpx.Client | None = None,
                 timeout_s: float = 60):
        self.base_url = base_url.rstrip("/")
        self.phone_number_id = phone_number_id.strip()
        self._token = (token or "").strip()
        self.document_template = document_template.strip()
        self.text_template = text_template.strip()
        self.language = language.strip() or "id"
        self._timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 15.0))
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(timeout=self._timeout)

    @classmethod
    def from_settings(cls, settings: Settings, token: str, *,
                      client: httpx.Client | None = None) -> CloudApiTransport:
        """Built from `dikjamila.config.Settings` and the token from `secrets.load_token`."""
        return cls(settings.cloud_api_base_url, settings.cloud_api_phone_number_id, token,
                   document_template=settings.cloud_api_document_template,
                   text_template=settings.cloud_api_text_template,
                   language=settings.cloud_api_template_language, client=client)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __repr__(self) -> str:  # never shows the token
        return f"CloudApiTransport({self.base_url!r}, {self.phone_number_id!r}, token=***)"

    # -- sending -----------------------------------------------------------------------------

    def send(self, message: Outgoing) -> SendOutcome:
        try:
            return self._send(message)
        except _Stop as stop:
            if stop.outcome.status is not SendStatus.SENT:
                log.warning("Cloud API send of item %s: %s: %s", message.item_id,
                            stop.outcome.status, stop.outcome.detail)
            return stop.outcome

    def _send(self, message: Outgoing) -> SendOutcome:
        self._check_setup()
        now = datetime.now(UTC)
        inside = in_window(message.last_incoming_at, now)
        to = re.sub(r"\D", "", message.recipient)
        if message.document is None:
            if len(message.text) > MAX_TEXT_CHARS:
                raise _Stop(_refused(tr("Pesan terlalu panjang ({count} karakter); WhatsApp "
                                        "membatasi {limit} karakter.", count=len(message.text),
                                        limit=MAX_TEXT_CHARS), "text too long"))
            free = {"type": "text", "text": {"body": message.text, "preview_url": False}}
            template = self._template(self.text_template, [_body(message.text)])
            message_id = self._deliver(to, free if inside else None, template)
            return SendOutcome(SendStatus.SENT, message_id=message_id, server_time=datetime.now(UTC))

        name = message.document_name or message.document.name
        if len(message.text) > MAX_CAPTION_CHARS:
            raise _Stop(_refused(tr("Keterangan dokumen terlalu panjang ({count} karakter); "
                                    "WhatsApp membatasi {limit} karakter.",
                                    count=len(message.text), limit=MAX_CAPTION_CHARS),
                                 "caption too long"))
        if not inside and not self.document_template:
            raise _Stop(self._reengagement("outside the 24-hour window and no document template"))
        data, sha256 = _read_document(message.document, name, message.document_sha256)
        media_id = self._upload(data, name, message.mime)
        document = {"id": media_id, "filename": name}
        free = {"type": "document", "document": {**document, **({"caption": message.text}
                                                                 if message.text else {})}}
        template = self._template(self.document_template, [
            {"type": "header", "parameters": [{"type": "document", "document": document}]},
            _body(message.text or name)])
        message_id = self._deliver(to, free if inside else None, template)
        return SendOutcome(SendStatus.SENT, message_id=message_id, server_time=datetime.now(UTC),
                           sha256=sha256)

    def _deliver(self, to: str, free: dict | None, template: dict | None) -> str:
        """Send free-form when given, else (or when refused for the window) the template."""
        if free is not None:
            try:
                return self._post_message(to, free)
            except _Stop as stop:
                if stop.code != REENGAGEMENT or template is None:
                    raise
                log.info("free-form message refused for the 24-hour window; sending the template")
        if template is None:
            raise _Stop(self._reengagement("outside the 24-hour window and no template set"))
        return self._post_message(to, template)

    def _template(self, name: str, components: list[dict]) -> dict | None:
        if not name:
            return None
        return {"type": "template", "template": {
            "name": name, "language": {"code": self.language}, "components": components}}

    def _check_setup(self) -> None:
        if not self.phone_number_id:
            raise _Stop(SendOutcome(SendStatus.FAILED, error=tr(
                "Cloud API belum diatur: ID nomor telepon (phone number ID) belum diisi di "
                "Pengaturan WhatsApp."), detail="no phone_number_id"))
        if not self._token:
            raise _Stop(SendOutcome(SendStatus.FAILED, error=tr(
                "Token Cloud API belum disimpan. Simpan token lewat Pengaturan WhatsApp."),
                detail="no token"))

    # -- the two requests --------------------------------------------------------------------

    def _upload(self, data: bytes, name: str, mime: str) -> str:
        url = f"{self.base_url}/{self.phone_number_id}/media"
        try:
            response = self._client.post(
                url, data={"messaging_product": "whatsapp", "type": mime},
                files={"file": (name, data, mime)}, headers=self._auth(), timeout=self._timeout)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise _Stop(_unreachable(exc, "media upload")) from exc
        if response.is_success:
            media_id = _json(response).get("id")
            if isinstance(media_id, str | int) and str(media_id):
                return str(media_id)
        raise self._api_error(response, "media upload", sent=False)

    def _post_message(self, to: str, content: dict) -> str:
        url = f"{self.base_url}/{self.phone_number_id}/messages"
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
                   **content}
        try:
            response = self._client.post(url, json=payload, headers=self._auth(),
                                         timeout=self._timeout)
        except (_BEFORE_SENDING + (httpx.InvalidURL,)) as exc:
            raise _Stop(_unreachable(exc, "message")) from exc
        except httpx.HTTPError as exc:  # sent, but no answer: it may have gone out
            raise _Stop(SendOutcome(SendStatus.UNCERTAIN, error=tr(
                "Pesan sudah dikirim ke WhatsApp Cloud API tetapi jawabannya tidak datang ({error}); "
                "belum pasti pesan sampai. Periksa di WhatsApp sebelum mengirim ulang.",
                error=type(exc).__name__), detail=f"message POST: no answer: {exc!r}")) from exc
        if response.is_success:
            body = _json(response)
            try:
                return str(body["messages"][0]["id"])
            except (KeyError, IndexError, TypeError) as exc:
                raise _Stop(SendOutcome(SendStatus.UNCERTAIN, error=tr(
                    "WhatsApp Cloud API menerima pesan tetapi jawabannya tidak terbaca; belum pasti "
                    "pesan sampai."), detail=f"HTTP {response.status_code}, unreadable answer: "
                    f"{response.text[:300]!r}")) from exc
        raise self._api_error(response, "message", sent=True)

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    # -- errors ------------------------------------------------------------------------------

    def _api_error(self, response: httpx.Response, stage: str, *, sent: bool) -> _Stop:
        error = _json(response).get("error")
        error = error if isinstance(error, dict) else {}
        code = error.get("code") if isinstance(error.get("code"), int) else None
        api_text = str(error.get("message") or "")
        details = (error.get("error_data") or {}).get("details", "") if isinstance(
            error.get("error_data"), dict) else ""
        detail = (f"{stage}: HTTP {response.status_code} code={code} "
                  f"subcode={error.get('error_subcode')} fbtrace_id={error.get('fbtrace_id')}: "
                  f"{api_text} {details}".strip())
        if code == REENGAGEMENT:
            return _Stop(self._reengagement(detail), code)
        if code == UNDELIVERABLE:
            return _Stop(_refused(tr(
                "Pesan tidak bisa disampaikan ke nomor ini (kode 131026): nomor itu mungkin tidak "
                "memakai WhatsApp, atau aplikasinya terlalu lama. Hubungi warga dengan cara lain."),
                detail), code)
        if code == NOT_ALLOWED:
            return _Stop(_refused(tr(
                "Nomor penerima tidak ada di daftar nomor yang diizinkan untuk akun Cloud API ini "
                "(kode 131030). Tambahkan nomor itu di Meta, atau pakai nomor bisnis yang sudah "
                "aktif penuh."), detail), code)
        if code in RATE_LIMITS:
            return _Stop(SendOutcome(SendStatus.FAILED, error=tr(
                "WhatsApp Cloud API sedang membatasi jumlah kiriman (kode {code}); pesan dicoba "
                "lagi nanti.", code=code), detail=detail), code)
        if code == TOKEN_EXPIRED or (code is None and response.status_code == 401):
            return _Stop(SendOutcome(SendStatus.FAILED, error=tr(
                "Token Cloud API tidak berlaku (kedaluwarsa atau dicabut). Buat token baru di Meta "
                "Business lalu simpan lewat Pengaturan WhatsApp."), detail=detail), code)
        if code is None and sent and response.status_code >= 500:
            # Not the Graph API's own answer (a proxy or gateway): the message may have gone out.
            return _Stop(SendOutcome(SendStatus.UNCERTAIN, error=tr(
                "WhatsApp Cloud API menjawab galat {status} tanpa keterangan; belum pasti pesan "
                "sampai. Periksa di WhatsApp sebelum mengirim ulang.",
                status=response.status_code), detail=detail), code)
        return _Stop(SendOutcome(SendStatus.FAILED, error=tr(
            "WhatsApp Cloud API menolak pesan (kode {code}, HTTP {status}): {message}",
            code=code if code is not None else "-", status=response.status_code,
            message=api_text or response.reason_phrase), detail=detail), code)

    def _reengagement(self, detail: str) -> SendOutcome:
        return _refused(tr(
            "Warga ini terakhir menulis lebih dari 24 jam yang lalu. Di luar jendela 24 jam itu "
            "WhatsApp hanya menerima template yang sudah disetujui Meta. Periksa nama template di "
            "Pengaturan WhatsApp (template dokumen: '{document}', template teks: '{text}', bahasa: "
            "'{language}'), atau kirim setelah warga menulis lagi.",
            document=self.document_template, text=self.text_template, language=self.language),
            detail)


def _body(text: str) -> dict:
    return {"type": "body", "parameters": [{"type": "text", "text": template_text(text)}]}


def _refused(error: str, detail: str) -> SendOutcome:
    return SendOutcome(SendStatus.FAILED_PERMANENT, error=error, detail=detail)


def _unreachable(exc: Exception, stage: str) -> SendOutcome:
    return SendOutcome(SendStatus.FAILED, error=tr(
        "Tidak bisa menghubungi WhatsApp Cloud API ({error}); pesan belum terkirim dan akan "
        "dicoba lagi.", error=type(exc).__name__), detail=f"{stage}: not sent: {exc!r}")


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _read_document(path: Path, name: str, expected_sha256: str | None) -> tuple[bytes, str]:
    """The document's bytes as stored and their sha256; refused when too big or altered."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise _Stop(_refused(tr(
                "Dokumen {name} berukuran {size} MB, melebihi batas WhatsApp Cloud API 100 MB.",
                name=name, size=f"{size / 1024 / 1024:.1f}"), f"document too large: {size} bytes"))
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise _Stop(_refused(tr("Berkas dokumen untuk dikirim tidak ditemukan: {name}.", name=name),
                             f"document missing: {path}")) from exc
    except OSError as exc:
        raise _Stop(SendOutcome(SendStatus.FAILED, error=tr(
            "Berkas dokumen tidak bisa dibaca: {error}.", error=exc.strerror or exc),
            detail=f"cannot read {path}: {exc!r}")) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    if expected_sha256 and sha256 != expected_sha256.lower():
        raise _Stop(_refused(tr("Isi berkas dokumen tidak sama dengan yang tercatat; dokumen tidak "
                                "dikirim."), f"sha256 mismatch: expected {expected_sha256}, "
                                             f"read {sha256}"))
    return data, sha256
