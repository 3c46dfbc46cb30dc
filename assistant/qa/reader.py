"""The general extractive reader: what kind of answer a question asks for, which sentences of
the retrieved passages carry that kind of answer about the question's topic, and the signals
that the fitted models of assistant/qa/abstain.py weigh (the sentence model orders the evidence;
an abstention model is fitted and measured but not shipped, see config/reader.json).

A few mechanisms instead of one rule per question shape:

- `answer_type`: percentage, money, count, time, name or description (which covers yes/no and
  "how"/"why"), from the question's interrogative phrase;
- `carries`: does a sentence (or a table row) hold a fact of that type;
- `coverage`: the idf-weighted share of the question's content words that a text names, as a
  word, a compound part or a thesaurus synonym (so "socialbidrag" is covered by "ekonomiskt
  bistånd" and "sommarlovsaktiviteter" by "aktiviteter under sommarlovet");
- `sentence_features`, `relative_features`, `question_signals`: what the models are fitted on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vectorstore.swedish import STOP_WORDS

# The interrogative phrase says what kind of fact answers. Order matters: "Hur stor andel av
# budgeten" asks for a percentage, "Hur mycket kostade" for money, "Hur många" for a count.
_TYPE_PATTERNS = [
    ("percent", r"\bandel\w*|\bprocent(?!enhet)\w*|%|\bhur stor del\b"),
    (
        "money",
        r"\bkost\w*|\bbudget\w*|\butfall\w*|\bbelopp\w*|\bkronor\b|\btkr\b|\bmnkr\b|"
        r"\bförbruka\w*|\bbevilja\w*|\bavvikelse\w*|\bhur mycket pengar\b|\bspara\w*|"
        r"\bmedel\b|\bmedlen\b|\bpengar\w*|\bavsatt\w*|\bsatsa\w* .*\bkr\b",
    ),
    (
        "count",
        r"\bhur många\b|\bantal\w*|\bhur ofta\b|\bhur mycket\b|\bhur stor\w*\b|\bhur lång\w*\b",
    ),
    (
        "time",
        r"\bnär\b|\bvilket datum\b|\bvilken (?:tid|dag|månad|vecka|termin)\b|\bvilka dagar\b|"
        r"\bhur länge\b|\bvilket år\b",
    ),
    (
        "name",
        r"\bvad heter\b|\bvad hette\b|\bvilket namn\b|\bvem\b|\bvilka (?:organisationer|"
        r"företag|föreningar|aktörer|partner\w*|skolor|byar|orter)\b",
    ),
]
_TYPE_RES = [(kind, re.compile(p, re.I)) for kind, p in _TYPE_PATTERNS]
ANSWER_TYPES = ("percent", "money", "count", "time", "name", "description")

_YEAR_ONLY = re.compile(r"^(19|20)\d\d$")
_NUMBER = re.compile(r"(?<![\w,])\d+(?:[ \u00a0]\d{3})*(?:,\d+)?")
_NUMBER_WORDS = set(
    """två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton sjutton
    arton nitton tjugo trettio fyrtio femtio hundra tusen dussin tiotal tjugotal trettiotal
    fyrtiotal femtiotal hundratal hälften hälft dubbelt fördubblats""".split()
)
_PERCENT = re.compile(r"\d\s*(?:%|procent\b)|\bhälften\b|\bvar (?:tredje|fjärde|femte)\b", re.I)
_MONEY = re.compile(
    r"\d[\d\s\u00a0]*(?:,\d+)?\s*(?:kr\b|kronor\b|tkr\b|mnkr\b|mkr\b|miljon\w*|msek\b|sek\b)", re.I
)
_MONTHS = (
    "januari februari mars april maj juni juli augusti september oktober november "
    "december vår våren höst hösten sommar sommaren vinter vintern terminen lov lovet "
    "måndag tisdag onsdag torsdag fredag lördag söndag vecka veckor klockan kl"
)
_TIME = re.compile(
    r"\b(?:" + "|".join(_MONTHS.split()) + r")\w*\b|\b(?:19|20)\d\d\b|\d{1,2}[.:]\d\d", re.I
)
_CAPITALISED = re.compile(r"(?<=[\w,;:)] )[A-ZÅÄÖ][\wåäöéü-]+")


def answer_type(question: str) -> str:
    """The kind of fact the question asks for (one of ANSWER_TYPES)."""
    for kind, pattern in _TYPE_RES:
        if pattern.search(question):
            return kind
    return "description"


def is_table_row(text: str) -> bool:
    return " | " in text and bool(re.search(r"\d", text))


def figures(text: str) -> list[str]:
    """The figures of a text, years aside, and number words."""
    found = [n for n in _NUMBER.findall(text) if not _YEAR_ONLY.match(n.replace(" ", ""))]
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
    return found + sorted(words & _NUMBER_WORDS)


def carries(kind: str, text: str) -> bool:
    """Does the sentence (or table row) hold a fact of this kind?"""
    if kind == "percent":
        return bool(_PERCENT.search(text)) or (is_table_row(text) and len(figures(text)) >= 2)
    if kind == "money":
        return bool(_MONEY.search(text)) or is_table_row(text)
    if kind == "count":
        return bool(figures(text))
    if kind == "time":
        return bool(_TIME.search(text))
    if kind == "name":
        return bool(_CAPITALISED.search(text))
    return True


@dataclass(frozen=True)
class Term:
    """A content word of the question: its analysed forms (stem, compound parts), the near
    synonyms the thesaurus gives, and its weight (idf; a word no report uses gets the idf of
    an unseen word)."""

    word: str
    terms: frozenset[str]
    weight: float


def content_terms(words: list[str], lexical, thesaurus=None, closest=None) -> list[Term]:
    """The question's content words (already without frame words, municipality and place
    names) as weighted Terms."""
    out = []
    for word in words:
        analysed = lexical.analyze(word)
        if not analysed or word.lower() in STOP_WORDS:
            continue
        terms = set(analysed)
        if closest is not None:
            terms |= closest(word)
        weight = max((lexical.idf(t) for t in analysed), default=0.0) or lexical.unseen_idf()
        out.append(Term(word, frozenset(terms), weight))
    return out


def mentions(text_terms: set[str], lowered: str, term: Term) -> bool:
    """A term is named when one of its forms is among the text's analysed terms, or (a
    compound the index did not split: "skol" in "Knislingeskolan") inside a word of it."""
    if term.terms & text_terms:
        return True
    return any(len(t) >= 5 and t in lowered for t in term.terms)


def coverage(text: str, terms: list[Term], analyze) -> float:
    """The idf-weighted share of the question's content words that `text` names."""
    total = sum(t.weight for t in terms)
    if not total:
        return 1.0
    text_terms, lowered = set(analyze(text)), text.lower()
    return sum(t.weight for t in terms if mentions(text_terms, lowered, t)) / total


