"""Kiosk mode (`dikjamila --kiosk`): the touch-screen window of a village outpost.

The window (`window.KioskWindow`) talks only to a kiosk station (`dikjamila.kiosk.api`) and
never sees the office's data. Screens: start, the request wizard (`wizard/`), status check,
survey, and the PIN pad that guards leaving.
"""
