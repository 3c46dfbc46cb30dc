"""Budget tables read from where the words stand on the page, not from the text stream.

pypdf gives a table as a stream of cell texts: one cell per line, a label broken over three
lines, "1 150" and "tkr" apart, narrow columns broken inside a word ("Bevilj" / "at"), or the
cells of one row on different lines. Which number belongs to which row and column is only
certain from the positions. This module finds the budget tables of a page from positioned
text: pdfium's characters for a text layer, Tesseract's words (TSV) for a scanned page.

1. Fragments: runs of text on one line without a wide gap (a column gap splits a line).
2. Cells: fragments that follow each other in reading order and stand directly below each
   other in the same column are one cell (a label over two lines, "1 150" over "tkr").
3. Header: a row of short cells, two or more of which name a money column ("Budget",
   "Beviljat", "Utfall", "Förbrukat", ...). Its cells are the table's columns; a table may
   sit in one column of a two-column page, so only cells under the header's span count.
4. Rows: the cells below the header, grouped by vertical overlap, each cell put in the
   column whose header it overlaps; a line of label only continues the row above. A row
   not aligned with the header (a table set with spaces) is read in order: label, then one
   amount per column. The table ends at a cell that spans several columns (prose, a
   heading) or at a wide gap.
5. A text page without a table in its text layer but with a wide picture and no text over
   it (a table pasted as an image) has the picture read by Tesseract, like a scanned page.

The result per table is its lines ("Insats | Budget | Utfall", "Feriejobb | 740 tkr |
812 tkr") and `content`: the letters and digits of its cells in reading order, by which
ingest/tables.py finds the table in the page text and replaces it with these lines.
Run `tables_of_pages` in a bounded child (ingest.sandbox.run_isolated): pdfium is C code
reading an untrusted file.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

# The domain's names of money columns (one word list): a header needs two of them.
MONEY_WORDS = re.compile(
    r"budget|beviljat|planer|tilldelat|anslag|utfall|förbrukat|kostnad|redovisat|nyttjat|använt"
    r"|upparbetat|faktisk|avvikelse|differens|prognos|belopp",
    re.I,
)
_MAX_HEADER_WORDS = 6
_MAX_HEADER_CHARS = 50
_COLUMN_GAP = 1.0  # a horizontal gap wider than this many line heights splits a line
_ROW_GAP = 2.5  # a vertical gap wider than this many line heights ends a table


def alnum(text: str) -> str:
    """Letters and digits only, lower case: how a table is found again in the page text."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if c.isalnum())


