"""Text recognition (OCR) of scanned PDF pages with Tesseract.

Some municipalities send scanned PDFs: pages that are pictures without a text layer, so
pypdf finds no text and the page cannot be searched or cited. For such pages the pipeline
renders the page with pypdfium2 to a grayscale image and runs Debian's `tesseract` CLI
(packages `tesseract-ocr` and `tesseract-ocr-swe`, installed by scripts/setup.sh) with
Swedish language data. Tesseract is a separate program, not a Python package: when it is
missing, `ocr_unavailable_reason()` says what to install, and the caller reports the pages
instead of skipping them silently.

The text is returned as Tesseract gives it (form feeds removed); hyphenated line breaks and
other cleaning are left to ingest/clean.py like for any other page.

`inspect_pages` also tells which of the pages have text-layer characters inside the page
(pdfium's page-bounded text): a short text layer that OCR finds nothing beyond is the page's
real text when it is visible, but not when it is drawn outside the page (ImageMagick puts an
invisible label there).
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
from pathlib import Path

from ingest.errors import IngestError

log = logging.getLogger(__name__)

# Chosen by measurement on 11 generated scans of Swedish report pages (150-300 dpi scans,
# skewed, blurred, speckled; 7-11 pt text): rendering at 200 dpi found as many words as 300
# dpi (mean word recall 0.95 vs 0.93) with about a quarter less CPU time; 300 dpi was better
# only on 5 pt print (1.00 vs 0.99). 'swe+eng' was slower and worse (0.89) than 'swe' alone.
# --psm 3 (automatic layout) equalled 4 and beat 6 (single block: 0.94); 11 (sparse text)
# found as many words but made every line its own paragraph.
DPI = 200
MAX_PIXELS = 40_000_000  # an A0 page at 150 dpi; A4 at 200 dpi is 3.9 million
LANGUAGES = "swe"
PSM = "3"
INSTALL_HINT = "installera tesseract-ocr och tesseract-ocr-swe (scripts/setup.sh)"


class OcrError(IngestError):
    """OCR of a whole file failed; the message says why and what to do (Swedish)."""

    @property
    def reason(self) -> str:
        return str(self)


def ocr_unavailable_reason() -> str | None:
    """None when `tesseract` with Swedish ('swe') is usable; else a Swedish reason."""
    exe = shutil.which("tesseract")
    if exe is None:
        return f"textigenkänning (OCR) saknas: {INSTALL_HINT}."
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"textigenkänning (OCR) fungerar inte ({exc}); {INSTALL_HINT}."
    if "swe" not in out.split():
        return f"svenska språkdata för textigenkänning (OCR) saknas: {INSTALL_HINT}."
    return None


def ocr_pages(path: Path, page_numbers: list[int], timeout_per_page: float = 60) -> dict[int, str]:
    """Recognised text of the given 1-based pages of a PDF, as {page number: text}.

    Raises OcrError when the whole file cannot be OCR'd (Tesseract missing, PDF unreadable).
    A page whose rendering or recognition fails or times out is logged and left out of the
    result: the caller reports the missing pages. A page where Tesseract finds no text (a
    photo, an empty page) maps to ''.
    """
    import pypdfium2 as pdfium

    reason = ocr_unavailable_reason()
    if reason:
        raise OcrError(reason)
    exe = shutil.which("tesseract")
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise OcrError(
            f"PDF-filen kan inte öppnas för textigenkänning (OCR) ({exc}); "
            "begär en ny kopia av filen."
        ) from exc
    try:
        count = len(pdf)
        outside = [n for n in page_numbers if not 1 <= n <= count]
        if outside:  # pypdf and pdfium may count a damaged file's pages differently
            log.warning("OCR of %s: pdfium has no page %s (it counts %d)", path, outside, count)
        texts = {}
        for number in [n for n in page_numbers if 1 <= n <= count]:
            try:
                image = _render_page(pdf[number - 1])
                texts[number] = _tesseract(exe, image, timeout_per_page)
            except subprocess.TimeoutExpired:
                log.warning("OCR of %s p. %d timed out after %s s", path, number, timeout_per_page)
            except subprocess.CalledProcessError as exc:
                err = exc.stderr.decode("utf-8", errors="replace").strip()
                log.warning("OCR of %s p. %d failed: %s %s", path, number, exc, err)
            except (pdfium.PdfiumError, OSError) as exc:
                log.warning("OCR of %s p. %d failed: %s", path, number, exc)
        return texts
    finally:
        pdf.close()


def inspect_pages(
    path: Path, page_numbers: list[int], timeout_per_page: float = 60
) -> tuple[dict[int, str], set[int]]:
    """`ocr_pages(path, page_numbers)` and the subset of the pages whose text layer has
    characters inside the page. Run it in a bounded child (ingest.sandbox.run_isolated)."""
    found = ocr_pages(path, page_numbers, timeout_per_page)
    return found, visible_text_pages(path, page_numbers)


def visible_text_pages(path: Path, page_numbers: list[int]) -> set[int]:
    """The given 1-based pages that have non-blank text-layer characters within the page's
    bounds, by pdfium. A page or file pdfium cannot read counts as without visible text."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        log.warning("text layer check of %s: pdfium cannot open it: %s", path, exc)
        return set()
    try:
        count, visible = len(pdf), set()
        for number in [n for n in page_numbers if 1 <= n <= count]:
            try:
                if pdf[number - 1].get_textpage().get_text_bounded().strip():
                    visible.add(number)
            except pdfium.PdfiumError as exc:
                log.warning("text layer check of %s p. %d failed: %s", path, number, exc)
        return visible
    finally:
        pdf.close()


def _render_page(page) -> bytes:
    """The page as an 8-bit grayscale PGM image at DPI (PGM: no compression work)."""
    width, height = page.get_size()  # points
    # A poster-sized (or hostile) page is rendered smaller rather than into gigabytes.
    scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
    bitmap = page.render(scale=scale, grayscale=True)
    image = bitmap.to_pil().convert("L")
    buf = io.BytesIO()
    image.save(buf, format="PPM")  # Pillow writes mode L as binary PGM
    return buf.getvalue()


def _tesseract(exe: str, image: bytes, timeout: float) -> str:
    """Run the tesseract CLI on one image (stdin -> stdout); kills it after `timeout` s."""
    # One OpenMP thread: with Tesseract's default threads a page took 2.5x the CPU time
    # (2.7 s vs 1.0 s) for the same text, and was no faster on this busy 2-core machine.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    result = subprocess.run(
        [exe, "stdin", "stdout", "-l", LANGUAGES, "--psm", PSM],
        input=image,
        capture_output=True,
        timeout=timeout,
        env=env,
        check=True,
    )
    return result.stdout.decode("utf-8", errors="replace").replace("\f", "").strip()
