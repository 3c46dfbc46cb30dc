"""The delrapport draft: items the caseworker collects (answers, quotes, survey findings),
in their order, exported as DOCX or Markdown with a Swedish källförteckning.

Each item keeps its own citations and `[n]` markers numbered locally; on export the sources
of all items are numbered once, in order of first use, and the markers rewritten. Quotes are
kept verbatim so that every source in the export can be found on its report page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date
from pathlib import Path

_MARKER_RE = re.compile(r"\[(\d+)\]")
KINDS = {"answer": "Svar", "citation": "Citat", "finding": "Kartläggning", "text": "Text"}
DEFAULT_AUTHOR = "Tillväxtverket"  # the DOCX author when nobody is logged in
DEFAULT_TITLE = "Utkast till delrapport"
TABLE_HEADER = [
    "Nr",
    "Rubrik",
    "Fråga",
    "Text",
    "Hänvisning",
    "Kommun",
    "År",
    "Källa",
    "Sida",
    "Citat",
    "Källförteckning",
]


class DraftError(ValueError):
    """An edit that cannot be saved as written; the message (Swedish) says what to do."""


@dataclass(frozen=True)
class Source:
    municipality: str
    year: int
    source: str  # file name
    page: int
    quote: str
    ocr: bool = False  # the page was read by OCR

    @classmethod
    def from_json(cls, data: dict) -> Source:
        return cls(
            data["municipality"],
            int(data["year"]),
            data["source"],
            int(data["page"]),
            data["quote"],
            bool(data.get("ocr", False)),
        )

    def reference(self) -> str:
        """'Hofors kommun, Återrapportering 2023, s. 4' (', textigenkänd sida' after OCR)."""
        ocr = ", textigenkänd sida (OCR)" if self.ocr else ""
        return (
            f"{organisation(self.municipality)}, Återrapportering {self.year}, s. {self.page}{ocr}"
        )


def organisation(municipality: str) -> str:
    """'Hofors' -> 'Hofors kommun', 'Filipstad' -> 'Filipstads kommun', 'Eda' -> 'Eda kommun'."""
    if municipality.endswith(("s", "x", "z")) or municipality[-1:].lower() in "aeiouyåäö":
        return f"{municipality} kommun"
    return f"{municipality}s kommun"


@dataclass
class DraftItem:
    id: int
    kind: str  # a key of KINDS
    title: str
    text: str  # with [n] markers into `sources` (1-based)
    sources: list[Source] = field(default_factory=list)
    question: str = ""  # the question or survey question it answers, if any


@dataclass
class Draft:
    items: list[DraftItem] = field(default_factory=list)
    next_id: int = 1

    # -- adding --------------------------------------------------------------------------
    def add(
        self, kind: str, title: str, text: str, sources: list[Source], question: str = ""
    ) -> DraftItem:
        item = DraftItem(self.next_id, kind, title, text.strip(), list(sources), question)
        self.next_id += 1
        self.items.append(item)
        return item

    def add_answer(self, question: str, text: str, citations: list[dict]) -> DraftItem:
        """An answer with its citations (as `Citation.to_json()`, ids matching the markers)."""
        by_id = {int(c["id"]): c for c in citations}
        sources, renumber = [], {}
        for n in _markers(text):
            if n in by_id and n not in renumber:
                sources.append(Source.from_json(by_id[n]))
                renumber[n] = len(sources)
        text = _MARKER_RE.sub(lambda m: _renumbered(m, renumber), text)
        return self.add("answer", question, text, sources, question)

    def add_citation(self, citation: dict) -> DraftItem:
        source = Source.from_json(citation)
        title = f"{source.municipality} {source.year}, s. {source.page}"
        return self.add("citation", title, f"”{source.quote}” [1]", [source])

    def add_finding(self, question: str, finding: dict, theme: str = "") -> DraftItem:
        """A survey row: {"municipality","year","finding","citations":[...]}, headed by
        municipality, year and theme ("Hofors 2023 – Fritidsbank"); the question is kept."""
        year = finding.get("year") or "–"
        title = f"{finding['municipality']} {year} – {theme or question_topic(question)}"
        citations = finding.get("citations") or []
        text = finding.get("finding", "")
        if not _markers(text) and citations:
            text += " " + "".join(f"[{c.get('id', i)}]" for i, c in enumerate(citations, 1))
        numbered = [dict(c, id=c.get("id", i)) for i, c in enumerate(citations, 1)]
        item = self.add_answer(question, text, numbered)
        item.kind, item.title = "finding", title
        return item

    # -- editing -------------------------------------------------------------------------
    def _index(self, item_id: int) -> int:
        for i, item in enumerate(self.items):
            if item.id == item_id:
                return i
        raise KeyError(item_id)

    def move(self, item_id: int, step: int) -> None:
        i = self._index(item_id)
        j = max(0, min(len(self.items) - 1, i + step))
        self.items.insert(j, self.items.pop(i))

    def remove(self, item_id: int) -> None:
        self.items.pop(self._index(item_id))

    def edit(self, item_id: int, text: str) -> None:
        self.items[self._index(item_id)].text = text.strip()

    def get(self, item_id: int) -> DraftItem:
        return self.items[self._index(item_id)]

    # -- one numbering in editor and preview ----------------------------------------------
    def display_text(self, item_id: int) -> str:
        """The item's text as the preview and the export number it (one numbering)."""
        for item, text in self.numbered()[0]:
            if item.id == item_id:
                return text
        raise KeyError(item_id)

    def edit_numbered(self, item_id: int, text: str) -> None:
        """Save text written with the draft's numbering (as shown in the editor). A number
        of another item's source adds that source to this item; an unknown number is refused
        (DraftError) and nothing changes."""
        _, sources = self.numbered()
        item = self.get(item_id)
        local: dict[int, int] = {}
        new_sources = list(item.sources)
        unknown = []
        for n in _markers(text):
            if n in local:
                continue
            if not 1 <= n <= len(sources):
                unknown.append(n)
                continue
            source = sources[n - 1]
            if source not in new_sources:
                new_sources.append(source)
            local[n] = new_sources.index(source) + 1
        if unknown:
            numbers = ", ".join(f"[{n}]" for n in dict.fromkeys(unknown))
            raise DraftError(
                f"Hänvisningen {numbers} finns inte i utkastet (det har {len(sources)} källor). "
                "Använd numren i förhandsvisningen, eller ta bort hänvisningen; texten är inte "
                "sparad."
            )
        used = set(local.values())
        keep = [s for i, s in enumerate(new_sources, 1) if i in used]
        renumber = {n: keep.index(new_sources[i - 1]) + 1 for n, i in local.items()}
        item.text = _MARKER_RE.sub(lambda m: _renumbered(m, renumber), text.strip())
        item.sources = keep

    # -- export --------------------------------------------------------------------------
    def numbered(self) -> tuple[list[tuple[DraftItem, str]], list[Source]]:
        """Items with markers rewritten to one numbering, and the sources in that order."""
        sources: list[Source] = []
        index: dict[Source, int] = {}
        out = []
        for item in self.items:
            mapping = {}
            for n in _markers(item.text):
                if 1 <= n <= len(item.sources):
                    source = item.sources[n - 1]
                    if source not in index:
                        sources.append(source)
                        index[source] = len(sources)
                    mapping[n] = index[source]
            out.append(
                (
                    item,
                    _MARKER_RE.sub(lambda m, mapping=mapping: _renumbered(m, mapping), item.text),
                )
            )
        return out, sources

    def to_markdown(
        self, title: str = DEFAULT_TITLE, author: str = "", day: date | None = None
    ) -> str:
        items, sources = self.numbered()
        byline = ", ".join(x for x in (author or DEFAULT_AUTHOR, _day(day)) if x)
        lines = [f"# {title}", "", f"*{byline}*", ""]
        for item, text in items:
            lines += [f"## {item.title}", "", text, ""]
        if sources:
            lines += ["## Källförteckning", ""]
            lines += [f"{n}. {_source_line(s)}" for n, s in enumerate(sources, 1)]
        return "\n".join(lines).rstrip() + "\n"

    def to_docx(
        self,
        path: str | Path,
        title: str = DEFAULT_TITLE,
        author: str = "",
        day: date | None = None,
    ) -> Path:
        """DOCX with title, author (the logged-in user, else the agency) and date, in the
        document and in its properties (python-docx's own defaults do not stay)."""
        from datetime import datetime, time

        from docx import Document
        from docx.shared import Pt

        items, sources = self.numbered()
        day = day or date.today()
        author = author or DEFAULT_AUTHOR
        doc = Document()
        props = doc.core_properties
        props.title, props.author, props.last_modified_by = title, author, author
        props.subject, props.keywords, props.comments, props.category = "", "", "", ""
        props.language = "sv-SE"
        props.revision = 1
        props.created = props.modified = datetime.combine(day, time(12), tzinfo=UTC)
        doc.add_heading(title, level=0)
        doc.add_paragraph(f"{author}, {_day(day)}")
        for item, text in items:
            doc.add_heading(item.title, level=2)
            for paragraph in text.split("\n"):
                _add_with_superscripts(doc.add_paragraph(), paragraph)
        if sources:
            doc.add_heading("Källförteckning", level=1)
            for n, source in enumerate(sources, 1):
                p = doc.add_paragraph()
                p.add_run(f"[{n}] ").bold = True
                p.add_run(_source_line(source)).font.size = Pt(10)
        path = Path(path)
        doc.save(path)
        return path

    def table(self) -> tuple[list[str], list[list]]:
        """(header, rows) for CSV/XLSX: one row per item and source it cites, with the
        question, the text (draft numbering) and the quote with its reference."""
        items, sources = self.numbered()
        index = {s: n for n, s in enumerate(sources, 1)}
        rows = []
        for nr, (item, text) in enumerate(items, 1):
            cited = (
                [s for s in dict.fromkeys(item.sources) if f"[{index[s]}]" in text]
                if item.sources
                else []
            )
            base = [nr, item.title, item.question, text]
            if not cited:
                rows.append(base + ["", "", "", "", "", "", ""])
            for s in cited:
                rows.append(
                    base
                    + [
                        f"[{index[s]}]",
                        s.municipality,
                        s.year,
                        s.source,
                        s.page,
                        s.quote,
                        s.reference(),
                    ]
                )
        return list(TABLE_HEADER), rows


