"""The general reader's mechanisms (assistant/qa/reader.py) and the fitted models' loading and
arithmetic (assistant/qa/abstain.py)."""

import json

import pytest

from assistant.qa.abstain import Logistic, load_model
from assistant.qa.reader import Term, answer_type, carries, coverage, figures, presence

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hur stor andel av deltagarna fick arbete?", "percent"),
        ("Hur mycket kostade Fritidsbanken 2024?", "money"),
        ("Hur stor blev avvikelsen mot budget?", "money"),
        ("Hur många ungdomar fick feriejobb?", "count"),
        ("När öppnade mötesplatsen?", "time"),
        ("Vad heter samordnaren?", "name"),
        ("Vad har kommunen gjort för att minska skolfrånvaron?", "description"),
    ],
)
def test_answer_type_follows_the_interrogative(question, kind):
    assert answer_type(question) == kind


def test_a_sentence_carries_the_asked_kind_of_fact():
    assert carries("percent", "61 fullföljde, vilket motsvarar 82 procent.")
    assert not carries("percent", "Många föräldrar fullföljde programmet.")
    assert carries("money", "Utfallet blev 254 tkr lägre än budget.")
    assert carries("money", "Steget vidare | 3 100 | 2 891")
    assert carries("count", "Sju grupper genomfördes.")  # a number word counts
    assert carries("count", "Under året gjordes 1 120 utlån.")
    assert not carries("count", "Under 2024 gjordes utlån.")  # a year is no count
    assert carries("time", "Mötesplatsen öppnade i mars.")


def test_figures_leave_years_out_and_read_number_words():
    assert figures("Under 2024 deltog 52 vårdnadshavare i sju grupper.") == ["52", "sju"]


def _terms(*pairs):
    return [Term(w, frozenset(forms), weight) for w, forms, weight in pairs]


def test_coverage_is_the_idf_weighted_share_of_named_words():
    terms = _terms(("feriejobb", {"feriejobb"}, 3.0), ("ungdomar", {"ungdom"}, 1.0))
    analyze = lambda text: [w.lower().rstrip("ar") for w in text.split()]  # noqa: E731
    assert coverage("118 ungdomar", terms, analyze) == pytest.approx(0.25)
    assert coverage("feriejobb för ungdomar", terms, analyze) == pytest.approx(1.0)
    # a compound the analyser did not split still names the word inside it
    assert coverage("sommarferiejobben", terms, analyze) == pytest.approx(0.75)


def test_presence_sees_the_rarest_word_missing_from_the_reports():
    terms = _terms(("feriearbete", {"feriearbet"}, 4.0), ("sommar", {"sommar"}, 1.0))
    assert presence(terms, {"sommar", "skola"}) == (pytest.approx(0.2), 0.0)
    assert presence(terms, {"feriearbet", "sommar"}) == (pytest.approx(1.0), 1.0)


def test_logistic_probability_is_the_standardised_weighted_sum():
    model = Logistic(("a", "b"), (1.0, 0.0), (2.0, 1.0), (2.0, -1.0), 0.5)
    # z = 0.5 + 2 * (3 - 1) / 2 - 1 * (1 - 0) / 1 = 1.5
    assert model.probability({"a": 3.0, "b": 1.0}) == pytest.approx(1 / (1 + 2.718281828**-1.5))
    assert model.probability({}) == pytest.approx(1 / (1 + 2.718281828 ** -(0.5 - 1.0)))


def test_model_file_loads_and_a_missing_one_means_rules_alone(tmp_path):
    assert load_model(str(tmp_path / "missing.json")) is None
    part = {"features": ["x"], "mean": [0.0], "scale": [1.0], "weights": [1.0], "bias": 0.0}
    path = tmp_path / "reader.json"
    path.write_text(json.dumps({"sentence": part, "abstain": part | {"threshold": 0.7}}))
    model = load_model(str(path))
    assert model.abstain.threshold == 0.7
    assert model.answers({"x": 2.0}) and not model.answers({"x": 0.0})


def test_a_broken_model_file_is_named_with_what_to_do(tmp_path):
    path = tmp_path / "reader.json"
    path.write_text("{broken")
    with pytest.raises(ValueError, match=r"reader\.json kan inte läsas.*återställ"):
        load_model(str(path))
    path.write_text(json.dumps({"abstain": None}))  # no sentence model
    with pytest.raises(ValueError, match="kan inte läsas"):
        load_model(str(path))
