"""Read report files (PDF, DOCX, TXT/MD) into raw page texts.

Each reader returns a list of raw page strings; a reader raises `UnreadableFile` with a
Swedish reason that tells the caseworker what to do. DOCX and text files have no pages, so
they are cut into pseudo-pages of a few thousand characters at paragraph boundaries: a
citation still points at a stable, openable place.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.errors import UnreadableFile

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".txt", ".md"}
PSEUDO_PAGE_CHARS = 3000

# pypdf logs a warning for every oddity of a producer; the summary reports what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pages(path: Path) -> list[str]:
    """Raw text per page (1 entry per page, '' for a page without a text layer)."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile("filen är tom (0 byte). Be kommunen skicka rapporten igen.")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _read_pdf(path, data)
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".txt", ".md"):
        return _split_pseudo_pages(_decode_text(data))
    raise UnreadableFile(
        f"filtypen {suffix or '(ingen)'} stöds inte; spara rapporten som PDF, DOCX eller TXT."
    )


def _read_pdf(path: Path, data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

    if b"%PDF-" not in data[:1024]:
        kind = _sniff(data)
        raise UnreadableFile(f"filen är ingen PDF ({kind}) trots filändelsen .pdf.")
    if b"%%EOF" not in data[-2048:]:
        # pypdf can often recover a truncated file, but then pages are silently missing.
        raise UnreadableFile(
            "PDF-filen är avkortad (slutmarkeringen saknas); begär en ny kopia av filen."
        )
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise UnreadableFile(
                        "PDF-filen är lösenordsskyddad; be kommunen skicka en version utan lösenord."
                    )
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise UnreadableFile(
                    f"PDF-filen är lösenordsskyddad och kan inte öppnas ({exc})."
                ) from exc
            except DependencyError as exc:
                raise UnreadableFile(
                    "PDF-filen är krypterad och paketet 'cryptography' saknas: "
                    "installera om med ./run.sh."
                ) from exc
        pages, broken = [], []
        for number, page in enumerate(reader.pages, 1):
            try:
                pages.append(page.extract_text() or "")
            except Exception:  # noqa: BLE001 - pypdf raises many kinds on damaged streams
                broken.append(number)
        if broken:
            # Half a report in the store would read as the whole of it: refuse the file.
            listed = ", ".join(map(str, broken))
            raise UnreadableFile(
                f"PDF-filen är skadad: sidan {listed} kan inte läsas; begär en ny kopia av filen."
            )
        if not pages:
            raise UnreadableFile("PDF-filen har inga sidor.")
        return pages
    except UnreadableFile:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"PDF-filen är skadad och kan inte läsas ({_short(exc)}).") from exc


def _read_docx(path: Path) -> list[str]:
    import zipfile

    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise UnreadableFile("paketet python-docx saknas; installera om med ./run.sh.") from exc
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(f"DOCX-filen är skadad och kan inte läsas ({_short(exc)}).") from exc
    blocks: list[str] = []
    for block in _docx_blocks(document):
        blocks.append(block)
    return _split_pseudo_pages("\n".join(blocks))


def _docx_blocks(document) -> list[str]:
    """Paragraphs and table rows in document order; a table row becomes 'a | b | c'."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            out.append(item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells]
                out.append(" | ".join(cells))
    return out


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _split_pseudo_pages(text: str) -> list[str]:
    """Cut a page-less text into pages of about PSEUDO_PAGE_CHARS at line boundaries."""
    pages, current, size = [], [], 0
    for line in text.splitlines():
        if size + len(line) > PSEUDO_PAGE_CHARS and current:
            pages.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        pages.append("\n".join(current))
    return pages or [""]


def _sniff(data: bytes) -> str:
    head = data[:16]
    if head.startswith(b"\x89PNG"):
        return "den är en PNG-bild"
    if head.startswith(b"\xff\xd8"):
        return "den är en JPEG-bild"
    if head.startswith(b"PK"):
        return "den är ett ZIP/Office-arkiv"
    if b"<html" in data[:512].lower() or b"<!doctype" in data[:512].lower():
        return "den är en webbsida (HTML)"
    return "okänt innehåll"


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 120 else text[:117] + "..."
