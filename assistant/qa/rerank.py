"""Optional reranking of the fused candidates by a cross-encoder (off by default).

No cross-encoder with Swedish support installs offline here, so retrieval is built and
measured without one; a deployment with a local model folder can switch it on with
the setting `retrieval.reranker` (`RAPPORTASSISTENT_RERANKER=FOLDER_OR_NAME`; needs the `st`
extra).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from vectorstore.records import Hit

if TYPE_CHECKING:
    from rapport_settings import RetrievalSettings


class Reranker(ABC):
    candidates = 20  # fused candidates that it reorders (retrieval.rerank_candidates)

    @abstractmethod
    def scores(self, question: str, texts: list[str]) -> list[float]:
        """Relevance of each text to the question (higher is better)."""

    def rerank(self, question: str, hits: list[Hit]) -> list[Hit]:
        head, tail = hits[: self.candidates], hits[self.candidates :]
        scores = self.scores(question, [h.chunk.text for h in head])
        order = sorted(range(len(head)), key=lambda i: -scores[i])
        return [Hit(head[i].chunk, float(scores[i]), head[i].similarity) for i in order] + tail


class CrossEncoderReranker(Reranker):
    def __init__(self, name_or_path: str, candidates: int = Reranker.candidates) -> None:
        from vectorstore.embedders import load_sentence_transformers

        self.candidates = candidates
        self._model = load_sentence_transformers(
            "CrossEncoder", name_or_path, "eller ta bort RAPPORTASSISTENT_RERANKER"
        )

    def scores(self, question: str, texts: list[str]) -> list[float]:
        return [float(s) for s in self._model.predict([(question, t) for t in texts])]


def reranker_from_settings(settings: RetrievalSettings | None = None) -> Reranker | None:
    """The reranker the settings name (`retrieval.reranker`), or None (the default)."""
    from rapport_settings import get_settings

    section = settings if settings is not None else get_settings().retrieval
    spec = (section.reranker or "").strip()
    return CrossEncoderReranker(spec, section.rerank_candidates) if spec else None
