"""Answer types: which passages can hold the fact a question asks for, and what retrieval
does with them."""

from __future__ import annotations

import pytest

from assistant.qa.answer_types import MONEY_QUESTION_RE, QUANTITY_RE, figure_units, has_table


@pytest.mark.unit
def test_a_table_is_two_rows_with_figures():
    assert has_table(
        "Insats | Budget | Utfall\nFritidsbanken | 150 000 | 158 200\nFeriejobb | 1,2 | 1,1"
    )
    assert not has_table("Fritidsbanken | 150 000 | 158 200")  # one row
    assert not has_table("Fritidsbanken lånar ut skidor.\nKommunen har en fritidsbank.")


@pytest.mark.unit
def test_figure_units_are_rows_and_sentences_with_a_figure_that_is_not_a_year():
    text = (
        "Digitala ombud Under 2024 öppnade ombuden. De hade 460 besök under 2024.\n"
        "Digitala ombud | 0,19 | 0,18"
    )
    assert figure_units(text) == ["De hade 460 besök under 2024.", "Digitala ombud | 0,19 | 0,18"]


@pytest.mark.unit
@pytest.mark.parametrize(
    "question, money, quantity",
    [
        ("Vad kostade Fritidsbanken i Hofors?", True, True),
        ("Hur mycket var budgeterat för feriejobben?", True, True),
        ("Hur många besök hade de digitala ombuden?", False, True),
        ("Vad gjorde Hofors för unga 2023?", False, False),
        ("Vilken timlön fick ungdomarna med feriejobb?", True, True),
        ("Vad betalar kommunen i hyra för Fritidsbanken?", True, True),
        ("Hur många extra feriejobb betalade Hofors för?", False, True),  # a count
    ],
)
def test_question_types(question, money, quantity):
    assert bool(MONEY_QUESTION_RE.search(question)) == money
    assert bool(QUANTITY_RE.search(question)) == quantity


@pytest.mark.parametrize(
    "question, first",
    [
        # the insats' own section comes first without the answer type; the table holds the sum
        (
            "Hur mycket var budgeterat för Fritidsbanken i Filipstad 2024?",
            "Fritidsbanken | 240 000",
        ),
        ("Hur mycket pengar gick till säsongsjobben i Malung-Sälen 2023?", "Säsongsjobb | 1,10"),
        # the figure is in the results section, not in the insats' description
        ("Hur många besök hade de digitala ombuden i Bengtsfors under 2024?", "hade 460 besök"),
    ],
)
def test_a_passage_with_the_kind_of_fact_asked_for_ranks_first(
    sample_store, question, first, monkeypatch
):
    import assistant.qa.retrieve as retrieve
    from assistant.qa.retrieve import Retriever, SearchRequest
    from ingest.metadata import load_municipalities

    retriever = Retriever(sample_store, load_municipalities())
    hits = retriever.search(SearchRequest(question, k=5))
    assert first in hits[0].chunk.text
    monkeypatch.setitem(retrieve.TYPED_WEIGHTS, "table", 0.0)
    monkeypatch.setitem(retrieve.TYPED_WEIGHTS, "figure", 0.0)
    without = retriever.search(SearchRequest(question, k=5))
    assert first not in without[0].chunk.text  # what the answer type is worth here
