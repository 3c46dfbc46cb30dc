"""Filters and diversity of the hybrid retriever (what a question names: test_question.py)."""

import pytest

from assistant.qa.retrieve import Retriever, SearchRequest, chroma_where, lexical_query
from ingest.metadata import load_municipalities
from ingest.pipeline import ingest_paths
from tests.pdfmaker import make_pdf, report_pages

KNOWN = load_municipalities()


@pytest.mark.unit
def test_lexical_query_drops_the_filtered_municipality_and_year():
    hofors = [m for m in KNOWN if m.name == "Hofors"]
    malung = [m for m in KNOWN if m.name == "Malung-Sälen"]
    q = lexical_query("Hur gick det för Hofors kommuns ABC-grupper 2023?", hofors, [2023])
    assert "Hofors" not in q and "2023" not in q and "ABC-grupper" in q
    q = lexical_query("Vad gjorde Malung-Sälens kommun 2023 och Hofors 2024?", malung, [2023])
    assert "Malung" not in q and "Sälen" not in q and "2023" not in q
    assert "Hofors" in q and "2024" in q  # not filtered on: kept


@pytest.mark.unit
def test_chroma_where_combines_filters():
    assert chroma_where([], []) is None
    assert chroma_where(["Hofors"], []) == {"municipality": {"$in": ["Hofors"]}}
    assert chroma_where(["Hofors"], [2023]) == {
        "$and": [{"municipality": {"$in": ["Hofors"]}}, {"year": {"$in": [2023]}}]
    }


@pytest.fixture
def retriever(tmp_path, toy_store):
    for name in ("Hofors", "Eda", "Bjuv"):
        for year in (2023, 2024):
            make_pdf(tmp_path / f"{name}_{year}.pdf", report_pages(name, year, "fritidsbanken", 4))
    ingest_paths([tmp_path], toy_store)
    return Retriever(toy_store, KNOWN)


def test_question_over_all_reports_shows_several_municipalities(retriever):
    hits = retriever.search(SearchRequest("fritidsbanken", k=6))
    per_municipality = {}
    for h in hits:
        per_municipality[h.chunk.municipality] = per_municipality.get(h.chunk.municipality, 0) + 1
    assert len(per_municipality) == 3 and max(per_municipality.values()) <= 2


def test_explicit_filter_wins_over_the_municipality_named_in_the_question(retriever):
    hits = retriever.search(
        SearchRequest("Fritidsbanken i Hofors", municipalities=["Eda"], years=[2024])
    )
    assert hits and {(h.chunk.municipality, h.chunk.year) for h in hits} == {("Eda", 2024)}


def test_year_comparison_gets_both_years(retriever):
    hits = retriever.search(
        SearchRequest("Hur har fritidsbanken i Bjuv utvecklats sedan 2023?", k=4)
    )
    assert {h.chunk.year for h in hits} == {2023, 2024}
    assert {h.chunk.municipality for h in hits} == {"Bjuv"}


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_mode_returns_hits_with_similarity(retriever, mode):
    hits = retriever.search(SearchRequest("fritidsbanken Eda", k=3, mode=mode))
    assert len(hits) == 3 and all(h.similarity is not None for h in hits)


class KeywordReranker:
    """A fake cross-encoder: texts containing the keyword score highest."""

    def __init__(self, keyword: str) -> None:
        self.keyword = keyword
        self.calls = 0

    def rerank(self, question, hits):
        from assistant.qa.rerank import Reranker

        self.calls += 1
        scorer = type(
            "R",
            (Reranker,),
            {"scores": lambda _, q, texts: [float(self.keyword in t) for t in texts]},
        )()
        return scorer.rerank(question, hits)


def test_a_configured_reranker_reorders_the_candidates(retriever):
    plain = retriever.search(SearchRequest("fritidsbanken", k=2, diversify=False))
    retriever.reranker = KeywordReranker("Eda")
    reranked = retriever.search(SearchRequest("fritidsbanken", k=2, diversify=False))
    assert retriever.reranker.calls == 1
    assert all(h.chunk.municipality == "Eda" for h in reranked)
    assert [h.chunk.id for h in plain] != [h.chunk.id for h in reranked]


def test_the_search_depth_comes_from_the_settings(retriever):
    from rapport_settings import RetrievalSettings

    shallow = Retriever(retriever.store, KNOWN, settings=RetrievalSettings(candidates=1))
    assert shallow.settings.candidates == 1
    assert len(shallow.search(SearchRequest("fritidsbanken", k=6, mode="dense"))) == 1
    assert len(retriever.search(SearchRequest("fritidsbanken", k=6, mode="dense"))) == 6


def test_no_reranker_by_default(retriever, monkeypatch):
    monkeypatch.delenv("RAPPORTASSISTENT_RERANKER", raising=False)
    assert Retriever(retriever.store, KNOWN).reranker is None


def test_unloadable_reranker_is_a_clear_error(retriever, monkeypatch):
    from vectorstore.embedders import EmbedderUnavailable

    monkeypatch.setenv("RAPPORTASSISTENT_RERANKER", "/nonexistent/cross-encoder")
    with pytest.raises(EmbedderUnavailable, match="RAPPORTASSISTENT_RERANKER"):
        Retriever(retriever.store, KNOWN)


@pytest.mark.unit
def test_a_question_is_parsed_once_for_the_answerer_and_the_retriever(toy_store, monkeypatch):
    import assistant.qa.retrieve as retrieve
    from assistant.qa.answer import Answerer

    parsed = []

    def parse_question(text, **kwargs):
        parsed.append(text)
        return real(text, **kwargs)

    real = retrieve.parse_question
    monkeypatch.setattr(retrieve, "parse_question", parse_question)
    retriever = Retriever(toy_store, KNOWN, reranker=None)
    text = "Hur många pappor deltog i ABC-grupperna i Hofors 2023?"
    question = Answerer(retriever).parse(text)
    assert question.municipalities == ("Hofors",) and question.quantity
    assert retriever.resolve_filters(SearchRequest(text)) == (["Hofors"], [2023])
    assert retriever.search(SearchRequest(text)) == []  # an empty store
    assert retriever.parse(text) is question and parsed == [text]
