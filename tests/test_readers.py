"""Bad input gets a clear reason; good input of every supported kind is read."""

import pytest

from ingest.errors import UnreadableFile
from ingest.metadata import load_municipalities
from ingest.pipeline import load_document
from ingest.readers import read_pages
from tests.pdfmaker import make_pdf, report_pages

MUNICIPALITIES = load_municipalities()


@pytest.mark.unit
def test_pdf_pages_are_read_cleaned_and_recognised(tmp_path):
    path = make_pdf(
        tmp_path / "Dnr KS 2023-145.pdf",
        report_pages("Hofors", 2023, "fritid"),
        header="Hofors kommun",
    )
    doc = load_document(path, MUNICIPALITIES)
    assert (doc.municipality, doc.year, len(doc.pages)) == ("Hofors", 2023, 3)
    assert "Sida 1 av 3" not in doc.pages[0].text
    assert "Hofors kommun\n" not in doc.pages[1].text
    assert "Detta gäller fritid." in doc.pages[1].text


@pytest.mark.unit
def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path):
    path = make_pdf(
        tmp_path / "Bjuv_2024.pdf", report_pages("Bjuv", 2024, "skola"), encrypt_owner="hemligt"
    )
    assert b"/Encrypt" in path.read_bytes()
    doc = load_document(path, MUNICIPALITIES)
    assert doc.municipality == "Bjuv" and "om skola" in doc.pages[0].text


@pytest.mark.unit
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


@pytest.mark.unit
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


@pytest.mark.unit
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


@pytest.mark.unit
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
    with pytest.raises(UnreadableFile, match="ingen sida har text"):
        load_document(path, MUNICIPALITIES)

    mixed = make_pdf(tmp_path / "Hofors_2023.pdf", report_pages("Hofors", 2023, "fritid", 2) + [""])
    doc = load_document(mixed, MUNICIPALITIES)
    assert [p.number for p in doc.pages if not p.has_text_layer] == [3]
    assert any("s. 3" in w for w in doc.warnings)


@pytest.mark.unit
def test_pdf_with_a_damaged_page_is_rejected_naming_the_page():
    from tests.conftest import SAMPLES

    with pytest.raises(UnreadableFile, match="skadad: sidan 4"):
        load_document(SAMPLES / "bad" / "Olofstrom_2023_trasig.pdf", MUNICIPALITIES)


# ----------------------------------------------------------------- type from content, size limit


