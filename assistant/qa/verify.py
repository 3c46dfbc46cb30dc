"""Verification of citations and numbers in an answer (pure functions, no I/O).

A wrong citation in a report to the government is worse than no answer, so everything the
answer claims is checked against the stored page texts and whatever cannot be checked is
removed. The rules:

Quotes (`quote_on_page`)
  * Quote and page are compared after `normalize_for_match`: Unicode NFKC; words split by a
    hyphen at a line break are joined ("kompetens-\\nförsörjning" -> "kompetensförsörjning")
    and soft hyphens (U+00AD) removed; typographic quotes become '"' or "'", dashes become
    "-"; all whitespace runs become one space. Case and every other character are kept: the
    quote must be verbatim.
  * A page is also tried with such hyphens kept ("EU-\\nprojekt" -> "EU-projekt"), because
    a line-break hyphen may be a real one.
  * Quote marks around the quote and punctuation at its ends are ignored.
  * An ellipsis ("…", "...", "[...]", "(...)") splits the quote into parts that must all be
    on the page, in that order, without overlapping.
  * A quote must be meaningful: at least 12 characters and 3 words in total (ellipses
    aside), and each part at least 2 words. Shorter quotes prove nothing and are rejected.

Numbers (`numbers_in`)
  * Swedish notation: space (also no-break space) or dot as thousands separator
    ("1 200 000", "1.200.000"), decimal comma or point ("12,5", "1.2").
  * Scale words multiply: "tkr"/"tusen" x 1 000, "mnkr"/"mkr"/"mn"/"milj."/"miljon(er)"
    x 1 000 000, "mdkr"/"mdr"/"miljard(er)" x 1 000 000 000. So "1,2 mnkr" and
    "1 200 000 kr" both give "1200000"; "412 tkr" gives "412000".
  * "%" and "procent" do not change the value: "45 %" gives "45".
  * Canonical form: the decimal value without trailing zeros, as a string ("12.5", "2023").
  * Bare integers 0-10 without a unit are ignored: they are mostly list numbers, counts
    written casually or parts of dates, and checking them would reject good answers. With a
    unit ("5 %", "3 mnkr") they are checked. Numbers written as words ("tre") are not.
  * Page texts are searched with `include_unscaled=True`, which adds the bare value of a
    scaled number too ("1,2 mnkr" also gives "1.2"); an answer's number is checked in its
    scaled form only.

Answers (`verify_answer`)
  * The text is split into sentences (per line, then at Swedish sentence ends; not after
    abbreviations like "t.ex.", "bl.a.", "s.k.", "ca." nor inside numbers like "1.2").
    Markers are "[1]", "[1][3]", "[1, 3]" or "[1-3]", anywhere in the sentence; markers
    written right after the full stop ("... personer. [1]") belong to that sentence.
  * A citation is valid iff its chunk_id is a retrieved passage, its source, page,
    municipality and year are that chunk's, and its quote is on that page
    (`page_texts[(source, page)]`; the chunk's own text if that is missing or empty).
  * Markers without a valid citation are removed. A sentence left without any valid marker
    goes to `unsupported`; so does a sentence with a number (see above) that is on none of
    its cited pages (the cited chunks' report years count as present).
  * Markers of the remaining sentences are renumbered 1..n in order of first appearance;
    each n gets the first valid citation of its old number.
  * Lines with no words (e.g. "---") and short markerless headings ("## Gävle",
    "**Resultat**", "Gävle kommun:") are no claims: they are dropped without a note.
  * If nothing remains the text is `NO_EVIDENCE_TEXT`. A model answer that is exactly
    `NO_ANSWER_TEXT` is kept as is.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from assistant.qa.records import Answer, Citation
from ingest.records import Chunk

NO_ANSWER_TEXT = "Inget i rapporterna besvarar frågan."
NO_EVIDENCE_TEXT = (
    "Inget i rapporterna kunde verifieras som stöd för ett svar på frågan. "
    "Påståenden utan belägg har tagits bort."
)

MIN_QUOTE_CHARS = 12
MIN_QUOTE_WORDS = 3
MIN_PART_WORDS = 2
# An answer's quote needs this many letters and digits to be checked by a reader: "Utfall 57
# (114 %)." matches many places. (An economy row is checked with its amounts; see economy.py.)
MIN_CITED_ALNUM = 12

# --------------------------------------------------------------------------- normalizing

_QUOTE_CHARS = {c: '"' for c in "“”„‟«»″〝〞＂"}
_QUOTE_CHARS |= {c: "'" for c in "‘’‚‛‹›′`´"}
_DASH_CHARS = {c: "-" for c in "‐‑‒–—―−﹘﹣－"}
_CHAR_MAP = str.maketrans(_QUOTE_CHARS | _DASH_CHARS)

_HYPHEN_BREAK = re.compile(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)")
_SOFT_HYPHEN = re.compile(r"\u00ad[ \t]*(?:\r?\n\s*)?")
_WHITESPACE = re.compile(r"\s+")


def normalize_for_match(text: str, *, keep_break_hyphens: bool = False) -> str:
    """Normalize for verbatim comparison; see the module docstring. Case is preserved."""
    # A soft hyphen marks a possible word break: join across it, even over a line break.
    text = _SOFT_HYPHEN.sub("", unicodedata.normalize("NFKC", text))
    text = text.translate(_CHAR_MAP)
    # Runs after the dash mapping so "–\n" is treated like "-\n".
    text = _HYPHEN_BREAK.sub("-" if keep_break_hyphens else "", text)
    return _WHITESPACE.sub(" ", text).strip()


# ---------------------------------------------------------------------------- quotes

# After NFKC "…" is "...": split at runs of two or more dots, optionally in brackets.
_ELLIPSIS = re.compile(r"[\[(]?\s*\.{2,}\s*[\])]?")
_EDGE_JUNK = " \"'.,;:!?"


def _quote_parts(quote: str) -> list[str]:
    parts = (p.strip(_EDGE_JUNK) for p in _ELLIPSIS.split(normalize_for_match(quote)))
    return [p for p in parts if p]


def _meaningful(parts: list[str]) -> bool:
    joined = " ".join(parts)
    if len(joined) < MIN_QUOTE_CHARS or len(joined.split()) < MIN_QUOTE_WORDS:
        return False
    return all(len(p.split()) >= MIN_PART_WORDS for p in parts)


def _parts_in_order(parts: list[str], page: str) -> bool:
    start = 0
    for part in parts:
        found = page.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True


def quote_on_page(quote: str, page_text: str) -> bool:
    """True iff `quote` is a meaningful, verbatim (after normalization) part of the page."""
    parts = _quote_parts(quote)
    if not parts or not _meaningful(parts):
        return False
    return any(
        _parts_in_order(parts, normalize_for_match(page_text, keep_break_hyphens=keep))
        for keep in (False, True)
    )


# ---------------------------------------------------------------------------- numbers

_SPACE = r"[ \u00a0\u202f\u2009]"
_NUMBER = re.compile(
    rf"""
    (?<![\w.,])                         # not the tail of a longer number or a word
    (?P<int>
        \d{{1,3}}(?:{_SPACE}\d{{3}})+(?!\d)   # 1 200 000
      | \d{{1,3}}(?:\.\d{{3}})+(?!\d|[.,]\d)  # 1.200.000 (never followed by decimals)
      | \d+
    )
    (?:[,.](?P<dec>\d+))?               # 12,5 / 1.2
    (?![\d])
    (?:{_SPACE}*(?P<unit>
        mdkr|mdr|miljarder|miljard
      | mnkr|mkr|mn|milj\.?|miljoner|miljon
      | tkr|tusen
      | kronor|kr|sek
      | %|procent
    )(?![a-zåäö]))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SCALE = {
    "tkr": 3,
    "tusen": 3,
    "mnkr": 6,
    "mkr": 6,
    "mn": 6,
    "milj": 6,
    "milj.": 6,
    "miljon": 6,
    "miljoner": 6,
    "mdkr": 9,
    "mdr": 9,
    "miljard": 9,
    "miljarder": 9,
}
SMALL_INT_LIMIT = 10
_MARKER = re.compile(r"\[\s*\d+(?:\s*(?:[,;]|-|–)\s*\d+)*\s*\]")


