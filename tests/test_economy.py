"""Budget/utfall rows from stored page texts: Swedish amounts, units, tables, totals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.survey.economy import (
    EconomyRow,
    economy,
    economy_sheets,
    insats_changes,
    page_tables,
    parse_amount,
    unit_factor,
)
from ingest.records import Chunk, Document, Page

DATA = Path(__file__).parent / "data"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "factor", "expected"),
    [
        ("1 200 000 kr", 1, 1_200_000),
        ("1 200 000", 1, 1_200_000),
        ("1\u00a0200\u00a0000", 1, 1_200_000),
        ("1.200.000", 1, 1_200_000),
        ("1,2 mnkr", 1, 1_200_000),
        ("0,90", 1_000_000, 900_000),
        ("412 tkr", 1, 412_000),
        ("1 240", 1_000, 1_240_000),
        ("412 tkr", 1_000_000, 412_000),  # a unit in the cell wins over the header's
        ("2,5 miljoner kronor", 1, 2_500_000),
        ("−50 000", 1, -50_000),
        ("+72 tkr", 1, 72_000),
        ("1556 000", 1, 1_556_000),
        ("–", 1, None),
        ("", 1, None),
        ("Fritidsbanken", 1, None),
        ("12 personer", 1, None),
    ],
)
def test_parse_amount_reads_swedish_formats(text, factor, expected):
    assert parse_amount(text, factor) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Budget (tkr)", 1_000),
        ("Utfall (mnkr)", 1_000_000),
        ("Budget (kr)", 1),
        ("Beloppen anges i tusentals kronor.", 1_000),
        ("Budget", None),
        ("Kronobergs län", None),
    ],
)
def test_unit_factor_from_headers_and_captions(text, expected):
    assert unit_factor(text) == expected


PAGE = """6 Ekonomisk redovisning
Tabellen visar budget och utfall per insats för 2023. Beloppen anges i tkr.
Insats | Budget (tkr) | Utfall (tkr)
Föräldraskapsstöd | 380 | 366
Skolvärdar | 1 240 | 1 199
Läxhjälp | 210 | –
Summa | 1 830 | 1 565
Totalt redovisas ett överskott jämfört med budget."""


@pytest.mark.unit
def test_page_tables_reads_rows_units_and_total():
    rows, still_open = page_tables(PAGE)
    assert [(r.insats, r.budget, r.utfall, r.is_total) for r in rows] == [
        ("Föräldraskapsstöd", 380_000, 366_000, False),
        ("Skolvärdar", 1_240_000, 1_199_000, False),
        ("Läxhjälp", 210_000, None, False),
        ("Summa", 1_830_000, 1_565_000, True),
    ]
    assert rows[1].text == "Skolvärdar | 1 240 | 1 199"
    assert still_open is None


@pytest.mark.unit
def test_page_tables_unit_from_caption_and_markdown_table():
    page = (
        "Beloppen anges i mnkr.\n| Insats | Budget | Utfall |\n|---|---:|---:|\n"
        "| Lärcentrum | 0,80 | 0,79 |\n\nEfter tabellen."
    )
    rows, _ = page_tables(page)
    assert [(r.insats, r.budget, r.utfall) for r in rows] == [("Lärcentrum", 800_000, 790_000)]


@pytest.mark.unit
def test_page_tables_column_order_from_header():
    rows, _ = page_tables("Insats | Utfall (kr) | Budget (kr)\nFeriejobb | 712 400 | 800 000")
    assert (rows[0].budget, rows[0].utfall) == (800_000, 712_400)


@pytest.mark.unit
def test_a_table_cut_by_a_page_break_continues_on_the_next_page():
    first, still_open = page_tables("Tabellen visar budget.\nInsats | Budget (tkr) | Utfall (tkr)")
    assert first == [] and still_open is not None
    rows, _ = page_tables("Steget vidare | 1 050 | 1 093\nSumma | 1 050 | 1 093\nText.", still_open)
    assert [(r.insats, r.budget) for r in rows] == [
        ("Steget vidare", 1_050_000),
        ("Summa", 1_050_000),
    ]


@pytest.mark.unit
def test_pipe_lines_without_a_money_header_are_not_budget_rows():
    rows, _ = page_tables("Ort | Deltagare | Träffar\nBroby | 58 | 12")
    assert rows == []


def _add_report(store, name: str, year: int, pages: list[str]) -> None:
    digest = f"{name}-{year}".encode().hex()
    doc = Document(
        path=f"/x/{name}_{year}.pdf",
        source=f"{name}_{year}.pdf",
        file_hash=digest,
        pages=[Page(i + 1, t) for i, t in enumerate(pages)],
        municipality=name,
        year=year,
    )
    chunks = [
        Chunk(f"{digest}:{i}", t, name, year, doc.source, doc.path, i + 1, "", digest, str(i))
        for i, t in enumerate(pages)
    ]
    store.add_document(doc, chunks, store.embedder.embed_documents([c.text for c in chunks]))


@pytest.mark.unit
def test_economy_rows_and_totals_from_a_store(toy_store):
    _add_report(toy_store, "Hofors", 2023, ["Inledning utan tabell.", PAGE])
    econ = economy(toy_store)
    assert [(r.insats, r.page) for r in econ.rows] == [
        ("Föräldraskapsstöd", 2),
        ("Skolvärdar", 2),
        ("Läxhjälp", 2),
    ]
    total = econ.totals[0]
    assert (total.budget, total.utfall, total.stated_budget) == (1_830_000, 1_565_000, 1_830_000)
    assert total.matches_stated
    sheets = economy_sheets(econ)
    assert sheets[0].rows[0][:5] == ["Hofors", 2023, "Föräldraskapsstöd", 380_000, 366_000]


def test_economy_rows_equal_the_sample_ground_truth(sample_store):
    truth = json.loads((DATA / "budget_rows.json").read_text(encoding="utf-8"))
    stored = {r.source for r in sample_store.report_records()}
    expected = {
        (r["source"], r["insats"]): (r["budget"], r["utfall"])
        for r in truth["rows"]
        if r["source"] in stored
    }
    got = {(r.source, r.insats): (r.budget, r.utfall) for r in economy(sample_store).rows}
    assert expected, "no sample report of budget_rows.json is in the store"
    assert got == expected
    pages = {(r["source"], r["insats"]): r["page"] for r in truth["rows"] if r["page"]}
    for row in economy(sample_store).rows:
        if (row.source, row.insats) in pages:
            assert row.page == pages[(row.source, row.insats)], row


@pytest.mark.unit
def test_page_tables_header_words_broken_by_a_narrow_column():
    rows, _ = page_tables(
        "Aktivitet | Bevilj at | Förbru kat | Avvikel se\n"
        "Närvaroteam | 1 800 tkr | 1 912 tkr | −112 tkr"
    )
    assert [(r.insats, r.budget, r.utfall) for r in rows] == [("Närvaroteam", 1_800_000, 1_912_000)]


@pytest.mark.unit
def test_a_row_whose_comment_names_a_cost_is_a_row_not_a_new_header():
    rows, _ = page_tables(
        "Insats | Budget (tkr) | Utfall (tkr) | Kommentar\n"
        "Föräldraträffar | 340 | 262 | Lägre lokalkostnader\n"
        "Jobbspåret | 1 480 | 1 455 | Enligt plan"
    )
    assert [(r.budget, r.utfall) for r in rows] == [(340_000, 262_000), (1_480_000, 1_455_000)]


@pytest.mark.unit
def test_a_table_without_a_label_header_keeps_its_columns():
    rows, _ = page_tables(" | Budget (kr) | Utfall (kr)\nFeriejobb | 800 000 | 712 400")
    assert [(r.insats, r.budget, r.utfall) for r in rows] == [("Feriejobb", 800_000, 712_400)]


@pytest.mark.unit
def test_planned_and_actual_cost_columns_are_budget_and_utfall():
    rows, _ = page_tables(
        "Insats | Planerad kostnad | Faktisk kostnad\nLäxhjälp | 210 000 | 198 000"
    )
    assert [(r.budget, r.utfall) for r in rows] == [(210_000, 198_000)]


@pytest.mark.unit
def test_a_change_smaller_than_the_survey_change_limit_is_no_change():
    from rapport_settings import SurveySettings

    rows = [
        EconomyRow("Hofors", 2023, "Läxhjälp", 100_000, 100_000, "a.pdf", 3, "Läxhjälp | 100 000"),
        EconomyRow("Hofors", 2024, "Läxhjälp", 100_000, 108_000, "b.pdf", 3, "Läxhjälp | 108 000"),
    ]
    assert insats_changes(rows) == []  # 8 % is under the default 10 %
    changes = insats_changes(rows, SurveySettings(change_limit=0.05))
    assert [(c.name, c.change, c.before, c.after) for c in changes] == [
        ("Läxhjälp", "ökade", 100_000, 108_000)
    ]
