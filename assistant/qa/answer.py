"""From question to a verified, cited answer: retrieve -> select evidence -> compose -> verify.

Two composers share the pipeline. The extractive one (the default, no LLM needed) picks the
passages' sentences that best answer the question, groups them per municipality and cites
each; the LLM one asks a configured chat model and parses its cited answer. Either way the
verifier has the last word: only citations whose quote stands on the cited page survive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol

from assistant.errors import LLMUnavailable
from assistant.prompts import load_prompt
from assistant.qa.abstain import load_model
from assistant.qa.common_text import MIN_MUNICIPALITIES, common_keys, is_common
from assistant.qa.evidence import Evidence, EvidenceFinder, evidence_units
from assistant.qa.llm_answer import format_passages, parse_llm_answer
from assistant.qa.question import (
    FEMALE,
    LANGUAGE_RE,
    MALE,
    NOT_COUNTED,
    Question,
    follows_up,
    parse_question,
    without_filters,
)
from assistant.qa.reader import (
    question_signals,
    question_terms,
    relative_features,
    sentence_features,
)
from assistant.qa.records import Answer, Citation, Draft
from assistant.qa.retrieve import Retriever, SearchRequest
from assistant.qa.silence import is_name, silence_reason
from assistant.qa.verify import (
    NO_ANSWER_TEXT,
    as_sentence,
    numbers_in,
    page_texts,
    verify_answer,
)
from assistant.settings import AnswerSettings, get_settings
from ingest.records import Chunk
from vectorstore.records import Hit
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


def _mentions(text: str, terms: set[str], analyze) -> bool:
    """Does `text` have one of `terms`, also as the head or first part of a compound the
    index did not split ("skol" in "Knislingeskolan")?"""
    if terms & set(analyze(text)):
        return True
    lowered = text.lower()
    return any(len(t) >= 4 and t in lowered for t in terms)


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


@dataclass
class Found:
    """What retrieval found for a question: the passages to read, the extractive evidence
    among them, and why the reports do not answer (None when they may)."""

    hits: list[Hit]
    evidence: list[Evidence] = field(default_factory=list)
    silent: str | None = None
    notice: str = ""  # said with the answer ("Det finns ingen rapport från ... för 2022; ...")
    reporting: int = 0  # "Vilka kommuner ...?": the municipalities with a report in the years


@dataclass
class Conversation:
    """What a follow-up question inherits: the previous question and its filters."""

    question: str = ""
    municipalities: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def condense(
    question: str, conversation: Conversation | None, retriever: Retriever, k: int
) -> SearchRequest:
    """Make a follow-up ('Och i Hofors?', 'Vad kostade det?') a standalone search request
    by carrying the previous topic, municipality and year (the no-LLM way). `k`: passages
    to retrieve (the setting `answer.passages`)."""
    req = SearchRequest(question, k=k)
    if not conversation or not conversation.question:
        return req
    named = retriever.resolve_filters(SearchRequest(question))
    if not follows_up(question):
        return req
    previous = without_filters(conversation.question, conversation.municipalities)
    req.question = f"{question} {previous}".strip()
    req.municipalities = named[0] or list(conversation.municipalities)
    req.years = named[1] or list(conversation.years)
    return req


# "Vilka kommuner ...?": (question, years, municipalities) -> those whose reports answer it
Confirm = Callable[[str, list[int], list[str]], set[str]]


class Answerer:
    def __init__(
        self,
        retriever: Retriever,
        llm=None,
        sentence_vectors: bool = True,
        confirm: Confirm | None = None,
        settings: AnswerSettings | None = None,
    ) -> None:
        """`sentence_vectors`: see EvidenceFinder. `settings`: answer lengths and the nearest
        passages shown (default: `get_settings()`).

        `confirm(question, years, municipalities)`: when given, a question over all
        municipalities ("Vilka kommuner ...?") names only the municipalities it returns (the
        Service hands in the survey's), and a topic that none of them shows gets "Inget i
        rapporterna ..."."""
        self.retriever = retriever
        self.store = retriever.store
        self.llm = llm
        self.settings = settings if settings is not None else get_settings().answer
        self.finder = EvidenceFinder(retriever, sentence_vectors, self.settings)
        self.confirm = confirm
        self.trace: list[dict] | None = (
            None  # set to [] to record the reader's signals (benchmarks)
        )
        # Loaded (and checked) at start-up, so a broken prompt file never meets a user.
        self.prompt = load_prompt("answer", {"question", "passages"}) if llm is not None else None

    def common_text(self) -> set[str]:
        """Template keys of the sentences most municipalities' reports share (cached per
        store contents); see assistant/qa/common_text.py."""
        meta = self.retriever.chunk_meta()
        cached = getattr(self, "_common", None)
        if cached is None or cached[0] is not meta:
            units: dict[str, list[str]] = {}
            for chunk in self.store.get_chunks(list(meta)).values():
                units.setdefault(chunk.municipality, []).extend(evidence_units(chunk))
            cached = self._common = (meta, common_keys(units, self._place_names()))
        return cached[1]

    def _template_headings(self) -> set[str]:
        """Headings that several municipalities' reports share ("Ekonomi", "Bakgrund"): the
        report's template, which names no insats (cached per store contents)."""
        meta = self.retriever.chunk_meta()
        cached = getattr(self, "_template", None)
        if cached is None or cached[0] is not meta:
            users: dict[str, set[str]] = {}
            for m in meta.values():
                label = insats_label(m.get("section", ""), set())
                if label:
                    users.setdefault(label, set()).add(m.get("municipality", ""))
            shared = {h for h, who in users.items() if len(who) >= MIN_MUNICIPALITIES}
            cached = self._template = (meta, shared)
        return cached[1]

    def _place_names(self) -> set[str]:
        """Lower-case names of the municipalities and their places, with genitives."""
        return self.retriever.municipality_words() | self.retriever.place_words()

    def _specific(self, question: Question, evidence: list[Evidence]) -> list[Evidence]:
        """The evidence without the template phrases most reports share, unless a phrase or
        its section heading shares a word (or a near synonym) with the question ("Vilka
        lärdomar ...?" is answered by the template phrases under "Lärdomar")."""
        common = self.common_text()
        names = self._place_names()
        lexical = self.store.lexical()
        words = question.words
        terms = {t for w in words for t in lexical.analyze(w)}
        if self.retriever.thesaurus:
            terms |= self.retriever.thesaurus.closest(set(analyze(" ".join(words))))
        return [
            ev
            for ev in evidence
            if not is_common(ev.text, common, names)
            or terms & set(lexical.analyze(f"{ev.chunk.section} {ev.text}"))
        ]

    @property
    def mode(self) -> str:
        return "llm" if self.llm is not None else "extractive"

    # -- evidence ------------------------------------------------------------------------
    def evidence(self, question: str, hits: list[Hit]) -> list[Evidence]:
        return self.finder.evidence(question, hits)

    def select(self, evidence: list[Evidence]) -> list[Evidence]:
        return self.finder.select(evidence)

    # -- composing -----------------------------------------------------------------------
    def compose_extractive(self, chosen: list[Evidence]) -> tuple[str, list[Citation]]:
        """Group the chosen sentences per municipality and year, each with its citation,
        named after the insats they stand under: "Flen (2024), Feriearbete för ungdomar:
        142 ungdomar placerades ... [1]"."""
        groups: dict[tuple[str, int], list[Evidence]] = {}
        for ev in chosen:
            groups.setdefault((ev.chunk.municipality, ev.chunk.year), []).append(ev)
        template = self._template_headings()
        lines, citations = [], []
        for (municipality, year), items in groups.items():
            line = f"{municipality} ({year})"
            ordered = (
                items
                if items[0].p is not None
                else sorted(items, key=lambda e: (e.chunk.page, e.chunk.id))
            )
            shown = None
            for k, ev in enumerate(ordered):
                n = len(citations) + 1
                citations.append(Citation.of(n, ev.chunk, ev.text))
                sentence = as_sentence(_readable(ev))
                label = insats_label(ev.chunk.section, template)
                if label and label != shown and not sentence.startswith(label):
                    line += f", {label}: " if k == 0 else f" {label}: "
                elif k == 0:
                    line += ": "
                else:
                    line += " "
                shown = label
                line += f"{sentence} [{n}]"
            lines.append(line)
        first: dict[str, int] = {}
        for c in citations:
            first.setdefault(c.municipality, c.id)
        if len(first) > 1:
            # answer first: the municipalities, each cited, then one line each
            named = [f"{m} [{n}]" for m, n in first.items()]
            listed = ", ".join(named[:-1]) + " och " + named[-1]
            lines.insert(0, f"Rapporterna från {listed} tar upp det som frågan gäller.")
        return "\n".join(lines), citations

    # -- the pipeline --------------------------------------------------------------------
    def parse(self, question: Question | str) -> Question:
        """The question parsed once (see assistant/qa/question.py); a Question passes through."""
        if isinstance(question, Question):
            return question
        return parse_question(
            question,
            municipalities=self.retriever.municipalities,
            municipality_words=self.retriever.municipality_words(),
        )

    def answer(self, req: SearchRequest) -> Answer:
        *_, last = self.stream(req)
        return last

    def stream(self, req: SearchRequest) -> Iterator[str | Answer]:
        """Pieces of text as they come, then the verified Answer as the last item:
        parse -> retrieve (and decide whether the reports answer) -> read -> verify.

        With an LLM the pieces are the model's raw tokens (unverified, for the feeling of
        speed); the final Answer is what counts and replaces them. If the model fails, the
        extractive answer comes with a notice saying why.
        """
        question = self.parse(req.question)
        found = yield from self.retrieve(req, question)
        if found.silent:
            answer = self.refusal(question, found)
            yield answer.text
            yield answer
            return
        notice = found.notice
        if self.llm is not None:
            try:
                draft = yield from LLMReader(self.llm, self.prompt).stream(question, found.hits)
                yield self.verify(draft, found.hits, notice)
                return
            except LLMUnavailable as exc:
                notice = " ".join(filter(None, [notice, str(exc)]))
        draft = ExtractiveReader(self, found.evidence).read(question, found.hits)
        answer = self.verify(draft, found.hits)
        answer.notice = self._survey_notice(answer, found.reporting, notice)
        for word in re.split(r"(\s+)", answer.text):
            if word:
                yield word
        yield answer

    def retrieve(self, req: SearchRequest, question: Question) -> Generator[str, None, Found]:
        """The passages for the question, and whether the reports answer it: the silence
        checks, the survey's confirmation of a "Vilka kommuner ...?" question, the names
        that place it, and the typed evidence (also before a language model: what no passage
        holds, it cannot cite either). Yields the survey's progress."""
        municipalities, years = self.retriever.resolve_filters(req)
        asked = None
        looked_back = self._next_report(req, municipalities, question)
        if looked_back is not None:
            # "Hur många utlån hade Fritidsbanken 2022?" with no 2022 report: the next year's
            # report may say ("ökade från 1 240 år 2022 till 1 870 år 2023")
            asked, req = looked_back
        hits = self.retriever.search(req)
        found = Found(hits, silent=self.silence(req, hits, municipalities, question))
        if (
            not found.silent
            and self.confirm is not None
            and not municipalities
            and question.which_municipalities
        ):
            yield from self._survey_filter(question, years, found)
        if not found.silent and not municipalities:
            named = self._named_municipalities(question)
            if named is not None:
                # "Hammarby", "Holjeskolan": a place or a name that only some municipalities'
                # reports use says which municipality the question is about
                found.hits = [h for h in found.hits if h.chunk.municipality in named]
                if not found.hits:
                    found.silent = "inget stycke om det som frågan nämner svarar på den"
        if not found.silent:
            found.evidence, found.silent = self.gate(question, municipalities, found.hits, asked)
        if asked is not None:
            self._looked_back(found, municipalities, asked)
        return found

    def gate(
        self,
        question: Question,
        municipalities: list[str],
        hits: list[Hit],
        year: int | None = None,
    ) -> tuple[list[Evidence], str | None]:
        """The evidence of `hits` that answers the question (typed, then calibrated), or the
        reason why none does. `year`: a year asked about in the next year's report."""
        candidates = self._specific(question, self.evidence(question.text, hits))
        evidence, silent = self.typed_evidence(question, hits, year, candidates=candidates)
        return self.calibrated(question, municipalities, hits, candidates, evidence, silent)

    def verify(self, draft: Draft, hits: list[Hit], notice: str = "") -> Answer:
        """The draft's claims that their citations support on the cited pages (verify_answer
        has the last word); a refusal has nothing to verify."""
        if draft.refusal:
            return Answer(text=draft.text, mode=draft.mode, notice=notice)
        passages = {h.chunk.id: h.chunk for h in hits}
        pages = page_texts(self.store, [h.chunk for h in hits])
        return verify_answer(
            draft.text, draft.citations, passages, pages, mode=draft.mode, notice=notice
        )

    def refusal(self, question: Question, found: Found) -> Answer:
        """'Inget i rapporterna ...' with the reason, and the passages that came closest."""
        return Answer(
            text=no_answer_text(question.text, found.silent or ""),
            mode=self.mode,
            nearest=nearest_passages(found.hits, self.settings),
        )

    def _survey_filter(self, question: Question, years: list[int], found: Found) -> Iterator[str]:
        """'Vilka kommuner ...?': a municipality is named in the answer only if the survey,
        reading its reports alone, confirms it (a passage near the question is not enough:
        the template text every report shares comes near any such question)."""
        confirmed = yield from self._confirmed(question.text, years, found.hits)
        found.hits = [h for h in found.hits if h.chunk.municipality in confirmed]
        found.silent = None if found.hits else "ingen kommuns rapport visar det"
        found.reporting = len(
            {r.municipality for r in self.store.report_records() if not years or r.year in years}
        )

    def _looked_back(self, found: Found, municipalities: list[str], asked: int) -> None:
        """A year without a report, answered from the next year's report: say so, and read
        only the passages the evidence comes from."""
        names = " eller ".join(dict.fromkeys(municipalities))
        report = f"ingen rapport från {names} för {asked}"
        if found.silent:
            found.silent = (
                f"det finns {report}, och det rapporten för {asked + 1} säger om {asked} "
                "besvarar inte frågan"
            )
        else:
            found.notice = (
                f"Det finns {report}; svaret bygger på vad rapporten för {asked + 1} "
                f"säger om {asked}."
            )
            cited = {e.chunk.id for e in found.evidence}
            found.hits = [h for h in found.hits if h.chunk.id in cited]

    @staticmethod
    def _survey_notice(answer: Answer, reporting: int, notice: str) -> str:
        """'3 av 12 kommuner med rapport visar det.' before the notice, for a 'Vilka kommuner
        ...?' answer that cites some."""
        if reporting and answer.citations:
            found = len({c.municipality for c in answer.citations})
            return " ".join(
                filter(None, [f"{found} av {reporting} kommuner med rapport visar det.", notice])
            )
        return notice

    def silence(
        self,
        req: SearchRequest,
        hits: list[Hit],
        municipalities: list[str],
        question: Question | None = None,
    ) -> str | None:
        """Why the reports do not answer the question (see assistant/qa/silence.py), or None.
        `municipalities`: the question's municipality filter."""
        question = question or self.parse(req.question)
        missing = self._missing_reports(req, municipalities, question)
        if missing:
            return missing
        one = len(set(municipalities)) == 1
        return silence_reason(
            question,
            hits,
            lexical=self.store.lexical(),
            embedder=self.retriever.embedder,
            similarities=self.store.similarities,
            municipality_words=self.retriever.municipality_words(),
            municipality_terms=(
                self.retriever.municipality_terms(municipalities[0]) if one else None
            ),
            thesaurus=self.retriever.thesaurus,
            all_terms=None if one else self.retriever.municipality_terms(None),
        )

    def _named_municipalities(self, question: Question) -> set[str] | None:
        """The municipalities whose reports use every proper name of the question that the
        corpus knows, or None when it has no such name."""
        lexical = self.store.lexical()
        out = None
        for word in question.words:
            whole = lexical.analyze(word)[:1]
            if not is_name(word, question.text) or not whole or not lexical.idf(whole[0]):
                continue
            naming = self.retriever.municipalities_naming(whole[0])
            out = naming if out is None else out & naming
        return out

    def _confirmed(self, question: str, years: list[int], hits: list[Hit]) -> Iterator[str]:
        """The municipalities among `hits` whose own reports the survey finds answering the
        question (each searched on its own, its best sentence scored against the question).
        Yields progress and returns the set."""
        names = sorted({h.chunk.municipality for h in hits})
        yield f"Kontrollerar rapporterna från {len(names)} kommuner "
        confirmed = self.confirm(question, years, names)
        yield "…\n"
        return confirmed

    def _missing_reports(
        self, req: SearchRequest, municipalities: list[str], question: Question
    ) -> str | None:
        """'Hur har e-tjänsterna i Ljusnarsberg utvecklats under 2024?' when Ljusnarsberg has
        no 2024 report: the earlier year's report does not answer it."""
        years = req.years or list(question.named_years)
        if not municipalities or not years:
            return None
        have = {(r.municipality, r.year) for r in self.store.report_records()}
        if any((m, y) in have for m in municipalities for y in years):
            return None
        names, asked = " eller ".join(municipalities), " eller ".join(map(str, years))
        return f"det finns ingen rapport från {names} för {asked}"

    def _next_report(
        self, req: SearchRequest, municipalities: list[str], question: Question
    ) -> tuple[int, SearchRequest] | None:
        """For a question about one year that the municipalities have no report for but
        whose next year's report exists: the year asked about, and the request turned to
        that next report."""
        years = req.years or list(question.named_years)
        if not municipalities or len(set(years)) != 1:
            return None
        have = {(r.municipality, r.year) for r in self.store.report_records()}
        year = years[0]
        if any((m, year) in have for m in municipalities):
            return None
        if not any((m, year + 1) in have for m in municipalities):
            return None
        return year, replace(req, years=[year + 1])

    def calibrated(
        self,
        question: Question | str,
        municipalities: list[str],
        hits: list[Hit],
        candidates: list[Evidence],
        evidence: list[Evidence],
        silent: str | None,
    ) -> tuple[list[Evidence], str | None]:
        """The fitted reader's word on the rules' verdict (assistant/qa/abstain.py): the evidence
        ordered by the sentence model, best first. With an abstention model in the file, one
        calibrated decision to answer: where the rules found no sentence of the asked kind but
        the model is confident, the sentences that carry the asked answer type answer; where
        the rules found one but the model is not, the reports do not say. The shipped file has
        no abstention model (see its provenance), so the rules decide whether to answer."""
        model = load_model()
        if (model is None and self.trace is None) or not candidates:
            return evidence, silent
        question = self.parse(question)
        kind, terms = question.answer_type, question_terms(self, question)
        analyze = self.store.lexical().analyze
        # the question-level signals (a store-wide term scan) matter only to an abstention
        # model or to a benchmark recording them; the shipped model orders sentences only
        wanted = self.trace is not None or (model is not None and model.abstain is not None)
        signals = question_signals(self, question, municipalities, hits, terms) if wanted else {}
        features = {id(ev): sentence_features(ev, kind, terms, analyze) for ev in candidates}
        relative_features(list(features.values()))
        signals["rules"] = float(silent is None)
        if self.trace is not None:
            self.trace.append(
                {"signals": signals, "sentences": [(ev, features[id(ev)]) for ev in candidates]}
            )
        if model is None:
            return evidence, silent
        for ev in candidates:
            ev.p = model.sentence.probability(features[id(ev)])
        best = max(candidates, key=lambda ev: ev.p)
        signals.update(
            p_best=best.p,
            best_coverage=features[id(best)]["coverage"],
            best_carries=features[id(best)]["carries"],
        )
        if not model.answers(signals):
            return [], silent or "det som står närmast frågan besvarar den inte"
        if silent:
            evidence = [ev for ev in candidates if features[id(ev)]["carries"]] or candidates
        for ev in evidence:
            if ev.p is None:  # a sentence the rules rebuilt: ranked with the context of its own
                ev.p = model.sentence.probability(sentence_features(ev, kind, terms, analyze))
        return evidence, None

    def typed_evidence(
        self,
        question: Question | str,
        hits: list[Hit],
        year: int | None = None,
        candidates: list[Evidence] | None = None,
    ) -> tuple[list[Evidence], str | None]:
        """The candidate evidence, and for a question that asks for a kind of fact (a figure,
        a date, opening hours) only the sentences that hold one; with the reason why the
        reports do not answer when none does. `year`: only sentences that name it (a year
        asked about in the next year's report). `candidates`: the evidence of `hits`, if
        already made."""
        question = self.parse(question)
        if candidates is None:
            candidates = self._specific(question, self.evidence(question.text, hits))
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
                evidence = [ev for ev in evidence if _mentions(ev.text, terms, analyze_)]
            if question.person:
                # "Vad heter samordnaren ...?" asks for a person: "Samordningsförbundet
                # Dalsland" in a sentence about coordination is no answer
                places = self.retriever.municipality_words() | self.retriever.place_words()
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
                said = set(lexical.analyze(ev.text))
                if not (_PERCENT_RE.search(ev.text) and focus & said):
                    continue
                rest = others - said
                if not rest or _mentions(
                    f"{ev.chunk.section} {ev.chunk.text}", rest, lexical.analyze
                ):
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
        return _mentions(text, terms, lexical.analyze)

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
                if _mentions(f"{ev.chunk.section} {ev.chunk.text}", {modifier}, lexical.analyze)
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
            and (not others or _mentions(f"{ev.chunk.section} {ev.chunk.text}", others, analyze))
        ]


