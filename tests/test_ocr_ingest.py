"""Scanned pages go through OCR at ingestion: the page becomes searchable, its chunks and
citations are marked as OCR, and the summary says which pages were recognised. Without
Tesseract the pages are reported with what to install, not silently dropped."""

from __future__ import annotations

import pytest

from ingest.pipeline import ingest_paths
from tests.test_ocr import SCAN_LINES, make_pdf, needs_tesseract, scan_image

TEXT_PAGE = "Hofors kommun Återrapportering 2023\nInsatser för barn och unga under året."


def _mixed_report(tmp_path):
    return make_pdf(
        tmp_path / "Hofors_aterrapportering_2023.pdf", [TEXT_PAGE, scan_image(SCAN_LINES)]
    )


@needs_tesseract
def test_scanned_page_is_recognised_marked_and_searchable(tmp_path, toy_store):
    from assistant.qa.answer import Answerer
    from assistant.qa.retrieve import Retriever, SearchRequest
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
    text_chunks = [
        c for c in toy_store.get_chunks(toy_store.all_chunk_metadata()).values() if c.page == 1
    ]
    assert text_chunks and not any(c.ocr for c in text_chunks)

    answer = Answerer(Retriever(toy_store, load_municipalities(), reranker=None)).answer(
        SearchRequest("Hur mycket av bidraget användes i Hofors 2023?")
    )
    cited = [c for c in answer.citations if c.page == 2]
    assert cited and all(c.ocr and c.to_json()["ocr"] is True for c in cited)


@pytest.mark.unit
def test_without_tesseract_the_pages_are_reported_with_what_to_install(
    tmp_path, toy_store, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = ingest_paths([_mixed_report(tmp_path)], toy_store)
    assert [r["pages"] for r in result.ingested] == [2]
    warning = " ".join(w["warning"] for w in result.warnings)
    assert "s. 2" in warning and "tesseract-ocr" in warning


def _pdf(path, pages):
    """Pages of (text-layer lines, scan image or None)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4, invariant=1)
    for lines, image in pages:
        if image is not None:
            png = io.BytesIO()
            image.save(png, format="PNG")
            c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, *A4)
        for n, line in enumerate(lines):
            c.drawString(60, 800 - 16 * n, line)
        c.showPage()
    c.save()
    return path


@needs_tesseract
def test_a_short_text_page_that_ocr_confirms_is_not_reported_as_scanned(tmp_path, toy_store):
    path = _pdf(
        tmp_path / "Hofors_aterrapportering_2023.pdf",
        [(TEXT_PAGE.split("\n"), None), (["Bilaga 1: Karta"], None)],
    )
    result = ingest_paths([path], toy_store)
    record = toy_store.report_records()[0]
    assert (record.scanned_pages, record.ocr_pages) == ("", "")
    assert toy_store.page_text(record.file_hash, 2) == "Bilaga 1: Karta"
    assert not any("skannade" in w["warning"] for w in result.warnings)


@needs_tesseract
def test_scanned_pages_with_only_a_repeated_stamp_are_recognised(tmp_path, toy_store):
    stamp = ["Inkom till Hofors kommun 2024-03-01"]  # a text layer of 35 characters on each scan
    path = _pdf(
        tmp_path / "Hofors_aterrapportering_2023.pdf",
        [(stamp, scan_image(SCAN_LINES)), (stamp, scan_image(SCAN_LINES[5:]))],
    )
    result = ingest_paths([path], toy_store)
    assert [r["pages"] for r in result.ingested] == [2], result.rejected
    record = toy_store.report_records()[0]
    assert record.ocr_pages == "1,2"
    assert "Fritidsbanken" in toy_store.page_text(record.file_hash, 2)


@pytest.mark.unit
def test_without_tesseract_a_short_text_layer_alone_is_still_rejected(
    tmp_path, toy_store, monkeypatch
):
    # Without OCR nothing confirms that the short text is all the page has (it may be a
    # stamp on a scan): as before, such a file is rejected with what to install.
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    path = _pdf(tmp_path / "Hofors_2023.pdf", [(["Hello, World!"], None)])
    result = ingest_paths([path], toy_store)
    assert not result.ingested
    assert "ingen sida har text" in result.rejected[0]["reason"]
    assert "tesseract-ocr" in result.rejected[0]["reason"]
