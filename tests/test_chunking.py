import pytest

from ingest.chunking import chunk_document, embedding_text, is_heading, local_width
from ingest.records import Document, Page
from rapport_settings import IngestSettings

MAX_CHARS = IngestSettings().chunk_chars

pytestmark = pytest.mark.unit


def _doc(pages: list[str]) -> Document:
    return Document(
        path="/x/Hofors_2023.pdf",
        source="Hofors_2023.pdf",
        file_hash="ab" * 32,
        pages=[Page(i + 1, t) for i, t in enumerate(pages)],
        municipality="Hofors",
        year=2023,
    )


def test_headings_are_recognised_and_table_rows_are_not():
    assert is_heading("Ekonomisk redovisning", "Slut på stycket.")
    assert is_heading("3.2 Fritidsbanken", "text utan punkt")
    assert not is_heading("Fritidsbanken 200 000 185 000", "")
    assert not is_heading("Fritidsbanken | 200 000 | 185 000", "")
    assert not is_heading("• Läxhjälp", "")
    assert not is_heading("fortsättning av en mening", "")
    # a label with a number or letter: "Insats 2: ...", "Delprojekt B – ..."
    assert is_heading("Insats 2: Läxhjälp på biblioteket", "Slut på stycket.")
    assert is_heading("Delprojekt B – Fältarbete i Töre", "Slut på stycket.")
    assert not is_heading("Mål 3: 40 deltagare i arbete", "Slut på stycket.")
    assert not is_heading("Antal besök: 1 200", "Slut på stycket.")
    # a short line that a lower-case line continues is a wrapped sentence
    assert not is_heading("Avstånden är stora och", "Slut.", following="bussarna går sällan.")
    assert is_heading("Fritidsbanken", "Slut.", following="Fritidsbanken lånar ut utrustning.")


NARROW_COLUMN = """Insatsen bedöms därmed ha god
måluppfyllelse och avses att successivt
inordnas i ordinarie verksamhet från och
med 2026.
Insatsområde 2: Närvaroteam
för ökad skolnärvaro
Den problematiska skolfrånvaron har ökat i
kommunen under de senaste läsåren, och
kartläggningar inom elevhälsan har visat att
frånvaron ofta har samband med psykisk
ohälsa och bristande tillit till vuxna.
Under året har familjecentralen Kompassen i
Ljusdal, i samverkan med barnhälsovården
och förskolan, erbjudit gruppbaserade träffar
för vårdnadshavare. Totalt har 14 grupper
genomförts, varav tre i Järvsö och två i
Färila, och sammanlagt 112 vårdnadshavare
har påbörjat en gruppomgång i kommunen.
Insatsområde 3:
Kompetensförsörjning
Studie- och yrkesvägledare har tagit fram
studieplaner tillsammans med deltagarna
och arbetsförmedlingen under hela året."""


def test_in_a_narrow_column_a_full_line_is_prose_and_a_wrapped_heading_is_one_section():
    chunks = chunk_document(_doc([NARROW_COLUMN]), IngestSettings(min_chunk_chars=20))
    sections = list(dict.fromkeys(c.section for c in chunks))
    # "Under året har familjecentralen Kompassen i" fills its column: it is no heading
    assert sections == [
        "",
        "Insatsområde 2: Närvaroteam för ökad skolnärvaro",
        "Insatsområde 3: Kompetensförsörjning",
    ]
    lines = NARROW_COLUMN.split("\n")
    n = lines.index("Under året har familjecentralen Kompassen i")
    width = local_width(lines, n)
    assert 38 <= width <= 46
    assert not is_heading(lines[n], lines[n - 1], following=lines[n + 1], width=width)
    # the same line without a width is taken for a heading, as before
    assert is_heading(lines[n], lines[n - 1], following=lines[n + 1])


def test_chunks_are_slices_of_one_page_and_carry_sections_across_pages():
    body = "Kommunen har arbetat med unga. " * 20
    pages = [f"Sammanfattning\n{body}\nFritidsbanken\n{body}", f"{body}\nLärdomar\n{body}"]
    chunks = chunk_document(_doc(pages))
    for c in chunks:
        assert c.text in pages[c.page - 1]
        assert len(c.text) <= MAX_CHARS * 1.5
    first_on_page_2 = next(c for c in chunks if c.page == 2)
    assert first_on_page_2.section == "Fritidsbanken"
    assert chunks[-1].section == "Lärdomar"
    assert {c.section for c in chunks if c.page == 1} == {"Sammanfattning", "Fritidsbanken"}


def test_long_paragraph_is_split_at_sentences():
    text = "Detta är en mening om föräldraskapsstöd i kommunen. " * 60
    chunks = chunk_document(_doc([text]))
    assert len(chunks) >= 3
    assert all(c.text.endswith(".") for c in chunks[:-1])


def test_empty_pages_give_no_chunks_and_ids_are_unique():
    chunks = chunk_document(_doc(["", "Lite text. " * 30, "   "]))
    assert {c.page for c in chunks} == {2}
    assert len({c.id for c in chunks}) == len(chunks)


def test_embedding_text_names_municipality_year_and_section():
    chunk = chunk_document(_doc(["Fritidsbanken\n" + "Vi lånar ut utrustning. " * 15]))[0]
    assert embedding_text(chunk).startswith("Hofors 2023 – Fritidsbanken\n")


def test_subsection_heading_under_a_section_heading_names_the_chunk():
    body = "Under året deltog 52 föräldrar. " * 10
    intro = "Inledningen beskriver året. " * 12
    chunks = chunk_document(_doc([f"{intro}\n3 Insatser\nStöd i föräldrarollen\n{body}"]))
    assert chunks[-1].section == "Stöd i föräldrarollen"
    assert chunks[-1].text.startswith("3 Insatser\nStöd i föräldrarollen")
