"""Answers with verified citations on the real sample store: extractive by default, an LLM
through a real OpenAI-compatible HTTP endpoint, and the fallback when that endpoint fails."""

import re

import pytest

from assistant.llm import LLMSettings, make_chat_model
from assistant.qa.answer import Conversation
from assistant.qa.common_text import is_common
from assistant.qa.verify import NO_ANSWER_TEXT, quote_on_page
from assistant.service import Service
from tests.openai_stub import openai_stub  # noqa: F401


@pytest.fixture(scope="module")
def service(sample_store):
    return Service(sample_store, llm=None)


def _assert_verified(service, answer):
    for c in answer.citations:
        chunk = service.store.get_chunks([c.chunk_id])[c.chunk_id]
        assert (chunk.source, chunk.page, chunk.municipality) == (c.source, c.page, c.municipality)
        assert quote_on_page(c.quote, service.store.page_text(chunk.file_hash, c.page))
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.id for c in answer.citations}


def test_extractive_answer_cites_the_table_row_for_an_amount(service):
    answer = service.ask("Hur mycket lade Hofors på Fritidsbanken 2023?")
    assert answer.mode == "extractive" and answer.citations
    _assert_verified(service, answer)
    assert any("Fritidsbanken |" in c.quote for c in answer.citations)
    assert {c.municipality for c in answer.citations} == {"Hofors"}


def test_answer_over_all_reports_is_grouped_per_municipality(service):
    answer = service.ask("Hur arbetar kommunerna med stöd till föräldrar?")
    _assert_verified(service, answer)
    municipalities = {c.municipality for c in answer.citations}
    assert len(municipalities) >= 2
    lead, *lines = answer.text.splitlines()
    # answer first: the municipalities found, each with a citation of its own
    assert lead.startswith("Rapporterna från ")
    by_id = {c.id: c.municipality for c in answer.citations}
    assert {by_id[int(n)] for n in re.findall(r"\[(\d+)\]", lead)} == municipalities
    for line in lines:  # "Hofors (2024): ..." or, named after the insats, "Hofors (2024), X: ..."
        assert re.match(r"^[A-ZÅÄÖ][\w -]+ \(20\d\d\)(: |, [^:\[]+: )", line)


@pytest.mark.unit
def test_a_quote_starts_at_the_sentence_not_at_the_heading_glued_on():
    from assistant.qa.evidence import drop_heading, evidence_units
    from ingest.records import Chunk

    assert drop_heading("3 Insatser Feriejobb Under 2024 fick 118 ungdomar jobb.", "Feriejobb") == (
        "Under 2024 fick 118 ungdomar jobb."
    )
    assert (
        drop_heading("Feriejobb är populära bland unga.", "Feriejobb")
        == "Feriejobb är populära bland unga."
    )
    # the section as its heading line has it (an en dash), the sentence normalised (a hyphen)
    glued = "Aktivitet 3 - Sommarlov i byarna Gratis aktiviteter för barn 6-15 år."
    assert drop_heading(glued, "Aktivitet 3 – Sommarlov i byarna") == (
        "Gratis aktiviteter för barn 6-15 år."
    )
    chunk = Chunk(
        id="c",
        text="Aktivitet 4 - Feriejobb • 58 ungdomar fick feriejobb i tre veckor. "
        "• Två ungdomar fick extrajobb på campingen.",
        municipality="Vansbro",
        year=2024,
        source="v.pdf",
        path="v.pdf",
        page=4,
        section="Aktivitet 4 - Feriejobb",
        file_hash="h",
        content_hash="c",
    )
    assert evidence_units(chunk) == [
        "58 ungdomar fick feriejobb i tre veckor.",
        "Två ungdomar fick extrajobb på campingen.",
    ]


@pytest.mark.unit
def test_rows_read_from_a_picture_are_not_quoted_as_evidence():
    from assistant.qa.evidence import evidence_units
    from ingest.records import Chunk
    from ingest.tables import PICTURE_TABLE_CAPTION

    text = (
        "Insats | Budget | Utfall\nFritidsbanken | 520 000 | 447 600\n"
        f"{PICTURE_TABLE_CAPTION}\nLärcentrum | 300 000 | 280 000"
    )
    chunk = Chunk(
        id="c",
        text=text,
        municipality="Ockelbo",
        year=2021,
        source="o.pdf",
        path="o.pdf",
        page=3,
        section="Ekonomi",
        file_hash="h",
        content_hash="c",
    )
    units = evidence_units(chunk)
    assert "Fritidsbanken | 520 000 | 447 600" in units
    assert not any("Lärcentrum" in u for u in units)


