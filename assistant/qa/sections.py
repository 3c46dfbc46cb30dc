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

The same labels also say what kind of work a passage tells (feriearbete, fritidsbank,
föräldraskapsstöd ...): `KindModel` maps a passage's embedding to scores over the labelled
corpus's kinds of insats. Two descriptions of the same kind of insats in different words
come close in that space where their embeddings alone need not; the survey uses it to carry a
question over to every municipality that did such work (surveyor.Surveyor._kind_cosines).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parents[2] / "config" / "section_model.json"
KIND_MODEL_PATH = MODEL_PATH.with_name("kind_model.json")

__all__ = ["KindModel", "SectionModel", "load_kind_model", "load_section_model", "work_passages"]


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


@dataclass(frozen=True)
class KindModel:
    """Scores over kinds of insats: a ridge regression from a passage's centred, unit-length
    embedding to the labelled sections' theme tags (benchmarks/fit_sections.py)."""

    embedder: str
    center: np.ndarray
    kinds: tuple[str, ...]
    weights: np.ndarray  # dimensions x kinds
    bias: np.ndarray  # one per kind

    def profiles(self, vectors: np.ndarray, ids: list[str] | None = None) -> np.ndarray:
        """Each passage's scores over the kinds, as a unit vector (rows of `vectors`; `ids`
        is for models that depend on the passage, see fit_sections.CrossFitted)."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.kinds)))
        return unit_rows(unit_rows(vectors - self.center) @ self.weights + self.bias)

    def to_json(self, provenance: dict) -> dict:
        return {
            "embedder": self.embedder,
            "kinds": list(self.kinds),
            "center": self.center.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": self.bias.round(6).tolist(),
            "provenance": provenance,
        }

    @classmethod
    def from_json(cls, data: dict) -> KindModel:
        return cls(
            embedder=data["embedder"],
            kinds=tuple(data["kinds"]),
            **{k: np.asarray(data[k], dtype=np.float32) for k in ("center", "weights", "bias")},
        )


def unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _load(cls, path: Path, embedder: str):
    if not path.exists():
        return None
    try:
        model = cls.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"modellfilen {path} kan inte läsas ({exc}); återställ den (git checkout -- {path}) "
            "eller gör om den med benchmarks/fit_sections.py"
        ) from exc
    return model if model.embedder == embedder else None


@lru_cache(maxsize=4)
def load_section_model(embedder: str, path: str | None = None) -> SectionModel | None:
    """The fitted model for `embedder` (its name), or None: no model file, or one fitted with
    another embedder."""
    return _load(SectionModel, Path(path) if path else MODEL_PATH, embedder)


@lru_cache(maxsize=4)
def load_kind_model(embedder: str, path: str | None = None) -> KindModel | None:
    """The fitted kinds of insats for `embedder` (its name), or None as load_section_model."""
    return _load(KindModel, Path(path) if path else KIND_MODEL_PATH, embedder)


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
