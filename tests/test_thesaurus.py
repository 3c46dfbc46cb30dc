"""Query expansion from the domain thesaurus (config/synonymer.txt)."""

import numpy as np
import pytest

from assistant.qa.thesaurus import Thesaurus, ThesaurusError, default_thesaurus
from vectorstore.lexical import LexicalIndex
from vectorstore.store import centered_cosines
from vectorstore.swedish import analyze

pytestmark = pytest.mark.unit


def test_a_member_in_the_question_expands_to_the_other_members_with_a_lower_weight():
    t = Thesaurus.parse(
        "# kommentar\nföräldrar, vårdnadshavare, mammor och pappor\nskolk, frånvaro\n", weight=0.4
    )
    extra = t.expansions(analyze("Vilket stöd fick föräldrarna?"))
    assert set(extra) >= set(analyze("vårdnadshavare")) | set(analyze("mammor pappor"))
    assert set(extra.values()) == {0.4}
    assert not set(extra) & set(analyze("skolk frånvaro"))  # another group: untouched


def test_a_several_word_member_needs_all_its_words():
    t = Thesaurus.parse("ekonomiskt bistånd, socialbidrag\n")
    assert t.expansions(analyze("Hur många fick ekonomiskt stöd?")) == {}
    assert set(t.expansions(analyze("Hur många lämnade ekonomiskt bistånd?"))) == set(
        analyze("socialbidrag")
    )


def test_a_group_of_one_word_is_a_clear_error():
    with pytest.raises(ThesaurusError, match="rad 2"):
        Thesaurus.parse("skolk, frånvaro\nföräldrar\n")


def test_the_shipped_thesaurus_loads_and_knows_the_grants_words():
    t = default_thesaurus()
    assert len(t.groups) >= 30
    assert set(analyze("vårdnadshavare")) <= set(t.expansions(analyze("mammor och pappor")))
    assert set(analyze("försörjningsstöd")) <= set(t.expansions(analyze("socialbidrag")))
    # how it went, in the reports' words: "slutförde" is "fullföljde", "förbrukades" "utfall"
    assert set(analyze("fullföljde")) <= t.closest(set(analyze("slutförde")))
    assert set(analyze("utfall")) <= t.closest(set(analyze("förbrukades")))


def test_expansion_terms_let_bm25_find_a_passage_in_other_words():
    index = LexicalIndex()
    index.add(
        "r1",
        [
            ("a", "Sex grupper med vårdnadshavare träffades under hösten."),
            ("b", "Fritidsbanken lånade ut skridskor och skidor."),
        ],
    )
    assert index.search("mammor och pappor") == []
    extra = Thesaurus.parse("mammor, pappor, vårdnadshavare\n").expansions(
        index.analyze("mammor och pappor")
    )
    assert [i for i, _ in index.search("mammor och pappor", extra=extra)] == ["a"]


def test_an_expansion_never_outweighs_the_same_word_in_the_question():
    index = LexicalIndex()
    index.add("r1", [("a", "frånvaro frånvaro"), ("b", "skolk")])
    plain = dict(index.search("skolk frånvaro"))
    # "frånvaro" is in the question itself: an expansion weight for it is ignored
    assert (
        dict(index.search("skolk frånvaro", extra={t: 0.01 for t in analyze("frånvaro")})) == plain
    )


def test_centered_cosine_removes_the_direction_all_chunks_share():
    common = np.array([10.0, 0.0, 0.0])
    chunks = np.array([common + [0, 1, 0], common + [0, 0, 1], common + [0, 0.2, 0.2]])
    query = common + [0, 0, 1]
    plain = chunks @ query / np.linalg.norm(chunks, axis=1) / np.linalg.norm(query)
    centered = centered_cosines(chunks, query, center=chunks.mean(axis=0))
    assert np.argmax(centered) == 1 and centered[1] > 0.9 and centered[0] < 0
    assert plain.max() - plain.min() < 0.02  # plain cosine barely tells them apart
    assert np.allclose(centered_cosines(chunks, query, np.zeros(3)), plain)


def test_closest_synonyms_come_from_small_groups_only():
    t = Thesaurus.parse("barn, barnen, pojkar, flickor, unga, elever, tonåringar\npappor, fäder\n")
    assert t.closest(set(analyze("pappor"))) == set(analyze("pappor fäder"))
    assert t.closest(set(analyze("pojkar"))) == set()  # a broad group: no near synonyms


def test_the_near_synonym_group_size_follows_the_settings(toy_store):
    from assistant.qa.retrieve import Retriever
    from rapport_settings import RetrievalSettings

    broad = "barn, barnen, pojkar, flickor, unga, elever, tonåringar\n"
    assert Thesaurus.parse(broad, close_group=7).closest(set(analyze("pojkar"))) >= set(
        analyze("flickor tonåringar")
    )
    pappor = set(analyze("pappor"))
    shipped = Retriever(toy_store, [], reranker=None).thesaurus
    assert shipped.close_group == 6 and shipped.closest(pappor)
    narrow = RetrievalSettings(near_synonym_group=1)  # no group is that small
    retriever = Retriever(toy_store, [], reranker=None, settings=narrow)
    assert retriever.thesaurus.closest(pappor) == set()


def test_a_word_of_a_phrase_expands_only_with_the_rest_of_the_phrase_in_the_question():
    t = Thesaurus.parse("offentliga platser, utemiljön\n")
    question = analyze("Vilka kommuner har ny belysning på offentliga platser?")
    assert set(analyze("utemiljön")) <= set(t.expansions(analyze("offentliga"), context=question))
    assert (
        t.expansions(analyze("offentliga"), context=analyze("Vilka offentliga lokaler finns?"))
        == {}
    )
    assert t.expansions(analyze("offentliga")) == {}
