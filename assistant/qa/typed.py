"""Typed evidence: whether the passages hold the kind of fact a question asks for.

For a question that asks for a kind of fact (a count, a share, an amount of money, a name, a
split by gender, a language), only the candidate sentences that hold one about the question's
topic answer it; when none does, the reports do not answer, and a Swedish reason says why
("rapporterna anger ingen siffra för det som efterfrågas").
"""

from __future__ import annotations

import re

from assistant.qa.evidence import Evidence
from assistant.qa.question import FEMALE, LANGUAGE_RE, MALE, NOT_COUNTED, Question
from assistant.qa.retrieve import Retriever
from assistant.qa.verify import numbers_in
from ingest.records import Chunk
from vectorstore.swedish import STOP_WORDS, analyze

# Questions that ask what something cost: only an amount of money answers them.
_MONEY_RE = re.compile(
    r"\d[\d\s]*(?:,\d+)?\s*(kr|kronor|tkr|mnkr|mkr|miljoner|miljon|msek|sek)\b", re.I
)
# "Hur många deltog i den nya gruppen ...?": the new one and a figure in one clause ("58
# deltagare och ett nytt spår" counts the participants, not the new track)
_CLAUSE_RE = re.compile(
    r",\s*(?:och|men|medan)\s+|;\s*|\s+och\s+(?=(?:en|ett)\s+(?:ny|nytt|extra)\b)", re.I
)
_NEW_RE = re.compile(r"\b(ny|nya|nytt|nystart\w*|extra|start\w*)\b", re.IGNORECASE)
_NUMBER_WORDS = set(
    """en ett två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton
    sjutton arton nitton tjugo trettio fyrtio femtio hundra tusen båda""".split()
)
# "Hur många av deltagarna var kvinnor?": a sentence that names them
_GENDER_RE = {
    "female": re.compile(rf"\b(?:{FEMALE})\b", re.I),
    "male": re.compile(rf"\b(?:{MALE})\b", re.I),
}
# What a person's name looks like: two capitalised words inside a sentence, the first not the
# definite form of an organisation ("Samordningsförbundet Dalsland", "Region Värmland")
_PERSON_NAME_RE = re.compile(
    r"(?<![.:!?]\s)(?<!^)\b(?!(?:Region|Destination|Östra|Västra|Norra|Södra|Nya|Stora|Lilla)\b)"
    r"([A-ZÅÄÖ][a-zåäöéü]{1,11})(?<!en)(?<!et)\s+([A-ZÅÄÖ][a-zåäöéü]+)(?<!en)(?<!et)(?<!na)\b"
)
_PERCENT_RE = re.compile(r"\d\s*(%|procent\b)", re.IGNORECASE)
_PERCENT_FIGURE_RE = re.compile(r"\d[\d\s]*(?:,\d+)?\s*(?:%|procent\b)", re.IGNORECASE)
_UNIT_WORDS = {
    "procent",
    "andel",
    "andelen",
    "procentuella",
    "procentuellt",
    "hög",
    "höga",
    "stor",
    "stora",
}
_YEAR_RE = re.compile(r"20[0-3]\d")
_WORD_RE = re.compile(r"\d[\d ]*(?:,\d+)?|[^\W\d_][\w-]*")
# the noun's number went from one figure to another
_CHANGE_OF_COUNT_RE = re.compile(
    r"\b(?:ökade|minskade|steg|sjönk|gick)\s+(?:\w+\s+){0,3}?från\s+\d", re.I
)


_PHRASE_BREAK_RE = re.compile(r"[();:]")


def _linked_by_function_word(between: list[str]) -> bool:
    """A preposition or conjunction between a figure and a noun: "årskurs 8 och 9 samt till
    unga" counts no young people (number words aside: "44 av de 52 vårdnadshavarna")."""
    return any(w.lower() in STOP_WORDS and w.lower() not in _NUMBER_WORDS for w in between)