@dataclass
class Box:
    """Text at a place on the page; y grows downwards (top < bottom)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    order: int  # reading (stream) order on the page
    lines: int = 1
    parts: list[Box] = field(default_factory=list)  # its lines, when more than one

    @property
    def height(self) -> float:
        return (self.bottom - self.top) / self.lines

    def add_below(self, other: Box) -> None:
        if not self.parts:
            self.parts = [Box(self.text, self.left, self.top, self.right, self.bottom, self.order)]
        self.parts.extend(other.parts or [other])
        self.text = f"{self.text} {other.text}"
        self.left, self.right = min(self.left, other.left), max(self.right, other.right)
        self.bottom = max(self.bottom, other.bottom)
        self.lines += other.lines

    def add_beside(self, other: Box) -> None:
        self.text = f"{self.text} {other.text}"
        self.left, self.right = min(self.left, other.left), max(self.right, other.right)
        self.top, self.bottom = min(self.top, other.top), max(self.bottom, other.bottom)


@dataclass
class Table:
    lines: list[str]
    content: str  # alnum() of the table's cells in reading order
    cells: list[str] = field(default_factory=list)  # the cell texts in reading order
    from_image: bool = False  # read by OCR from a picture on a text page: not in its text


# ------------------------------------------------------------------------------ fragments


def _split_runs(chars: list[tuple[str, float, float, float, float]], start: int) -> list[Box]:
    """Fragments from characters (text, left, top, right, bottom) in reading order: a new
    fragment at a line break, a jump to another line or a gap wider than _COLUMN_GAP."""
    out: list[Box] = []
    cur: Box | None = None
    for n, (ch, left, top, right, bottom) in enumerate(chars):
        if ch in "\r\n":
            cur = None
            continue
        if ch.isspace():
            if cur is not None:
                cur.text += " "
            continue
        height = bottom - top
        if cur is not None:
            same_line = abs((top + bottom) / 2 - (cur.top + cur.bottom) / 2) < 0.5 * cur.height
            gap = left - cur.right
            if same_line and -0.5 * height <= gap <= _COLUMN_GAP * max(height, cur.height):
                if gap > 0.5 * height and not cur.text.endswith(" "):
                    cur.text += " "
                cur.text += ch
                cur.right = max(cur.right, right)
                cur.top, cur.bottom = min(cur.top, top), max(cur.bottom, bottom)
                continue
        cur = Box(ch, left, top, right, bottom, start + n)
        out.append(cur)
    for box in out:
        box.text = " ".join(box.text.split())
    return [b for b in out if b.text]


def pdf_fragments(page) -> list[Box]:
    """Fragments of a pypdfium2 page's text layer, in the page's reading order."""
    textpage = page.get_textpage()
    try:
        height = page.get_height()
        chars = []
        for i in range(textpage.count_chars()):
            ch = textpage.get_text_range(i, 1).replace("\ufffe", "-")  # a broken word's hyphen
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            chars.append((ch, left, height - top, right, height - bottom))
        return _split_runs(chars, 0)
    finally:
        textpage.close()


def tsv_fragments(tsv: str) -> list[Box]:
    """Fragments of Tesseract's TSV output (one row per word), in its reading order: the
    words of a line, split where the gap is wider than _COLUMN_GAP line heights."""
    lines: dict[tuple, list[Box]] = {}
    for row in tsv.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        left, top, width, height = (float(x) for x in parts[6:10])
        words = lines.setdefault(tuple(parts[1:5]), [])  # page, block, paragraph, line
        words.append(Box(parts[11].strip(), left, top, left + width, top + height, 0))
    out: list[Box] = []
    order = 0
    for words in lines.values():  # dicts keep Tesseract's order
        heights = sorted(w.bottom - w.top for w in words)
        height = heights[len(heights) // 2]
        previous = None
        for word in words:
            word.order = order
            order += 1
            if previous is not None and word.left - previous.right <= _COLUMN_GAP * height:
                out[-1].add_beside(word)
            else:
                out.append(word)
            previous = word
    return out


# ---------------------------------------------------------------------------------- cells


def cells_of(fragments: list[Box]) -> list[Box]:
    """Fragments that follow each other and stand directly below each other are one cell,
    unless an amount starts at the height of a line: there a new row begins (a table set
    line by line, where an empty cell is not written, gives "label line 2" then "next
    label")."""
    return _split_at_row_starts(_stack(fragments))


def _split_at_row_starts(cells: list[Box]) -> list[Box]:
    out: list[Box] = []
    tops = [c.top for c in cells]
    for cell in cells:
        if not cell.parts:
            out.append(cell)
            continue
        pieces: list[Box] = []
        for part in cell.parts:
            h = part.bottom - part.top
            starts_row = pieces and any(
                abs(t - part.top) < 0.3 * h
                and _is_amount_like(other.text)
                and (other.right < cell.left or other.left > cell.right)
                for t, other in zip(tops, cells)
                if other is not cell
            )
            if not pieces or starts_row:
                pieces.append(
                    Box(part.text, part.left, part.top, part.right, part.bottom, part.order)
                )
            else:
                pieces[-1].add_below(part)
        out.extend(pieces)
    return out


def _stack(fragments: list[Box]) -> list[Box]:
    cells: list[Box] = []
    for frag in fragments:
        last = cells[-1] if cells else None
        if last is not None:
            h = min(last.height, frag.height)
            gap = frag.top - last.bottom
            overlaps = frag.left < last.right and frag.right > last.left
            if -0.4 * h <= gap <= 0.6 * h and overlaps and abs(frag.left - last.left) < 3 * h:
                last.add_below(frag)
                continue
        cells.append(
            Box(frag.text, frag.left, frag.top, frag.right, frag.bottom, frag.order, frag.lines)
        )
    return cells


# --------------------------------------------------------------------------------- tables


def may_hold_budget_table(text: str) -> bool:
    """Whether a page's text names a money column or the economy (the page of a table
    pasted as a picture may have no other word of it)."""
    joined = re.sub(r"\s+", "", text)
    return bool(MONEY_WORDS.search(joined) or re.search("ekonomi", joined, re.I))


def _is_money_header(text: str) -> bool:
    return bool(MONEY_WORDS.search(re.sub(r"\s+", "", text)))


def _is_header_cell(cell: Box) -> bool:
    return (
        len(cell.text.split()) <= _MAX_HEADER_WORDS
        and len(cell.text) <= _MAX_HEADER_CHARS
        and not re.search(r"[.:;!?]$", cell.text)
    )


def _v_overlap(a: Box, b: Box) -> float:
    return min(a.bottom, b.bottom) - max(a.top, b.top)


def _h_overlap(a_left: float, a_right: float, b: Box) -> float:
    return min(a_right, b.right) - max(a_left, b.left)


def find_tables(cells: list[Box]) -> list[Table]:
    """The budget tables among a page's cells (see the module docstring)."""
    tables: list[Table] = []
    used: set[int] = set()
    for anchor in sorted(cells, key=lambda c: (c.top, c.left)):
        if id(anchor) in used or not _is_money_header(anchor.text) or not _is_header_cell(anchor):
            continue
        header = sorted(
            (
                c
                for c in cells
                if id(c) not in used
                and _is_header_cell(c)
                and _v_overlap(c, anchor) > 0.5 * min(c.height, anchor.height)
                and abs(c.top - anchor.top) < 1.5 * anchor.height
            ),
            key=lambda c: c.left,
        )
        header = _contiguous(header, anchor)
        if sum(_is_money_header(c.text) for c in header) < 2:
            continue
        table = _build(header, cells, used)
        if table is not None:
            tables.append(table)
    return tables


def _contiguous(header: list[Box], anchor: Box) -> list[Box]:
    """The header cells around the anchor without a gap wider than a few columns (a
    two-column page may have a short line at the same height in the other column)."""
    i = header.index(anchor)
    limit = max(3 * max(c.right - c.left for c in header), 20 * anchor.height)
    lo = hi = i
    while lo > 0 and header[lo].left - header[lo - 1].right < limit:
        lo -= 1
    while hi < len(header) - 1 and header[hi + 1].left - header[hi].right < limit:
        hi += 1
    return header[lo : hi + 1]


def _build(header: list[Box], cells: list[Box], used: set[int]) -> Table | None:
    h = sorted(c.height for c in header)[len(header) // 2]
    first_money = next(i for i, c in enumerate(header) if _is_money_header(c.text))
    columns = [(c.left, c.right) for c in header]
    names = [c.text for c in header]
    if first_money == 0:  # no header over the labels: an unnamed label column to the left
        columns.insert(0, (float("-inf"), header[0].left - 0.5 * h))
        names.insert(0, "")
    label_left = columns[0][0] - 2 * h if columns[0][0] != float("-inf") else float("-inf")
    last = header[-1]
    right_edge = last.right + max(last.right - last.left, 4 * h)  # right-aligned amounts
    header_bottom = max(c.bottom for c in header)
    boxes = ([None] if first_money == 0 else []) + list(header)

    def column_of(cell: Box) -> int | None:
        """The column a cell stands in: the one header it overlaps, else the nearest to its
        left. None if it overlaps two headers (prose or a heading across the table)."""
        over = [
            i
            for i, b in enumerate(boxes)
            if b is not None and _h_overlap(b.left, b.right, cell) > 0.5 * h
        ]
        if len(over) > 1:
            return None
        if over:
            return over[0]
        starts = [columns[i][0] for i in range(len(columns))]
        left_of = [i for i, x in enumerate(starts) if x <= cell.left + h]
        return left_of[-1] if left_of else 0

    below = sorted(
        (
            c
            for c in cells
            if c.top >= header_bottom - 0.3 * h
            and id(c) not in used
            and c not in header
            and c.right > label_left
        ),
        key=lambda c: (c.top, c.left),
    )
    bands: list[list] = []  # [top, bottom, [cells]]: cells side by side, one row
    last_bottom = header_bottom
    for cell in below:
        if cell.left > last.right + h and not _is_amount_like(cell.text):
            continue  # beside the table: the other column of a two-column page
        if cell.top - last_bottom > _ROW_GAP * h:
            break
        band = bands[-1] if bands else None
        if (
            band is not None
            and min(band[1], cell.bottom) - max(band[0], cell.top) > 0.3 * cell.height
        ):
            band[2].append(cell)
            band[1] = max(band[1], cell.bottom)
        else:
            bands.append([cell.top, cell.bottom, [cell]])
        last_bottom = max(last_bottom, cell.bottom)
    rows: list[list] = []  # [top, bottom, {column: [cells]}]
    for top, bottom, band in bands:
        by_col = _by_position(band, column_of, label_left, columns, right_edge, h)
        if by_col is None:
            by_col = _by_sequence(band, columns, h)
        if by_col is None:
            break  # prose or a heading: the table has ended
        rows.append([top, bottom, by_col])
    rows = _join_continuations(rows)
    if not rows:
        return None
    members = list(header)
    lines = [" | ".join(names)]
    for _, _, by_col in rows:
        texts = []
        for i in range(len(columns)):
            parts = sorted(by_col.get(i, []), key=lambda c: (c.top, c.left))
            texts.append(" ".join(c.text for c in parts))
            members.extend(parts)
        lines.append(" | ".join(texts).rstrip())
    if not any(_has_amount(line) for line in lines[1:]):
        return None
    for c in members:
        used.add(id(c))
    members.sort(key=lambda c: c.order)
    return Table(lines, "".join(alnum(c.text) for c in members), [c.text for c in members])


def _by_position(band, column_of, label_left, columns, right_edge, h) -> dict | None:
    """The cells of a row by the column they stand under, None if one does not fit."""
    by_col: dict[int, list[Box]] = {}
    for cell in band:
        if cell.left < label_left - 0.5 * h and cell.right > columns[0][1]:
            return None
        col = column_of(cell)
        if col is None:
            return None
        by_col.setdefault(col, []).append(cell)
    return by_col


def _by_sequence(band, columns, h) -> dict | None:
    """A row not aligned with the header (a table set with spaces, not columns): label
    first, then one amount per column, in order. None unless it is such a row."""
    cells = sorted(band, key=lambda c: c.left)
    if not 2 <= len(cells) <= len(columns) or columns[0][0] - 2 * h > cells[0].left:
        return None
    if not all(re.search(r"\d", c.text) for c in cells[1:]):
        return None
    return {i: [c] for i, c in enumerate(cells)}


def _is_amount_like(text: str) -> bool:
    return bool(re.search(r"\d", text)) and len(text.split()) <= 4


def _has_amount(line: str) -> bool:
    return any(re.search(r"\d", cell) for cell in line.split(" | ")[1:])


def _join_continuations(rows: list[list]) -> list[list]:
    """A row of label only (the second line of a label set line by line) continues the row
    above it; a row without label or amounts is dropped."""
    out: list[list] = []
    for row in rows:
        cols = row[2]
        only_label = set(cols) == {0}
        if only_label and out and row[0] - out[-1][1] < 0.5 * (row[1] - row[0]):
            out[-1][2].setdefault(0, []).extend(cols[0])
            out[-1][1] = max(out[-1][1], row[1])
            continue
        out.append(row)
    while out and set(out[-1][2]) == {0}:
        out.pop()
    return out


# ---------------------------------------------------------------------------------- pages

MIN_IMAGE_SHARE = 0.25  # an image at least this wide (share of the page) may be a table


def tables_of_pages(
    path: Path, text_pages: list[int], ocr_pages: list[int]
) -> dict[int, list[Table]]:
    """Budget tables of the given 1-based pages of a PDF: from the text layer for
    `text_pages`, from Tesseract's word positions for `ocr_pages` (scanned pages). On a text
    page without a table in its text layer, a wide image with no text over it (a table
    pasted as a picture) is read with Tesseract: its tables come with `from_image`."""
    import pypdfium2 as pdfium

    out: dict[int, list[Table]] = {}
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        log.warning("tables of %s: pdfium cannot open it: %s", path, exc)
        return out
    try:
        count = len(pdf)
        for number in sorted(set(text_pages) | set(ocr_pages)):
            if not 1 <= number <= count:
                continue
            try:
                page = pdf[number - 1]
                if number in ocr_pages:
                    found = find_tables(cells_of(tsv_fragments(_ocr_tsv(page))))
                else:
                    fragments = pdf_fragments(page)
                    found = find_tables(cells_of(fragments))
                    if not found:
                        found = _image_tables(page, fragments)
            except (pdfium.PdfiumError, OSError, subprocess.SubprocessError) as exc:
                log.warning("tables of %s p. %d: %s", path, number, exc)
                continue
            if found:
                out[number] = found
        return out
    finally:
        pdf.close()


def _image_tables(page, fragments: list[Box]) -> list[Table]:
    """Tables in the wide images of a text page that have no text over them."""
    found: list[Table] = []
    for crop in _text_free_images(page, fragments):
        for table in find_tables(cells_of(tsv_fragments(_ocr_tsv(page, crop)))):
            table.from_image = True
            found.append(table)
    return found


def _text_free_images(page, fragments: list[Box]) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) in PDF units of the page's wide images (or forms holding
    one) with no text-layer characters over them."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    boxes = []
    for obj in page.get_objects(
        filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM], max_depth=0
    ):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM and not any(
            o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for o in page.get_objects(form=obj, max_depth=3)
        ):
            continue
        left, bottom, right, top = obj.get_bounds()
        left, bottom = max(left, 0.0), max(bottom, 0.0)
        right, top = min(right, width), min(top, height)
        if right - left < MIN_IMAGE_SHARE * width or top - bottom < 0.03 * height:
            continue
        covered = any(
            f.left < right
            and f.right > left
            and height - f.bottom < top
            and height - f.top > bottom
            for f in fragments
        )
        if not covered:
            boxes.append((left, bottom, right, top))
    return boxes