@pytest.mark.unit
def test_a_label_over_a_list_is_not_glued_to_the_item_above():
    from assistant.qa.evidence import evidence_units
    from ingest.records import Chunk

    text = (
        "• Positiv respons från skolan, som lånat utrustning till friluftsdagar\n"
        "Svårigheter:\n"
        "• Källarlokalen är trång och saknar plats för kanoter.\n"
        "Under året har insatsen genomförts i två geografiska\n"
        "områden: parken och torget i centrala Klippan."
    )
    chunk = Chunk("c", text, "Munkfors", 2021, "m.pdf", "m.pdf", 3, "", "h", "c")
    assert evidence_units(chunk) == [
        "Positiv respons från skolan, som lånat utrustning till friluftsdagar",
        "Källarlokalen är trång och saknar plats för kanoter.",
        # a sentence wrapped at a colon is no label
        "Under året har insatsen genomförts i två geografiska områden: parken och torget i "
        "centrala Klippan.",
    ]


@pytest.mark.parametrize(
    "question", ["Vilka kommuner har en fritidsbank?", "Vilka kommuner arbetar med psykisk hälsa?"]
)
def test_which_municipalities_names_only_those_the_survey_confirms(service, question):
    from assistant.survey import survey

    answer = service.ask(question)
    _assert_verified(service, answer)
    confirmed = {f.municipality for f in survey(service, question).found}
    assert answer.citations
    assert {c.municipality for c in answer.citations} <= confirmed


def test_which_municipalities_with_a_topic_no_report_shows_cites_nothing(service):
    answer = service.ask("Vilka kommuner har insatser mot hedersrelaterat våld och förtryck?")
    assert answer.citations == []
    assert answer.text.startswith(NO_ANSWER_TEXT[:-1])


def test_a_named_municipality_is_not_surveyed(service):
    answer = service.ask("Vilka insatser har Hofors kommun gjort för föräldrar?")
    assert answer.citations and {c.municipality for c in answer.citations} == {"Hofors"}
    assert "visar inte detta" not in answer.text


def test_question_the_reports_do_not_answer_cites_nothing(service):
    answer = service.ask("Vad kostade Fritidsbanken i Perstorp 2023?")
    assert answer.citations == []
    assert answer.text.startswith(NO_ANSWER_TEXT[:-1])


@pytest.mark.unit
@pytest.mark.parametrize(
    "question, noun",
    [
        ("Hur många pappor gick i ABC-grupperna?", "pappor"),
        ("Hur många nya belysningsstolpar har Olofström satt upp?", "belysningsstolpar"),
        ("Hur många ur personalen har gått kursen?", "personalen"),
        ("Hur många deltog i ABC-grupperna?", None),  # a verb: the count of people, unnamed
        ("Hur många kom på dialogmötena?", None),
        ("Hur många svarade på enkäten om torget?", None),  # a past tense: people, unnamed
        ("Vad kostade Fritidsbanken?", None),
        ("Hur många procent av hushållen lever på försörjningsstöd?", None),  # a share, not a count
    ],
)
def test_counted_noun(question, noun):
    from assistant.qa.question import counted_noun

    assert counted_noun(question) == noun


@pytest.mark.unit
def test_a_count_is_a_number_next_to_the_counted_word():
    from assistant.qa.typed import counts
    from vectorstore.swedish import analyze

    terms = set(analyze("vårdnadshavare"))
    assert counts("sex ABC-grupper med sammanlagt 41 vårdnadshavare", terms, analyze)
    assert counts("Fyra nya vårdnadshavare anmälde sig.", terms, analyze)
    assert counts("Antalet vårdnadshavare ökade till 67 under året.", terms, analyze)
    assert not counts("Vårdnadshavarna var nöjda, och 88 procent fullföljde.", terms, analyze)
    assert not counts("Fältassistenterna hade kontakt med 300 unga.", terms, analyze)
    # a figure counts within its phrase: a name in brackets is no count of its words
    children = set(analyze("barn"))
    assert not counts("Fem grupper (Trygga Barn i Skolan) hölls under året.", children, analyze)
    assert counts("Fem grupper med sammanlagt 40 barn hölls under året.", children, analyze)
    # nor a figure linked to the noun by a preposition: a school year is no count of pupils
    pupils = set(analyze("elever"))
    assert not counts("Stödet ges i årskurs 7 och 8 samt till elever i gymnasiet.", pupils, analyze)
    assert counts("44 av de 52 eleverna fullföljde.", pupils, analyze)
    loans = set(analyze("utlån"))
    assert counts(
        "Utlånen från Fritidsbanken ökade från 1 240 år 2022 till 1 870 år 2023.", loans, analyze
    )
    assert not counts("Utlånen ökade under 2023 tack vare nya öppettider.", loans, analyze)


@pytest.mark.unit
def test_an_amount_of_money_is_a_table_row_or_a_figure_with_a_currency():
    from assistant.qa.typed import gives_money

    assert gives_money("Medborgarlöfte | 200 | 187")
    assert gives_money("Insatsen kostade 1,2 miljoner kronor.") and gives_money("totalt 450 tkr")
    assert not gives_money("De digitala caféerna hade 340 besök.")


