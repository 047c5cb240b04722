"""The IKM survey: invitations, responses (operator, kiosk, WhatsApp reply)."""

from __future__ import annotations

from dikjamila.desk.base import DeskBase


class SurveyOps(DeskBase):
    pass
