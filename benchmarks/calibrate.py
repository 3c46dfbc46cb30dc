"""Calibrate the "do the reports answer this?" thresholds of the extractive composer.

For every labelled question of the dev split it records the best evidence sentence's dense
and lexical scores, then prints, for a grid of thresholds, how many answerable questions keep
an answer and how many unanswerable ones are refused, on dev and on the held-out split.

    .venv/bin/python benchmarks/calibrate.py --store DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions  # noqa: E402


def best_scores(service, question: str) -> tuple[float, float]:
    req = service.request(question)
    hits = service.retriever.search(req)
    evidence = service.answerer.evidence(req.question, hits)
    if not evidence:
        return 0.0, 0.0
    return max(e.dense for e in evidence), max(e.lexical for e in evidence)


def main() -> None:
    from assistant.service import Service
    from vectorstore.store import ReportStore

    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "data" / "questions.json"))
    args = parser.parse_args()
    service = Service(ReportStore.open(args.store), llm=None)
    rows = []
    for q in load_questions(args.questions):
        dense, lexical = best_scores(service, q.question)
        rows.append((q, dense, lexical))
        print(
            f"{q.id} {q.kind:<16}{q.split:<8} dense={dense:.3f} lexical={lexical:5.2f}  "
            f"{q.question[:60]}"
        )
    for split in ("dev", "heldout"):
        part = [r for r in rows if r[0].split == split]
        print(f"\n== {split}: threshold grid (answerable kept / unanswerable refused)")
        for min_dense in (0.78, 0.80, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87):
            for min_lex in (2.0, 4.0, 6.0, 8.0, 99.0):
                kept = [(d >= min_dense or lx >= min_lex) for _, d, lx in part]
                ans = [k for (q, _, _), k in zip(part, kept) if q.evidence]
                una = [not k for (q, _, _), k in zip(part, kept) if not q.evidence]
                print(
                    f"  dense>={min_dense:.2f} or lexical>={min_lex:<5} "
                    f"{sum(ans)}/{len(ans)}  {sum(una)}/{len(una)}"
                )


if __name__ == "__main__":
    main()
