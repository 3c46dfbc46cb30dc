"""Pluggable chat models through LangChain: none, any OpenAI-compatible server, or Azure.

`LLMSettings` (the `llm` section of rapport_settings, re-exported here) says which model;
`make_chat_model` builds it (None when no model is configured: the assistant then answers
extractively), and `complete` / `stream` call it. Every way the model can fail (no
connection, timeout, HTTP 4xx/5xx, refused key) becomes `LLMUnavailable`, whose message tells
the user that the answer below comes straight from the reports; the caller then falls back to
an extractive answer.

Timeouts: the OpenAI client's timeout applies to connecting and to every read, so a server
that never answers, or a stream that stalls mid-way, raises within about `timeout_s`.
A stream that has already yielded pieces can still raise; the caller must then discard
the partial text. Retries are off (max_retries=0): a retry would double the wait.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from assistant.errors import LLMUnavailable
from rapport_settings import LLMSettings
from rapport_settings.errors import ConfigError

__all__ = ["LLMSettings", "complete", "make_chat_model", "stream"]

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# What complete()/stream() accept: a prompt text, or [(role, text)] / LangChain messages.
PromptInput = str | Sequence[Any]


def make_chat_model(s: LLMSettings) -> BaseChatModel | None:
    """The LangChain chat model for `s`, or None for provider "none"."""
    if s.provider == "none":
        return None
    from langchain_openai import AzureChatOpenAI, ChatOpenAI  # lazy: heavy import

    common: dict[str, Any] = {"timeout": s.timeout_s, "max_retries": 0}
    if s.temperature is not None:
        common["temperature"] = s.temperature
    if s.provider == "openai":
        if not s.model:
            raise ConfigError(
                "Ingen språkmodell angiven.",
                hint="Sätt RAPPORTASSISTENT_LLM_MODEL till modellens namn.",
            )
        # Local OpenAI-compatible servers need no key, but the client insists on one.
        return ChatOpenAI(
            base_url=s.base_url, model=s.model, api_key=s.api_key or "not-needed", **common
        )
    missing = [
        name
        for name, value in (
            ("AZURE_OPENAI_ENDPOINT", s.azure_endpoint),
            ("AZURE_OPENAI_DEPLOYMENT", s.azure_deployment),
            ("OPENAI_API_VERSION", s.api_version),
            ("AZURE_OPENAI_API_KEY", s.api_key),
        )
        if not value
    ]
    if missing:
        raise ConfigError(
            "Azure OpenAI är valt men inställningar saknas: " + ", ".join(missing) + ".",
            hint="Sätt de saknade miljövariablerna eller välj en annan språkmodell.",
        )
    extra = {"model": s.model} if s.model else {}
    return AzureChatOpenAI(
        azure_endpoint=s.azure_endpoint,
        azure_deployment=s.azure_deployment,
        api_version=s.api_version,
        api_key=s.api_key,
        **extra,
        **common,
    )


# ---------------------------------------------------------------------------- calling


def complete(model: BaseChatModel, prompt: PromptInput) -> str:
    """The model's whole reply to `prompt`; failures become LLMUnavailable."""
    try:
        text = model.invoke(prompt).text
    except Exception as exc:
        unavailable = _as_unavailable(exc)
        if unavailable is None:
            raise  # a bug, not an unavailable model: let it show
        raise unavailable from exc
    if not text.strip():
        raise LLMUnavailable("tomt svar", hint="Prova igen eller byt modell.")
    return text


def stream(model: BaseChatModel, prompt: PromptInput) -> Iterator[str]:
    """The reply in pieces as they arrive; failures (also mid-stream) become LLMUnavailable."""
    try:
        for chunk in model.stream(prompt):
            if chunk.text:
                yield chunk.text
    except Exception as exc:
        unavailable = _as_unavailable(exc)
        if unavailable is None:
            raise
        raise unavailable from exc


def _as_unavailable(exc: Exception) -> LLMUnavailable | None:
    """LLMUnavailable for failures of the model service; None for anything else (bugs)."""
    import httpx
    import openai
    from langchain_core.exceptions import ModelError

    timeout_hint = "Prova igen, eller höj RAPPORTASSISTENT_LLM_TIMEOUT."
    server_hint = "Kontrollera att språkmodellens server är igång och att adressen stämmer."
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException)):
        return LLMUnavailable("tidsgränsen överskreds", hint=timeout_hint)
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError)):
        return LLMUnavailable("ingen anslutning", hint=server_hint)
    if isinstance(exc, openai.APIStatusError):
        return _status_unavailable(exc.status_code, server_hint)
    if isinstance(exc, (openai.APIError, ModelError)):
        return LLMUnavailable("oväntat fel från tjänsten", hint=server_hint)
    return None


def _status_unavailable(status: int, server_hint: str) -> LLMUnavailable:
    if status in (401, 403):
        return LLMUnavailable(
            f"inloggningen nekades, HTTP {status}",
            hint="Kontrollera API-nyckeln (RAPPORTASSISTENT_LLM_API_KEY).",
        )
    if status == 404:
        return LLMUnavailable(
            "modellen eller adressen hittades inte, HTTP 404",
            hint="Kontrollera RAPPORTASSISTENT_LLM_MODEL och RAPPORTASSISTENT_LLM_BASE_URL.",
        )
    if status == 429:
        return LLMUnavailable("för många anrop, HTTP 429", hint="Vänta en stund och prova igen.")
    if status >= 500:
        return LLMUnavailable(f"serverfel, HTTP {status}", hint=server_hint)
    return LLMUnavailable(
        f"begäran avvisades, HTTP {status}",
        hint="Frågan eller passagerna kan vara för långa för modellen.",
    )
