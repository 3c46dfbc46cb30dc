"""Recognise a report's municipality and year from its file name and text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MUNICIPALITY_FILE = Path(__file__).resolve().parents[1] / "config" / "kommuner.txt"
UNKNOWN_MUNICIPALITY = "Okänd kommun"
_YEAR_RE = re.compile(r"(?<!\d)(20[1-3]\d)(?!\d)")
_REPORT_YEAR_RE = re.compile(
    r"(?:återrapport\w*|verksamhetsåret|redovisning\w*|rapport\w*|året|år)\s+(20[1-3]\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Municipality:
    name: str
    aliases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # localities in the municipality ("Kopparberg")

    def patterns(self) -> list[re.Pattern]:
        """The municipality's name and aliases (what recognises a report's municipality)."""
        return _patterns((self.name, *self.aliases))

    def place_patterns(self) -> list[re.Pattern]:
        """Its localities: a question about "Kopparberg" is about Ljusnarsberg's reports, and
        so is one about "Jämshögsborna" or "Kopparbergs". Capitalised only: some are also
        words ("lima")."""
        return _patterns(self.places, flags=0, tail=r"(?:s|s?bo(?:r|rna|rnas)?)?(?![\wåäö])")


def _patterns(forms, flags=re.IGNORECASE, tail="") -> list[re.Pattern]:
    # Word-bounded, and tolerant of 'Malung-Sälen' written 'Malung Sälen' or 'Malungsälen'.
    out = []
    for form in forms:
        escaped = re.escape(form).replace(r"\-", r"[-\s]?").replace(r"\ ", r"[\s_-]+")
        out.append(re.compile(rf"(?<![\wåäö]){escaped}{tail}", flags))
    return out


def load_municipalities(path: Path | None = None) -> list[Municipality]:
    """Read the configured list: one name a line, aliases after '|', localities after
    'orter:' ("Ljusnarsberg | orter: Kopparberg, Ställdalen"), '#' comments."""
    path = path or DEFAULT_MUNICIPALITY_FILE
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, *rest = [part.strip() for part in line.split("|")]
        aliases = tuple(a for a in rest if a and not a.lower().startswith("orter:"))
        places = tuple(
            p.strip() for a in rest if a.lower().startswith("orter:") for p in a[6:].split(",") if p.strip()
        )
        out.append(Municipality(name, aliases, places))
    return out


def recognise_municipality(
    file_name: str, text: str, municipalities: list[Municipality]
) -> str | None:
    """The municipality named in the file name, else the one named most in the text.

    File names are weighed highest but are often just a diary number
    ("Dnr KS 2023-145 Återrapport.pdf"); then the text decides, where the reporting
    municipality dominates ("Hofors kommun" in headers, title and body).
    """
    stem = Path(file_name).stem.replace("_", " ")
    scores: Counter[str] = Counter()
    for m in municipalities:
        for pattern in m.patterns():
            if pattern.search(stem):
                scores[m.name] += 100
            scores[m.name] += len(pattern.findall(text))
    best = scores.most_common(1)
    return best[0][0] if best and best[0][1] > 0 else None


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
