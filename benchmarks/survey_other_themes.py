"""The survey on the foreign corpus's kinds of work that its survey.json does not ask about:
seven "Vilka kommuner ...?" questions written by the project (benchmarks/data/
survey_other_themes.json), one per theme tag of ../shared/dev-corpus/reports that no survey
question asks, the expected municipalities being those whose reports have a section with the
tag (as the corpus's own survey.json is made). Neither the questions nor their figures were
used to fit or choose anything: a check of how the decision carries to questions it was not
fitted on. As in fit_survey, each municipality's kind cosines come from a kind model fitted
without it (fit_sections.CrossFitted); the decision is the shipped config/survey_model.json.

    .venv/bin/python benchmarks/survey_other_themes.py --store DIR
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = ROOT / "benchmarks" / "data" / "survey_other_themes.json"


def main() -> int:
    from assistant.survey import surveyor as S
    from benchmarks.fit_sections import CrossFitted
    from benchmarks.fit_survey import DEV_CORPUS, collect, design, prf
    from vectorstore.store import ReportStore

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", required=True, help="a store of the foreign corpus's pdf/")
    ap.add_argument("--dev-corpus", default=str(DEV_CORPUS))
    args = ap.parse_args()
    corpus = Path(args.dev_corpus)
    tagged: dict[str, set[str]] = defaultdict(set)
    for path in sorted((corpus / "reports").glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        for section in report["sections"]:
            for theme in section.get("themes", []):
                tagged[theme].add(report["municipality"])
    questions = [
        {"id": q["theme"], "question": q["question"], "expected": sorted(tagged[q["theme"]])}
        for q in json.loads(QUESTIONS.read_text(encoding="utf-8"))
    ]
    store = ReportStore.open(args.store)
    data = collect(S.Surveyor(store, kind_model=CrossFitted(store, corpus)), questions, "themes")
    model = S.Model.load()
    x, y, groups, _ = design(data)
    tp = fp = fn = 0
    for g, q in enumerate(data):
        sel = groups == g
        found = [p >= model.cut for p in model.probabilities(x[sel].tolist())]
        labels = y[sel] == 1
        expected, right = int(labels.sum()), sum(f and lab for f, lab in zip(found, labels))
        tp, fp, fn = tp + right, fp + sum(found) - right, fn + expected - right
        print(f"{q['id']:26s} expected {expected:2d}  found {sum(found):2d}  right {right:2d}")
    print(json.dumps(prf(tp, fp, fn)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
