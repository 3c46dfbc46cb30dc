"""Split cleaned pages into chunks that follow sections and paragraphs.

A chunk never spans two pages, so its text is always a slice of one page's stored text and
a citation can point at exactly one page. The section heading is carried across pages.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.records import Chunk, Document
from rapport_settings import IngestSettings

_NUMBERED_HEADING_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
# "Insats 2: Feriearbete för ungdomar", "Bilaga 1 – Ekonomi": a label with a number or letter
_LABEL = r"^[A-ZÅÄÖ][^\W\d_]+ (?:\d{1,2}|[A-Z])\s*[:.–-]"
_LABELLED_HEADING_RE = re.compile(_LABEL + r"\s+(?=[A-ZÅÄÖ])")
# "Insatsområde 3:" alone on its line: the heading's name follows on the next
_LABEL_ONLY_RE = re.compile(_LABEL + "$")
_HEADING_NUMBER_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ0-9•\"«])")


def is_heading(
    line: str,
    previous: str,
    previous_is_heading: bool = False,
    following: str = "",
    width: int = 0,
) -> bool:
    """A short title-like line that starts a new section.

    Table cells and list items are short too, so a heading must start with a capital, a
    section number or a numbered label ("Insats 2: "), carry no digits besides that number,
    end without punctuation, and follow a finished sentence, a blank line or another
    heading ("3 Insatser" / "Fritidsbanken").

    `width`: the text column's width around the line in characters (0: unknown, see
    local_width). A line about as long as its column is prose that wrapped ("Under året har
    familjecentralen Kompassen i" / "Ljusdal, i samverkan ..."), in narrow columns too,
    unless it starts with a number or label. A line whose `following` line goes on in lower
    case is the start of a wrapped sentence ("Avstånden inom kommunen är stora och" /
    "kollektivtrafiken är gles."), unless the following line's first word would have fitted
    on it (prose only breaks where a word does not fit) and the following line could end a
    heading (and, unless the line starts with a number or label, is not full itself): a
    heading set in a larger type that wraps
    ("Insatsområde 2: Närvaroteam" / "för ökad skolnärvaro", see heading_goes_on).
    """
    line = line.strip()
    numbered = bool(_NUMBERED_HEADING_RE.match(line) or _LABELLED_HEADING_RE.match(line))
    if fills_column(line, width) and not numbered:
        return False
    if following.strip()[:1].islower() and not (
        width
        and not fills(line, following, width)
        and heading_goes_on(following)
        and (numbered or not fills_column(following, width))
    ):
        return False
    if not line or len(line) > 70 or len(line.split()) > 9 or line.startswith("•"):
        return False
    if line[-1] in ".,:;!?|" or "|" in line:
        return False
    body = heading_name(line)
    if not body[:1].isupper() or re.search(r"\d", body):
        return False
    return numbered or previous_is_heading or _after_sentence(previous)


# A line at least this share of its column's width filled the column (characters are not
# all equally wide, so a full line may leave a little room)
FULL_SHARE = 0.85


def fills_column(line: str, width: int) -> bool:
    """`line` is about as long as its column (`width` characters; 0: unknown, never)."""
    return bool(width) and len(line.strip()) >= FULL_SHARE * width


def fills(line: str, following: str, width: int) -> bool:
    """The next line's first word would not have fitted on `line` within its column."""
    words = following.split()
    return bool(words) and len(line.strip()) + 1 + len(words[0]) > width


def heading_goes_on(following: str) -> bool:
    """`following` can be the rest of a heading that wrapped: a short line (six words at
    most) without punctuation at its end ("för ökad skolnärvaro")."""
    rest = following.strip()
    return bool(rest) and len(rest.split()) <= 6 and rest[-1] not in ".,:;!?|"


def label_only(line: str, previous: str) -> bool:
    """A numbered label alone on its line after a finished sentence ("Insatsområde 3:"):
    a heading whose name is on the next line."""
    return bool(_LABEL_ONLY_RE.match(line.strip())) and _after_sentence(previous)


def _after_sentence(previous: str) -> bool:
    """The previous line ended a sentence (or there is none): a heading may start here."""
    prev = previous.strip()
    return not prev or prev[-1] in ".!?:»"


def local_width(lines: list[str], n: int, reach: int = 5) -> int:
    """The width of the text column around line `n` in characters: the median length of the
    lines of three words or more among the `reach` lines before and after it (most lines
    of prose are full, and a text layer that glues lines together makes a few far longer;
    columns differ in width, so the page as a whole does not tell); 0 with fewer than three
    such lines, when it cannot be told."""
    near = lines[max(0, n - reach) : n] + lines[n + 1 : n + 1 + reach]
    lengths = sorted(len(x.strip()) for x in near if len(x.split()) >= 3)
    return lengths[(len(lengths) - 1) // 2] if len(lengths) >= 3 else 0


def heading_name(line: str) -> str:
    """A heading without its section number or numbered label: "Feriearbete för ungdomar"
    of "3.2 Feriearbete för ungdomar" and of "Insats 2: Feriearbete för ungdomar"."""
    return _LABELLED_HEADING_RE.sub("", _HEADING_NUMBER_RE.sub("", line.strip(), count=1))


@dataclass
class _Span:
    start: int
    end: int
    section: str


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _section_spans(text: str, section: str) -> tuple[list[_Span], str]:
    """Cut a page at its headings; returns spans and the section open at the page end. A
    heading that wraps ("Insatsområde 4: Platsutveckling" / "och medborgardialog i Los
    och" / "Hennan") is named by all its lines."""
    lines = text.split("\n")
    spans: list[_Span] = []
    current = _Span(0, 0, section)
    previous, previous_is_heading, goes_on = "", False, False
    for n, (line, (start, end)) in enumerate(zip(lines, _line_spans(text))):
        following = lines[n + 1] if n + 1 < len(lines) else ""
        if goes_on:  # the rest of a heading that wrapped: part of its name
            current.section = f"{current.section} {line.strip()}"
            current.end, previous, previous_is_heading = end, line, False
            goes_on = heading_goes_on(following) and len(following.split()) <= 3
            continue
        width = local_width(lines, n)
        labelled = label_only(line, previous)
        heading = labelled or is_heading(line, previous, previous_is_heading, following, width)
        if heading and start > current.start and not previous_is_heading:
            current.end = start
            spans.append(current)
            current = _Span(start, end, line.strip())
        elif heading:
            current.section = line.strip()
        current.end = end
        goes_on = heading and (following.strip()[:1].islower() or labelled)
        previous, previous_is_heading = line, heading
    spans.append(current)
    return [s for s in spans if text[s.start : s.end].strip()], current.section


def _split_long(text: str, span: _Span, max_chars: int) -> list[_Span]:
    """Split a span longer than `max_chars` at paragraph, line or sentence boundaries."""
    if span.end - span.start <= max_chars:
        return [span]
    cuts = sorted(
        {span.start + m.end() for m in re.finditer(r"\n", text[span.start : span.end])}
        | {span.start + m.start() for m in _SENTENCE_END_RE.finditer(text[span.start : span.end])}
    )
    pieces, start, last_cut = [], span.start, span.start
    for cut in cuts + [span.end]:
        if cut - start > max_chars and last_cut > start:
            pieces.append(_Span(start, last_cut, span.section))
            start = last_cut
        last_cut = cut
    pieces.append(_Span(start, span.end, span.section))
    out = []
    for p in pieces:  # a single line longer than max_chars: cut at spaces
        while p.end - p.start > max_chars * 1.5:
            cut = text.rfind(" ", p.start, p.start + max_chars)
            cut = cut if cut > p.start else p.start + max_chars
            out.append(_Span(p.start, cut, p.section))
            p = _Span(cut, p.end, p.section)
        out.append(p)
    return out


def _merge_small(spans: list[_Span], max_chars: int, min_chars: int) -> list[_Span]:
    """Merge a short span (a heading and a line) into its neighbour on the same page."""
    out: list[_Span] = []
    for span in spans:
        if out and (
            (out[-1].end - out[-1].start < min_chars or span.end - span.start < min_chars // 2)
            and span.end - out[-1].start <= max_chars
        ):
            section = out[-1].section if out[-1].end - out[-1].start >= min_chars else span.section
            out[-1] = _Span(out[-1].start, span.end, section)
        else:
            out.append(span)
    return out


def chunk_document(doc: Document, settings: IngestSettings | None = None) -> list[Chunk]:
    """`settings`: the chunk sizes (`ingest.chunk_chars`, `ingest.min_chunk_chars`; default:
    their defaults)."""
    limits = settings if settings is not None else IngestSettings()
    max_chars, min_chars = limits.chunk_chars, limits.min_chunk_chars
    chunks: list[Chunk] = []
    section = ""
    for page in doc.pages:
        if not page.text.strip():
            continue
        spans, section_after = _section_spans(page.text, section)
        pieces = [p for span in spans for p in _split_long(page.text, span, max_chars)]
        for i, span in enumerate(_merge_small(pieces, max_chars, min_chars)):
            text = page.text[span.start : span.end].strip()
            if not text:
                continue
            chunks.append(
                Chunk(
                    id=f"{doc.file_hash[:20]}:{page.number}:{i}",
                    text=text,
                    municipality=doc.municipality or "",
                    year=doc.year or 0,
                    source=doc.source,
                    path=doc.path,
                    page=page.number,
                    section=span.section,
                    file_hash=doc.file_hash,
                    content_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
                    ocr=page.ocr,
                )
            )
        section = section_after
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: the chunk with its report and section as context.

    Questions name municipalities and topics that the passage itself often leaves implicit
    ("Kommunen har ..."), so the context line is embedded (and indexed) with it.
    """
    head = " – ".join(x for x in (f"{chunk.municipality} {chunk.year}", chunk.section) if x)
    return f"{head}\n{chunk.text}"
