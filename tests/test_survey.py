"""The survey: found / not found per municipality with verified citations, the theme matrix,
exports, the LLM judge with its fallback, and the labelled questions on the samples."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from assistant.qa.verify import quote_on_page
from assistant.survey.exports import export
from assistant.survey.surveyor import (
    Surveyor,
    Theme,
    find_theme,
    load_themes,
    matrix_sheets,
    survey,
    survey_sheets,
    theme_matrix,
    trim_headings,
)
from ingest.records import Chunk, Document, Page
from tests.openai_stub import OpenAIStub, openai_stub  # noqa: F401

DATA = Path(__file__).parent / "data"

PAGES = {
    "Hofors": [
        "Återrapportering 2023 för Hofors kommun.",
        "Fritidsbanken i Hofors lånar ut skridskor och skidor gratis till alla barn.\n"
        "Kommunen har en fritidsbank sedan mars 2023.",
    ],
    "Filipstad": [
        "Återrapportering 2023 för Filipstads kommun.",
        "Kommunen erbjuder feriejobb till ungdomar under sommaren.",
    ],
    "Perstorp": [
        "Återrapportering 2023 för Perstorps kommun.",
        "Föräldraskapsstöd ges i grupp på familjecentralen varje vecka.",
    ],
}


def _add(store, name: str, pages: list[str], year: int = 2023) -> None:
    digest = f"{name}-{year}".encode().hex()
    source = f"{name}_{year}.pdf"
    doc = Document(
        path=f"/x/{source}",
        source=source,
        file_hash=digest,
        pages=[Page(i + 1, t) for i, t in enumerate(pages)],
        municipality=name,
        year=year,
    )
    chunks = [
        Chunk(f"{digest}:{i}", t, name, year, source, doc.path, i + 1, "", digest, str(i))
        for i, t in enumerate(pages)
    ]
    store.add_document(doc, chunks, store.embedder.embed_documents([c.text for c in chunks]))


@pytest.fixture
def surveyor(toy_store) -> Surveyor:
    for name, pages in PAGES.items():
        _add(toy_store, name, pages)
    return Surveyor(toy_store)


@pytest.mark.unit
def test_survey_finds_the_municipality_with_evidence_and_lists_the_others(surveyor):
    ticks = []
    result = surveyor.survey(
        "Vilka kommuner har en fritidsbank?", progress=lambda d, t: ticks.append((d, t))
    )
    assert [f.municipality for f in result.found] == ["Hofors"]
    assert result.not_found == ["Filipstad", "Perstorp"]
    assert result.coverage == "1 av 3"
    assert ticks == [(1, 3), (2, 3), (3, 3)]
    data = result.to_json()
    assert set(data) == {"question", "municipalities", "not_found", "to_check", "coverage"}
    hofors = next(m for m in data["municipalities"] if m["municipality"] == "Hofors")
    assert hofors["year"] == 2023 and "[1]" in hofors["finding"]
    assert hofors["citations"] and all(c["page"] == 2 for c in hofors["citations"])
    for c in hofors["citations"]:
        assert quote_on_page(c["quote"], PAGES["Hofors"][1])
    others = [m for m in data["municipalities"] if m["municipality"] != "Hofors"]
    assert all(m["citations"] == [] for m in others)


@pytest.mark.unit
def test_a_municipality_just_under_the_decision_is_listed_to_check_with_a_quote(surveyor):
    question = "Vilka kommuner har en fritidsbank?"
    p = surveyor.probabilities(question)
    others = max(v for name, v in p.items() if name != "Hofors")
    assert p["Hofors"] > others

    def run(review: float):
        settings = surveyor.settings.survey.model_copy(update={"review": review})
        surveyor.settings = surveyor.settings.model_copy(update={"survey": settings})
        return surveyor.survey(question)

    surveyor.cut = (p["Hofors"] + 1.0) / 2  # Hofors under the decision
    result = run((p["Hofors"] + others) / 2)  # but above the level to check
    assert result.found == [] and result.coverage == "0 av 3"
    assert [f.municipality for f in result.to_check] == ["Hofors"]
    data = result.to_json()
    hofors = next(m for m in data["municipalities"] if m["municipality"] == "Hofors")
    # a quote to read, not a citation of a finding
    assert hofors["citations"] == [] and not hofors["found"]
    assert hofors["check"]["page"] == 2
    assert quote_on_page(hofors["check"]["quote"], PAGES["Hofors"][1])
    assert data["to_check"] == ["Hofors"]
    assert all("check" not in m for m in data["municipalities"] if m["municipality"] != "Hofors")
    # 0 turns it off
    off = run(0.0)
    assert off.to_check == [] and off.to_json()["to_check"] == []


@pytest.mark.unit
def test_survey_function_takes_a_store_and_a_year_filter(surveyor):
    result = survey(surveyor.store, "Vilka kommuner har en fritidsbank?", years=[2024])
    assert result.findings == []  # no reports for 2024
    assert result.coverage == "0 av 0"


@pytest.mark.unit
def test_a_cut_above_every_probability_finds_nothing(surveyor):
    surveyor.cut = 1.01
    result = surveyor.survey("Vilka kommuner har en fritidsbank?")
    assert result.found == [] and len(result.not_found) == 3


@pytest.mark.unit
def test_theme_matrix_cells_and_exports(surveyor, tmp_path):
    themes = [
        Theme("fritidsbank", "fritid/fritidsbank", "Vilka kommuner har en fritidsbank?"),
        Theme("arbetsmarknad", "arbetsmarknad", "Vilka kommuner har feriejobb för ungdomar?"),
    ]
    matrix = theme_matrix(None, themes, surveyor=surveyor)
    assert matrix.cell_text("Hofors", "fritidsbank") == "Ja (s. 2)"
    assert matrix.cell_text("Filipstad", "fritidsbank") == "–"
    assert matrix.cell_text("Filipstad", "arbetsmarknad") == "Ja (s. 2)"

    from openpyxl import load_workbook

    path = export(tmp_path / "matris.xlsx", matrix_sheets(matrix))[0]
    book = load_workbook(path)
    grid, sources = book["Temamatris"], book["Källor"]
    assert [c.value for c in grid[1]] == ["Kommun", "fritid/fritidsbank", "arbetsmarknad"]
    rows = {r[0]: r[1:] for r in grid.iter_rows(min_row=2, values_only=True)}
    assert rows["Hofors"] == ("Ja (s. 2)", "–")
    assert rows["Filipstad"] == ("–", "Ja (s. 2)")
    assert [c.value for c in sources[1]] == ["Tema", "Kommun", "År", "Källa", "Sida", "Citat"]
    cited = list(sources.iter_rows(min_row=2, values_only=True))
    assert {(r[1], r[3], r[4]) for r in cited} >= {("Hofors", "Hofors_2023.pdf", 2)}
    assert all(quote_on_page(r[5], PAGES[r[1]][r[4] - 1]) for r in cited)

    written = export(tmp_path / "matris.csv", matrix_sheets(matrix))
    assert [p.name for p in written] == ["matris.csv", "matris_källor.csv"]
    with written[0].open(encoding="utf-8-sig") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert table[0] == ["Kommun", "fritid/fritidsbank", "arbetsmarknad"]


@pytest.mark.unit
def test_survey_export_lists_every_municipality(surveyor, tmp_path):
    result = surveyor.survey("Vilka kommuner har en fritidsbank?")
    from openpyxl import load_workbook

    book = load_workbook(export(tmp_path / "s.xlsx", survey_sheets(result))[0])
    rows = list(book["Resultat"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [
        ("Filipstad", "Nej"),
        ("Hofors", "Ja"),
        ("Perstorp", "Nej"),
    ]
    assert book["Källor"].max_row >= 2


@pytest.mark.unit
def test_export_refuses_unknown_file_types(tmp_path):
    with pytest.raises(ValueError, match="csv eller .xlsx"):
        export(tmp_path / "x.pdf", [])


@pytest.mark.unit
def test_trim_headings_keeps_the_sentence_under_a_glued_heading():
    chunk = "3 Insatser\nFritidsbanken\nFritidsbanken i Hofors lånar ut skridskor gratis."
    glued = "3 Insatser Fritidsbanken Fritidsbanken i Hofors lånar ut skridskor gratis."
    assert trim_headings(glued, chunk) == "Fritidsbanken i Hofors lånar ut skridskor gratis."
    wrapped = "Kommunen har en\nfritidsbank sedan mars."
    assert trim_headings("Kommunen har en fritidsbank sedan mars.", wrapped) == (
        "Kommunen har en fritidsbank sedan mars."
    )


@pytest.mark.unit
def test_themes_file_has_the_grant_themes_with_questions():
    themes = load_themes()
    assert len(themes) >= 14
    assert all(t.question.endswith("?") for t in themes)
    assert find_theme("fritidsbank").key == "fritidsbank"
    assert find_theme("psykisk hälsa").key == "psykisk_halsa"
    with pytest.raises(ValueError):
        find_theme("finns inte")


@pytest.mark.integration
def test_llm_judge_decides_and_falls_back_to_the_fitted_model(surveyor, openai_stub):  # noqa: F811
    from assistant.llm import LLMSettings, make_chat_model

    surveyor.llm = make_chat_model(
        LLMSettings(provider="openai", base_url=openai_stub.base_url, model="m", timeout_s=5)
    )

    def reply(request: dict) -> str:
        prompt = json.dumps(request, ensure_ascii=False)
        return (
            "JA: Kommunen har en fritidsbank [1]."
            if "Fritidsbanken i Hofors" in prompt
            else "NEJ: nej."
        )

    openai_stub.script(reply)
    result = surveyor.survey("Vilka kommuner har en fritidsbank?")
    assert [f.municipality for f in result.found] == ["Hofors"]
    hofors = result.found[0]
    assert hofors.judge == "llm" and hofors.finding.startswith("Kommunen har en fritidsbank")
    assert hofors.citations

    openai_stub.mode = "fail"
    result = surveyor.survey("Vilka kommuner har en fritidsbank?")
    assert [f.municipality for f in result.found] == ["Hofors"]
    assert result.found[0].judge == "model" and result.notice


# ------------------------------------------------------------------ the sample reports


def test_survey_on_the_samples_matches_the_labels(sample_store):
    """The labelled theme questions: the figures benchmarks/survey_eval.py reports."""
    questions = json.loads((DATA / "survey.json").read_text(encoding="utf-8"))
    s = Surveyor(sample_store)
    tp = predicted = expected = 0
    for q in questions:
        result = s.survey(q["question"], [q["year"]] if q["year"] else None)
        found = {f.municipality for f in result.found}
        tp += len(found & set(q["expected"]))
        predicted += len(found)
        expected += len(q["expected"])
        for f in result.found:
            assert f.citations
    assert tp / expected >= 0.85
    assert tp / predicted >= 0.80


def test_evidence_must_name_what_the_question_asks_about(sample_store):
    """A list of partners without the police does not show cooperation with the police,
    however close the sentence is to the question otherwise."""
    s = Surveyor(sample_store)
    result = s.survey("Vilka kommuner samarbetar med polisen?")
    found = {f.municipality for f in result.found}
    assert {"Bengtsfors", "Filipstad"}.isdisjoint(found)  # their partner lists have no police
    assert len(found) >= 3
    for f in result.found:
        assert any("polis" in c.quote.lower() for c in f.citations)


@pytest.mark.parametrize(
    "question",
    [
        # every content word is unknown to the reports: nothing can name it
        "Har någon kommun använt bidraget till insatser mot hedersrelaterat våld och förtryck?",
        # known words ("insatser", "personer") match template sentences that the unknown
        # word, dropped from the question, would bring closer, not further
        "Vilka kommuner har riktat insatser särskilt till personer med funktionsnedsättning?",
        "Vilka kommuner har insatser mot spelberoende bland unga?",
        # a known word ("unga") is all that template sentences share with the question
        "Har någon kommun arbetat mot alkohol och narkotika bland unga?",
        # Known failures of the fitted decision (the removed question-specific rules caught
        # them): "kollektivtrafiken är begränsad" names the topic without doing it, and
        # "avsaknad av körkort" among the hinders is what people lack, not what was paid for
        pytest.param(
            "Vilken kommun har infört gratis kollektivtrafik för unga?",
            marks=pytest.mark.xfail(strict=True, reason="names the topic, does not do it"),
        ),
        pytest.param(
            "Har någon kommun använt bidraget till att bekosta körkort för arbetslösa?",
            marks=pytest.mark.xfail(strict=True, reason="what people lack, not what was paid"),
        ),
    ],
)
def test_a_topic_no_report_uses_is_found_nowhere(sample_store, question):
    result = Surveyor(sample_store).survey(question)
    assert result.found == []


def test_sentences_most_reports_share_are_no_evidence(sample_store):
    from assistant.qa.common_text import is_common

    s = Surveyor(sample_store)
    common, names = s._common_text()
    # in all eight municipalities' reports: the template's, tells none apart
    shared = "Insatserna följer kommunens riktlinjer för jämställdhet och tillgänglighet."
    assert is_common(shared, common, names)
    # in three of the eight: still what those three wrote
    few = (
        "Kommunen har sett att hushåll med långvarigt ekonomiskt bistånd ofta har flera hinder "
        "samtidigt, till exempel ohälsa, bristande svenska och avsaknad av körkort."
    )
    assert not is_common(few, common, names)
    question = "Vilka kommuner har riktat insatser särskilt till personer med funktionsnedsättning?"
    for m in s.municipalities():
        evidence = s.measure(question, m, None)["evidence"]
        assert not any(is_common(ev.text, common, names) for ev in evidence)


def test_a_question_about_what_people_lack_finds_it(sample_store):
    result = Surveyor(sample_store).survey(
        "Vilka kommuner nämner avsaknad av körkort som ett hinder?"
    )
    assert result.found
    assert all(any("körkort" in c.quote for c in f.citations) for f in result.found)


def test_coverage_weighs_what_the_question_asks_about(sample_store):
    s = Surveyor(sample_store)
    question = "Har någon kommun arbetat mot alkohol och narkotika bland unga?"
    background = "Arbetslösheten är högre än i länet, särskilt bland utrikes födda och unga vuxna."
    assert s.coverage(question, background) < 0.25
    assert s.coverage(question, "Föreläsningar om alkohol och narkotika för unga.") > 0.9
    assert (
        s.coverage("Vilka kommuner har en fritidsbank?", "Fritidsbanken öppnade i augusti.") == 1.0
    )
    # a compound's common part names it little, its specific part fully
    culture = "Vilka kommuner redovisar kulturinsatser?"
    assert s.coverage(culture, "Resultaten redovisas per insats nedan.") < 0.5
    assert s.coverage(culture, "Kulturlivet i byarna har fått nya mötesplatser.") == 1.0


# ------------------------------------------------------------------ the fitted decision


@pytest.mark.unit
def test_alternatives_joined_by_och_or_eller_form_one_group():
    from assistant.qa.question import parse_question

    q = parse_question("Vilka kommuner erbjuder föräldraskapsstöd eller föräldragrupper?")
    assert q.alternatives(["föräldraskapsstöd", "föräldragrupper"]) == [
        ["föräldraskapsstöd", "föräldragrupper"]
    ]
    q = parse_question("Vilka kommuner stöttar företagande och entreprenörskap i byarna?")
    assert q.alternatives(["stöttar", "företagande", "entreprenörskap", "byarna"]) == [
        ["stöttar"],
        ["företagande", "entreprenörskap"],
        ["byarna"],
    ]


def test_x_och_y_is_covered_by_a_text_that_names_either(sample_store):
    s = Surveyor(sample_store)
    question = "Vilka kommuner har en fritidsbank och skolvärdar?"
    assert s.coverage(question, "Fritidsbanken öppnade i augusti.") == 1.0
    assert s.coverage(question, "Skolvärdarna finns på högstadiet.") == 1.0
    assert s.coverage(question, "Kommunen har en ny sporthall.") == 0.0


@pytest.mark.unit
def test_sentence_score_is_absolute_and_the_others_relative():
    from assistant.survey.surveyor import FEATURES, question_features

    def row(score, cosine, coverage):
        return {
            "scores": [score],
            "coverages": [coverage],
            "passages": [(cosine, coverage)],
            "kinds": [0.5],
            "text_coverage": coverage,
            "corpus_coverage": 1.0,
        }

    sentence, passage = FEATURES.index("sentence_score"), FEATURES.index("passage_z")
    low = question_features([row(0.80, 0.0, 1.0), row(0.81, 0.1, 1.0), row(0.95, 0.4, 1.0)])
    high = question_features([row(0.90, 0.2, 1.0), row(0.91, 0.3, 1.0), row(1.05, 0.6, 1.0)])
    # the best sentence counts as it is: evidence closer to the question counts more, and a
    # kind of work that all three did is not split into an upper and a lower half
    assert [r[sentence] for r in low] == pytest.approx([0.80, 0.81, 0.95])
    assert [r[sentence] for r in high] == pytest.approx([0.90, 0.91, 1.05])
    # the best passage counts against the others' passages
    assert [r[passage] for r in low] == pytest.approx([r[passage] for r in high])
    assert low[2][passage] > 1 > low[0][passage]
    # no evidence at all ranks below every municipality with some
    none = question_features(
        [
            {
                "scores": [],
                "coverages": [],
                "passages": [],
                "text_coverage": 0.0,
                "corpus_coverage": 1.0,
            },
            row(0.8, 0.0, 1.0),
        ]
    )
    assert none[0][sentence] < none[1][sentence] and none[0][passage] < none[1][passage]
    assert none[0][FEATURES.index("coverage")] == 0.0
    # one municipality alone has no passage to be compared with
    assert question_features([row(0.9, 0.2, 1.0)])[0][passage] == 0.0
    # the topic in a municipality's text counts against how many others' texts have it:
    # words every report uses tell none apart
    at = FEATURES.index("text_coverage_relative")
    assert [f[at] for f in none] == pytest.approx([-0.5, 0.5])
    assert [f[at] for f in low] == [0.0, 0.0, 0.0]


def test_a_sentence_score_from_another_embedder_counts_as_average(sample_store):
    from assistant.survey.surveyor import FEATURES, Model, Surveyor, question_features

    model = Model.load()
    assert model.embedder == sample_store.embedder.name
    question = "Vilka kommuner har en fritidsbank?"
    same = Surveyor(sample_store, model=model).probabilities(question)
    other = Surveyor(sample_store, model=dataclasses.replace(model, embedder="ett annat"))
    probabilities = other.probabilities(question)
    names = sorted(probabilities)
    features = question_features([other.measure(question, n, None) for n in names])
    at = FEATURES.index("sentence_score")
    for f in features:
        f[at] = float(model.mean[at])
    assert [probabilities[n] for n in names] == pytest.approx(model.probabilities(features))
    assert [probabilities[n] for n in names] != pytest.approx([same[n] for n in names])


@pytest.mark.unit
def test_frame_verbs_are_recognised_in_any_inflection_and_topics_are_not():
    from assistant.survey.surveyor import is_frame_word

    # the s-passive of a listed verb: "Var har det ordnats lovaktiviteter ...?"
    assert all(is_frame_word(w) for w in ["ordnats", "Erbjuds", "genomförts", "redovisar"])
    assert not any(is_frame_word(w) for w in ["lovaktiviteter", "sommaren", "kultur", "barn"])


@pytest.mark.unit
def test_kind_similarity_is_the_closest_passage_and_average_without_a_kind_model():
    from assistant.survey.surveyor import FEATURES, Model, question_features

    def row(kinds):
        return {
            "scores": [0.8],
            "coverages": [1.0],
            "passages": [(0.1, 1.0)] * len(kinds),
            "kinds": kinds,
            "text_coverage": 1.0,
            "corpus_coverage": 1.0,
        }

    at = FEATURES.index("kind_similarity")
    feats = [f[at] for f in question_features([row([0.3, 0.9]), row([0.6]), row([])])]
    assert feats[:2] == pytest.approx([0.9, 0.6])
    assert feats[2] < 0.6  # no passage at all: below every other
    # no kind model: the feature is missing for all and the decision takes it as average
    missing = question_features([row([]), row([])])
    assert all(np.isnan(f[at]) for f in missing)
    model = Model.load()
    average = [list(missing[0])]
    average[0][at] = float(model.mean[at])
    assert model.probabilities(missing[:1]) == pytest.approx(model.probabilities(average))


@pytest.mark.unit
def test_kind_cosines_compare_with_the_kind_of_the_passages_closest_to_the_question(surveyor):
    from assistant.qa.sections import KindModel

    s = surveyor
    question = "Vilka kommuner har en fritidsbank?"
    assert s._kind_cosines(question, "Hofors", None) == []  # the toy embedder has no model
    dim = s.store.embedder.dim
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(dim, 3))
    s.kind_model = KindModel("toy", np.zeros(dim), ("a", "b", "c"), weights, np.zeros(3))
    for name in ("Hofors", "Filipstad", "Perstorp"):
        kinds = s._kind_cosines(question, name, None)
        assert len(kinds) == len(s._passage_measures(question, name, None)) == 2
        assert all(-1.0 - 1e-6 <= k <= 1.0 + 1e-6 for k in kinds)
    assert s._kind_cosines(question, "Hofors", [2024]) == []  # no reports of that year
    # with one passage as the question's kind, that passage has cosine 1 with it
    survey = s.settings.survey.model_copy(update={"kind_passages": 1})
    s.settings = s.settings.model_copy(update={"survey": survey})
    s._kinds = None
    assert max(max(s._kind_cosines(question, n, None)) for n in PAGES) == pytest.approx(1.0)


@pytest.mark.unit
def test_thinned_passages_keep_each_bullet_item_a_unit_of_its_own(surveyor):
    from assistant.qa.evidence import evidence_units
    from vectorstore.records import Hit

    text = (
        "• Drygt 900 artiklar inventerade vid årsskiftet\n"
        "• Mest lånat: skridskor, längdskidor, pulkor och hjälmar\n"
        "• Föräldrar uppskattar att barnen kan prova en aktivitet\n"
        "Tabell | Budget | Utfall"
    )
    chunk = Chunk("c", text, "Munkfors", 2021, "m.pdf", "m.pdf", 3, "", "h", "c")
    thinned = surveyor._thinned("Vilka kommuner lånar ut skridskor?", [Hit(chunk, 1.0)])
    # units without a full stop stay apart when the thinned text is split again
    assert evidence_units(thinned[0].chunk) == evidence_units(chunk)


@pytest.mark.unit
def test_the_model_file_has_its_provenance_and_matches_the_features():
    from assistant.survey.surveyor import FEATURES, MODEL_FILE, Model

    model = Model.load()
    assert model.features == FEATURES and len(model.weights) == len(FEATURES) + 1
    assert 0 < model.cut < 1
    prov = model.provenance
    assert prov["script"] == "benchmarks/fit_survey.py" and prov["cross_validated"]
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = ["something_else"]
    broken = Path(str(MODEL_FILE) + ".test")
    try:
        broken.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(ValueError, match="refit"):
            Model.load(broken)
    finally:
        broken.unlink()


def test_a_subset_of_municipalities_is_decided_among_all(sample_store):
    """The chat asks about the municipalities its passages name; each is still judged against
    all municipalities' evidence, so the answer does not depend on who else was asked."""
    s = Surveyor(sample_store)
    question = "Vilka kommuner har en fritidsbank?"
    everyone = {f.municipality: f.found for f in s.survey(question).findings}
    some = s.survey(question, municipalities=["Hofors", "Perstorp"])
    assert {f.municipality: f.found for f in some.findings} == {
        m: everyone[m] for m in ("Hofors", "Perstorp")
    }
    assert everyone["Hofors"] and not everyone["Perstorp"]


