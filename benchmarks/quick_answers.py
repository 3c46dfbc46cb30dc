"""Answerable-with-citation and unanswerable-without counts, per question set, in one process:
the foreign corpus's questions and the samples' tuning sets (add --held-out for blind18/19).

    .venv/bin/python benchmarks/quick_answers.py --dev-store DIR --samples-store DIR [--held-out]
        [--out answers.jsonl] [--match REGEX]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HELD_OUT = ["questions_blind18.json", "questions_blind19.json"]


def main() -> int:
    from assistant.evaluate import load_questions
    from assistant.service import Service
    from benchmarks.ablate_rules import questions
    from benchmarks.devcorpus_eval import DEFAULT_CORPUS, citation_ok, page_texts

    ap = argparse.ArgumentParser()
    ap.add_argument("--dev-store", required=True)
    ap.add_argument("--samples-store", required=True)
    ap.add_argument("--held-out", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--match", help="only questions that match this regular expression")
    args = ap.parse_args()
    qs = questions()
    if args.held_out:
        for name in HELD_OUT:
            qs += [
                (name, q.id, q.question, bool(q.evidence))
                for q in load_questions(ROOT / "tests" / "data" / name)
            ]
    if args.match:
        qs = [q for q in qs if re.search(args.match, q[2], re.I)]
    texts = page_texts(DEFAULT_CORPUS / "pdf")
    services = {
        "dev": Service.open(args.dev_store, llm=None),
        "samples": Service.open(args.samples_store, llm=None),
    }
    totals: dict[str, list[int]] = {}
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    for name, qid, question, answerable in qs:
        answer = services["dev" if name == "dev" else "samples"].ask(question).to_json()
        cites = answer["citations"]
        bad = sum(not citation_ok(c, texts) for c in cites) if name == "dev" else 0
        row = totals.setdefault(name, [0, 0, 0, 0, 0])  # answered, answerable, clean, neg, bad
        row[0 if answerable else 2] += bool(cites) if answerable else not cites
        row[1 if answerable else 3] += 1
        row[4] += bad
        if out:
            record = {"set": name, "id": qid, "question": question, "answerable": answerable}
            record.update(cited=bool(cites), answer=answer["answer"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    for name, (a, n, c, m, bad) in totals.items():
        print(f"{name:<24} answerable {a}/{n}  unanswerable clean {c}/{m}  bad citations {bad}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
