"""Template phrases that most municipalities' reports share answer only a question that
shares a word with them."""

import pytest

from assistant.qa.common_text import common_keys, is_common, template_key
from rapport_settings import CommonTextSettings

pytestmark = pytest.mark.unit

NAMES = {
    "olofström",
    "olofströms",
    "perstorp",
    "perstorps",
    "hofors",
    "filipstad",
    "bengtsfors",
    "ljusnarsberg",
    "torsby",
}


def test_municipalities_regions_and_figures_are_masked():
    a = template_key(
        "Olofströms kommun har cirka 13 000 invånare och ligger i Region Blekinge.", NAMES
    )
    b = template_key("Perstorps kommun har cirka 7 500 invånare och ligger i Region Skåne.", NAMES)
    assert a == b
    assert template_key("Fältassistenterna hade 1 480 samtal med unga.") != template_key(
        "Fältassistenterna hade 1 480 besök av unga."
    )
    # other names say what a sentence is about: "Fritidsbanken" is not "Läxhjälpen"
    assert template_key("I april hade Fritidsbanken öppet tre dagar.", NAMES) != template_key(
        "I april hade Läxhjälpen öppet tre dagar.", NAMES
    )


def test_a_phrase_is_common_when_more_than_half_of_the_municipalities_have_it():
    shared = "Statsbidraget har gjort det möjligt för {} kommun att arbeta långsiktigt."
    units = {
        name: [shared.format(name), f"{name} har öppnat en fritidsbank."]
        for name in ["Hofors", "Filipstad", "Perstorp", "Bengtsfors", "Olofström"]
    }
    units["Ljusnarsberg"] = ["Kommunen har utbildat 36 medarbetare."]
    units["Torsby"] = ["Kommunen har utbildat 12 medarbetare."]
    keys = common_keys(units, NAMES)
    assert template_key(shared.format("Hofors"), NAMES) in keys  # 5 of 7
    assert template_key("Kommunen har utbildat 36 medarbetare.", NAMES) not in keys  # 2 of 7
    # the names differ, the rest is the same: "# har öppnat en fritidsbank." in 5 of 7
    assert template_key("Hofors har öppnat en fritidsbank.", NAMES) in keys
    assert common_keys(units) != keys  # unmasked, the municipalities' names keep them apart


def test_with_few_municipalities_a_phrase_needs_three():
    units = {
        "A": ["Kommunen har en styrgrupp som träffas ofta."],
        "B": ["Kommunen har en styrgrupp som träffas ofta."],
    }
    assert common_keys(units) == set()


def test_the_common_text_thresholds_follow_the_settings():
    shared = "Kommunen har en styrgrupp som träffas ofta."
    units = {name: [shared] for name in "ABC"}
    units |= {name: ["Kommunen har öppnat en fritidsbank."] for name in "DE"}  # 3 of 5 share it
    key = template_key(shared)
    assert key in common_keys(units)
    assert key not in common_keys(units, settings=CommonTextSettings(min_municipalities=4))
    assert key not in common_keys(units, settings=CommonTextSettings(share=0.6))  # 3 of 5 = 0.6
    two = {name: [shared] for name in "AB"}
    assert key in common_keys(two, settings=CommonTextSettings(min_municipalities=2))


def test_a_piece_of_a_common_phrase_cut_at_a_chunk_edge_is_common():
    common = {
        template_key(
            "Kommunen har fått positiva reaktioner från invånare som tagit del av insatserna."
        )
    }
    assert is_common("från invånare som tagit del av insatserna.", common)
    assert is_common("Kommunen har fått positiva reaktioner från", common)
    assert not is_common("av insatserna.", common)  # too short to tell
    assert not is_common("Invånare som tagit del av Fritidsbanken är nöjda.", common)
