"""Ingest files into the store: read, clean, recognise, chunk, embed, write.

Incremental by content hash: unchanged files are skipped, a copy under another name is
skipped and reported, a changed file replaces its old version completely. One bad file never
stops the batch: it is rejected with a reason and the rest go on.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest import readers
from ingest.chunking import chunk_document, embedding_text
from ingest.clean import clean_pages
from ingest.errors import IngestError, UnreadableFile
from ingest.layout import may_hold_budget_table, tables_of_pages
from ingest.metadata import (
    Municipality,
    all_municipalities,
    canonical_name,
    load_municipalities,
    recognise_municipality,
    recognise_year,
)
from ingest.ocr import OcrError, inspect_pages, ocr_unavailable_reason
from ingest.pii import mask
from ingest.readers import SUPPORTED_SUFFIXES
from ingest.records import Chunk, Document, Page
from ingest.sandbox import read_pages_isolated, run_isolated
from ingest.tables import rebuild_table_rows
from rapport_settings import Settings, get_settings

# Fewer characters than this on a page means no usable text layer: the page goes to OCR. A
# shorter text layer still counts when OCR finds nothing more on the page and the text is
# inside the page ("Hello, World!", form labels): see _recognise_blank_pages.
MIN_PAGE_TEXT = 20
OCR_SECONDS_PER_PAGE = 60  # added to the per-file time limit for each page to recognise


def masks_personal_data(settings: Settings | None = None) -> bool:
    """Personal data is masked before anything is stored unless the setting
    `personal_data.mode` is "keep" (RAPPORTASSISTENT_PII=keep)."""
    return (settings or get_settings()).personal_data.mode == "mask"


def _file_limits() -> tuple[float, int]:
    """(seconds, megabytes) that reading one file may take: settings `ingest.*`."""
    limits = get_settings().ingest
    return limits.file_timeout, limits.file_memory_mb


@dataclass
class IngestReport:
    ingested: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    chunks: int = 0  # total in the store after the run
    removed_incomplete: int = 0

    def to_json(self) -> dict:
        return asdict(self)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files given, and supported files under folders given (recursively), sorted."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and _looks_supported(p)))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def unsupported_in_folders(paths: Iterable[str | Path]) -> list[Path]:
    """Files under folders given that ingestion passes over ("desktop.ini", "bilaga.xlsx"),
    so that the caseworker sees them listed rather than silently dropped."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and not _looks_supported(p) and not p.name.startswith(".")
                )
            )
    return out


def _looks_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")


def file_hash(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True)
class Override:
    """What the caseworker says about a file (municipality, year), and the grant's list of
    municipalities that a recognised one is checked against."""

    municipality: str | None = None
    year: int | None = None
    grant: frozenset[str] = frozenset()


