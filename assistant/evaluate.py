"""Retrieval evaluation: recall@k, MRR@10 and nDCG@10 on labelled questions, per kind and
split, for our pipeline and for the naive LangChain tutorial pipeline on the same files.

A hit counts as relevant when it comes from an expected municipality (and year, if the
question names one) and contains one of the question's evidence snippets (compared after
the verifier's normalisation, case-insensitive). Questions whose answer is in no report are
left out of the retrieval figures; the answer evaluation scores them.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.qa.verify import normalize_for_match

DEPTH = 10


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    question: str
    municipalities: list[str]
    year: int | None
    evidence: list[str]
    split: str

    @classmethod
    def from_json(cls, d: dict) -> Question:
        return cls(
            d["id"],
            d["kind"],
            d["question"],
            list(d.get("municipalities") or []),
            d.get("year"),
            list(d.get("evidence") or []),
            d.get("split", "dev"),
        )


def load_questions(path: str | Path) -> list[Question]:
    return [Question.from_json(d) for d in json.loads(Path(path).read_text(encoding="utf-8"))]


# A retrieved item reduced to what relevance needs: (municipality, year, text).
Item = tuple[str, int, str]
SearchFn = Callable[[str, int], list[Item]]


def _norm(text: str) -> str:
    return normalize_for_match(text).lower()


def matched_evidence(q: Question, item: Item) -> set[int]:
    municipality, year, text = item
    if q.municipalities and municipality not in q.municipalities:
        return set()
    if q.year and q.kind != "year_comparison" and year and year != q.year:
        return set()
    body = _norm(text)
    return {i for i, ev in enumerate(q.evidence) if _norm(ev) in body}


def score_question(q: Question, items: list[Item], k: int) -> dict:
    found_at: dict[int, int] = {}
    first_relevant = None
    gains = []
    for rank, item in enumerate(items[:DEPTH], 1):
        matched = matched_evidence(q, item)
        new = matched - set(found_at)
        for i in new:
            found_at[i] = rank
        gains.append(1.0 if new else 0.0)
        if matched and first_relevant is None:
            first_relevant = rank
    n = len(q.evidence)
    recall = sum(1 for r in found_at.values() if r <= k) / n
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(n, DEPTH)))
    return {
        "recall": recall,
        "mrr": 1.0 / first_relevant if first_relevant else 0.0,
        "ndcg": dcg / ideal if ideal else 0.0,
    }


def evaluate(questions: list[Question], search: SearchFn, k: int) -> dict:
    rows, latencies = [], []
    for q in questions:
        if not q.evidence:
            continue
        start = time.perf_counter()
        items = search(q.question, DEPTH)
        latencies.append((time.perf_counter() - start) * 1000)
        rows.append((q, score_question(q, items, k)))
    return {
        "overall": _mean(r for _, r in rows),
        "by_kind": {
            kind: _mean(r for q, r in rows if q.kind == kind)
            for kind in sorted({q.kind for q, _ in rows})
        },
        "by_split": {
            s: _mean(r for q, r in rows if q.split == s) for s in sorted({q.split for q, _ in rows})
        },
        "latency_ms_median": round(statistics.median(latencies), 1) if latencies else None,
        "misses": [q.id for q, r in rows if r["recall"] < 1.0],
    }


def _mean(results) -> dict:
    results = list(results)
    if not results:
        return {}
    out = {m: round(statistics.fmean(r[m] for r in results), 3) for m in ("recall", "mrr", "ndcg")}
    out["n"] = len(results)
    return out


# -- the systems compared ------------------------------------------------------------------
VARIANTS = ("no-thesaurus", "centered")


def ours(retriever, mode: str = "hybrid", diversify: bool = True) -> SearchFn:
    """Our retriever in `mode` ("hybrid", "dense" or "lexical"), optionally with one step
    switched to measure it: "hybrid-no-thesaurus" (no query expansion), "dense-centered"
    (dense candidates re-ordered by centred cosine), ..."""
    from assistant.qa.retrieve import SearchRequest

    base, _, variant = mode.partition("-")
    if variant and variant not in VARIANTS:
        raise ValueError(
            f"okänt läge {mode!r}: använd hybrid, dense eller lexical, "
            f"eventuellt med -{' eller -'.join(VARIANTS)}"
        )

    def search(question: str, depth: int) -> list[Item]:
        saved = retriever.thesaurus, retriever.center
        if variant == "no-thesaurus":
            retriever.thesaurus = None
        if variant == "centered":
            retriever.center = True
        try:
            hits = retriever.search(
                SearchRequest(question, k=depth, mode=base, diversify=diversify)
            )
        finally:
            retriever.thesaurus, retriever.center = saved
        return [(h.chunk.municipality, h.chunk.year, h.chunk.text) for h in hits]

    return search


def naive_langchain(
    files: list[Path], embedder, municipality_of: dict[str, tuple[str, int]]
) -> SearchFn:
    """The LangChain tutorial pipeline: PyPDFLoader, RecursiveCharacterTextSplitter(1000, 200),
    Chroma, the same embedder, similarity_search."""
    from langchain_chroma import Chroma
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from vectorstore.embedders import LangChainEmbeddings

    docs = []
    for path in files:
        if path.suffix.lower() == ".pdf":
            docs.extend(PyPDFLoader(str(path)).load())
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(
        docs
    )
    import chromadb

    client = chromadb.EphemeralClient()
    db = Chroma.from_documents(
        splits, LangChainEmbeddings(embedder), client=client, collection_name="naive_baseline"
    )

    def search(question: str, depth: int) -> list[Item]:
        out = []
        for d in db.similarity_search(question, k=depth):
            municipality, year = municipality_of.get(Path(d.metadata["source"]).name, ("", 0))
            out.append((municipality, year, d.page_content))
        return out

    return search
