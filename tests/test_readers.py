"""Bad input gets a clear reason; good input of every supported kind is read."""

import pytest

from ingest.errors import UnreadableFile
from ingest.metadata import load_municipalities
from ingest.pipeline import load_document
from ingest.readers import read_pages
from tests.pdfmaker import make_pdf, report_pages

MUNICIPALITIES = load_municipalities()


def test_pdf_pages_are_read_cleaned_and_recognised(tmp_path):
    path = make_pdf(tmp_path / "Dnr KS 2023-145.pdf", report_pages("Hofors", 2023, "fritid"),
                    header="Hofors kommun")
    doc = load_document(path, MUNICIPALITIES)
    assert (doc.municipality, doc.year, len(doc.pages)) == ("Hofors", 2023, 3)
    assert "Sida 1 av 3" not in doc.pages[0].text
    assert "Hofors kommun\n" not in doc.pages[1].text
    assert "Detta gäller fritid." in doc.pages[1].text


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path):
    path = make_pdf(tmp_path / "Bjuv_2024.pdf", report_pages("Bjuv", 2024, "skola"), encrypt_owner="hemligt")
    assert b"/Encrypt" in path.read_bytes()
    doc = load_document(path, MUNICIPALITIES)
    assert doc.municipality == "Bjuv" and "om skola" in doc.pages[0].text


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("tom.pdf", b"", "tom"),
        ("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "ingen PDF"),
        ("sida.pdf", b"<!DOCTYPE html><html>hej</html>", "ingen PDF"),
        ("rapport.xlsx", b"PK\x03\x04 data", "stöds inte"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile, match=expected):
        read_pages(path)


def test_truncated_and_corrupt_pdfs_are_rejected(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", report_pages("Eda", 2023, "arbete")).read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good[: len(good) // 2])
    with pytest.raises(UnreadableFile, match="avkortad"):
        read_pages(truncated)
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(good[:200] + b"\x00garbage" * 50 + b"\n%%EOF\n")
    with pytest.raises(UnreadableFile):
        load_document(corrupt, MUNICIPALITIES)


def test_docx_paragraphs_and_table_rows_are_read(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Ekonomisk redovisning", 1)
    document.add_paragraph("Perstorps kommun redovisar återrapportering 2024.")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Insats", "Budget (kr)", "Utfall (kr)"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["Fritidsbanken", "200 000", "185 000"]):
        cell.text = text
    path = tmp_path / "rapport.docx"
    document.save(path)
    doc = load_document(path, MUNICIPALITIES)
    assert (doc.municipality, doc.year) == ("Perstorp", 2024)
    assert "Fritidsbanken | 200 000 | 185 000" in doc.pages[0].text


def test_text_files_become_pseudo_pages(tmp_path):
    path = tmp_path / "Eda 2023.txt"
    path.write_text("Eda kommun\n" + "En rad om feriejobb.\n" * 400, encoding="utf-8")
    doc = load_document(path, MUNICIPALITIES)
    assert len(doc.pages) > 1 and doc.municipality == "Eda" and doc.year == 2023


def test_scanned_pdf_without_text_is_rejected_and_scanned_pages_are_reported(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.rect(50, 50, 300, 300, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(UnreadableFile, match="textlager"):
        load_document(path, MUNICIPALITIES)

    mixed = make_pdf(tmp_path / "Hofors_2023.pdf", report_pages("Hofors", 2023, "fritid", 2) + [""])
    doc = load_document(mixed, MUNICIPALITIES)
    assert [p.number for p in doc.pages if not p.has_text_layer] == [3]
    assert any("s. 3" in w for w in doc.warnings)


def test_pdf_with_a_damaged_page_is_rejected_naming_the_page():
    from tests.conftest import SAMPLES

    with pytest.raises(UnreadableFile, match="skadad: sidan 4"):
        load_document(SAMPLES / "bad" / "Olofstrom_2023_trasig.pdf", MUNICIPALITIES)
