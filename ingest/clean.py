"""Clean raw page texts: ligatures, bullets, hyphenated line breaks, running headers/footers.

The cleaned text is what we store and show, and what citations quote, so cleaning never
invents words: it only joins, drops repeated furniture and normalises characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Bullet glyphs, including the private-use characters that Symbol/Wingdings fonts give.
_BULLETS = (
    "\x7f\u2022\u25aa\u25cf\u25e6\u2023\u2043\u00b7\uf0b7\uf0a7\uf076\uf0d8\uf0fc\u25a0\u25a1"
)
_BULLET_RE = re.compile(rf"^\s*[{_BULLETS}]\s*")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")
# A word broken at the line end: 'kompetens-\nförsörjning'. Not 'barn- och ungdom'.
_HYPHEN_BREAK_RE = re.compile(r"(\w)-\n(?!(?:och|eller|samt|till|som)\b)([a-zåäöé])")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:sida|s\.|page)?\s*\d{1,3}(?:\s*(?:av|/|of)\s*\d{1,3})?$|^[-–]\s*\d{1,3}\s*[-–]$",
    re.IGNORECASE,
)
_EDGE_LINES = 3  # how many lines at the top and bottom of a page may be furniture


def normalize_chars(text: str) -> str:
    """NFKC (ligatures, no-break spaces), unified bullets, no private-use glyphs, no soft
    hyphens."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    lines = []
    for line in text.splitlines():
        line = _BULLET_RE.sub("• ", line)
        line = _PRIVATE_USE_RE.sub("", line)
        line = re.sub(r"[ \t\u2000-\u200b]+", " ", line).strip()
        lines.append(line)
    return "\n".join(lines)


def join_hyphenated(text: str) -> str:
    return _HYPHEN_BREAK_RE.sub(r"\1\2", text)


def _furniture_key(line: str) -> str:
    """Lines that differ only by numbers ('Sida 3 av 8') are the same furniture.

    Running headers and footers are short labels; a sentence (ending with a full stop) or a
    long line is body text even when it repeats, so it gets no key.
    """
    line = line.strip()
    if len(line) > 80 or line.endswith((".", ":", ";", ",")):
        return ""
    return re.sub(r"\d+", "#", line.lower())


def find_furniture(pages: list[list[str]]) -> set[str]:
    """Keys of edge lines that repeat on at least half the pages (min. 2) of a document."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_furniture_key(x) for x in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:] if x}
        counts.update(edges)
    threshold = max(2, (len(pages) + 1) // 2)
    return {key for key, n in counts.items() if n >= threshold and key}


def _strip_edges(lines: list[str], furniture: set[str]) -> list[str]:
    def is_furniture(line: str) -> bool:
        return _furniture_key(line) in furniture or bool(_PAGE_NUMBER_RE.match(line.strip()))

    start, end = 0, len(lines)
    while start < min(end, _EDGE_LINES) and (not lines[start] or is_furniture(lines[start])):
        start += 1
    while end > max(start, len(lines) - _EDGE_LINES) and (
        not lines[end - 1] or is_furniture(lines[end - 1])
    ):
        end -= 1
    return lines[start:end]


def clean_pages(raw_pages: list[str], strip_furniture: bool = True) -> list[str]:
    """Cleaned text per page, same length as the input. With `strip_furniture=False` lines
    repeated on many pages are kept (page numbers are still dropped): for a document whose
    only text is one line on every page, that line is the content, not a running header."""
    split = [normalize_chars(p).split("\n") for p in raw_pages]
    furniture = find_furniture(split) if strip_furniture else set()
    cleaned = []
    for lines in split:
        kept = _strip_edges(lines, furniture)
        text = join_hyphenated("\n".join(kept))
        cleaned.append(re.sub(r"\n{3,}", "\n\n", text).strip())
    return cleaned
