"""What a search of the store returns."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.records import Chunk


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its score (higher is better) and, when known, the cosine
    similarity of its embedding to the question's (comparable across questions)."""

    chunk: Chunk
    score: float
    similarity: float | None = None