def counts(text: str, noun_terms: set[str], analyze) -> bool:
    """Does `text` give a number of the noun: a figure or number word at most two words
    before a word with one of `noun_terms` ('41 vårdnadshavare', 'fyra nya skolvärdar'), or
    'antalet <noun> ...' with a figure in the same sentence?"""
    # a year is no count: "november 2024 för vårdnadshavare"
    found = [m for m in _WORD_RE.finditer(text) if not _YEAR_RE.fullmatch(m.group().strip())]
    words = [m.group() for m in found]
    has_figure = any(w[0].isdigit() for w in words)
    for n, word in enumerate(words):
        if set(analyze(word)) & noun_terms:
            # a figure counts the noun only within one phrase: "sju ABC-grupper (Alla Barn i
            # Centrum)" counts groups, not children
            before = [
                m.group().lower()
                for k, m in enumerate(found[max(0, n - 3) : n], start=max(0, n - 3))
                if not _PHRASE_BREAK_RE.search(text[m.end() : found[n].start()])
                and not _linked_by_function_word(words[k + 1 : n])
            ]
            # "en"/"ett" is an article more often than a count: "får en personlig coach" is
            # no count of persons
            if any(w[0].isdigit() or w in _NUMBER_WORDS - {"en", "ett"} for w in before):
                return True
            if has_figure and any(w.startswith("antal") for w in before):
                return True
            if _CHANGE_OF_COUNT_RE.search(" ".join(words[n + 1 :])):
                return True  # "Utlånen ... ökade från 1 240 år 2022 till 1 870 år 2023"
    return False


def mentions(text: str, terms: set[str], analyze) -> bool:
    """Does `text` have one of `terms`, also as the head or first part of a compound the
    index did not split ("skol" in "Knislingeskolan")?"""
    if terms & set(analyze(text)):
        return True
    lowered = text.lower()
    return any(len(t) >= 4 and t in lowered for t in terms)


def passage_names(ev: Evidence, terms: set[str], analyze) -> bool:
    """Does the passage a sentence stands in (its heading and text) name one of `terms`?"""
    return mentions(f"{ev.chunk.section} {ev.chunk.text}", terms, analyze)


def _word_and_modifier(terms: list[str]) -> list[str]:
    """From a word's analysis (the whole word's stem, then its compound parts in order): the
    word and its first part, the one that says which kind ("sommarlov" in
    "sommarlovsverksamhet"); a short first part is more often a wrong split ("som|mar|kurs")."""
    return terms[:2] if len(terms) > 2 and len(terms[1]) >= 4 else terms[:1]


def _compound_head(terms: list[str], hyphenated: bool = False) -> tuple[str, str] | None:
    """(first part, head) of a word the index splits in two ("enkätsvar" -> enkät, svar;
    "ABC-grupper" -> abc, grupp), or None: a split into more parts, or with a short first
    part, is often wrong ("som|mar|kurs")."""
    if len(terms) == 3 and len(terms[1]) >= 4 and len(terms[2]) >= 3:
        return terms[1], terms[2]
    if hyphenated and len(terms) == 2:
        return terms[0], terms[1]
    return None


def _figures(text: str) -> set[str]:
    """The figures of `text`, years aside ("färre deltagare än 2023" gives no count)."""
    return {n for n in numbers_in(text) if not _YEAR_RE.fullmatch(n)}


def _has_count(text: str) -> bool:
    """A figure other than a year, or a number word other than "en"/"ett" ("elva evenemang";
    "en ny grupp" counts nothing)."""
    words = {w.lower() for w in re.findall(r"\w+", text)}
    return bool(_figures(text) or (words & _NUMBER_WORDS) - {"en", "ett"})


def gives_money(text: str) -> bool:
    """An amount of money: a budget/utfall table row, or a figure with a currency unit."""
    return (" | " in text and bool(re.search(r"\d", text))) or bool(_MONEY_RE.search(text))


_AMOUNT_CELL_RE = re.compile(
    r"[-+−–]?\s*\d[\d\s.,]*\s*(%|procent|kr|kronor|tkr|mnkr|mkr|st)?\.?", re.IGNORECASE
)


def _is_header_line(line: str) -> bool:
    """A line of table cells none of which is an amount: "Insats | Budget 2024 (kr) |
    Utfall i %" is a header (a year or unit inside a column name is no amount), "Feriejobb |
    740 tkr | 812 tkr" a row."""
    cells = [c.strip() for c in line.split("|")]
    return len(cells) > 1 and not any(c and _AMOUNT_CELL_RE.fullmatch(c) for c in cells)


def table_header(chunk: Chunk, row: str) -> list[str] | None:
    """The header cells of the table a row belongs to (the last cell line above it without
    an amount in any cell), so that '195 000' can be said to be the budget."""
    header = None
    for line in chunk.text.split("\n"):
        if line.strip() == row:
            return header
        if " | " in line and _is_header_line(line):
            header = [c.strip() for c in line.split("|")]
    return None


def row_text(ev: Evidence) -> str:
    """What a sentence says; for a table row, its cells with the column names above them
    ("Budget 2024 (kr)", "Utfall i %"): a share of the budget is asked of the row."""
    header = table_header(ev.chunk, ev.text) if " | " in ev.text else None
    return f"{' '.join(header)} {ev.text}" if header else ev.text


