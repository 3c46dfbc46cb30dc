"""Do the retrieved passages answer the question at all, or are the reports silent?

A dense similarity alone cannot tell: a question about something the reports never mention
("Vilka kommuner har byggt en sporthall?") scores as high against the nearest passage as a
paraphrase of something they do mention. Two narrower signals can, and each is checked only
for the question's informative words that the best passages do not contain:

1. A *named insats* the municipality's reports lack. A word that heads sections elsewhere
   in the corpus ("Fritidsbanken", "ABC-grupper") names an activity; if the question, asked
   about one municipality, names it and none of that municipality's reports uses it, they
   do not describe it.
2. A word the corpus *does not know* that the passages do not respond to. Removing the word
   from the question and re-embedding it should lower the similarity to the best passages if
   they are about it (a paraphrase: "sportprylar" for sports equipment); if the similarity
   rises, the passages match the rest of the question, not this word ("sporthall").

Thresholds were calibrated on the dev split of tests/data/questions.json (benchmarks/
calibrate.py) and are reported with the held-out split in the README.
"""

from __future__ import annotations

import re

from ingest.records import Hit
from vectorstore.swedish import STOP_WORDS, analyze

# Question words and generic report vocabulary: never what a question is about.
_GENERIC = set(
    """hur vad vilka vilken vilket många mycket kommuner kommun kommunen kommunens när var vem
    varför finns gjorde gör göra gjort har hade haft fick får arbetar jobbar redovisar säger står
    rapporten rapporterna året åren insatser insats insatsen insatserna arbetet lade lagt lägga kostade kostar
    kosta arbetat användes använde gick blev förändrades förändrats förändring utvecklades utvecklats
    ökade minskade jämfört jämfört mellan totalt sammanlagt summa
    alltså också ändå egentligen faktiskt liksom typ ungefär bara just dock numera idag
    fortfarande ens särskilt speciellt främst sett
    bland runt bakom förutom via utifrån gällande angående själva olika egen eget egna helt
    vissa flera fler sånt sådant heter hette""".split()
)
# A verb in the past tense: unknown verbs say how, not what about; ablation misjudges them
_PAST_TENSE_RE = re.compile(r"(ade|ades|dde|ddes|te|tes)$")
_DEMONYM_RE = re.compile(r"(borna|bornas|bor|bon)$")
MIN_NAMED_IDF = 2.2  # a heading word this rare names an insats ("stöd" is too common)
ABLATION_DROP = -0.005  # similarity change when the word is removed; below = not addressed
TOP = 3  # passages that must address the question


def informative_words(question: str, municipality_words: set[str]) -> list[str]:
    words = re.findall(r"[^\W\d_][\w-]*", question)
    return [
        w
        for w in words
        if len(w) >= 4
        and w.lower() not in STOP_WORDS
        and w.lower() not in _GENERIC
        and w.lower() not in municipality_words
    ]


def without_word(question: str, word: str) -> str:
    """The question with one word taken out, to see what the word contributes."""
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", question)


def silence_reason(
    question: str,
    hits: list[Hit],
    *,
    lexical,
    embedder,
    similarities,
    heading_terms: set[str],
    municipality_words: set[str],
    municipality_terms: set[str] | None,
    thesaurus=None,
) -> str | None:
    """A Swedish reason why the reports do not answer `question`, or None if they may.

    `municipality_terms`: all terms of the reports of the one municipality asked about
    (None when the question is not about exactly one)."""
    if not hits:
        return "inga rapporter matchar sökningen"
    top = hits[:TOP]
    evidence_terms: set[str] = set()
    for hit in top:
        evidence_terms |= set(lexical.analyze(f"{hit.chunk.section} {hit.chunk.text}"))
    missing = {
        w: set(lexical.analyze(w)) - evidence_terms
        for w in informative_words(question, municipality_words)
    }
    missing = {w: terms for w, terms in missing.items() if terms}
    if not missing:
        return None
    base = None
    for word, terms in missing.items():
        whole = lexical.analyze(word)[:1]
        if thesaurus is not None and any(
            lexical.idf(t) for t in thesaurus.expansions(analyze(word), context=analyze(question))
        ):
            continue  # the caseworker's word for something the reports name otherwise
        if is_name(word, question) and not _known_name(word, lexical):
            # a place or an organisation no report mentions ("Hammarby", "Tillväxtverket"):
            # a passage about something else near it is no answer
            return f"rapporterna nämner inte {word}"
        if _DEMONYM_RE.search(word) and _known_name(word, lexical):
            continue  # "byborna", "Jämshögsborna": the inhabitants of a place the reports know
        if whole and lexical.idf(whole[0]):  # the corpus knows the word (not just its parts)
            named = {t for t in terms & heading_terms if lexical.idf(t) >= MIN_NAMED_IDF}
            if municipality_terms is not None and named and not named & municipality_terms:
                return f"rapporterna nämner inte {word}"
            continue
        if _PAST_TENSE_RE.search(word.lower()):
            continue  # "hoppade", "skickades": how a thing went, said in other words than asked
        if base is None:
            ids = [h.chunk.id for h in top]
            base = similarities(ids, embedder.embed_query(question))
        after = similarities(list(base), embedder.embed_query(without_word(question, word)))
        if max(base[i] - after[i] for i in base) < ABLATION_DROP:
            return f"inget i de bästa styckena handlar om {word}"
    return None


def is_name(word: str, question: str) -> bool:
    """A capitalised word that does not open the question: a proper name."""
    return word[:1].isupper() and not question.lstrip(" \"'”“").startswith(word)


def _known_name(word: str, lexical) -> bool:
    """Does the corpus use the name, or the place a demonym is of ("Jämshögsborna")?"""
    place = _DEMONYM_RE.sub("", word)  # "Hoforsborna" -> "Hofors"
    stems = {word, place, place.removesuffix("s")}  # "Jämshögsborna" -> "Jämshög"
    return any(lexical.idf(t) for stem in stems for t in lexical.analyze(stem)[:1] if t)
