"""The "Hubungkan WhatsApp" dialog and the status light, driven by the link rows the link
service writes (here written directly with the service's own system desk)."""

from __future__ import annotations

import segno
from PySide6.QtWidgets import QLabel, QMessageBox

from dikjamila.errors import InvalidInput
from tests.ui.test_wa_support import TIMEOUT, configure, linked, shot, system_desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.whatsapp.link_dialog import LinkDialog
from ui.whatsapp.qr import QUIET_ZONE
from ui.worker import DbWorker

QR = "2@Xk3v9QmB0aZr7yH1nC4pL8sT2wE6uJ5oG0fD3hK9bV7xM1cN4qR8tY2zA6eI5,mJ0pW3sL7vB9nC2xZ5qK8tR1yH4uE6oI3aD0fG7jS=,Qm9vZ3Jk,1"
NEW_QR = QR.replace("Xk3v", "Pp0a")


def dialog_for(qtbot, ctx) -> LinkDialog:
    ctx.changes.start()
    dialog = LinkDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def assert_pixmap_is_the_code(pixmap, data: str) -> None:
    """Every module of the QR for `data` is dark or light where the pixmap says so."""
    matrix = segno.make_qr(data, error="m").matrix
    modules = len(matrix) + 2 * QUIET_ZONE
    assert pixmap.width() == pixmap.height() >= 264
    scale = pixmap.width() // modules
    assert scale * modules == pixmap.width()
    image = pixmap.toImage()
    darks = lights = 0
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            colour = image.pixelColor((x + QUIET_ZONE) * scale + scale // 2, (y + QUIET_ZONE) * scale + scale // 2)
            assert (colour.lightness() < 64) == bool(dark), (x, y)
            darks, lights = darks + bool(dark), lights + (not dark)
    assert darks > 100 and lights > 100
    assert image.pixelColor(1, 1).lightness() > 200  # the quiet zone is white


def test_the_dialog_shows_a_scannable_qr_and_follows_the_link(qtbot, ui_office, make_ctx):
    linked(ui_office)
    system = system_desk(ui_office)
    system.set_link_state("", "need_link", qr=QR)
    dialog = dialog_for(qtbot, make_ctx(ui_office, "hasan"))
    qtbot.waitUntil(dialog.qr_shown, timeout=TIMEOUT)
    assert_pixmap_is_the_code(dialog.qr_label.pixmap(), QR)
    steps = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Perangkat tertaut" in steps and "Tautkan perangkat" in steps
    assert "perlu dihubungkan" in dialog.state_label.text()
    shot(dialog, "link-qr")

    system.set_link_state("", "need_link", qr=NEW_QR)  # WhatsApp turns the code every ~20 s
    qtbot.waitUntil(lambda: dialog.shown_qr == NEW_QR, timeout=TIMEOUT)
    assert_pixmap_is_the_code(dialog.qr_label.pixmap(), NEW_QR)

    system.set_link_state("", "connected", phone="+6281100000001")
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=TIMEOUT)
    assert dialog.connected_label.text() == "✓ Terhubung sebagai +62 811-0000-0001"
    assert not dialog.qr_shown()
    shot(dialog, "link-connected")


def test_a_pairing_code_is_asked_for_with_a_checked_number_and_shown_large(qtbot, ui_office, make_ctx):
    linked(ui_office)
    system = system_desk(ui_office)
    system.set_link_state("", "need_link", qr=QR)
    ctx = make_ctx(ui_office, "hasan")
    dialog = dialog_for(qtbot, ctx)
    qtbot.waitUntil(dialog.qr_shown, timeout=TIMEOUT)
    assert not dialog.pair_box.isVisible()
    dialog.use_code.click()
    assert dialog.pair_box.isVisible()

    dialog.phone.setText("021-555-1234")  # a Jakarta landline has no WhatsApp
    dialog.ask_code.click()
    assert "bukan nomor HP" in dialog.phone_error.text()
    qtbot.wait(50)
    assert system.link_states()[0].pending_command == ""

    dialog.phone.setText("0811 5000 1234")
    dialog.ask_code.click()
    qtbot.waitUntil(lambda: system.link_states()[0].pending_command == "pair:+6281150001234", timeout=TIMEOUT)
    assert dialog.phone_error.text() == ""

    system.set_link_state("", "need_link", pair_code="ABCD1234")  # the worker's answer
    qtbot.waitUntil(lambda: dialog.pair_code.text() == "ABCD-1234", timeout=TIMEOUT)
    assert dialog.pair_code.isVisible() and dialog.pair_code.font().pointSize() >= 20
    assert "Tautkan dengan nomor telepon saja" in dialog.pair_hint.text()
    shot(dialog, "link-paircode")

    # An operator may look, not link.
    look = dialog_for(qtbot, make_ctx(ui_office, "sari"))
    qtbot.waitUntil(look.qr_shown, timeout=TIMEOUT)
    assert not look.use_code.isEnabled() and not look.ask_code.isEnabled()


