"""Swedish text analysis for lexical (BM25) retrieval.

Choices and why:

* NFKC + lowercase first, so ligatures, full-width digits and the various
  no-break/thin spaces that PDF extraction produces all look alike.
* Numbers written with digit-group spaces ("1 200 000 kr") are joined into one
  term ("1200000"): reports write amounts that way, and a caseworker searching
  for an amount types it the same way; as separate terms "200" and "000" would
  match almost every table. Only groups of exactly three digits after a 1-3
  digit lead are joined, so "år 2023 200 barn" stays "2023", "200".
* Stop words: a compact list of function words (pronouns, prepositions,
  auxiliaries, conjunctions, frequent adverbs) plus abbreviation fragments
  ("bl.a." -> "bl", "a"). Content words, also frequent ones like "kommun",
  stay: IDF already discounts them, and removing them would break queries
  like "kommunens ekonomi".
* Snowball Swedish stemming: light, predictable, and pure Python (no model).
  Stems are cached, because the same few thousand words recur in every chunk.
* Compounds. Swedish writes "sommarlovsaktiviteter" where a question may say
  "aktiviteter under sommarlovet". ``CompoundSplitter`` splits long words into
  2-3 parts that are attested in the indexed corpus itself (no external
  lexicon to ship, and the vocabulary is the domain's own), allowing the
  linking morphemes s/e/a/u/o at the joints, and choosing the split whose
  parts are most frequent (geometric mean, Koehn & Knight 2003). Unlike K&K
  we do not let the unsplit word compete: the whole-word stem is always
  emitted too, so the parts only add recall, and IDF keeps frequent parts
  cheap. A part counts as attested when it is a corpus word or a corpus stem;
  comparing against stems is what lets the modifier "skol" of "skolgård" or
  the bare "sommarlov" (corpus only has "sommarlovet") be recognised.
  Parts must have >= 3 letters and may not be stop words ("för|skola",
  "upp|följning" are prefixes, not compounds); on equal scores the split
  with fewer parts wins. Known cost of always splitting: words like
  "ungdomar" can split into attested "ung|domar"; the extra terms are rare
  in this domain and the whole-word stem still ranks exact matches first.
* Derivational suffixes. Snowball strips inflection and -het/-else but keeps
  -skap and -ning, so "föräldraskap" and "föräldrar" share no term. For any
  stem ending in -skap/-ning/-het/-else with >= 4 letters left, the stem of the
  base is emitted as an extra term (föräldraskap -> föräldr, utbildning ->
  utbild). This is a small, general rule rather than a list of sample words.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

import snowballstemmer

__all__ = [
    "STOP_WORDS",
    "CompoundSplitter",
    "analyze",
    "analyze_tokens",
    "derived_base",
    "stem",
    "tokenize",
    "word_terms",
]

STOP_WORDS: frozenset[str] = frozenset(
    """
    alla allt andra annan annat att av bara blev bli blir blivit både
    cirka då de dem den denna dess dessa det detta dig din dina ditt dock du där
    efter ej eller emellertid en endast enligt er era ert ett exempelvis
    finns från får för före genom går ha hade han hans har hela hennes henne
    hit hon honom hos hur här i icke in ingen inget inga inom inte inför ju
    jag kan kommer kring kunde kunna kr man med mellan men mer mest mig min mina
    mitt mot mycket många måste ni nu när någon något några både och också om
    oss på per redan samma samt sedan sig sin sina sitt sitta ska skall skulle
    själv så sådan sådana sådant säger till tills två under upp ut utan vad
    var vara varför varit varje vars vart vem vi vid vilka vilkas vilken vilket
    vill vår våra vårt än är år åt även över
    bl ca dvs etc ex fr mm osv resp st tex ff tom
    """.split()
)

# Digit groups "1 200 000" (space after NFKC covers NBSP/thin space) or any
# run of letters/digits. Underscore is excluded from words on purpose.
_TOKEN_RE = re.compile(r"(?<!\d)\d{1,3}(?: \d{3})+(?![\d])|[^\W_]+")
_LINKS = ("s", "e", "a", "u", "o")
_DERIVATIONAL = ("skap", "ning", "het", "else")
_MIN_PART = 3
_MIN_COMPOUND = 8
_MIN_BASE = 4

# A snowballstemmer object keeps state between calls and is not thread-safe (the web app
# answers several questions at once): one stemmer per thread.
_local = threading.local()
_stem_cache: dict[str, str] = {}


def _thread_stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("swedish")
    return stemmer


def stem(word: str) -> str:
    """Snowball Swedish stem of a lowercase word (cached)."""
    s = _stem_cache.get(word)
    if s is None:
        s = _thread_stemmer().stemWord(word)
        if len(s) >= 6 and s.endswith("et") and s[-3] not in "aeiouyåäö":
            # Snowball keeps the neuter definite "-et" after a consonant cluster
            # ("löftet", "projektet", "samhället"); the base forms stem without it.
            s = _thread_stemmer().stemWord(s[:-2])
        if len(_stem_cache) < 500_000:  # bound memory on pathological input
            _stem_cache[word] = s
    return s


def tokenize(text: str) -> list[str]:
    """Normalised content tokens (surface forms, stop words removed)."""
    text = unicodedata.normalize("NFKC", text).lower()
    out = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group().replace(" ", "")
        if tok in STOP_WORDS:
            continue
        if len(tok) == 1 and not tok.isdigit():
            continue  # fragments of abbreviations like "t.ex.", "m.m."
        out.append(tok)
    return out


def derived_base(s: str) -> str | None:
    """Stem of the base of a derived stem (föräldraskap -> föräldr), if any."""
    for suffix in _DERIVATIONAL:
        if s.endswith(suffix) and len(s) - len(suffix) >= _MIN_BASE:
            return stem(s[: -len(suffix)])
    return None


def word_terms(word: str, splitter: CompoundSplitter | None = None) -> list[str]:
    """Index terms for one token: its stem, derived base, and compound parts."""
    if word.isdigit():
        return [word]
    s = stem(word)
    terms = [s]
    base = derived_base(s)
    if base:
        terms.append(base)
    if splitter is not None:
        for part in splitter.split(word):
            for t in (part, derived_base(part)):
                if t and t not in terms:
                    terms.append(t)
    return terms


# Terms per token when no splitter is given (queries before any index exists).
_plain_terms_cache: dict[str, list[str]] = {}


def analyze(text: str, vocabulary: CompoundSplitter | None = None) -> list[str]:
    """BM25 terms of a text; with a splitter, compound parts are added."""
    return analyze_tokens(tokenize(text), vocabulary)


def analyze_tokens(tokens: Iterable[str], vocabulary: CompoundSplitter | None = None) -> list[str]:
    """Terms of already tokenized text (lets an index cache token lists)."""
    out: list[str] = []
    cache = vocabulary._terms_cache if vocabulary is not None else _plain_terms_cache
    for tok in tokens:
        terms = cache.get(tok)
        if terms is None:
            terms = word_terms(tok, vocabulary)
            if len(cache) < 500_000:
                cache[tok] = terms
        out.extend(terms)
    return out


class CompoundSplitter:
    """Splits compounds into parts attested in a corpus vocabulary.

    ``frequencies`` maps surface tokens (as produced by :func:`tokenize`) to
    their corpus counts. ``split(word)`` returns the stems of the parts, or
    an empty list when no split into attested parts exists.
    """

    def __init__(self, frequencies: Mapping[str, int]):
        self._surface: dict[str, int] = {w: c for w, c in frequencies.items() if not w.isdigit()}
        stems: Counter[str] = Counter()
        for w, c in self._surface.items():
            stems[stem(w)] += c
        self._stems: dict[str, int] = dict(stems)
        self._split_cache: dict[str, list[str]] = {}
        self._best_cache: dict[tuple[str, int], tuple[tuple, list] | None] = {}
        self._terms_cache: dict[str, list[str]] = {}  # used by analyze()

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> CompoundSplitter:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(tokenize(text))
        return cls(counts)

    def __len__(self) -> int:
        return len(self._surface)

    def split(self, word: str) -> list[str]:
        """Stems of the best 2-3 part split of ``word``, or [] if none."""
        if len(word) < _MIN_COMPOUND or not word.isalpha():
            return []
        cached = self._split_cache.get(word)
        if cached is None:
            best = self._best(word, max_parts=3)
            self._best_cache.clear()  # only useful within one word
            cached = [s for s, _ in best[1]] if best else []
            self._split_cache[word] = cached
        return cached

    # -- internals -------------------------------------------------------

    def _freq(self, s: str) -> int:
        return max(self._surface.get(s, 0), self._stems.get(s, 0))

    def _modifier(self, part: str) -> tuple[str, int] | None:
        """(stem, freq) of a non-final part, accepting a linking morpheme.

        Only dictionary look-ups here (no stemming of every prefix): this runs
        O(len(word)^2) times per word. Modifiers are usually bare stems
        ("sommarlov", "skol"), which the stem table covers.
        """
        candidates = [part]
        if part[-1] in _LINKS and len(part) - 1 >= _MIN_PART:
            candidates.append(part[:-1])
        best = None
        for c in candidates:
            if c in STOP_WORDS:
                continue
            f = self._freq(c)
            if not f and c.endswith(_DERIVATIONAL):
                # a derivation whose base is attested: "föräldraskap"
                f = self._stems.get(derived_base(c) or "", 0)
            if f and (best is None or f > best[1]):
                best = (c, f)
        return (stem(best[0]), best[1]) if best else None

    def _head(self, part: str) -> tuple[str, int] | None:
        """(stem, freq) of the final part; it carries the inflection."""
        if part in STOP_WORDS:
            return None
        if part in self._surface:
            s = stem(part)
            return s, self._stems[s]  # all inflections count, as for modifiers
        # Snowball only strips suffixes, so the stem is a prefix of the part:
        # if no prefix is a known stem, skip the (comparatively slow) stemmer.
        if not any(part[:j] in self._stems for j in range(_MIN_PART, len(part) + 1)):
            return None
        s = stem(part)
        f = self._stems.get(s, 0)
        return (s, f) if f else None

    def _best(self, word: str, max_parts: int) -> tuple[tuple, list] | None:
        """Best split of ``word`` into 2..max_parts parts: (score, [(stem, freq)])."""
        key = (word, max_parts)
        if key in self._best_cache:
            return self._best_cache[key]
        best: tuple[tuple, list] | None = None
        for i in range(_MIN_PART, len(word) - _MIN_PART + 1):
            first = self._modifier(word[:i])
            if first is None:
                continue
            rest = word[i:]
            options = []
            head = self._head(rest)
            if head:
                options.append([first, head])
            if max_parts > 2 and len(rest) >= 2 * _MIN_PART:
                sub = self._best(rest, max_parts - 1)
                if sub:
                    options.append([first, *sub[1]])
            for parts in options:
                # Equal means: fewer (so longer) parts are the safer reading.
                score = (_geometric_mean([f for _, f in parts]), -len(parts))
                if best is None or score > best[0]:
                    best = (score, parts)
        self._best_cache[key] = best
        return best


def _geometric_mean(values: list[int]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))