class Reader(Protocol):
    """Reads the retrieved passages for a question: a draft answer with its citations, which
    Answerer.verify (verify_answer) then checks."""

    def read(self, question: Question, passages: list[Hit]) -> Draft: ...


class ExtractiveReader:
    """The extractive reader (no LLM): the passages' sentences that answer the question
    (typed evidence, ordered by the fitted sentence model), at most MAX_SENTENCES, grouped
    per municipality and year, each cited. `evidence`: the answerer's gate already made it."""

    def __init__(self, answerer: Answerer, evidence: list[Evidence] | None = None) -> None:
        self.answerer, self.evidence = answerer, evidence

    def read(self, question: Question, passages: list[Hit]) -> Draft:
        evidence = self.evidence
        if evidence is None:
            municipalities = list(question.municipalities)
            evidence, silent = self.answerer.gate(question, municipalities, passages)
            if silent:
                return Draft(no_answer_text(question.text, silent), refusal=True)
        chosen = self.answerer.select(evidence)
        if not chosen:
            return Draft(no_answer_text(question.text), refusal=True)
        text, citations = self.answerer.compose_extractive(chosen)
        return Draft(text, citations)


class LLMReader:
    """The LLM reader: the configured chat model answers from the numbered passages (the
    "answer" prompt) and cites them; its raw text is parsed into a draft. Raises
    LLMUnavailable when the model fails."""

    def __init__(self, llm, prompt) -> None:
        self.llm, self.prompt = llm, prompt

    def stream(self, question: Question, passages: list[Hit]) -> Generator[str, None, Draft]:
        """The model's raw tokens as they come; returns the parsed draft."""
        from assistant.llm import stream

        chunks = [h.chunk for h in passages]
        messages = self.prompt.messages(question=question.text, passages=format_passages(chunks))
        raw = []
        for piece in stream(self.llm, messages):
            raw.append(piece)
            yield piece
        text, citations = parse_llm_answer("".join(raw), chunks)
        return Draft(text, citations, mode="llm")

    def read(self, question: Question, passages: list[Hit]) -> Draft:
        pieces = self.stream(question, passages)
        while True:
            try:
                next(pieces)
            except StopIteration as done:
                return done.value


