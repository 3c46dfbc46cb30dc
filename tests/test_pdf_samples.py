"""The 30 real-world PDFs from many producers: each is ingested or rejected with a reason,
in one batch run that none of them stops."""

import json
from pathlib import Path

import pytest

from ingest.errors import UnreadableFile
from ingest.pipeline import expand_paths, ingest_paths, load_document
from tests.conftest import SHARED_PDFS
from tests.test_ocr import needs_tesseract

pytestmark = pytest.mark.skipif(not SHARED_PDFS.exists(), reason="../shared/pdf-samples missing")


def test_every_real_world_pdf_is_ingested_or_rejected_with_a_reason(toy_store):
    pdfs = [p for p in expand_paths([SHARED_PDFS]) if p.suffix == ".pdf"]
    assert len(pdfs) == 30
    report = ingest_paths(pdfs, toy_store)
    handled = [
        r["path"] for group in (report.ingested, report.rejected, report.skipped) for r in group
    ]
    assert {p.resolve() for p in pdfs} == {Path(p).resolve() for p in handled}
    assert all(len(r["reason"]) > 20 for r in report.rejected)
    # None of them is a municipal report: those that were read are held back until the
    # caseworker names the municipality (ingest FILE --municipality NAME --year YEAR).
    unnamed = [r for r in report.rejected if "--municipality" in r["reason"]]
    assert report.ingested == [] and len(unnamed) >= 15
    by_name = {r["path"].rsplit("/", 1)[1]: r["reason"] for r in report.rejected}
    # The one with a real (non-empty) user password is refused and says so.
    assert "lösenord" in by_name["libreoffice-writer-password.pdf"]
    # Image-only files without readable text (tiny test images) are rejected after OCR.
    assert "ingen sida har text" in by_name["imagemagick-images.pdf"]
    meta = json.loads((SHARED_PDFS / "files.json").read_text())["data"]
    assert len(meta) >= 30


# Files whose text layer is real but short, or one line repeated on every page: each was
# rejected as "ingen sida har text" although pypdf reads its text. Page texts as stored.
SHORT_TEXT_FILES = {
    "020-xmp/output_with_metadata_pymupdf.pdf": ["Hello, World!"],
    # Form labels; the "1" under them is the page number, dropped by cleaning.
    "010-pdflatex-forms/pdflatex-forms.pdf": ["Name\nCheck\nSubmit"],
    "008-reportlab-inline-image/inline-image.pdf": ["Test"],
    # The same line on 4 rotated pages: not a running header over nothing.
    "015-arabic/habibi-rotated.pdf": ["حَبيبي habibi حَبيبي"] * 4,
}


@needs_tesseract
@pytest.mark.parametrize("name", sorted(SHORT_TEXT_FILES))
def test_a_real_short_text_layer_is_ingested_with_its_text_page_by_page(name, toy_store):
    from pypdf import PdfReader

    path = SHARED_PDFS / name
    # Not municipal reports: the caseworker names municipality and year, as for any such file.
    report = ingest_paths([path], toy_store, municipality="Hofors", year=2024)
    assert not report.rejected, report.rejected
    record = toy_store.report_records()[0]
    expected = SHORT_TEXT_FILES[name]
    assert len(PdfReader(path).pages) == len(expected) == report.ingested[0]["pages"]
    stored = [toy_store.page_text(record.file_hash, n) for n in range(1, len(expected) + 1)]
    assert stored == expected
    assert (record.ocr_pages, record.scanned_pages) == ("", "")  # read, not OCR; none "scanned"
    chunks = toy_store.get_chunks(toy_store.all_chunk_metadata()).values()
    assert chunks and all(c.text in expected[c.page - 1] and not c.ocr for c in chunks)


@needs_tesseract
def test_invisible_text_and_a_damaged_file_are_still_rejected():
    from ingest.metadata import load_municipalities

    municipalities = load_municipalities()
    # "Background" is drawn outside each 3.84 pt page: no visible text, OCR finds none.
    with pytest.raises(UnreadableFile, match="ingen sida har text"):
        load_document(SHARED_PDFS / "007-imagemagick-images/imagemagick-images.pdf", municipalities)
    # Zeroed-out regions: neither pypdf nor pdfium can open it.
    with pytest.raises(UnreadableFile, match="PDF-filen är skadad"):
        load_document(
            SHARED_PDFS / "017-unreadable-meta-data/unreadablemetadata.pdf", municipalities
        )