def test_unlinking_asks_first(qtbot, ui_office, make_ctx, monkeypatch):
    linked(ui_office)
    system = system_desk(ui_office)
    system.set_link_state("", "connected", phone="+6281100000001")
    dialog = dialog_for(qtbot, make_ctx(ui_office, "admin"))
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=TIMEOUT)
    asked = []

    def answer(reply):
        def question(parent, title, text, buttons, default):
            asked.append((text, default))
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.unlink.click()
    assert asked and "+62 811" in asked[0][0] and asked[0][1] == QMessageBox.StandardButton.No
    qtbot.wait(100)
    assert system.link_states()[0].pending_command == ""

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.unlink.click()
    qtbot.waitUntil(lambda: system.link_states()[0].pending_command == "logout", timeout=TIMEOUT)
    assert len(asked) == 2

    # Only an admin may unlink (the desk refuses others too).
    other = dialog_for(qtbot, make_ctx(ui_office, "hasan"))
    qtbot.waitUntil(lambda: other.pages.currentIndex() == 1, timeout=TIMEOUT)
    assert not other.unlink.isEnabled() and "admin" in other.unlink.toolTip()


def _window(qtbot, office, username="hasan"):
    window = MainWindow(AppContext(office, office.actor_for(username), DbWorker(), link_service_factory=None))
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_status_light_follows_the_link_rows_and_opens_the_dialog(qtbot, ui_office):
    window = _window(qtbot, ui_office)
    light = window.whatsapp
    qtbot.waitUntil(lambda: light.light_text() == "WhatsApp: lewat folder", timeout=TIMEOUT)  # the demo default

    linked(ui_office, whatsapp_numbers=["+6281150001111", "+6281150002222"])
    window.ctx.bus.settings_changed.emit()  # as the settings dialog does after saving
    qtbot.waitUntil(lambda: light.light_text() == "WhatsApp: tidak berjalan", timeout=TIMEOUT)
    system = system_desk(ui_office)
    poll = window.ctx.changes.poll_now  # the watcher would see each change within a second anyway
    system.set_link_state("+6281150001111", "connected", phone="+6281150001111")
    poll()
    system.set_link_state("+6281150002222", "need_link", qr=QR)
    qtbot.waitUntil(lambda: light.light_text() == "WhatsApp: perlu dihubungkan", timeout=TIMEOUT)
    system.set_link_state("+6281150002222", "reconnecting", detail="offline")
    poll()
    qtbot.waitUntil(lambda: light.light_text() == "WhatsApp: terputus, mencoba lagi", timeout=TIMEOUT)
    tip = light.light.toolTip()
    assert "+6281150001111: terhubung" in tip and "+6281150002222: terputus, mencoba lagi — offline" in tip
    system.set_link_state("+6281150002222", "connected", phone="+6281150002222")
    poll()
    qtbot.waitUntil(lambda: light.light_text() == "WhatsApp: terhubung", timeout=TIMEOUT)
    system.set_link_state("+6281150001111", "banned", detail="(60 menit)")
    poll()
    qtbot.waitUntil(lambda: light.light_text() == "WhatsApp: diblokir sementara", timeout=TIMEOUT)

    assert not light.paused.isVisible()
    ui_office.desk(ui_office.actor_for("hasan")).set_sending_paused(True)
    poll()
    qtbot.waitUntil(light.paused.isVisible, timeout=TIMEOUT)
    assert "Pengiriman dijeda" in light.paused.text()
    shot(window.statusBar(), "statusbar")

    light.light.click()
    dialog = light._windows["link"]
    assert isinstance(dialog, LinkDialog) and dialog.isVisible()
    assert [a.text() for a in light.menu.actions()][:2] == ["Hubungkan WhatsApp…", "Antrean kirim"]


class RecordingService:
    """Stands in for LinkService: records what the session does with it."""

    def __init__(self, office, made: list, fail_with: str = ""):
        self.transport_name = office.settings.whatsapp_transport
        self.started = self.stopped = False
        self.fail_with = fail_with
        made.append(self)

    def start(self) -> None:
        if self.fail_with == "linked" and self.transport_name == "linked":
            raise InvalidInput("Cloud API belum disiapkan: isi Phone Number ID di pengaturan.")
        self.started = True

    def stop(self) -> None:
        self.stopped = True


def test_the_link_service_runs_with_the_window_and_follows_the_settings(qtbot, ui_office):
    made: list[RecordingService] = []
    ctx = AppContext(ui_office, ui_office.actor_for("admin"), DbWorker(),
                     link_service_factory=lambda office: RecordingService(office, made, fail_with="linked"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(made) and made[0].started, timeout=TIMEOUT)  # after the window showed
    assert made[0].transport_name == "folder" and ctx.link_service is made[0]

    configure(ui_office, whatsapp_transport="linked")  # this one fails to start: said, not raised
    ctx.bus.settings_changed.emit()
    qtbot.waitUntil(lambda: len(made) == 2, timeout=TIMEOUT)
    assert made[0].stopped and not made[1].started and made[1].stopped
    assert "Phone Number ID" in window.statusBar().currentMessage() and ctx.link_service is None

    configure(ui_office, whatsapp_transport="folder")
    ctx.bus.settings_changed.emit()
    qtbot.waitUntil(lambda: len(made) == 3 and made[2].started, timeout=TIMEOUT)
    ctx.bus.settings_changed.emit()  # nothing changed: the same service goes on
    qtbot.wait(100)
    assert len(made) == 3
    window.close()
    assert made[2].stopped
