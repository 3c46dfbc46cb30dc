"""Budget and utfall per insats, read from the budget tables in the stored page texts.

Ingestion (ingest/tables.py) stores a table as one line per row with cells joined by " | ":

    Tabellen visar budget och utfall per insats för 2023. Beloppen anges i tkr.
    Insats | Budget (tkr) | Utfall (tkr)
    Skolvärdar | 1 240 | 1 199
    Summa | 2 775 | 2 727

Markdown tables ("| Skolvärdar | 1 240 | 1 199 |", "|---|---:|") come out the same once the
outer bars are dropped. A table is a header row that names a budget and an utfall column,
then its rows up to the first line that is not a row; a table cut by a page break continues
with the rows at the top of the next page. The unit comes from the column header
("Budget (tkr)"), else from the lines just above the table ("Beloppen anges i mnkr"), else
from the cell itself ("1 200 000 kr"), else kronor. Amounts are whole kronor.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from assistant.qa.verify import quote_on_page
from rapport_settings import SurveySettings

_UNIT_WORDS = [  # longest first: "mnkr" must win over "kr"
    (r"miljoner\s+kronor|mnkr|mkr|msek|miljoner|milj\.?|mn", 1_000_000),
    (r"tusentals\s+kronor|tusen\s+kronor|tkr|tsek|tusen", 1_000),
    (r"kronor|kr|sek", 1),
]
_UNIT_RE = [(re.compile(rf"(?<![\wåäö])(?:{p})(?![\wåäö])", re.I), f) for p, f in _UNIT_WORDS]
_AMOUNT_RE = re.compile(
    r"^(?P<sign>[-−–+])?\s*(?P<num>\d+(?:[ \u00a0\u202f]\d{3})+|\d{1,3}(?:\.\d{3})+(?![,\d])|\d+)"
    r"(?:,(?P<dec>\d+)|\.(?P<dec2>\d{1,2}))?\s*(?P<unit>[a-zåäö. ]*)$",
    re.I,
)
_EMPTY_CELL = re.compile(r"^[-−–—]?$")
_TOTAL_RE = re.compile(r"^(summa|totalt?|sammanlagt|total summa)\b", re.I)
_BUDGET_RE = re.compile(r"budget|beviljat|planer|tilldelat|anslag", re.I)
_UTFALL_RE = re.compile(r"utfall|förbrukat|kostnad|redovisat|nyttjat|använt|upparbetat", re.I)
_SEPARATOR_RE = re.compile(r"^:?-{2,}:?$")
_CAPTION_LINES = 3  # lines above a header searched for "Beloppen anges i tkr"


# ------------------------------------------------------------------------------ amounts


def unit_factor(text: str) -> int | None:
    """Kronor per unit named in `text` ("Budget (tkr)" -> 1000), or None if none is named."""
    for pattern, factor in _UNIT_RE:
        if pattern.search(text):
            return factor
    return None


def parse_amount(text: str, factor: int = 1) -> int | None:
    """A Swedish amount in whole kronor: "1 200 000 kr", "1,2 mnkr", "412 tkr", "0,90"
    (with factor 1 000 000 from the header), "+72 tkr", "1556 000" (OCR that lost a
    thousands space). A unit in the text wins over `factor`.
    None for an empty cell ("", "-", "–") or text that is not an amount."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if _EMPTY_CELL.match(text):
        return None
    match = _AMOUNT_RE.match(text)
    if not match:
        return None
    unit = match["unit"].strip()
    if unit:
        named = unit_factor(unit)
        if named is None:
            return None
        factor = named
    digits = re.sub(r"[ .\u00a0\u202f]", "", match["num"])
    decimals = match["dec"] or match["dec2"] or "0"
    try:
        value = Decimal(f"{digits}.{decimals}") * factor
    except InvalidOperation:
        return None
    sign = -1 if match["sign"] and match["sign"] != "+" else 1
    return sign * int(value.to_integral_value())


# ------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableRow:
    """One parsed row of a budget table on a page."""

    insats: str
    budget: int | None
    utfall: int | None
    text: str  # the row line as stored: the quote that cites it
    is_total: bool = False


