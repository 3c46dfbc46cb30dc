"""A caseworker corrects a report's municipality and year, or removes a report: the store
(chunks, pages, lexical index, record) follows, and a writer stopped at any write point
leaves a store that the next correction or ingest finishes (roll forward)."""

from __future__ import annotations

import pytest

import vectorstore.store as store_module
from tests.pdfmaker import make_pdf, report_pages

pytestmark = pytest.mark.unit


@pytest.fixture
def two_reports(tmp_path, toy_store):
    from ingest.pipeline import ingest_paths

    make_pdf(tmp_path / "Hofors_2023.pdf", report_pages("Hofors", 2023, "fritidsbanken"))
    make_pdf(tmp_path / "Bjuv_2023.pdf", report_pages("Bjuv", 2023, "läxhjälp"))
    ingest_paths([tmp_path / "Hofors_2023.pdf", tmp_path / "Bjuv_2023.pdf"], toy_store)
    return toy_store


def _hofors(store):
    return next(r for r in store.report_records() if r.source == "Hofors_2023.pdf")


def _labels(store, file_hash):
    got = store.chunks.get(where={"file_hash": file_hash}, include=["metadatas"])
    return {(m["municipality"], m["year"]) for m in got["metadatas"]}


def test_correct_relabels_record_chunks_and_lexical_index(two_reports):
    store = two_reports
    record = _hofors(store)
    new = store.correct_report(record.file_hash, "Eda", 2024)
    assert (new.municipality, new.year, new.chunks, new.pages) == (
        "Eda",
        2024,
        record.chunks,
        record.pages,
    )
    assert _labels(store, record.file_hash) == {("Eda", 2024)}
    assert store.check().ok, store.check().problems
    lexical = store.lexical()
    assert record.file_hash in lexical.groups()
    hits = store.dense_search(
        store.embedder.embed_query("Eda 2024 fritidsbanken"), 3, where={"municipality": "Eda"}
    )
    assert hits and all(h.chunk.file_hash == record.file_hash for h in hits)
    assert store.corrections.count() == 0


def test_remove_takes_chunks_pages_and_index_entries(two_reports):
    store = two_reports
    record = _hofors(store)
    store.remove_report(record.file_hash)
    assert [r.source for r in store.report_records()] == ["Bjuv_2023.pdf"]
    assert store.chunks.get(where={"file_hash": record.file_hash})["ids"] == []
    assert store.pages.get(where={"file_hash": record.file_hash})["ids"] == []
    assert record.file_hash not in store.lexical().groups()
    assert store.check().ok


class Stop(Exception):
    pass


def _stop_at(monkeypatch, n: int) -> None:
    calls = {"n": 0}

    def point():
        calls["n"] += 1
        if calls["n"] == n:
            raise Stop

    monkeypatch.setattr(store_module, "_write_point", point)


@pytest.mark.parametrize("stop_at", [1, 2, 3, 4])
def test_a_correction_stopped_at_any_write_is_finished_later(two_reports, monkeypatch, stop_at):
    store = two_reports
    record = _hofors(store)
    _stop_at(monkeypatch, stop_at)
    with pytest.raises(Stop):
        store.correct_report(record.file_hash, "Eda", 2024)
    monkeypatch.setattr(store_module, "_write_point", lambda: None)
    assert store.check().ok  # consistent meanwhile (it may note the unfinished correction)
    assert len(store.report_records()) == 2
    store.collect_garbage()  # what every ingest runs first
    # Stopped before the intent was written: nothing happened. After it: finished.
    expected = ("Hofors", 2023) if stop_at == 1 else ("Eda", 2024)
    assert (_hofors(store).municipality, _hofors(store).year) == expected
    assert _labels(store, record.file_hash) == {expected}
    assert store.corrections.count() == 0 and store.check().ok


@pytest.mark.parametrize("stop_at", [1, 2, 3])
def test_a_removal_stopped_at_any_write_is_finished_later(two_reports, monkeypatch, stop_at):
    store = two_reports
    record = _hofors(store)
    _stop_at(monkeypatch, stop_at)
    with pytest.raises(Stop):
        store.remove_report(record.file_hash)
    monkeypatch.setattr(store_module, "_write_point", lambda: None)
    assert store.check().ok
    store.collect_garbage()
    if stop_at == 1:  # stopped before the record went: nothing happened
        assert len(store.report_records()) == 2
        return
    assert [r.source for r in store.report_records()] == ["Bjuv_2023.pdf"]
    assert store.chunks.get(where={"file_hash": record.file_hash})["ids"] == []
    assert store.pages.get(where={"file_hash": record.file_hash})["ids"] == []


def test_service_refuses_unknown_municipality_and_bad_year(two_reports):
    from assistant.service import Service

    service = Service(two_reports, llm=None)
    h = _hofors(two_reports).file_hash
    with pytest.raises(ValueError, match="ingen svensk kommun"):
        service.correct_report(h, "Atlantis", 2024)
    with pytest.raises(ValueError, match="rimligt rapportår"):
        service.correct_report(h, "Eda", 1899)
    question = "Arbetet har skett i samverkan med föreningar"
    before = service.ask(question, ["Hofors"])
    assert before.citations
    old, new = service.correct_report(h, "eda kommun", "2024")
    assert (old.municipality, new.municipality, new.year) == ("Hofors", "Eda", 2024)
    answer = service.ask(question, ["Eda"])
    assert answer.citations and {(c.municipality, c.year) for c in answer.citations} == {
        ("Eda", 2024)
    }
    assert not service.ask(question, ["Hofors"]).citations
