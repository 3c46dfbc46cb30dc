"""A persisted, incremental BM25 index over report chunks that scales to ~100,000 chunks.

Why this design (measured by benchmarks/scale_bench.py):

* Work per report is proportional to that report. A group (one report, keyed by its file
  hash) is analysed once, when it is added, into its own small postings block (CSR: the
  group's terms, and per term its chunks and term frequencies). Nothing of other groups is
  re-analysed, and BM25's corpus statistics (document frequency, average length) are not
  baked into the stored postings: they are computed at query time from the live postings,
  so they stay exact as the corpus grows or shrinks.
* Memory is bounded: no texts or token lists are kept, only numpy arrays (int32 chunk
  numbers, uint16 term frequencies) in a few segments, plus the term and word tables.
  Segments are merged the way log-structured indexes do (a new segment is merged into the
  previous one while that one is at most twice its size), so a query looks at O(log n)
  segments and every posting is re-merged O(log n) times: vectorised numpy, no re-analysis.
  Removed groups are only masked out; their postings are dropped at the next full merge,
  which runs once removed chunks pass a quarter of the index.
* Compound splitting against a growing vocabulary. The splitter's vocabulary (surface word
  counts of all indexed text) is kept up to date incrementally. A document is split against
  the vocabulary known when it is added (its own words included); a query is always split
  against the current vocabulary. The cost in quality: a compound in an early report whose
  parts only later reports attest is not split in the index (the query side still finds it
  by recomposing "sommarlovet ... aktiviteter" into "sommarlovsaktivitet", and by splitting
  the query's own compounds). Bulk loads (``add_many``: rebuilding from Chroma, migrating
  an old index) first take in every group's vocabulary and then analyse, so they split
  exactly like the former full-rebuild design.
* Persistence: one ``.bm25`` file per group under ``<directory>/postings/`` (the analysed block
  plus the group's word counts), written to a temp file, fsynced and moved into place with
  ``os.replace``; loading never re-analyses. ``save`` writes only groups changed since load.
* Several processes on one folder stay in step cheaply: ``refresh()`` stats the folder (one
  system call) and lists it only when its mtime changed (or changed less than two seconds
  ago, to be safe with coarse timestamps), loading only group files it has not seen.
* Format 1 folders (``<directory>/groups/*.json`` with raw texts) are migrated on open: the
  texts are analysed with ``add_many`` and the old files removed.

Sparse-embedding shape: ``encode_documents`` gives term -> BM25 term impact and
``encode_query`` gives term -> idf * query tf, so their dot product is the BM25 score.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .swedish import CompoundSplitter, analyze_tokens, stem, tokenize

__all__ = ["LexicalIndex"]

log = logging.getLogger(__name__)

K1 = 1.2
B = 0.75
_FORMAT = 3  # 3: '-et' stemming (swedish.stem); older files are rebuilt from Chroma
_FOLDER = "postings"  # format 2: one .bm25 file of analysed postings per group
_OLD_FOLDER = "groups"  # format 1: one .json of raw texts per group
_TF_MAX = np.iinfo(np.uint16).max
_RECENT_NS = 2_000_000_000  # rescan a folder changed less than this long ago
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")

Allowed = Callable[[str], bool] | set[str] | frozenset[str] | None


class _Vocabulary(CompoundSplitter):
    """The compound splitter over a vocabulary that grows and shrinks with the index."""

    def __init__(self) -> None:
        super().__init__({})

    def update(
        self, words: Iterable[str], stems: Iterable[str], counts: Iterable[int], sign: int
    ) -> None:
        """Add (sign 1) or take out (-1) word counts; ``stems`` are the words' stems."""
        surface, stem_counts = self._surface, self._stems
        for word, word_stem, count in zip(words, stems, counts):
            delta = int(count) * sign
            for table, key in ((surface, word), (stem_counts, word_stem)):
                n = table.get(key, 0) + delta
                if n > 0:
                    table[key] = n
                else:
                    table.pop(key, None)
        self._split_cache.clear()  # splits depend on the vocabulary
        self._terms_cache.clear()