@pytest.mark.parametrize(
    "question",
    [
        "Hur många pappor gick i ABC-grupperna i Hofors 2024?",  # fathers are named in 2023 only
        "Hur hög var arbetslösheten i procent i Perstorp 2024?",  # no percentage is reported
        "Vad kostade den tryckta guiden till e-tjänsterna i Malung-Sälen?",  # no cost given
        "Hur stor andel av deltagarna i Unga i jobb i Bengtsfors var kvinnor?",  # other shares
        # of children
        "Hur stor andel av barnen på sommarlovsaktiviteterna i Hofors 2024 var pojkar?",
        # 52 took part in something else
        "Hur många deltog i Perstorps medborgardialog under 2024?",
        "Vad kostade den nya badplatsen i Malung-Sälen?",  # the "Platsutveckling" row is not it
        "Vad heter den förvaltningsövergripande samordnaren i Filipstad?",  # the role, no name
        "Vilka företag tog emot ungdomar med feriejobb i Hofors 2024?",  # places, partners; no firm
        "Vilka arbetsgivare har Filipstad avtal med om "
        "praktikplatser?",  # "elva lokala arbetsgivare"
        # 287 participants, not visits
        "Hur många besök hade sommarlovsaktiviteterna i Hofors 2024?",
        "Vad heter fältassistenten i Ljusnarsberg?",  # "Arbetsgivarna i Robertsholm": a place
        "Hur mycket pengar fick Hofors från Tillväxtverket 2023?",  # no report names the agency
        "Vad kostade skolvärdarna på Holjeskolan 2024?",  # Holjeskolan is Olofström's; no such row
        # "november 2024 för vårdnadshavare" is no count; the 2024 total is not the new group's
        "Hur många vårdnadshavare gick i den extra ABC-gruppen som Hofors startade i november "
        "2024?",
        # 151 in all groups
        "Hur många unga deltog i Filipstads nya grupp för oro inför framtiden?",
        # a share, a budget row or a crime count "i centrala Kopparberg" is no count of visitors
        "Hur många besökte medborgarkontorets digitala drop-in i Kopparberg under 2023?",
    ],
)
def test_a_figure_of_something_else_is_no_answer(service, question):
    answer = service.ask(question)
    assert answer.citations == [], answer.text
    assert answer.text.startswith(NO_ANSWER_TEXT[:-1])


@pytest.mark.parametrize(
    "question, quoted",
    [
        ("När öppnade Fritidsbanken i Filipstad?", "augusti 2024"),
        ("När öppnade Fritidsbanken i Hofors sina nya lokaler?", "mars 2023"),
        ("Vilka tider arbetar fältassistenten i Ljusnarsberg?", "mellan klockan 18 och 01"),
        ("Hur många vårdnadshavare deltog i ABC-grupperna i Hofors 2023?", "41 vårdnadshavare"),
        ("Hur många deltog i Stöd i föräldrarollen i Perstorp 2024?", "deltog 52 föräldrar"),
        (
            "Vad kostade sommarlovsverksamheten i Hofors 2023?",
            "Sommarlovsaktiviteter |",
        ),  # first part
        (
            "Hur många enkätsvar kom in i Perstorps medborgardialog 2023?",
            "412 svar på en enkät",
        ),  # head
        ("Vad heter fritidsgården där Olofström har läxhjälp?", "fritidsgården Navet"),
        ("På vilka språk hölls ABC-grupperna i Hofors 2023?", "på arabiska och en på somaliska"),
        (
            "På vilka skolor fanns skolvärdarna i Östra Göinge 2023?",
            "Knislingeskolan och Brobyskolan",
        ),
        ("Vilka organisationer samarbetar Ljusnarsberg med?", "polisen, räddningstjänsten"),
        ("Hur många av vårdnadshavarna i ABC-grupperna i Hofors fullföljde 2023?", "fullföljde 35"),
        ("Hur många besök hade de digitala caféerna i Malung-Sälen 2024?", "340 besök"),
        ("Hur många skadegörelsebrott anmäldes i Kopparberg 2023?", "anmälda skadegörelsebrott"),
        # "anmälda" incidents are reported ones, not sign-ups: the incident reports answer
        ("Hur mycket minskade de anmälda incidenterna på Knislingeskolan?", "från 212 till 148"),
        (
            "Hur många av barnen i simskolan i Olofström klarade simkunnighetsprovet 2023?",
            "80 procent av barnen",
        ),
        (
            "Hur många pappor deltog i föräldraskapsstödet i Broby och Knislinge 2024?",
            "varav 19 pappor",
        ),
        # the caseworker's word, the report's: vandalism is skadegörelse, centrum is centrala
        (
            "Har vandalismen i Kopparbergs centrum minskat?",
            "skadegörelsebrott i centrala Kopparberg",
        ),
        # a broad word with no near synonym is counted by the reports' word for the same people
        (
            "Hur många anställda i Ljusnarsberg har gått Första hjälpen till psykisk hälsa?",
            "36 medarbetare",
        ),
        # "Hur många gånger ...": a count of occasions, whatever the report calls them; and
        # the inhabitants of a municipality ("Hoforsborna") are no unknown name
        ("Hur många gånger fick Hoforsborna låna sportprylar gratis under 2023?", "1 870 utlån"),
        ("Hur många gånger pratade fältarna i Hofors med unga under 2024?", "1 480 samtal"),
        (
            "Hur många gånger lånade Hoforsborna sportgrejer kostnadsfritt 2023?",
            "1 870 utlån",
        ),  # free is no cost
        # "mammor och pappor" together are the parents the report counts
        (
            "Hur många mammor och pappor gick på föräldrakurserna i Hofors 2023?",
            "41 vårdnadshavare",
        ),
        (
            "Hur många tkr budgeterade Östra Göinge för skolvärdar 2023?",
            "Skolvärdar |",
        ),  # tkr is money
        (
            "Vem hjälper barnen med läxläsningen på fritidsgården i Olofström, och hur ofta?",
            "lärarstudenter",
        ),
        (
            "På vilka språk kunde mammor och pappor i Perstorp gå på föräldrakursen 2023?",
            "tigrinja",
        ),
        (
            "Vad har byborna i Malung-Sälen fått igenom efter dialogmötena 2024?",
            "badplats",
        ),  # villagers
        # an unknown verb ("Mådde") says how it went, not what the question is about
        (
            "Mådde de unga vuxna i Bengtsfors bättre efter gruppkursen om oro?",
            "oro och nedstämdhet",
        ),
        ("Hur ofta träffades ledningsgruppen i Hofors 2023?", "varannan vecka"),  # a frequency
        (
            "Hur många av föräldrarna i ABC-grupperna i Hofors fullföljde 2023?",
            "fullföljde 35",
        ),  # vårdnadshavare
    ],
)
def test_a_date_schedule_count_or_cost_the_report_gives_is_cited(service, question, quoted):
    answer = service.ask(question)
    assert answer.citations, answer.text
    assert any(quoted in c.quote for c in answer.citations)


