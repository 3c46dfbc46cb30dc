"""Where the citations of "what was done" answers and of the survey's findings stand, on the
foreign corpus: in an insats section, in a background, summary or economy section, or in a
passage without a heading (the first page). A section is an insats when the corpus's ground
truth (`reports/*.json`) gives it theme tags (benchmarks/fit_sections.labelled_chunks).

The questions: "Vad har X gjort under ÅR?" and "Vilka insatser har X genomfört ÅR?" for each
report, and the corpus's survey questions (`survey.json`).

    python benchmarks/cited_sections.py --store DIR [--corpus ../shared/dev-corpus]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fit_sections import labelled_chunks  # noqa: E402


def work_questions(corpus: Path) -> list[str]:
    """Two "what was done" questions per report of the corpus."""
    out = []
    for path in sorted((corpus / "reports").glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        m, y = report["municipality"], report["year"]
        out += [f"Vad har {m} gjort under {y}?", f"Vilka insatser har {m} genomfört {y}?"]
    return out


def where(citations, labels: dict[str, float], sections: dict[str, str]) -> Counter:
    """How many of `citations` stand in insats sections, in other labelled sections, in
    passages without a heading, or in sections the ground truth does not name."""
    counts: Counter = Counter()
    for c in citations:
        if c.chunk_id in labels:
            counts["insats" if labels[c.chunk_id] else "other"] += 1
        elif not sections.get(c.chunk_id, "").strip():
            counts["no heading"] += 1
        else:
            counts["unmatched"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", required=True, help="the corpus's pdf/ ingested")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "dev-corpus"))
    args = ap.parse_args(argv)
    from assistant.service import Service
    from assistant.survey.surveyor import Surveyor

    corpus = Path(args.corpus)
    service = Service.open(args.store, llm=None)
    ids, _, y, _, _ = labelled_chunks(service.store, corpus)
    labels = dict(zip(ids, y.tolist()))
    sections = {i: m.get("section", "") for i, m in service.store.all_chunk_metadata().items()}

    work = Counter()
    questions = work_questions(corpus)
    for n, q in enumerate(questions, 1):
        work += where(service.ask(q).citations, labels, sections)
        print(f"\r  what was done {n}/{len(questions)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    survey = Counter()
    surveyor = Surveyor.of(service)
    survey_questions = json.loads((corpus / "survey.json").read_text(encoding="utf-8"))
    for n, s in enumerate(survey_questions, 1):
        for finding in surveyor.survey(s["question"]).found:
            survey += where(finding.citations, labels, sections)
        print(f"\r  survey {n}/{len(survey_questions)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    for name, counts in (
        (f"what was done ({len(questions)} questions)", work),
        (f"survey findings ({len(survey_questions)} questions)", survey),
    ):
        total = sum(counts.values())
        print(
            f"{name}: {total} citations, {counts['insats']} in insats sections, "
            f"{counts['other']} in background, summary or economy sections, "
            f"{counts['no heading']} without a heading, {counts['unmatched']} in sections the "
            f"ground truth does not name"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
