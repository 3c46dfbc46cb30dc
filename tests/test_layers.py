"""The layer rule, read from the imports (at any depth, function-level ones too): ingest ->
vectorstore -> assistant, and inside assistant: qa -> survey -> service -> web -> cli, no
arrow back up. The one exception is assistant.settings, the single settings object that
ingest and the store read too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]

# package -> the modules it may not import (a prefix matches its submodules too)
FORBIDDEN = {
    "ingest": ["vectorstore", "assistant"],
    "vectorstore": ["assistant"],
    "assistant.qa": ["assistant.survey", "assistant.service", "assistant.web", "assistant.cli"],
    "assistant.survey": ["assistant.web", "assistant.cli"],
    "assistant.web": ["assistant.cli"],
}
ALLOWED = {"assistant.settings"}  # read by every layer (see the module docstring)


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
    if any(name == a or name.startswith(a + ".") for a in ALLOWED):
        return False
    return any(name == f or name.startswith(f + ".") for f in forbidden)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_a_layer_above_it(package):
    offenders = {}
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        bad = sorted(n for n in _imports(path) if _breaks(n, FORBIDDEN[package]))
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}, f"{package} imports a layer above it: {offenders}"
