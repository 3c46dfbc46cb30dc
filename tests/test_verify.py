"""Verification of quotes, numbers and whole answers (assistant.qa.verify)."""

from __future__ import annotations

import pytest

from assistant.qa.records import Citation
from assistant.qa.verify import (
    NO_ANSWER_TEXT,
    NO_EVIDENCE_TEXT,
    citation_is_valid,
    normalize_for_match,
    numbers_in,
    quote_on_page,
    split_sentences,
    verify_answer,
)
from ingest.records import Chunk

pytestmark = pytest.mark.unit

PAGE_4 = (
    "Kommunen har under 2023 arbetat med kompetens-\nförsörjning inom vård och omsorg.\n"
    "Satsningen kostade totalt 1 200 000 kr och finansierades\ndelvis av Region Gävleborg."
)
PAGE_5 = "Andelen unga som varken arbetar eller studerar minskade till 12,5 procent."
PAGE_9 = "Ett nytt näringslivsråd bildades i mars med bl.a. tio lokala företag."


def chunk(cid: str, page: int, text: str, source: str = "gavle_2023.pdf") -> Chunk:
    return Chunk(
        id=cid,
        text=text,
        municipality="Gävle",
        year=2023,
        source=source,
        path=f"/data/{source}",
        page=page,
        section="",
        file_hash="f",
        content_hash=cid,
    )


PASSAGES = {
    "c4": chunk("c4", 4, PAGE_4),
    "c5": chunk("c5", 5, PAGE_5),
    "c9": chunk("c9", 9, PAGE_9),
}
PAGES = {
    ("gavle_2023.pdf", 4): PAGE_4,
    ("gavle_2023.pdf", 5): PAGE_5,
    ("gavle_2023.pdf", 9): PAGE_9,
}


def cite(n: int, cid: str, quote: str, page: int | None = None) -> Citation:
    c = PASSAGES[cid]
    return Citation(
        id=n,
        municipality=c.municipality,
        year=c.year,
        source=c.source,
        page=c.page if page is None else page,
        quote=quote,
        chunk_id=cid,
    )


# ------------------------------------------------------------------------ normalizing


def test_normalize_joins_hyphenation_and_whitespace_keeps_case() -> None:
    text = "Kompetens-\n  försörjning\u00adsplan  och  \u201dVerket\u201d \u2013 klart"
    assert normalize_for_match(text) == 'Kompetensförsörjningsplan och "Verket" - klart'


# ----------------------------------------------------------------------------- quotes


def test_soft_hyphen_at_line_break_joins() -> None:
    assert normalize_for_match("kompetens\u00ad\nförsörjning") == "kompetensförsörjning"


def test_real_hyphen_at_line_break_also_matches() -> None:
    page = "Det nya EU-\nprojektet startade i maj"
    assert quote_on_page("Det nya EU-projektet startade i maj", page)


def test_verbatim_quote_accepted() -> None:
    assert quote_on_page("finansierades delvis av Region Gävleborg", PAGE_4)


def test_quote_with_hyphenation_and_whitespace_differences_accepted() -> None:
    assert quote_on_page("arbetat med  kompetensförsörjning inom vård", PAGE_4)
    assert quote_on_page("Satsningen kostade totalt 1 200 000 kr och finansierades delvis", PAGE_4)


def test_fabricated_quote_rejected() -> None:
    assert not quote_on_page("finansierades helt av Region Gävleborg", PAGE_4)
    assert not quote_on_page("Kommunen har arbetat med kompetensförsörjning", PAGE_4)


def test_quote_case_must_match() -> None:
    assert not quote_on_page("FINANSIERADES DELVIS AV REGION GÄVLEBORG", PAGE_4)


def test_too_short_quote_rejected() -> None:
    assert not quote_on_page("Region Gävleborg", PAGE_4)  # 2 words
    assert not quote_on_page("och i en", "och i en")  # under 12 characters


def test_ellipsis_parts_must_appear_in_order() -> None:
    assert quote_on_page("Satsningen kostade totalt … delvis av Region Gävleborg", PAGE_4)
    assert quote_on_page('"Satsningen kostade totalt [...] delvis av Region Gävleborg."', PAGE_4)
    assert not quote_on_page("delvis av Region Gävleborg … Satsningen kostade totalt", PAGE_4)


