"""Which passages tell what the municipality did with the grant, and which tell its
conditions ("Förutsättningar", "Bakgrund och lokala utmaningar", the summary, the economy).

A caseworker asking "Vad har Ljusdal gjort för skolnärvaron?" wants the insats, not the
sentence on why school absence is a problem there. Headings do not say it reliably (an insats
may be called "Stöd i föräldrarollen" or "Insatsområde 2: ..."; a background section
"Läget" or "Kommunens förutsättningar"), so the decision is a logistic model over the
passage's stored embedding (which carries its heading), fitted on reports whose sections are
labelled: a section with a theme of the grant's work is an insats, any other is not
(benchmarks/fit_sections.py, cross-validated by municipality). It is tied to the embedder it
was fitted with; with another one there is no model and nothing is set aside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parents[2] / "config" / "section_model.json"

__all__ = ["SectionModel", "load_section_model", "work_passages"]


@dataclass(frozen=True)
class SectionModel:
    embedder: str  # the name of the embedder whose vectors it reads
    center: np.ndarray  # subtracted from a vector first (the fitting store's mean)
    mean: np.ndarray  # then standardised
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    cut: float  # a probability below this is not about the work done

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """The probability that each passage (a row of stored embeddings) tells what was done."""
        if len(vectors) == 0:
            return np.zeros(0)
        z = ((vectors - self.center - self.mean) / self.scale) @ self.weights + self.bias
        return 1 / (1 + np.exp(-z))

    def to_json(self, provenance: dict) -> dict:
        return {
            "embedder": self.embedder,
            "center": self.center.round(6).tolist(),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(float(self.bias), 6),
            "cut": self.cut,
            "provenance": provenance,
        }

    @classmethod
    def from_json(cls, data: dict) -> SectionModel:
        arrays = {k: np.asarray(data[k], dtype=np.float32) for k in ("center", "mean", "scale")}
        return cls(
            embedder=data["embedder"],
            weights=np.asarray(data["weights"], dtype=np.float32),
            bias=float(data["bias"]),
            cut=float(data["cut"]),
            **arrays,
        )


@lru_cache(maxsize=4)
def load_section_model(embedder: str, path: str | None = None) -> SectionModel | None:
    """The fitted model for `embedder` (its name), or None: no model file, or one fitted with
    another embedder."""
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    try:
        model = SectionModel.from_json(json.loads(p.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"modellfilen {p} kan inte läsas ({exc}); återställ den (git checkout -- {p}) "
            "eller gör om den med benchmarks/fit_sections.py"
        ) from exc
    return model if model.embedder == embedder else None


def work_passages(store, chunk_ids) -> dict[str, bool]:
    """Whether each chunk (by id; those with a stored embedding) tells the work done, by the
    model for the store's embedder; empty without such a model."""
    model = load_section_model(store.embedder.name)
    vectors = store.embeddings(set(chunk_ids)) if model is not None else {}
    if not vectors:
        return {}
    ids = list(vectors)
    p = model.probabilities(np.stack([vectors[i] for i in ids]))
    return {i: bool(x >= model.cut) for i, x in zip(ids, p)}
