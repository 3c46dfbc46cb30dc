"""Do the retrieved passages answer the question at all, or are the reports silent?

A dense similarity alone cannot tell: a question about something the reports never mention
("Vilka kommuner har byggt en sporthall?") scores as high against the nearest passage as a
paraphrase of something they do mention. Three narrower signals can:

1. A *name* no report uses ("Hammarby", "Tillväxtverket"): a passage about something else
   near it is no answer.
2. A word the corpus *does not know* that the passages do not respond to. Removing the word
   from the question and re-embedding it should lower the similarity to the best passages if
   they are about it (a paraphrase: "sportprylar" for sports equipment); if the similarity
   rises, the passages match the rest of the question, not this word ("sporthall").
3. A *topic* no report of the municipality asked about names. "Vad har Filipstad gjort för
   att bygga ut bredbandet?": the topic's first word (after the preposition; after "för att"
   the verb is skipped) in no report of Filipstad, nor a compound, inflection or thesaurus
   synonym of it; the overview sentences that match the rest are no answer. Asked of all
   reports ("Har någon kommun erbjudit skuldrådgivning?"), in no report at all.

Signals 1 and 2 are checked only for the question's informative words that the best passages
do not contain (the word completing "hur", "stor" of "Hur stor andel", aside).

Thresholds (the settings `answer.silence.*`) were calibrated on the dev split of
tests/data/questions.json (benchmarks/calibrate.py) and were reported with the held-out split
when they were set (git log).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapport_settings import SilenceSettings
from vectorstore.records import Hit
from vectorstore.swedish import STOP_WORDS, analyze

if TYPE_CHECKING:
    from assistant.qa.question import Question

# Question words and generic report vocabulary: never what a question is about.
_GENERIC = set(
    """hur vad vilka vilken vilket många mycket kommuner kommun kommunen kommunens när var vem
    varför finns gjorde gör göra gjort har hade haft fick får arbetar jobbar redovisar säger står
    rapporten rapporterna året åren insatser insats insatsen insatserna arbetet lade lagt lägga
    kostade kostar kosta arbetat användes använde gick blev förändrades förändrats förändring
    utvecklades utvecklats
    ökade minskade jämfört jämfört mellan totalt sammanlagt summa
    alltså också ändå egentligen faktiskt liksom typ ungefär bara just dock numera idag
    fortfarande ens särskilt speciellt främst sett
    bland runt bakom förutom via utifrån gällande angående själva olika egen eget egna helt
    vissa flera fler sånt sådant heter hette""".split()
)
# A verb in the past tense: unknown verbs say how, not what about; ablation misjudges them
PAST_TENSE_RE = re.compile(r"(ade|ades|dde|ddes|te|tes)$")
_DEMONYM_RE = re.compile(r"(borna|bornas|bor|bon)$")


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
    question: Question,
    hits: list[Hit],
    *,
    lexical,
    embedder,
    similarities,
    municipality_words: set[str],
    municipality_terms: set[str] | None,
    thesaurus=None,
    all_terms: set[str] | None = None,
    settings: SilenceSettings | None = None,
) -> str | None:
    """A Swedish reason why the reports do not answer `question` (parsed: its informative
    words and topic, assistant/qa/question.py), or None if they may.

    `municipality_terms`: all terms of the reports of the one municipality asked about
    (None when the question is not about exactly one); `all_terms`: those of all reports.
    `settings`: how many of the best passages must address the question, and the similarity
    change that says they do not (default: the defaults of `answer.silence`)."""
    settings = settings if settings is not None else SilenceSettings()
    if not hits:
        return "inga rapporter matchar sökningen"
    text = question.text
    if municipality_terms is not None:
        head = question.topic
        if head and not _covered(head, municipality_terms, lexical, thesaurus, text):
            return f"kommunens rapporter nämner inte {head}"
    elif all_terms is not None:
        head = question.any_topic
        if head and not _covered(head, all_terms, lexical, thesaurus, text):
            return f"rapporterna nämner inte {head}"
    top = hits[: settings.passages]
    evidence_terms: set[str] = set()
    for hit in top:
        evidence_terms |= set(lexical.analyze(f"{hit.chunk.section} {hit.chunk.text}"))
    missing = {
        w: set(lexical.analyze(w)) - evidence_terms for w in question.words if w != question.frame
    }
    missing = {w: terms for w, terms in missing.items() if terms}
    if not missing:
        return None
    base = None
    for word in missing:
        rest = _after_place(word, municipality_words)
        if rest and lexical.idf((lexical.analyze(rest) or [""])[0]):
            continue  # "Filipstadselever": the municipality's elever, a word the corpus knows
        whole = lexical.analyze(word)[:1]
        if thesaurus is not None and any(
            lexical.idf(t) for t in thesaurus.expansions(analyze(word), context=analyze(text))
        ):
            continue  # the caseworker's word for something the reports name otherwise
        if is_name(word, text) and not _known_name(word, lexical):
            # a place or an organisation no report mentions ("Hammarby", "Tillväxtverket"):
            # a passage about something else near it is no answer
            return f"rapporterna nämner inte {word}"
        if _DEMONYM_RE.search(word) and _known_name(word, lexical):
            continue  # "byborna", "Jämshögsborna": the inhabitants of a place the reports know
        if whole and lexical.idf(whole[0]):  # the corpus knows the word (not just its parts)
            continue
        if PAST_TENSE_RE.search(word.lower()):
            continue  # "hoppade", "skickades": how a thing went, said in other words than asked
        if base is None:
            ids = [h.chunk.id for h in top]
            base = similarities(ids, embedder.embed_query(text))
        after = similarities(list(base), embedder.embed_query(without_word(text, word)))
        # the similarity change when the word is removed; below the setting: not addressed
        if max(base[i] - after[i] for i in base) < settings.ablation_drop:
            return f"inget i de bästa styckena handlar om {word}"
    return None


def is_name(word: str, question: str) -> bool:
    """A capitalised word that does not open the question: a proper name."""
    return word[:1].isupper() and not question.lstrip(" \"'”“").startswith(word)


def _after_place(word: str, municipality_words: set[str]) -> str | None:
    """What follows a municipality's name in a compound ("elever" of "Filipstadselever")."""
    lowered = word.lower()
    for name in sorted(municipality_words, key=len, reverse=True):
        if len(name) >= 4 and lowered.startswith(name) and len(lowered) - len(name) >= 3:
            return lowered[len(name) :]
    return None


