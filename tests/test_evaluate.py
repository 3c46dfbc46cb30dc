"""The retrieval evaluation harness: metrics, aggregation, ablations, the naive baseline, CLI."""

import json
import math

import pytest

from assistant.cli import main
from assistant.evaluate import Question, evaluate, naive_langchain, ours, score_question
from tests.pdfmaker import make_pdf, report_pages

pytestmark = pytest.mark.unit

Q = Question(
    "q1", "factoid", "Hur många lånade?", ["Hofors"], 2023, ["1 870 utlån", "öppnade i mars"], "dev"
)


def test_score_question_recall_mrr_and_ndcg():
    items = [
        ("Eda", 2023, "1 870 utlån i Eda"),  # wrong municipality: not relevant
        ("Hofors", 2024, "1 870 utlån"),  # wrong year: not relevant
        ("Hofors", 2023, "Under året gjordes 1  870 utlån."),  # whitespace is normalised
        ("Hofors", 2023, "1 870 utlån igen"),  # already found: no new gain
        ("Hofors", 2023, "Banken ÖPPNADE I MARS."),  # case-insensitive
    ]
    r = score_question(Q, items, k=3)
    assert r["recall"] == 0.5  # one of two snippets within the first 3
    assert r["mrr"] == pytest.approx(1 / 3)
    ideal = 1 + 1 / math.log2(3)
    assert r["ndcg"] == pytest.approx((1 / math.log2(4) + 1 / math.log2(6)) / ideal)
    assert score_question(Q, items, k=5)["recall"] == 1.0
    assert score_question(Q, [], k=5) == {"recall": 0.0, "mrr": 0.0, "ndcg": 0.0}


def test_evaluate_aggregates_per_kind_and_split_and_skips_unanswerable():
    qs = [
        Q,
        Question("q2", "paraphrase", "x", ["Hofors"], None, ["öppnade i mars"], "heldout"),
        Question("q3", "unanswerable", "y", [], None, [], "dev"),
    ]
    found = {"Hur många lånade?": [("Hofors", 2023, "1 870 utlån, öppnade i mars")], "x": []}
    res = evaluate(qs, lambda question, depth: found[question], k=5)
    # one passage holding both snippets gains once: nDCG 1 / (1 + 1/log2 3) for q1, 0 for q2
    assert res["overall"] == {
        "recall": 0.5,
        "mrr": 0.5,
        "ndcg": round(0.5 / (1 + 1 / math.log2(3)), 3),
        "n": 2,
    }
    assert (
        res["by_kind"]["factoid"]["recall"] == 1.0 and res["by_kind"]["paraphrase"]["recall"] == 0.0
    )
    assert set(res["by_split"]) == {"dev", "heldout"} and res["misses"] == ["q2"]


@pytest.fixture
def toy_retriever(tmp_path, toy_store):
    from assistant.qa.retrieve import Retriever
    from ingest.metadata import load_municipalities
    from ingest.pipeline import ingest_paths

    make_pdf(
        tmp_path / "Hofors_2023.pdf", report_pages("Hofors", 2023, "vårdnadshavare i ABC-grupper")
    )
    make_pdf(tmp_path / "Eda_2023.pdf", report_pages("Eda", 2023, "fritidsbanken"))
    ingest_paths([tmp_path], toy_store)
    return Retriever(toy_store, load_municipalities())


def test_variants_switch_one_step_for_the_search_only(toy_retriever):
    thesaurus = toy_retriever.thesaurus
    seen = []
    real = toy_retriever.search

    def spy(req):
        seen.append((req.mode, toy_retriever.thesaurus, toy_retriever.center))
        return real(req)

    toy_retriever.search = spy
    ours(toy_retriever, "hybrid-no-thesaurus")("mammor och pappor", 5)
    ours(toy_retriever, "dense-centered")("mammor och pappor", 5)
    assert seen == [("hybrid", None, False), ("dense", thesaurus, True)]
    assert toy_retriever.thesaurus is thesaurus and toy_retriever.center is False
    with pytest.raises(ValueError, match="okänt läge"):
        ours(toy_retriever, "hybrid-no-magic")


def test_thesaurus_finds_a_paraphrase_the_plain_words_miss(toy_retriever):
    with_t = ours(toy_retriever, "lexical")("Vilket stöd fick mammor och pappor?", 5)
    without = ours(toy_retriever, "lexical-no-thesaurus")("Vilket stöd fick mammor och pappor?", 5)
    assert with_t and with_t[0][0] == "Hofors" and "vårdnadshavare" in with_t[0][2]
    assert not any("vårdnadshavare" in text for _, _, text in without)


def test_naive_baseline_reads_the_pdfs_itself(tmp_path, toy_embedder):
    make_pdf(tmp_path / "Hofors_2023.pdf", report_pages("Hofors", 2023, "fritidsbanken"))
    search = naive_langchain(
        [tmp_path / "Hofors_2023.pdf"], toy_embedder, {"Hofors_2023.pdf": ("Hofors", 2023)}
    )
    items = search("fritidsbanken", 3)
    assert items and all(m == "Hofors" and y == 2023 for m, y, _ in items)


def test_eval_cli_reports_every_mode(tmp_path, capsys):
    reports = tmp_path / "reports"
    reports.mkdir()
    make_pdf(reports / "Hofors_2023.pdf", report_pages("Hofors", 2023, "fritidsbanken"))
    store = tmp_path / "store"
    assert main(["ingest", str(reports), "--store", str(store), "--embedder", "hash"]) == 0
    questions = tmp_path / "q.json"
    questions.write_text(
        json.dumps(
            [
                {
                    "id": "q1",
                    "kind": "factoid",
                    "question": "fritidsbanken i Hofors",
                    "municipalities": ["Hofors"],
                    "year": 2023,
                    "evidence": ["fritidsbanken"],
                    "split": "dev",
                }
            ]
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert (
        main(
            [
                "eval",
                str(questions),
                "--store",
                str(store),
                "--embedder",
                "hash",
                "--json",
                "--modes",
                "hybrid,lexical-no-thesaurus",
                "--reports",
                str(reports),
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out["results"]) == {"hybrid", "lexical-no-thesaurus", "naive_langchain"}
    assert out["results"]["hybrid"]["overall"]["recall"] == 1.0