def test_every_finding_on_the_samples_cites_a_quote_that_is_on_its_page(sample_store):
    from assistant.qa.verify import quote_on_page as on_page

    s = Surveyor(sample_store)
    hashes = {r.source: r.file_hash for r in sample_store.report_records()}
    result = s.survey("Vilka kommuner arbetar brottsförebyggande eller med trygghetsvandringar?")
    assert result.found
    for f in result.found:
        assert f.citations
        for c in f.citations:
            assert on_page(c.quote, sample_store.page_text(hashes[c.source], c.page) or "")


@pytest.mark.unit
def test_a_finding_cites_the_insats_before_the_background_and_prose_before_table_rows(
    monkeypatch,
):
    import types

    import numpy as np

    from assistant.qa import sections
    from assistant.qa.evidence import Evidence
    from assistant.qa.sections import SectionModel
    from assistant.survey import surveyor as S

    def ev(cid: str, text: str) -> Evidence:
        chunk = Chunk(cid, text, "Hofors", 2024, "h.pdf", "/h.pdf", 1, "", "h", cid)
        return Evidence(chunk=chunk, text=text, dense=0.9, lexical=0.0, rank=0)

    # one dimension: 1 = a passage about the work, -1 = one about the conditions
    model = SectionModel(
        "fake", *(np.zeros(1, np.float32),) * 2, np.ones(1, np.float32), np.ones(1), 0.0, 0.5
    )
    monkeypatch.setattr(sections, "load_section_model", lambda name: model)
    vectors = {"bg": np.array([-5.0]), "work": np.array([5.0]), "row": np.array([5.0])}
    store = types.SimpleNamespace(
        embedder=types.SimpleNamespace(name="fake"),
        embeddings=lambda ids: {i: vectors[i] for i in ids},
    )
    surveyor = types.SimpleNamespace(store=store)
    background = ev("bg", "Kultur- och fritidsförvaltningen har deltagit i samverkan.")
    row = ev("row", "Kulturkväll | 40 000 | 38 500")
    insats = ev("work", "Kulturkvällarna i byarna lockade 420 besökare under året.")
    shown = S.Surveyor._shown_first(surveyor, [background, row, insats])
    assert [e.chunk.id for e in shown] == ["work", "row", "bg"]
    assert shown[0].text.startswith("Kulturkvällarna")
