"""Kiosk mode's core: a village outpost's station (`station.KioskStation`), its own database of
what waits to reach the office, and the store-and-forward delivery (`delivery.deliver_pending`).

The screen (`ui/kiosk/`) talks to a station through `api.KioskStationApi` only. Nothing here
reads the office's data: the office side (`dikjamila.desk.kiosk_intake`) takes what arrives.
"""
