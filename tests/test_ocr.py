"""OCR of scanned pages (ingest/ocr.py) with the real Tesseract on generated scans.

The scans are made like tools/make_samples.py::make_scan_pdf does it: Swedish text drawn
into a Pillow image (slightly skewed and blurred like a scan), placed in a PDF without a
text layer. Tests that need Tesseract skip only when it is not installed; scripts/setup.sh
installs it (also in CI).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from ingest.ocr import OcrError, ocr_pages, ocr_unavailable_reason

SCAN_LINES = [
    "Återrapportering av statsbidrag 2023",
    "",
    "Kommunen har under året genomfört sommarlovsaktiviteter för",
    "barn och unga i åldern 6 till 15 år. Aktiviteterna var",
    "avgiftsfria och hölls på skolgårdar, i parker och vid sjön.",
    "",
    "Samarbetet med Fritidsbanken gjorde att fler familjer kunde",
    "låna utrustning. Totalt användes 1 250 000 kr av bidraget.",
    "Återstående medel återbetalas till myndigheten.",
    "",
    "Uppföljningen visar att närvaron ökade jämfört med förra",
    "året, särskilt bland flickor och nyanlända elever.",
]

_MISSING = ocr_unavailable_reason()
needs_tesseract = pytest.mark.skipif(
    _MISSING is not None, reason=f"{_MISSING} (kör scripts/setup.sh test)"
)


def scan_image(lines: list[str], dpi: int = 200):
    """An A4 page 'scanned' at `dpi`: 11 pt text, slightly skewed and soft."""
    import reportlab
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    img = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(img)
    # Bitstream Vera (shipped with reportlab) has å, ä and ö; Pillow's built-in default
    # font draws them as empty boxes.
    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    font = ImageFont.truetype(str(vera), size=round(11 / 72 * dpi))
    y = dpi
    for line in lines:
        draw.text((dpi, y), line, fill=20, font=font)
        y += round(18 / 72 * dpi)
    img = img.rotate(0.6, fillcolor=255, resample=Image.BICUBIC)  # a slightly skewed scan
    return img.filter(ImageFilter.GaussianBlur(0.7))


def make_pdf(path: Path, pages: list) -> Path:
    """A PDF whose pages are either text (a str: a real text layer) or an image (a scan)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4, invariant=1)
    for page in pages:
        if isinstance(page, str):
            for n, line in enumerate(page.split("\n")):
                c.drawString(60, 780 - 16 * n, line)
        else:
            png = io.BytesIO()
            page.save(png, format="PNG")
            c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, *A4)
        c.showPage()
    c.save()
    return path


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def match_ratio(expected: str, found: str) -> float:
    """Share of the expected words (with repeats) that occur in the found text."""
    want, got = words(expected), set(words(found))
    return sum(w in got for w in want) / len(want)


@pytest.mark.unit
def test_match_ratio_can_fail():
    found = match_ratio("sommarlovsaktiviteter i år", "sommarlovsaktiviteter i ar")
    assert found == pytest.approx(2 / 3)


@needs_tesseract
def test_scanned_page_is_read(tmp_path):
    pdf = make_pdf(tmp_path / "skannad.pdf", [scan_image(SCAN_LINES)])
    texts = ocr_pages(pdf, [1])
    assert list(texts) == [1]
    text = texts[1]
    assert "\f" not in text
    assert match_ratio("\n".join(SCAN_LINES), text) >= 0.9, text
    for word in ("Fritidsbanken", "sommarlovsaktiviteter", "återbetalas", "närvaron", "ökade"):
        assert word in text, (word, text)
    assert re.search(r"1 ?250 ?000 kr", text), text


@needs_tesseract
def test_only_requested_pages_are_read(tmp_path):
    text_page = "Sida med textlager: Kommunen redovisar\nhär sina insatser för unga."
    pdf = make_pdf(tmp_path / "blandad.pdf", [text_page, scan_image(SCAN_LINES[:8])])
    texts = ocr_pages(pdf, [2])
    assert list(texts) == [2]
    assert "Fritidsbanken" in texts[2]
    assert "textlager" not in texts[2]
    assert ocr_pages(pdf, []) == {}


@needs_tesseract
def test_a_page_the_renderer_does_not_have_is_left_out(tmp_path, caplog):
    # pypdf and pdfium can count a damaged file's pages differently (found by fuzzing).
    pdf = make_pdf(tmp_path / "en_sida.pdf", [scan_image(SCAN_LINES[:3])])
    assert list(ocr_pages(pdf, [1, 2])) == [1]
    assert "no page [2]" in caplog.text


@needs_tesseract
def test_page_that_times_out_is_left_out(tmp_path, caplog):
    pdf = make_pdf(tmp_path / "skannad.pdf", [scan_image(SCAN_LINES)])
    assert ocr_pages(pdf, [1], timeout_per_page=0.001) == {}
    assert "timed out" in caplog.text


@needs_tesseract
def test_unreadable_pdf_raises_ocr_error(tmp_path):
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot a pdf at all\n")
    with pytest.raises(OcrError, match="begär en ny kopia"):
        ocr_pages(bad, [1])


@pytest.mark.unit
def test_missing_tesseract_gives_swedish_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no tesseract on PATH
    reason = ocr_unavailable_reason()
    assert reason is not None
    assert "installera tesseract-ocr och tesseract-ocr-swe" in reason
    assert "scripts/setup.sh" in reason
    pdf = tmp_path / "skannad.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(OcrError) as exc:
        ocr_pages(pdf, [1])
    assert exc.value.reason == reason


def test_tesseract_without_swedish_gives_reason(tmp_path, monkeypatch):
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\necho "List of available languages (2):"\necho eng\necho osd\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert shutil.which("tesseract") == str(fake)
    reason = ocr_unavailable_reason()
    assert reason is not None and "svenska" in reason and "tesseract-ocr-swe" in reason


def test_page_where_tesseract_fails_is_left_out(tmp_path, monkeypatch, caplog):
    fake = tmp_path / "tesseract"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = --list-langs ]; then echo eng; echo swe; exit 0; fi\n'
        'cat >/dev/null; echo "Error: trasig bild" >&2; exit 1\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    pdf = make_pdf(tmp_path / "blandad.pdf", ["Sida med text.", scan_image(SCAN_LINES[:2], dpi=50)])
    assert ocr_unavailable_reason() is None
    assert ocr_pages(pdf, [2]) == {}
    assert "p. 2 failed" in caplog.text and "trasig bild" in caplog.text