def _table_header(chunk: Chunk, row: str) -> list[str] | None:
    """The header cells of the table a row belongs to (the last cell line without digits
    above it), so that '195 000' can be said to be the budget."""
    header = None
    for line in chunk.text.split("\n"):
        if line.strip() == row:
            return header
        if " | " in line and not re.search(r"\d", line):
            header = [c.strip() for c in line.split("|")]
    return None


def _money_row(ev: Evidence) -> bool:
    """A row of a table of amounts: budget, outcome, costs."""
    if " | " not in ev.text:
        return False
    header = _table_header(ev.chunk, ev.text) or []
    amounts = re.search(
        r"budget|utfall|kostnad|belopp|\bkr\b|kronor|tkr|mnkr|mkr", " ".join(header), re.I
    )
    return bool(amounts)


_HEADING_NUMBER_RE = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+|[A-ZÅÄÖ][^\W\d_]+ (?:\d{1,2}|[A-Z])\s*[:.–-]\s+)"
)
MAX_LABEL_WORDS = 6


def insats_label(section: str, template: set[str]) -> str | None:
    """The name a section heading gives its insats, for the answer's lead ("Feriearbete för
    ungdomar" of "Insats 2: Feriearbete för ungdomar"), or None: no heading, a heading of
    the report's template, or a line too long or cut off to be a name."""
    label = _HEADING_NUMBER_RE.sub("", section.strip()).strip()
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS or label in template:
        return None
    if words[-1].lower() in STOP_WORDS or re.search(r"\d", label):
        return None  # "Återrapportering av statsbidrag till kommuner med": a title cut off
    return label


