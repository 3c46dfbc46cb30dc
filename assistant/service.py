"""One façade over store, retrieval, answers and survey: what the CLI and the web app call."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from assistant.errors import LLMUnavailable
from assistant.prompts import load_prompt
from assistant.qa.answer import Answerer, Conversation, condense
from assistant.qa.records import Answer
from assistant.qa.retrieve import Retriever, SearchRequest
from assistant.status import archive_status
from assistant.survey import Surveyor
from ingest.metadata import all_municipalities, load_municipalities
from ingest.pii import mask
from ingest.pipeline import masks_personal_data
from rapport_settings import Settings, get_settings
from vectorstore.store import ReportStore

log = logging.getLogger(__name__)


def _masked(part: str | Answer) -> str | Answer:
    """Personal data out of what users see, also what an LLM or the question brought in
    (stored text is masked at ingestion already). Streamed text is masked as it grows; the
    final answer replaces it."""
    if not masks_personal_data():
        return part
    if isinstance(part, str):
        return mask(part)[0]
    part.text = mask(part.text)[0]
    part.unsupported = [mask(u)[0] for u in part.unsupported]
    return part


class Service:
    def __init__(self, store: ReportStore, llm=None, settings: Settings | None = None) -> None:
        """`settings`: the tuned numbers of retrieval, answers and the survey (default:
        `get_settings()`, the environment and the settings file)."""
        self.settings = settings if settings is not None else get_settings()
        self.store = store
        self.grant = load_municipalities()  # the grant's list: status shows who lacks a report
        self.municipalities = all_municipalities(self.grant)  # what reports and questions name
        self.retriever = Retriever(store, self.municipalities, settings=self.settings.retrieval)
        # "Vilka kommuner ...?" in the chat names only municipalities the survey confirms (by
        # its threshold: a language model composes answers, it is not asked per municipality).
        self.surveyor = Surveyor(self.store, self.retriever.municipalities, settings=self.settings)
        self.answerer = Answerer(
            self.retriever,
            llm=llm,
            sentence_vectors=False,
            confirm=self._confirmed,
            settings=self.settings.answer,
        )
        self.condense_prompt = load_prompt("condense", {"history", "question"}) if llm else None
        self._condensed: dict[tuple[str, str], str] = {}

    @classmethod
    def open(cls, store_dir=None, chroma_url=None, embedder=None, llm="env") -> Service:
        """Open the store; `llm="env"` configures a chat model from the settings (the `llm`
        section of rapport_settings: environment variables or the settings file)."""
        settings = get_settings()
        if llm == "env":
            from assistant.llm import make_chat_model

            llm = make_chat_model(settings.llm)
        return cls(ReportStore.open(store_dir, chroma_url, embedder), llm=llm, settings=settings)

    def _confirmed(self, question: str, years: list[int], names: list[str]) -> set[str]:
        """The municipalities among `names` whose own reports the survey finds answering."""
        result = self.surveyor.survey(question, years, municipalities=names)
        return {f.municipality for f in result.found}

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for: the model, the lexical
        index and the chunk metadata that filters use (about 15 s at 3,000 reports)."""
        self.store.embedder.embed_query("uppvärmning")
        self.retriever.heading_terms()
        self.answerer.common_text()  # about 1 s at 30 reports

    @property
    def mode(self) -> str:
        return self.answerer.mode

    def request(
        self,
        question: str,
        municipalities: list[str] | None = None,
        years: list[int] | None = None,
        conversation: Conversation | None = None,
    ) -> SearchRequest:
        req = condense(
            self._standalone(question, conversation),
            conversation,
            self.retriever,
            self.settings.answer.passages,
        )
        if municipalities:
            req.municipalities = list(municipalities)
        if years:
            req.years = list(years)
        return req

    def _standalone(self, question: str, conversation: Conversation | None) -> str:
        """With an LLM, a follow-up is rewritten into a standalone question; else unchanged
        (the rule-based `condense` then carries topic and filters)."""
        if self.condense_prompt is None or not conversation or not conversation.question:
            return question
        key = (conversation.question, question)
        if key not in self._condensed:  # `stream` and `remember` ask for the same rewrite
            self._condensed[key] = self._condense_with_llm(conversation.question, question)
            if len(self._condensed) > 256:
                self._condensed.pop(next(iter(self._condensed)))
        return self._condensed[key]

    def _condense_with_llm(self, previous: str, question: str) -> str:
        from assistant.llm import complete

        messages = self.condense_prompt.messages(history=previous, question=question)
        try:
            return complete(self.answerer.llm, messages).strip().splitlines()[0] or question
        except LLMUnavailable as exc:
            log.warning("condensing with the LLM failed: %s", exc)
            return question

    def ask(self, question: str, municipalities=None, years=None, conversation=None) -> Answer:
        return _masked(
            self.answerer.answer(self.request(question, municipalities, years, conversation))
        )

    def stream(
        self, question: str, municipalities=None, years=None, conversation=None
    ) -> Iterator[str | Answer]:
        for part in self.answerer.stream(
            self.request(question, municipalities, years, conversation)
        ):
            yield _masked(part)

    # -- the archive, as a caseworker corrects it -----------------------------------------
    def status(self) -> dict:
        """What the archive holds and which of the grant's municipalities lack a report (the
        same dict as `rapportassistent status --json`; config/kommuner.txt is read anew)."""
        return archive_status(self.store)

    def correct_report(self, file_hash: str, municipality: str, year) -> tuple:
        """Relabel a report; returns (old record, new record). Raises ValueError (Swedish)
        for a name that is no municipality or an implausible year."""
        from ingest.metadata import canonical_name

        name = canonical_name(str(municipality or ""), self.municipalities)
        if name is None:
            raise ValueError(f"{municipality!r} är ingen svensk kommun; välj kommunen i listan.")
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise ValueError("Ange rapportåret med fyra siffror, t.ex. 2024.") from None
        if not 2000 <= year <= 2100:
            raise ValueError(f"{year} är inget rimligt rapportår; ange året med fyra siffror.")
        old = self.store.report(file_hash)
        if old is None:
            raise ValueError("Rapporten finns inte längre i arkivet; uppdatera listan.")
        self.store.finish_corrections()
        new = self.store.correct_report(file_hash, name, year)
        self.store.lexical()
        self._changed()
        return old, new

    def remove_report(self, file_hash: str):
        """Remove a report (record, chunks, pages, lexical entries); returns its record."""
        if self.store.report(file_hash) is None:
            raise ValueError("Rapporten finns inte längre i arkivet; uppdatera listan.")
        record = self.store.remove_report(file_hash)
        self._changed()
        return record

    def _changed(self) -> None:
        """The retriever's chunk metadata (and what is derived from it, keyed by its identity)
        is keyed by the visible files, which a correction does not change: read it again."""
        self.retriever._meta = None
        self.retriever._meta_key = None
        fresh = Surveyor(self.store, self.retriever.municipalities, settings=self.settings)
        fresh.cut = self.surveyor.cut
        self.surveyor = fresh

    def remember(
        self, conversation: Conversation, question: str, municipalities=None, years=None
    ) -> Conversation:
        """The conversation after `question`: its resolved topic and filters."""
        req = self.request(question, municipalities, years, conversation)
        found = self.retriever.resolve_filters(req)
        return Conversation(req.question, found[0], found[1])
