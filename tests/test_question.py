"""The parsed question (assistant/qa/question.py): what the answer path takes a question to mean."""

import dataclasses

import pytest

from assistant.qa.question import (
    Question,
    follows_up,
    parse_question,
    understand,
    without_filters,
)
from ingest.metadata import load_municipalities

pytestmark = pytest.mark.unit

MUNICIPALITIES = load_municipalities()
WORDS = {w for m in MUNICIPALITIES for w in (m.name.lower(), f"{m.name.lower()}s")}


def parse(text: str) -> Question:
    return parse_question(text, municipalities=MUNICIPALITIES, municipality_words=WORDS)


@pytest.mark.parametrize(
    "question, municipalities, years, compares",
    [
        ("Hur gick det för Hofors 2023?", ["Hofors"], [2023], False),
        ("Vad gör man i Östra Göinge?", ["Östra Göinge"], [], False),
        ("Vad gjorde Malung-Sälens kommun?", ["Malung-Sälen"], [], False),
        ("Har ABC-grupperna i Hofors vuxit sedan 2023?", ["Hofors"], [], True),
        ("Jämför Eda och Bjuv mellan 2023 och 2024", ["Bjuv", "Eda"], [2023, 2024], True),
        ("Vilka kommuner har en fritidsbank?", [], [], False),
        # the year after "än" is a point of comparison: both years, no filter
        ("Kommer fler elever till läxhjälpen i Eda nu än 2023?", ["Eda"], [], True),
        ("Blev fler hushåll självförsörjande i Bjuv 2024 än år 2023?", ["Bjuv"], [], True),
        # one year and a change from before: that year and the one before it
        ("Har frånvaron i Hofors fortsatt att minska 2024?", ["Hofors"], [2023, 2024], True),
        ("Fick läxhjälpen i Eda fler eller färre besökare 2024?", ["Eda"], [2023, 2024], True),
        # a locality names its municipality's reports (capitalised: "lima" is also a verb)
        (
            "Hur har det gått för fältassistenten i Kopparberg 2024?",
            ["Ljusnarsberg"],
            [2024],
            False,
        ),
        ("Hur många besökte drop-in i Lesjöfors?", ["Filipstad"], [], False),
        ("Hur ska man lima fast affischerna?", [], [], False),
        ("Är Jämshögsborna tryggare nu?", ["Olofström"], [], False),  # its inhabitants
        ("Hur går det för Kopparbergs fältassistent?", ["Ljusnarsberg"], [], False),
        # a goal to reduce something is no comparison of years
        ("Vad gjorde Hofors för att minska skolket 2024?", ["Hofors"], [2024], True),
    ],
)
def test_understand_finds_municipalities_years_and_comparisons(
    question, municipalities, years, compares
):
    found = understand(question, MUNICIPALITIES)
    assert sorted(found.municipalities) == municipalities
    assert found.years == years
    assert found.compares_years is compares


def test_a_count_question_names_its_municipality_year_and_counted_noun():
    q = parse("Hur många pappor deltog i ABC-grupperna i Hofors 2023?")
    assert q.municipalities == ("Hofors",)
    assert q.years == (2023,) and q.named_years == (2023,)
    assert q.answer_type == "count"
    assert q.quantity and q.counts and q.counted_noun == "pappor"
    assert "Hofors" not in q.words and "pappor" in q.words
    assert not (q.money or q.percent or q.asks_name or q.which_municipalities)


def test_a_cost_question_is_money():
    cost = parse("Hur mycket kostade Fritidsbanken 2024?")
    assert cost.answer_type == "money" and cost.quantity and cost.money
    change = parse("Hur mycket minskade kostnaderna för ekonomiskt bistånd?")
    assert change.money and change.change


def test_shares_and_parts_of_a_whole():
    q = parse("Hur stor andel av deltagarna var kvinnor?")
    assert q.answer_type == "percent" and q.percent
    assert q.frame == "stor"  # how much is asked, not what about
    assert parse("Vad kostade Fritidsbanken?").frame is None
    assert parse("Hur många av deltagarna fick arbete?").partitive


def test_a_split_by_gender_keeps_what_is_split():
    q = parse("Hur fördelade sig deltagarna mellan flickor och pojkar?")
    assert q.gender_split == ("fördelade", "deltagarna")
    assert parse("Hur många deltagare fanns?").gender_split is None


def test_name_and_organisation_questions():
    person = parse("Vad heter samordnaren i Filipstad?")
    assert person.answer_type == "name" and person.name_question and person.asks_name
    assert person.named_words == ("samordnaren",) and person.person
    firms = parse("Vilka industriföretag deltog i projektet?")
    assert firms.organisations == "industriföretag" and firms.named_words == ("industriföretag",)
    partners = parse("Vilka externa parter har kommunen samarbetat med?")
    assert partners.organisations == "parter" and partners.named_words == ()


def test_languages_and_surveys():
    assert parse("Hur många fick stöd på somaliska och svenska?").languages == {"somaliska"}
    assert parse("Vilka kommuner har haft feriejobb?").which_municipalities


def test_follow_ups_and_the_topic_they_carry():
    assert follows_up("Och i Hofors?") and parse("Vad kostade det?").follow_up
    assert not follows_up("Hur många ungdomar fick feriejobb i Hofors under sommaren?")
    assert without_filters("Vad kostade Fritidsbanken i Hofors 2023?", ["Hofors"]) == (
        "Vad kostade Fritidsbanken i  ?"
    )


def test_a_question_is_frozen():
    q = parse("Hur många pappor deltog?")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.text = "Något annat"  # type: ignore[misc]


def test_the_topic_of_what_a_municipality_did():
    q = parse("Vad har Filipstad gjort för att bygga ut bredbandet på landsbygden?")
    assert q.topic == "bredbandet" and q.any_topic is None
    assert parse("Har någon kommun erbjudit skuldrådgivning?").any_topic == "skuldrådgivning"


def test_a_question_on_what_was_done_asks_for_the_work_not_the_conditions():
    assert parse("Vad har Ljusdal gjort för att öka skolnärvaron?").asks_work
    assert parse("Vilka insatser har Vansbro genomfört 2024?").asks_work
    assert parse("Hur arbetar Klippan med tryggheten?").asks_work
    assert not parse("Vilka utmaningar har Vansbro?").asks_work
    assert not parse("Hur många invånare har Grums?").asks_work