@dataclass
class _Header:
    budget_col: int
    utfall_col: int
    budget_factor: int
    utfall_factor: int


def _cells(line: str) -> list[str] | None:
    """The cells of a table row line, or None if the line is not one."""
    line = line.strip()
    if line.count("|") < 1:
        return None
    if line.startswith("|") and line.endswith("|"):  # a Markdown row: "| a | b |"
        line = line[1:-1]
    cells = [c.strip() for c in line.split("|")]
    return cells if len(cells) >= 2 else None


def _header(cells: list[str], caption: str) -> _Header | None:
    if any(parse_amount(c) is not None for c in cells[1:]):
        return None  # a row of amounts, even if a comment names a cost ("lägre kostnad")
    joined = ["".join(c.split()) for c in cells]  # a narrow column breaks a word: "Bevilj at"
    budget = next((i for i, c in enumerate(joined) if i and _BUDGET_RE.search(c)), None)
    utfall = next(
        (i for i, c in enumerate(joined) if i and i != budget and _UTFALL_RE.search(c)), None
    )
    if budget is None and utfall is None:
        return None
    default = unit_factor(caption) or 1
    return _Header(
        budget_col=budget if budget is not None else -1,
        utfall_col=utfall if utfall is not None else -1,
        budget_factor=unit_factor(cells[budget]) or default if budget is not None else default,
        utfall_factor=unit_factor(cells[utfall]) or default if utfall is not None else default,
    )


def _row(cells: list[str], line: str, header: _Header) -> TableRow | None:
    if all(_SEPARATOR_RE.match(c) for c in cells if c):
        return None
    label = cells[0]

    def amount(col: int, factor: int) -> int | None:
        return parse_amount(cells[col], factor) if 0 <= col < len(cells) else None

    budget = amount(header.budget_col, header.budget_factor)
    utfall = amount(header.utfall_col, header.utfall_factor)
    if not label or (budget is None and utfall is None):
        return None
    return TableRow(label, budget, utfall, line.strip(), bool(_TOTAL_RE.match(label)))


def page_tables(
    text: str, open_header: _Header | None = None
) -> tuple[list[TableRow], _Header | None]:
    """Budget rows on one page, and the header of a table still open at the page's end.

    `open_header` is the table left open on the previous page: rows at the top of this page
    belong to it.
    """
    lines = text.split("\n")
    rows: list[TableRow] = []
    header = open_header
    for n, line in enumerate(lines):
        cells = _cells(line)
        if cells is None:
            if line.strip():
                header = None  # prose ends a table
            continue
        caption = "\n".join(lines[max(0, n - _CAPTION_LINES) : n])
        new_header = _header(cells, caption)
        if new_header is not None:
            header = new_header
            continue
        if header is None:
            continue
        row = _row(cells, line, header)
        if row is None:
            continue
        rows.append(row)
        if row.is_total:
            header = None
    return rows, header


# ------------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class EconomyRow:
    municipality: str
    year: int
    insats: str
    budget: int | None
    utfall: int | None
    source: str
    page: int
    quote: str  # the row as it stands on the page

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Total:
    municipality: str
    year: int
    source: str
    budget: int
    utfall: int
    stated_budget: int | None  # the report's own "Summa" row, when it has one
    stated_utfall: int | None

    @property
    def matches_stated(self) -> bool:
        return self.stated_budget in (None, self.budget) and self.stated_utfall in (
            None,
            self.utfall,
        )

    def to_json(self) -> dict:
        return asdict(self) | {"matches_stated": self.matches_stated}


@dataclass
class Economy:
    rows: list[EconomyRow]
    totals: list[Total]

    def to_json(self) -> dict:
        return {
            "rows": [r.to_json() for r in self.rows],
            "totals": [t.to_json() for t in self.totals],
        }


