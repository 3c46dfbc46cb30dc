"""Fit the survey's decision (assistant/survey/surveyor.py, config/survey_model.json) on labelled
"Vilka kommuner ...?" questions, with leave-one-question-out cross-validation.

Two question sets, each over its own store: the foreign development corpus
(../shared/dev-corpus/survey.json; skipped when absent) and the project's samples
(tests/data/survey.json). For every question and municipality the survey's raw evidence is
measured once (cached in --cache), the per-question features are computed
(survey.question_features) and a small logistic model is fitted in numpy. The figures
printed are cross-validated: each question is decided by a model fitted on all the others.
The kind model (config/kind_model.json) is fitted on the foreign corpus too: there, each
municipality's kind cosines come from a kind model fitted without it, and with
--leave-kind-out also without the theme the question asks about.

    .venv/bin/python benchmarks/fit_survey.py --dev-store DIR --samples-store DIR \\
        [--cache FILE] [--cut P] [--save | --leave-kind-out]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from assistant.survey import surveyor as S  # noqa: E402

DEV_CORPUS = ROOT.parent / "shared" / "dev-corpus"


def muni_key(name: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKC", name or "").lower()
    s = re.sub(r"\b(kommun|kommuns|stad)\b", "", s)
    return re.sub(r"[^a-zåäö]", "", s)


def question_sets(dev_corpus: Path) -> list[tuple[str, list[dict]]]:
    sets = []
    path = dev_corpus / "survey.json"
    if path.exists():
        items = json.loads(path.read_text(encoding="utf-8"))
        sets.append(
            (
                "dev-corpus",
                [
                    {
                        "id": f"d{n:02d}",
                        "question": q["question"],
                        "year": None,
                        "expected": q["municipalities"],
                    }
                    for n, q in enumerate(items, 1)
                ],
            )
        )
    items = json.loads((ROOT / "tests" / "data" / "survey.json").read_text(encoding="utf-8"))
    sets.append(
        (
            "samples",
            [
                {
                    "id": q["id"],
                    "question": q["question"],
                    "year": q.get("year"),
                    "expected": q["expected"],
                }
                for q in items
            ],
        )
    )
    sets.append(("samples-chat", chat_questions()))
    return sets


_SURVEY_FORM = re.compile(
    r"^(Vilka kommuner|Vilken kommun|I vilka kommuner|Har någon kommun|"
    r"Har några kommuner|Finns det någon kommun)\b"
)


def chat_questions() -> list[dict]:
    """The samples' chat question sets (tests/data/questions*.json but the held-out ones of
    benchmarks/quick_answers.py): the questions asked of all municipalities in survey form,
    answerable ones (kind all_reports, with their municipalities) and unanswerable ones
    (none), each distinct question once."""
    from benchmarks.quick_answers import HELD_OUT

    seen: dict[str, dict] = {}
    for path in sorted((ROOT / "tests" / "data").glob("questions*.json")):
        if path.name in HELD_OUT:  # the answers' held-out sets stay out of every fit
            continue
        for q in json.loads(path.read_text(encoding="utf-8")):
            if q.get("kind") in ("all_reports", "unanswerable") and _SURVEY_FORM.search(
                q["question"]
            ):
                seen.setdefault(q["question"], q)
    out = []
    for kind in ("all_reports", "unanswerable"):
        items = [q for q in seen.values() if q["kind"] == kind]
        out += [
            {
                "id": f"{q['id']}-{kind[:3]}",
                "question": q["question"],
                "year": q.get("year"),
                "expected": q.get("municipalities") or [],
            }
            for q in items
        ]
    return out


def collect(surveyor: S.Surveyor, questions: list[dict], corpus: str) -> list[dict]:
    """Per question: each municipality's raw measures and whether it is expected."""
    out = []
    for n, q in enumerate(questions, 1):
        years = [q["year"]] if q.get("year") else None
        expected = {muni_key(m) for m in q["expected"]}
        rows = []
        for m in surveyor.municipalities(years):
            raw = surveyor.measure(q["question"], m, years)
            rows.append(
                {
                    "municipality": m,
                    "label": muni_key(m) in expected,
                    **{
                        k: raw[k]
                        for k in (
                            "scores",
                            "coverages",
                            "passages",
                            "kinds",
                            "text_coverage",
                            "corpus_coverage",
                        )
                    },
                }
            )
        out.append({"corpus": corpus, "id": q["id"], "question": q["question"], "rows": rows})
        print(f"  {corpus} {n}/{len(questions)} {q['question'][:60]}", file=sys.stderr, flush=True)
    return out