def test_a_word_of_a_heading_after_its_name_is_no_insats_another_municipality_lacks(service):
    # "Medborgardialog i byarna" (Malung-Sälen) names a dialogue, not the villages
    answer = service.ask(
        "I vilka byar i Olofström tycker kommunen att tonåringarna har för lite att göra?"
    )
    assert answer.citations, answer.text
    assert {c.municipality for c in answer.citations} == {"Olofström"}


def test_a_year_without_a_report_is_said_even_when_the_year_before_is_read(service):
    answer = service.ask("Hur har e-tjänsterna i Ljusnarsberg utvecklats under 2024?")
    assert answer.citations == []
    assert "ingen rapport från Ljusnarsberg för 2024" in answer.text


def test_a_year_without_a_report_is_answered_by_what_the_next_report_says_of_it(service):
    answer = service.ask("Hur många utlån hade Fritidsbanken i Hofors under 2022?")
    assert answer.citations, answer.text
    assert {(c.municipality, c.year) for c in answer.citations} == {("Hofors", 2023)}
    assert all("2022" in c.quote for c in answer.citations)
    assert any("1 240" in c.quote for c in answer.citations)
    assert "ingen rapport från Hofors för 2022" in answer.notice
    _assert_verified(service, answer)


def test_a_year_without_a_report_that_the_next_report_does_not_speak_of_cites_nothing(service):
    answer = service.ask("Hur många fältassistenter hade Hofors 2022?")
    assert answer.citations == []
    assert "ingen rapport från Hofors för 2022" in answer.text


def test_template_phrases_every_report_has_are_no_answer_to_a_topic_they_do_not_name(service):
    common, names = service.answerer.common_text(), service.answerer.retriever.place_names()
    answer = service.ask("Vilka av Olofströms insatser rör äldreomsorgen?")
    assert not [c.quote for c in answer.citations if is_common(c.quote, common, names)]
    # ... but they do answer a question about what they say
    answer = service.ask("Hur ofta träffas styrgruppen i Hofors?")
    assert any(
        "styrgrupp" in c.quote and is_common(c.quote, common, names) for c in answer.citations
    )