# ---------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 200 000 kr", {"1200000"}),
        ("1\u00a0200\u00a0000 kronor", {"1200000"}),
        ("1,2 mnkr", {"1200000"}),
        ("1,2 miljoner kronor", {"1200000"}),
        ("412 tkr", {"412000"}),
        ("45 %", {"45"}),
        ("12,5 procent", {"12.5"}),
        ("under 2023", {"2023"}),
        ("version 1.2", {"1.2"}),
        ("steg 3 av 7", set()),  # small bare integers are ignored
        ("3 %", {"3"}),  # ... but not with a unit
    ],
)
def test_numbers_in(text: str, expected: set[str]) -> None:
    assert numbers_in(text) == expected


def test_scaled_and_unscaled_numbers_match_across_notations() -> None:
    assert numbers_in("1,2 mnkr") <= numbers_in("kostade 1 200 000 kr")
    assert numbers_in("412 000 kronor") <= numbers_in("412 tkr", include_unscaled=True)
    assert not numbers_in("1,5 mnkr") <= numbers_in("kostade 1 200 000 kr")


# -------------------------------------------------------------------------- sentences


def test_number_broken_over_a_line_on_the_page_still_counts() -> None:
    page = "Kostnaden blev 1\n200 000 kr för hela satsningen."
    passages = {"x": chunk("x", 2, page)}
    answer = verify_answer(
        "Kostnaden blev 1,2 mnkr [1].",
        [
            Citation(1, "Gävle", 2023, "gavle_2023.pdf", 2, "för hela satsningen.  Kostnaden", "x"),
            Citation(1, "Gävle", 2023, "gavle_2023.pdf", 2, "200 000 kr för hela satsningen", "x"),
        ],
        passages,
        {("gavle_2023.pdf", 2): page},
    )
    assert answer.unsupported == []
    assert answer.citations[0].quote == "200 000 kr för hela satsningen"  # the valid one


def test_sentence_split_respects_abbreviations_and_decimals() -> None:
    text = (
        "Kommunen samverkar med t.ex. Region Gävleborg och bl.a. Högskolan [1]. "
        "Kostnaden var ca. 200 kr per elev och 1.2 timmar [2]. Nästa mening. [3] Sista!"
    )
    assert split_sentences(text) == [
        "Kommunen samverkar med t.ex. Region Gävleborg och bl.a. Högskolan [1].",
        "Kostnaden var ca. 200 kr per elev och 1.2 timmar [2].",
        "Nästa mening. [3]",
        "Sista!",
    ]


# ---------------------------------------------------------------------- verify_answer


def test_valid_answer_kept_and_renumbered_by_first_appearance() -> None:
    text = (
        "Andelen unga utan arbete eller studier minskade till 12,5 procent [5]. "
        "Satsningen kostade 1,2 mnkr [2]."
    )
    citations = [
        cite(2, "c4", "Satsningen kostade totalt 1 200 000 kr"),
        cite(5, "c5", "varken arbetar eller studerar minskade till 12,5 procent"),
    ]
    answer = verify_answer(text, citations, PASSAGES, PAGES, mode="llm")
    assert answer.text == (
        "Andelen unga utan arbete eller studier minskade till 12,5 procent [1]. "
        "Satsningen kostade 1,2 mnkr [2]."
    )
    assert [(c.id, c.page) for c in answer.citations] == [(1, 5), (2, 4)]
    assert answer.unsupported == []
    assert answer.mode == "llm"


def test_fabricated_quote_removes_sentence() -> None:
    text = "Regionen betalade allt [1]. Kommunen arbetar med kompetensförsörjning [2]."
    citations = [
        cite(1, "c4", "finansierades helt av Region Gävleborg"),
        cite(2, "c4", "arbetat med kompetensförsörjning inom vård och omsorg"),
    ]
    answer = verify_answer(text, citations, PASSAGES, PAGES)
    assert answer.text == "Kommunen arbetar med kompetensförsörjning [1]."
    assert answer.unsupported == ["Regionen betalade allt."]
    assert len(answer.citations) == 1 and answer.citations[0].id == 1


def test_right_quote_wrong_page_rejected() -> None:
    # The quote is from page 4, but the citation claims page 5 of the same report.
    bad = cite(1, "c4", "finansierades delvis av Region Gävleborg", page=5)
    answer = verify_answer("Regionen bidrog [1].", [bad], PASSAGES, PAGES)
    assert answer.citations == []
    assert answer.text == NO_EVIDENCE_TEXT


