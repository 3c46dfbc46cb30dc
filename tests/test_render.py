"""Citation cards and the page view say when a page was read by OCR."""

import pytest

from assistant.web.render import citation_cards, citation_label, page_html

pytestmark = pytest.mark.unit

CIT = {
    "id": 1,
    "municipality": "Filipstad",
    "year": 2023,
    "source": "bilaga.pdf",
    "page": 1,
    "quote": "Kommunen intygar att statsbidraget har använts",
}


def test_ocr_pages_are_marked_on_cards_labels_and_the_page_view():
    ocr = {**CIT, "ocr": True}
    assert "OCR" in citation_cards([ocr]) and "OCR" not in citation_cards([CIT])
    assert citation_label(ocr).endswith("s. 1 (OCR)") and citation_label(CIT).endswith("s. 1")
    view = page_html(
        ocr, "Kommunen intygar att statsbidraget har använts i enlighet med beslutet.", None
    )
    assert "textigenkänd" in view and "<mark>" in view
    assert "textigenkänd" not in page_html(
        CIT, "Kommunen intygar att statsbidraget har använts.", None
    )


def test_nearest_passages_are_shown_under_their_heading_and_open_their_page():
    from assistant.web.render import NEAREST_HEADING, answer_markdown

    near = {**CIT, "key": "n1"}
    html_ = citation_cards([], None, [near])
    assert NEAREST_HEADING in html_ and "data-cit='n1'" in html_
    assert "inget i rapporterna besvarar frågan" in html_
    text = answer_markdown(
        "Inget i rapporterna besvarar frågan.", [], "Sökt i: alla kommuner", "", [near]
    )
    assert NEAREST_HEADING in text and "(#kalla-n1)" in text
    assert citation_label(near).startswith("Närmaste träff: Filipstad 2023")


def test_citation_markers_link_to_their_card():
    from assistant.web.render import answer_markdown

    text = answer_markdown("Filipstad intygar det. [1]", [CIT], "Sökt i: Filipstad")
    assert "[[1]](#kalla-1)" in text


def test_upload_progress_is_honest_and_swedish():
    from pathlib import Path

    from assistant.web.handlers import ingest_progress

    seen = []
    report = ingest_progress(
        lambda share, desc: seen.append((round(share, 3), desc)),
        [Path("/u/Eda_2024.pdf"), Path("/u/Bjuv_2023.pdf")],
    )
    report("läser", 1, 2)
    report("läser", 2, 2)
    report("bäddar in", 10, 20)
    report("ordindex", 1, 1)
    assert seen == [
        (0.0, "Läser fil 1 av 2: Eda_2024.pdf"),
        (0.25, "Läser fil 2 av 2: Bjuv_2023.pdf"),
        (0.725, "Bäddar in stycke 10 av 20"),
        (1.0, "Uppdaterar sökindexet"),
    ]


def test_plural_forms_and_web_advice():
    from assistant.web.render import ingest_rows, status_markdown

    rows = ingest_rows(
        {
            "ingested": [{"path": "/a/x.pdf", "municipality": "Eda", "year": 2024, "pages": 1}],
            "warnings": [
                {
                    "path": "/a/x.pdf",
                    "warning": "Flen finns inte i bidragets "
                    "kommunlista (config/kommuner.txt); rapporten är inläst",
                }
            ],
        }
    )
    assert rows[0][2] == "Eda 2024, 1 sida"
    assert (
        "config/kommuner.txt" not in rows[1][2] and "Rätta eller ta bort en rapport" in rows[1][2]
    )
    text = status_markdown(
        {"reports": [{}], "chunks": 1, "embedder": "e", "missing_municipalities": []}
    )
    assert "1 rapport, 1 stycke" in text


def test_survey_rows_and_summary_show_what_to_check_apart_from_the_evidence():
    from assistant.web.render import survey_rows, survey_summary

    cit = {k: v for k, v in CIT.items() if k != "id"}
    result = {
        "question": "Vilka kommuner har en fritidsbank?",
        "municipalities": [
            {
                "municipality": "Filipstad",
                "year": 2023,
                "found": True,
                "finding": "Ja. [1]",
                "citations": [cit],
            },
            {
                "municipality": "Hofors",
                "year": None,
                "found": False,
                "finding": "Inget.",
                "citations": [],
                "check": {**cit, "municipality": "Hofors", "page": 3},
            },
            {
                "municipality": "Perstorp",
                "year": None,
                "found": False,
                "finding": "Inget.",
                "citations": [],
            },
        ],
        "not_found": ["Hofors", "Perstorp"],
        "to_check": ["Hofors"],
        "coverage": "1 av 3",
    }
    ordered = survey_rows({**result, "municipalities": result["municipalities"][::-1]})
    assert [r[0] for r in ordered] == ["Filipstad", "Hofors", "Perstorp"]  # Ja, to check, Nej
    rows = {r[0]: r for r in survey_rows(result)}
    assert rows["Filipstad"][1] == "Ja" and rows["Perstorp"][1] == "Nej"
    assert rows["Hofors"][1] == "Att granska" and rows["Hofors"][2] == 2023
    assert rows["Hofors"][4].startswith("Närmast: bilaga.pdf s. 3")
    assert "**Att granska:** Hofors" in survey_summary(result)
    assert "Att granska" not in survey_summary({**result, "to_check": []})
