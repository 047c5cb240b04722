"""The transport named in settings, built for one office (the linked device is built by the
link service, which owns its workers)."""

from __future__ import annotations

from pathlib import Path

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

NAMES = ("linked", "folder", "cloud_api", "pywhatkit")
LABELS = {"linked": "Perangkat tertaut (HP kantor)", "folder": "Folder (uji coba)",
          "cloud_api": "WhatsApp Cloud API", "pywhatkit": "pywhatkit (teks saja)"}


def outbox_folder(office) -> Path:
    configured = office.settings.whatsapp_folder.strip()
    return Path(configured) if configured else office.paths.data_dir / "whatsapp" / "keluar"


def build_transport(name: str, office, *, folder: Path | None = None):
    if name == "folder":
        from dikjamila.whatsapp.transports.folder import FolderTransport
        return FolderTransport(folder or outbox_folder(office))
    if name == "cloud_api":
        from dikjamila.whatsapp.transports.cloud_api import CloudApiTransport
        from dikjamila.whatsapp.transports.secrets import load_token
        settings = office.settings
        token = load_token(office.paths.data_dir)
        if not token or not settings.cloud_api_phone_number_id:
            raise InvalidInput(tr("Cloud API belum disiapkan: isi Phone Number ID di pengaturan dan simpan "
                                  "token dengan `dikjamila whatsapp cloud-token`."))
        return CloudApiTransport(settings.cloud_api_base_url, settings.cloud_api_phone_number_id, token,
                                 document_template=settings.cloud_api_document_template,
                                 text_template=settings.cloud_api_text_template,
                                 language=settings.cloud_api_template_language)
    if name == "pywhatkit":
        from dikjamila.whatsapp.transports.pywhatkit_transport import PywhatkitTransport
        return PywhatkitTransport()
    if name == "linked":
        raise InvalidInput(tr("Perangkat tertaut dijalankan oleh `dikjamila whatsapp run`."))
    raise InvalidInput(tr("Cara kirim WhatsApp tidak dikenal: {name}. Pilihan: {names}", name=name,
                          names=", ".join(NAMES)))
