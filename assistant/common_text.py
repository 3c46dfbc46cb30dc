"""Text that nearly every municipality's report has: the template phrases of the reporting
form and its filler ("Statsbidraget har gjort det möjligt för Olofströms kommun att arbeta
långsiktigt ...", "Olofströms kommun har cirka 13 000 invånare ...").

Such a sentence says nothing particular about any one municipality, so it answers only a
question that shares a word with it ("Hur många invånare har Olofström?"). Near a question
about a topic no report covers ("Hur har Filipstad arbetat med våld i nära relationer?")
it comes up because it names the municipality and the year, and must not be cited.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable

# names and figures differ between reports that share a phrase
_NAME_OR_FIGURE_RE = re.compile(r"\b[A-ZÅÄÖ][\w-]*|\d(?:[\d\s.,]*\d)?")
MIN_MUNICIPALITIES = 3
MIN_PIECE = 25  # characters: a shorter piece of a common phrase could be anything
SHARE = 0.5  # of the municipalities in the store: more than this makes a phrase common


def template_key(sentence: str) -> str:
    """The sentence with names and figures masked, lower-case, spaces normalised."""
    return " ".join(_NAME_OR_FIGURE_RE.sub("#", sentence).lower().split())


def common_keys(units_by_municipality: dict[str, Iterable[str]]) -> set[str]:
    """The template keys of the sentences that more than half of the municipalities' reports
    have (and at least MIN_MUNICIPALITIES)."""
    having: dict[str, set[str]] = defaultdict(set)
    for municipality, units in units_by_municipality.items():
        for unit in units:
            having[template_key(unit)].add(municipality)
    needed = max(MIN_MUNICIPALITIES, math.floor(SHARE * len(units_by_municipality)) + 1)
    return {key for key, names in having.items() if len(names) >= needed}


def is_common(sentence: str, common: set[str]) -> bool:
    """Is the sentence a common phrase, or the piece of one that a page or chunk edge cut
    ("... från invånare som tagit del av insatserna.")?"""
    key = template_key(sentence)
    if key in common:
        return True
    return len(key) >= MIN_PIECE and any(c.startswith(key) or c.endswith(key) for c in common)