def _canonical(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _parse_number(match: re.Match[str]) -> Decimal | None:
    digits = re.sub(r"[ .\u00a0\u202f\u2009]", "", match["int"])
    try:
        return Decimal(f"{digits}.{match['dec']}" if match["dec"] else digits)
    except InvalidOperation:
        return None


def numbers_in(text: str, *, include_unscaled: bool = False) -> set[str]:
    """Canonical numbers in Swedish `text` (see the module docstring for the rules)."""
    text = _MARKER.sub(" ", unicodedata.normalize("NFKC", text))
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        value = _parse_number(match)
        if value is None:
            continue
        unit = (match["unit"] or "").lower()
        if not unit and not match["dec"] and value <= SMALL_INT_LIMIT:
            continue  # list numbers and casual counts; see docstring
        exponent = _SCALE.get(unit, 0)
        found.add(_canonical(value.scaleb(exponent)))
        if include_unscaled and exponent:
            found.add(_canonical(value))
    return found


# -------------------------------------------------------------------------- sentences

_ABBREVIATIONS = {
    "t.ex",
    "bl.a",
    "s.k",
    "ca",
    "m.m",
    "dvs",
    "d.v.s",
    "osv",
    "o.s.v",
    "enl",
    "resp",
    "jfr",
    "kap",
    "nr",
    "f.d",
    "p.g.a",
    "pga",
    "m.fl",
    "fr.o.m",
    "t.o.m",
    "s",
    "sid",
    "ff",
    "inkl",
    "exkl",
    "prel",
    "tel",
    "kl",
    "e.d",
    "o.d",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dec",
    "forts",
    "uppl",
    "tab",
    "fig",
    "bil",
    "ang",
    "avd",
    "dnr",
}
_MARKER_GROUPS = rf"(?:\s*{_MARKER.pattern})*"
# A sentence ends at . ! ? (plus closing quotes/brackets and any markers after them),
# followed by whitespace and something that can start a sentence.
_BOUNDARY = re.compile(
    rf"(?P<end>[.!?]+[\"'»”’)]*)(?P<markers>{_MARKER_GROUPS})(?P<space>\s+)"
    r"(?=[\"'«„(]?[A-ZÅÄÖÉÜ0-9•*-])"
)
_LAST_WORD = re.compile(r"([\wåäöÅÄÖ.]+)$")


def _is_abbreviation(before: str) -> bool:
    """True if the text before a full stop ends with a known abbreviation ("t.ex", "ca")."""
    match = _LAST_WORD.search(before)
    return bool(match) and match.group(1).lower().strip(".") in _ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """Split Swedish text into sentences; every line is split separately."""
    sentences: list[str] = []
    for line in text.splitlines():
        start = 0
        for match in _BOUNDARY.finditer(line):
            if match["end"] == "." and not match["markers"].strip():
                if _is_abbreviation(line[start : match.start()]):
                    continue
            sentences.append(line[start : match.start("space")].strip())
            start = match.end()
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return [s for s in sentences if s]


# ----------------------------------------------------------------------------- markers


def _marker_ids(marker: str) -> list[int]:
    """Numbers of one marker group: "[1, 3]" -> [1, 3], "[2-4]" -> [2, 3, 4]."""
    ids: list[int] = []
    for item in re.split(r"\s*[,;]\s*", marker.strip("[] ")):
        bounds = [int(x) for x in re.split(r"\s*[-–]\s*", item) if x]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] < 20:
            ids.extend(range(bounds[0], bounds[1] + 1))
        else:
            ids.extend(bounds)
    return ids


