"""The WhatsApp side of the workstation: link status and dialog, outbox and unhandled messages."""
