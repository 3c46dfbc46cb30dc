"""The base of the project's user-facing errors, at the bottom of the layers so that the
settings can raise one (assistant/errors.py defines the rest on top of `RapportError`).

Every error a user can meet derives from `RapportError`: its message (``str(exc)``) is a
Swedish sentence that can be shown as is, and `hint` says what the user should do about it.
"""

from __future__ import annotations


class RapportError(Exception):
    """Base class: a Swedish user-facing message plus a hint about what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(RapportError):
    """The configuration (environment variables, settings) is incomplete or invalid."""
