"""The answer evaluation (benchmarks/answer_eval.py) on the sample store: each figure it
reports is computed from what the pipeline answered."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _answer_eval():
    spec = importlib.util.spec_from_file_location(
        "answer_eval", ROOT / "benchmarks" / "answer_eval.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_answer_eval_scores_citations_evidence_and_silence(sample_store_dir, tmp_path):
    questions = [
        {
            "id": "a1",
            "kind": "table",
            "question": "Hur mycket lade Hofors på Fritidsbanken 2023?",
            "municipalities": ["Hofors"],
            "year": 2023,
            "evidence": ["Fritidsbanken |"],
        },
        {
            "id": "a2",
            "kind": "factoid",
            "question": "Hur mycket lade Hofors på Fritidsbanken 2023?",
            "municipalities": ["Hofors"],
            "year": 2023,
            "evidence": ["en mening som inte står i någon rapport"],
        },
        {
            "id": "u1",
            "kind": "unanswerable",
            "question": "Vilka kommuner har byggt en ny sporthall med bidraget?",
            "municipalities": [],
            "year": None,
            "evidence": [],
        },
    ]
    path = tmp_path / "q.json"
    path.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    result = _answer_eval().run(str(sample_store_dir), str(path), "extractive")
    assert result["citation_precision"] == 1.0
    assert result["answerable_with_citation"] == 1.0  # both are answered with a citation
    assert result["answerable_cited_from_evidence"] == 0.5  # only a1's evidence is cited
    assert (
        result["unanswerable_without_citation"] == 1.0
        and result["unanswerable_with_citation"] == []
    )
