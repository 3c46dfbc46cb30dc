"""Errors of ingestion; the CLI and UI show `reason` to the user."""


class IngestError(Exception):
    """Base class for ingestion problems."""


class UnreadableFile(IngestError):
    """The file cannot be read as a report; the message says why and what to do (Swedish)."""

    @property
    def reason(self) -> str:
        return str(self)