def load_document(
    path: Path,
    municipalities: list[Municipality],
    digest: str | None = None,
    override: Override = Override(),
) -> Document:
    """Read and clean one file; raises UnreadableFile with the reason."""
    if not path.exists():
        raise UnreadableFile("filen finns inte; kontrollera sökvägen.")
    raw = read_pages_isolated(path)  # a child process: bounded in time and memory
    short = [i + 1 for i, text in enumerate(raw) if len(text.strip()) < MIN_PAGE_TEXT]
    recognised, confirmed, ocr_note = _recognise_blank_pages(path, raw, short)
    tables = _layout_tables(path, raw, recognised)
    cleaned, found = _clean_and_mask(raw, tables=tables)
    text_pages = _text_pages(cleaned, confirmed)
    if not text_pages and not ocr_note:
        # All text went as running headers and page numbers: one line repeated on every page.
        # It may be the content (the same short text on each page) or a stamp on scanned
        # pages; OCR of those pages tells which, as for a short text layer.
        rest = [i + 1 for i, t in enumerate(raw) if t.strip() and i + 1 not in short]
        more, more_confirmed, ocr_note = _recognise_blank_pages(path, raw, rest)
        recognised, confirmed = recognised | more, confirmed | more_confirmed
        cleaned, found = _clean_and_mask(raw, tables=tables)
        text_pages = _text_pages(cleaned, confirmed)
        if not text_pages:
            cleaned, found = _clean_and_mask(raw, strip_furniture=False, tables=tables)
            text_pages = _text_pages(cleaned, confirmed, by_length=recognised)
    pages = [
        Page(number=i + 1, text=t, has_text_layer=i + 1 in text_pages, ocr=i + 1 in recognised)
        for i, t in enumerate(cleaned)
    ]
    if not text_pages:
        raise UnreadableFile(
            "ingen sida har text (en skannad bild?) och "
            + (f"{ocr_note} " if ocr_note else "textigenkänningen (OCR) hittade ingen text. ")
            + "Be om en textbaserad PDF."
        )
    all_raw = "\n".join(raw)
    doc = Document(
        path=str(path.resolve()),
        source=path.name,
        file_hash=digest or file_hash(path),
        pages=pages,
        municipality=recognise_municipality(path.name, all_raw, municipalities),
        year=recognise_year(path.name, all_raw),
        personal_data=dict(found),
    )
    if override.municipality:
        doc.municipality = override.municipality
    if override.year:
        doc.year = override.year
    unknown = [
        what
        for what, value in (("kommunen", doc.municipality), ("rapportåret", doc.year))
        if not value
    ]
    if unknown:
        raise UnreadableFile(
            f"{' och '.join(unknown)} kunde inte kännas igen i filnamnet eller texten. Läs in "
            "filen ensam och ange dem: rapportassistent ingest FIL --municipality NAMN --year ÅR "
            "(eller välj kommun och år vid uppladdningen i webbappen)."
        )
    if override.grant and doc.municipality not in override.grant:
        doc.warnings.append(
            f"{doc.municipality} finns inte i bidragets kommunlista (config/kommuner.txt); "
            "rapporten är inläst och sökbar. Kontrollera kommunen om det är fel."
        )
    if recognised:
        doc.warnings.append(
            "sidor utan textlager lästes med textigenkänning (OCR); kontrollera citat från dem "
            "mot originalet: s. " + ", ".join(map(str, sorted(recognised)))
        )
    pictured = sorted(n for n, found in tables.items() if any(t.from_image for t in found))
    if pictured:
        doc.warnings.append(
            "tabeller som var inklistrade som bild lästes med textigenkänning (OCR); "
            "kontrollera beloppen mot originalet: s. " + ", ".join(map(str, pictured))
        )
    scanned = [p.number for p in pages if not p.has_text_layer]
    if scanned:
        doc.warnings.append(
            "sidor utan text (skannade?) kan inte sökas: s. "
            + ", ".join(map(str, scanned))
            + (f" ({ocr_note})" if ocr_note else "")
        )
    return doc


def _clean_and_mask(
    raw: list[str], strip_furniture: bool = True, tables: dict | None = None
) -> tuple[list[str], Counter]:
    """The page texts to store (cleaned, tables rebuilt, personal data masked if set) and
    the counts of what was masked. `tables`: page number -> tables found from the layout."""
    tables = tables or {}
    cleaned = [
        rebuild_table_rows(t, tables.get(i + 1))
        for i, t in enumerate(clean_pages(raw, strip_furniture))
    ]
    found: Counter = Counter()
    if masks_personal_data():
        masked = [mask(t) for t in cleaned]
        cleaned = [text for text, _ in masked]
        for _, counts in masked:
            found.update(counts)
    return cleaned, found


