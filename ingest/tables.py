"""Budget/utfall tables: give each row its context back.

When ingest/layout.py found a page's tables from the positions of its words, each is found
again in the page text by its letters and digits (`Table.content`, in reading order) and
its lines replace it there; a table read by OCR from a picture is not in the text and is
added after it. The rest of the page goes through the text-only rebuild below.

pypdf emits a table one cell per line ("Fritidsbanken\\n200 000\\n185 000"), which loses
which number belongs to which row and column. Below a header of 2-6 short cells that names
money columns (Budget, Utfall, ...), rows of one label (at most two lines long) followed by
numeric cells are rebuilt as "Fritidsbanken | 200 000 | 185 000" lines, the header as
"Insats | Budget (kr) | Utfall (kr)". Anything that does not fit the pattern is left as is.
"""

from __future__ import annotations

import re
import unicodedata

_MONEY_HEADER_RE = re.compile(r"budget|utfall|kostnad|belopp|prognos|avvikelse|beviljat", re.I)
_NUMBER_RE = re.compile(
    r"^[-−–]?\s*\d{1,3}(?:[ \u00a0]\d{3})*(?:[,.]\d+)?\s*(?:kr|tkr|mnkr|mkr|%)?$|^[-–]$", re.I
)
_MAX_CELL = 60


def _is_number(line: str) -> bool:
    return bool(_NUMBER_RE.match(line.strip()))


def _is_label(line: str) -> bool:
    line = line.strip()
    return bool(line) and len(line) <= _MAX_CELL and not _is_number(line) and "|" not in line


def _is_header_cell(line: str) -> bool:
    line = line.strip()
    return (
        _is_label(line) and len(line) <= 40 and len(line.split()) <= 5 and line[-1] not in ".:;,!?"
    )


def _header_width(lines: list[str], i: int) -> int:
    """Width n of a table header starting at line i, or 0."""
    for n in range(6, 1, -1):
        cells = lines[i : i + n]
        if len(cells) < n or not all(_is_header_cell(c) for c in cells):
            continue
        if not any(_MONEY_HEADER_RE.search(c) for c in cells[1:]):
            continue
        if _row_at(lines, i + n, n):
            return n
    return 0


def _row_at(lines: list[str], i: int, n: int) -> tuple[list[str], int] | None:
    """The row (cells) starting at line i and the number of lines it takes, or None."""
    for label_lines in (1, 2):
        label = lines[i : i + label_lines]
        values = lines[i + label_lines : i + label_lines + n - 1]
        if len(label) < label_lines or len(values) < n - 1:
            return None
        if all(_is_label(x) for x in label) and all(_is_number(v) for v in values):
            cells = [" ".join(x.strip() for x in label)] + [v.strip() for v in values]
            return cells, label_lines + n - 1
    return None


# Heads the rows of a table read by OCR from a picture on a text page: the caseworker sees it
# on the page, and answers do not quote those rows (they are not in the file's own text).
PICTURE_TABLE_CAPTION = "Tabell inläst ur bild med textigenkänning (OCR):"


def place_tables(text: str, tables) -> str:
    """`text` with each table (ingest.layout.Table) found in it replaced by its lines, and
    the tables read from pictures added at the end under PICTURE_TABLE_CAPTION. A table not
    found is left out."""
    for table in tables or []:
        if table.from_image:
            text = text.rstrip("\n") + "\n" + PICTURE_TABLE_CAPTION + "\n" + "\n".join(table.lines)
            continue
        span = _find_span(text, table.content)
        if span is None:
            continue
        start, end = span
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before, after = text[line_start:start].strip(), text[end:line_end].strip()
        block = ([before] if before else []) + table.lines + ([after] if after else [])
        text = text[:line_start] + "\n".join(block) + text[line_end:]
    return text


def _find_span(text: str, content: str) -> tuple[int, int] | None:
    """Start and end in `text` of the shortest stretch whose letters and digits are
    `content`, or None."""
    if not content:
        return None
    letters, where = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).lower():
            if c.isalnum():
                letters.append(c)
                where.append(i)
    page = "".join(letters)
    found = page.find(content)
    if found >= 0:
        return where[found], where[found + len(content) - 1] + 1
    # A table at the bottom or top of a page whose last or first cells went with the page's
    # furniture (a "938" alone on the last line reads as a page number): the part present
    # must reach the end (start) of the page.
    for part in range(len(content) - 1, len(content) // 2, -1):
        if page.endswith(content[:part]):
            return where[len(page) - part], len(text)
        if page.startswith(content[-part:]):
            return 0, where[part - 1] + 1
    return None


def rebuild_table_rows(text: str, tables=None) -> str:
    """Table rows as "label | amount | amount" lines: the tables found from the page's
    layout (see place_tables), then cell-per-line tables in the rest of the text."""
    lines = place_tables(text, tables).split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        n = _header_width(lines, i)
        if not n:
            out.append(lines[i])
            i += 1
            continue
        out.append(" | ".join(c.strip() for c in lines[i : i + n]))
        i += n
        while (row := _row_at(lines, i, n)) is not None:
            cells, used = row
            out.append(" | ".join(cells))
            i += used
    return "\n".join(out)