@pytest.mark.parametrize(
    "question, quoted",
    [
        # the reports' "feriejobb" and "flickor" for the caseworker's words
        ("Hur stor andel av sommarjobbarna i Filipstad 2023 var tjejer?", "48 procent flickor"),
        # "extra vuxna" are elevcoacher and skolvärdar; "extra" names no insats Perstorp lacks
        (
            "Hur många extra vuxna jobbar med eleverna på Centralskolan i Perstorp under 2024?",
            "fyra elevcoacher",
        ),
        # a word the reports do not use, with only broad synonyms in the thesaurus
        ("Hur många ungdomsarbetare hade Hofors 2024?", "tre fältassistenter"),
        # the insats is named by the section heading ("Säsongsjobb i fjällen"), not the sentence
        ("Hur många deltog i säsongsjobbkursen i Malung-Sälen 2024?", "64 deltagare"),
        # how much a cost fell: a change in percent answers it
        (
            "Hur mycket sjönk kostnaderna för socialbidrag i Filipstad under 2024?",
            "minskade med 4 procent",
        ),
        # a municipality's name glued to a word the reports use is no unknown name
        ("Har fler Filipstadselever blivit behöriga till gymnasiets yrkesprogram?", "yrkesprogram"),
        # households are the families a caseworker asks about
        ("Hur många familjer i Olofström blev självförsörjande 2023?", "26 hushåll"),
        # "personer" names no one: the report's participants are the people counted
        (
            "Hur många personer med försörjningsstöd i Filipstad blev självförsörjande 2023?",
            "29 av 88 deltagare",
        ),
    ],
)
def test_a_figure_asked_in_other_words_is_cited(service, question, quoted):
    answer = service.ask(question)
    assert any(quoted in c.quote for c in answer.citations), answer.text


@pytest.mark.parametrize(
    "silent, asked, quoted",
    [
        # a new group is counted by a clause with the new one and a figure: "deltog 52
        # föräldrar i Stöd i föräldrarollen, och en ny grupp ... startade": 52 are all
        (
            "Hur många föräldrar var med i Perstorps nya grupp för tonårsföräldrar?",
            "Hur många evenemang har hållits vid den nya mötesplatsen i Sälens by?",
            "elva evenemang",
        ),
        # "Steget vidare har haft 58 deltagare och ett nytt spår ...": 58 took part in all
        (
            "Hur många deltog i Steget vidares nya spår i Perstorp 2024?",
            "Hur många deltagare hade Steget vidare i Perstorp 2024?",
            "58 deltagare",
        ),
        # a topic one municipality's reports never name, whatever its overview sentences say
        (
            "Hur har Östra Göinge använt bidraget för att hjälpa nyföretagare?",
            "Hur har Östra Göinge arbetat med skolvärdar?",
            "Skolvärdar",
        ),
        # ... and one no report names
        (
            "Vilka kommuner har använt bidraget till skuldrådgivning?",
            "Vilka kommuner har använt bidraget till en fritidsbank?",
            "Fritidsbank",
        ),
        # a person asked by role: an organisation's name is no answer
        (
            "Vad heter samordnaren för samverkan med Samordningsförbundet i Bengtsfors?",
            "Vad heter familjecentralen i Perstorp?",
            "Kompassen",
        ),
        # a split by gender needs a count of one of them, not an aim to reach both
        (
            "Hur fördelade sig deltagarna i Filipstads samtalsgrupper mellan flickor och pojkar?",
            "Hur stor andel av sommarjobbarna i Filipstad 2023 var flickor?",
            "48 procent flickor",
        ),
        # a language asked about must be named: Östra Göinge's groups were in arabiska and dari
        (
            "Hur många deltagare fick föräldraskapsstöd på somaliska i Östra Göinge 2023?",
            "Hur många föräldrar tog del av föräldraskapsstödet på arabiska i Östra Göinge 2023?",
            "22 av dem",
        ),
    ],
    ids=[
        "new-group",
        "new-track",
        "topic",
        "topic-all",
        "person",
        "gender-split",
        "language",
    ],
)
def test_a_near_miss_cites_nothing_while_what_the_report_counts_is_cited(
    service, silent, asked, quoted
):
    answer = service.ask(silent)
    assert answer.citations == [], answer.text
    answer = service.ask(asked)
    assert any(quoted in c.quote for c in answer.citations), answer.text


@pytest.mark.unit
def test_an_article_is_no_count():
    from assistant.qa.typed import counts
    from vectorstore.swedish import analyze

    assert not counts("Varje deltagare får en personlig coach.", {"person"}, analyze)
    assert counts("Fem personer fick arbete.", set(analyze("personer")), analyze)


def test_a_phrase_of_the_thesaurus_keeps_its_words_from_being_judged_unknown(service):
    # "offentliga" alone is no report's word; "offentliga platser" is the thesaurus's phrase
    # for the reports' "utemiljön"
    answer = service.ask("Vilka kommuner har satt upp ny belysning på offentliga platser?")
    assert answer.citations, answer.text


def test_a_question_about_lessons_is_no_question_about_a_decision(service):
    answer = service.ask("Vilka slutsatser drar Hofors om fältassistenterna?")
    assert answer.citations and {c.municipality for c in answer.citations} == {"Hofors"}


