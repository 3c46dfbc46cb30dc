"""Scanned pages go through OCR at ingestion: the page becomes searchable, its chunks and
citations are marked as OCR, and the summary says which pages were recognised. Without
Tesseract the pages are reported with what to install, not silently dropped."""

from __future__ import annotations

from ingest.pipeline import ingest_paths
from tests.test_ocr import SCAN_LINES, make_pdf, needs_tesseract, scan_image

TEXT_PAGE = "Hofors kommun Återrapportering 2023\nInsatser för barn och unga under året."


def _mixed_report(tmp_path):
    return make_pdf(tmp_path / "Hofors_aterrapportering_2023.pdf", [TEXT_PAGE, scan_image(SCAN_LINES)])


@needs_tesseract
def test_scanned_page_is_recognised_marked_and_searchable(tmp_path, toy_store):
    from assistant.answer import Answerer
    from assistant.retrieve import Retriever, SearchRequest
    from ingest.metadata import load_municipalities

    result = ingest_paths([_mixed_report(tmp_path)], toy_store)
    assert [r["pages"] for r in result.ingested] == [2]
    assert any("OCR" in w["warning"] and "s. 2" in w["warning"] for w in result.warnings)
    record = toy_store.report_records()[0]
    assert (record.ocr_pages, record.scanned_pages) == ("2", "")
    page2 = toy_store.page_text(record.file_hash, 2)
    assert "Fritidsbanken" in page2
    hits = toy_store.lexical().search("Fritidsbanken utrustning", k=3)
    chunks = toy_store.get_chunks([i for i, _ in hits])
    assert chunks and all(c.page == 2 and c.ocr for c in chunks.values())
    text_chunks = [c for c in toy_store.get_chunks(toy_store.all_chunk_metadata()).values() if c.page == 1]
    assert text_chunks and not any(c.ocr for c in text_chunks)

    answer = Answerer(Retriever(toy_store, load_municipalities(), reranker=None)).answer(
        SearchRequest("Hur mycket av bidraget användes i Hofors 2023?")
    )
    cited = [c for c in answer.citations if c.page == 2]
    assert cited and all(c.ocr and c.to_json()["ocr"] is True for c in cited)


def test_without_tesseract_the_pages_are_reported_with_what_to_install(tmp_path, toy_store, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = ingest_paths([_mixed_report(tmp_path)], toy_store)
    assert [r["pages"] for r in result.ingested] == [2]
    warning = " ".join(w["warning"] for w in result.warnings)
    assert "s. 2" in warning and "tesseract-ocr" in warning
