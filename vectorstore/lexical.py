"""A persisted, incremental BM25 index over report chunks.

Layout on disk: ``<directory>/groups/<group>.json``, one file per group (a
report's file hash) holding its chunk ids and raw texts. Storing raw texts
rather than postings keeps the format trivial and lets the analysis change
(e.g. a better stop list) without a migration: postings are rebuilt in
memory on load and whenever groups change, which is cheap (see below).

Why rebuild instead of patching postings: the compound splitter's
vocabulary comes from the whole corpus, so adding a report can change how
words in *other* reports split. A full rebuild is always consistent; token
lists are cached per chunk and term lists per distinct word, so a rebuild
is dominated by a Python loop over tokens.

Crash safety: each group file is written to a temp file, fsynced, and moved
into place with ``os.replace`` (atomic on POSIX and Windows). A crash leaves
either the old or the new file, plus at worst a stray ``.*.tmp`` that
loading ignores. ``save`` writes only groups changed since load.

Sparse-embedding shape: ``encode_documents`` gives term -> BM25 term impact
(tf saturation and length normalisation, using this index's average length)
and ``encode_query`` gives term -> idf * query tf, so their dot product is
the BM25 score. That is the shape a sparse-vector store (e.g. distributed
Chroma) expects, should it take over; note that idf then lives in the query
side and must come from a corpus-wide document-frequency table.

Measured (2-core dev machine, Python 3.11), 2,000 synthetic ~900-character
Swedish chunks in 100 groups: add (tokenizing) 0.1 s + first build 0.7 s;
cold load from disk + build 0.85 s; rebuild after adding one group 0.5 s
(the corpus vocabulary changed, so compounds are re-split); save of all
100 files 0.05-0.1 s; a query 0.1-0.15 ms, 0.4 ms with an ``allowed``
predicate.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .swedish import CompoundSplitter, analyze_tokens, stem, tokenize

__all__ = ["LexicalIndex"]

log = logging.getLogger(__name__)

K1 = 1.2
B = 0.75
_FORMAT = 1
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")

Allowed = Callable[[str], bool] | set[str] | frozenset[str] | None


@dataclass
class _Group:
    ids: list[str]
    texts: list[str]
    tokens: list[list[str]] = field(default_factory=list)  # tokenize() of each text


@dataclass
class _Snapshot:
    """Immutable search structures; swapped in whole so searches never see a half build."""

    ids: list[str]
    splitter: CompoundSplitter
    postings: dict[str, tuple[np.ndarray, np.ndarray]]  # term -> (doc indices, impacts)
    idf: dict[str, float]
    avgdl: float


class LexicalIndex:
    """BM25 over Swedish chunks, grouped by report, persisted one file per group.

    Thread-safe in the simple sense: add/remove/save and the lazy rebuild
    take one lock; searches use an immutable snapshot and never block on
    each other.
    """

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory is not None else None
        self._groups: dict[str, _Group] = {}
        self._dirty: set[str] = set()
        self._removed: set[str] = set()
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()
        if self.directory is not None:
            self._read_all()

    @classmethod
    def load(cls, directory: str | Path) -> LexicalIndex:
        """Open the index stored in ``directory`` (empty if none there yet)."""
        return cls(directory)

    # -- content ---------------------------------------------------------

    def add(self, group: str, docs: list[tuple[str, str]]) -> None:
        """Add (or replace) a group's chunks: ``docs`` = [(chunk_id, text)]."""
        ids = [str(cid) for cid, _ in docs]
        texts = [text for _, text in docs]
        entry = _Group(ids, texts, [tokenize(t) for t in texts])  # outside the lock
        with self._lock:
            self._groups[group] = entry
            self._dirty.add(group)
            self._removed.discard(group)
            self._snapshot = None

    def remove(self, group: str) -> None:
        with self._lock:
            if self._groups.pop(group, None) is not None:
                self._removed.add(group)
                self._dirty.discard(group)
                self._snapshot = None

    def groups(self) -> set[str]:
        return set(self._groups)

    def __len__(self) -> int:
        return sum(len(g.ids) for g in self._groups.values())

    # -- search ----------------------------------------------------------

    def search(self, query: str, k: int = 50, allowed: Allowed = None) -> list[tuple[str, float]]:
        """Top ``k`` (chunk_id, BM25 score), best first; ties keep index order.

        ``allowed`` (a set of chunk ids or a predicate) restricts the results;
        it is applied before the cut to ``k``, so filtered searches still fill k.
        """
        snap = self._ensure_built()
        if not snap.ids or k <= 0:
            return []
        scores = np.zeros(len(snap.ids), dtype=np.float64)
        for term, qtf in Counter(self._query_terms(query, snap)).items():
            posting = snap.postings.get(term)
            if posting is not None:
                idx, impact = posting
                scores[idx] += snap.idf[term] * qtf * impact  # idx unique per term
        cand = np.flatnonzero(scores > 0)
        if allowed is not None:
            keep = allowed.__contains__ if isinstance(allowed, (set, frozenset)) else allowed
            cand = np.array([i for i in cand if keep(snap.ids[i])], dtype=np.int64)
        if cand.size == 0:
            return []
        order = cand[np.argsort(-scores[cand], kind="stable")][:k]
        return [(snap.ids[i], float(scores[i])) for i in order]

    def analyze(self, text: str) -> list[str]:
        """The index's own analysis of a text (with the corpus' compound splitter)."""
        return analyze_tokens(tokenize(text), self._ensure_built().splitter)

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term; 0.0 if the corpus lacks it."""
        return self._ensure_built().idf.get(term, 0.0)

    def encode_query(self, query: str) -> dict[str, float]:
        """Sparse query vector: term -> idf * query tf (terms unknown to the index dropped)."""
        snap = self._ensure_built()
        counts = Counter(self._query_terms(query, snap))
        return {t: snap.idf[t] * c for t, c in counts.items() if t in snap.idf}

    def encode_documents(self, texts: list[str]) -> list[dict[str, float]]:
        """Sparse document vectors: term -> BM25 impact, with this index's statistics."""
        snap = self._ensure_built()
        term_lists = [analyze_tokens(tokenize(t), snap.splitter) for t in texts]
        avgdl = snap.avgdl or (sum(map(len, term_lists)) / max(len(term_lists), 1)) or 1.0
        out = []
        for terms in term_lists:
            norm = K1 * (1 - B + B * len(terms) / avgdl)
            out.append({t: tf * (K1 + 1) / (tf + norm) for t, tf in Counter(terms).items()})
        return out

    # -- building --------------------------------------------------------

    def _ensure_built(self) -> _Snapshot:
        snap = self._snapshot
        if snap is None:
            with self._lock:
                snap = self._snapshot
                if snap is None:
                    snap = self._build()
                    self._snapshot = snap
        return snap

    def _build(self) -> _Snapshot:
        all_tokens = [toks for g in self._groups.values() for toks in g.tokens]
        ids = [cid for g in self._groups.values() for cid in g.ids]
        vocab: Counter[str] = Counter()
        for toks in all_tokens:
            vocab.update(toks)
        splitter = CompoundSplitter(vocab)

        postings_lists: dict[str, tuple[list[int], list[int]]] = {}
        lengths = np.zeros(len(ids), dtype=np.float64)
        for d, toks in enumerate(all_tokens):
            terms = analyze_tokens(toks, splitter)
            lengths[d] = len(terms)
            for term, tf in Counter(terms).items():
                entry = postings_lists.get(term)
                if entry is None:
                    entry = postings_lists[term] = ([], [])
                entry[0].append(d)
                entry[1].append(tf)

        n = len(ids)
        avgdl = float(lengths.mean()) if n else 0.0
        # Per-document length factor of BM25, computed once for all terms.
        norm = K1 * (1 - B + B * lengths / avgdl) if n and avgdl else lengths
        postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        idf: dict[str, float] = {}
        for term, (docs, tfs) in postings_lists.items():
            idx = np.asarray(docs, dtype=np.int64)
            tf = np.asarray(tfs, dtype=np.float64)
            postings[term] = (idx, tf * (K1 + 1) / (tf + norm[idx]))
            df = len(docs)
            idf[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return _Snapshot(ids, splitter, postings, idf, avgdl)

    @staticmethod
    def _query_terms(query: str, snap: _Snapshot) -> list[str]:
        """Query terms, plus compounds the query spells as separate words.

        The splitter can only split a document's compound into parts that
        the corpus attests elsewhere; the other direction needs no
        vocabulary: "aktiviteter under sommarlovet" also looks up
        "sommarlov(s)aktivitet", which exists if some chunk uses the compound.
        """
        tokens = tokenize(query)
        terms = analyze_tokens(tokens, snap.splitter)
        words = [t for t in tokens if t.isalpha() and len(t) >= 3]
        for a, b in zip(words, words[1:]):
            for mod, head in ((a, b), (b, a)):
                for link in ("", "s"):
                    joined = stem(stem(mod) + link + head)
                    if joined in snap.postings and joined not in terms:
                        terms.append(joined)
        return terms

    # -- persistence -----------------------------------------------------

    def save(self) -> None:
        """Write the groups changed since load; a no-op for an in-memory index."""
        if self.directory is None:
            return
        with self._lock:
            self._save_locked()

    def _save_locked(self) -> None:
        folder = self._folder()
        folder.mkdir(parents=True, exist_ok=True)
        for group in sorted(self._removed):
            (folder / _file_name(group)).unlink(missing_ok=True)
            self._removed.discard(group)
        for group in sorted(self._dirty):
            g = self._groups[group]
            data = {"format": _FORMAT, "group": group, "ids": g.ids, "texts": g.texts}
            _write_atomic(folder / _file_name(group), json.dumps(data, ensure_ascii=False))
            self._dirty.discard(group)  # only after the file is safely in place
        _fsync_dir(folder)

    def _folder(self) -> Path:
        assert self.directory is not None
        return self.directory / "groups"

    def _read_all(self) -> None:
        folder = self._folder()
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.json")):
            if path.name.startswith("."):
                continue  # temp files of an interrupted save
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                group, ids, texts = data["group"], data["ids"], data["texts"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("skipping unreadable lexical index file %s: %s", path, exc)
                continue
            self._groups[group] = _Group(ids, texts, [tokenize(t) for t in texts])


def _file_name(group: str) -> str:
    """File name for a group; anything not plainly safe is hex-encoded."""
    if _SAFE_NAME.fullmatch(group):
        return f"{group}.json"
    return f"x-{hashlib.sha256(group.encode('utf-8')).hexdigest()}.json"


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    """Persist the renames themselves (POSIX); harmless to skip elsewhere."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

