"""Hybrid retrieval: the parsed question -> dense + lexical -> fusion -> diversity.

Each step is a plain function so that the evaluation harness can switch them on and off and
measure what each one is worth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.qa.answer_types import figure_units, has_table
from assistant.qa.fusion import cap_per_group, reciprocal_rank_fusion
from assistant.qa.question import Question, parse_question
from ingest.metadata import Municipality
from rapport_settings import RetrievalSettings, get_settings
from vectorstore.records import Hit

# Dense weight: chosen on the labelled dev split and five question sets written blind to the
# code (git log holds the figures); 0.55 beat 0.4 on every blind set, 0.7 and more lost again.
WEIGHTS = {"dense": 0.55, "lexical": 1.0}
# Answer-type rankings, fused with the two above: for a question about money the lexical
# candidates that hold a table, for one about a figure those with a figure in a sentence
# next to two of the question's words (see Retriever._typed_ranking). Chosen on the labelled
# dev split and blind sets 1-9 (git log): neither lowered MRR on any of them.
TYPED_WEIGHTS = {"table": 0.5, "figure": 0.3}
FIGURE_TERMS = 2
# Diversity: a question over many municipalities should show many of them; a question about
# one municipality should show several of its insatser, not one section's chunks only.
DIVERSITY = {"many": ("municipality", 2), "one": ("section", 2)}
# Parsed questions a retriever keeps (Retriever.parse): the answerer, the retriever and the
# survey read one Question per text, and a survey asks its question of every municipality.
PARSED_KEPT = 512


@dataclass
class SearchRequest:
    question: str
    k: int = 5
    municipalities: list[str] = field(default_factory=list)  # explicit filters win
    years: list[int] = field(default_factory=list)
    mode: str = "hybrid"  # "hybrid", "dense" or "lexical"
    diversify: bool = True


def chroma_where(municipalities: list[str], years: list[int]) -> dict | None:
    clauses = []
    if municipalities:
        clauses.append({"municipality": {"$in": municipalities}})
    if years:
        clauses.append({"year": {"$in": years}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def lexical_query(question: str, municipalities: list[Municipality], years: list[int]) -> str:
    """The question without the municipalities and years it is filtered on: every chunk that
    passes the filter names them in its context line, so they only favour chunks that repeat
    the name (title pages, summaries)."""
    for m in municipalities:
        for p in m.patterns():
            question = re.sub(p.pattern + r"[\wåäö]*", " ", question, flags=re.I)
    for y in years:
        question = re.sub(rf"(?<!\d){y}(?!\d)", " ", question)
    return question


def _filters(req: SearchRequest, question: Question) -> tuple[list[str], list[int]]:
    """Explicit filters win over what the question names."""
    return req.municipalities or list(question.municipalities), req.years or list(question.years)


_GROUP_KEYS = {
    "report": lambda h: h.chunk.file_hash,
    "municipality": lambda h: h.chunk.municipality,
    "section": lambda h: (h.chunk.file_hash, h.chunk.section),
    "none": lambda h: h.chunk.id,
}


class Retriever:
    """Searches one store; caches what it needs between questions (warm searches)."""

    def __init__(
        self,
        store,
        municipalities: list[Municipality],
        reranker="env",
        thesaurus="default",
        embedder=None,
        settings: RetrievalSettings | None = None,
    ) -> None:
        """`reranker`: a `Reranker`, None, or "env" for the settings' (off if unset).
        `thesaurus`: a `Thesaurus`, None (no expansion), or "default" (config/synonymer.txt).
        `embedder`: what embeds questions and sentences (default the store's; the survey
        passes a caching one). `settings`: the search depths (default: `get_settings()`)."""
        from assistant.qa.rerank import reranker_from_settings
        from assistant.qa.thesaurus import default_thesaurus

        self.settings = settings if settings is not None else get_settings().retrieval
        self.store = store
        self.embedder = embedder or store.embedder
        self.municipalities = municipalities
        self.reranker = reranker_from_settings(self.settings) if reranker == "env" else reranker
        if thesaurus == "default":
            s = self.settings
            thesaurus = default_thesaurus(s.expansion_weight, s.near_synonym_group)
        self.thesaurus = thesaurus
        # Re-order dense candidates by centred cosine (see centroid()). Off: it made dense
        # retrieval alone better, but hybrid retrieval worse on both blind question sets
        # (docs/design.md, retrieval).
        self.center = False
        self._centroid: tuple[dict, np.ndarray | None] | None = None
        self._meta: dict[str, dict] | None = None
        self._meta_key: frozenset[str] | None = None
        self._parsed: dict[str, Question] = {}  # see parse()
        self._parsed_for: set[str] | None = None

    def chunk_meta(self) -> dict[str, dict]:
        key = self.store.visible_hashes()
        if self._meta is None or key != self._meta_key:
            self._meta = self.store.all_chunk_metadata()
            self._meta_key = key
        return self._meta

    def centroid(self) -> np.ndarray | None:
        """Mean embedding of the store's chunks (from an evenly spread sample of at most
        `settings.centroid_sample` of them), recomputed when the visible reports change."""
        meta = self.chunk_meta()
        if self._centroid is None or self._centroid[0] is not meta:
            ids = sorted(meta)
            step = max(1, -(-len(ids) // self.settings.centroid_sample))
            vectors = list(self.store.embeddings(ids[::step]).values())
            self._centroid = (meta, np.mean(vectors, axis=0) if vectors else None)
        return self._centroid[1]

    def heading_terms(self) -> set[str]:
        """Analysed terms of every section heading in the store (names of insatser, with the
        places and groups they are for)."""
        analyze = self.store.lexical().analyze
        meta = self.chunk_meta()
        if getattr(self, "_headings_for", None) is not meta:
            sections = {m.get("section", "") for m in meta.values()}
            self._headings = {t for s in sections for t in analyze(s)}
            self._headings_for = meta
        return self._headings

    def municipality_terms(self, name: str | None) -> set[str]:
        """Analysed terms of all chunks of one municipality's reports, or with None of all
        reports (cached)."""
        analyze = self.store.lexical().analyze
        meta = self.chunk_meta()
        cache = getattr(self, "_terms_cache", None)
        if cache is None or cache[0] is not meta:
            cache = self._terms_cache = (meta, {})
        if name not in cache[1]:
            ids = [i for i, m in meta.items() if name is None or m["municipality"] == name]
            chunks = self.store.get_chunks(ids).values()
            cache[1][name] = {t for c in chunks for t in analyze(f"{c.section} {c.text}")}
        return cache[1][name]

    def municipalities_naming(self, term: str) -> set[str]:
        """The municipalities whose reports have the analysed term ("holjeskol": Olofström)."""
        meta = self.chunk_meta()
        return {meta[i]["municipality"] for i in self.store.lexical().ids_with(term) if i in meta}

    def municipality_words(self) -> set[str]:
        """Lower-case words of the names of the municipalities with reports and those of the
        grant's list (which has their localities), also in the genitive ('Perstorps'). Not all
        290: some are words too ("mark", "vara")."""
        present = frozenset(r.municipality for r in self.store.report_records())
        cached = getattr(self, "_municipality_words", None)
        if cached and cached[0] == present:
            return cached[1]
        out = set()
        for m in self.municipalities:
            if m.name not in present and not m.places and not m.aliases:
                continue
            for form in (m.name, *m.aliases):
                for part in [form, *re.split(r"[\s-]+", form)]:
                    out |= {part.lower(), part.lower() + "s"}
        self._municipality_words = (present, out)
        return out

    def place_words(self) -> set[str]:
        """Lower-case words of the localities the municipalities list ('kopparberg'), also in
        the genitive."""
        return {
            w for m in self.municipalities for p in m.places for w in (p.lower(), f"{p.lower()}s")
        }

    def place_names(self) -> set[str]:
        """Lower-case names of the municipalities and their places, with genitives."""
        return self.municipality_words() | self.place_words()

    def parse(self, text: str) -> Question:
        """`text` parsed once (assistant/qa/question.py) with the municipalities this
        retriever knows; the last PARSED_KEPT texts' Questions are kept until the names of
        the municipalities with reports change."""
        words = self.municipality_words()
        if self._parsed_for is not words:
            self._parsed, self._parsed_for = {}, words
        question = self._parsed.get(text)
        if question is None:
            if len(self._parsed) >= PARSED_KEPT:
                self._parsed.clear()
            question = parse_question(
                text, municipalities=self.municipalities, municipality_words=words
            )
            self._parsed[text] = question
        return question

    def resolve_filters(self, req: SearchRequest) -> tuple[list[str], list[int]]:
        return _filters(req, self.parse(req.question))

    def search(self, req: SearchRequest) -> list[Hit]:
        question = self.parse(req.question)
        municipalities, years = _filters(req, question)
        rankings: list[list[str]] = []
        weights: list[float] = []
        hits: dict[str, Hit] = {}
        vector = self.embedder.embed_query(req.question)
        if req.mode in ("hybrid", "dense"):
            where = chroma_where(municipalities, years)
            center = self.centroid() if self.center else None
            if center is None:
                dense = self.store.dense_search(vector, self.settings.candidates, where)
            else:
                pool = self.settings.dense_pool
                dense = self.store.dense_search(vector, pool, where, center=center)[
                    : self.settings.candidates
                ]
            hits.update((h.chunk.id, h) for h in dense)
            rankings.append([h.chunk.id for h in dense])
            weights.append(WEIGHTS["dense"])
        if req.mode in ("hybrid", "lexical"):
            allowed = self._allowed(municipalities, years)
            index = self.store.lexical()
            named = [m for m in self.municipalities if m.name in municipalities]
            query = lexical_query(req.question, named, years)
            extra = self.thesaurus.expansions(index.analyze(query)) if self.thesaurus else None
            lexical = index.search(query, k=self.settings.candidates, allowed=allowed, extra=extra)
            rankings.append([chunk_id for chunk_id, _ in lexical])
            weights.append(WEIGHTS["lexical"])
            if req.mode == "hybrid":
                typed, weight = self._typed_ranking(question, rankings[-1])
                if typed:
                    rankings.append(typed)
                    weights.append(weight)
        fused = reciprocal_rank_fusion(rankings, k=self.settings.rrf_k, weights=weights)
        missing = [i for i, _ in fused[: req.k * 4] if i not in hits]
        for chunk_id, chunk in self.store.get_chunks(missing).items():
            hits[chunk_id] = Hit(chunk, 0.0)
        ranked = [Hit(hits[i].chunk, score, hits[i].similarity) for i, score in fused if i in hits]
        if self.reranker is not None:
            ranked = self.reranker.rerank(req.question, ranked)
        if req.diversify:
            key, cap = DIVERSITY["one" if len(set(municipalities)) == 1 else "many"]
            ranked = cap_per_group(ranked, _GROUP_KEYS[key], cap, req.k)
            if question.compares_years:
                # Each year's report gets its say before any one year fills the list.
                ranked = cap_per_group(ranked, lambda h: h.chunk.year, (req.k + 1) // 2, req.k)
        return self._with_similarity(ranked[: req.k], vector)

    def _typed_ranking(self, question: Question, candidates: list[str]) -> tuple[list[str], float]:
        """The candidates (in their lexical order) that can hold the kind of fact asked for:
        a table for a question about money, a figure next to two of the question's words for
        "Hur många/mycket ...?". Empty for other questions."""
        if not question.money and not question.quantity:
            return [], 0.0
        chunks = self.store.get_chunks(candidates)
        if question.money:
            return [
                c for c in candidates if c in chunks and has_table(chunks[c].text)
            ], TYPED_WEIGHTS["table"]
        index = self.store.lexical()
        terms = {t for w in question.words for t in index.analyze(w)[:1] if index.idf(t)}
        ranked = []
        for c in candidates:
            units = figure_units(chunks[c].text) if c in chunks else []
            if any(len(set(index.analyze(u)) & terms) >= FIGURE_TERMS for u in units):
                ranked.append(c)
        return ranked, TYPED_WEIGHTS["figure"]

    def _with_similarity(self, hits: list[Hit], vector) -> list[Hit]:
        """Fill in the question-chunk cosine for hits that came from the lexical side only:
        the answer step uses it to judge whether the reports answer the question at all."""
        missing = [h.chunk.id for h in hits if h.similarity is None]
        sims = self.store.similarities(missing, vector)
        return [
            h if h.similarity is not None else Hit(h.chunk, h.score, sims.get(h.chunk.id))
            for h in hits
        ]

    def _allowed(self, municipalities: list[str], years: list[int]) -> set[str] | None:
        if not municipalities and not years:
            return None
        wanted_m, wanted_y = set(municipalities), set(years)
        return {
            chunk_id
            for chunk_id, meta in self.chunk_meta().items()
            if (not wanted_m or meta["municipality"] in wanted_m)
            and (not wanted_y or int(meta["year"]) in wanted_y)
        }