def _money_row(ev: Evidence) -> bool:
    """A row of a table of amounts: budget, outcome, costs."""
    if " | " not in ev.text:
        return False
    header = table_header(ev.chunk, ev.text) or []
    amounts = re.search(
        r"budget|utfall|kostnad|belopp|\bkr\b|kronor|tkr|mnkr|mkr", " ".join(header), re.I
    )
    return bool(amounts)


class TypedEvidence:
    """Filters the candidate evidence of a parsed question down to the sentences that hold
    the asked kind of fact (the Answerer's gate calls it before the calibrated reader)."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.store = retriever.store

    def typed_evidence(
        self,
        question: Question,
        candidates: list[Evidence],
        year: int | None = None,
    ) -> tuple[list[Evidence], str | None]:
        """The candidate evidence, and for a question that asks for a kind of fact (a figure,
        a date, opening hours) only the sentences that hold one; with the reason why the
        reports do not answer when none does. `year`: only sentences that name it (a year
        asked about in the next year's report)."""
        evidence = candidates
        if not evidence:
            return [], "bara allmänna formuleringar som står i nästan alla rapporter liknar frågan"
        if year is not None:
            evidence = [ev for ev in evidence if re.search(rf"\b{year}\b", ev.text)]
            if not evidence:
                return [], f"den nämner inte {year} i det som efterfrågas"
        if question.gender_split is not None:
            # "Hur fördelade sig deltagarna mellan flickor och pojkar?": only a sentence that
            # counts one of them answers ("ska nå både flickor och pojkar" is an aim), about
            # what is asked (the split of the feriejobb is not that of the samtalsgrupper)
            evidence = [
                ev
                for ev in evidence
                if any(p.search(ev.text) for p in _GENDER_RE.values())
                and _has_count(ev.text)
                and self._about(question.gender_split, f"{ev.chunk.section} {ev.text}")
            ]
            if not evidence:
                return [], "rapporterna delar inte upp det efter kön"
        languages = question.languages
        if languages:
            # "Hur många fick föräldraskapsstöd på somaliska?": a sentence that names it
            evidence = [ev for ev in evidence if languages & set(LANGUAGE_RE.findall(ev.text))]
            if not evidence:
                return (
                    [],
                    f"rapporterna nämner inte {' eller '.join(sorted(languages))} i det som "
                    f"efterfrågas",
                )
        if question.quantity:
            evidence = self._with_figures(question, evidence)
            if not evidence:
                return [], "rapporterna anger ingen siffra för det som efterfrågas"
        elif question.asks_name:
            evidence = [ev for ev in evidence if self._names(ev.text, question)]
            # the sentence names what is asked about: "Vad heter fältassistenten ...?" is not
            # answered by a name in a sentence without a fältassistent, "Vilka industriföretag
            # ...?" not by a list of partners
            words = question.named_words
            if words:
                terms = set().union(*map(self._kind_terms, words))
                analyze_ = self.store.lexical().analyze
                evidence = [ev for ev in evidence if mentions(ev.text, terms, analyze_)]
            if question.person:
                # "Vad heter samordnaren ...?" asks for a person: "Samordningsförbundet
                # Dalsland" in a sentence about coordination is no answer
                places = self.retriever.place_names()
                evidence = [
                    ev
                    for ev in evidence
                    if any(
                        not {a.lower(), b.lower()} & places
                        for a, b in _PERSON_NAME_RE.findall(ev.text)
                    )
                ]
            if not evidence:
                return [], "rapporterna anger inget namn på det som efterfrågas"
        return evidence, None

    def _with_figures(self, question: Question, evidence: list[Evidence]) -> list[Evidence]:
        """For 'Hur många/mycket ...' only sentences and table rows that give a figure and
        share a word with the question answer it; a figure about something else does not."""
        lexical = self.store.lexical()
        words = list(question.words)
        noun = question.counted_noun
        if question.new_one:
            # the new one and a figure in one clause: "deltog 52 föräldrar i Stöd i
            # föräldrarollen, och en ny grupp ... startade" counts all, not the new group
            evidence = [
                ev
                for ev in evidence
                if any(_NEW_RE.search(c) and _has_count(c) for c in _CLAUSE_RE.split(ev.text))
            ]
        if noun:
            return self._counting(question, noun, evidence, words)
        if question.counts:
            # "Hur många deltog i medborgardialogen?": "deltog" is how a count is asked; the
            # figure must come with what it is a count of
            words = [w for w in words if w.lower() not in NOT_COUNTED]
        counts_people = question.counts and not (
            question.partitive  # a part of a whole: "80 procent av barnen"
            or question.percent
            or question.money
        )
        if counts_people:
            # "Hur många besökte drop-in?": a count, which "74 procent" of something is not
            # nor a row of the budget table ("E-tjänster | 260 000 | 251 500")
            evidence = [
                ev
                for ev in evidence
                if _figures(_PERCENT_FIGURE_RE.sub(" ", ev.text)) and not _money_row(ev)
            ]
        if question.percent:
            # "Hur hög var arbetslösheten i procent?", "Hur stor andel av deltagarna var
            # kvinnor?": a percentage of the most specific thing asked about.
            # The passage names the rest of the question: "Bland utrikes födda var
            # arbetslösheten 31,4 procent" in a passage on the municipality's population does
            # not give the share of the foreign-born among an insats's participants.
            words = [w for w in words if w != question.frame]
            focus = self._focus(words)
            others = (
                {t for w in words for t in lexical.analyze(w)[:1] if lexical.idf(t)}
                - focus
                - {t for w in _UNIT_WORDS for t in lexical.analyze(w)}
            )
            out = []
            for ev in evidence:
                said = set(lexical.analyze(row_text(ev)))
                if not (_PERCENT_RE.search(ev.text) and focus & said):
                    continue
                rest = others - said
                if not rest or passage_names(ev, rest, lexical.analyze):
                    out.append(ev)
            return out
        # a locality places the question ("i Kopparberg"); it does not say which figure
        places = self.retriever.place_words()
        words = [w for w in words if w.lower() not in places]
        # the figure of the thing asked about: the word itself or, for a compound, its first
        # part ("sommarlovsverksamheten" ~ "Sommarlovsaktiviteter"); a row on
        # "Platsutveckling" does not give what "den nya badplatsen" cost because both end in
        # "plats"
        wanted = {t for w in words for t in _word_and_modifier(lexical.analyze(w))}
        if self.retriever.thesaurus and not question.money:
            # "socialbidraget" is answered by "ekonomiskt bistånd"; a cost is not answered
            # by another line of the budget table that a broad synonym happens to match
            wanted |= set(self.retriever.thesaurus.expansions(analyze(" ".join(words))))
        out = [
            ev
            for ev in evidence
            if (_figures(ev.text) or gives_money(ev.text))
            and wanted & set(lexical.analyze(f"{ev.chunk.section} {ev.text}"))
        ]
        if question.money:
            # "Hur mycket sjönk kostnaderna ...?" is also answered by a change in percent
            change = question.change
            out = [
                ev for ev in out if gives_money(ev.text) or (change and _PERCENT_RE.search(ev.text))
            ]
        return out

    def _shared_group(self, word: str, other: str) -> set[str]:
        """What two words listed together are both part of ("mammor och pappor" ->
        föräldrar, vårdnadshavare): the terms their thesaurus groups share."""
        thesaurus = self.retriever.thesaurus
        if not thesaurus:
            return set()
        return set(thesaurus.expansions(analyze(word))) & set(thesaurus.expansions(analyze(other)))

    def _focus(self, words: list[str]) -> set[str]:
        """The question's most specific word that the reports use (its rarest, unit words
        such as "procent" aside; a word they do not use stands for its closest synonyms),
        with its closest synonyms; empty if none is known."""
        lexical = self.store.lexical()
        thesaurus = self.retriever.thesaurus
        known = []
        forms: dict[str, set[str]] = {}
        for word in words:
            analysed = lexical.analyze(word)
            if word.lower() in _UNIT_WORDS or not analysed:
                continue
            if lexical.idf(analysed[0]):
                known.append(analysed[0])
                # the index's other forms of the same word ("ärendena" -> ärenden, ärend)
                forms[analysed[0]] = {t for t in analysed[1:] if len(t) >= 4 and lexical.idf(t)}
            elif thesaurus:  # "sommarjobbarna", "tjejer": the reports' "feriejobb", "flickor"
                known += [t for t in thesaurus.closest(set(analyze(word))) if lexical.idf(t)]
        if not known:
            return set()
        rarest = max(known, key=lexical.idf)
        focus = {rarest} | forms.get(rarest, set())
        if thesaurus:
            focus |= thesaurus.closest(focus)
        return focus

    def _about(self, words: tuple[str, ...], text: str) -> bool:
        """Does `text` name one of the question's informative `words` (or a close synonym,
        or a compound part of one), "språk" aside?"""
        lexical = self.store.lexical()
        words = [w for w in words if w.lower() != "språk"]
        terms = {t for w in words for t in self._kind_terms(w) if lexical.idf(t)}
        return mentions(text, terms, lexical.analyze)

    def _kind_terms(self, word: str) -> set[str]:
        """'industriföretag' -> the word, its head ('företag') and their closest synonyms."""
        analysed = self.store.lexical().analyze(word)
        terms = set(analysed[:1]) | set(analysed[-1:])
        if self.retriever.thesaurus:
            terms |= self.retriever.thesaurus.closest(set(analyze(word)))
        return terms

    def _names(self, text: str, question: Question) -> list[str]:
        """Proper names in `text` that could answer 'Vad heter ...?': capitalised words that
        do not open a sentence or list item, are not in the question, and name neither an
        insats (a section heading: "Bidraget har använts till: Feriejobb, ...") nor a
        municipality."""
        analyze = self.store.lexical().analyze
        asked = question.asked
        headings = self.retriever.heading_terms()
        municipality_words = self.retriever.municipality_words()
        names = []
        for m in re.finditer(r"(?<![.:!?,;|]\s)(?<!^)\b([A-ZÅÄÖ][\w-]+)", text.strip()):
            word = m.group(1)
            if (
                word.lower() in asked
                or word.lower() in municipality_words
                or word.lower() in STOP_WORDS
            ):
                continue  # "3 Insatser Feriejobb Under 2024 ...": a heading glued on
            if text[: m.start()].endswith(" i "):
                continue  # "Arbetsgivarna i Torsåker": a place, not the name asked for
            if set(analyze(word)[:1]) & headings:  # the whole word, not a part ("Knislingeskolan")
                continue
            names.append(word)
        return names

    def _counting(
        self, question: Question, noun: str, evidence: list[Evidence], words: list[str]
    ) -> list[Evidence]:
        """'Hur många X ...?': sentences that give a number of X (or of a close synonym),
        from a passage that also has another of the question's words. X unknown to the
        reports and to the thesaurus: no report counts it; known to the thesaurus only
        ("ungdomsarbetare"): a count of its broad synonyms ("tre fältassistenter")."""
        lexical = self.store.lexical()
        thesaurus = self.retriever.thesaurus
        analysed = lexical.analyze(noun)
        terms = set(analysed[:1]) if lexical.idf(analysed[0]) else set()
        # "extra vuxna" are the reports' "skolvärdar" and "elevcoacher"
        phrase = question.counted_phrase
        near = thesaurus.closest(set(analyze(phrase))) if thesaurus else set()
        terms |= {t for t in near if lexical.idf(t)}
        named = set(terms)
        pair = question.counted_pair
        if pair:
            # "mammor och pappor", "tjejer och killar": both together, which the word their
            # groups share names ("41 vårdnadshavare")
            terms |= {t for t in self._shared_group(noun, pair) if lexical.idf(t)}
            words = [w for w in words if w != pair]
        if not terms and not (thesaurus and thesaurus.expansions(analyze(noun))):
            return []
        rest = [w for w in words if w != noun]
        others = {t for w in rest for t in lexical.analyze(w) if lexical.idf(t)}
        if thesaurus:  # "föräldrakurserna" is the report's "föräldragrupper"
            others |= {t for t in thesaurus.closest(set(analyze(" ".join(rest)))) if lexical.idf(t)}
        others -= named
        out = self._counts_of(evidence, terms, others) if terms else []
        if not out and thesaurus and not near:
            # a word with no near synonym is a broad one ("ungdomar"): the reports' word for
            # the same people counts ("41 elever"); a specific word ("pappor") is not
            # answered by a count of all parents
            broad = {t for t in thesaurus.expansions(analyze(noun)) if lexical.idf(t)} - others
            out = self._counts_of(evidence, broad, others) if broad else []
        head = _compound_head(analysed, hyphenated="-" in noun)
        if not out and head and lexical.idf(head[1]):
            # "Hur många enkätsvar ...?" is answered by "412 svar på en enkät", "Hur många
            # ABC-grupper ...?" by "6 grupper" in a passage on ABC: a count of the compound's
            # head, where the passage names its first part
            modifier, head_term = head
            out = [
                ev
                for ev in self._counts_of(evidence, {head_term}, others - {modifier})
                if passage_names(ev, {modifier}, lexical.analyze)
            ]
        return out

    def _counts_of(
        self, evidence: list[Evidence], terms: set[str], others: set[str]
    ) -> list[Evidence]:
        """Sentences that give a number of `terms`, from a passage that has one of `others`."""
        analyze = self.store.lexical().analyze
        return [
            ev
            for ev in evidence
            if counts(ev.text, terms, analyze)
            and (not others or passage_names(ev, others, analyze))
        ]