@dataclass
class _Block:
    """One group analysed: CSR postings over the group's own terms, and its word counts."""

    group: str
    ids: list[str]
    lengths: np.ndarray  # int32, terms per chunk
    terms: list[str]  # the group's distinct terms
    ptr: np.ndarray  # int64, len(terms) + 1: postings of terms[i] are [ptr[i], ptr[i+1])
    docs: np.ndarray  # int32, chunk number within the group
    tf: np.ndarray  # uint16
    words: list[str]  # surface vocabulary of the group (no numbers) ...
    stems: list[str]  # ... each word's stem (stored: stemming is what makes loading slow) ...
    counts: np.ndarray  # ... and each word's count (int32)


@dataclass
class _Segment:
    """Postings of many chunks, sorted by term id: CSR with global chunk numbers."""

    terms: np.ndarray  # int32, sorted, unique
    ptr: np.ndarray  # int64
    docs: np.ndarray  # int32
    tf: np.ndarray  # uint16

    @property
    def size(self) -> int:
        return int(self.docs.size)

    def coo(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.repeat(self.terms, np.diff(self.ptr)), self.docs, self.tf


@dataclass
class _Group:
    start: int  # chunk numbers [start, stop)
    stop: int
    words: np.ndarray  # int32 word ids, for taking the vocabulary back out on removal
    counts: np.ndarray  # int32


def _segment(terms: np.ndarray, docs: np.ndarray, tf: np.ndarray) -> _Segment:
    order = np.lexsort((docs, terms))
    terms, docs, tf = terms[order], docs[order], tf[order]
    starts = (
        np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
        if terms.size
        else np.zeros(0, dtype=np.int64)
    )
    ptr = np.append(starts, terms.size).astype(np.int64)
    return _Segment(
        terms[starts].astype(np.int32), ptr, docs.astype(np.int32), tf.astype(np.uint16)
    )


class LexicalIndex:
    """BM25 over Swedish chunks, grouped by report, persisted one file per group.

    Thread-safe: one lock around every operation (a search at 100,000 chunks takes
    milliseconds, adding a report a fraction of a second).
    """

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory is not None else None
        self._lock = threading.RLock()
        self._vocab = _Vocabulary()
        self._word_ids: dict[str, int] = {}
        self._term_ids: dict[str, int] = {}
        self._ids: list[str] = []
        self._lengths = np.zeros(0, dtype=np.float64)
        self._alive = np.zeros(0, dtype=bool)
        self._n = 0  # chunk numbers used (alive or not)
        self._live = 0  # alive chunks
        self._total_length = 0.0  # sum of alive chunks' lengths
        self._segments: list[_Segment] = []
        self._groups: dict[str, _Group] = {}
        self._pending: dict[str, _Block] = {}  # added since the last save
        self._removed: set[str] = set()  # removed since the last save
        self._files: dict[str, str] = {}  # file name -> group, as last seen in the folder
        self._folder_mtime: int | None = None
        if self.directory is not None:
            self.refresh()
            self._migrate_format1()

    @classmethod
    def load(cls, directory: str | Path) -> LexicalIndex:
        """Open the index stored in ``directory`` (empty if none there yet)."""
        return cls(directory)

    # -- content ---------------------------------------------------------

    def add(self, group: str, docs: list[tuple[str, str]]) -> None:
        """Add (or replace) a group's chunks: ``docs`` = [(chunk_id, text)]."""
        self.add_many([(group, docs)])

    def add_many(self, groups: Iterable[tuple[str, list[tuple[str, str]]]]) -> None:
        """Add (or replace) several groups; all their words count before any is split."""
        tokenized = [
            (group, [str(cid) for cid, _ in docs], [tokenize(text) for _, text in docs])
            for group, docs in groups
        ]
        with self._lock:
            for group, _, _ in tokenized:
                self._drop(group)
            vocabularies = []
            for _group, _, token_lists in tokenized:
                counts = Counter(t for toks in token_lists for t in toks if not t.isdigit())
                words = list(counts)
                vocabulary = (
                    words,
                    [stem(w) for w in words],
                    np.array([counts[w] for w in words], np.int32),
                )
                self._vocab.update(*vocabulary, +1)
                vocabularies.append(vocabulary)
            blocks = [
                _analyse(group, ids, token_lists, vocabulary, self._vocab)
                for (group, ids, token_lists), vocabulary in zip(tokenized, vocabularies)
            ]
            self._insert(blocks, vocab_done=True)
            for block in blocks:
                self._pending[block.group] = block
                self._removed.discard(block.group)

    def remove(self, group: str) -> None:
        with self._lock:
            if self._drop(group):
                self._removed.add(group)
                self._pending.pop(group, None)

    def groups(self) -> set[str]:
        return set(self._groups)

    def __len__(self) -> int:
        return self._live

    # -- search ----------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 50,
        allowed: Allowed = None,
        extra: Mapping[str, float] | None = None,
    ) -> list[tuple[str, float]]:
        """Top ``k`` (chunk_id, BM25 score), best first; ties keep index order.

        ``allowed`` (a set of chunk ids or a predicate) restricts the results;
        it is applied before the cut to ``k``, so filtered searches still fill k.
        ``extra`` adds analysed terms with a weight (query expansion); a term the
        query has itself keeps the query's weight.
        """
        with self._lock:
            if not self._live or k <= 0:
                return []
            scores = np.zeros(self._n, dtype=np.float64)
            avgdl = self._total_length / self._live
            weights = {t: float(n) for t, n in Counter(self._query_terms(query)).items()}
            for term, w in (extra or {}).items():
                weights.setdefault(term, w)
            for term, qtf in weights.items():
                idx, tf = self._postings(term)
                if idx.size:
                    norm = K1 * (1 - B + B * self._lengths[idx] / avgdl)
                    scores[idx] += self._idf(idx.size) * qtf * tf * (K1 + 1) / (tf + norm)
            cand = np.flatnonzero(scores > 0)
            if allowed is not None:
                keep = allowed.__contains__ if isinstance(allowed, (set, frozenset)) else allowed
                cand = np.array([i for i in cand if keep(self._ids[i])], dtype=np.int64)
            if cand.size == 0:
                return []
            order = cand[np.argsort(-scores[cand], kind="stable")][:k]
            return [(self._ids[i], float(scores[i])) for i in order]

    def analyze(self, text: str) -> list[str]:
        """The index's own analysis of a text (with the corpus' compound splitter)."""
        with self._lock:
            return analyze_tokens(tokenize(text), self._vocab)

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term; 0.0 if the corpus lacks it."""
        with self._lock:
            df = self._postings(term)[0].size
            return self._idf(df) if df else 0.0

    def ids_with(self, term: str) -> list[str]:
        """The chunk ids whose text has the analysed term."""
        with self._lock:
            return [self._ids[i] for i in self._postings(term)[0]]

    def unseen_idf(self) -> float:
        """The idf formula at document frequency 0: the weight of a word the corpus lacks."""
        with self._lock:
            return self._idf(0)

    def encode_query(self, query: str) -> dict[str, float]:
        """Sparse query vector: term -> idf * query tf (terms unknown to the index dropped)."""
        with self._lock:
            out = {}
            for term, count in Counter(self._query_terms(query)).items():
                df = self._postings(term)[0].size
                if df:
                    out[term] = self._idf(df) * count
            return out

    def encode_documents(self, texts: list[str]) -> list[dict[str, float]]:
        """Sparse document vectors: term -> BM25 impact, with this index's statistics."""
        with self._lock:
            term_lists = [analyze_tokens(tokenize(t), self._vocab) for t in texts]
            avgdl = self._total_length / self._live if self._live else 0.0
        avgdl = avgdl or (sum(map(len, term_lists)) / max(len(term_lists), 1)) or 1.0
        out = []
        for terms in term_lists:
            norm = K1 * (1 - B + B * len(terms) / avgdl)
            out.append({t: tf * (K1 + 1) / (tf + norm) for t, tf in Counter(terms).items()})
        return out

    def _idf(self, df: int) -> float:
        return math.log(1 + (self._live - df + 0.5) / (df + 0.5))

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Alive (chunk numbers, term frequencies) of a term over all segments."""
        tid = self._term_ids.get(term)
        parts = []
        if tid is not None:
            for seg in self._segments:
                i = int(np.searchsorted(seg.terms, tid))
                if i < seg.terms.size and seg.terms[i] == tid:
                    parts.append(
                        (seg.docs[seg.ptr[i] : seg.ptr[i + 1]], seg.tf[seg.ptr[i] : seg.ptr[i + 1]])
                    )
        if not parts:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        idx = np.concatenate([p[0] for p in parts])
        tf = np.concatenate([p[1] for p in parts]).astype(np.float64)
        live = self._alive[idx]
        return (idx, tf) if live.all() else (idx[live], tf[live])

    def _query_terms(self, query: str) -> list[str]:
        """Query terms, plus compounds the query spells as separate words.

        The splitter can only split a document's compound into parts that
        the corpus attests; the other direction needs no vocabulary:
        "aktiviteter under sommarlovet" also looks up "sommarlov(s)aktivitet",
        which exists if some chunk uses the compound.
        """
        tokens = tokenize(query)
        terms = analyze_tokens(tokens, self._vocab)
        words = [t for t in tokens if t.isalpha() and len(t) >= 3]
        for a, b in zip(words, words[1:]):
            for mod, head in ((a, b), (b, a)):
                for link in ("", "s"):
                    joined = stem(stem(mod) + link + head)
                    if joined in self._term_ids and joined not in terms:
                        terms.append(joined)
        return terms

    # -- in-memory structure ---------------------------------------------

    def _insert(self, blocks: list[_Block], vocab_done: bool = False) -> None:
        """Append groups' chunks and postings (as one new segment); merge segments."""
        for block in blocks:
            self._drop(block.group)  # all drops first: a compaction renumbers chunks
        coo = []
        for block in blocks:
            if not vocab_done:
                self._vocab.update(block.words, block.stems, block.counts, +1)
            start, n = self._n, len(block.ids)
            self._grow(start + n)
            self._ids.extend(block.ids)
            self._lengths[start : start + n] = block.lengths
            self._alive[start : start + n] = True
            self._n, self._live = start + n, self._live + n
            self._total_length += float(block.lengths.sum())
            word_ids = np.array([self._id(self._word_ids, w) for w in block.words], dtype=np.int32)
            self._groups[block.group] = _Group(start, start + n, word_ids, block.counts)
            term_ids = np.array([self._id(self._term_ids, t) for t in block.terms], dtype=np.int32)
            coo.append(
                (
                    np.repeat(term_ids, np.diff(block.ptr)),
                    block.docs.astype(np.int32) + start,
                    block.tf,
                )
            )
        if any(c[0].size for c in coo):
            self._segments.append(
                _segment(*(np.concatenate([c[i] for c in coo]) for i in range(3)))
            )
        while len(self._segments) > 1 and self._segments[-2].size <= 2 * self._segments[-1].size:
            last = self._segments.pop()
            self._segments[-1] = self._merge([self._segments[-1], last])

    def _drop(self, group: str) -> bool:
        """Mask out a group's chunks and take its words out of the vocabulary."""
        g = self._groups.pop(group, None)
        if g is None:
            return False
        words = [self._word_list()[i] for i in g.words]
        self._vocab.update(words, [stem(w) for w in words], g.counts, -1)
        self._alive[g.start : g.stop] = False
        self._live -= g.stop - g.start
        self._total_length -= float(self._lengths[g.start : g.stop].sum())
        if self._n - self._live > max(1000, self._n // 4):
            self._compact()
        return True

    def _word_list(self) -> list[str]:
        cached = getattr(self, "_words_cache", None)
        if cached is None or len(cached) != len(self._word_ids):
            cached = self._words_cache = list(self._word_ids)  # dict order = id order
        return cached

    def _merge(self, segments: list[_Segment], renumber: np.ndarray | None = None) -> _Segment:
        parts = [s.coo() for s in segments]
        terms = np.concatenate([p[0] for p in parts])
        docs = np.concatenate([p[1] for p in parts])
        tf = np.concatenate([p[2] for p in parts])
        if renumber is not None:
            keep = self._alive[docs]
            terms, docs, tf = terms[keep], renumber[docs[keep]], tf[keep]
        return _segment(terms, docs, tf)

    def _compact(self) -> None:
        """Drop removed chunks: one full merge with chunks renumbered."""
        alive = self._alive[: self._n]
        before = np.concatenate([[0], np.cumsum(alive)])  # alive chunks before each number
        renumber = (before[:-1]).astype(np.int32)
        merged = self._merge(self._segments, renumber) if self._segments else None
        self._segments = [merged] if merged is not None and merged.size else []
        self._ids = [cid for cid, a in zip(self._ids, alive) if a]
        self._lengths = self._lengths[: self._n][alive].copy()
        self._n = self._live = len(self._ids)
        self._alive = np.ones(self._n, dtype=bool)
        for g in self._groups.values():
            g.start, g.stop = int(before[g.start]), int(before[g.stop])

    def _grow(self, n: int) -> None:
        if n > self._lengths.size:
            size = max(n, 2 * self._lengths.size, 1024)
            self._lengths = np.concatenate([self._lengths, np.zeros(size - self._lengths.size)])
            self._alive = np.concatenate([self._alive, np.zeros(size - self._alive.size, bool)])

    @staticmethod
    def _id(table: dict[str, int], key: str) -> int:
        i = table.get(key)
        if i is None:
            i = table[key] = len(table)
        return i

    # -- persistence -----------------------------------------------------

    def save(self) -> None:
        """Write the groups changed since load; a no-op for an in-memory index."""
        if self.directory is None:
            return
        with self._lock:
            folder = self._folder()
            folder.mkdir(parents=True, exist_ok=True)
            for group in sorted(self._removed):
                name = _file_name(group)
                (folder / name).unlink(missing_ok=True)
                self._files.pop(name, None)
                self._removed.discard(group)
            for group in sorted(self._pending):
                name = _file_name(group)
                _write_block(folder / name, self._pending[group])
                self._files[name] = group
                del self._pending[group]  # only after the file is safely in place
            _fsync_dir(folder)

    def refresh(self) -> bool:
        """Take in group files that other processes added or removed.

        Costs one ``stat`` when the folder is unchanged, else one directory listing; a
        group's content is fixed by its name (the report's file hash), so names suffice.
        Returns whether anything changed.
        """
        if self.directory is None:
            return False
        folder = self._folder()
        try:
            mtime = folder.stat().st_mtime_ns
        except FileNotFoundError:
            mtime = None
        with self._lock:
            recent = mtime is not None and time.time_ns() - mtime < _RECENT_NS
            if mtime == self._folder_mtime and not recent:
                return False
            self._folder_mtime = mtime
            names = set()
            if mtime is not None:
                names = {
                    n for n in os.listdir(folder) if n.endswith(".bm25") and not n.startswith(".")
                }
            changed = False
            for name in set(self._files) - names:
                group = self._files.pop(name)
                if group not in self._pending:
                    changed |= self._drop(group)
            blocks = []
            for name in sorted(names - set(self._files)):
                block = _read_block(folder / name)
                self._files[name] = block.group if block is not None else ""
                if (
                    block is not None
                    and block.group not in self._pending
                    and block.group not in self._removed
                ):
                    blocks.append(block)
            if blocks:
                self._insert(blocks)
            return changed or bool(blocks)

    def _folder(self) -> Path:
        assert self.directory is not None
        return self.directory / _FOLDER

    def _migrate_format1(self) -> None:
        """Analyse the raw texts of a format-1 folder into this format, then remove it."""
        old = self.directory / _OLD_FOLDER
        files = (
            sorted(p for p in old.glob("*.json") if not p.name.startswith("."))
            if old.is_dir()
            else []
        )
        if not files:
            return
        groups = []
        for path in files:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                groups.append((data["group"], list(zip(data["ids"], data["texts"]))))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("skipping unreadable lexical index file %s: %s", path, exc)
        log.info(
            "migrating the lexical index in %s to format %d (%d groups)", old, _FORMAT, len(groups)
        )
        self.add_many(g for g in groups if g[0] not in self._groups)
        self.save()
        for path in old.iterdir():
            path.unlink(missing_ok=True)
        old.rmdir()


def _analyse(
    group: str,
    ids: list[str],
    token_lists: list[list[str]],
    vocabulary: tuple[list[str], list[str], np.ndarray],
    splitter: _Vocabulary,
) -> _Block:
    postings: dict[str, tuple[list[int], list[int]]] = {}
    lengths = np.zeros(len(ids), dtype=np.int32)
    for d, toks in enumerate(token_lists):
        terms = analyze_tokens(toks, splitter)
        lengths[d] = len(terms)
        for term, tf in Counter(terms).items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = ([], [])
            entry[0].append(d)
            entry[1].append(min(tf, _TF_MAX))
    terms = list(postings)
    ptr = np.zeros(len(terms) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(postings[t][0]) for t in terms])
    docs = np.array([d for t in terms for d in postings[t][0]], dtype=np.int32)
    tf = np.array([f for t in terms for f in postings[t][1]], dtype=np.uint16)
    words, stems, counts = vocabulary
    return _Block(group, ids, lengths, terms, ptr, docs, tf, words, stems, counts)


