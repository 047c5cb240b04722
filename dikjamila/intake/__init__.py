"""Intake: turning what residents send (WhatsApp messages, chat exports, files) into requests."""
