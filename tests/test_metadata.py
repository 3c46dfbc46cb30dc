import pytest

from ingest.metadata import load_municipalities, recognise_municipality, recognise_year

pytestmark = pytest.mark.unit

MUNICIPALITIES = load_municipalities()


def test_default_list_has_the_30_municipalities():
    assert len(MUNICIPALITIES) == 30
    assert {"Hofors", "Östra Göinge", "Malung-Sälen"} <= {m.name for m in MUNICIPALITIES}


def test_file_name_wins_over_text_mentions():
    text = "Vi har samverkat med Bjuv och Bjuv och Bjuv."
    assert (
        recognise_municipality("Hofors_aterrapportering_2023.pdf", text, MUNICIPALITIES) == "Hofors"
    )


def test_text_decides_when_file_name_is_a_diary_number():
    text = "Östra Göinge kommun\nÅterrapportering 2023\nÖstra Göinge kommun har ... Hofors nämns."
    assert recognise_municipality("Dnr KS 2023-145 Återrapport.pdf", text, MUNICIPALITIES) == (
        "Östra Göinge"
    )


def test_aliases_and_spelling_variants():
    assert recognise_municipality("x.pdf", "Malung-Sälens kommun", MUNICIPALITIES) == "Malung-Sälen"
    assert recognise_municipality("malung_salen.pdf", "Sälen", MUNICIPALITIES) == "Malung-Sälen"


def test_unknown_municipality_is_none():
    assert recognise_municipality("report.pdf", "Stockholms stad", MUNICIPALITIES) is None


def test_year_from_text_then_file_name():
    assert recognise_year("Dnr KS 2023-145.pdf", "Återrapportering 2024\n...") == 2024
    assert recognise_year("Hofors_2023.pdf", "Inget år här") == 2023
    assert recognise_year("x.pdf", "ingenting") is None


def test_localities_are_read_but_do_not_recognise_a_report(tmp_path):
    from ingest.metadata import load_municipalities, recognise_municipality

    path = tmp_path / "kommuner.txt"
    path.write_text(
        "Ljusnarsberg | orter: Kopparberg, Ställdalen\nMalung-Sälen | Malung | Sälen\n",
        encoding="utf-8",
    )
    known = load_municipalities(path)
    assert known[0].places == ("Kopparberg", "Ställdalen") and known[0].aliases == ()
    assert known[1].aliases == ("Malung", "Sälen") and known[1].places == ()
    # a report that mentions Kopparberg is not thereby Ljusnarsberg's
    assert (
        recognise_municipality("rapport.pdf", "Besök i Kopparberg och Sälen. Sälen.", known)
        == "Malung-Sälen"
    )


ALL = None


def _all():
    global ALL
    if ALL is None:
        from ingest.metadata import all_municipalities

        ALL = all_municipalities()
    return ALL


def test_the_list_of_all_municipalities_has_290_with_unique_codes():
    from ingest.metadata import ALL_MUNICIPALITIES_FILE

    listed = load_municipalities(ALL_MUNICIPALITIES_FILE)
    assert len(listed) == 290
    assert len({m.code for m in listed}) == 290 and all(len(m.code) == 4 for m in listed)
    assert len({m.name for m in listed}) == 290


def test_every_grant_municipality_is_a_swedish_municipality_with_its_localities():
    names = {m.name: m for m in _all()}
    assert len(names) == 290  # the grant's list adds no names of its own
    assert names["Ljusnarsberg"].places[:1] == ("Kopparberg",)
    assert names["Malung-Sälen"].aliases == ("Malung", "Sälen")


def test_a_municipality_outside_the_grant_list_is_recognised():
    text = "ÄLVDALEN KOMMUN\n1 (3)\nÄlvdalens kommun har under 2024 arbetat i byarna nära Sälen."
    assert recognise_municipality("Återrapport_final (1).pdf", text, _all()) == "Älvdalen"


def test_a_name_is_a_whole_word_so_angest_is_not_ange():
    text = "Dals-Eds kommun\nUnga vittnar om ångest och oro. Ångesten minskade. ÅNGEST."
    assert recognise_municipality("rapport.pdf", text, _all()) == "Dals-Ed"


def test_spelling_variants_of_hyphenated_names():
    assert recognise_municipality("x.pdf", "Dals Eds kommun har", _all()) == "Dals-Ed"
    assert recognise_municipality("x.pdf", "MALUNG-SÄLENS KOMMUN", _all()) == "Malung-Sälen"
    assert recognise_municipality("Ostra_Goinge_2024.pdf", "", _all()) == "Östra Göinge"


def test_the_reporting_municipality_beats_one_mentioned_in_passing():
    text = (
        "Smedjebackens kommun · Återrapport 2024\n"
        "Vi har haft erfarenhetsutbyte med Hofors kommun och Fagersta kommun. Region Gävleborg "
        "och Region Örebro län har bidragit.\nSmedjebackens kommun · Återrapport 2024\n"
    )
    assert recognise_municipality("Dnr KS 2025-0031.pdf", text, _all()) == "Smedjebacken"


def test_a_region_is_not_a_municipality_except_gotland():
    assert (
        recognise_municipality("x.pdf", "Region Örebro län och Region Gävleborg.", _all()) is None
    )
    assert recognise_municipality("x.pdf", "Region Gotland redovisar", _all()) == "Gotland"


def test_a_short_name_that_is_a_word_needs_a_capital():
    text = "Vi vill vara en kommun där mark och berg används väl. Vi vill vara med."
    assert recognise_municipality("rapport.pdf", text, _all()) is None


def test_canonical_name_of_what_a_caseworker_types():
    from ingest.metadata import canonical_name

    assert canonical_name("Älvdalens kommun", _all()) == "Älvdalen"
    assert canonical_name("malung salen", _all()) == "Malung-Sälen"
    assert canonical_name("Haparanda stad", _all()) == "Haparanda"
    assert canonical_name("Atlantis", _all()) is None


def test_questions_name_short_municipalities_only_capitalised():
    from assistant.qa.question import understand

    assert understand("Vad har Eda gjort för unga?", _all()).municipalities == ["Eda"]
    assert understand("Vad ska en kommun vara bra på?", _all()).municipalities == []
    assert understand("Hur många filipstadselever deltog?", _all()).municipalities == ["Filipstad"]
    assert understand("Hur mår unga med ångest i Ånge?", _all()).municipalities == ["Ånge"]
