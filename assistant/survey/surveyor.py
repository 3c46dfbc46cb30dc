"""Survey across all reports: which municipalities did X, with evidence, and which did not.

For every municipality with reports in the store: search only its reports, take the best
evidence sentences (`EvidenceFinder.evidence` / `.select`), and decide whether they answer
the question from the evidence of this question itself, not from a fixed similarity:

- how the municipality's best evidence stands among all municipalities' for the same
  question (z-scores of its best sentence and of its best passage that names the topic;
  questions differ in how close any text comes to them, so an absolute cut does not carry
  over between corpora);
- whether its best sentence names what the question asks about (idf-weighted coverage of the
  question's content words as word, compound part or near synonym; words joined by
  "och"/"eller" are alternatives, any of which answers: Question.alternatives);
- how close its passages come, in kind of insats (assistant.qa.sections.KindModel, fitted on
  labelled reports), to the passages closest to the question among all municipalities
  (pseudo-relevance feedback across municipalities): an insats described in other words than
  the question's is of the same kind as the others' descriptions of such an insats ("Sportoteket"
  for lending out equipment), a mention in a background paragraph is not.

A small logistic model over these features (config/survey_model.json, fitted with
leave-one-question-out cross-validation by benchmarks/fit_survey.py) gives each municipality
a probability; it counts when that reaches the model's cut and a citation verifies against
its page. When a language model is configured it is the judge (prompts/judge.txt), with the
fitted model as the fallback when it is unavailable.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.qa.common_text import is_common, store_common_keys
from assistant.qa.evidence import Evidence, EvidenceFinder, evidence_units
from assistant.qa.records import Citation
from assistant.qa.retrieve import Retriever, SearchRequest
from assistant.qa.sections import load_kind_model, work_passages
from assistant.qa.verify import (
    as_sentence,
    normalize_for_match,
    page_texts,
    strip_markers,
    verify_answer,
)
from ingest.metadata import Municipality
from rapport_settings import Settings, SurveySettings, get_settings
from vectorstore.embedders import Embedder
from vectorstore.records import Hit
from vectorstore.store import centered_cosines
from vectorstore.swedish import analyze

THEMES_FILE = Path(__file__).resolve().parents[2] / "config" / "themes.toml"
MODEL_FILE = Path(__file__).resolve().parents[2] / "config" / "survey_model.json"
NOT_FOUND_TEXT = "Inget i rapporterna visar detta."
# How survey questions ask ("Vilka kommuner erbjuder/ordnar/samarbetar med ..."), never what
# they ask about, in any inflection (is_frame_word); the rest of such wording is in
# assistant.qa.silence._GENERIC.
FRAME_WORDS = set(
    """samarbetar samarbete erbjuder erbjudit ordnat ordnar startade startat genomförde
    genomfört redovisade beskriver satsar satsat använt bidraget statsbidraget finansieras
    finansierat finansierade finansierar infört införde införts inför bekostat bekostade bekosta
    bekostar erbjudits ordnade gett gav ger givit""".split()
)

Progress = Callable[[int, int], None]


@functools.cache
def _frame_stems() -> frozenset[str]:
    return frozenset(t for w in FRAME_WORDS for t in analyze(w)[:1])


def is_frame_word(word: str) -> bool:
    """A form of a FRAME_WORDS verb: the same stem, also in the s-passive ("ordnats",
    "erbjuds", "genomförts")."""
    w = word.lower()
    forms = [w, w[:-1]] if w.endswith("s") and len(w) > 4 else [w]
    return any(t in _frame_stems() for f in forms for t in analyze(f)[:1])


# The decision's features, in the order of the model's weights (see question_features).
FEATURES = (
    "sentence_score",
    "passage_z",
    "coverage",
    "text_coverage_relative",
    "corpus_coverage",
    "kind_similarity",
)


def survey_score(ev: Evidence, settings: SurveySettings | None = None) -> float:
    """How strongly one evidence sentence answers the question: dense + capped lexical
    (`survey.lexical_weight`, `survey.lexical_cap`)."""
    s = settings if settings is not None else SurveySettings()
    return ev.dense + s.lexical_weight * min(ev.lexical, s.lexical_cap)


def _filled(values: list[float]) -> np.ndarray:
    """The values with a missing one (nan) taken as the lowest less a little."""
    v = np.array(values, dtype=float)
    finite = np.isfinite(v)
    if not finite.any():
        return np.zeros(len(v))
    return np.where(finite, v, v[finite].min() - 0.01)


def _z(values: list[float]) -> list[float]:
    """z-scores within one question; a municipality without any value takes the lowest one
    (less a little), and one municipality alone, or all alike, gives zeros."""
    v = _filled(values)
    std = v.std() if len(v) else 0.0
    return ((v - v.mean()) / std).tolist() if std > 0 else [0.0] * len(values)


def question_features(rows: list[dict]) -> list[list[float]]:
    """Each municipality's features for one question, from the raw measures of all the
    municipalities surveyed (Surveyor.measure): the score of its best evidence sentence as it
    is (a kind of work that most municipalities did is found in most of them, not only in the
    better half), the z-score among them of its best passage that names part of the topic,
    and the topic coverage of its best sentence, of its reports' whole text less the mean
    over the municipalities (words that every report uses tell them apart less than words
    that few use) and of all reports' text (a question about something no report names is
    answered by none, however the others compare); and how close its passages come in kind
    of insats to the passages closest to the question (Surveyor._kind_cosines), as a cosine:
    missing (nan) for all when there is no kind model for the store's embedder, which the
    decision then takes as average (Model.probabilities)."""
    sentence = [max(r["scores"]) if r["scores"] else float("nan") for r in rows]
    passage = [max((c for c, cov in r["passages"] if cov > 0), default=float("nan")) for r in rows]
    coverage = [r["coverages"][0] if r["coverages"] else 0.0 for r in rows]
    text = np.array([r["text_coverage"] for r in rows], dtype=float)
    relative = (text - text.mean()).tolist() if rows else []
    corpus = [r["corpus_coverage"] for r in rows]
    kind = [max(r.get("kinds") or [], default=float("nan")) for r in rows]
    kind = _filled(kind).tolist() if any(r.get("kinds") for r in rows) else kind
    sentence = _filled(sentence).tolist()
    return [list(f) for f in zip(sentence, _z(passage), coverage, relative, corpus, kind)]


@dataclass(frozen=True)
class Model:
    """The fitted decision: a logistic model over standardised features."""

    features: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray  # intercept first
    cut: float
    provenance: dict
    # the embedder whose similarities the model was fitted on: the best sentence's score is
    # taken as it is, and another embedder's scores lie on another scale
    embedder: str | None = None

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(
                f"{path}: fitted for features {data['features']}, the survey computes "
                f"{list(FEATURES)}; refit with benchmarks/fit_survey.py --save"
            )
        return cls(
            tuple(data["features"]),
            np.array(data["mean"]),
            np.array(data["std"]),
            np.array(data["weights"]),
            float(data["cut"]),
            data.get("provenance", {}),
            data.get("embedder"),
        )

    def probabilities(self, features: list[list[float]]) -> list[float]:
        if not features:
            return []
        # a missing feature (nan: no kind model for this embedder, or a sentence score from
        # another embedder than the model's) counts as the average one
        x = np.nan_to_num((np.array(features, dtype=float) - self.mean) / self.std, nan=0.0)
        z = self.weights[0] + x @ self.weights[1:]
        return (1 / (1 + np.exp(-z))).tolist()


# ------------------------------------------------------------------------------ records


@dataclass
class Finding:
    municipality: str
    found: bool
    finding: str  # one Swedish sentence, with [n] markers when found
    citations: list[Citation] = field(default_factory=list)
    score: float = 0.0
    judge: str = "model"  # "model" (the fitted decision) or "llm"
    # not found, but close to the decision (survey.review): its nearest verified quote, for
    # the caseworker to read; never a citation of the finding
    check: Citation | None = None

    @property
    def year(self) -> int | None:
        return self.citations[0].year if self.citations else None

    def to_json(self) -> dict:
        out = {
            "municipality": self.municipality,
            "year": self.year,
            "found": self.found,
            "finding": self.finding,
            "citations": [_citation_json(c) for c in self.citations],
        }
        if self.check is not None:
            out["check"] = _citation_json(self.check)
        return out


def _citation_json(c: Citation) -> dict:
    """A survey citation is an answer citation without the [n] id."""
    return {k: v for k, v in c.to_json().items() if k != "id"}


@dataclass
class SurveyResult:
    question: str
    findings: list[Finding]  # one per municipality with reports, by name
    years: list[int] = field(default_factory=list)
    notice: str = ""  # e.g. that the language model was unavailable

    @property
    def found(self) -> list[Finding]:
        return [f for f in self.findings if f.found]

    @property
    def not_found(self) -> list[str]:
        return [f.municipality for f in self.findings if not f.found]

    @property
    def to_check(self) -> list[Finding]:
        """Not found, but near the decision: worth reading before the list is used."""
        return [f for f in self.findings if f.check is not None]

    @property
    def coverage(self) -> str:
        return f"{len(self.found)} av {len(self.findings)}"

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "municipalities": [f.to_json() for f in self.findings],
            "not_found": self.not_found,
            "to_check": [f.municipality for f in self.to_check],
            "coverage": self.coverage,
        }


# ---------------------------------------------------------------------------- the parts


class CachingEmbedder(Embedder):
    """Remembers vectors: a survey embeds the same sentences for question after question."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self._docs: dict[str, np.ndarray] = {}
        self._queries: dict[str, np.ndarray] = {}

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self.inner._embed(texts, is_query)

    def embed_documents(self, texts, progress=None) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._docs))
        if missing:
            for text, vector in zip(missing, self.inner.embed_documents(missing)):
                self._docs[text] = vector
        if progress:
            progress(len(texts))
        return np.array([self._docs[t] for t in texts], dtype=np.float32).reshape(
            len(texts), self.dim
        )

    def embed_query(self, text: str) -> np.ndarray:
        if text not in self._queries:
            self._queries[text] = self.inner.embed_query(text)
        return self._queries[text]


