"""Read report files (PDF, DOCX, TXT/MD) into raw page texts.

The file type comes from the content, not the name: municipalities send whatever their office
software produced, and a login page saved as "rapport.pdf" or a DOCX named ".pdf" is common.
`detect_type` recognises PDF, DOCX and plain text; anything else (HTML, images, other archives,
programs) is rejected with a Swedish reason that names what the content is. Files larger than
`max_file_bytes()` (the setting `ingest.max_file_mb`) are rejected before they are read.

Each reader returns a list of raw page strings; a reader raises `UnreadableFile` with a
Swedish reason that tells the caseworker what to do. DOCX and text files have no pages, so
they are cut into pseudo-pages of a few thousand characters at paragraph boundaries: a
citation still points at a stable, openable place.

Hostile files: pypdf bounds every decompressed stream itself (`pypdf.Configuration`, 75 MB per
FlateDecode stream by default) and raises `LimitReachedError`, which becomes a "bomb" reason
here. A DOCX is checked before it is opened: the ZIP directory declares the unpacked size of
every part and `zipfile` never returns more than that, so the declared sizes bound the memory.
Parsers raise all kinds of exceptions on damaged input; every one of them becomes an
`UnreadableFile` naming the exception, so one odd file can never stop a batch. Hangs and
memory exhaustion are handled by running this module in a child process (`ingest.sandbox`).
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import UnreadableFile

if TYPE_CHECKING:
    from rapport_settings import Settings

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".txt", ".md"}
PSEUDO_PAGE_CHARS = 3000
MB = 1024 * 1024


def max_file_bytes(settings: Settings | None = None) -> int:
    """The largest file read, from the setting `ingest.max_file_mb`
    ($RAPPORTASSISTENT_MAX_FILE_MB); also the upload limit of the web app."""
    from rapport_settings import get_settings

    return int((settings or get_settings()).ingest.max_file_mb * MB)


# A DOCX is a ZIP: python-docx loads every part into memory and parses the XML with lxml.
MAX_DOCX_UNPACKED_BYTES = 500 * MB  # all parts, images included
MAX_DOCX_XML_BYTES = 64 * MB  # XML parts (a 500-page report has some 10 MB)
MAX_CONTROL_SHARE = 0.01  # a text file with more control characters than this is binary

# pypdf logs a warning for every oddity of a producer, and an "error" (with a 256-entry table)
# for each font encoding it works around; the summary reports what matters.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BINARY_MAGIC = [  # (pattern at the start of the content, what the content is)
    (rb"\x89PNG", "en PNG-bild"),
    (rb"\xff\xd8\xff", "en JPEG-bild"),
    (rb"GIF8[79]a", "en GIF-bild"),
    (rb"II\*\x00|MM\x00\*", "en TIFF-bild"),
    (rb"BM.{4}\x00\x00\x00\x00", "en BMP-bild"),  # reserved zeros: not a text about "BMX"
    (rb"RIFF.{4}WEBP", "en WebP-bild"),
    (rb".{4}ftyp", "en bild eller video (HEIC/MP4)"),
    (rb"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ett äldre Office-dokument (DOC/XLS/PPT)"),
    (rb"\{\\rtf", "ett RTF-dokument"),
    (rb"MZ.{0,62}\x00", "ett Windows-program (EXE/DLL)"),
    (rb"\x7fELF", "ett program (ELF)"),
    (rb"\x1f\x8b", "ett gzip-arkiv"),
    (rb"7z\xbc\xaf\x27\x1c", "ett 7z-arkiv"),
    (rb"Rar!\x1a\x07", "ett RAR-arkiv"),
    (rb"%!PS", "en PostScript-fil"),
]


def read_pages(path: Path, max_bytes: int | None = None) -> list[str]:
    """Raw text per page (1 entry per page, '' for a page without a text layer); a file over
    `max_bytes` (default: `max_file_bytes()`) is refused unread."""
    data = _read_bounded(path, max_file_bytes() if max_bytes is None else max_bytes)
    if not data.strip():
        raise UnreadableFile("filen är tom (0 byte). Be kommunen skicka rapporten igen.")
    kind, what = _classify(data)
    if kind == "pdf":
        return _read_pdf(data)
    if kind == "docx":
        return _read_docx(data)
    if kind == "text":
        return _split_pseudo_pages(_plain_markdown(what))
    raise UnreadableFile(
        f"innehållet stöds inte: filen är {what} (oavsett filändelsen "
        f"{path.suffix.lower() or '(ingen)'}), ingen PDF, DOCX eller textfil. "
        "Spara rapporten som PDF, DOCX eller TXT och läs in den igen."
    )


def detect_type(data: bytes) -> str | None:
    """'pdf', 'docx' or 'text' judged from the content alone, None for anything else."""
    return _classify(data)[0]


def check_size(size: int, limit: int | None = None) -> None:
    """UnreadableFile if a file of `size` bytes is over `limit` (default: max_file_bytes())."""
    limit = max_file_bytes() if limit is None else limit
    if size > limit:
        raise UnreadableFile(
            f"filen är för stor ({size / MB:.0f} MB, gränsen är {limit / MB:.0f} MB). "
            "Be kommunen skicka en mindre fil (t.ex. med komprimerade bilder) eller höj "
            "gränsen med RAPPORTASSISTENT_MAX_FILE_MB."
        )


def _read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes, or UnreadableFile if it is larger than `limit` bytes."""
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size <= limit:
                data = f.read(limit + 1)  # the file may grow while we read
                size = len(data)
    except OSError as exc:
        raise UnreadableFile(
            f"filen kan inte öppnas ({_short(exc)}); kontrollera sökvägen och behörigheten."
        ) from exc
    check_size(size, limit)
    return data