def _readable(ev: Evidence) -> str:
    """A table row 'Fritidsbanken | 195 000 | 188 400' reads 'Fritidsbanken: budget (kr)
    195 000, utfall (kr) 188 400'; the citation still quotes the row verbatim."""
    if " | " not in ev.text:
        return ev.text
    cells = [c.strip() for c in ev.text.split("|")]
    header = _table_header(ev.chunk, ev.text)
    if not header or len(header) != len(cells):
        return ev.text
    return f"{cells[0]}: " + ", ".join(f"{h.lower()} {c}" for h, c in zip(header[1:], cells[1:]))


def nearest_passages(hits: list[Hit], settings: AnswerSettings) -> list[Citation]:
    """The best retrieved passages as openable references (not claims): the start of each
    passage, cut at a word, is a slice of its page's stored text (`settings.nearest` of them,
    `settings.nearest_chars` each)."""
    out = []
    cut = settings.nearest_chars
    for n, hit in enumerate(hits[: settings.nearest], 1):
        c = hit.chunk
        text = c.text if len(c.text) <= cut else c.text[:cut].rsplit(" ", 1)[0]
        out.append(Citation(n, c.municipality, c.year, c.source, c.page, text, c.id, c.ocr))
    return out


def no_answer_text(question: str, reason: str = "") -> str:
    because = f" ({reason})" if reason else ""
    return f"{NO_ANSWER_TEXT[:-1]}: ”{question.strip()}”{because}."