class Surveyor:
    """Runs survey questions over one store; keep one for many questions (caches vectors and
    each question's measures)."""

    def __init__(
        self,
        store,
        municipalities: list[Municipality] | None = None,
        *,
        llm=None,
        model: Model | None = None,
        settings: Settings | None = None,
        kind_model=None,
    ) -> None:
        """`municipalities`: the names to recognise in questions (default: all 290); `llm`: a
        language model to judge with (default: the fitted model decides); `settings`: the
        retrieval, answer and survey sections (default: `get_settings()`); `kind_model`: what
        kind of insats a passage tells (default: config/kind_model.json for the store's
        embedder; anything with KindModel.profiles)."""
        if municipalities is None:
            from ingest.metadata import all_municipalities

            municipalities = all_municipalities()
        self.settings = settings if settings is not None else get_settings()
        self.store = store
        self.embedder = CachingEmbedder(store.embedder)
        self.retriever = Retriever(
            store, municipalities, embedder=self.embedder, settings=self.settings.retrieval
        )
        self.finder = EvidenceFinder(self.retriever, settings=self.settings.answer)
        self.llm = llm
        self._model = model
        self._cut: float | None = None
        self._weighted: dict[str, list[tuple[float, dict[str, float]]]] = {}  # see coverage()
        self._measures: dict[tuple, dict] = {}
        self._chunks: tuple | None = None
        self.kind_model = (
            kind_model if kind_model is not None else load_kind_model(store.embedder.name)
        )
        self._kinds: tuple | None = None  # see _kind_cosines
        self._common: tuple | None = None  # see _common_text

    @classmethod
    def of(cls, source, model: Model | None = None) -> Surveyor:
        """A surveyor over a Service's store, with its municipalities and language model, or
        over a bare store."""
        if hasattr(source, "answerer"):
            municipalities = source.retriever.municipalities
            llm = source.answerer.llm
            return cls(source.store, municipalities, llm=llm, model=model, settings=source.settings)
        return cls(source, model=model)

    @property
    def model(self) -> Model:
        """The fitted decision (config/survey_model.json), loaded when first needed."""
        if self._model is None:
            self._model = Model.load()
        return self._model

    @property
    def cut(self) -> float:
        """The probability at which a municipality counts (the model's, unless set)."""
        return self.model.cut if self._cut is None else self._cut

    @cut.setter
    def cut(self, value: float) -> None:
        self._cut = value

    def municipalities(self, years: list[int] | None = None) -> list[str]:
        names = {
            r.municipality for r in self.store.report_records() if not years or r.year in years
        }
        return sorted(names)

    # -- one municipality -----------------------------------------------------------------
    def measure(
        self, question: str, municipality: str, years: list[int] | None, query: str | None = None
    ) -> dict:
        """The raw evidence of one municipality for the decision (cached per question): its
        selected sentences (best first) with their score and topic coverage, and for each of
        its passages the centered cosine with the question and the topic coverage.

        `query` (the question plus a theme's extra words) only widens the search; sentences
        are scored against the question itself."""
        key = (question, municipality, tuple(years or ()), query)
        if key in self._measures:
            return self._measures[key]
        req = SearchRequest(
            query or question,
            k=self.settings.survey.passages,
            municipalities=[municipality],
            years=list(years or []),
        )
        hits = self.retriever.search(req)
        passages = {h.chunk.id: h.chunk for h in hits}
        evidence = self.finder.evidence(question, self._thinned(question, hits))
        evidence = [dataclasses.replace(ev, chunk=passages[ev.chunk.id]) for ev in evidence]
        score = functools.partial(survey_score, settings=self.settings.survey)
        chosen = _trimmed(sorted(self.finder.select(evidence), key=score, reverse=True))
        out = {
            "evidence": chosen,
            "retrieved": passages,
            "scores": [score(ev) for ev in chosen],
            "coverages": [
                self.coverage(question, f"{ev.chunk.section} {ev.text}") for ev in chosen
            ],
            "passages": self._passage_measures(question, municipality, years),
            "kinds": self._kind_cosines(question, municipality, years),
            "text_coverage": self.coverage(
                question, "", terms=self.retriever.municipality_terms(municipality)
            ),
            "corpus_coverage": self.coverage(
                question, "", terms=self.retriever.municipality_terms(None)
            ),
        }
        if len(self._measures) > 5000:
            self._measures.clear()
        self._measures[key] = out
        return out

    def _chunk_matrix(self) -> tuple:
        """(ids, metadata, embeddings, their mean) of all visible chunks, cached per store
        contents; the mean is what centered cosines subtract (see store.centered_cosines)."""
        meta = self.retriever.chunk_meta()
        if self._chunks is None or self._chunks[1] is not meta:
            ids = sorted(meta)
            vectors = self.store.embeddings(ids)
            ids = [i for i in ids if i in vectors]
            matrix = (
                np.stack([vectors[i] for i in ids])
                if ids
                else np.zeros((0, self.store.embedder.dim))
            )
            center = matrix.mean(axis=0) if len(ids) else np.zeros(self.store.embedder.dim)
            self._chunks = (ids, meta, matrix, center, {})
        return self._chunks

    def _rows(self, municipality: str, years: list[int] | None) -> list[int]:
        """Rows of the chunk matrix of the municipality's reports (of `years`)."""
        ids, meta = self._chunk_matrix()[:2]
        return [
            n
            for n, i in enumerate(ids)
            if meta[i]["municipality"] == municipality
            and (not years or int(meta[i]["year"]) in years)
        ]

    def _kind_cosines(
        self, question: str, municipality: str, years: list[int] | None
    ) -> list[float]:
        """Cosine, in kinds of insats, of each passage of the municipality's reports (of
        `years`, in the order of _passage_measures) with the mean kind of the
        `survey.kind_passages` passages of all reports (of `years`) closest to the question;
        empty without a kind model."""
        if self.kind_model is None:
            return []
        ids, meta, matrix, center, _ = self._chunk_matrix()
        if self._kinds is None or self._kinds[0] is not meta:
            self._kinds = (meta, self.kind_model.profiles(matrix, ids), {})
        profiles, asked = self._kinds[1], self._kinds[2]
        key = (question, tuple(years or ()))
        if key not in asked:
            rows = [n for n, i in enumerate(ids) if not years or int(meta[i]["year"]) in years]
            cosines = centered_cosines(matrix[rows], self.embedder.embed_query(question), center)
            closest = [rows[n] for n in np.argsort(-cosines)[: self.settings.survey.kind_passages]]
            target = profiles[closest].mean(axis=0) if closest else np.zeros(profiles.shape[1])
            if len(asked) > 500:
                asked.clear()
            asked[key] = target / max(float(np.linalg.norm(target)), 1e-12)
        return (profiles[self._rows(municipality, years)] @ asked[key]).tolist()

    def _passage_measures(
        self, question: str, municipality: str, years: list[int] | None
    ) -> list[tuple[float, float]]:
        """(centered cosine with the question, topic coverage) of each passage of the
        municipality's reports (of `years`)."""
        ids, meta, matrix, center, texts = self._chunk_matrix()
        rows = self._rows(municipality, years)
        if not rows:
            return []
        missing = [ids[n] for n in rows if ids[n] not in texts]
        if missing:
            texts.update(
                {i: f"{c.section} {c.text}" for i, c in self.store.get_chunks(missing).items()}
            )
        cosines = centered_cosines(matrix[rows], self.embedder.embed_query(question), center)
        return [
            (float(c), self.coverage(question, texts.get(ids[n], "")))
            for n, c in zip(rows, cosines)
        ]

    def coverage(self, question: str, text: str, terms: set[str] | None = None) -> float:
        """How much of what the question asks about `text` names (with its heading): the
        idf-weighted share of the question's content word groups it mentions (as a word, a
        compound part or a close synonym); words joined by "och"/"eller" are one group that
        any of them answers (assistant.qa.question.Question.alternatives), weighing as its rarest
        word. A word no report uses weighs the idf at frequency 0. A form counts as much as
        it is specific (_credits): "kultur" names "kulturinsatser", "insats" hardly does.
        `terms`: the analysed terms of a whole text instead of `text` (a municipality's
        reports)."""
        if question not in self._weighted:
            lexical = self.store.lexical()
            parsed = self.retriever.parse(question)
            words = [w for w in parsed.words if not is_frame_word(w) and lexical.analyze(w)]
            weighted = []
            for group in parsed.alternatives(words):
                weight = max(
                    lexical.idf(lexical.analyze(w)[0]) or lexical.unseen_idf() for w in group
                )
                credits: dict[str, float] = {}
                for w in group:
                    for t, c in self._credits(w).items():
                        credits[t] = max(c, credits.get(t, 0.0))
                weighted.append((weight, credits))
            self._weighted[question] = weighted
        weighted = self._weighted[question]
        total = sum(w for w, _ in weighted)
        if not total:
            return 1.0
        if terms is None:
            terms = set(self.store.lexical().analyze(text))
            lowered = text.lower()
        else:
            lowered = ""
        named = 0.0
        for weight, credits in weighted:
            found = [c for t, c in credits.items() if t in terms or (len(t) >= 4 and t in lowered)]
            named += weight * max(found, default=0.0)
        return named / total

    def _credits(self, word: str) -> dict[str, float]:
        """The forms that name `word`, each with how much it names it: a close synonym
        fully; the word's own forms and compound parts by their idf relative to its most
        specific form the reports use, at most 1. A common part of a compound ("stöd" in
        "försörjningsstöd", "insats" in "kulturinsatser") is in almost every text and names
        little; a form no report has as a word names fully where a word holds it
        ("entreprenör" in "entreprenörsveckan")."""
        lexical = self.store.lexical()
        idf = {t: lexical.idf(t) or 0.0 for t in lexical.analyze(word)}
        ref = max(idf.values(), default=0.0)
        credits = {t: min(1.0, v / ref) if v and ref else 1.0 for t, v in idf.items()}
        return credits | dict.fromkeys(self._synonyms(word), 1.0)

    def _synonyms(self, word: str) -> set[str]:
        thesaurus = self.retriever.thesaurus
        return set(thesaurus.closest(set(analyze(word)))) if thesaurus else set()

    def _thinned(self, question: str, hits: list[Hit]) -> list[Hit]:
        """The hits with only the sentences worth embedding: all of the best passage's, then
        the others' by lexical overlap, survey.max_sentences in all, none that most reports
        share (_common_text). Embedding every sentence of every passage is what makes a survey
        slow (about 30 sentences a second on 2 cores)."""
        if not hits:
            return []
        common, names = self._common_text()
        candidates = [
            (rank, u)
            for rank, h in enumerate(hits)
            for u in evidence_units(h.chunk)
            if not is_common(u, common, names)
        ]
        lexical = _lexical_scores(self.store.lexical(), question, [u for _, u in candidates])
        ranked = sorted(range(len(candidates)), key=lambda i: (candidates[i][0] != 0, -lexical[i]))
        most = self.settings.survey.max_sentences
        keep = [i for i in ranked if candidates[i][0] == 0 or lexical[i] > 0][:most]
        kept: dict[int, list[str]] = {}
        for i in sorted(keep):
            unit = candidates[i][1]
            # each kept unit stays one when the text is split again: a bullet item or a
            # sentence without a full stop would otherwise run on into the next one
            kept.setdefault(candidates[i][0], []).append(unit if " | " in unit else f"• {unit}")
        return [
            Hit(dataclasses.replace(h.chunk, text="\n".join(kept[rank])), h.score)
            for rank, h in enumerate(hits)
            if rank in kept
        ]

    def _common_text(self) -> tuple[set[str], set[str]]:
        """(template keys, place names) of the sentences most municipalities' reports share
        (assistant/qa/common_text.py, `answer.common_text`): the common template's text
        ("Insatserna följer kommunens riktlinjer för jämställdhet och tillgänglighet."), which
        tells no municipality apart and is no evidence of what one did. Cached per store
        contents."""
        meta = self.retriever.chunk_meta()
        if self._common is None or self._common[0] is not meta:
            names = self.retriever.place_names()
            keys = store_common_keys(self.store, meta, names, self.settings.answer.common_text)
            self._common = (meta, keys, names)
        return self._common[1], self._common[2]

    # -- the decision ---------------------------------------------------------------------------
    def probabilities(
        self,
        question: str,
        years: list[int] | None = None,
        query: str | None = None,
        progress: Progress | None = None,
        also: list[str] | None = None,
    ) -> dict[str, float]:
        """Each municipality's probability of having done what the question asks, decided
        among all municipalities with reports (of `years`, and `also`): the features are
        relative to the others' evidence for the same question."""
        names = sorted(set(self.municipalities(years)) | set(also or []))
        rows = []
        for n, name in enumerate(names, 1):
            rows.append(self.measure(question, name, years, query))
            if progress:
                progress(n, len(names))
        features = question_features(rows)
        if self.model.embedder not in (None, self.store.embedder.name):
            at = FEATURES.index("sentence_score")
            for f in features:
                f[at] = float("nan")
        return dict(zip(names, self.model.probabilities(features)))

    def judge_municipality(
        self,
        question: str,
        municipality: str,
        years: list[int] | None,
        query: str | None = None,
        probability: float | None = None,
    ) -> tuple[Finding, str]:
        """The finding for one municipality, and a notice if the model could not be used."""
        if probability is None:
            probability = self.probabilities(question, years, query, also=[municipality])[
                municipality
            ]
        measured = self.measure(question, municipality, years, query)
        chosen, passages = measured["evidence"], measured["retrieved"]
        if not chosen:
            return Finding(municipality, False, NOT_FOUND_TEXT, score=probability), ""
        notice = ""
        if self.llm is not None:
            finding, notice = self._llm_finding(question, municipality, chosen, passages)
            if finding is not None:
                finding.score = probability
                return finding, notice
        # cite what names the topic first, then the closest
        named = [ev for ev, cov in zip(chosen, measured["coverages"]) if cov > 0]
        cited = named + [ev for ev in chosen if ev not in named]
        if probability < self.cut:
            return self._to_check(municipality, cited, passages, probability), notice
        return self._extractive_finding(municipality, cited, passages, probability), notice

    def _to_check(
        self, municipality: str, cited: list[Evidence], passages: dict, probability: float
    ) -> Finding:
        """Not found; from `survey.review` up to the decision, with the quote a finding would
        have cited first (if it verifies) for the caseworker to read."""
        missing = Finding(municipality, False, NOT_FOUND_TEXT, score=probability)
        if not self.settings.survey.review or probability < self.settings.survey.review:
            return missing
        nearest = self._extractive_finding(municipality, cited, passages, probability)
        if nearest.found:
            missing.check = nearest.citations[0]
        return missing

    def _extractive_finding(
        self, municipality: str, strong: list[Evidence], passages: dict, score: float
    ) -> Finding:
        best = self._shown_first(strong)[: self.settings.survey.max_citations]
        citations = [Citation.of(n, ev.chunk, ev.text) for n, ev in enumerate(best, 1)]
        text = f"{as_sentence(best[0].text)} " + "".join(f"[{c.id}]" for c in citations)
        return self._verified(municipality, text, citations, passages, score, "model")

    def _shown_first(self, evidence: list[Evidence]) -> list[Evidence]:
        """The evidence in the order a finding cites it: sentences from passages about the
        work done before those on the municipality's conditions, summary or economy
        (assistant/qa/sections.py), then prose before table rows (a row proves a budget
        line, a sentence an activity), each in the given order. The decision does not
        change; what the caseworker is shown as its proof does."""
        work = work_passages(self.store, {ev.chunk.id for ev in evidence})
        return sorted(evidence, key=lambda ev: (not work.get(ev.chunk.id, True), " | " in ev.text))

    def _verified(
        self,
        municipality: str,
        text: str,
        citations: list[Citation],
        passages: dict,
        score: float,
        judge: str,
    ) -> Finding:
        """Keep only what the verifier accepts; nothing left means not found."""
        answer = verify_answer(
            text, citations, passages, page_texts(self.store, _cited_chunks(citations, passages))
        )
        if not answer.citations:
            return Finding(municipality, False, NOT_FOUND_TEXT, score=score, judge=judge)
        return Finding(municipality, True, answer.text, answer.citations, score, judge)

    # -- the language model as judge ---------------------------------------------------------
    def _llm_finding(
        self, question: str, municipality: str, chosen: list[Evidence], passages: dict
    ) -> tuple[Finding | None, str]:
        from assistant.errors import LLMUnavailable
        from assistant.llm import complete
        from assistant.prompts import load_prompt
        from assistant.qa.llm_answer import format_passages, parse_judge

        chunks = list(passages.values())
        prompt = load_prompt("judge", {"question", "municipality", "passages"})
        try:
            raw = complete(
                self.llm,
                prompt.messages(
                    question=question, municipality=municipality, passages=format_passages(chunks)
                ),
            )
        except LLMUnavailable as exc:
            return None, str(exc)
        verdict, sentence = parse_judge(raw)
        if verdict is None:
            return None, "Språkmodellens bedömning gick inte att tolka; tröskeln avgjorde."
        if not verdict:
            return Finding(municipality, False, NOT_FOUND_TEXT, judge="llm"), ""
        return self._judged_finding(municipality, sentence, chosen, chunks, passages), ""

    def _judged_finding(
        self, municipality: str, sentence: str, chosen: list[Evidence], chunks: list, passages: dict
    ) -> Finding:
        """A JA verdict: the model's sentence, cited with the best evidence of each passage it
        names (or the best evidence overall), then verified like any answer."""
        ids = [int(n) for n in re.findall(r"\[(\d+)\]", sentence) if 0 < int(n) <= len(chunks)]
        cited: list[Evidence] = []
        for n in dict.fromkeys(ids):
            in_chunk = [ev for ev in chosen if ev.chunk.id == chunks[n - 1].id]
            cited.extend(in_chunk[:1])
        cited = (cited or chosen)[: self.settings.survey.max_citations]
        citations = [Citation.of(n, ev.chunk, ev.text) for n, ev in enumerate(cited, 1)]
        text = strip_markers(sentence) or as_sentence(cited[0].text)
        text = f"{as_sentence(text)} " + "".join(f"[{c.id}]" for c in citations)
        finding = self._verified(municipality, text, citations, passages, 0.0, "llm")
        if finding.found:
            return finding
        # The model's wording did not verify (e.g. a number): fall back to the quote itself.
        return self._extractive_finding(municipality, cited, passages, 0.0)

    # -- a whole question -----------------------------------------------------------------------
    def survey(
        self,
        question: str,
        years: list[int] | None = None,
        progress: Progress | None = None,
        query: str | None = None,
        municipalities: list[str] | None = None,
    ) -> SurveyResult:
        """Findings for `municipalities` (default: all with reports of `years`). All
        municipalities are measured either way (progress counts them): each is judged
        against the others' evidence for the same question."""
        names = municipalities or self.municipalities(years)
        probabilities = self.probabilities(question, years, query, progress, also=names)
        findings, notices = [], []
        for name in names:
            finding, notice = self.judge_municipality(
                question, name, years, query, probabilities[name]
            )
            findings.append(finding)
            if notice and notice not in notices:
                notices.append(notice)
        return SurveyResult(question, findings, list(years or []), " ".join(notices))


