"""Candidate evidence: the sentences and table rows of retrieved passages, scored against the
question (dense and lexical), and the best of them chosen. The answerer and the survey both
read passages through an `EvidenceFinder`; neither needs the other for it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.qa.retrieve import Retriever
from assistant.qa.verify import normalize_for_match, split_sentences
from ingest.records import Chunk
from ingest.tables import PICTURE_TABLE_CAPTION
from rapport_settings import AnswerSettings, get_settings
from vectorstore.records import Hit


@dataclass
class Evidence:
    chunk: Chunk
    text: str  # a sentence or table row, verbatim (modulo whitespace) from the chunk
    dense: float
    lexical: float
    rank: int  # the chunk's rank in retrieval
    p: float | None = None  # the fitted sentence model's probability (assistant/qa/abstain.py)

    @property
    def score(self) -> float:
        if self.p is not None:
            return self.p
        return self.dense + 0.02 * min(self.lexical, 10.0) - 0.005 * self.rank


def evidence_units(chunk: Chunk) -> list[str]:
    """Sentences of prose and whole rows of tables, as candidate evidence."""
    units = []
    prose: list[str] = []
    pictured = False
    for line in chunk.text.split("\n"):
        if line.strip() == PICTURE_TABLE_CAPTION:
            pictured = True  # rows read from a picture: not quoted as evidence
        elif " | " in line:
            if not pictured:
                units.append(line.strip())
        elif _is_label(line):
            prose.append(f"• {line}")  # "Svårigheter:" over a list is no part of the item above
        else:
            prose.append(line)
    text = normalize_for_match("\n".join(prose))
    for sentence in split_sentences(text):
        # a bulleted list is one item per claim, not one run-on sentence
        for item in sentence.split(" • "):
            item = drop_heading(item, chunk.section).lstrip("• ")
            if len(item.split()) >= 4 and item != chunk.section:  # a heading is no claim
                units.append(item)
    return units


def _is_label(line: str) -> bool:
    """A short line that starts with a capital and ends in a colon: the label of the list or
    text below it (not the end of a sentence wrapped onto its own line)."""
    text = line.strip().lstrip("• ")
    return text[:1].isupper() and text.endswith(":") and len(text.split()) <= 4


def drop_heading(sentence: str, section: str) -> str:
    """'Fritidsbanken Kommunen har ...' -> 'Kommunen har ...', '3 Insatser Feriejobb Under
    2024 fick ...' -> 'Under 2024 fick ...': the heading (and a numbered heading above it)
    that the text layer glued onto the first sentence, so that the quote starts where the
    sentence does."""
    if not section:
        return sentence
    section = normalize_for_match(section)  # as the sentence is: "Aktivitet 3 – X" -> "- X"
    at = sentence.find(section + " ")
    if at < 0 or at > 40:
        return sentence
    rest = sentence[at + len(section) + 1 :].lstrip("•:–- ")
    if rest[:1].isupper() or rest[:1].isdigit():
        return rest
    return sentence


class EvidenceFinder:
    """Scores the sentences of retrieved passages against a question and picks the best."""

    def __init__(
        self,
        retriever: Retriever,
        sentence_vectors: bool = True,
        settings: AnswerSettings | None = None,
    ) -> None:
        """`sentence_vectors`: embed every candidate sentence to rank it (precise, but about
        a second per question with the 4-bit e5 on 2 cores; the survey caches them). Without,
        a sentence takes its passage's similarity and is ranked by its Swedish term overlap
        with the question, which keeps a chat answer well under half a second. `settings`:
        how many sentences `select` keeps and the floor under them (default:
        `get_settings()`)."""
        self.settings = settings if settings is not None else get_settings().answer
        self.retriever = retriever
        self.store = retriever.store
        self.sentence_vectors = sentence_vectors

    def evidence(self, question: str, hits: list[Hit]) -> list[Evidence]:
        candidates: list[tuple[Hit, int, str]] = []
        for rank, hit in enumerate(hits):
            candidates.extend((hit, rank, unit) for unit in evidence_units(hit.chunk))
        if not candidates:
            return []
        if self.sentence_vectors:
            embedder = self.retriever.embedder
            qvec = embedder.embed_query(question)
            dense = embedder.embed_documents([u for _, _, u in candidates]) @ qvec
        else:
            dense = [hit.similarity or 0.0 for hit, _, _ in candidates]
        lexical = self._lexical_scores(question, [u for _, _, u in candidates])
        return [
            Evidence(hit.chunk, unit, float(d), float(lx), rank)
            for (hit, rank, unit), d, lx in zip(candidates, dense, lexical)
        ]

    def _lexical_scores(self, question: str, texts: list[str]) -> np.ndarray:
        index = self.store.lexical()
        query = index.encode_query(question)
        docs = index.encode_documents(texts)
        return np.array([sum(w * d.get(t, 0.0) for t, w in query.items()) for d in docs])

    def select(self, evidence: list[Evidence]) -> list[Evidence]:
        """The best sentences, at most `per_passage` per passage, duplicates removed."""
        chosen: list[Evidence] = []
        per_chunk: dict[str, int] = {}
        seen: set[str] = set()
        floor = self.settings.evidence
        for ev in sorted(evidence, key=lambda e: e.score, reverse=True):
            key = normalize_for_match(ev.text).lower()
            if key in seen or per_chunk.get(ev.chunk.id, 0) >= self.settings.per_passage:
                continue
            # A floor, not the silence decision (that is assistant/qa/silence.py): a sentence
            # whose passage (or itself) is further from the question than `min_dense` and that
            # shares too little with it (`min_lexical`) is never evidence. benchmarks/
            # calibrate.py shows why cosine alone cannot decide more: the best passage of an
            # unanswerable question scores like that of an answerable one (0.83-0.89).
            if ev.dense < floor.min_dense and ev.lexical < floor.min_lexical:
                continue
            chosen.append(ev)
            seen.add(key)
            per_chunk[ev.chunk.id] = per_chunk.get(ev.chunk.id, 0) + 1
            if len(chosen) >= self.settings.max_sentences:
                break
        return chosen