_QUESTION_LEAD = re.compile(
    r"^(vilka|hur många|vilken|vilket|hur|vad|finns det)\s+(kommuner|av kommunerna)?\s*"
    r"(har|arbetar med|gör|jobbar med|erbjuder|satsar på|använder|redovisar)?\s*",
    re.I,
)


def question_topic(question: str) -> str:
    """A short heading from a survey question: "Vilka kommuner har en fritidsbank?" ->
    "Fritidsbank"."""
    text = _QUESTION_LEAD.sub("", question.strip()).rstrip(" ?.!")
    text = re.sub(r"^(en|ett)\s+", "", text, flags=re.I)
    if not text:
        return question.strip().rstrip("?") or "Kartläggning"
    return text[:1].upper() + text[1:]


def _day(day: date | None) -> str:
    return (day or date.today()).isoformat()


def _markers(text: str) -> list[int]:
    return [int(m) for m in _MARKER_RE.findall(text)]


def _renumbered(match: re.Match, mapping: dict[int, int]) -> str:
    n = int(match.group(1))
    return f"[{mapping[n]}]" if n in mapping else ""


def _source_line(source: Source) -> str:
    return f"{source.reference()} ({source.source}): ”{source.quote}”"


def _add_with_superscripts(paragraph, text: str) -> None:
    """Body text with the [n] markers kept (readable in any editor) and set in superscript."""
    pos = 0
    for match in _MARKER_RE.finditer(text):
        paragraph.add_run(text[pos : match.start()])
        paragraph.add_run(match.group(0)).font.superscript = True
        pos = match.end()
    paragraph.add_run(text[pos:])
