"""Checks of the fictional sample corpus (samples/) and the labelled sets in tests/data/.

The labelled sets are used to measure the assistant, so every evidence snippet, table number
and survey label is verified here against the text that pypdf/python-docx actually extract.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.test_question_sets import KINDS

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT / "tools"))

import make_samples  # noqa: E402
import sample_content as C  # noqa: E402

pytestmark = pytest.mark.unit

ENCRYPTED = SAMPLES / "bad" / C.ENCRYPTED_REPORT.filename
ALL_REPORTS = C.REPORTS + [C.ENCRYPTED_REPORT]


def path_of(report: C.Report) -> Path:
    return ENCRYPTED if report is C.ENCRYPTED_REPORT else SAMPLES / "reports" / report.filename


def norm(text: str, dehyphenate: bool = True) -> str:
    """Join line-end hyphenation ("kompetens-\\nförsörjning") and collapse whitespace."""
    if dehyphenate:
        text = re.sub(r"(\w)-[ \t]*\n[ \t]*(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def raw_pages(path: Path) -> tuple[str, ...]:
    """Extracted text per page (one 'page' for DOCX and Markdown)."""
    if path.suffix == ".md":
        return (path.read_text(encoding="utf-8"),)
    if path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
        return ("\n".join(parts),)
    reader = PdfReader(str(path))
    if reader.is_encrypted:
        reader.decrypt("")
    return tuple(p.extract_text() or "" for p in reader.pages)


def pages(report: C.Report, dehyphenate: bool = True) -> list[str]:
    return [norm(t, dehyphenate) for t in raw_pages(path_of(report))]


def reports_of(muni: str, year: int | None = None) -> list[C.Report]:
    return [r for r in ALL_REPORTS if r.municipality == muni and (year is None or r.year == year)]


def load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- generator


def test_generator_is_deterministic_and_samples_are_current(tmp_path):
    make_samples.make_samples(tmp_path, labels=False)
    for sub in ("reports", "bad"):
        fresh = sorted(p.name for p in (tmp_path / sub).iterdir())
        assert fresh == sorted(p.name for p in (SAMPLES / sub).iterdir())
        for name in fresh:
            assert (tmp_path / sub / name).read_bytes() == (SAMPLES / sub / name).read_bytes(), (
                f"{sub}/{name} differs: run python tools/make_samples.py"
            )


def test_labels_are_current(tmp_path):
    pages_by_file = {r["source"]: r["page"] for r in load("budget_rows.json")["totals"]}
    make_samples.write_labels(pages_by_file, tmp_path)
    for name in ("questions.json", "survey.json", "budget_rows.json"):
        assert (tmp_path / name).read_text("utf-8") == (DATA / name).read_text("utf-8"), name


def test_sample_size_is_small():
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 2_000_000


# --------------------------------------------------------------------------- PDF features


@pytest.mark.parametrize(
    "report", [r for r in C.REPORTS if r.fmt == "pdf"], ids=lambda r: r.filename
)
def test_pdf_features(report):
    texts = raw_pages(path_of(report))
    n = len(texts)
    assert 4 <= n <= 8
    for i, t in enumerate(texts, 1):
        assert (
            f"Återrapportering {report.year}" in t.splitlines()[0]
            or f"Återrapportering {report.year}" in t
        ), f"header missing on page {i}"
        assert f"Sida {i} av {n}" in t, f"footer missing on page {i}"
    assert C.FICTION_NOTE in texts[0]
    org = C.MUNICIPALITIES[report.municipality].org
    assert org in texts[0]
    if report.hyphenate:
        assert len(re.findall(r"\w-\n\w", "".join(texts))) >= 10


def test_corpus_variety():
    pdfs = [r for r in C.REPORTS if r.fmt == "pdf"]
    assert sum(r.hyphenate for r in pdfs) >= 3
    assert sum(r.two_column for r in pdfs) >= 2
    assert any(r.fmt == "docx" for r in C.REPORTS) and any(r.fmt == "md" for r in C.REPORTS)
    unnamed = [
        r
        for r in C.REPORTS
        if r.municipality.split("-")[0] not in r.filename
        and r.municipality.replace("Ö", "O").replace("ö", "o").split()[0].lower()
        not in r.filename.lower()
    ]
    assert len(unnamed) >= 2
    for r in unnamed:  # the municipality is only in the text
        assert C.MUNICIPALITIES[r.municipality].org in " ".join(pages(r))
    assert any("•" in " ".join(pages(r)) for r in pdfs)
    assert not any(r.municipality == "Ljusnarsberg" and r.year == 2024 for r in C.REPORTS)


def test_prompt_injection_is_in_an_ordinary_paragraph():
    perstorp = next(r for r in C.REPORTS if r.municipality == "Perstorp" and r.year == 2024)
    assert any(C.INJECTION in p for p in pages(perstorp))
    others = [r for r in ALL_REPORTS if r is not perstorp]
    assert not any("Ignorera tidigare instruktioner" in " ".join(pages(r)) for r in others)


# --------------------------------------------------------------------------- bad files


def test_encrypted_pdf_opens_with_empty_password():
    reader = PdfReader(str(ENCRYPTED))
    assert reader.is_encrypted
    assert reader.decrypt("") != 0
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Komplettering" in text and "Hofors kommun" in text


def test_bad_files():
    bad = SAMPLES / "bad"
    assert (bad / "tom_fil.pdf").stat().st_size == 0
    assert not (bad / "Malung-Salen_rapport_2024.pdf").read_bytes().startswith(b"%PDF")
    copy = bad / "Kopia av Hofors_aterrapportering_2023.pdf"
    assert (
        copy.read_bytes() == (SAMPLES / "reports" / "Hofors_aterrapportering_2023.pdf").read_bytes()
    )
    trunc = (bad / "Ljusnarsberg_2023_avbruten_nedladdning.pdf").read_bytes()
    assert trunc.startswith(b"%PDF") and b"%%EOF" not in trunc[-100:]
    corrupt = (bad / "Olofstrom_2023_trasig.pdf").read_bytes()
    good = (SAMPLES / "reports" / "Olofstrom_aterrapportering_2023.pdf").read_bytes()
    assert len(corrupt) == len(good) and corrupt != good
    scan = PdfReader(str(bad / "Filipstad_bilaga_skannad_2023.pdf"))
    assert len(scan.pages) == 1 and not (scan.pages[0].extract_text() or "").strip()
    xobjects = scan.pages[0]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


# --------------------------------------------------------------------------- labelled sets


QUESTIONS = load("questions.json")


def test_questions_schema():
    assert len(QUESTIONS) >= 70
    kinds = {}
    for q in QUESTIONS:
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
        assert q["split"] in ("dev", "heldout")
        if q["kind"] == "unanswerable":
            assert q["municipalities"] == [] and q["evidence"] == []
        else:
            assert q["municipalities"] and q["evidence"]
    assert set(kinds) == KINDS
    assert min(kinds.values()) >= 8
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    held = sum(q["split"] == "heldout" for q in QUESTIONS)
    assert 0.25 < held / len(QUESTIONS) < 0.4


def find_pages(snippet: str, munis: list[str], year: int | None, dehyphenate: bool = True):
    s = norm(snippet)
    return [
        (r, i)
        for m in munis
        for r in reports_of(m, year)
        for i, p in enumerate(pages(r, dehyphenate), 1)
        if s in p
    ]


@pytest.mark.parametrize(
    "q", [q for q in QUESTIONS if q["kind"] != "unanswerable"], ids=lambda q: q["id"]
)
def test_evidence_is_verbatim(q):
    munis, year = q["municipalities"], q["year"]
    if q["kind"] == "all_reports":
        assert len(q["evidence"]) == len(munis)
        for snippet, m in zip(q["evidence"], munis):
            assert find_pages(snippet, [m], year), (m, snippet)
            assert find_pages(snippet, [m], year, dehyphenate=False), (
                f"spans hyphenation: {snippet}"
            )
        return
    for snippet in q["evidence"]:
        n_words = len(snippet.split())
        assert q["kind"] == "table" or 5 <= n_words <= 15, snippet
        # present with a clean extraction, and not spanning a line-end hyphenation
        assert find_pages(snippet, munis, year), snippet
        assert find_pages(snippet, munis, year, dehyphenate=False), f"spans hyphenation: {snippet}"
    if q["kind"] == "table":
        hits = find_pages(q["evidence"][0], munis, year)
        number = norm(q["answer_number"])
        assert any(number in pages(r)[i - 1] for r, i in hits), q["answer_number"]
    if q["kind"] == "year_comparison":
        years = {r.year for s in q["evidence"] for r, _ in find_pages(s, munis, None)}
        assert years == {2023, 2024}


STOP = {
    "och",
    "i",
    "på",
    "att",
    "som",
    "för",
    "med",
    "av",
    "till",
    "har",
    "hur",
    "vad",
    "vilka",
    "vilket",
    "det",
    "en",
    "ett",
    "de",
    "den",
    "om",
    "kan",
    "man",
    "är",
    "sig",
    "ska",
    "gjort",
    "gör",
    "när",
    "efter",
    "under",
    "annan",
}


def content_words(text: str, ignore: set[str]) -> set[str]:
    words = {w for w in re.findall(r"[\wåäöÅÄÖ-]+", text.lower()) if not w.isdigit()}
    return {w for w in words if w not in STOP and w not in ignore and len(w) > 2}


@pytest.mark.parametrize(
    "q", [q for q in QUESTIONS if q["kind"] == "paraphrase"], ids=lambda q: q["id"]
)
def test_paraphrase_shares_no_content_words(q):
    ignore = {w.lower() for m in q["municipalities"] for w in re.split(r"[\s]", m)}
    ignore |= (
        {w + "s" for w in ignore}
        | {C.MUNICIPALITIES[m].org.split()[0].lower() for m in q["municipalities"]}
        | {"kommun"}
    )
    shared = content_words(q["question"], ignore) & content_words(" ".join(q["evidence"]), ignore)
    assert not shared, shared


def theme_hits(theme: C.Theme, report: C.Report) -> bool:
    text = " ".join(pages(report))
    return any(re.search(k, text, re.IGNORECASE) for k in theme.keywords)


def test_survey_labels_match_report_text():
    survey = load("survey.json")
    assert len(survey) >= 14
    by_label = {t.label: t for t in C.THEMES.values()}
    assert {s["theme"] for s in survey} == set(by_label)
    for s in survey:
        theme = by_label[s["theme"]]
        found = [
            m
            for m in C.SAMPLE_MUNICIPALITIES
            if any(
                theme_hits(theme, r)
                for r in reports_of(m, s["year"])
                if r is not C.ENCRYPTED_REPORT
            )
        ]
        assert found == s["expected"], (s["id"], found, s["expected"])
        if s["year"] is None:
            assert 0 < len(s["expected"]) < len(C.SAMPLE_MUNICIPALITIES)


def fmt(kronor: int, unit: str) -> str:
    if unit == "mnkr":
        return f"{kronor / 1_000_000:.2f}".replace(".", ",")
    return f"{kronor // 1000 if unit == 'tkr' else kronor:,}".replace(",", " ")


def test_budget_rows_appear_on_their_page():
    data = load("budget_rows.json")
    units = {t["source"]: t["unit"] for t in data["totals"]}
    by_source = {r.filename: r for r in ALL_REPORTS}
    assert set(units) == set(by_source)
    for row in data["rows"] + [dict(t, insats="Summa") for t in data["totals"]]:
        report = by_source[row["source"]]
        texts = pages(report)
        assert (row["page"] is None) == (report.fmt != "pdf")
        text = texts[row["page"] - 1] if row["page"] else texts[0]
        for piece in (
            row["insats"],
            fmt(row["budget"], units[row["source"]]),
            fmt(row["utfall"], units[row["source"]]),
        ):
            assert piece in text, (row["source"], row["page"], piece)
    assert all(r["insats"] != "Summa" for r in data["rows"])