def _layout_tables(path: Path, raw: list[str], recognised: set[int]) -> dict:
    """Budget tables of a PDF's pages that name money columns, read from where the words
    stand (ingest/layout.py), in a bounded child. Tables only improve the text: when they
    cannot be read the page keeps its text as it is."""
    pages = [i + 1 for i, text in enumerate(raw) if may_hold_budget_table(text)]
    with path.open("rb") as handle:
        is_pdf = readers.detect_type(handle.read(1024)) == "pdf"
    if not pages or not is_pdf:
        return {}
    ocr = [n for n in pages if n in recognised]
    seconds, megabytes = _file_limits()
    try:
        return run_isolated(
            tables_of_pages,
            path,
            pages,
            ocr,
            memory_mb=megabytes,
            timeout=seconds + OCR_SECONDS_PER_PAGE * len(pages),
        )
    except IngestError:
        return {}


def _text_pages(
    cleaned: list[str], confirmed: set[int], by_length: set[int] | None = None
) -> set[int]:
    """Pages with usable text: MIN_PAGE_TEXT characters (only the pages in `by_length`, if
    given), or a shorter text that OCR confirmed as all the page has."""
    return {
        i + 1
        for i, t in enumerate(cleaned)
        if (len(t.strip()) >= MIN_PAGE_TEXT and (by_length is None or i + 1 in by_length))
        or (i + 1 in confirmed and t.strip())
    }


def _recognise_blank_pages(
    path: Path, raw: list[str], pages: list[int]
) -> tuple[set[int], set[int], str]:
    """OCR the given pages of a PDF, in place in `raw`. Returns the page numbers whose text
    now comes from OCR, the page numbers whose own text layer is confirmed (OCR found less
    than MIN_PAGE_TEXT characters there and pdfium sees the text layer inside the page) and,
    if OCR could not run, why (Swedish)."""
    with path.open("rb") as handle:
        is_pdf = readers.detect_type(handle.read(1024)) == "pdf"
    if not pages or not is_pdf:
        return set(), set(), ""
    reason = ocr_unavailable_reason()
    if reason:
        return set(), set(), reason
    seconds, megabytes = _file_limits()
    try:  # rendering runs pdfium (C) on an untrusted file: in a child process, bounded
        found, visible = run_isolated(
            inspect_pages,
            path,
            pages,
            timeout=seconds + OCR_SECONDS_PER_PAGE * len(pages),
            memory_mb=megabytes,
        )
    except OcrError as exc:
        return set(), set(), exc.reason
    except UnreadableFile as exc:  # timeout, memory or a crash of the renderer
        return set(), set(), f"textigenkänningen (OCR) avbröts: {exc.reason}"
    recognised = {n for n, text in found.items() if len(text.strip()) >= MIN_PAGE_TEXT}
    for n in recognised:
        raw[n - 1] = found[n]
    confirmed = {n for n in found if n not in recognised and n in visible and raw[n - 1].strip()}
    return recognised, confirmed, ""


@dataclass
class _Planned:
    doc: Document
    chunks: list[Chunk]
    replaces: list[str]  # file hashes of older versions of the same path


