"""Survey quality on the labelled theme questions (tests/data/survey.json).

For each question: the municipalities the survey finds, against the expected ones ->
municipality-level recall and precision (micro-averaged over questions), overall and per
split; every cited quote re-checked on its page; and the same figures for the naive way,
"the municipalities of a global top-20 search".

The labels have no split of their own, so questions alternate: s01, s03, ... are "dev",
s02, s04, ... "heldout" (the survey's decision is fitted by benchmarks/fit_survey.py, with
leave-one-question-out cross-validation over these and the foreign corpus's questions).

    python benchmarks/survey_eval.py --store DIR [--json] [--cut P]
    (without --store the sample reports are ingested into benchmarks/out/sample-store)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.qa.retrieve import SearchRequest  # noqa: E402
from assistant.qa.verify import quote_on_page  # noqa: E402
from assistant.survey import surveyor as S  # noqa: E402

TOP_K_BASELINE = 20


def load_questions(path: Path) -> list[dict]:
    items = json.loads(path.read_text(encoding="utf-8"))
    for n, q in enumerate(items):
        q.setdefault("split", "dev" if n % 2 == 0 else "heldout")
    return items


def open_store(store_dir: str | None):
    from vectorstore.store import ReportStore

    if store_dir:
        return ReportStore.open(store_dir)
    from ingest.pipeline import ingest_paths

    path = ROOT / "benchmarks" / "out" / "sample-store"
    store = ReportStore.open(path)
    ingest_paths([ROOT / "samples" / "reports"], store)
    return store


def prf(pairs: list[tuple[set[str], set[str]]]) -> dict:
    """Micro-averaged recall/precision/F1 over (predicted, expected) pairs."""
    tp = sum(len(p & e) for p, e in pairs)
    predicted = sum(len(p) for p, _ in pairs)
    expected = sum(len(e) for _, e in pairs)
    recall = tp / expected if expected else 1.0
    precision = tp / predicted if predicted else 1.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {
        "recall": round(recall, 3),
        "precision": round(precision, 3),
        "f1": round(f1, 3),
        "n": len(pairs),
    }


def evaluate(surveyor: S.Surveyor, questions: list[dict]) -> dict:
    store = surveyor.store
    hashes = {r.source: r.file_hash for r in store.report_records()}
    rows, ours, naive = [], [], []
    quotes = verified = 0
    seconds = []
    for q in questions:
        years = [q["year"]] if q.get("year") else None
        expected = set(q["expected"])
        start = time.perf_counter()
        result = surveyor.survey(q["question"], years)
        seconds.append(time.perf_counter() - start)
        found = {f.municipality for f in result.found}
        for f in result.found:
            for c in f.citations:
                quotes += 1
                verified += quote_on_page(c.quote, store.page_text(hashes[c.source], c.page) or "")
        hits = surveyor.retriever.search(
            SearchRequest(q["question"], k=TOP_K_BASELINE, years=list(years or []))
        )
        top = {h.chunk.municipality for h in hits}
        ours.append((q["split"], found, expected))
        naive.append((q["split"], top, expected))
        rows.append(
            {
                "id": q["id"],
                "split": q["split"],
                "question": q["question"],
                "expected": sorted(expected),
                "found": sorted(found),
                "missed": sorted(expected - found),
                "extra": sorted(found - expected),
                "top20": sorted(top),
                "seconds": round(seconds[-1], 2),
            }
        )

    def figures(items, split=None):
        return prf([(p, e) for s, p, e in items if split in (None, s)])

    return {
        "cut": surveyor.cut,
        "municipalities": len(surveyor.municipalities()),
        "survey": {
            "overall": figures(ours),
            "dev": figures(ours, "dev"),
            "heldout": figures(ours, "heldout"),
        },
        "top20": {
            "overall": figures(naive),
            "dev": figures(naive, "dev"),
            "heldout": figures(naive, "heldout"),
        },
        "quotes": quotes,
        "quotes_verified": verified,
        "seconds_per_question": round(sum(seconds) / len(seconds), 2),
        "questions": rows,
    }


def print_report(report: dict) -> None:
    print(
        f"{len(report['questions'])} frågor, {report['municipalities']} kommuner, "
        f"sannolikhetsgräns {report['cut']}"
    )
    print(f"{'':<24}{'recall':>8}{'precision':>11}{'F1':>7}{'n':>5}")
    for system in ("survey", "top20"):
        for split, f in report[system].items():
            label = f"{system} {split}"
            print(
                f"{label:<24}{f['recall']:>8.3f}{f['precision']:>11.3f}{f['f1']:>7.3f}{f['n']:>5}"
            )
    print(f"citat verifierade: {report['quotes_verified']} av {report['quotes']}")
    print(f"sekunder per fråga: {report['seconds_per_question']}")
    for r in report["questions"]:
        flags = ""
        if r["missed"]:
            flags += f" saknas: {', '.join(r['missed'])}"
        if r["extra"]:
            flags += f" extra: {', '.join(r['extra'])}"
        print(f"  {r['id']} {r['split']:<8}{len(r['found'])}/{len(r['expected'])}{flags}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store")
    parser.add_argument("--questions", default=str(ROOT / "tests" / "data" / "survey.json"))
    parser.add_argument("--cut", type=float, help="pröva en annan sannolikhetsgräns")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    questions = load_questions(Path(args.questions))
    surveyor = S.Surveyor(open_store(args.store))
    out: dict = {}
    if args.cut is not None:
        surveyor.cut = args.cut
    out["evaluation"] = evaluate(surveyor, questions)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print_report(out["evaluation"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
