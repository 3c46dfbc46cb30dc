"""The fitted parts of the general reader: which candidate sentence answers, and one
calibrated decision to answer or to say that the reports do not answer.

Two small logistic models over the signals of assistant/qa/reader.py, fitted by
benchmarks/abstain_fit.py with cross-validation on labelled questions (the foreign
development corpus and the project's labelled sets) and saved with their provenance in
config/reader.json; nothing here is tuned by hand.

- `sentence`: P(a sentence is the evidence | its dense and lexical similarity, its passage's
  rank, the idf-weighted coverage of the question's content words, whether it carries the
  asked answer type). Orders what the extractive answer quotes, best first.
- `abstain`: P(the reports answer the question | the best sentence's probability, coverage
  and type, the question words' presence in the reports searched, retrieval similarity, and
  whether the typed evidence rules found a sentence). With `rescue_only` it only answers
  where the rules found no sentence of the asked type. Not shipped: the model file's
  provenance says what it cost on held-out questions; without it the rules decide.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parents[2] / "config" / "reader.json"


@dataclass(frozen=True)
class Logistic:
    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    def probability(self, values: dict) -> float:
        z = self.bias + sum(
            w * (float(values.get(n, 0.0)) - m) / s
            for n, w, m, s in zip(self.names, self.weights, self.mean, self.scale)
        )
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    @classmethod
    def from_json(cls, data: dict) -> Logistic:
        return cls(
            tuple(data["features"]),
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data["weights"]),
            float(data["bias"]),
            float(data.get("threshold", 0.5)),
        )


@dataclass(frozen=True)
class ReaderModel:
    sentence: Logistic
    abstain: Logistic | None = None  # None: the typed-evidence rules decide alone
    rescue_only: bool = False  # the model may answer where the rules did not, never veto

    def answers(self, signals: dict) -> bool:
        if self.abstain is None or (self.rescue_only and signals.get("rules")):
            return bool(signals.get("rules"))
        return self.abstain.probability(signals) >= self.abstain.threshold


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> ReaderModel | None:
    """The fitted models, or None when no model file exists (then the rules decide alone)."""
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        abstain = data.get("abstain")
        return ReaderModel(
            Logistic.from_json(data["sentence"]),
            Logistic.from_json(abstain) if abstain else None,
            bool(abstain and abstain.get("rescue_only", False)),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(
            f"modellfilen {p} kan inte läsas ({exc}); återställ den (git checkout -- {p}) "
            "eller gör om den med benchmarks/abstain_fit.py"
        ) from exc