def test_citation_to_non_retrieved_chunk_rejected() -> None:
    ghost = Citation(
        id=1,
        municipality="Gävle",
        year=2023,
        source="gavle_2023.pdf",
        page=4,
        quote="finansierades delvis av Region Gävleborg",
        chunk_id="not-retrieved",
    )
    answer = verify_answer("Regionen bidrog [1].", [ghost], PASSAGES, PAGES)
    assert answer.citations == []
    assert answer.unsupported == ["Regionen bidrog."]


def test_invented_number_moves_sentence_to_unsupported() -> None:
    quote = "Satsningen kostade totalt 1 200 000 kr"
    ok = verify_answer("Satsningen kostade 1,2 mnkr [1].", [cite(1, "c4", quote)], PASSAGES, PAGES)
    assert ok.unsupported == [] and ok.citations
    bad = verify_answer(
        "Satsningen kostade 1,5 mnkr [1]. Kommunen arbetade med vård och omsorg [1].",
        [cite(1, "c4", quote)],
        PASSAGES,
        PAGES,
    )
    assert bad.unsupported == ["Satsningen kostade 1,5 mnkr."]
    assert bad.text == "Kommunen arbetade med vård och omsorg [1]."


def test_number_must_be_on_a_page_cited_by_that_sentence() -> None:
    # 12,5 is on page 5, but the sentence cites only page 4.
    answer = verify_answer(
        "Andelen minskade till 12,5 procent [1].",
        [cite(1, "c4", "Satsningen kostade totalt 1 200 000 kr")],
        PASSAGES,
        PAGES,
    )
    assert answer.unsupported == ["Andelen minskade till 12,5 procent."]


def test_invalid_marker_removed_but_sentence_kept_with_valid_one() -> None:
    text = "Kommunen arbetar med kompetensförsörjning [1, 3]."
    citations = [
        cite(1, "c9", "finns inte på sidan alls här"),
        cite(3, "c4", "arbetat med kompetensförsörjning inom vård och omsorg"),
    ]
    answer = verify_answer(text, citations, PASSAGES, PAGES)
    assert answer.text == "Kommunen arbetar med kompetensförsörjning [1]."
    assert [c.chunk_id for c in answer.citations] == ["c4"]


def test_all_removed_gives_no_evidence_message() -> None:
    answer = verify_answer(
        "Allt är påhittat [1]. Även detta [2].",
        [cite(1, "c4", "helt påhittat citat som inte finns")],
        PASSAGES,
        PAGES,
        mode="llm",
    )
    assert answer.text == NO_EVIDENCE_TEXT
    assert answer.citations == []
    assert answer.unsupported == ["Allt är påhittat.", "Även detta."]


def test_model_no_answer_sentinel_kept() -> None:
    answer = verify_answer(NO_ANSWER_TEXT, [], PASSAGES, PAGES)
    assert answer.text == NO_ANSWER_TEXT and answer.unsupported == []


def test_paragraphs_and_missing_page_text_fall_back_to_chunk_text() -> None:
    text = "Ett råd bildades i mars [1].\n\nDet består av tio lokala företag [1]."
    pages_without_9 = {k: v for k, v in PAGES.items() if k[1] != 9}
    answer = verify_answer(
        text, [cite(1, "c9", "Ett nytt näringslivsråd bildades i mars")], PASSAGES, pages_without_9
    )
    assert answer.text == text


def test_headings_dropped_silently_and_bullets_kept() -> None:
    text = "## Gävle\n\n**Resultat:**\n- Ett råd bildades i mars [2].\n- Okänt påstående [9]."
    answer = verify_answer(
        text, [cite(2, "c9", "Ett nytt näringslivsråd bildades i mars")], PASSAGES, PAGES
    )
    assert answer.text == "- Ett råd bildades i mars [1]."
    assert answer.unsupported == ["Okänt påstående."]


def test_a_quote_with_too_few_letters_and_digits_to_check_is_no_citation() -> None:
    # "Utfall 57 (114 %)." stands verbatim on the page, but eleven letters and digits match
    # in too many places for a reader to check it
    page = "Mål 3 - 50 studerande vid lärcentrum. Utfall 57 (114 %). Målet nåddes."
    passages = {"c7": chunk("c7", 7, page)}
    pages = {("gavle_2023.pdf", 7): page}
    short = Citation(1, "Gävle", 2023, "gavle_2023.pdf", 7, "Utfall 57 (114 %).", "c7")
    longer = Citation(1, "Gävle", 2023, "gavle_2023.pdf", 7, "Mål 3 - 50 studerande vid", "c7")
    assert quote_on_page(short.quote, page)
    assert not citation_is_valid(short, passages, pages)
    assert citation_is_valid(longer, passages, pages)