def _lexical_scores(index, question: str, texts: list[str]) -> np.ndarray:
    """BM25 overlap of each text with the question, with the index's statistics."""
    query = index.encode_query(question)
    docs = index.encode_documents(texts)
    return np.array([sum(w * d.get(t, 0.0) for t, w in query.items()) for d in docs])


_HEADING_LINE = re.compile(r"^[#\d A-ZÅÄÖ][^.!?:;|]{0,68}$")


def trim_headings(text: str, chunk_text: str) -> str:
    """Drop headings glued before a sentence ("3 Insatser Fritidsbanken Fritidsbanken i
    Hofors ..." -> "Fritidsbanken i Hofors ..."). Sentence splitting works on text with the
    line breaks collapsed, so a heading line and the sentence under it come out as one; what
    remains is still a verbatim part of the page."""
    for line in chunk_text.split("\n"):
        line = normalize_for_match(line)
        if len(line.split()) > 6 or not _HEADING_LINE.match(line):
            continue
        at = text.find(line + " ")
        rest = text[at + len(line) + 1 :] if at >= 0 else ""
        if rest[:1].isupper() and len(rest.split()) >= 4:
            text = rest
    return text


def _trimmed(evidence: list[Evidence]) -> list[Evidence]:
    return [dataclasses.replace(ev, text=trim_headings(ev.text, ev.chunk.text)) for ev in evidence]