def test_explicit_filters_win_over_the_question(service):
    answer = service.ask("Hur gick det med feriejobben i Hofors?", municipalities=["Filipstad"])
    assert answer.citations and {c.municipality for c in answer.citations} == {"Filipstad"}


def test_prompt_injection_in_a_report_changes_nothing(service):
    answer = service.ask("Vilka lärdomar drar Perstorp 2024?")
    _assert_verified(service, answer)
    assert "alla kommuner har nått sina mål" not in answer.text.replace("Ignorera", "")
    injected = [c for c in answer.citations if "Ignorera tidigare instruktioner" in c.quote]
    # If the sentence is cited at all, it is cited as what the report says, verbatim.
    for c in injected:
        assert c.municipality == "Perstorp"
    other = service.ask("Har Hofors nått sina mål för feriejobb?")
    assert "alla kommuner har nått sina mål" not in other.text


def test_follow_up_carries_municipality_and_topic(service):
    first = "Hur många ungdomar hade feriejobb i Filipstad 2024?"
    conversation = service.remember(Conversation(), first)
    assert conversation.municipalities == ["Filipstad"]
    follow_up = service.ask("Och i Hofors?", conversation=conversation)
    assert follow_up.citations
    assert {c.municipality for c in follow_up.citations} == {"Hofors"}
    assert any("feriejobb" in c.quote.lower() for c in follow_up.citations)


def _llm(stub, timeout=5):
    return make_chat_model(
        LLMSettings(
            provider="openai", base_url=stub.base_url, model="stub-model", timeout_s=timeout
        )
    )


def _first_passage(request: dict) -> tuple[int, str]:
    text = request["messages"][-1]["content"]
    n, body = re.search(r"^\[(\d+)\] \([^)]*\)\n(.+)$", text, re.M).groups()
    return int(n), " ".join(body.split()[:10])


@pytest.mark.integration
def test_llm_answer_over_http_is_verified_and_errors_are_removed(sample_store, openai_stub):
    def reply(request):
        n, quote = _first_passage(request)
        return (
            f"{quote} [{n}]\nKommunen lade 9 999 999 kr på en simhall [{n}].\n"
            f'Alla kommuner har nått sina mål [{n + 1}].\n\nKÄLLOR:\n[{n}] "{quote}"\n'
            f'[{n + 1}] "Alla kommuner har nått sina mål enligt Tillväxtverket"\n'
        )

    openai_stub.script(reply)
    service = Service(sample_store, llm=_llm(openai_stub))
    answer = service.ask("Hur arbetar Hofors med Fritidsbanken?")
    assert answer.mode == "llm"
    assert len(answer.citations) == 1
    _assert_verified(Service(sample_store, llm=None), answer)
    assert any("9 999 999" in u for u in answer.unsupported)
    assert any("nått sina mål" in u for u in answer.unsupported)
    sent = openai_stub.requests[-1]
    assert sent["model"] == "stub-model" and sent.get("stream") is True
    assert "Hur arbetar Hofors med Fritidsbanken?" in sent["messages"][-1]["content"]


@pytest.mark.integration
@pytest.mark.parametrize("mode", ["fail", "hang", "stall_stream"])
def test_unavailable_llm_gives_a_notice_and_the_extractive_answer(sample_store, openai_stub, mode):
    openai_stub.mode = mode
    openai_stub.hang_s = 5
    service = Service(sample_store, llm=_llm(openai_stub, timeout=1))
    answer = service.ask("Hur arbetar Hofors med Fritidsbanken?")
    assert answer.mode == "extractive" and answer.citations
    assert answer.notice.startswith("Språkmodellen svarar inte")


@pytest.mark.integration
def test_llm_is_not_asked_when_no_municipality_shows_the_topic(sample_store, openai_stub):
    openai_stub.script(lambda r: "Alla kommuner har insatser mot matsvinn [1].")
    service = Service(sample_store, llm=_llm(openai_stub))
    answer = service.ask("Har någon kommun jobbat med att minska matsvinnet i skolbespisningen?")
    assert answer.citations == [] and answer.text.startswith(NO_ANSWER_TEXT[:-1])
    assert openai_stub.requests == []


@pytest.mark.integration
def test_llm_is_not_asked_for_a_figure_no_passage_gives(sample_store, openai_stub):
    openai_stub.script(lambda r: "Det var 12 pappor [1].")
    service = Service(sample_store, llm=_llm(openai_stub))
    answer = service.ask("Hur många pappor gick i ABC-grupperna i Hofors 2024?")
    assert answer.citations == [] and "anger ingen siffra" in answer.text
    assert openai_stub.requests == []
    service.ask("Hur många vårdnadshavare deltog i ABC-grupperna i Hofors 2023?")
    assert len(openai_stub.requests) == 1  # a figure the passages give: the model answers