def _ocr_tsv(
    page, crop: tuple[float, float, float, float] | None = None, timeout: float = 60
) -> str:
    """Tesseract's words with positions (TSV) for a page, or for the part of it inside
    `crop` (left, bottom, right, top in PDF units), rendered and recognised as
    ingest/ocr.py does for a scanned page's text (same resolution, language, layout mode)."""
    import io
    import os

    from ingest.ocr import DPI, LANGUAGES, MAX_PIXELS, PSM, _render_page

    exe = shutil.which("tesseract")
    if exe is None:
        return ""
    if crop is None:
        image = _render_page(page)
    else:
        width, height = page.get_size()
        left, bottom, right, top = crop
        scale = min(DPI / 72, (MAX_PIXELS / max((right - left) * (top - bottom), 1.0)) ** 0.5)
        bitmap = page.render(
            scale=scale, grayscale=True, crop=(left, bottom, width - right, height - top)
        )
        buf = io.BytesIO()
        bitmap.to_pil().convert("L").save(buf, format="PPM")
        image = buf.getvalue()
    result = subprocess.run(
        [exe, "stdin", "stdout", "-l", LANGUAGES, "--psm", PSM, "tsv"],
        input=image,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        check=True,
    )
    return result.stdout.decode("utf-8", errors="replace")
