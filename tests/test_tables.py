import pytest

from ingest.tables import rebuild_table_rows

pytestmark = pytest.mark.unit


def test_cell_per_line_table_is_rebuilt_into_rows():
    text = (
        "Tabellen visar budget och utfall.\nInsats\nBudget (kr)\nUtfall (kr)\nFritidsbanken\n"
        "200 000\n185 000\nLäxhjälp och studiestöd\nför unga\n1 200 000\n1 150 500\nSumma\n"
        "1 400 000\n1 335 500\nEfter tabellen."
    )
    assert rebuild_table_rows(text).split("\n") == [
        "Tabellen visar budget och utfall.",
        "Insats | Budget (kr) | Utfall (kr)",
        "Fritidsbanken | 200 000 | 185 000",
        "Läxhjälp och studiestöd för unga | 1 200 000 | 1 150 500",
        "Summa | 1 400 000 | 1 335 500",
        "Efter tabellen.",
    ]


def test_four_columns_and_units_in_cells():
    text = "Aktivitet\nBudget\nUtfall\nAvvikelse\nFeriejobb\n412 tkr\n398 tkr\n-14 tkr"
    assert rebuild_table_rows(text).split("\n")[1] == "Feriejobb | 412 tkr | 398 tkr | -14 tkr"


def test_prose_and_lists_with_numbers_are_left_alone():
    text = "Deltagare\n45\nUnder året deltog 45 unga.\n• Läxhjälp\n• Feriejobb\n2023\n2024"
    assert rebuild_table_rows(text) == text
