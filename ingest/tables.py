"""Budget/utfall tables: give each row its context back.

pypdf emits a table one cell per line ("Fritidsbanken\\n200 000\\n185 000"), which loses
which number belongs to which row and column. Below a header of 2-6 short cells that names
money columns (Budget, Utfall, ...), rows of one label (at most two lines long) followed by
numeric cells are rebuilt as "Fritidsbanken | 200 000 | 185 000" lines, the header as
"Insats | Budget (kr) | Utfall (kr)". Anything that does not fit the pattern is left as is.
"""

from __future__ import annotations

import re

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
    return _is_label(line) and len(line) <= 40 and len(line.split()) <= 5 and line[-1] not in ".:;,!?"


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


def rebuild_table_rows(text: str) -> str:
    lines = text.split("\n")
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