def markers_in(sentence: str) -> list[int]:
    """All marker numbers of a sentence, in order, without repeats."""
    ids: list[int] = []
    for match in _MARKER.finditer(sentence):
        ids.extend(i for i in _marker_ids(match.group()) if i not in ids)
    return ids


def _rewrite_markers(sentence: str, mapping: dict[int, int]) -> str:
    """Replace marker numbers via `mapping`; numbers not in it disappear with their group."""

    def repl(match: re.Match[str]) -> str:
        new = [mapping[i] for i in _marker_ids(match.group()) if i in mapping]
        return "".join(f"[{n}]" for n in dict.fromkeys(new))

    text = _MARKER.sub(repl, sentence)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)  # "personer [] ." -> "personer."
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def strip_markers(sentence: str) -> str:
    return _rewrite_markers(sentence, {})


# ---------------------------------------------------------------------------- citations


def citation_is_valid(
    citation: Citation,
    passages: dict[str, Chunk],
    page_texts: dict[tuple[str, int], str],
) -> bool:
    """A citation is valid iff it points at a retrieved chunk's page and quotes it verbatim,
    with at least MIN_CITED_ALNUM letters and digits."""
    chunk = passages.get(citation.chunk_id)
    if chunk is None or sum(c.isalnum() for c in citation.quote) < MIN_CITED_ALNUM:
        return False
    same_place = (citation.source, citation.page) == (chunk.source, chunk.page)
    same_report = (citation.municipality, citation.year) == (chunk.municipality, chunk.year)
    if not (same_place and same_report):
        return False
    # The chunk is a verbatim piece of the page, so it is a safe stand-in for a missing page.
    page_text = page_texts.get((chunk.source, chunk.page)) or chunk.text
    return quote_on_page(citation.quote, page_text)