def _classify(data: bytes) -> tuple[str | None, str]:
    """(type, detail): for 'text' the detail is the decoded text, otherwise what the content
    is, in Swedish ("en PNG-bild"), for the reason of a rejection."""
    if b"%PDF-" in data[:1024]:
        return "pdf", "en PDF"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _classify_zip(data)
    for pattern, what in _BINARY_MAGIC:
        if re.match(pattern, data[:64], re.DOTALL):
            return None, what
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<html" in head
    ):
        return None, "en webbsida (HTML)"
    text = _decode_text(data)
    if text is None or len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        return None, "okänt binärt innehåll"
    return "text", text


def _classify_zip(data: bytes) -> tuple[str | None, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception:  # noqa: BLE001 - zipfile raises many kinds on damaged archives
        return None, "ett skadat eller okänt ZIP-arkiv"
    if "word/document.xml" in names:
        return "docx", "ett Word-dokument (DOCX)"
    if "xl/workbook.xml" in names:
        return None, "ett Excel-dokument (XLSX)"
    if "ppt/presentation.xml" in names:
        return None, "en PowerPoint-presentation (PPTX)"
    if "content.xml" in names and "mimetype" in names:
        return None, "ett OpenDocument-dokument (ODT/ODS)"
    return None, "ett ZIP-arkiv"


def _read_pdf(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    if b"%%EOF" not in data[-2048:]:
        # pypdf can often recover a truncated file, but then pages are silently missing.
        raise UnreadableFile(
            "PDF-filen är avkortad (slutmarkeringen saknas); begär en ny kopia av filen."
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise UnreadableFile(
                        "PDF-filen är lösenordsskyddad; be kommunen skicka en version utan "
                        "lösenord."
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
            except (UnreadableFile, LimitReachedError, MemoryError):
                raise
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
    except (UnreadableFile, MemoryError):
        raise
    except LimitReachedError as exc:
        raise UnreadableFile(
            "PDF-filen är skadad eller packas upp till orimligt mycket data (en så kallad "
            f"dekomprimeringsbomb?) och läses inte ({_short(exc)}); begär en ny kopia av filen."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure on a damaged file
        raise UnreadableFile(f"PDF-filen är skadad och kan inte läsas ({_short(exc)}).") from exc


def _read_docx(data: bytes) -> list[str]:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise UnreadableFile("paketet python-docx saknas; installera om med ./run.sh.") from exc
    _check_docx_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
        text = "\n".join(_docx_blocks(document))
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many kinds
        raise UnreadableFile(f"DOCX-filen är skadad och kan inte läsas ({_short(exc)}).") from exc
    return _split_pseudo_pages(text)


def _check_docx_size(data: bytes) -> None:
    """Refuse a zip bomb before unpacking: zipfile never returns more than the declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # noqa: BLE001
        raise UnreadableFile(f"DOCX-filen är skadad och kan inte läsas ({_short(exc)}).") from exc
    total = sum(i.file_size for i in infos)
    xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    if total > MAX_DOCX_UNPACKED_BYTES or xml > MAX_DOCX_XML_BYTES:
        raise UnreadableFile(
            f"DOCX-filen packas upp till orimligt mycket data ({total / MB:.0f} MB, varav "
            f"{xml / MB:.0f} MB text/XML; en så kallad zip-bomb?) och läses inte. "
            "Be kommunen spara rapporten som PDF."
        )


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


def _decode_text(data: bytes) -> str | None:
    """Text in UTF-8, UTF-16 (with BOM) or Windows-1252; None for NUL-laden binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1|(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])")


def _plain_markdown(text: str) -> str:
    """Markdown markup as plain text: "## 2 Bakgrund" becomes the heading line "2 Bakgrund"
    after a blank line (so that chunking sees a section), "**fet**" and "*kursiv*" lose
    their stars. Quotes then stand on the text a reader sees."""
    out = []
    for line in text.splitlines():
        heading = _MD_HEADING.match(line)
        if heading:
            if out and out[-1].strip():
                out.append("")
            out.append(heading.group(1))
            continue
        out.append(_MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3), line))
    return "\n".join(out)


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


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text if len(text) < 120 else text[:117] + "..."
