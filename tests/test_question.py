"""The parsed question (assistant/qa/question.py): what the answer path takes a question to mean."""

import dataclasses

import pytest

from assistant.qa.question import Question, follows_up, parse_question, without_filters
from ingest.metadata import load_municipalities

pytestmark = pytest.mark.unit

MUNICIPALITIES = load_municipalities()
WORDS = {w for m in MUNICIPALITIES for w in (m.name.lower(), f"{m.name.lower()}s")}


def parse(text: str) -> Question:
    return parse_question(text, municipalities=MUNICIPALITIES, municipality_words=WORDS)


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
