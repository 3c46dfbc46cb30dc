"""The survey: which municipalities did X (with verified evidence), the theme matrix, the
economy table and year-over-year changes, and their exports.

`surveyor.py` decides per municipality (reading the question as assistant/qa/question.py
parses it), `economy.py` reads budget/utfall rows, `exports.py` writes CSV and XLSX,
`cli.py` is `rapportassistent survey`.
"""

from assistant.survey.surveyor import (
    Finding,
    Matrix,
    Model,
    Surveyor,
    SurveyResult,
    Theme,
    citation_sheet,
    find_theme,
    load_themes,
    matrix_sheets,
    survey,
    survey_sheets,
    theme_matrix,
)

__all__ = [
    "Finding",
    "Matrix",
    "Model",
    "SurveyResult",
    "Surveyor",
    "Theme",
    "citation_sheet",
    "find_theme",
    "load_themes",
    "matrix_sheets",
    "survey",
    "survey_sheets",
    "theme_matrix",
]