def _known_name(word: str, lexical) -> bool:
    """Does the corpus use the name, or the place a demonym is of ("Jämshögsborna")?"""
    place = _DEMONYM_RE.sub("", word)  # "Hoforsborna" -> "Hofors"
    stems = {word, place, place.removesuffix("s")}  # "Jämshögsborna" -> "Jämshög"
    return any(lexical.idf(t) for stem in stems for t in lexical.analyze(stem)[:1] if t)


def _covered(word: str, terms: set[str], lexical, thesaurus, question: str) -> bool:
    """Do a municipality's report terms use the word, a compound or inflection of it
    ("arbetsmarknadsenheten", "frånvaro" for "frånvaron") or a thesaurus synonym?"""
    # the whole word and the first part of a compound, which says what kind ("föräldr" of
    # "föräldrastöd"); not the head: "centrum" is no "lärcentrum"
    analysed = lexical.analyze(word)
    stems = set(analysed[:1]) | {p for p in analysed[1:2] if len(analysed) > 2 and len(p) >= 5}
    if thesaurus is not None:
        stems |= set(thesaurus.expansions(analyze(word), context=analyze(question)))
    if stems & terms:
        return True
    cores = {s[: max(4, len(s) - 2)] for s in stems if len(s) >= 4}
    return any(core in t for core in cores for t in terms)
