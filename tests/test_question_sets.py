"""The labelled question sets: schema, and every evidence snippet stands in a stored chunk of
an expected municipality (and year), as the evaluation harness will look for it."""

import json
from pathlib import Path

import pytest

from assistant.evaluate import load_questions, matched_evidence

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).parents[1] / "samples"
SETS = [
    "questions.json",
    "questions_blind.json",
    "questions_blind2.json",
    "questions_blind3.json",
    "questions_blind4.json",
    "questions_blind5.json",
    "questions_blind6.json",
    "questions_blind7.json",
    "questions_blind8.json",
    "questions_blind9.json",
    "questions_blind10.json",
    "questions_blind11.json",
    "questions_blind12.json",
    "questions_blind13.json",
    "questions_blind14.json",
    "questions_blind15.json",
    "questions_blind16.json",
    "questions_blind17.json",
    "questions_blind18.json",
    "questions_blind19.json",
    "questions_blind20.json",
    "questions_blind21.json",
]
KINDS = {
    "factoid",
    "paraphrase",
    "table",
    "year_comparison",
    "municipality",
    "all_reports",
    "unanswerable",
}


@pytest.fixture(scope="module")
def chunks(tmp_path_factory):
    from ingest.pipeline import ingest_paths
    from vectorstore.embedders import HashEmbedder
    from vectorstore.store import ReportStore

    store = ReportStore.open(tmp_path_factory.mktemp("labels"), embedder=HashEmbedder())
    ingest_paths([SAMPLES / "reports", SAMPLES / "bad"], store)
    return list(store.get_chunks(store.all_chunk_metadata()).values())


@pytest.mark.unit
@pytest.mark.parametrize("name", SETS)
def test_question_set_schema(name):
    raw = json.loads((DATA / name).read_text(encoding="utf-8"))
    ids = [q["id"] for q in raw]
    assert len(ids) == len(set(ids)) >= 50
    kinds = {q["kind"] for q in raw}
    assert kinds == KINDS
    for q in raw:
        answerable = q["kind"] != "unanswerable"
        assert bool(q["evidence"]) == answerable and bool(q["municipalities"]) == answerable, q[
            "id"
        ]
        if q["kind"] == "all_reports":
            assert len(q["evidence"]) == len(q["municipalities"]), q["id"]


@pytest.mark.parametrize("name", SETS)
def test_every_evidence_snippet_is_in_a_chunk_of_the_expected_report(name, chunks):
    missing = []
    for q in load_questions(DATA / name):
        found = set()
        for c in chunks:
            found |= matched_evidence(q, (c.municipality, c.year, c.text))
        missing += [(q.id, ev) for i, ev in enumerate(q.evidence) if i not in found]
    assert missing == []