def survey(
    service_or_store,
    question: str,
    years: list[int] | None = None,
    progress: Progress | None = None,
) -> SurveyResult:
    """Which municipalities' reports show `question`, with verified citations; see module doc."""
    return Surveyor.of(service_or_store).survey(question, years, progress)


# ------------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    question: str
    words: str = ""

    @property
    def query(self) -> str:
        return f"{self.question} {self.words}".strip()


def load_themes(path: Path | None = None) -> list[Theme]:
    """The themes of config/themes.toml, in file order."""
    data = tomllib.loads((path or THEMES_FILE).read_text(encoding="utf-8"))
    return [
        Theme(t["key"], t["name"], t["question"], t.get("words", "")) for t in data.get("theme", [])
    ]


def find_theme(name: str, themes: list[Theme] | None = None) -> Theme:
    themes = themes or load_themes()
    wanted = name.strip().lower()
    for t in themes:
        if wanted in (t.key.lower(), t.name.lower()) or wanted in t.name.lower().split("/"):
            return t
    known = ", ".join(t.key for t in themes)
    raise ValueError(f"okänt tema '{name}'; välj ett av: {known}.")


@dataclass
class Matrix:
    themes: list[Theme]
    municipalities: list[str]
    cells: dict[tuple[str, str], Finding]  # (municipality, theme key) -> finding
    years: list[int] = field(default_factory=list)
    notice: str = ""

    def cell_text(self, municipality: str, theme_key: str) -> str:
        finding = self.cells.get((municipality, theme_key))
        if finding is None or not finding.found:
            return "–"
        return f"Ja ({_pages_text(finding.citations)})"

    def to_json(self) -> dict:
        return {
            "themes": [{"key": t.key, "name": t.name, "question": t.question} for t in self.themes],
            "years": self.years,
            "rows": [
                {
                    "municipality": m,
                    "cells": {t.key: self.cells[(m, t.key)].to_json() for t in self.themes},
                }
                for m in self.municipalities
            ],
        }