# A block file: one line of JSON (format, group, and the string lists), then the numeric
# arrays' raw little-endian bytes in this order. Reading is one read() and a few views.
_ARRAYS = (("lengths", "<i4"), ("ptr", "<i8"), ("docs", "<i4"), ("tf", "<u2"), ("counts", "<i4"))
_STRINGS = ("ids", "terms", "words", "stems")


def _write_block(path: Path, block: _Block) -> None:
    head = {"format": _FORMAT, "group": block.group, **{k: getattr(block, k) for k in _STRINGS}}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n")
            for name, dtype in _ARRAYS:
                f.write(np.ascontiguousarray(getattr(block, name), dtype=dtype).tobytes())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read_block(path: Path) -> _Block | None:
    try:
        data = path.read_bytes()
        end = data.index(b"\n")
        head = json.loads(data[:end])
        if head.get("format") != _FORMAT:
            raise ValueError(f"format {head.get('format')}, expected {_FORMAT}")
        sizes = {
            "lengths": len(head["ids"]),
            "ptr": len(head["terms"]) + 1,
            "counts": len(head["words"]),
        }
        arrays, offset = {}, end + 1
        for name, dtype in _ARRAYS:
            count = sizes.get(name, int(arrays["ptr"][-1]) if "ptr" in arrays else 0)
            arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
            offset += count * np.dtype(dtype).itemsize
        if offset != len(data) or len(head["stems"]) != len(head["words"]):
            raise ValueError("truncated or inconsistent file")
        return _Block(
            group=head["group"],
            ids=head["ids"],
            terms=head["terms"],
            words=head["words"],
            stems=head["stems"],
            lengths=arrays["lengths"].astype(np.int32),
            ptr=arrays["ptr"].astype(np.int64),
            docs=arrays["docs"].astype(np.int32),
            tf=arrays["tf"].astype(np.uint16),
            counts=arrays["counts"].astype(np.int32),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.warning("skipping unreadable lexical index file %s: %s", path, exc)
        return None


def _file_name(group: str) -> str:
    """File name for a group; anything not plainly safe is hex-encoded."""
    if _SAFE_NAME.fullmatch(group):
        return f"{group}.bm25"
    return f"x-{hashlib.sha256(group.encode('utf-8')).hexdigest()}.bm25"


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
