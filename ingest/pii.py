"""Find and mask personal data in report text: personnummer, samordningsnummer, phone, e-mail.

Municipal reports sometimes name a contact person with a phone number, or quote a
personnummer. Page text is masked before it is stored, chunked, embedded and indexed, and
answers are masked before they are shown, so personal data never reaches the index or a
caseworker's screen through us. Each finding becomes a Swedish placeholder
("[personnummer]", "[samordningsnummer]", "[telefonnummer]", "[e-postadress]"); all other
characters (whitespace, line breaks, hyphens, table rows "a | b | c") are left as they are.

Reports are full of numbers, so the rules are strict and a number must prove what it is:

Personnummer / samordningsnummer
  YYMMDD-NNNN, YYMMDD+NNNN (100 years or older), YYYYMMDDNNNN, YYYYMMDD-NNNN, YYMMDDNNNN; an en
  dash or a Unicode hyphen counts as a hyphen, a space does not ("121212 1212" is not found).
  The 10 digits YYMMDDNNNN must pass the Luhn check and MM-DD must be a real date (leap years:
  2000+YY, or 1900+YY after '+'; a 4-digit year must start with 18, 19 or 20). A day of 61-91
  (day + 60) makes it a samordningsnummer. Organisation numbers ("212000-0829") have 20 or more
  in the month place, so the date check rejects them. Known false positives: one in ten
  date-shaped references such as "20230512-1234" pass the check.

Phone numbers (Swedish)
  Start with 0 and a digit 1-9 (national: "08-123 45 67", "(08) 123 45 67") or with +46 /
  0046 (international, optionally "(0)": "+46 (0)8 123 45 67"). After the leading 0 or the
  country code come 7-9 digits (the length of a Swedish national number). Layout: the area
  code (2-4 digits with the 0, 1-3 after +46), one separator ("-", "–", "/" with optional
  spaces, or one space), then the subscriber number as one block or as groups of 2-3 digits
  separated by single spaces ("070-123 45 67", "0480-45 00 00", "070 123 45 67"). Written
  without any separator ("0701234567") it needs 8-9 digits after the 0. Line breaks never
  separate parts of a number (table columns do). A phone number must stand free: not glued
  to a word, not preceded by a digit and "-", "/", ".", ",", ":" or a space, not followed by
  such a joined digit, nor by a space and a digit 1-9. That keeps out amounts ("1 250 000",
  "1 012 345 678"), years and dates ("2023-2024", "2023-05-12"), diary numbers ("dnr
  2023-00123", "01234-2023"), postal codes ("371 80"; none starts with 0), org numbers, SFS
  numbers ("2018:1197") and page numbers. Known false positives: free-standing numbers that
  start with 0 and have a phone's length, e.g. "OCR 0123456789" or "konto 0123-456 789".

E-mail
  local@domain.tld with a top-level domain of 2+ letters. Obfuscated forms ("namn (at)
  kommun.se") are not detected.

Order and overlaps: e-mail is searched first, then personnummer/samordningsnummer, then phone
numbers; a span already taken is blanked out before the next search, and the search repeats
until nothing new is found (a number that was only rejected because it followed another
finding is then found as well). Blanked spans behave like placeholders, so mask() is
idempotent. A 10-digit number written without separator that is both a valid personnummer and
a possible mobile number ("07...") counts as a personnummer; it is masked either way.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass

PLACEHOLDERS = {
    "personnummer": "[personnummer]",
    "samordningsnummer": "[samordningsnummer]",
    "telefon": "[telefonnummer]",
    "e-post": "[e-postadress]",
}
_BLANK = "\x00"  # fills taken spans between searches; matches no pattern, like a placeholder
_DASH = "\\-\u2010\u2011\u2013"  # hyphen, Unicode hyphens, en dash (word processors)
_SP = "[ \u00a0\u202f]"  # a space, also no-break and narrow no-break (thousands separators)
_SUBSCRIBER = rf"\d{{2,8}}(?:{_SP}\d{{2,3}}){{0,3}}"  # "1234567", "123 45 67", "45 00 00"

_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
_ID_RE = re.compile(
    rf"(?<![\w+])(?<!\d[{_DASH}./,:])"
    rf"(?P<century>18|19|20)?(?P<date>\d{{6}})(?P<sep>[{_DASH}+]?)(?P<serial>\d{{4}})"
    rf"(?!\w)(?![{_DASH}./,:]\d)"
)
_PHONE_RE = re.compile(
    rf"(?<![\w+])(?<!\d[{_DASH}./,:])(?<!\d{_SP})"
    rf"(?:(?P<intl>(?:\+|00)46[ -]?(?:\(0\){_SP}?)?)(?=[1-9])|(?=\(?0[1-9]))"
    rf"(?P<number>\(0[1-9]\d{{0,2}}\){_SP}?{_SUBSCRIBER}"  # (08) 123 45 67
    rf"|\d{{1,10}}(?:(?:{_SP}?[{_DASH}/]{_SP}?|{_SP}){_SUBSCRIBER})?)"  # area code + subscriber
    rf"(?!\d)(?![{_DASH}./,:]\d)(?!{_SP}[1-9])"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # "personnummer", "samordningsnummer", "telefon" or "e-post"
    start: int
    end: int
    text: str


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check as used for personnummer: weights 2,1,2,1,... from the left."""
    if not isinstance(digits, str) or not digits.isascii() or not digits.isdigit():
        raise ValueError(
            f"luhn_ok behöver en sträng med bara siffror, fick {digits!r}; "
            "ta bort bindestreck, plustecken och mellanslag först."
        )
    total = 0
    for i, ch in enumerate(digits[::-1]):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _id_kind(m: re.Match) -> str | None:
    """'personnummer', 'samordningsnummer' or None if the match is not a valid number."""
    century, date, sep = m["century"], m["date"], m["sep"]
    if century and sep == "+":
        return None  # '+' only makes sense with a 2-digit year
    yy, mm, dd = int(date[:2]), int(date[2:4]), int(date[4:])
    year = int(century) * 100 + yy if century else (1900 if sep == "+" else 2000) + yy
    kind = "personnummer"
    if dd > 60:
        kind, dd = "samordningsnummer", dd - 60
    if not 1 <= mm <= 12 or not 1 <= dd <= calendar.monthrange(year, mm)[1]:
        return None
    return kind if luhn_ok(date + m["serial"]) else None


