"""The settings object (rapport_settings/): environment beats the TOML file beats the
defaults, every old environment variable still works, mistakes are clear Swedish errors, and
`rapportassistent config` shows where each value came from with secrets masked. Fast: no
network, no models."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from rapport_settings import (
    CONFIG_ENV,
    SettingsError,
    describe,
    get_settings,
    load_settings,
)
from rapport_settings.errors import ConfigError
from tests.conftest import ROOT


def toml(tmp_path: Path, text: str, name: str = "rapportassistent.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No settings from the developer's environment or a file in the working directory."""
    for name in list(os.environ):
        if name.startswith(("RAPPORTASSISTENT_", "OPENAI_", "AZURE_OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


# -- precedence ----------------------------------------------------------------------------
@pytest.mark.unit
def test_defaults_without_environment_or_file():
    s = load_settings({}, config_file=False)
    assert s.ingest.max_file_mb == 200 and s.ingest.file_timeout == 120
    assert s.personal_data.mode == "mask" and s.llm.provider == "none"
    assert s.web.login.free == 3 and s.web.port == 7860
    assert s.store.path == Path.home() / ".local/share/rapportassistent"
    assert s.source("ingest.max_file_mb") == "default" and s.config_file is None


@pytest.mark.unit
def test_an_environment_variable_overrides_the_default():
    s = load_settings({"RAPPORTASSISTENT_MAX_FILE_MB": "300"}, config_file=False)
    assert s.ingest.max_file_mb == 300
    assert s.source("ingest.max_file_mb") == "env:RAPPORTASSISTENT_MAX_FILE_MB"


@pytest.mark.unit
def test_the_toml_file_overrides_the_default(tmp_path):
    path = toml(tmp_path, '[ingest]\nmax_file_mb = 50\n[web.login]\nfree = 5\n[llm]\nmodel = "q"')
    s = load_settings({}, config_file=path)
    assert (s.ingest.max_file_mb, s.web.login.free, s.llm.model) == (50, 5, "q")
    assert s.source("web.login.free") == f"toml:{path}"
    assert s.source("ingest.file_timeout") == "default"


@pytest.mark.unit
def test_the_environment_beats_the_toml_file(tmp_path):
    path = toml(tmp_path, '[personal_data]\nmode = "keep"\n[ingest]\nfile_memory_mb = 1024\n')
    s = load_settings({"RAPPORTASSISTENT_PII": "mask"}, config_file=path)
    assert s.personal_data.mode == "mask"
    assert s.source("personal_data.mode") == "env:RAPPORTASSISTENT_PII"
    assert s.ingest.file_memory_mb == 1024  # the file still counts for what the env leaves


@pytest.mark.unit
def test_a_blank_variable_counts_as_unset(tmp_path):
    path = toml(tmp_path, "[ingest]\nmax_file_mb = 50\n")
    s = load_settings({"RAPPORTASSISTENT_MAX_FILE_MB": "  "}, config_file=path)
    assert s.ingest.max_file_mb == 50


@pytest.mark.unit
def test_the_file_is_found_in_the_working_directory_or_by_variable(clean_env, tmp_path):
    toml(tmp_path, "[web]\nport = 8001\n")
    assert get_settings().web.port == 8001
    other = toml(tmp_path, "[web]\nport = 8002\n", name="annan.toml")
    os.environ[CONFIG_ENV] = str(other)
    try:
        assert get_settings().web.port == 8002 and get_settings().config_file == other
        os.environ[CONFIG_ENV] = str(tmp_path / "saknas.toml")
        with pytest.raises(SettingsError, match="RAPPORTASSISTENT_CONFIG.*finns inte"):
            get_settings()
    finally:
        del os.environ[CONFIG_ENV]


@pytest.mark.unit
def test_get_settings_follows_the_environment_and_caches_otherwise(clean_env, monkeypatch):
    first = get_settings()
    assert get_settings() is first
    monkeypatch.setenv("RAPPORTASSISTENT_FILE_TIMEOUT", "5")
    assert get_settings().ingest.file_timeout == 5


@pytest.mark.unit
def test_a_changed_file_is_read_again(clean_env, tmp_path):
    path = toml(tmp_path, "[web]\nport = 8001\n")
    assert get_settings().web.port == 8001
    path.write_text("[web]\nport = 8003 # another length\n", encoding="utf-8")
    assert get_settings().web.port == 8003


# -- mistakes ------------------------------------------------------------------------------
@pytest.mark.unit
def test_an_unknown_key_in_the_file_is_a_clear_error(tmp_path):
    path = toml(tmp_path, "[ingest]\nmax_file_MB = 50\n")
    with pytest.raises(SettingsError) as caught:
        load_settings({}, config_file=path)
    message = str(caught.value)
    assert f"Okänd inställning 'ingest.max_file_MB' i {path}" in message
    assert "Menade du 'ingest.max_file_mb'?" in message
    assert "rapportassistent config" in message


@pytest.mark.unit
def test_an_unknown_section_in_the_file_is_a_clear_error(tmp_path):
    path = toml(tmp_path, '[lm]\nmodel = "q"\n')
    with pytest.raises(SettingsError, match="Okänd inställning 'lm' .*Menade du 'llm'"):
        load_settings({}, config_file=path)


@pytest.mark.unit
def test_a_broken_file_says_which_file(tmp_path):
    path = toml(tmp_path, "[ingest\n")
    with pytest.raises(SettingsError, match=f"Inställningsfilen {re.escape(str(path))}"):
        load_settings({}, config_file=path)


@pytest.mark.unit
def test_a_bad_value_names_the_variable_or_the_file_and_key(tmp_path):
    with pytest.raises(SettingsError) as caught:
        load_settings({"RAPPORTASSISTENT_LOGIN_FREE": "tre"}, config_file=False)
    assert str(caught.value).startswith("RAPPORTASSISTENT_LOGIN_FREE ska vara ett heltal")
    assert isinstance(caught.value, ConfigError) and isinstance(caught.value, ValueError)
    path = toml(tmp_path, '[ingest]\nfile_timeout = "länge"\n')
    with pytest.raises(SettingsError, match=f"ingest.file_timeout i {re.escape(str(path))} ska"):
        load_settings({}, config_file=path)
    with pytest.raises(SettingsError, match="större än 0"):
        load_settings({"RAPPORTASSISTENT_FILE_TIMEOUT": "0"}, config_file=False)


@pytest.mark.unit
def test_the_language_model_keeps_its_messages():
    with pytest.raises(ConfigError, match="Okänd språkmodell RAPPORTASSISTENT_LLM_PROVIDER='gpt'"):
        load_settings({"RAPPORTASSISTENT_LLM_PROVIDER": "gpt"}, config_file=False)
    with pytest.raises(ConfigError, match="Ogiltig tidsgräns RAPPORTASSISTENT_LLM_TIMEOUT"):
        load_settings({"RAPPORTASSISTENT_LLM_TIMEOUT": "snart"}, config_file=False)


# -- every old variable name ---------------------------------------------------------------
OLD_VARIABLES = [
    ("RAPPORTASSISTENT_STORE", "/srv/arkiv", "store.path", Path("/srv/arkiv")),
    ("RAPPORTASSISTENT_EMBEDDER", "minilm", "embedder.name", "minilm"),
    ("RAPPORTASSISTENT_RERANKER", "/modeller/ce", "retrieval.reranker", "/modeller/ce"),
    ("RAPPORTASSISTENT_PROMPTS_DIR", "/p", "answer.prompts_dir", Path("/p")),
    ("RAPPORTASSISTENT_PII", "KEEP", "personal_data.mode", "keep"),
    ("RAPPORTASSISTENT_MAX_FILE_MB", "12,5", "ingest.max_file_mb", 12.5),
    ("RAPPORTASSISTENT_FILE_TIMEOUT", "30", "ingest.file_timeout", 30.0),
    ("RAPPORTASSISTENT_FILE_MEMORY_MB", "512", "ingest.file_memory_mb", 512),
    ("RAPPORTASSISTENT_TEST_WRITE_DELAY", "0.05", "store.test_write_delay", 0.05),
    ("RAPPORTASSISTENT_LOGIN_FREE", "2", "web.login.free", 2),
    ("RAPPORTASSISTENT_LOGIN_LOCK_AFTER", "5", "web.login.lock_after", 5),
    ("RAPPORTASSISTENT_LOGIN_LOCK_SECONDS", "60", "web.login.lock_seconds", 60.0),
    ("RAPPORTASSISTENT_LOGIN_DELAY", "0.05", "web.login.delay", 0.05),
    ("RAPPORTASSISTENT_LOGIN_MAX_DELAY", "0.2", "web.login.max_delay", 0.2),
    ("RAPPORTASSISTENT_LLM_PROVIDER", "openai", "llm.provider", "openai"),
    ("RAPPORTASSISTENT_LLM_BASE_URL", "http://x/v1", "llm.base_url", "http://x/v1"),
    ("RAPPORTASSISTENT_LLM_MODEL", "qwen", "llm.model", "qwen"),
    ("RAPPORTASSISTENT_LLM_API_KEY", "k1", "llm.api_key", "k1"),
    ("OPENAI_API_KEY", "k2", "llm.api_key", "k2"),
    ("AZURE_OPENAI_API_KEY", "k3", "llm.azure_api_key", "k3"),
    ("AZURE_OPENAI_ENDPOINT", "https://x", "llm.azure_endpoint", "https://x"),
    ("AZURE_OPENAI_DEPLOYMENT", "gpt", "llm.azure_deployment", "gpt"),
    ("OPENAI_API_VERSION", "2024-06-01", "llm.api_version", "2024-06-01"),
    ("RAPPORTASSISTENT_LLM_TIMEOUT", "12,5", "llm.timeout_s", 12.5),
]


@pytest.mark.parametrize("name, raw, key, expected", OLD_VARIABLES)
@pytest.mark.unit
def test_every_old_environment_variable_still_works(name, raw, key, expected):
    s = load_settings({name: raw}, config_file=False)
    value = s
    for part in key.split("."):
        value = getattr(value, part)
    assert value == expected
    assert s.source(key) == f"env:{name}"


@pytest.mark.unit
def test_the_old_variables_are_all_listed_in_the_settings():
    from rapport_settings import ALL_ENV_NAMES

    assert {name for name, *_ in OLD_VARIABLES} <= set(ALL_ENV_NAMES)


@pytest.mark.unit
def test_xdg_folders_give_the_default_store_and_cache():
    env = {"XDG_DATA_HOME": "/data", "XDG_CACHE_HOME": "/cache"}
    s = load_settings(env, config_file=False)
    assert s.store.path == Path("/data/rapportassistent")
    assert s.store.cache_dir == Path("/cache/rapportassistent")


@pytest.mark.unit
def test_the_language_model_rules_are_kept():
    s = load_settings({"RAPPORTASSISTENT_LLM_BASE_URL": "http://x/v1"}, config_file=False)
    assert s.llm.provider == "openai"  # a base URL alone means an OpenAI-compatible server
    both = {"RAPPORTASSISTENT_LLM_API_KEY": "mine", "OPENAI_API_KEY": "theirs"}
    assert load_settings(both, config_file=False).llm.api_key == "mine"
    azure = {**both, "RAPPORTASSISTENT_LLM_PROVIDER": "azure", "AZURE_OPENAI_API_KEY": "az"}
    assert load_settings(azure, config_file=False).llm.api_key == "az"


@pytest.mark.unit
def test_the_modules_read_the_settings_when_they_run(clean_env, monkeypatch, tmp_path):
    """Set after import, the variables still count: nothing is read at import time."""
    from assistant.prompts import prompts_dir
    from assistant.web.auth import LoginLimiter
    from ingest.pipeline import masks_personal_data
    from ingest.readers import MB, max_file_bytes
    from vectorstore.store import default_store_dir

    monkeypatch.setenv("RAPPORTASSISTENT_PII", "keep")
    monkeypatch.setenv("RAPPORTASSISTENT_MAX_FILE_MB", "3")
    monkeypatch.setenv("RAPPORTASSISTENT_STORE", str(tmp_path / "arkiv"))
    monkeypatch.setenv("RAPPORTASSISTENT_PROMPTS_DIR", str(tmp_path / "p"))
    monkeypatch.setenv("RAPPORTASSISTENT_LOGIN_LOCK_AFTER", "9")
    assert masks_personal_data() is False
    assert max_file_bytes() == 3 * MB
    assert default_store_dir() == tmp_path / "arkiv"
    assert prompts_dir() == tmp_path / "p"
    assert LoginLimiter.from_settings().lock_after == 9


@pytest.mark.unit
def test_the_store_takes_the_write_delay_from_its_settings(tmp_path):
    from vectorstore.store import ReportStore

    s = load_settings({"RAPPORTASSISTENT_TEST_WRITE_DELAY": "0.01"}, config_file=False)
    assert ReportStore.open(tmp_path / "a", embedder="hash", settings=s).write_delay == 0.01
    plain = load_settings({}, config_file=False)
    assert ReportStore.open(tmp_path / "b", embedder="hash", settings=plain).write_delay == 0


@pytest.mark.unit
def test_only_the_settings_module_reads_the_environment():
    allowed = {  # copies of the environment for a subprocess, Gradio's upload folder
        "ingest/layout.py",
        "ingest/ocr.py",
        "assistant/web/server.py",
        "rapport_settings/__init__.py",
    }
    readers = set()
    for folder in ("assistant", "ingest", "rapport_settings", "vectorstore"):
        for path in (ROOT / folder).rglob("*.py"):
            if re.search(r"os\.environ|getenv", path.read_text(encoding="utf-8")):
                readers.add(path.relative_to(ROOT).as_posix())
    assert readers <= allowed


def test_importing_the_entry_points_sets_no_environment_variables():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ANONYMIZED_TELEMETRY", "GRADIO_ANALYTICS_ENABLED")
    }
    code = (
        "import os, assistant.cli, assistant.web.server; "
        "print(sorted(k for k in ('ANONYMIZED_TELEMETRY', 'GRADIO_ANALYTICS_ENABLED') "
        "if k in os.environ))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.strip() == "[]", out.stderr


# -- tuned thresholds ------------------------------------------------------------------------
TUNED = {  # key -> (default, a value set in the file); each one's effect: see its module's tests
    "retrieval.near_synonym_group": (6, 7),
    "answer.evidence.min_dense": (0.80, 0.75),
    "answer.evidence.min_lexical": (2.0, 1.5),
    "answer.silence.passages": (3, 4),
    "answer.silence.ablation_drop": (-0.005, -0.02),
    "answer.common_text.min_municipalities": (3, 4),
    "answer.common_text.share": (0.5, 0.75),
    "survey.change_limit": (0.10, 0.05),
}


def _tuned_file(tmp_path: Path) -> Path:
    sections: dict[str, list[str]] = {}
    for key, (_, value) in TUNED.items():
        section, _, name = key.rpartition(".")
        sections.setdefault(section, []).append(f"{name} = {value}")
    return toml(tmp_path, "".join(f"[{k}]\n" + "\n".join(v) + "\n" for k, v in sections.items()))


def _at(settings, key: str):
    for part in key.split("."):
        settings = getattr(settings, part)
    return settings


@pytest.mark.unit
def test_the_tuned_thresholds_keep_their_old_values_and_are_set_in_the_file(tmp_path):
    plain = load_settings({}, config_file=False)
    assert {key: _at(plain, key) for key in TUNED} == {k: d for k, (d, _) in TUNED.items()}
    path = _tuned_file(tmp_path)
    s = load_settings({}, config_file=path)
    assert {key: _at(s, key) for key in TUNED} == {k: v for k, (_, v) in TUNED.items()}
    assert all(s.source(key) == f"toml:{path}" for key in TUNED)


@pytest.mark.unit
def test_a_service_hands_the_tuned_thresholds_from_the_file_to_its_parts(
    tmp_path, toy_store, monkeypatch
):
    from assistant.qa import answer
    from assistant.qa.retrieve import SearchRequest
    from assistant.service import Service
    from assistant.survey import surveyor

    settings = load_settings({}, config_file=_tuned_file(tmp_path))
    service = Service(toy_store, settings=settings)
    assert service.retriever.thesaurus.close_group == 7
    assert service.answerer.finder.settings.evidence == settings.answer.evidence
    assert service.surveyor.finder.settings.evidence == settings.answer.evidence
    seen = {}
    monkeypatch.setattr(
        answer, "silence_reason", lambda *a, **k: seen.update(silence=k["settings"])
    )
    monkeypatch.setattr(answer, "store_common_keys", lambda *a: seen.update(common=a[3]) or set())
    monkeypatch.setattr(
        surveyor, "store_common_keys", lambda *a: seen.update(survey_common=a[3]) or set()
    )
    service.answerer.silence(SearchRequest("Vilka kommuner har en sporthall?"), [], [])
    service.answerer.common_text()
    service.surveyor._common_text()
    assert seen == {
        "silence": settings.answer.silence,
        "common": settings.answer.common_text,
        "survey_common": settings.answer.common_text,
    }


@pytest.mark.unit
def test_config_lists_the_tuned_thresholds(clean_env, capsys):
    assert main(["config", "--json"]) == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)["settings"]}
    assert {key: (rows[key]["value"], rows[key]["source"]) for key in TUNED} == {
        key: (default, "default") for key, (default, _) in TUNED.items()
    }
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "[answer.evidence]" in out and "[answer.common_text]" in out
    assert re.search(r"ablation_drop += -0\.005 +\(standard\)", out)
    assert re.search(r"min_municipalities = 3 +\(standard\)", out)