def leave_kind_out(questions: list[dict], store_dir: str, dev_corpus: Path) -> None:
    """Replace each question's kind cosines by those of kind models fitted without its theme
    (and, as always, without the municipality judged)."""
    from benchmarks.fit_sections import CrossFitted
    from vectorstore.store import ReportStore

    store = ReportStore.open(store_dir)
    themes = {
        q["question"]: q.get("theme")
        for q in json.loads((dev_corpus / "survey.json").read_text(encoding="utf-8"))
    }
    for q in questions:
        kinds = CrossFitted(store, dev_corpus, without=themes.get(q["question"]))
        surveyor = S.Surveyor(store, kind_model=kinds)
        for row in q["rows"]:
            row["kinds"] = surveyor._kind_cosines(q["question"], row["municipality"], None)


def design(data: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Features, labels and question index of every (question, municipality)."""
    xs, ys, groups = [], [], []
    for g, q in enumerate(data):
        feats = S.question_features(q["rows"])
        for row, f in zip(q["rows"], feats):
            xs.append(f)
            ys.append(row["label"])
            groups.append(g)
    return np.array(xs, dtype=float), np.array(ys, dtype=float), np.array(groups), list(S.FEATURES)


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    l2: float = 1.0,
    steps: int = 2000,
    sample_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Weights (intercept first) of an L2-regularised logistic regression, by Newton steps;
    `sample_weight`: each row's weight (default 1)."""
    sw = np.ones(len(y)) if sample_weight is None else sample_weight
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    reg = l2 * np.eye(xb.shape[1])
    reg[0, 0] = 0.0  # no penalty on the intercept
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (sw * (p - y)) + reg @ w
        hess = xb.T @ (xb * (sw * p * (1 - p))[:, None]) + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, std = x.mean(axis=0), x.std(axis=0)
    return mean, np.where(std > 0, std, 1.0)


def prf(tp: int, fp: int, fn: int) -> dict:
    return {"recall": round(tp / max(1, tp + fn), 3), "precision": round(tp / max(1, tp + fp), 3)}


def corpus_weights(data, groups) -> np.ndarray:
    """Row weights that give each question set the same total weight (the samples' chat set
    has many more rows than the foreign corpus), averaging 1 over all rows."""
    corpus = np.array([data[g]["corpus"] for g in groups])
    names = sorted(set(corpus))
    w = np.array([1.0 / (corpus == c).sum() for c in corpus])
    return w * len(w) / w.sum() if names else w


def cross_validate(data, x, y, groups, l2: float, cut: float, balanced: bool = True) -> dict:
    """Leave-one-question-out: every question decided by a model fitted on the others."""
    prob = np.zeros(len(y))
    sw = corpus_weights(data, groups) if balanced else np.ones(len(y))
    for g in np.unique(groups):
        train = groups != g
        mean, std = standardise(x[train])
        w = fit_logistic((x[train] - mean) / std, y[train], l2, sample_weight=sw[train])
        z = np.hstack([np.ones(((~train).sum(), 1)), (x[~train] - mean) / std]) @ w
        prob[~train] = 1 / (1 + np.exp(-z))
    pred = prob >= cut
    out = {}
    for corpus in sorted({q["corpus"] for q in data}):
        sel = np.array([data[g]["corpus"] == corpus for g in groups])
        tp = int((pred & (y == 1) & sel).sum())
        fp = int((pred & (y == 0) & sel).sum())
        fn = int((~pred & (y == 1) & sel).sum())
        out[corpus] = prf(tp, fp, fn)
    return {"figures": out, "pred": pred, "prob": prob}


def to_check(data, y, groups, prob: np.ndarray, review: float, cut: float) -> dict:
    """Per question set, what the survey lists "Att granska" (probability from `review` up to
    the cut) when each question is decided by a model fitted on the others: how many per
    question, and the share of the right municipalities found or listed to check."""
    out = {}
    for corpus in sorted({q["corpus"] for q in data}):
        sel = np.array([data[g]["corpus"] == corpus for g in groups])
        listed = sel & (prob >= review) & (prob < cut)
        out[corpus] = {
            "per_question": round(float(listed.sum()) / len(set(groups[sel])), 1),
            "found_or_to_check_recall": round(
                float((sel & (prob >= review) & (y == 1)).sum() / max(1, (sel & (y == 1)).sum())),
                3,
            ),
        }
    return out


def head() -> str:
    r = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    )
    return r.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev-store")
    ap.add_argument("--samples-store")
    ap.add_argument("--dev-corpus", default=str(DEV_CORPUS))
    ap.add_argument("--cache", default=str(ROOT / "benchmarks" / "out" / "survey-measures.json"))
    ap.add_argument("--refresh", action="store_true", help="measure again even if cached")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--cut", type=float, default=0.5)
    ap.add_argument(
        "--leave-kind-out",
        action="store_true",
        help="score each foreign-corpus question with kind models fitted without its theme "
        "(needs --dev-store; figures only, not for --save)",
    )
    ap.add_argument("--save", action="store_true", help=f"write {S.MODEL_FILE.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    if args.leave_kind_out and (args.save or not args.dev_store):
        ap.error("--leave-kind-out needs --dev-store and gives figures only (no --save)")
    cache = Path(args.cache)
    cached = (
        json.loads(cache.read_text(encoding="utf-8")) if cache.exists() and not args.refresh else {}
    )
    from benchmarks.fit_sections import CrossFitted
    from vectorstore.store import ReportStore

    stores = {
        "dev-corpus": args.dev_store,
        "samples": args.samples_store,
        "samples-chat": args.samples_store,
    }
    for corpus, questions in question_sets(Path(args.dev_corpus)):
        if corpus in cached:
            continue
        if not stores[corpus]:
            print(f"no store for {corpus}: skipped", file=sys.stderr)
            continue
        t = time.time()
        store = ReportStore.open(stores[corpus])
        # the kind model is fitted on the foreign corpus: there, each municipality is scored
        # by a model fitted without it
        kinds = CrossFitted(store, Path(args.dev_corpus)) if corpus == "dev-corpus" else None
        cached[corpus] = collect(S.Surveyor(store, kind_model=kinds), questions, corpus)
        print(f"{corpus}: measured in {time.time() - t:.0f} s", file=sys.stderr)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
    if args.leave_kind_out and "dev-corpus" in cached:
        leave_kind_out(cached["dev-corpus"], args.dev_store, Path(args.dev_corpus))
    data = [q for corpus in sorted(cached) for q in cached[corpus]]
    x, y, groups, names = design(data)
    cv = cross_validate(data, x, y, groups, args.l2, args.cut)
    print(
        f"features: {', '.join(names)}; {len(data)} questions, {len(y)} rows, {int(y.sum())} "
        f"positive"
    )
    print(f"leave-one-question-out (l2 {args.l2}, cut {args.cut}): {cv['figures']}")
    review = S.get_settings().survey.review
    print(f"to check from {review}: {to_check(data, y, groups, cv['prob'], review, args.cut)}")
    mean, std = standardise(x)
    w = fit_logistic((x - mean) / std, y, args.l2, sample_weight=corpus_weights(data, groups))
    print(
        "weights (standardised): "
        + ", ".join(f"{n} {v:+.2f}" for n, v in zip(["intercept", *names], w))
    )
    if args.save:
        store_dir = args.dev_store or args.samples_store
        model = {
            "features": names,
            "embedder": ReportStore.open(store_dir).embedder.name if store_dir else None,
            "mean": mean.round(6).tolist(),
            "std": std.round(6).tolist(),
            "weights": w.round(6).tolist(),
            "cut": args.cut,
            "provenance": {
                "fitted": datetime.date.today().isoformat(),
                "commit": head(),
                "script": "benchmarks/fit_survey.py",
                "l2": args.l2,
                "weighting": "each question set weighs the same in the fit",
                "cut": "chosen in steps of 0.01 on the cross-validated figures: the highest "
                "foreign-corpus recall among the cuts whose foreign-corpus precision meets "
                "issue 19's goal (0.80), that keep the samples' survey figures within 3 "
                "points of the issue's samples figures (0.985 / 0.971), leave the samples' "
                "chat answers as they were and find none of the samples' unanswerable survey "
                "questions (tests/test_survey.py); among cuts equal by these, the one whose "
                "figures with the shipped models in one process (benchmarks/devcorpus_eval.py) "
                "also meet both goals",
                "held_out": "the samples' held-out answer sets (benchmarks/quick_answers.py "
                "HELD_OUT) are not among the chat questions",
                "kinds": "on the foreign corpus each municipality's kind cosines come from "
                "a kind model fitted without it (fit_sections.CrossFitted)",
                "stores": "dev corpus pdf/ and samples/reports ingested as they are",
                "questions": {
                    c: sum(q["corpus"] == c for q in data)
                    for c in sorted({q["corpus"] for q in data})
                },
                "rows": len(y),
                "positives": int(y.sum()),
                "cross_validated": cv["figures"],
            },
        }
        S.MODEL_FILE.write_text(
            json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {S.MODEL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
