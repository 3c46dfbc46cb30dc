"""What kind of fact a question asks for, and which passages can hold one.

"Vad kostade Fritidsbanken?" is answered by a row of the budget table, "Hur många besök hade
de digitala ombuden?" by a sentence with a figure next to the thing asked about. Retrieval uses
this to rank such passages higher (assistant.qa.retrieve); the answer step to refuse what holds
no such fact (assistant.qa.typed).
"""

from __future__ import annotations

import re

# Questions that ask for a figure: an answer without one does not answer them.
QUANTITY_RE = re.compile(
    r"\bhur (många|mycket|stor|stora|hög|höga|lång|långa)\b|\bvad (kostade|kostar)\b|"
    r"\bvad (blev|var) (utfallet|budgeten|kostnaden)\b|\bvilken budget\b|\bvilket belopp\b|"
    r"\bvad (betalar|betalade|betalat)\b|\bvilken (\w+ )?(hyra|timlön|lön|ersättning|avgift)\b",
    re.IGNORECASE,
)
# Questions about money: budget, outcome, cost.
MONEY_QUESTION_RE = re.compile(
    r"\b(kostade|kostar|kosta|kostnad(?!sfri)\w*|budget\w*|utfall\w*|pengar|belopp\w*|kronor|lade|"
    r"lagt|lägger|satsade|satsat|användes till|vad betala\w*|hyra|hyran|timlön\w*|ersättning\w*|"
    r"avgift(?!sfri)\w*)\b",
    re.IGNORECASE,
)
# A table row as ingestion writes it: "Fritidsbanken | 150 000 | 158 200".
_TABLE_ROW_RE = re.compile(r"^[^|\n]+\|[^|\n]*\d[^\n]*$", re.MULTILINE)
# A figure that is not a year ("412", "1 480", "0,45"; not "2023").
_FIGURE_RE = re.compile(r"(?<!\d)(?!20[1-3]\d(?!\d))\d[\d ]*(?:,\d+)?")


def has_table(text: str) -> bool:
    """Does the passage hold a table (two rows or more with figures)?"""
    return len(_TABLE_ROW_RE.findall(text)) >= 2


def figure_units(text: str) -> list[str]:
    """The passage's table rows and sentences that hold a figure other than a year."""
    units = []
    for line in text.split("\n"):
        parts = [line] if " | " in line else re.split(r"(?<=[.!?])\s+", line)
        units.extend(p for p in parts if _FIGURE_RE.search(p))
    return units
