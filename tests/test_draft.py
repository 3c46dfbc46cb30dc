"""The delrapport draft: items, order, editing, and DOCX/Markdown exports whose sources
still match the report pages."""

from __future__ import annotations

import pytest

from assistant.draft import Draft, organisation
from assistant.verify import quote_on_page

HOFORS = {"id": 1, "municipality": "Hofors", "year": 2023, "source": "hofors.pdf", "page": 4,
          "quote": "Fritidsbanken lånade ut 1 200 artiklar."}
BJUV = {"id": 2, "municipality": "Bjuv", "year": 2022, "source": "bjuv.pdf", "page": 2,
        "quote": "Läxhjälpen hölls två kvällar i veckan."}


def make_draft() -> Draft:
    draft = Draft()
    draft.add_answer("Vad gör kommunerna?",
                     "Hofors (2023): Fritidsbanken lånade ut 1 200 artiklar. [1]\n"
                     "Bjuv (2022): Läxhjälpen hölls två kvällar i veckan. [2]", [HOFORS, BJUV])
    draft.add_citation(BJUV)
    draft.add_finding("Vilka har läxhjälp?", {"municipality": "Bjuv", "year": 2022,
                                              "finding": "Läxhjälpen hölls två kvällar i veckan. [1]",
                                              "citations": [{k: v for k, v in BJUV.items() if k != "id"}]})
    return draft


@pytest.mark.parametrize("name, expected", [
    ("Hofors", "Hofors kommun"), ("Filipstad", "Filipstads kommun"), ("Eda", "Eda kommun"),
    ("Laxå", "Laxå kommun"), ("Östra Göinge", "Östra Göinge kommun"), ("Bjuv", "Bjuvs kommun"),
])
def test_organisation_names(name, expected):
    assert organisation(name) == expected


def test_sources_numbered_once_in_order_of_use():
    items, sources = make_draft().numbered()
    assert [s.municipality for s in sources] == ["Hofors", "Bjuv"]
    assert items[1][1].endswith("[2]")  # the Bjuv quote reuses number 2
    assert items[2][1].endswith("[2]")


def test_move_edit_remove():
    draft = make_draft()
    first, second, third = (item.id for item in draft.items)
    draft.move(third, -1)
    assert [i.id for i in draft.items] == [first, third, second]
    draft.move(first, -1)  # already first: stays
    assert draft.items[0].id == first
    draft.edit(third, "Bjuv har läxhjälp [1].")
    draft.remove(first)
    items, sources = draft.numbered()
    assert items[0][1] == "Bjuv har läxhjälp [1]."
    assert [s.municipality for s in sources] == ["Bjuv"]


def test_markdown_has_kallforteckning():
    text = make_draft().to_markdown()
    assert "## Källförteckning" in text
    assert "1. Hofors kommun, Återrapportering 2023, s. 4 (hofors.pdf): ”Fritidsbanken lånade" in text
    assert "2. Bjuvs kommun, Återrapportering 2022, s. 2" in text


def test_docx_export(tmp_path):
    from docx import Document

    path = make_draft().to_docx(tmp_path / "utkast.docx")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert "Källförteckning" in texts
    assert any(t.startswith("[1] Hofors kommun, Återrapportering 2023, s. 4") for t in texts)
    body = next(p for p in doc.paragraphs if p.text.startswith("Hofors (2023)"))
    assert any(r.font.superscript and r.text == "[1]" for r in body.runs)


def test_exported_quotes_stand_on_their_pages(tmp_path, toy_store):
    """End to end on a real store: every source of the exported draft is on its page."""
    from assistant.service import Service
    from assistant.web.handlers import citation_state
    from ingest.pipeline import ingest_paths
    from tests.pdfmaker import make_pdf, report_pages

    make_pdf(tmp_path / "Hofors_2023.pdf", report_pages("Hofors", 2023, "fritidsbanken"))
    ingest_paths([tmp_path / "Hofors_2023.pdf"], toy_store)
    service = Service(toy_store, llm=None)
    answer = service.ask("Arbetet har skett i samverkan med föreningar", ["Hofors"])
    draft = Draft()
    draft.add_answer("Samverkan", answer.text, citation_state(answer))
    draft.add_citation(citation_state(answer)[0])
    _, sources = draft.numbered()
    assert sources
    record = toy_store.report_records()[0]
    for source in sources:
        assert quote_on_page(source.quote, toy_store.page_text(record.file_hash, source.page))


def test_a_source_from_an_ocr_page_says_so_in_the_kallforteckning():
    draft = Draft()
    draft.add_citation({**HOFORS, "ocr": True})
    draft.add_citation(BJUV)
    text = draft.to_markdown()
    assert "Hofors kommun, Återrapportering 2023, s. 4, textigenkänd sida (OCR)" in text
    assert "Bjuvs kommun, Återrapportering 2022, s. 2 (" in text
