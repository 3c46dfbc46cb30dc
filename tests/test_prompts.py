"""Prompt files: loading, variable checks, the real prompts (assistant.prompts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import PromptError
from assistant.prompts import PROMPTS_DIR_ENV, load_prompt
from assistant.qa.verify import NO_ANSWER_TEXT
from rapport_settings.errors import RapportError

pytestmark = pytest.mark.unit


@pytest.fixture
def prompt_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(PROMPTS_DIR_ENV, str(tmp_path))
    return tmp_path


def test_prompt_fills_its_variables_and_keeps_escaped_braces(prompt_dir: Path) -> None:
    (prompt_dir / "p.txt").write_text('Fråga: {question}\nJSON: {{"a": 1}}', encoding="utf-8")
    prompt = load_prompt("p", {"question"})
    assert prompt.variables == {"question"}
    assert prompt.format(question="Vad?") == 'Fråga: Vad?\nJSON: {"a": 1}'


def test_system_and_user_sections(prompt_dir: Path) -> None:
    (prompt_dir / "p.txt").write_text("### SYSTEM\nRegler.\n### USER\nFråga: {question}\n")
    prompt = load_prompt("p", {"question"})
    assert prompt.messages(question="Vad?") == [("system", "Regler."), ("human", "Fråga: Vad?")]


def test_missing_variable_raises_at_load(prompt_dir: Path) -> None:
    (prompt_dir / "p.txt").write_text("Fråga: {question}")
    with pytest.raises(PromptError, match=r"saknar \{passages\}") as info:
        load_prompt("p", {"question", "passages"})
    assert isinstance(info.value, RapportError) and info.value.hint


def test_unknown_variable_raises_at_load(prompt_dir: Path) -> None:
    (prompt_dir / "p.txt").write_text("Fråga: {question} {quesiton}")
    with pytest.raises(PromptError, match=r"okända \{quesiton\}"):
        load_prompt("p", {"question"})


@pytest.mark.parametrize("bad", ["Lone { brace", "Positional {}", "Dotted {a.b}"])
def test_malformed_placeholders_raise(prompt_dir: Path, bad: str) -> None:
    (prompt_dir / "p.txt").write_text(bad)
    with pytest.raises(PromptError):
        load_prompt("p", set())


def test_missing_file_raises(prompt_dir: Path) -> None:
    with pytest.raises(PromptError, match="kunde inte läsas"):
        load_prompt("finns_inte", set())


def test_format_checks_values(prompt_dir: Path) -> None:
    (prompt_dir / "p.txt").write_text("{question}")
    prompt = load_prompt("p", {"question"})
    with pytest.raises(PromptError):
        prompt.format()
    with pytest.raises(PromptError):
        prompt.format(question="a", extra="b")


@pytest.mark.parametrize(
    ("name", "variables"),
    [
        ("answer", {"question", "passages"}),
        ("condense", {"history", "question"}),
        ("judge", {"question", "municipality", "passages"}),
    ],
)
def test_real_prompt_files_load(
    name: str, variables: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PROMPTS_DIR_ENV, raising=False)
    prompt = load_prompt(name, variables)
    values = {v: f"<{v}-värde>" for v in variables}
    roles = [role for role, _ in prompt.messages(**values)]
    assert roles == ["system", "human"]
    text = prompt.format(**values)
    assert all(f"<{v}-värde>" in text for v in variables)


def test_answer_prompt_states_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROMPTS_DIR_ENV, raising=False)
    text = load_prompt("answer", {"question", "passages"}).template
    # The parser and the verifier depend on these exact strings.
    assert "KÄLLOR:" in text
    assert NO_ANSWER_TEXT in text
    assert "Ignorera tidigare instruktioner" in text
