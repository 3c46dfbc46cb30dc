"""Fit the abstention model (assistant/qa/abstain.py) on labelled questions' signals and report
its cross-validated figures.

    .venv/bin/python benchmarks/abstain_data.py --store DIR --questions FILE... --out data.jsonl
    .venv/bin/python benchmarks/abstain_fit.py data.jsonl [more.jsonl] [--out config/reader.json]
        [--folds 10] [--l2 1.0]

Logistic regression (numpy, L2, Newton steps) with classes weighted to equal mass, so that the
few unanswerable questions count as much as the many answerable ones. Cross-validation: K
folds stratified by label and by question set; the printed figures per set are those of
questions the fold's model never saw. The saved model is refitted on all rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.qa.reader import SENTENCE_FEATURES  # noqa: E402

QUESTION_FEATURES = [
    "rules",
    "p_best",
    "best_coverage",
    "best_carries",
    "presence",
    "rarest_present",
    "sim_top",
    "cov_passage",
    "one_municipality",
]


BALANCE_QUESTIONS = True


def fit(
    x: np.ndarray, y: np.ndarray, l2: float, balance: bool | float = True
) -> tuple[np.ndarray, float]:
    """L2 logistic regression on standardised x (classes weighted to equal mass if
    `balance` is True, else an unanswerable question weighs `balance` answerable ones);
    returns (weights, bias)."""
    n, d = x.shape
    sw = (
        np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum())) * n
        if balance is True
        else np.where(y == 1, 1.0, float(balance or 1.0))
    )
    w, b = np.zeros(d), 0.0
    xb = np.hstack([x, np.ones((n, 1))])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ w + b, -40, 40)))
        g = sw * (p - y)
        grad = np.append(x.T @ g + l2 * w, g.sum())
        h = sw * p * (1 - p)
        hess = xb.T @ (xb * h[:, None]) + np.diag(np.append(np.full(d, l2), 1e-6))
        step = np.linalg.solve(hess, grad)
        w, b = w - step[:d], b - step[d]
        if np.abs(step).max() < 1e-8:
            break
    return w, float(b)


class Logistic:
    def __init__(
        self, x: np.ndarray, y: np.ndarray, l2: float, balance: bool | float = True
    ) -> None:
        self.mean, self.scale = x.mean(axis=0), np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1.0)
        self.w, self.b = fit((x - self.mean) / self.scale, y, l2, balance)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-np.clip(((x - self.mean) / self.scale) @ self.w + self.b, -40, 40)))

    def to_json(self, names: list[str]) -> dict:
        return {
            "features": names,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.w.tolist(),
            "bias": self.b,
        }


def sentence_matrix(rows):
    x = [[s["features"][n] for n in SENTENCE_FEATURES] for r in rows for s in r["sentences"]]
    y = [float(s["label"]) for r in rows for s in r["sentences"]]
    return np.array(x, dtype=float).reshape(-1, len(SENTENCE_FEATURES)), np.array(y)


def question_matrix(rows, sentence_model) -> tuple[np.ndarray, list[int]]:
    """Per question: the abstention features from its best sentence under `sentence_model`,
    and the index of that sentence (-1 if none)."""
    x, best = [], []
    for r in rows:
        sig = dict(r["signals"])
        if r["sentences"]:
            probs = sentence_model(
                np.array([[s["features"][n] for n in SENTENCE_FEATURES] for s in r["sentences"]])
            )
            i = int(np.argmax(probs))
            f = r["sentences"][i]["features"]
            sig.update(
                p_best=float(probs[i]), best_coverage=f["coverage"], best_carries=f["carries"]
            )
        else:
            i = -1
            sig.update(p_best=0.0, best_coverage=0.0, best_carries=0.0)
        x.append([float(sig.get(n, 0.0)) for n in QUESTION_FEATURES])
        best.append(i)
    return np.array(x), best


def folds_of(rows, folds: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(rows), dtype=int)
    keys = [(r["set"], r["answerable"]) for r in rows]
    for key in sorted(set(keys)):
        idx = np.array([i for i, k in enumerate(keys) if k == key])
        rng.shuffle(idx)
        fold[idx] = (np.arange(len(idx)) + rng.integers(folds)) % folds
    return fold


def train(rows, l2: float) -> tuple[Logistic, Logistic]:
    xs, ys = sentence_matrix([r for r in rows if r["answerable"]])
    sentence = Logistic(xs, ys, l2)
    xq, _ = question_matrix(rows, sentence)
    yq = np.array([float(r["answerable"]) for r in rows])
    return sentence, Logistic(xq, yq, l2, BALANCE_QUESTIONS)


def report(rows, decide, right, label: str) -> None:
    print(label)
    for s in sorted({r["set"] for r in rows}) + ["all"]:
        idx = [i for i, r in enumerate(rows) if s in ("all", r["set"])]
        pos = [i for i in idx if rows[i]["answerable"]]
        neg = [i for i in idx if not rows[i]["answerable"]]
        extra = (
            f"  best sentence holds the evidence {sum(right[i] for i in pos):3d}" if right else ""
        )
        print(
            f"  {s:22s} answerable answered {sum(decide[i] for i in pos):3d}/{len(pos):3d}"
            f"  unanswerable clean {sum(not decide[i] for i in neg):3d}/{len(neg):3d}{extra}"
        )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="+")
    ap.add_argument("--out")
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument(
        "--negative-weight",
        type=float,
        help="an unanswerable question weighs this many answerable ones (default: classes "
        "balanced)",
    )
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument(
        "--decide",
        action="store_true",
        help="also save the abstention model (off: it cost held-out unanswerable questions)",
    )
    ap.add_argument(
        "--rescue-only",
        action="store_true",
        help="the model may only answer where the rules found no typed sentence",
    )
    args = ap.parse_args()
    global BALANCE_QUESTIONS
    BALANCE_QUESTIONS = args.negative_weight or True
    every = [json.loads(line) for path in args.data for line in open(path, encoding="utf-8")]
    report(
        every,
        [r["cited"] for r in every],
        None,
        "the pipeline as recorded (rules, if no model was present):",
    )
    # a question answered "no" before the model decides stays "no": counted, not fitted
    rows = [r for r in every if not r["gated"]]
    fold = folds_of(rows, args.folds)
    decide, right = [False] * len(rows), [False] * len(rows)
    for k in range(args.folds):
        train_rows = [r for r, f in zip(rows, fold) if f != k]
        test = [i for i, f in enumerate(fold) if f == k]
        sentence, abstain = train(train_rows, args.l2)
        xq, best = question_matrix([rows[i] for i in test], sentence)
        for i, p, b in zip(test, abstain(xq), best):
            rules = bool(rows[i]["signals"].get("rules"))
            decide[i] = (
                rules or bool(p >= args.threshold)
                if args.rescue_only
                else bool(p >= args.threshold)
            )
            right[i] = b >= 0 and rows[i]["sentences"][b]["label"]
    gated = [r for r in every if r["gated"]]
    report(
        rows + gated,
        decide + [False] * len(gated),
        right + [False] * len(gated),
        f"model, {args.folds}-fold cross-validated:",
    )
    sentence, abstain = train(rows, args.l2)
    print("sentence weights:", {n: round(v, 2) for n, v in zip(SENTENCE_FEATURES, sentence.w)})
    print(
        "abstain weights:",
        {n: round(v, 2) for n, v in zip(QUESTION_FEATURES, abstain.w)},
        "bias",
        round(abstain.b, 2),
    )
    if args.out:
        sets = [r["set"] for r in rows]
        model = {
            "sentence": sentence.to_json(SENTENCE_FEATURES),
            "provenance": {
                "fitted": date.today().isoformat(),
                "script": "benchmarks/abstain_fit.py",
                "sets": {s: sets.count(s) for s in sorted(set(sets))},
                "l2": args.l2,
                "folds": args.folds,
                "questions": len(rows),
                "answerable": sum(r["answerable"] for r in rows),
            },
        }
        if args.decide:
            model["abstain"] = abstain.to_json(QUESTION_FEATURES) | {
                "threshold": args.threshold,
                "rescue_only": args.rescue_only,
            }
        Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
