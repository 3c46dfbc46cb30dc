"""The typed records that flow from ingestion through the store to the assistant."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """One page of a report after clean-up; `text` is what users see and citations quote."""

    number: int  # 1-based
    text: str
    has_text_layer: bool = True
    ocr: bool = False  # the text was recognised from an image (Tesseract), not read


@dataclass
class Document:
    """A read and cleaned report file, before chunking."""

    path: str
    source: str  # file name shown to users
    file_hash: str  # sha256 of the file's bytes
    pages: list[Page]
    municipality: str | None = None
    year: int | None = None
    warnings: list[str] = field(default_factory=list)
    personal_data: dict[str, int] = field(default_factory=dict)  # kind -> count masked


@dataclass(frozen=True)
class Chunk:
    """A piece of one page's text with everything needed to cite it."""

    id: str
    text: str  # verbatim substring of the page's stored text
    municipality: str
    year: int
    source: str
    path: str
    page: int  # 1-based
    section: str
    file_hash: str
    content_hash: str
    ocr: bool = False  # its page was read by OCR: quotes may differ from the printed text

    def metadata(self) -> dict:
        return {
            "ocr": self.ocr,
            "municipality": self.municipality,
            "year": self.year,
            "source": self.source,
            "path": self.path,
            "page": self.page,
            "section": self.section,
            "file_hash": self.file_hash,
            "content_hash": self.content_hash,
        }

    @classmethod
    def from_metadata(cls, id: str, text: str, meta: dict) -> Chunk:
        return cls(
            id=id,
            text=text,
            municipality=meta["municipality"],
            year=int(meta["year"]),
            source=meta["source"],
            path=meta["path"],
            page=int(meta["page"]),
            section=meta.get("section", ""),
            file_hash=meta["file_hash"],
            content_hash=meta["content_hash"],
            ocr=bool(meta.get("ocr", False)),
        )
