"""The text contract between the pipeline and the language model.

`format_passages` renders the numbered passages that go into prompts/answer.txt and
prompts/judge.txt; `parse_llm_answer` reads the model's reply back; `parse_judge` reads a
JA/NEJ verdict. The answer format the model is asked for (see prompts/answer.txt):

    Svarstext där varje mening slutar med markörer [1] eller [1][3].

    KÄLLOR:
    [1] "ordagrant citat ur passage 1"
    [3] "ordagrant citat ur passage 3"

The parsing is tolerant (extra whitespace, «» ”” „“ quotes, bullets, "Källor:" in any
case or bold, a quote continuing on the next line) because whatever it lets through is verified
afterwards by `assistant.qa.verify.verify_answer`, which is strict.
"""

from __future__ import annotations

import re

from assistant.qa.records import Citation
from assistant.qa.verify import normalize_for_match
from ingest.records import Chunk

# "KÄLLOR:", "**Källor**", "Källor :" alone on a line (NFKC/case-insensitive).
# A line starting "KÄLLOR:" (any case, markdown bold, also with sources after the colon)
# or a line that is only "Källor"; not a sentence that starts with the word "Källor".
_SOURCES_HEADER = re.compile(r"^[ \t#*_]*k[äa]llor[ \t*_]*(?::[ \t*_]*|$)", re.I | re.M)
# Several "[n] "quote"" on one line are split before each "[n]" that opens a quote.
_INLINE_SOURCE = re.compile(r"\s+(?=\[\s*\d+\s*\]\s*[:.\-–]?\s*[\"'«»“”„‘])")
_SOURCE_LINE = re.compile(r"^\s*(?:[-*•]\s*)?\[\s*(\d+)\s*\]\s*[:.\-–]?\s*(.*)$")
_ANSWER_LABEL = re.compile(r"^\s*\**svar\**\s*:\s*", re.I)
_OPEN_QUOTES = "\"'«»“”„‘’‚"


def format_passages(chunks: list[Chunk]) -> str:
    """Number the passages 1..n for a prompt, with where each one comes from.

    The text is normalized like the verifier does (hyphenation joined, whitespace
    collapsed) so that a quote the model copies from here matches the page.
    """
    blocks = []
    for n, chunk in enumerate(chunks, start=1):
        where = f"{chunk.municipality} {chunk.year}, {chunk.source}, s. {chunk.page}"
        blocks.append(f"[{n}] ({where})\n{normalize_for_match(chunk.text)}")
    return "\n\n".join(blocks)


def _clean_quote(text: str) -> str:
    text = text.strip()
    # Strip one layer of surrounding quote marks, whatever their kind.
    if text[:1] in _OPEN_QUOTES:
        text = text[1:]
    if text[-1:] in _OPEN_QUOTES:
        text = text[:-1]
    return text.strip()


def _parse_sources(block: str) -> list[tuple[int, str]]:
    """Lines "[n] "quote"" -> (n, quote); unnumbered lines continue the previous quote."""
    found: list[tuple[int, str]] = []
    lines = [part for line in block.splitlines() for part in _INLINE_SOURCE.split(line)]
    for line in lines:
        match = _SOURCE_LINE.match(line)
        if match:
            found.append((int(match.group(1)), match.group(2)))
        elif line.strip() and found:
            n, quote = found[-1]
            found[-1] = (n, f"{quote} {line.strip()}")
    return [(n, _clean_quote(q)) for n, q in found if _clean_quote(q)]


def parse_llm_answer(raw: str, passages: list[Chunk]) -> tuple[str, list[Citation]]:
    """Split a model reply into answer text and citations.

    Citation n refers to passages[n - 1] and gets that chunk's municipality, year, source,
    page and id. Numbers outside 1..len(passages) are dropped (their markers then have no
    citation and the verifier removes the sentence). No KÄLLOR section -> no citations.
    """
    header = _SOURCES_HEADER.search(raw)
    text, sources = (raw[: header.start()], raw[header.end() :]) if header else (raw, "")
    text = _ANSWER_LABEL.sub("", text.strip(), count=1).strip()
    citations = []
    for n, quote in _parse_sources(sources):
        if not 1 <= n <= len(passages):
            continue
        chunk = passages[n - 1]
        citations.append(
            Citation(
                id=n,
                municipality=chunk.municipality,
                year=chunk.year,
                source=chunk.source,
                page=chunk.page,
                quote=quote,
                chunk_id=chunk.id,
                ocr=chunk.ocr,
            )
        )
    return text, citations


def parse_judge(raw: str) -> tuple[bool | None, str]:
    """Read "JA: <mening>" / "NEJ: <mening>" -> (True/False, finding); (None, raw) if unclear."""
    match = re.match(r"^\W*(JA|NEJ)\b\W*(.*)$", raw.strip(), re.I | re.S)
    if not match:
        return None, raw.strip()
    return match.group(1).upper() == "JA", " ".join(match.group(2).split())
