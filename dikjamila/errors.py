"""Errors a user may see. Their message is Bahasa Indonesia, ready to show as is."""


class UserError(Exception):
    """A refusal the person at the desk should read: bad input, a guard that failed, a conflict.

    `message` is in Bahasa Indonesia (already passed through `tr`).
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(UserError):
    """The record asked for does not exist."""


class PermissionDenied(UserError):
    """The signed-in user's role does not allow this action."""


class Conflict(UserError):
    """Someone else changed or claimed the record first."""


class InvalidInput(UserError):
    """A value typed or imported is malformed (NIK, phone, file...)."""


class DatabaseOffline(UserError):
    """The database cannot be reached (network, server down); nothing was changed. Retry later."""
