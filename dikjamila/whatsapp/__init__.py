"""WhatsApp: the outbox's state model and message identity (transports come with the link issue)."""