# -- rapportassistent config -----------------------------------------------------------------
@pytest.mark.unit
def test_config_shows_where_each_value_came_from_and_masks_secrets(
    clean_env, tmp_path, monkeypatch, capsys
):
    path = toml(tmp_path, '[llm]\nmodel = "qwen"\napi_key = "fil-hemlis"\n[web.login]\nfree = 5\n')
    monkeypatch.setenv("RAPPORTASSISTENT_PII", "keep")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-hemlig-nyckel")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert f"Inställningsfil: {path}" in out
    assert re.search(r"mode += keep +\(miljövariabel RAPPORTASSISTENT_PII\)", out)
    assert re.search(rf"model += qwen +\(fil {re.escape(str(path))}\)", out)
    assert re.search(r"free += 5 +\(fil ", out)
    assert re.search(r"max_file_mb += 200.0 +\(standard\)", out)
    assert re.search(r"api_key += \*{5} +\(miljövariabel OPENAI_API_KEY\)", out)
    assert "sk-hemlig-nyckel" not in out and "fil-hemlis" not in out
    assert "[web.login]" in out


@pytest.mark.unit
def test_config_json(clean_env, tmp_path, monkeypatch, capsys):
    toml(tmp_path, '[llm]\napi_key = "fil-hemlis"\n')
    monkeypatch.setenv("RAPPORTASSISTENT_MAX_FILE_MB", "300")
    monkeypatch.setenv("RAPPORTASSISTENT_MAX_FILEMB", "3")  # misspelt: reported
    assert main(["config", "--json"]) == 0
    raw = capsys.readouterr().out
    data = json.loads(raw)
    rows = {r["key"]: r for r in data["settings"]}
    assert rows["ingest.max_file_mb"]["value"] == 300
    assert (rows["ingest.max_file_mb"]["source"], rows["ingest.max_file_mb"]["origin"]) == (
        "env",
        "RAPPORTASSISTENT_MAX_FILE_MB",
    )
    assert rows["llm.api_key"]["value"] == "*****" and rows["llm.api_key"]["source"] == "toml"
    assert rows["ingest.file_timeout"]["source"] == "default"
    assert rows["web.login.free"]["env"] == ["RAPPORTASSISTENT_LOGIN_FREE"]
    assert all(r["description"] for r in data["settings"])
    assert data["unknown_variables"] == ["RAPPORTASSISTENT_MAX_FILEMB"]
    assert "fil-hemlis" not in raw


@pytest.mark.unit
def test_config_reports_a_misspelt_key_as_one_line(clean_env, tmp_path, capsys):
    toml(tmp_path, "[ingest]\nmax_file = 5\n")
    assert main(["config"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: Okänd inställning 'ingest.max_file'") and "Traceback" not in err


@pytest.mark.unit
def test_every_field_has_a_description():
    assert all(row["description"] for row in describe(load_settings({}, config_file=False)))
