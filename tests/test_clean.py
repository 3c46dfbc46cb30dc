import pytest

from ingest.clean import clean_pages, join_hyphenated, normalize_chars

pytestmark = pytest.mark.unit


def test_hyphenated_line_break_is_joined():
    assert join_hyphenated("arbete med kompetens-\nförsörjning i länet") == (
        "arbete med kompetensförsörjning i länet"
    )


def test_coordinating_hyphen_is_kept():
    text = "insatser för barn-\noch ungdomsverksamhet"
    assert join_hyphenated(text) == text


def test_ligatures_bullets_and_private_use_glyphs_are_normalised():
    text = normalize_chars("\uf0b7 ﬁnansiering\u00a0av  projektet\n\u2022 fri\u00adtid")
    assert text == "• finansiering av projektet\n• fritid"


def test_running_headers_footers_and_page_numbers_are_dropped():
    bodies = [
        "Fritidsbanken öppnade i mars.\nDen lånar ut utrustning.",
        "Läxhjälpen har 40 deltagare.\nDen drivs av en förening.",
        "Budgeten följdes.\nUtfallet blev lägre.",
    ]
    pages = [
        f"Hofors kommun – Återrapportering 2023\n{body}\nSida {n} av 3"
        for n, body in enumerate(bodies, 1)
    ]
    assert clean_pages(pages) == bodies


def test_single_page_keeps_its_text():
    assert clean_pages(["Rubrik\nText här."]) == ["Rubrik\nText här."]
