"""Recognise a report's municipality and year from its file name and text.

Reports are recognised against all 290 municipalities of Sweden
(`config/sveriges_kommuner.txt`), not only the grant's list (`config/kommuner.txt`, which
adds aliases and localities and says which municipalities should report). A name counts only
as a whole word ("Ånge" is not in "ångest"), and the reporting municipality is the one that
the file name, the title and the "X kommun" phrases name, not one mentioned in passing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[1] / "config"
DEFAULT_MUNICIPALITY_FILE = CONFIG / "kommuner.txt"
ALL_MUNICIPALITIES_FILE = CONFIG / "sveriges_kommuner.txt"
_YEAR_RE = re.compile(r"(?<!\d)(20[1-3]\d)(?!\d)")
_REPORT_YEAR_RE = re.compile(
    r"(?:återrapport\w*|verksamhetsåret|redovisning\w*|rapport\w*|året|år)\s+(20[1-3]\d)",
    re.IGNORECASE,
)
_END = r"(?![\wåäöéü])"
_START = r"(?<![\wåäöéü])"
# A name of this many letters or more is also recognised in a question in lower case and at
# the head of a compound ("filipstadselever"); shorter ones are often words ("mark", "vara").
_LOOSE_MIN_LETTERS = 6

# Evidence for the reporting municipality (recognise_municipality): the file name is chosen by
# the sender, the title page and "X kommun" phrases (running headers repeat them on every page)
# are the report speaking of itself; a bare name may be a neighbour or a partner.
FILE_NAME_WEIGHT = 100
TITLE_WEIGHT = 20
TITLE_CHARS = 400
PHRASE_WEIGHT = 5
MENTION_WEIGHT = 1
MIN_SCORE = 3  # below this (one or two bare mentions) the municipality cannot be told


@dataclass(frozen=True)
class Municipality:
    name: str
    aliases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # localities in the municipality ("Kopparberg")
    code: str = ""  # SCB's kommunkod

    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def patterns(self) -> list[re.Pattern]:
        """The name and aliases as whole words, in any case, with a genitive s."""
        return [re.compile(_START + _spelling(f) + "s?" + _END, re.I) for f in self.forms()]

    def question_patterns(self) -> list[re.Pattern]:
        """How a question names the municipality: a long name in any case and at the head of a
        compound ("Filipstadselever"); a short one capitalised and whole ("Eda", not "eda").
        Localities count too ("i Kopparberg", "Jämshögsborna")."""
        out = []
        for form in self.forms():
            if len(form) >= _LOOSE_MIN_LETTERS:
                out.append(re.compile(_START + _spelling(form), re.I))
            else:
                out.append(re.compile(_START + _cased(form) + "s?" + _END))
        return out + self.place_patterns()

    def place_patterns(self) -> list[re.Pattern]:
        """Its localities: a question about "Kopparberg" is about Ljusnarsberg's reports, and
        so is one about "Jämshögsborna" or "Kopparbergs". Capitalised only: some are also
        words ("lima")."""
        tail = r"(?:s|s?bo(?:r|rna|rnas)?)?" + _END
        return [re.compile(_START + _spelling(p) + tail) for p in self.places]


def _spelling(form: str) -> str:
    # Tolerant of 'Malung-Sälen' written 'Malung Sälen' or 'Malungsälen', 'Dals-Ed' as 'Dals Ed'.
    return re.escape(form).replace(r"\-", r"[-\s]?").replace(r"\ ", r"[\s_-]+")


def _cased(form: str) -> str:
    """The form capitalised as written or in capitals ("Eda", "EDA"), not in lower case."""
    return "(?:" + _spelling(form) + "|" + _spelling(form.upper()) + ")"


def _fold(text: str) -> str:
    """Lower case without diacritics: file names are often written 'Ostra_Goinge'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _parse_line(line: str) -> Municipality | None:
    line = line.split("#", 1)[0].strip()
    if not line:
        return None
    name, *rest = [part.strip() for part in line.split("|")]
    code = ""
    if re.match(r"\d{4}\s", name):
        code, name = name[:4], name[5:].strip()
    aliases = tuple(a for a in rest if a and not a.lower().startswith("orter:"))
    places = tuple(
        p.strip()
        for a in rest
        if a.lower().startswith("orter:")
        for p in a[6:].split(",")
        if p.strip()
    )
    return Municipality(name, aliases, places, code)


