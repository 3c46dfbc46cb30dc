"""The archive status (assistant/status.py) and the rule that keeps it out of the CLI: the web
app imports the service, the CLI imports the web app, so nothing in the package may import
the CLI (that was a cycle: web/handlers.py took `status_json` from assistant/cli.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.status import archive_status
from ingest.metadata import Municipality
from vectorstore.store import ReportRecord

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"


def _cli_imports(source: str, module: str) -> list[int]:
    """Line numbers in `source` (of the dotted `module`) that import assistant.cli, in any
    spelling and at any depth (a function-level import closes the cycle too, only later)."""
    package = module.split(".")
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level]) if node.level else ""
            target = ".".join(x for x in (base, node.module or "") if x)
            names = [target] + [f"{target}.{a.name}" for a in node.names]
        else:
            continue
        if any(n == "assistant.cli" or n.startswith("assistant.cli.") for n in names):
            lines.append(node.lineno)
    return lines


def test_no_module_of_the_package_imports_the_cli():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if module != "assistant.cli":
            if lines := _cli_imports(path.read_text(encoding="utf-8"), module):
                offenders[module] = lines
    assert offenders == {}, f"only the entry point may import assistant.cli: {offenders}"


@pytest.mark.parametrize(
    "source",
    [
        "import assistant.cli",
        "from assistant.cli import main",
        "from assistant import cli",
        "from .. import cli",
        "from ..cli import main",
        "def status():\n    from assistant.cli import status_json\n",
    ],
)
def test_the_import_check_catches_every_spelling_of_importing_the_cli(source):
    assert _cli_imports(source, "assistant.web.handlers")


def test_the_import_check_lets_other_imports_pass():
    source = "from assistant import service\nfrom . import render\nimport assistant.client\n"
    assert _cli_imports(source, "assistant.web.handlers") == []


class _Store:
    """What archive_status reads from a ReportStore."""

    def __init__(self, records: list[ReportRecord]) -> None:
        self.records = records
        self.embedder = type("E", (), {"name": "toy/hash-256"})()

    def report_records(self) -> list[ReportRecord]:
        return self.records

    def count(self) -> int:
        return sum(r.chunks for r in self.records)


def _record(municipality: str, year: int, source: str, **kw) -> ReportRecord:
    fields = dict(pages=3, chunks=5, scanned_pages="", ingested_at=0.0) | kw
    return ReportRecord(source, f"/in/{source}", source, municipality, year, **fields)


def test_status_sorts_reports_and_names_municipalities_missing_and_outside_the_grant():
    store = _Store(
        [
            _record("Hofors", 2024, "b.pdf", scanned_pages="2,3", ocr_pages="2"),
            _record("Eda", 2023, "a.pdf"),
            _record("Hofors", 2023, "c.pdf"),
            _record("Kiruna", 2024, "d.pdf"),
        ]
    )
    grant = [Municipality("Hofors"), Municipality("Eda"), Municipality("Filipstad")]
    status = archive_status(store, grant)
    assert [(r["municipality"], r["year"]) for r in status["reports"]] == [
        ("Eda", 2023),
        ("Hofors", 2023),
        ("Hofors", 2024),
        ("Kiruna", 2024),
    ]
    assert status["reports"][2]["scanned_pages"] == [2, 3]
    assert status["reports"][2]["ocr_pages"] == [2]
    assert status["chunks"] == 20 and status["embedder"] == "toy/hash-256"
    assert status["municipalities_with_reports"] == ["Eda", "Hofors", "Kiruna"]
    assert status["missing_municipalities"] == ["Filipstad"]
    assert status["outside_grant"] == ["Kiruna"]


def test_status_without_a_grant_reads_config_kommuner_txt():
    status = archive_status(_Store([]))
    assert status["reports"] == [] and status["outside_grant"] == []
    assert len(status["missing_municipalities"]) == 30  # the grant's list, none reported