def _docx_bytes(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip_bytes(names: list[str]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.unit
def test_detect_type_judges_the_content(tmp_path):
    from ingest.readers import detect_type

    pdf = make_pdf(tmp_path / "a.pdf", ["Hej"]).read_bytes()
    assert detect_type(pdf) == "pdf"
    assert detect_type(_docx_bytes("Hej")) == "docx"
    assert detect_type("Åtgärder för unga i Eda\n".encode()) == "text"
    assert detect_type("Åtgärder för unga i Eda\n".encode("cp1252")) == "text"
    assert detect_type("Åtgärder för unga\n".encode("utf-16")) == "text"
    for data in [
        b"\x89PNG\r\n\x1a\n" + b"0" * 100,
        b"<!DOCTYPE html><html><body>Logga in</body></html>",
        _zip_bytes(["[Content_Types].xml", "xl/workbook.xml"]),
        _zip_bytes(["bilder/karta.png"]),
        b"MZ\x90\x00" + b"\x00" * 100,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
        bytes(range(256)) * 10,
    ]:
        assert detect_type(data) is None, data[:20]


@pytest.mark.unit
def test_a_docx_named_pdf_is_read_as_docx_and_a_pdf_named_txt_as_pdf(tmp_path):
    docx_as_pdf = tmp_path / "Perstorp_2024.pdf"
    docx_as_pdf.write_bytes(_docx_bytes("Perstorps kommun redovisar återrapportering 2024."))
    assert read_pages(docx_as_pdf) == ["Perstorps kommun redovisar återrapportering 2024."]
    pdf_as_txt = make_pdf(tmp_path / "Eda_2023.txt", report_pages("Eda", 2023, "arbete"))
    assert "Återrapportering 2023 för Eda kommun" in read_pages(pdf_as_txt)[0]


@pytest.mark.unit
@pytest.mark.parametrize(
    "name, data, what",
    [
        (
            "rapport.txt",
            b"<!doctype html>\n<html><p>Sessionen har g\xc3\xa5tt ut</p></html>",
            "en webbsida \\(HTML\\)",
        ),
        (
            "rapport.docx",
            _zip_bytes(["[Content_Types].xml", "xl/workbook.xml"]),
            "ett Excel-dokument \\(XLSX\\)",
        ),
        ("rapport.docx", _zip_bytes(["bilaga.pdf"]), "ett ZIP-arkiv"),
        ("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 100, "ett Windows-program"),
        ("rapport.pdf", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "en JPEG-bild"),
        ("rapport.txt", bytes(range(1, 256)) * 10, "okänt binärt innehåll"),
    ],
)
def test_content_that_is_not_a_report_is_rejected_naming_what_it_is(tmp_path, name, data, what):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(
        UnreadableFile, match=f"stöds inte: filen är {what} .*Spara rapporten som PDF"
    ):
        read_pages(path)


@pytest.mark.unit
def test_a_text_file_must_be_text_with_few_control_characters(tmp_path):
    path = tmp_path / "Eda 2023.txt"
    path.write_bytes(b"Eda kommun\fSida 2\tmed tabb\r\n" * 50 + b"\x1b")  # one stray ESC
    assert "Sida 2" in read_pages(path)[0]
    path.write_bytes(b"Eda kommun \x01\x02\x03\x04\x05\x06 " * 50)
    with pytest.raises(UnreadableFile, match="okänt binärt innehåll"):
        read_pages(path)
    path.write_bytes("Eda kommun ÅÄÖ\n".encode("utf-16"))
    assert read_pages(path) == ["Eda kommun ÅÄÖ"]


@pytest.mark.unit
def test_a_file_over_the_size_limit_is_rejected_before_it_is_read(tmp_path):
    path = tmp_path / "enorm.pdf"
    with path.open("wb") as f:  # sparse: 300 MB on paper, nothing on disk
        f.truncate(300 * 1024 * 1024)
    with pytest.raises(
        UnreadableFile,
        match=r"för stor \(300 MB, gränsen är 200 MB\).*RAPPORTASSISTENT_MAX_FILE_MB",
    ):
        read_pages(path)


def test_the_size_limit_comes_from_the_environment(tmp_path, monkeypatch):
    import subprocess
    import sys

    from tests.conftest import ROOT

    monkeypatch.setenv("RAPPORTASSISTENT_MAX_FILE_MB", "1")
    path = tmp_path / "Eda 2023.txt"
    path.write_bytes(b"Eda kommun 2023\n" * 70_000)  # 1.1 MB
    code = (
        "from pathlib import Path; from ingest.readers import read_pages; "
        f"read_pages(Path({str(path)!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert "gränsen är 1 MB" in result.stderr


@pytest.mark.unit
def test_markdown_headings_become_sections_and_markup_is_dropped(tmp_path, toy_store):
    from ingest.pipeline import ingest_paths

    (tmp_path / "Eda_aterrapportering_2023.md").write_text(
        "# Eda kommun\n\n**Återrapportering 2023**\n\n## 3 Insatser\n### Fritidsbanken\n"
        "Fritidsbanken i *Charlottenberg* lånade ut 300 par skidor. "
        + "Utlånen ökade under vintern. " * 30
        + "\n\n## 4 Samverkan\n"
        + "Kommunen samarbetar med polisen och föreningarna. " * 30
        + "\n",
        encoding="utf-8",
    )
    ingest_paths([tmp_path], toy_store)
    chunks = toy_store.get_chunks(toy_store.all_chunk_metadata()).values()
    by_section = {c.section: c.text for c in chunks}
    assert "Fritidsbanken" in by_section and "4 Samverkan" in by_section
    assert "lånade ut 300 par skidor" in by_section["Fritidsbanken"]
    assert not any("#" in t or "*" in t for t in by_section.values())