def presence(terms: list[Term], corpus_terms: set[str]) -> tuple[float, float]:
    """How much of the question the reports searched name at all: the idf-weighted share of
    its content words found in them, and whether the rarest one is found (1.0 or 0.0). A
    question about an insats a municipality does not have ("feriearbete" in a report without
    one) scores low on both, however close its nearest passage is."""
    total = sum(t.weight for t in terms)
    if not total:
        return 1.0, 1.0
    found = [t for t in terms if t.terms & corpus_terms]
    rarest = max(terms, key=lambda t: t.weight)
    return sum(t.weight for t in found) / total, float(rarest in found)


def question_terms(answerer, question) -> list[Term]:
    """The content words of `question` (an assistant.qa.question.Question) as Terms: its
    informative words without the names of municipalities and their localities."""
    from vectorstore.swedish import analyze

    retriever = answerer.retriever
    places = retriever.place_words()
    words = [w for w in question.words if w.lower() not in places]
    thesaurus = retriever.thesaurus
    closest = (lambda w: set(thesaurus.closest(set(analyze(w))))) if thesaurus else None
    return content_terms(words, answerer.store.lexical(), closest=closest)


SENTENCE_FEATURES = [
    "dense",
    "lexical",
    "rank",
    "coverage",
    "carries",
    "table_row",
    "carries_coverage",
    "dense_z",
    "lexical_z",
    "coverage_rel",
    "rarest",
]


def sentence_features(ev, kind: str, terms: list[Term], analyze) -> dict:
    """What the sentence model (assistant/qa/abstain.py) weighs about one candidate sentence,
    on its own; `relative_features` adds how it stands among the question's candidates."""
    text = f"{ev.chunk.section} {ev.text}"
    cov = coverage(text, terms, analyze)
    typed = float(carries(kind, ev.text))
    rarest = max(terms, key=lambda t: t.weight) if terms else None
    named = float(bool(rarest) and mentions(set(analyze(text)), text.lower(), rarest))
    return {
        "dense": ev.dense,
        "lexical": min(ev.lexical, 10.0) / 10.0,
        "rank": float(ev.rank),
        "coverage": cov,
        "carries": typed,
        "table_row": float(is_table_row(ev.text)),
        "carries_coverage": typed * cov,
        "rarest": named,
    }


def relative_features(features: list[dict]) -> None:
    """Add, in place, each sentence's standing among the question's candidates: dense and
    lexical similarity as z-scores (the embedder's cosines crowd near one value, so only
    their order within a question says much) and coverage relative to the best."""
    if not features:
        return
    for name in ("dense", "lexical"):
        values = [f[name] for f in features]
        mean = sum(values) / len(values)
        sd = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5 or 1.0
        for f in features:
            f[f"{name}_z"] = (f[name] - mean) / sd
    best = max(f["coverage"] for f in features) or 1.0
    for f in features:
        f["coverage_rel"] = f["coverage"] / best


def question_signals(
    answerer, question, municipalities: list[str], hits, terms: list[Term]
) -> dict:
    """The question-level signals of the abstention model (`question`: an
    assistant.qa.question.Question; `terms`: question_terms)."""
    retriever = answerer.retriever
    analyze = answerer.store.lexical().analyze
    one = len(set(municipalities)) == 1
    corpus = retriever.municipality_terms(municipalities[0] if one else None)
    found, rarest = presence(terms, corpus)
    sig = {
        "kind": question.answer_type,
        "presence": found,
        "rarest_present": rarest,
        "one_municipality": float(one),
        "n_terms": len(terms),
        "sim_top": max(((h.similarity or 0.0) for h in hits[:3]), default=0.0),
        "cov_passage": max(
            (coverage(f"{h.chunk.section} {h.chunk.text}", terms, analyze) for h in hits[:3]),
            default=0.0,
        ),
    }
    return sig
