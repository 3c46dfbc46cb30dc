"""The survey (kartläggning) as the web app needs it, over `assistant.survey`:
one Surveyor per app (it caches vectors between questions), themes, and table exports."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from assistant.survey import Surveyor, SurveyResult, load_themes, survey_sheets
from assistant.survey.exports import export


class Surveys:
    def __init__(self, service) -> None:
        self.surveyor = Surveyor.of(service)
        self.themes = {t.name: t for t in load_themes()}
        self._lock = threading.Lock()  # the Surveyor's caches are not shared between threads

    def run(self, question: str, theme: str = "", municipalities=None, years=None) -> SurveyResult:
        """Survey `question` (or the theme's question) over the municipalities in the store."""
        chosen = self.themes.get(theme)
        question = question or (chosen.question if chosen else "")
        query = f"{question} {chosen.words}".strip() if chosen else None
        with self._lock:
            return self.surveyor.survey(
                question,
                list(years or []) or None,
                query=query,
                municipalities=list(municipalities or []) or None,
            )


EXPORT_HEADER = ["Fråga", "Tema", "Kommun", "Belägg", "År", "Iakttagelse", "Källa", "Sida", "Citat"]


def export_rows(result: SurveyResult, theme: str = "") -> list[list]:
    """One row per quote (a municipality without one gets one row), each with the question,
    the finding and the quote's source: a CSV holds all of it in its one table."""
    from assistant.qa.verify import strip_markers

    rows = []
    for f in result.findings:
        base = [
            result.question,
            theme,
            f.municipality,
            "Ja" if f.found else "Nej",
            f.year or "",
            strip_markers(f.finding) if f.found else "",
        ]
        if not f.citations:
            rows.append(base + ["", "", ""])
        for c in f.citations:
            rows.append(base + [c.source, c.page, c.quote])
    return rows


def export_table(
    result: SurveyResult, fmt: str, theme: str = "", folder: Path | None = None
) -> Path:
    """The survey as CSV or XLSX: question, finding and quotes with their sources (XLSX adds
    the summary per municipality as a second sheet)."""
    from assistant.survey.exports import Sheet

    folder = folder or Path(tempfile.mkdtemp(prefix="kartlaggning-"))
    sheets = [Sheet("Kartläggning", EXPORT_HEADER, export_rows(result, theme))]
    if fmt == "xlsx":
        summary = survey_sheets(result)[0]
        sheets.append(
            Sheet(
                "Per kommun",
                ["Fråga", *summary.header],
                [[result.question, *row] for row in summary.rows],
            )
        )
    return export(folder / f"kartlaggning.{fmt}", sheets)[0]