@pytest.mark.integration
def test_llm_reads_only_what_the_next_report_says_of_a_year_without_a_report(
    sample_store, openai_stub
):
    openai_stub.script(lambda r: "Det gjordes 1 240 utlån [1].")
    service = Service(sample_store, llm=_llm(openai_stub))
    answer = service.ask("Hur många utlån hade Fritidsbanken i Hofors under 2022?")
    sent = openai_stub.requests[-1]["messages"][-1]["content"]
    passages = re.split(r"^\[\d+\] ", sent, flags=re.M)[1:]
    assert passages and all("2022" in p for p in passages)
    assert "ingen rapport från Hofors för 2022" in answer.notice


@pytest.mark.integration
def test_llm_stream_yields_pieces_then_the_verified_answer(sample_store, openai_stub):
    openai_stub.script(lambda r: "Inget i rapporterna besvarar frågan.")
    service = Service(sample_store, llm=_llm(openai_stub))
    items = list(service.stream("Hur arbetar Hofors med Fritidsbanken?"))
    assert all(isinstance(x, str) for x in items[:-1]) and len(items) > 2
    assert items[-1].text == NO_ANSWER_TEXT and items[-1].citations == []


@pytest.mark.integration
def test_follow_up_is_condensed_by_the_llm_once(sample_store, openai_stub):
    def reply(request):
        text = request["messages"][-1]["content"]
        if "Fristående fråga" in text:
            return "Hur många ungdomar hade feriejobb i Hofors 2024?"
        return "Inget i rapporterna besvarar frågan."

    openai_stub.script(reply)
    service = Service(sample_store, llm=_llm(openai_stub))
    conversation = service.remember(
        Conversation(), "Hur många ungdomar hade feriejobb i Filipstad 2024?"
    )
    list(service.stream("Och i Hofors?", conversation=conversation))
    following = service.remember(conversation, "Och i Hofors?")
    condensations = [
        r for r in openai_stub.requests if "Fristående fråga" in r["messages"][-1]["content"]
    ]
    assert len(condensations) == 1
    assert following.municipalities == ["Hofors"] and following.years == [2024]


@pytest.mark.unit
def test_the_nearest_passages_shown_follow_the_answer_settings():
    from assistant.qa.answer import nearest_passages
    from ingest.records import Chunk
    from rapport_settings import AnswerSettings
    from vectorstore.records import Hit

    def hit(n: int) -> Hit:
        text = f"Avsnitt {n} om fritidsbanken och dess utlån under året. " * 10
        chunk = Chunk(f"c{n}", text, "Hofors", 2024, "h.pdf", "h.pdf", n, "", "h", "c")
        return Hit(chunk, 1.0 / n)

    hits = [hit(n) for n in range(1, 6)]
    default = nearest_passages(hits, AnswerSettings())
    assert len(default) == 3 and all(len(c.quote) <= 300 for c in default)
    short = nearest_passages(hits, AnswerSettings(nearest=1, nearest_chars=40))
    assert len(short) == 1 and len(short[0].quote) <= 40
    assert hits[0].chunk.text.startswith(short[0].quote)


@pytest.mark.unit
def test_the_evidence_floor_follows_the_answer_settings():
    from types import SimpleNamespace

    from assistant.qa.evidence import Evidence, EvidenceFinder
    from ingest.records import Chunk
    from rapport_settings import AnswerSettings, EvidenceSettings

    text = "Kommunen öppnade en fritidsbank."
    chunk = Chunk("c1", text, "Hofors", 2024, "h.pdf", "h.pdf", 1, "", "h", "c")
    far = Evidence(chunk, text, dense=0.78, lexical=1.5, rank=0)

    def chosen(**floor) -> list:
        settings = AnswerSettings(evidence=EvidenceSettings(**floor))
        return EvidenceFinder(SimpleNamespace(store=None), False, settings).select([far])

    assert chosen() == []  # under both floors: never evidence
    assert chosen(min_dense=0.75) == [far]
    assert chosen(min_lexical=1.5) == [far]


def _silence(hits, **settings):
    """silence_reason for "Vilka kommuner har byggt en sporthall?" over `hits`, with a corpus
    that knows no word and passages that match the question better without "sporthall"."""
    import re

    from assistant.qa.question import parse_question
    from assistant.qa.silence import silence_reason
    from rapport_settings import SilenceSettings

    class Lexical:
        def analyze(self, text):
            return re.findall(r"\w+", text.lower())

        def idf(self, term):
            return 0.0

    class Embedder:
        def embed_query(self, text):
            return text

    def similarities(ids, query):  # 0.01 higher without the word
        return {i: 0.80 if "sporthall" in query else 0.81 for i in ids}

    return silence_reason(
        parse_question("Vilka kommuner har byggt en sporthall?"),
        hits,
        lexical=Lexical(),
        embedder=Embedder(),
        similarities=similarities,
        municipality_words=set(),
        municipality_terms=None,
        settings=SilenceSettings(**settings),
    )


