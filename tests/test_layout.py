"""Budget tables read from word positions (ingest/layout.py) and placed in the page text
(ingest/tables.py), on small PDFs made here: wrapped cells, narrow columns, a two-column
page, a table set line by line, a table pasted as a picture, and the dev corpus if present."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from assistant.survey.economy import page_tables
from ingest.layout import Table, alnum, tables_of_pages
from ingest.tables import place_tables
from tests.test_ocr import needs_tesseract

ROWS = [
    ("Föräldraskapsstöd och familjecentral", "1 150 tkr", "1 087 tkr", "+63 tkr"),
    ("Närvaroteam i grundskolan", "1 800 tkr", "1 912 tkr", "−112 tkr"),
    ("Samordning och uppföljning", "400 tkr", "417 tkr", "−17 tkr"),
]
HEADER = ("Aktivitet", "Beviljat", "Förbrukat", "Avvikelse")
PROSE = (
    "Arbetet har följts upp av styrgruppen varje kvartal och kostnaderna har stämts av "
    "mot beslutet. "
) * 6


def _platypus_pdf(path: Path, col_widths: list[float], two_columns: bool = False) -> Path:
    """A page with a budget table of wrapped cells (reportlab Table of Paragraphs)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        PageTemplate,
        Paragraph,
        Table,
        TableStyle,
    )

    style = getSampleStyleSheet()["BodyText"]
    doc = BaseDocTemplate(str(path), pagesize=A4, invariant=1)
    width, height = A4
    if two_columns:
        frames = [
            Frame(50, 50, (width - 120) / 2, height - 100, id="left"),
            Frame(70 + (width - 120) / 2, 50, (width - 120) / 2, height - 100, id="right"),
        ]
    else:
        frames = [Frame(50, 50, width - 100, height - 100, id="one")]
    doc.addPageTemplates([PageTemplate(frames=frames)])
    data = [[Paragraph(c, style) for c in HEADER]] + [
        [Paragraph(c, style) for c in r] for r in ROWS
    ]
    table = Table(data, colWidths=col_widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        Paragraph("Ekonomisk redovisning", style),
        Paragraph("Tabellen visar beviljat och förbrukat per aktivitet.", style),
        table,
        Paragraph(PROSE, style),
        Paragraph(PROSE, style),
        Paragraph(PROSE, style),
        Paragraph(PROSE, style),
    ]
    doc.build(story)
    return path


def _amounts(lines: list[str]) -> list[tuple[int | None, int | None]]:
    rows, _ = page_tables("\n".join(lines))
    return [(r.budget, r.utfall) for r in rows]


EXPECTED = [(1_150_000, 1_087_000), (1_800_000, 1_912_000), (400_000, 417_000)]


@pytest.mark.unit
def test_wrapped_cells_in_narrow_columns_make_one_row_each(tmp_path):
    pdf = _platypus_pdf(tmp_path / "smal.pdf", [70, 42, 42, 42])
    (table,) = tables_of_pages(pdf, [1], [])[1]
    assert len(table.lines) == 1 + len(ROWS)
    assert _amounts(table.lines) == EXPECTED
    # A word too long for its column is broken: the label keeps all its letters.
    assert alnum(table.lines[1].split(" | ")[0]) == alnum(ROWS[0][0])


@pytest.mark.unit
def test_a_table_in_one_column_of_a_two_column_page_leaves_the_other_column_out(tmp_path):
    pdf = _platypus_pdf(tmp_path / "spalter.pdf", [90, 50, 50, 50], two_columns=True)
    (table,) = tables_of_pages(pdf, [1], [])[1]
    assert _amounts(table.lines) == EXPECTED
    assert not any("styrgruppen" in line for line in table.lines)


