"""Per-question signals of the general reader (assistant/qa/reader.py), with labels, for fitting
and checking the abstention model (benchmarks/abstain_fit.py).

    .venv/bin/python benchmarks/abstain_data.py --store DIR --questions FILE [FILE...]
        --out data.jsonl [--set-name NAME]

A questions file is either the foreign corpus's questions.json (fields "municipality",
"evidence", "kind") or one of the project's labelled sets (tests/data/questions*.json).
For each question the line holds: the set, id, whether it is answerable, the question's
signals, its candidate sentences with their features and whether each holds the labelled
evidence, and what the pipeline answered. The signals are recorded by the pipeline itself
(Answerer.trace), at the point where the fitted model decides; a question answered "no"
before that point (no report for the year, a named insats the reports lack) is "gated".
Run it with the model file moved away to record the rules' own verdicts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _tokens(s: str) -> set[str]:
    s = unicodedata.normalize("NFKC", s or "").lower()
    s = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", s)
    return set(re.findall(r"\w+", s))


def matches(evidence: list[str], text: str) -> bool:
    """A sentence is (part of) the evidence when it holds 60 % of an evidence string's words
    (the corpus README's rule for a passage) or when 60 % of its own words, at least four,
    are in one (a sentence of an evidence string that spans two)."""
    have = _tokens(text)
    return any(
        len(_tokens(e) & have) / max(1, len(_tokens(e))) >= 0.6
        or (len(have) >= 4 and len(_tokens(e) & have) / len(have) >= 0.6)
        for e in evidence
    )


def load(path: Path) -> list[dict]:
    out = []
    for q in json.loads(path.read_text(encoding="utf-8")):
        munis = q.get("municipalities") or ([q["municipality"]] if q.get("municipality") else [])
        out.append(
            {
                "id": q["id"],
                "question": q["question"],
                "kind": q.get("kind", ""),
                "municipalities": munis,
                "evidence": q.get("evidence") or [],
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--questions", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    from assistant.service import Service

    service = Service.open(args.store, llm=None)
    answerer = service.answerer
    with open(args.out, "a", encoding="utf-8") as out:
        for path in map(Path, args.questions):
            name = "dev-corpus" if "dev-corpus" in str(path) else path.stem
            for q in load(path):
                answerer.trace = []
                answer = service.ask(q["question"])
                trace = answerer.trace[-1] if answerer.trace else {"signals": {}, "sentences": []}
                sentences = [
                    {
                        "text": ev.text,
                        "features": f,
                        "label": bool(q["evidence"]) and matches(q["evidence"], ev.text),
                    }
                    for ev, f in trace["sentences"]
                ]
                row = {
                    "set": name,
                    "id": q["id"],
                    "kind": q["kind"],
                    "question": q["question"],
                    "answerable": bool(q["evidence"]),
                    "gated": not answerer.trace,
                    "signals": trace["signals"],
                    "sentences": sentences,
                    "cited": bool(answer.citations),
                    "answer": answer.text,
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{path}: done", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