def _pages_text(citations: list[Citation]) -> str:
    """ "s. 4", "s. 4, 6" or "2023 s. 4; 2024 s. 2" when the citations span years."""
    by_year: dict[int, list[int]] = {}
    for c in citations:
        pages = by_year.setdefault(c.year, [])
        if c.page not in pages:
            pages.append(c.page)
    if len(by_year) == 1:
        return "s. " + ", ".join(map(str, sorted(next(iter(by_year.values())))))
    return "; ".join(f"{y} s. {', '.join(map(str, sorted(p)))}" for y, p in sorted(by_year.items()))


def theme_matrix(
    service_or_store,
    themes: list[Theme] | None = None,
    years: list[int] | None = None,
    progress: Progress | None = None,
    municipalities: list[str] | None = None,
    surveyor: Surveyor | None = None,
) -> Matrix:
    """Municipality x theme: each cell the survey finding for that theme's question."""
    surveyor = surveyor or Surveyor.of(service_or_store)
    themes = themes or load_themes()
    names = municipalities or surveyor.municipalities(years)
    cells: dict[tuple[str, str], Finding] = {}
    notices: list[str] = []
    total, done = len(themes) * len(names), 0
    for theme in themes:

        def tick(n: int, _total: int, base=done) -> None:
            if progress:
                progress(base + n, total)

        result = surveyor.survey(
            theme.question, years, tick, query=theme.query, municipalities=names
        )
        done += len(names)
        cells.update(((f.municipality, theme.key), f) for f in result.findings)
        if result.notice and result.notice not in notices:
            notices.append(result.notice)
    return Matrix(themes, names, cells, list(years or []), " ".join(notices))


