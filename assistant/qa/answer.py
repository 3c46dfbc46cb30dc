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
from assistant.qa.common_text import is_common, store_common_keys
from assistant.qa.evidence import Evidence, EvidenceFinder
from assistant.qa.llm_answer import format_passages, parse_llm_answer
from assistant.qa.question import Question, without_filters
from assistant.qa.reader import (
    question_signals,
    question_terms,
    relative_features,
    sentence_features,
)
from assistant.qa.records import Answer, Citation, Draft
from assistant.qa.retrieve import Retriever, SearchRequest
from assistant.qa.sections import work_passages
from assistant.qa.silence import is_name, silence_reason
from assistant.qa.typed import TypedEvidence, table_header
from assistant.qa.verify import (
    NO_ANSWER_TEXT,
    as_sentence,
    page_texts,
    verify_answer,
)
from ingest.chunking import heading_name
from rapport_settings import AnswerSettings, get_settings
from vectorstore.records import Hit
from vectorstore.swedish import STOP_WORDS, analyze


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
    if not retriever.parse(question).follow_up:
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
        """`sentence_vectors`: see EvidenceFinder. `settings`: answer lengths, the nearest
        passages shown, the evidence floor, when the reports are silent and what counts as
        template text (default: `get_settings()`).

        `confirm(question, years, municipalities)`: when given, a question over all
        municipalities ("Vilka kommuner ...?") names only the municipalities it returns (the
        Service hands in the survey's), and a topic that none of them shows gets "Inget i
        rapporterna ..."."""
        self.retriever = retriever
        self.store = retriever.store
        self.llm = llm
        self.settings = settings if settings is not None else get_settings().answer
        self.finder = EvidenceFinder(retriever, sentence_vectors, self.settings)
        self.typed = TypedEvidence(retriever)
        self.confirm = confirm
        # (chunk_meta, value) caches, made again when the store's contents change
        self._common: tuple | None = None
        self._template: tuple | None = None
        self.trace: list[dict] | None = (
            None  # set to [] to record the reader's signals (benchmarks)
        )
        # Loaded (and checked) at start-up, so a broken prompt file never meets a user.
        self.prompt = load_prompt("answer", {"question", "passages"}) if llm is not None else None

    def common_text(self) -> set[str]:
        """Template keys of the sentences most municipalities' reports share (cached per
        store contents); see assistant/qa/common_text.py."""
        meta = self.retriever.chunk_meta()
        cached = self._common
        if cached is None or cached[0] is not meta:
            keys = store_common_keys(
                self.store, meta, self.retriever.place_names(), self.settings.common_text
            )
            cached = self._common = (meta, keys)
        return cached[1]

    def _template_headings(self) -> set[str]:
        """Headings that several municipalities' reports share ("Ekonomi", "Bakgrund"): the
        report's template, which names no insats (cached per store contents)."""
        meta = self.retriever.chunk_meta()
        cached = self._template
        if cached is None or cached[0] is not meta:
            users: dict[str, set[str]] = {}
            for m in meta.values():
                label = insats_label(m.get("section", ""), set())
                if label:
                    users.setdefault(label, set()).add(m.get("municipality", ""))
            least = self.settings.common_text.min_municipalities
            shared = {h for h, who in users.items() if len(who) >= least}
            cached = self._template = (meta, shared)
        return cached[1]

    def _specific(self, question: Question, evidence: list[Evidence]) -> list[Evidence]:
        """The evidence without the template phrases most reports share, unless a phrase or
        its section heading shares a word (or a near synonym) with the question ("Vilka
        lärdomar ...?" is answered by the template phrases under "Lärdomar")."""
        common = self.common_text()
        names = self.retriever.place_names()
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
        """The question parsed once (see assistant/qa/question.py), the same Question the
        retriever reads (Retriever.parse); a Question passes through."""
        if isinstance(question, Question):
            return question
        return self.retriever.parse(question)

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
        evidence = self.about_the_work(question, evidence)
        return self.calibrated(question, municipalities, hits, candidates, evidence, silent)

    def about_the_work(self, question: Question, evidence: list[Evidence]) -> list[Evidence]:
        """For a question on what was done, answered by a description ("Vad har Ljusdal
        gjort för skolnärvaron?", Question.asks_work): the evidence from passages that tell
        what was done, not from those on the municipality's conditions, summary or economy
        (assistant/qa/sections.py), unless only those answer or their heading names what is
        asked ("Vilka utmaningar ...?" is answered under "Lokala utmaningar")."""
        if question.answer_type != "description" or not question.asks_work or not evidence:
            return evidence
        work = work_passages(self.store, {ev.chunk.id for ev in evidence})
        if not work:
            return evidence
        analyze = self.store.lexical().analyze
        asked = {t for w in question.words for t in analyze(w)}
        kept = [
            ev
            for ev in evidence
            if work.get(ev.chunk.id, True) or asked & set(analyze(ev.chunk.section))
        ]
        return kept or evidence

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
            settings=self.settings.silence,
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
        """The candidate evidence, and for a question that asks for a kind of fact only the
        sentences that hold one, or the reason why none does (assistant/qa/typed.py). `year`:
        only sentences that name it. `candidates`: the evidence of `hits`, if already made."""
        question = self.parse(question)
        if candidates is None:
            candidates = self._specific(question, self.evidence(question.text, hits))
        return self.typed.typed_evidence(question, candidates, year)


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


MAX_LABEL_WORDS = 6


def insats_label(section: str, template: set[str]) -> str | None:
    """The name a section heading gives its insats, for the answer's lead ("Feriearbete för
    ungdomar" of "Insats 2: Feriearbete för ungdomar"), or None: no heading, a heading of
    the report's template, or a line too long or cut off to be a name."""
    label = heading_name(section).strip()
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS or label in template:
        return None
    if words[-1].lower() in STOP_WORDS or re.search(r"\d", label):
        return None  # "Återrapportering av statsbidrag till kommuner med": a title cut off
    return label


# A column's unit that a cell's figure may carry as it is: "kr", "%" (a scaled unit, "tkr",
# stays in the column name: "1 240 tkr" would be read as 1 240 000 kronor and checked so)
_HEADER_UNIT_RE = re.compile(r"\s*\((kr|%)\)|\s+i\s+(%)$", re.IGNORECASE)


def _cell(header: str, value: str) -> str:
    """One cell with its column name: "budget 2024 (kr)", "960 000" -> "budget 2024 960 000
    kr"; "utfall i %", "91 %" -> "utfall 91 %"; "budget (tkr)", "1 240" -> "budget (tkr)
    1 240"."""
    match = _HEADER_UNIT_RE.search(header)
    name = _HEADER_UNIT_RE.sub("", header).strip().lower()
    unit = match and (match.group(1) or match.group(2))
    if unit and not re.search(r"[^\d\s,.+−–-]", value):
        value = f"{value} {unit}"
    return f"{name} {value}"


def _readable(ev: Evidence) -> str:
    """A table row 'Fritidsbanken | 195 000 | 188 400' under 'Insats | Budget (kr) |
    Utfall (kr)' reads 'Fritidsbanken: budget 195 000 kr, utfall 188 400 kr'; the citation
    still quotes the row verbatim."""
    if " | " not in ev.text:
        return ev.text
    cells = [c.strip() for c in ev.text.split("|")]
    header = table_header(ev.chunk, ev.text)
    if not header or len(header) != len(cells):
        return ev.text
    return f"{cells[0]}: " + ", ".join(_cell(h, c) for h, c in zip(header[1:], cells[1:]))


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
