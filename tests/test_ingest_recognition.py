"""Ingestion names each report's municipality and year, for any Swedish municipality: one
outside the grant's list is ingested and flagged, one that cannot be told is rejected with
what to do, and the caseworker can say them for a single file."""

from __future__ import annotations

import pytest

from ingest import pipeline

pytestmark = pytest.mark.unit


def _md(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_report_outside_the_grant_list_is_ingested_and_flagged(tmp_path, toy_store):
    _md(
        tmp_path / "rapport_final_v2.md",
        "# Älvdalens kommun – återrapportering 2024\n\nÄlvdalens kommun har öppnat ett "
        "lärcentrum.\n",
    )
    report = pipeline.ingest_paths([tmp_path], toy_store)
    assert [(r["municipality"], r["year"]) for r in report.ingested] == [("Älvdalen", 2024)]
    assert any("inte i bidragets kommunlista" in w["warning"] for w in report.warnings)


def test_a_report_whose_municipality_cannot_be_told_is_rejected_with_what_to_do(
    tmp_path, toy_store
):
    _md(tmp_path / "rapport.md", "# Återrapportering 2024\n\nKommunen har öppnat ett lärcentrum.\n")
    report = pipeline.ingest_paths([tmp_path], toy_store)
    assert report.ingested == []
    assert "--municipality" in report.rejected[0]["reason"]
    assert toy_store.report_records() == []


def test_the_caseworker_names_municipality_and_year_of_a_single_file(tmp_path, toy_store):
    path = _md(tmp_path / "rapport.md", "# Återrapport\n\nKommunen har öppnat ett lärcentrum.\n")
    report = pipeline.ingest_paths([path], toy_store, municipality="Dals Eds kommun", year=2023)
    assert [(r["municipality"], r["year"]) for r in report.ingested] == [("Dals-Ed", 2023)]


def test_an_override_for_several_files_or_an_unknown_name_is_refused(tmp_path, toy_store):
    _md(tmp_path / "a.md", "# Hofors kommun 2024\n\nText.\n")
    _md(tmp_path / "b.md", "# Eda kommun 2024\n\nText.\n")
    with pytest.raises(ValueError, match="en fil i taget"):
        pipeline.ingest_paths([tmp_path], toy_store, municipality="Hofors")
    with pytest.raises(ValueError, match="ingen svensk kommun"):
        pipeline.ingest_paths([tmp_path / "a.md"], toy_store, municipality="Atlantis")
