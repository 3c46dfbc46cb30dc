"""The survey (kartläggning) as the web app needs it, over `assistant.survey`:
one Surveyor per app (it caches vectors between questions), themes, and table exports."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from assistant.exports import export
from assistant.survey import SurveyResult, Surveyor, load_themes, survey_sheets


class Surveys:
    def __init__(self, service) -> None:
        self.surveyor = Surveyor(service)
        self.themes = {t.name: t for t in load_themes()}
        self._lock = threading.Lock()  # the Surveyor's caches are not shared between threads

    def run(self, question: str, theme: str = "", municipalities=None, years=None) -> SurveyResult:
        """Survey `question` (or the theme's question) over the municipalities in the store."""
        chosen = self.themes.get(theme)
        question = question or (chosen.question if chosen else "")
        query = f"{question} {chosen.words}".strip() if chosen else None
        with self._lock:
            return self.surveyor.survey(question, list(years or []) or None, query=query,
                                        municipalities=list(municipalities or []) or None)


def export_table(result: SurveyResult, fmt: str) -> Path:
    """The survey as CSV or XLSX (results and citations) in a fresh temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="kartlaggning-"))
    return export(folder / f"kartlaggning.{fmt}", survey_sheets(result))[0]