def _evidence_numbers(
    citations: list[Citation],
    passages: dict[str, Chunk],
    page_texts: dict[tuple[str, int], str],
) -> set[str]:
    numbers: set[str] = set()
    for citation in citations:
        chunk = passages[citation.chunk_id]
        page_text = page_texts.get((chunk.source, chunk.page), "")
        for text in (page_text, chunk.text, normalize_for_match(page_text)):
            # The collapsed text also catches numbers broken over a line ("1\n200 000").
            numbers |= numbers_in(text, include_unscaled=True)
        numbers.add(str(chunk.year))
    return numbers


def _is_heading(sentence: str) -> bool:
    """A short markerless title like "## Gävle", "**Resultat**" or "Gävle kommun:"."""
    if markers_in(sentence) or len(sentence.split()) > 6:
        return False
    stripped = sentence.strip()
    bold = stripped.startswith("**") and stripped.rstrip(":").endswith("**")
    return stripped.startswith("#") or bold or stripped.endswith(":")


def _has_words(text: str) -> bool:
    return re.search(r"[^\W\d_]", text) is not None


def verify_answer(
    text: str,
    citations: list[Citation],
    passages: dict[str, Chunk],
    page_texts: dict[tuple[str, int], str],
    *,
    mode: str = "llm",
    notice: str = "",
) -> Answer:
    """Keep only the sentences of `text` that valid citations support (see module docstring)."""
    if normalize_for_match(strip_markers(text)) == NO_ANSWER_TEXT:
        return Answer(text=NO_ANSWER_TEXT, mode=mode, notice=notice)

    valid: dict[int, list[Citation]] = {}
    for citation in citations:
        if citation_is_valid(citation, passages, page_texts):
            valid.setdefault(citation.id, []).append(citation)

    kept_lines: list[str] = []
    unsupported: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            kept_lines.append("")  # keep paragraph breaks
            continue
        kept = []
        for sentence in split_sentences(line):
            if not _has_words(strip_markers(sentence)) or _is_heading(sentence):
                continue  # "---", "**Gävle:**": no claim to verify, dropped silently
            if _supported(sentence, valid, passages, page_texts):
                kept.append(sentence)
            else:
                unsupported.append(strip_markers(sentence).lstrip("-*•– ").strip())
        if kept:
            kept_lines.append(" ".join(kept))

    kept_lines = _tidy_blank_lines(kept_lines)
    if not kept_lines:
        return Answer(text=NO_EVIDENCE_TEXT, unsupported=unsupported, mode=mode, notice=notice)
    return _renumbered(kept_lines, valid, unsupported, mode, notice)


def _tidy_blank_lines(lines: list[str]) -> list[str]:
    """Drop leading, trailing and repeated blank lines (left behind by removed sentences)."""
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return tidy


def _supported(
    sentence: str,
    valid: dict[int, list[Citation]],
    passages: dict[str, Chunk],
    page_texts: dict[tuple[str, int], str],
) -> bool:
    cited = [c for i in markers_in(sentence) for c in valid.get(i, [])]
    if not cited:
        return False
    claimed = numbers_in(strip_markers(sentence))
    return claimed <= _evidence_numbers(cited, passages, page_texts)


def _renumbered(
    lines: list[str],
    valid: dict[int, list[Citation]],
    unsupported: list[str],
    mode: str,
    notice: str,
) -> Answer:
    mapping: dict[int, int] = {}
    for line in lines:
        for old in markers_in(line):
            if old in valid and old not in mapping:
                mapping[old] = len(mapping) + 1
    text = "\n".join(_rewrite_markers(line, mapping) for line in lines)
    new_citations = [dataclasses.replace(valid[old][0], id=new) for old, new in mapping.items()]
    return Answer(
        text=text, citations=new_citations, unsupported=unsupported, mode=mode, notice=notice
    )


def page_texts(store, chunks) -> dict[tuple[str, int], str]:
    """The stored text of each page the chunks come from, keyed (source, page): what
    verify_answer checks quotes against."""
    out: dict[tuple[str, int], str] = {}
    for chunk in chunks:
        key = (chunk.source, chunk.page)
        if key not in out:
            out[key] = store.page_text(chunk.file_hash, chunk.page) or ""
    return out


def as_sentence(text: str) -> str:
    """A quote ended as a sentence (a table row is left as it is)."""
    text = text.strip()
    return text if text[-1:] in ".!?" or " | " in text else text + "."
