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

from rapport_settings import CommonTextSettings

# figures and regions differ between reports that share a phrase; so do the municipalities'
# own names, which the caller gives (other names, "Fritidsbanken", say what a sentence is about)
_FIGURE_OR_REGION_RE = re.compile(r"\b[Rr]egion\s+[A-ZÅÄÖ][\w-]*|\d(?:[\d\s.,]*\d)?")
_WORD_RE = re.compile(r"[^\W\d_][\w-]*")
MIN_PIECE = 25  # characters: a shorter piece of a common phrase could be anything


def template_key(sentence: str, names: Iterable[str] = ()) -> str:
    """The sentence with figures, regions and `names` (lower-case words: the municipalities
    and their places) masked, lower-case, spaces normalised."""
    names = names if isinstance(names, (set, frozenset)) else set(names)  # called per sentence
    masked = _FIGURE_OR_REGION_RE.sub("#", sentence)
    masked = _WORD_RE.sub(lambda m: "#" if m.group(0).lower() in names else m.group(0), masked)
    return " ".join(masked.lower().split())


def common_keys(
    units_by_municipality: dict[str, Iterable[str]],
    names: Iterable[str] = (),
    settings: CommonTextSettings | None = None,
) -> set[str]:
    """The template keys of the sentences that more than `settings.share` (half) of the
    municipalities' reports have, and at least `settings.min_municipalities` (default: the
    defaults of `answer.common_text`)."""
    settings = settings if settings is not None else CommonTextSettings()
    names = set(names)
    having: dict[str, set[str]] = defaultdict(set)
    for municipality, units in units_by_municipality.items():
        for unit in units:
            having[template_key(unit, names)].add(municipality)
    share = math.floor(settings.share * len(units_by_municipality)) + 1
    needed = max(settings.min_municipalities, share)
    return {key for key, holders in having.items() if len(holders) >= needed}


def is_common(sentence: str, common: set[str], names: Iterable[str] = ()) -> bool:
    """Is the sentence a common phrase, or the piece of one that a page or chunk edge cut
    ("... från invånare som tagit del av insatserna.")?"""
    key = template_key(sentence, names)
    if key in common:
        return True
    return len(key) >= MIN_PIECE and any(c.startswith(key) or c.endswith(key) for c in common)


def store_common_keys(
    store, meta: dict, names: Iterable[str], settings: CommonTextSettings | None = None
) -> set[str]:
    """common_keys over all the chunks of `meta` (chunk id -> metadata) in `store`, their
    sentences and table rows by municipality."""
    from assistant.qa.evidence import evidence_units

    units: dict[str, list[str]] = {}
    for chunk in store.get_chunks(list(meta)).values():
        units.setdefault(chunk.municipality, []).extend(evidence_units(chunk))
    return common_keys(units, names, settings)