@pytest.mark.unit
def test_the_silence_thresholds_follow_the_answer_settings():
    from ingest.records import Chunk
    from vectorstore.records import Hit

    def hit(n: int, text: str) -> Hit:
        return Hit(Chunk(f"c{n}", text, "Hofors", 2024, "h.pdf", "h.pdf", n, "", "h", "c"), 0.8)

    hits = [hit(n, "Kommunen byggde en ny fritidsgård för unga.") for n in range(3)]
    hits.append(hit(3, "Kommunen byggde en sporthall."))  # the fourth passage names it
    silent = "inget i de bästa styckena handlar om sporthall"
    assert _silence(hits) == silent
    assert _silence(hits, ablation_drop=-0.02) is None  # a rise of 0.01 is not enough then
    assert _silence(hits, passages=4) is None  # the fourth passage counts: nothing missing


@pytest.mark.unit
def test_a_hyphenated_compound_is_counted_by_its_head_in_a_passage_on_its_first_part():
    from assistant.qa.typed import _compound_head

    assert _compound_head(["abc", "grupp"], hyphenated=True) == ("abc", "grupp")
    assert _compound_head(["enkätsvar", "enkät", "svar"]) == ("enkät", "svar")
    assert _compound_head(["abc", "grupp"]) is None  # two parts of an unhyphenated word: unsure


@pytest.mark.unit
def test_the_lead_names_an_insats_by_its_heading_but_not_by_a_template_heading_or_a_cut_line():
    from assistant.qa.answer import insats_label

    assert insats_label("Insats 2: Läxhjälp på biblioteket", set()) == "Läxhjälp på biblioteket"
    assert insats_label("3.1 Fritidsbanken", set()) == "Fritidsbanken"
    assert insats_label("Ekonomi", {"Ekonomi"}) is None  # every report's template
    assert insats_label("Återrapportering av statsbidrag till kommuner med", set()) is None
    assert insats_label("", set()) is None


def _row(table: str, row: str):
    """The evidence of one row of `table` (a chunk of its own)."""
    from assistant.qa.evidence import Evidence
    from ingest.records import Chunk

    chunk = Chunk("c", table, "Grums", 2024, "g.pdf", "/g.pdf", 4, "Ekonomi", "h", "c")
    return Evidence(chunk=chunk, text=row, dense=0.0, lexical=0.0, rank=0)


@pytest.mark.unit
def test_a_row_is_read_with_its_column_names_even_when_they_carry_a_year_or_unit():
    from assistant.qa.answer import _readable
    from assistant.qa.typed import row_text, table_header

    table = (
        "Insats | Budget 2024 (kr) | Utfall 2024 (kr) | Utfall i %\n"
        "Svenska på jobbet | 960 000 | 874 500 | 91 %\n"
        "Summa | 4 150 000 | 4 036 100 | 97 %"
    )
    ev = _row(table, "Svenska på jobbet | 960 000 | 874 500 | 91 %")
    header = ["Insats", "Budget 2024 (kr)", "Utfall 2024 (kr)", "Utfall i %"]
    assert table_header(ev.chunk, ev.text) == header
    assert table_header(ev.chunk, "Summa | 4 150 000 | 4 036 100 | 97 %") == header
    assert row_text(ev).startswith("Insats Budget 2024 (kr)")
    assert _readable(ev) == (
        "Svenska på jobbet: budget 2024 960 000 kr, utfall 2024 874 500 kr, utfall 91 %"
    )
    tkr = "Aktivitet | Beviljat | Förbrukat\nFeriejobb | 740 tkr | 812 tkr"
    ev = _row(tkr, "Feriejobb | 740 tkr | 812 tkr")
    assert _readable(ev) == "Feriejobb: beviljat 740 tkr, förbrukat 812 tkr"
    # a scaled unit stays with its column: "1 240 tkr" would be checked as 1 240 000 kronor
    scaled = "Insats | Budget (tkr) | Utfall (tkr)\nSkolvärdar | 1 240 | 1 199"
    ev = _row(scaled, "Skolvärdar | 1 240 | 1 199")
    assert _readable(ev) == "Skolvärdar: budget (tkr) 1 240, utfall (tkr) 1 199"


def test_what_a_municipality_did_is_answered_from_its_insatser_not_its_conditions(service):
    import numpy as np

    from assistant.qa.sections import load_section_model

    model = load_section_model(service.store.embedder.name)
    answer = service.ask("Vad har Hofors gjort under 2023?")
    assert answer.citations
    _assert_verified(service, answer)
    ids = [c.chunk_id for c in answer.citations]
    vectors = service.store.embeddings(ids)
    p = model.probabilities(np.stack([vectors[i] for i in ids]))
    assert (p >= model.cut).all(), [service.store.get_chunks([i])[i].section for i in ids]
