"""The assistant's exceptions.

Every error a user can meet derives from `RapportError`: its message (``str(exc)``) is a
Swedish sentence that can be shown as is, and `hint` says what the user should do about it.
`RapportError` and `ConfigError` are defined in rapport_settings/errors.py, the bottom layer,
so that the settings can raise a `ConfigError`.
"""

from __future__ import annotations

from rapport_settings.errors import RapportError


class PromptError(RapportError):
    """A prompt file is missing or its {variables} do not match what the code fills in."""


class LLMUnavailable(RapportError):
    """The language model could not be used; the caller falls back to an extractive answer.

    `reason` is the short Swedish cause that is put in parentheses in the message.
    """

    def __init__(self, reason: str, hint: str = "") -> None:
        message = (
            f"Språkmodellen svarar inte ({reason}). "
            "Svaret nedan är sammanställt direkt ur rapporterna."
        )
        super().__init__(message, hint)
        self.reason = reason
