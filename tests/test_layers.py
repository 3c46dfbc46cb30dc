"""The layer rule, read from the imports (at any depth, function-level ones too):
rapport_settings -> ingest -> vectorstore -> assistant, and inside assistant: qa -> survey ->
service -> web -> cli, no arrow back up. rapport_settings, the single settings object, is the
bottom: every package may read it, and it imports nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]

# the project's top-level packages and script folders
OURS = sorted(
    p.name
    for p in ROOT.iterdir()
    if p.is_dir() and not p.name.startswith(".") and any(p.rglob("*.py"))
)
# package -> the modules it may not import (a prefix matches its submodules too)
FORBIDDEN = {
    "rapport_settings": [p for p in OURS if p != "rapport_settings"],
    "ingest": ["vectorstore", "assistant"],
    "vectorstore": ["assistant"],
    "assistant.qa": ["assistant.survey", "assistant.service", "assistant.web", "assistant.cli"],
    "assistant.survey": ["assistant.web", "assistant.cli"],
    "assistant.web": ["assistant.cli"],
}


def _imports(path: Path) -> set[str]:
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.split(".")
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level]) if node.level else ""
            target = ".".join(x for x in (base, node.module or "") if x)
            names |= {target} | {f"{target}.{a.name}" for a in node.names}
    return names


def _breaks(name: str, forbidden: list[str]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_a_layer_above_it(package):
    offenders = {}
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        bad = sorted(n for n in _imports(path) if _breaks(n, FORBIDDEN[package]))
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}, f"{package} imports a layer above it: {offenders}"


def test_the_settings_are_the_bottom_layer_that_every_package_may_read():
    assert {"assistant", "ingest", "vectorstore"} <= set(FORBIDDEN["rapport_settings"])
    assert not any(_breaks("rapport_settings", forbidden) for forbidden in FORBIDDEN.values())


def test_the_retriever_reads_the_question_that_question_py_parsed():
    """assistant.qa.question parses the raw question (municipalities, years, kind); the
    retriever imports it, so the arrow is retrieve -> question and never back."""
    question = _imports(ROOT / "assistant" / "qa" / "question.py")
    retrieve = _imports(ROOT / "assistant" / "qa" / "retrieve.py")
    assert not any(_breaks(n, ["assistant.qa.retrieve"]) for n in question)
    assert any(_breaks(n, ["assistant.qa.question"]) for n in retrieve)
