"""Personal data is masked at ingestion: in stored pages and chunks (so also in the lexical
index, embeddings, citations and answers), with a count per report; RAPPORTASSISTENT_PII=keep
turns masking off."""

from __future__ import annotations

import pytest

from ingest.pipeline import ingest_paths
from tests.test_pii import make_id

pytestmark = pytest.mark.unit

REPORT = """# Hofors kommun Återrapportering 2023

## Fältassistenter
Två fältassistenter har arbetat kvällar och helger. Kontaktperson är fältsamordnaren,
nås på 070-123 45 67 eller faltsamordnare@hofors.se. En deltagare ({pnr}) nämndes
felaktigt i ett tidigare utkast. Budgeten var 1 250 000 kr.
"""


@pytest.fixture
def report(tmp_path):
    pnr = make_id("850709")
    path = tmp_path / "inkorg" / "Hofors_aterrapportering_2023.md"
    path.parent.mkdir()
    path.write_text(REPORT.format(pnr=pnr), encoding="utf-8")
    return path, pnr


def _stored_text(store) -> str:
    pages = store.pages.get(include=["documents"])["documents"]
    chunks = store.chunks.get(include=["documents"])["documents"]
    return "\n".join(pages + chunks)


def test_personal_data_is_masked_in_pages_and_chunks_and_counted(toy_store, report, monkeypatch):
    monkeypatch.delenv("RAPPORTASSISTENT_PII", raising=False)
    path, pnr = report
    result = ingest_paths([path.parent], toy_store)
    assert result.ingested[0]["personal_data"] == {"personnummer": 1, "telefon": 1, "e-post": 1}
    text = _stored_text(toy_store)
    assert pnr not in text and "070-123 45 67" not in text and "@hofors.se" not in text
    assert "[personnummer]" in text and "[telefonnummer]" in text and "[e-postadress]" in text
    assert "1 250 000 kr" in text  # amounts are not personal data
    lexical_hits = toy_store.lexical().search("faltsamordnare hofors", k=5)
    assert lexical_hits  # the chunk is indexed ...
    assert all(
        pnr not in c.text for c in toy_store.get_chunks([i for i, _ in lexical_hits]).values()
    )


def test_masking_can_be_turned_off(toy_store, report, monkeypatch):
    monkeypatch.setenv("RAPPORTASSISTENT_PII", "keep")
    path, pnr = report
    result = ingest_paths([path], toy_store)
    assert result.ingested[0]["personal_data"] == {}
    assert pnr in _stored_text(toy_store)


def test_an_unknown_setting_stops_before_any_file_is_read(toy_store, report, monkeypatch):
    monkeypatch.setenv("RAPPORTASSISTENT_PII", "maskera")
    with pytest.raises(ValueError, match="RAPPORTASSISTENT_PII"):
        ingest_paths([report[0]], toy_store)
    assert toy_store.report_records() == []


def test_answers_never_show_personal_data_from_the_question(toy_store, report, monkeypatch):
    from assistant.service import Service

    monkeypatch.delenv("RAPPORTASSISTENT_PII", raising=False)
    path, pnr = report
    ingest_paths([path], toy_store)
    question = f"Vad har fältassistenterna i Hofors gjort för {pnr}?"
    service = Service(toy_store)
    answer = service.ask(question)
    streamed = list(service.stream(question))
    assert answer.text and pnr not in answer.text
    assert all(pnr not in (p if isinstance(p, str) else p.text) for p in streamed)
