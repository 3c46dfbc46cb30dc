"""Citation cards and the page view say when a page was read by OCR."""

from assistant.web.render import citation_cards, citation_label, page_html

CIT = {"id": 1, "municipality": "Filipstad", "year": 2023, "source": "bilaga.pdf", "page": 1,
       "quote": "Kommunen intygar att statsbidraget har använts"}


def test_ocr_pages_are_marked_on_cards_labels_and_the_page_view():
    ocr = {**CIT, "ocr": True}
    assert "OCR" in citation_cards([ocr]) and "OCR" not in citation_cards([CIT])
    assert citation_label(ocr).endswith("s. 1 (OCR)") and citation_label(CIT).endswith("s. 1")
    view = page_html(ocr, "Kommunen intygar att statsbidraget har använts i enlighet med beslutet.", None)
    assert "textigenkänd" in view and "<mark>" in view
    assert "textigenkänd" not in page_html(CIT, "Kommunen intygar att statsbidraget har använts.", None)


def test_nearest_passages_are_shown_under_their_heading_and_open_their_page():
    from assistant.web.render import NEAREST_HEADING, answer_markdown

    near = {**CIT, "key": "n1"}
    html_ = citation_cards([], None, [near])
    assert NEAREST_HEADING in html_ and "data-cit='n1'" in html_
    assert "inget i rapporterna besvarar frågan" in html_
    text = answer_markdown("Inget i rapporterna besvarar frågan.", [], "Sökt i: alla kommuner", "",
                           [near])
    assert NEAREST_HEADING in text and "(#kalla-n1)" in text
    assert citation_label(near).startswith("Närmaste träff: Filipstad 2023")


def test_citation_markers_link_to_their_card():
    from assistant.web.render import answer_markdown

    text = answer_markdown("Filipstad intygar det. [1]", [CIT], "Sökt i: Filipstad")
    assert "[[1]](#kalla-1)" in text