@pytest.mark.unit
def test_a_table_set_line_by_line_joins_a_label_over_two_lines(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "rader.pdf"
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.drawString(60, 780, "Ekonomi")
    lines = [
        ("Insats", "Budget (kr)", "Utfall (kr)"),
        ("Lärcentrum och", "520 000", "547 900"),
        ("distansstudier", "", ""),
        ("Feriearbete", "640 000", "612 750"),
    ]
    for n, cells in enumerate(lines):
        for x, cell in zip((60, 250, 380), cells):
            c.drawString(x, 750 - 15 * n, cell)
    c.drawString(60, 650, "Efter tabellen följer en vanlig mening om arbetet under året.")
    c.showPage()
    c.save()
    (table,) = tables_of_pages(path, [1], [])[1]
    assert table.lines[1] == "Lärcentrum och distansstudier | 520 000 | 547 900"
    assert _amounts(table.lines) == [(520_000, 547_900), (640_000, 612_750)]


@pytest.mark.unit
def test_prose_about_budget_without_a_table_gives_no_table(tmp_path):
    from tests.pdfmaker import make_pdf

    pdf = make_pdf(
        tmp_path / "prosa.pdf",
        [
            "Budget och utfall stämde väl överens.\n"
            "Utfallet blev 1 200 000 kr mot budget 1 250 000 kr."
        ],
    )
    assert tables_of_pages(pdf, [1], []) == {}


def _picture_of_table_pdf(path: Path, tmp_path: Path) -> Path:
    """A text page with the budget table pasted as a picture (rendered, then drawn as image)."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    source = _platypus_pdf(tmp_path / "källa.pdf", [150, 80, 80, 80])
    doc = pdfium.PdfDocument(str(source))
    try:
        page = doc[0]
        width, height = page.get_size()
        bitmap = page.render(scale=200 / 72, crop=(40, height - 260, 40, 40))
        image = bitmap.to_pil()
    finally:
        doc.close()
    png = io.BytesIO()
    image.save(png, format="PNG")
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.drawString(60, 790, "Ekonomisk redovisning")
    w = 480
    h = w * image.height / image.width
    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 60, 770 - h, width=w, height=h)
    c.drawString(60, 740 - h, "Lärdomar och fortsatt arbete beskrivs i nästa avsnitt.")
    c.showPage()
    c.save()
    return path


@needs_tesseract
def test_a_table_pasted_as_a_picture_is_read_by_ocr_and_added_to_the_page(tmp_path):
    from ingest.metadata import all_municipalities
    from ingest.pipeline import load_document

    pdf = _picture_of_table_pdf(tmp_path / "Hofors_2024.pdf", tmp_path)
    (table,) = tables_of_pages(pdf, [1], [])[1]
    assert table.from_image
    assert _amounts(table.lines) == EXPECTED
    doc = load_document(pdf, all_municipalities())
    rows, _ = page_tables(doc.pages[0].text)
    assert [(r.budget, r.utfall) for r in rows] == EXPECTED
    assert any("inklistrade som bild" in w and "s. 1" in w for w in doc.warnings)


@needs_tesseract
def test_a_scanned_page_table_is_rebuilt_in_its_ocr_text(tmp_path):
    import pypdfium2 as pdfium

    from ingest.metadata import all_municipalities
    from ingest.pipeline import load_document
    from tests.test_ocr import make_pdf as make_scanned_pdf

    source = _platypus_pdf(tmp_path / "källa.pdf", [150, 80, 80, 80])
    doc = pdfium.PdfDocument(str(source))
    try:
        image = doc[0].render(scale=200 / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    pdf = make_scanned_pdf(
        tmp_path / "Hofors_2024.pdf",
        ["Återrapportering 2024 Hofors kommun.\nEkonomin redovisas på nästa sida.", image],
    )
    (table,) = tables_of_pages(pdf, [], [2])[2]  # from Tesseract's word positions
    assert _amounts(table.lines) == EXPECTED and not table.from_image
    loaded = load_document(pdf, all_municipalities())
    assert loaded.pages[1].ocr
    rows, _ = page_tables(loaded.pages[1].text)
    assert [(r.budget, r.utfall) for r in rows] == EXPECTED
    assert all(" | " in r.text for r in rows)


# ------------------------------------------------------------------------ placing in text


def _table(lines: list[str], cells: list[str], from_image: bool = False) -> Table:
    return Table(lines, "".join(alnum(c) for c in cells), cells, from_image)


@pytest.mark.unit
def test_a_table_replaces_its_cell_per_line_text():
    text = "Före.\nInsats\nBudget\nUtfall\nMötesplatser och\nkultur\n640 tkr\n701 tkr\nEfter."
    cells = ["Insats", "Budget", "Utfall", "Mötesplatser och kultur", "640 tkr", "701 tkr"]
    lines = ["Insats | Budget | Utfall", "Mötesplatser och kultur | 640 tkr | 701 tkr"]
    assert place_tables(text, [_table(lines, cells)]).split("\n") == ["Före."] + lines + ["Efter."]


@pytest.mark.unit
def test_cells_cut_at_the_page_end_as_furniture_come_back():
    text = "Före.\nInsats\nBudget\nUtfall\nSamordning"  # "938" and "1 000" went as page numbers
    cells = ["Insats", "Budget", "Utfall", "Samordning", "1 000", "938"]
    lines = ["Insats | Budget | Utfall", "Samordning | 1 000 | 938"]
    assert place_tables(text, [_table(lines, cells)]).split("\n") == ["Före."] + lines


@pytest.mark.unit
def test_a_table_not_in_the_text_is_left_out_unless_it_came_from_a_picture():
    text = "Ekonomisk redovisning\nLärdomar."
    lines = ["Insats | Budget | Utfall", "Lärcentrum | 1 050 000 | 1 031 600"]
    cells = ["Insats", "Budget", "Utfall", "Lärcentrum", "1 050 000", "1 031 600"]
    assert place_tables(text, [_table(lines, cells)]) == text
    assert place_tables(text, [_table(lines, cells, True)]).split("\n")[-2:] == lines


# ------------------------------------------------------------------------- foreign corpus

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "dev-corpus"


@pytest.mark.skipif(not (CORPUS / "reports").is_dir(), reason="../shared/dev-corpus saknas")
def test_dev_corpus_tables_from_their_text_layer_have_every_row():
    """Every row of the foreign corpus's tables that stand in a text layer (the picture is
    left to the OCR test above), by its amounts, from the layout alone."""
    from pypdf import PdfReader

    from ingest.layout import may_hold_budget_table

    missing = []
    total = 0
    for report in sorted((CORPUS / "reports").glob("*.json")):
        truth = json.loads(report.read_text(encoding="utf-8"))
        path = CORPUS / "pdf" / truth["filename"]
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [
            n for n, p in enumerate(reader.pages, 1) if may_hold_budget_table(p.extract_text())
        ]
        lines = [
            line
            for found in tables_of_pages(path, pages, []).values()
            for t in found
            if not t.from_image
            for line in t.lines
        ]
        got = {alnum(r.insats): (r.budget, r.utfall) for r in page_tables("\n".join(lines))[0]}
        for section in truth["sections"]:
            for row in (section.get("table") or {}).get("rows", []):
                if re.match(r"(totalt|summa)", row[0].lower()):
                    continue
                total += 1
                if not _same(row[1:3], got.get(alnum(row[0]))):
                    missing.append((truth["filename"], row[0], got.get(alnum(row[0]))))
    assert total >= 100
    # Only the one table pasted as a picture may be missing here.
    assert len(missing) <= 5, missing


def _same(cells: list[str], got) -> bool:
    """The amounts of a ground-truth row, read as parse_amount reads them, equal `got` up to
    the unit (which may come from the column or the caption)."""
    from assistant.survey.economy import parse_amount

    if got is None:
        return False
    for cell, value in zip(cells, got):
        if value is None:
            return False
        if not any(parse_amount(cell, f) == value for f in (1, 1000, 10**6)):
            return False
    return True