# ------------------------------------------------------------------------------- export


def survey_sheets(result: SurveyResult):
    from assistant.survey.exports import Sheet

    summary = Sheet(
        "Resultat",
        ["Kommun", "Belägg", "År", "Sidor", "Iakttagelse"],
        [
            [
                f.municipality,
                "Ja" if f.found else ("Att granska" if f.check else "Nej"),
                f.year or (f.check.year if f.check else ""),
                _pages_text(f.citations or ([f.check] if f.check else [])),
                strip_markers(f.finding) if not f.check else f"Närmast: ”{f.check.quote}”",
            ]
            for f in result.findings
        ],
    )
    return [summary, citation_sheet([c for f in result.findings for c in f.citations])]


def matrix_sheets(matrix: Matrix):
    from assistant.survey.exports import Sheet

    grid = Sheet(
        "Temamatris",
        ["Kommun"] + [t.name for t in matrix.themes],
        [[m] + [matrix.cell_text(m, t.key) for t in matrix.themes] for m in matrix.municipalities],
    )
    rows = []
    for m in matrix.municipalities:
        for t in matrix.themes:
            for c in matrix.cells[(m, t.key)].citations:
                rows.append([t.name, c.municipality, c.year, c.source, c.page, c.quote])
    citations = Sheet("Källor", ["Tema", "Kommun", "År", "Källa", "Sida", "Citat"], rows)
    return [grid, citations]


def citation_sheet(citations: list[Citation]):
    from assistant.survey.exports import Sheet

    return Sheet(
        "Källor",
        ["Kommun", "År", "Källa", "Sida", "Citat"],
        [[c.municipality, c.year, c.source, c.page, c.quote] for c in citations],
    )


def _cited_chunks(citations: list[Citation], passages: dict) -> list:
    return [passages[c.chunk_id] for c in citations if c.chunk_id in passages]