def load_municipalities(path: Path | None = None) -> list[Municipality]:
    """Read a list: one name a line (optionally after its kommunkod), aliases after '|',
    localities after 'orter:' ("Ljusnarsberg | orter: Kopparberg, Ställdalen"), '#' comments.
    Without `path`: the grant's list, config/kommuner.txt."""
    path = path or DEFAULT_MUNICIPALITY_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    return [m for m in map(_parse_line, lines) if m is not None]


def all_municipalities(grant: list[Municipality] | None = None) -> list[Municipality]:
    """All municipalities of Sweden, each with the aliases and localities that the grant's
    list gives it. A name in the grant's list that is not a municipality is kept as written
    (an agency may need it before this list is updated)."""
    grant = load_municipalities() if grant is None else grant
    extra = {m.name: m for m in grant}
    out = []
    for m in load_municipalities(ALL_MUNICIPALITIES_FILE):
        own = extra.pop(m.name, None)
        out.append(replace(m, aliases=own.aliases, places=own.places) if own else m)
    return out + list(extra.values())


def canonical_name(text: str, municipalities: list[Municipality]) -> str | None:
    """The municipality a user typed ("Älvdalens kommun", "malung salen"), else None."""

    def key(s: str) -> str:
        return re.sub(r"[-\s]", "", _fold(s))

    wanted = key(re.sub(r"\s+(kommun|stad)$", "", text.strip(), flags=re.I))
    for m in municipalities:
        if any(wanted in (key(f), key(f) + "s") for f in m.forms()):
            return m.name
    return None


def recognise_municipality(
    file_name: str, text: str, municipalities: list[Municipality]
) -> str | None:
    """The reporting municipality, or None when it cannot be told.

    Each municipality scores for its name in the file name (often just a diary number, "Dnr
    KS 2023-145 Återrapport.pdf"), on the title page, in "X kommun"/"X stad" phrases (title,
    running headers, "Hofors kommun har ...") and, least, as a bare capitalised name. A region
    ("Region Gävleborg", "Örebro län") is not a municipality, except Region Gotland.
    """
    finder, by_form = _name_finder(tuple(municipalities))
    stem = " " + _fold(Path(file_name).stem.replace("_", " ")) + " "
    scores: Counter[str] = Counter()
    for m in municipalities:
        for form in m.forms():
            folded = re.escape(_fold(form)).replace(r"\-", r"[-\s]?").replace(r"\ ", r"[\s-]?")
            if re.search(_START + folded + "s?" + _END, stem):
                scores[m.name] = FILE_NAME_WEIGHT
    for match in finder.finditer(text):
        name = by_form[_fold(re.sub(r"[-\s]+", " ", match["name"]))]
        before, after = text[max(0, match.start() - 7) : match.start()], match["after"]
        if re.match(r"\s+län", after) or (before.endswith("Region ") and name != "Gotland"):
            continue
        phrase = re.match(r"\s+(?:kommun|stad|KOMMUN|STAD)s?" + _END, after) or (
            before.endswith("Region ")
        )
        scores[name] += PHRASE_WEIGHT if phrase else MENTION_WEIGHT
        if match.start() < TITLE_CHARS:
            scores[name] += TITLE_WEIGHT
    best = scores.most_common(1)
    return best[0][0] if best and best[0][1] >= MIN_SCORE else None


@lru_cache(maxsize=4)
def _name_finder(municipalities: tuple[Municipality, ...]) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern for every form, capitalised or in capitals, with what follows it."""
    by_form = {_fold(re.sub(r"[-\s]+", " ", f)): m.name for m in municipalities for f in m.forms()}
    forms = sorted({f for m in municipalities for f in m.forms()}, key=len, reverse=True)
    names = "|".join(_cased(f) for f in forms)
    pattern = re.compile(_START + f"(?P<name>{names})s?" + _END + r"(?P<after>[^\n]{0,8})")
    return pattern, by_form


def recognise_year(file_name: str, text: str) -> int | None:
    """The reporting year: 'Återrapportering 2023' in the text, else the file name, else the
    most frequent plausible year on the first pages."""
    match = _REPORT_YEAR_RE.search(text[:4000])
    if match:
        return int(match.group(1))
    years = _YEAR_RE.findall(Path(file_name).stem)
    if years:
        return int(years[0])
    counts = Counter(_YEAR_RE.findall(text[:6000]))
    return int(counts.most_common(1)[0][0]) if counts else None
