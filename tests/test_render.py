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
