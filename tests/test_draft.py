"""The delrapport draft: items, order, editing, and DOCX/Markdown exports whose sources
still match the report pages."""

from __future__ import annotations

import pytest

from assistant.qa.verify import quote_on_page
from assistant.web.drafts import Draft, organisation

pytestmark = pytest.mark.unit

HOFORS = {
    "id": 1,
    "municipality": "Hofors",
    "year": 2023,
    "source": "hofors.pdf",
    "page": 4,
    "quote": "Fritidsbanken lånade ut 1 200 artiklar.",
}
BJUV = {
    "id": 2,
    "municipality": "Bjuv",
    "year": 2022,
    "source": "bjuv.pdf",
    "page": 2,
    "quote": "Läxhjälpen hölls två kvällar i veckan.",
}


def make_draft() -> Draft:
    draft = Draft()
    draft.add_answer(
        "Vad gör kommunerna?",
        "Hofors (2023): Fritidsbanken lånade ut 1 200 artiklar. [1]\n"
        "Bjuv (2022): Läxhjälpen hölls två kvällar i veckan. [2]",
        [HOFORS, BJUV],
    )
    draft.add_citation(BJUV)
    draft.add_finding(
        "Vilka har läxhjälp?",
        {
            "municipality": "Bjuv",
            "year": 2022,
            "finding": "Läxhjälpen hölls två kvällar i veckan. [1]",
            "citations": [{k: v for k, v in BJUV.items() if k != "id"}],
        },
    )
    return draft


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Hofors", "Hofors kommun"),
        ("Filipstad", "Filipstads kommun"),
        ("Eda", "Eda kommun"),
        ("Laxå", "Laxå kommun"),
        ("Östra Göinge", "Östra Göinge kommun"),
        ("Bjuv", "Bjuvs kommun"),
    ],
)
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
    assert (
        "1. Hofors kommun, Återrapportering 2023, s. 4 (hofors.pdf): ”Fritidsbanken lånade" in text
    )
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


def test_editor_shows_the_preview_numbering_and_saves_it_back():
    """One numbering: the third item cites Bjuv, which is [2] in the preview and the export;
    the editor shows [2] too, and saving [2] keeps it pointing at Bjuv."""
    draft = make_draft()
    finding = draft.items[2]
    assert finding.text.endswith("[1]")  # stored locally
    shown = draft.display_text(finding.id)
    assert shown.endswith("[2]") and shown == draft.numbered()[0][2][1]
    draft.edit_numbered(finding.id, "Bjuv har läxhjälp [2], och Hofors en fritidsbank [1].")
    items, sources = draft.numbered()
    assert items[2][1] == "Bjuv har läxhjälp [2], och Hofors en fritidsbank [1]."
    assert [s.municipality for s in sources] == ["Hofors", "Bjuv"]


def test_an_unknown_number_is_refused_and_nothing_changes():
    from assistant.web.drafts import DraftError

    draft = make_draft()
    item = draft.items[0]
    before = (item.text, list(item.sources))
    with pytest.raises(DraftError, match=r"\[7\] finns inte i utkastet"):
        draft.edit_numbered(item.id, "Fel hänvisning [7].")
    assert (item.text, item.sources) == before


def test_finding_is_headed_by_municipality_year_and_theme():
    draft = make_draft()
    assert draft.items[2].title == "Bjuv 2022 – Läxhjälp"
    assert draft.items[2].question == "Vilka har läxhjälp?"
    item = draft.add_finding(
        "Vilka kommuner har en fritidsbank?",
        {"municipality": "Hofors", "year": 2023, "finding": "x", "citations": []},
        theme="Fritid",
    )
    assert item.title == "Hofors 2023 – Fritid"


def test_docx_has_title_author_and_date(tmp_path):
    from datetime import date

    from docx import Document

    path = make_draft().to_docx(tmp_path / "u.docx", author="anna", day=date(2026, 3, 2))
    doc = Document(str(path))
    props = doc.core_properties
    assert (props.title, props.author, props.last_modified_by) == (
        "Utkast till delrapport",
        "anna",
        "anna",
    )
    assert props.created.date() == date(2026, 3, 2)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Utkast till delrapport" and texts[1] == "anna, 2026-03-02"
    default = Document(str(make_draft().to_docx(tmp_path / "v.docx")))
    assert default.core_properties.author == "Tillväxtverket"
    assert "python-docx" not in (default.core_properties.author + default.core_properties.comments)


def test_table_export_carries_question_text_and_quotes(tmp_path):
    import csv

    from assistant.survey.exports import Sheet, export

    header, rows = make_draft().table()
    path = export(tmp_path / "u.csv", [Sheet("Utkast", header, rows)])[0]
    with path.open(encoding="utf-8-sig") as f:
        read = list(csv.reader(f, delimiter=";"))
    assert read[0][:4] == ["Nr", "Rubrik", "Fråga", "Text"]
    first = [r for r in read[1:] if r[0] == "1"]
    assert [r[4] for r in first] == ["[1]", "[2]"]
    assert first[0][2] == "Vad gör kommunerna?"
    assert first[0][9] == "Fritidsbanken lånade ut 1 200 artiklar."
    assert first[0][10] == "Hofors kommun, Återrapportering 2023, s. 4"
