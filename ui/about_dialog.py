"""Bantuan → Tentang Dik Jamila: what the office's IT person asks for on the phone — the
version, where the data and the log are, which database (engine, address without its password,
schema revision) and how WhatsApp stands on this PC. The text can be selected and copied."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

from dikjamila import __version__
from dikjamila.i18n import tr


@dataclass(frozen=True)
class AboutFacts:
    version: str
    data_dir: str
    log_file: str
    database: str  # "SQLite — C:\…\dikjamila.sqlite3" or "PostgreSQL — postgresql://dj@server/db"
    schema: str  # "0012 (terbaru)"
    whatsapp: str  # the status light's words, and their detail


def gather_facts(office, whatsapp_summary=None) -> AboutFacts:
    """Read on the database worker: the schema revision is a query."""
    from dikjamila.db import migrate
    from dikjamila.logs import log_path

    engine = office.db.engine
    url = engine.url
    if url.get_backend_name() == "sqlite":
        database = tr("SQLite — {path}", path=url.database or "")
    else:
        database = tr("PostgreSQL — {url}", url=url.render_as_string(hide_password=True))
    current, head = migrate.current_revision(engine), migrate.head_revision()
    schema = (tr("{revision} (terbaru)", revision=current) if current == head
              else tr("{revision} (versi program: {head})", revision=current or "?", head=head))
    if whatsapp_summary is None:
        whatsapp = tr("belum diketahui")
    else:
        detail = whatsapp_summary.tooltip.strip()
        # The light reads "WhatsApp: terhubung"; here the row's name says "WhatsApp" already.
        state = whatsapp_summary.text.removeprefix(tr("WhatsApp:")).strip()
        whatsapp = state + (f" — {detail}" if detail else "")
    data_dir = office.paths.data_dir
    return AboutFacts(__version__, str(data_dir), str(log_path(data_dir)), database, schema, whatsapp)


class AboutDialog(QDialog):
    def __init__(self, facts: AboutFacts, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Tentang Dik Jamila"))
        self.setMinimumWidth(560)
        title = QLabel(tr("<b>Dik Jamila {version}</b><br>Di Kampung Saja, Kami Melayani Melalui "
                          "WhatsApp<br>Disdukcapil Kabupaten Balangan", version=facts.version), self)
        rows = [
            (tr("Versi"), facts.version),
            (tr("Folder data"), facts.data_dir),
            (tr("Berkas log"), tr("{path} (NIK dan nomor HP disamarkan)", path=facts.log_file)),
            (tr("Basis data"), facts.database),
            (tr("Skema basis data"), facts.schema),
            (tr("WhatsApp"), facts.whatsapp),
        ]
        self.rows = rows
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name, value in rows:
            label = QLabel(value, self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(QLabel(f"<b>{name}</b>", self), label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Tutup"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def details_text(self) -> str:
        """The facts as plain lines ("Versi: 0.1.0"), as they would be read out on the phone."""
        return "\n".join(f"{name}: {value}" for name, value in self.rows)
