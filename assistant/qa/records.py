"""Records of the answer side: citations and answers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citation:
    """A verbatim quote from one page of one report."""

    id: int  # the n of an [n] marker in the answer text
    municipality: str
    year: int
    source: str  # file name
    page: int  # 1-based
    quote: str  # verbatim text of that page (modulo whitespace and hyphenation)
    chunk_id: str = ""
    ocr: bool = False  # the page was read by OCR: check the quote against the original

    @classmethod
    def of(cls, n: int, chunk, quote: str) -> Citation:
        """Citation n of `quote`, a verbatim part of `chunk` (an ingest.records.Chunk)."""
        return cls(
            n, chunk.municipality, chunk.year, chunk.source, chunk.page, quote, chunk.id, chunk.ocr
        )

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "municipality": self.municipality,
            "year": self.year,
            "source": self.source,
            "page": self.page,
            "quote": self.quote,
            "ocr": self.ocr,
        }


@dataclass
class Draft:
    """A reader's answer before verification: text with [n] markers and the citations they
    refer to. A refusal ("Inget i rapporterna ...") has nothing to verify."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"  # "extractive" or "llm"
    refusal: bool = False


@dataclass
class Answer:
    text: str  # Swedish, with [n] markers referring to citations
    citations: list[Citation] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # claims that could not be verified
    mode: str = "extractive"  # "extractive" or "llm"
    notice: str = ""  # e.g. why the LLM was not used
    # When the reports do not answer: the passages that came closest, so the caseworker can
    # see what was searched ("Närmaste träffar (besvarar inte frågan)"). Not citations.
    nearest: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "unsupported": list(self.unsupported),
            "nearest": [c.to_json() for c in self.nearest],
        }