def ingest_paths(
    paths: Iterable[str | Path],
    store,
    municipalities: list[Municipality] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    municipality: str | None = None,
    year: int | None = None,
) -> IngestReport:
    """Ingest files and folders into `store`; `progress(stage, done, total)` if given.

    `municipalities`: the grant's list (default config/kommuner.txt); reports are recognised
    against all of Sweden's municipalities, and one outside this list is flagged.
    `municipality`, `year`: what the caseworker says about a single file (wins over what is
    recognised). Raises ValueError (in Swedish) for an override that cannot apply."""
    grant = load_municipalities() if municipalities is None else municipalities
    known = all_municipalities(grant)
    override = _override(paths, known, grant, municipality, year)
    municipalities = known
    masks_personal_data()  # a wrong setting stops the batch before any file is read
    report = IngestReport(removed_incomplete=store.collect_garbage())
    records = store.report_records()
    by_hash = {r.file_hash: r for r in records}
    by_path: dict[str, list[str]] = {}
    for r in records:
        by_path.setdefault(r.path, []).append(r.file_hash)

    files = expand_paths(paths)
    kinds = ", ".join(sorted(s.lstrip(".").upper() for s in SUPPORTED_SUFFIXES))
    for path in unsupported_in_folders(paths):
        report.skipped.append({"path": str(path), "reason": f"inte en rapportfil (läser {kinds})."})
    planned: list[_Planned] = []
    seen: dict[str, str] = {}
    for n, path in enumerate(files, 1):
        if progress:
            progress("läser", n, len(files))
        _plan_file(path, municipalities, by_hash, by_path, seen, planned, report, override)

    total = sum(len(p.chunks) for p in planned)
    done = 0
    for item in planned:

        def tick(k: int, base=done) -> None:
            if progress:
                progress("bäddar in", min(base + k, total), total)

        counter = _Counter(tick)
        vectors = store.embedder.embed_documents(
            [embedding_text(c) for c in item.chunks], progress=counter
        )
        done += len(item.chunks)
        store.add_document(item.doc, item.chunks, vectors)
        for old in item.replaces:
            store.delete_report(old)
        report.ingested.append(
            {
                "path": item.doc.path,
                "municipality": item.doc.municipality,
                "year": item.doc.year,
                "pages": len(item.doc.pages),
                "chunks": len(item.chunks),
                "personal_data": item.doc.personal_data,
            }
        )
        report.warnings.extend({"path": item.doc.path, "warning": w} for w in item.doc.warnings)
    if progress:
        progress("ordindex", 0, 1)
    store.lexical()  # brings the lexical index in step with the batch, in one go
    if progress:
        progress("ordindex", 1, 1)
    report.chunks = store.count()
    return report


def _override(paths, known, grant, municipality, year) -> Override:
    if (municipality or year) and len(expand_paths(paths)) != 1:
        raise ValueError("--municipality och --year gäller en fil i taget; ange en enda fil.")
    name = None
    if municipality:
        name = canonical_name(municipality, known)
        if name is None:
            raise ValueError(
                f"{municipality!r} är ingen svensk kommun; skriv kommunens namn, t.ex. 'Hofors'."
            )
    if year is not None and not 2000 <= year <= 2100:
        raise ValueError(f"{year} är inget rimligt rapportår; ange året med fyra siffror.")
    return Override(name, year, frozenset(m.name for m in grant))


class _Counter:
    def __init__(self, tick: Callable[[int], None]) -> None:
        self.n, self.tick = 0, tick

    def __call__(self, k: int) -> None:
        self.n += k
        self.tick(self.n)


def _plan_file(path, municipalities, by_hash, by_path, seen, planned, report, override) -> None:
    shown = str(path)
    try:
        readers.check_size(path.stat().st_size)  # before hashing reads the whole file
        digest = file_hash(path)
    except UnreadableFile as exc:
        report.rejected.append({"path": shown, "reason": exc.reason})
        return
    except OSError as exc:
        report.rejected.append({"path": shown, "reason": f"filen kan inte läsas ({exc})."})
        return
    known = by_hash.get(digest)
    resolved = str(path.resolve())
    if known is not None:
        reason = (
            "oförändrad sedan förra inläsningen"
            if known.path == resolved
            else f"kopia av {known.source} (samma innehåll), hoppas över"
        )
        report.skipped.append({"path": shown, "reason": reason})
        return
    if digest in seen:
        report.skipped.append(
            {
                "path": shown,
                "reason": f"kopia av {Path(seen[digest]).name} (samma innehåll), hoppas över",
            }
        )
        return
    try:
        doc = load_document(path, municipalities, digest, override)
    except UnreadableFile as exc:
        report.rejected.append({"path": shown, "reason": exc.reason})
        return
    except Exception as exc:  # noqa: BLE001 - an unforeseen failure rejects one file only
        report.rejected.append(
            {"path": shown, "reason": f"oväntat fel vid läsning ({type(exc).__name__}: {exc})."}
        )
        return
    seen[digest] = shown
    chunks = chunk_document(doc, get_settings().ingest)
    planned.append(_Planned(doc, chunks, [h for h in by_path.get(resolved, []) if h != digest]))
