from ingest.metadata import load_municipalities, recognise_municipality, recognise_year

MUNICIPALITIES = load_municipalities()


def test_default_list_has_the_30_municipalities():
    assert len(MUNICIPALITIES) == 30
    assert {"Hofors", "Östra Göinge", "Malung-Sälen"} <= {m.name for m in MUNICIPALITIES}


def test_file_name_wins_over_text_mentions():
    text = "Vi har samverkat med Bjuv och Bjuv och Bjuv."
    assert recognise_municipality("Hofors_aterrapportering_2023.pdf", text, MUNICIPALITIES) == "Hofors"


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
    path.write_text("Ljusnarsberg | orter: Kopparberg, Ställdalen\nMalung-Sälen | Malung | Sälen\n",
                    encoding="utf-8")
    known = load_municipalities(path)
    assert known[0].places == ("Kopparberg", "Ställdalen") and known[0].aliases == ()
    assert known[1].aliases == ("Malung", "Sälen") and known[1].places == ()
    # a report that mentions Kopparberg is not thereby Ljusnarsberg's
    assert recognise_municipality("rapport.pdf", "Besök i Kopparberg och Sälen. Sälen.", known) == "Malung-Sälen"