def report_rows(store, record) -> tuple[list[EconomyRow], list[TableRow]]:
    """Budget rows of one stored report (and its stated total rows), page by page; each
    row's quote stands on its page (the check of row_verifies)."""
    rows: list[EconomyRow] = []
    stated: list[TableRow] = []
    header = None
    for page in range(1, record.pages + 1):
        text = store.page_text(record.file_hash, page) or ""
        found, header = page_tables(text, header)
        for r in found:
            if r.is_total:
                stated.append(r)
                continue
            if not quote_on_page(r.text, text):
                continue  # a row that cannot be quoted from its page is not shown
            rows.append(
                EconomyRow(
                    record.municipality,
                    record.year,
                    r.insats,
                    r.budget,
                    r.utfall,
                    record.source,
                    page,
                    r.text,
                )
            )
    return rows, stated


def _stores_store(service_or_store):
    return getattr(service_or_store, "store", service_or_store)


def economy(
    service_or_store,
    municipalities: list[str] | None = None,
    years: list[int] | None = None,
) -> Economy:
    """Every budget/utfall row of the stored reports, with totals per report."""
    store = _stores_store(service_or_store)
    records = sorted(store.report_records(), key=lambda r: (r.municipality, r.year, r.source))
    all_rows: list[EconomyRow] = []
    totals: list[Total] = []
    for record in records:
        if municipalities and record.municipality not in municipalities:
            continue
        if years and record.year not in years:
            continue
        rows, stated = report_rows(store, record)
        if not rows:
            continue
        all_rows.extend(rows)
        totals.append(_total(record, rows, stated))
    return Economy(all_rows, totals)


def _total(record, rows: list[EconomyRow], stated: list[TableRow]) -> Total:
    last = stated[-1] if stated else None
    return Total(
        municipality=record.municipality,
        year=record.year,
        source=record.source,
        budget=sum(r.budget or 0 for r in rows),
        utfall=sum(r.utfall or 0 for r in rows),
        stated_budget=last.budget if last else None,
        stated_utfall=last.utfall if last else None,
    )


def totals_by_municipality(econ: Economy) -> dict[str, dict[int, tuple[int, int]]]:
    """municipality -> year -> (budget, utfall), summed over that year's reports."""
    out: dict[str, dict[int, tuple[int, int]]] = {}
    for t in econ.totals:
        years = out.setdefault(t.municipality, {})
        b, u = years.get(t.year, (0, 0))
        years[t.year] = (b + t.budget, u + t.utfall)
    return out


def row_verifies(store, row: EconomyRow, file_hash: str) -> bool:
    """True if the row's quote stands on its page (the same check as every citation)."""
    return quote_on_page(row.quote, store.page_text(file_hash, row.page) or "")


# -------------------------------------------------------------------------------- export


def format_kronor(value: int | None) -> str:
    """1200000 -> "1 200 000" (Swedish thousands spacing); None -> "–"."""
    return "–" if value is None else f"{value:,}".replace(",", " ")


def economy_sheets(econ: Economy):
    from assistant.survey.exports import Sheet

    rows = Sheet(
        "Budget och utfall",
        ["Kommun", "År", "Insats", "Budget (kr)", "Utfall (kr)", "Källa", "Sida"],
        [
            [r.municipality, r.year, r.insats, r.budget, r.utfall, r.source, r.page]
            for r in econ.rows
        ],
    )
    totals = Sheet(
        "Summor",
        ["Kommun", "År", "Källa", "Budget (kr)", "Utfall (kr)", "Rapportens summa stämmer"],
        [
            [
                t.municipality,
                t.year,
                t.source,
                t.budget,
                t.utfall,
                "ja" if t.matches_stated else "nej",
            ]
            for t in econ.totals
        ],
    )
    return [rows, totals]


# ------------------------------------------------------------------------ year over year