def _phone_ok(m: re.Match) -> bool:
    """7-9 digits after the 0 or +46; a Swedish area code (2-4 digits with the 0) if separated."""
    number, intl = m["number"], bool(m["intl"])
    digits = re.sub(r"\D", "", number)
    if not intl:
        digits = digits[1:]  # the leading 0
    if not 7 <= len(digits) <= 9:
        return False
    if number.isdigit():  # no separator at all
        return intl or len(digits) >= 8
    area = re.match(r"\(?(\d+)", number)[1]
    return len(area) <= 3 if intl else len(area) <= 4


def _search(text: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _EMAIL_RE.finditer(text):
        found.append(Finding("e-post", m.start(), m.end(), m.group()))
    text = _blank(text, found)
    ids = []
    for m in _ID_RE.finditer(text):
        kind = _id_kind(m)
        if kind:
            ids.append(Finding(kind, m.start(), m.end(), m.group()))
    text = _blank(text, ids)
    phones = [
        Finding("telefon", m.start(), m.end(), m.group())
        for m in _PHONE_RE.finditer(text)
        if _phone_ok(m)
    ]
    return found + ids + phones


def _blank(text: str, findings: list[Finding]) -> str:
    parts, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        parts += [text[pos : f.start], _BLANK * (f.end - f.start)]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def find(text: str) -> list[Finding]:
    """All personal data in `text`: non-overlapping findings sorted by start."""
    if not isinstance(text, str):
        raise TypeError(f"find() behöver en text (str), fick {type(text).__name__}.")
    findings: list[Finding] = []
    work = text
    while True:
        new = _search(work)
        if not new:
            break
        new = [Finding(f.kind, f.start, f.end, text[f.start : f.end]) for f in new]
        findings.extend(new)
        work = _blank(work, new)
    return sorted(findings, key=lambda f: f.start)


def mask(text: str) -> tuple[str, Counter]:
    """`text` with each finding replaced by its placeholder, and the number of findings per kind."""
    if not isinstance(text, str):
        raise TypeError(f"mask() behöver en text (str), fick {type(text).__name__}.")
    parts, counts, pos = [], Counter(), 0
    for f in find(text):
        parts += [text[pos : f.start], PLACEHOLDERS[f.kind]]
        counts[f.kind] += 1
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts), counts
