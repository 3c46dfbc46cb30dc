"""Tables out as CSV or XLSX: survey results, the theme matrix, budget rows.

A table is a list of `Sheet`s. XLSX gets one worksheet per sheet. CSV holds one table per
file, so the first sheet goes to the file asked for and every further sheet to
"<name>_<sheet>.csv" next to it. CSV is written the way Swedish Excel opens it directly:
UTF-8 with BOM and ";" between fields (the comma is the decimal sign in Sweden).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

CSV_DELIMITER = ";"
_MAX_COLUMN_WIDTH = 80


@dataclass
class Sheet:
    name: str  # at most 31 characters in XLSX
    header: list[str]
    rows: list[list[object]]


def export(path: str | Path, sheets: list[Sheet]) -> list[Path]:
    """Write `sheets` to `path` (.csv or .xlsx); returns the files written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return [write_xlsx(path, sheets)]
    if suffix == ".csv":
        return write_csv(path, sheets)
    raise ValueError(
        f"okänd filtyp '{suffix or path.name}': ange en fil som slutar på .csv eller .xlsx."
    )


def write_csv(path: Path, sheets: list[Sheet]) -> list[Path]:
    written = []
    for n, sheet in enumerate(sheets):
        target = path if n == 0 else path.with_name(f"{path.stem}_{_slug(sheet.name)}.csv")
        with target.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=CSV_DELIMITER)
            writer.writerow(sheet.header)
            writer.writerows([["" if v is None else v for v in row] for row in sheet.rows])
        written.append(target)
    return written


def write_xlsx(path: Path, sheets: list[Sheet]) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.append(sheet.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(list(row))
        ws.freeze_panes = "B2"
        for col, width in enumerate(_column_widths(sheet), start=1):
            letter = ws.cell(row=1, column=col).column_letter
            ws.column_dimensions[letter].width = width
            if width >= _MAX_COLUMN_WIDTH:
                for cell in ws[letter]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _column_widths(sheet: Sheet) -> list[int]:
    widths = [len(str(h)) for h in sheet.header]
    for row in sheet.rows:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], len(str(value or "")))
    return [min(w + 2, _MAX_COLUMN_WIDTH) for w in widths]


def _slug(name: str) -> str:
    return re.sub(r"[^\wåäöÅÄÖ-]+", "_", name.lower()).strip("_")