@dataclass
class Change:
    """What happened to one insats (or theme) between two report years."""

    kind: str  # "insats" or "tema"
    name: str
    change: (
        str  # "startade", "avslutades", "ökade", "minskade" (insats); "tillkom", "försvann" (tema)
    )
    from_year: int
    to_year: int
    before: int | None = None  # kronor (utfall, else budget)
    after: int | None = None
    citations: list = None  # list[Citation], from each year that has evidence

    @property
    def text(self) -> str:
        if self.kind == "tema":
            where = "nämns" if self.change == "tillkom" else "nämns inte längre"
            return f"Temat {self.name} {where} {self.to_year} (jämfört med {self.from_year})."
        if self.change in ("startade", "avslutades"):
            year = self.to_year if self.change == "startade" else self.from_year
            verb = (
                "finns med första gången" if self.change == "startade" else "finns med sista gången"
            )
            return f"{self.name} {verb} {year}."
        return (
            f"{self.name} {self.change} från {format_kronor(self.before)} kr ({self.from_year}) "
            f"till {format_kronor(self.after)} kr ({self.to_year})."
        )

    def to_json(self) -> dict:
        from assistant.survey.surveyor import _citation_json

        return {
            "kind": self.kind,
            "name": self.name,
            "change": self.change,
            "from_year": self.from_year,
            "to_year": self.to_year,
            "before": self.before,
            "after": self.after,
            "text": self.text,
            "citations": [_citation_json(c) for c in self.citations or []],
        }


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _amount(row: EconomyRow) -> int | None:
    return row.utfall if row.utfall is not None else row.budget


def _row_citation(row: EconomyRow):
    from assistant.qa.records import Citation

    return Citation(0, row.municipality, row.year, row.source, row.page, row.quote)


def insats_changes(rows: list[EconomyRow], settings: SurveySettings | None = None) -> list[Change]:
    """Insatser that started, ended, grew or shrank between consecutive report years: a
    relative change in kronor smaller than `settings.change_limit` is none (default: the
    default of `survey.change_limit`)."""
    limit = (settings if settings is not None else SurveySettings()).change_limit
    by_year: dict[int, dict[str, EconomyRow]] = {}
    for row in rows:
        by_year.setdefault(row.year, {}).setdefault(_key(row.insats), row)
    years = sorted(by_year)
    changes: list[Change] = []
    for before_year, after_year in zip(years, years[1:]):
        before, after = by_year[before_year], by_year[after_year]
        for key in sorted(before.keys() | after.keys()):
            old, new = before.get(key), after.get(key)
            change = _compare(old, new, limit)
            if change is None:
                continue
            name = (new or old).insats
            cites = [_row_citation(r) for r in (old, new) if r is not None]
            changes.append(
                Change(
                    "insats",
                    name,
                    change,
                    before_year,
                    after_year,
                    _amount(old) if old else None,
                    _amount(new) if new else None,
                    cites,
                )
            )
    return changes


def _compare(old: EconomyRow | None, new: EconomyRow | None, limit: float) -> str | None:
    if old is None:
        return "startade"
    if new is None:
        return "avslutades"
    a, b = _amount(old), _amount(new)
    if not a or b is None or abs(b - a) / a < limit:
        return None
    return "ökade" if b > a else "minskade"


def theme_changes(matrices: dict[int, object], municipality: str) -> list[Change]:
    """Themes with evidence one year and none the next (per-year theme matrices)."""
    years = sorted(matrices)
    changes: list[Change] = []
    for y0, y1 in zip(years, years[1:]):
        for theme in matrices[y1].themes:
            f0 = matrices[y0].cells[(municipality, theme.key)]
            f1 = matrices[y1].cells[(municipality, theme.key)]
            if f0.found == f1.found:
                continue
            change = "tillkom" if f1.found else "försvann"
            cites = list(f0.citations) + list(f1.citations)
            changes.append(Change("tema", theme.name, change, y0, y1, citations=cites))
    return changes


def year_over_year(service, municipality: str, themes: bool = True, surveyor=None) -> list[Change]:
    """What changed for one municipality between its report years: insatser by name from the
    budget tables (with the rows as citations), and themes found one year but not the next.
    `service`: a Service (its settings say what change in kronor counts)."""
    econ = economy(service, municipalities=[municipality])
    changes = insats_changes(econ.rows, service.settings.survey)
    if themes:
        from assistant.survey.surveyor import Surveyor, theme_matrix

        surveyor = surveyor or Surveyor.of(service)
        years = sorted(
            {r.year for r in surveyor.store.report_records() if r.municipality == municipality}
        )
        matrices = {
            y: theme_matrix(None, years=[y], municipalities=[municipality], surveyor=surveyor)
            for y in years
        }
        changes += theme_changes(matrices, municipality)
    return changes
