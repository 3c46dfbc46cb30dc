"""The report store: Chroma (embedded or over HTTP) holds every chunk, page and report.

Collections: chunks (text + metadata + our embeddings), pages (the cleaned text of every
page, which citations are verified against), reports (one record per ingested file, written
after all of its pages and chunks: the commit) and leases ("file X is being written by
host/pid since t", written before the file's first page, deleted after its record).

Consistency, the promise a crash (kill -9 at any point) must not break, and what `check()`
verifies:
- A file is *committed* when its report record exists. A committed record is *visible*
  unless a newer record has the same path: that is a replacement whose old version is not
  deleted yet, and the newer record is the commit point of the replacement.
- Every visible record is complete: its `chunks` and `pages` equal the chunks and pages
  stored under its file hash. (A record is written after its pages and chunks and deleted
  before them, so a crash cannot break this.)
- Readers see visible files only: `report_records`, `count`, `dense_search`, `get_chunks`,
  `similarities`, `all_chunk_metadata` and `page_text` filter by the visible file hashes.
  Chunks and pages of anything else (a file whose ingest or deletion was killed, an old
  version already replaced) may lie in Chroma but are invisible, and `collect_garbage`, run
  at the start of every ingest, removes them, so re-running the ingest finishes the job.
- The lexical index holds exactly the visible files: `lexical()` brings it in step.

Several processes may write one store (a shared `chroma run` server), so garbage collection
must not delete the chunks of a file that another process is writing right now: it skips
files with a live lease. A lease is live while it is younger than LEASE_SECONDS and, when
it was taken on this host, its process still runs; so the lease of a killed ingest is dead
at once on the same machine and after LEASE_SECONDS on others (its leftovers stay invisible
meanwhile). A lease spans only the writes of one file, never its embedding.

Chroma 1.5.9 itself survived kill -9 in every trial: embedded stores whose writer was killed
(60 kills, benchmarks/crash_bench.py) and a `chroma run` server killed mid-ingest (8 kills)
reopened with count(), get() and query() in agreement; see tests/test_crash.py.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np

from ingest.records import Chunk, Document
from vectorstore.embedders import DEFAULT_EMBEDDER, Embedder, make_embedder
from vectorstore.records import Hit

if TYPE_CHECKING:
    from rapport_settings import Settings

CHUNKS, PAGES, REPORTS, LEASES = "ra_chunks", "ra_pages", "ra_reports", "ra_leases"
CORRECTIONS = "ra_corrections"  # "file X is being relabelled as municipality M, year Y"
LEASE_SECONDS = 600.0  # a lease older than this is dead (its writer crashed on another host)
RECORDS_FRESH, RECORDS_TRUST = 1.0, 60.0  # caching of the report records: see _record_list
_PLACEHOLDER = [1.0]  # pages, reports and leases are fetched by id or filter, never by vector


class StoreError(RuntimeError):
    """The store cannot be used as asked; the message says what to do (Swedish)."""


def default_store_dir() -> Path:
    """The setting `store.path`: $RAPPORTASSISTENT_STORE, else $XDG_DATA_HOME/rapportassistent."""
    from rapport_settings import get_settings

    return get_settings().store.path


@dataclass(frozen=True)
class ReportRecord:
    file_hash: str
    path: str
    source: str
    municipality: str
    year: int
    pages: int
    chunks: int
    scanned_pages: str  # comma-separated page numbers without text (not even by OCR)
    ingested_at: float
    ocr_pages: str = ""  # comma-separated page numbers whose text was recognised by OCR

    @classmethod
    def from_meta(cls, file_hash: str, meta: dict) -> ReportRecord:
        return cls(
            file_hash=file_hash,
            ocr_pages=meta.get("ocr_pages", ""),
            **{k: meta[k] for k in _REPORT_FIELDS},
        )


_REPORT_FIELDS = "path source municipality year pages chunks scanned_pages ingested_at".split()


@dataclass
class StoreCheck:
    """The result of `ReportStore.check()`; all texts in Swedish for the user."""

    problems: list[str] = field(default_factory=list)  # the store is inconsistent
    notes: list[str] = field(default_factory=list)  # invisible leftovers, removed at next ingest

    @property
    def ok(self) -> bool:
        return not self.problems


def connect(store_dir: str | Path | None = None, chroma_url: str | None = None):
    """A Chroma client: over HTTP when `chroma_url` is given, else embedded at `store_dir`."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=settings,
            )
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001 - any transport error means the same to users
            raise StoreError(
                f"Chroma-servern på {chroma_url} svarar inte ({type(exc).__name__}). "
                "Kontrollera adressen och att servern är startad (`chroma run --path DIR`)."
            ) from exc
        return client
    path = Path(store_dir) if store_dir else default_store_dir()
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _split_superseded(records: list[ReportRecord]) -> tuple[list[ReportRecord], list[ReportRecord]]:
    """(visible, superseded): of several records for one path only the newest is visible."""
    newest: dict[str, ReportRecord] = {}
    for r in sorted(records, key=lambda r: (r.ingested_at, r.file_hash)):
        newest[r.path] = r
    visible = [r for r in records if newest[r.path] is r]
    return visible, [r for r in records if newest[r.path] is not r]


@dataclass(frozen=True)
class _RecordList:
    """The report records as read at `fetched` (monotonic time), split once into visible and
    superseded versions: readers ask for the visible ones several times per question."""

    fetched: float
    all: list[ReportRecord]
    visible: list[ReportRecord]
    superseded: list[ReportRecord]
    hashes: frozenset[str]  # of the visible records

    @classmethod
    def of(cls, fetched: float, records: list[ReportRecord]) -> _RecordList:
        visible, superseded = _split_superseded(records)
        return cls(fetched, records, visible, superseded, frozenset(r.file_hash for r in visible))


def _files_of(collection) -> Counter:
    """How many items of `collection` (chunks or pages) each file hash has."""
    return Counter(m["file_hash"] for m in _get_all(collection, ["metadatas"])["metadatas"])


GET_PAGE = (
    5000  # Chroma's server fails a get of ~100,000 records at once ("too many SQL variables")
)


def _get_all(collection, include: list[str]) -> dict:
    """Every record of a collection, read in pages of GET_PAGE."""
    out: dict[str, list] = {"ids": [], **{key: [] for key in include}}
    offset = 0
    while True:
        got = collection.get(include=include, limit=GET_PAGE, offset=offset)
        for key in out:
            out[key].extend(got[key])
        if len(got["ids"]) < GET_PAGE:
            return out
        offset += GET_PAGE


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # runs, as another user
        return True
    return True


def _write_point() -> None:
    """Called before every write to Chroma: tests replace it to stop at a given write."""


class ReportStore:
    def __init__(
        self, client, embedder: Embedder, lexical_dir: Path | None, write_delay: float = 0.0
    ) -> None:
        """`write_delay`: seconds to pause before each write, only for the crash tests (so
        that a kill can land between every pair of writes)."""
        self.client = client
        self.write_delay = write_delay
        self.embedder = embedder
        self.lexical_dir = lexical_dir
        self._lexical = None
        self._lexical_synced = None
        self.chunks = client.get_collection(CHUNKS, embedding_function=None)
        self.pages = client.get_or_create_collection(PAGES, embedding_function=None)
        self.reports = client.get_or_create_collection(REPORTS, embedding_function=None)
        self.leases = client.get_or_create_collection(LEASES, embedding_function=None)
        self.corrections = client.get_or_create_collection(CORRECTIONS, embedding_function=None)
        self._records: _RecordList | None = None
        self._records_checked = 0.0  # when the cached list was last confirmed

    def _write_point(self) -> None:
        if self.write_delay:
            time.sleep(self.write_delay)
        _write_point()

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        store_dir: str | Path | None = None,
        chroma_url: str | None = None,
        embedder: str | Embedder | None = None,
        settings: Settings | None = None,
    ) -> ReportStore:
        """Open (or create) the store; the embedder must match the one recorded in it.
        What is not given comes from `settings` (default: `get_settings()`): the folder, the
        embedder of a new store, the cache folder and the crash tests' write delay."""
        from rapport_settings import get_settings

        settings = settings or get_settings()
        client = connect(store_dir or settings.store.path, chroma_url)
        model = _resolve_embedder(client, embedder, settings.embedder.name)
        if chroma_url:
            key = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}").netloc
            lexical_dir = settings.store.cache_dir / "lexical" / key.replace(":", "_")
        else:
            lexical_dir = Path(store_dir or settings.store.path) / "lexical"
        return cls(client, model, lexical_dir, settings.store.test_write_delay)

    # -- reports -------------------------------------------------------------------------
    def _record_list(self) -> _RecordList:
        """Every report record in Chroma, superseded versions included.

        Every reader asks for these, several times per question, and at thousands of reports
        over HTTP a full read costs tens of ms; so the list is cached. Within RECORDS_FRESH s
        it is used as is; after that one `count()` call confirms it, up to RECORDS_TRUST s;
        this process's own writes drop it. Another process's new report is thus seen within
        RECORDS_FRESH s, its replacement of a file (same count) within RECORDS_TRUST s. A
        stale list never shows uncommitted data: it names committed files only, and a file
        deleted since then has no chunks left to show.
        """
        now, cached = time.monotonic(), self._records
        if cached is not None:
            if now - self._records_checked < RECORDS_FRESH:
                return cached
            if now - cached.fetched < RECORDS_TRUST and self.reports.count() == len(cached.all):
                self._records_checked = now
                return cached
        got = _get_all(self.reports, ["metadatas"])
        records = [ReportRecord.from_meta(i, m) for i, m in zip(got["ids"], got["metadatas"])]
        self._records, self._records_checked = _RecordList.of(now, records), now
        return self._records

    def _forget_records(self) -> None:
        """After a write of ours: the next reader reads the records again, and the lexical
        index compares them in full."""
        self._records = None
        self._lexical_synced = None

    def report_records(self) -> list[ReportRecord]:
        """The visible reports: committed, and the newest version of their path."""
        return self._record_list().visible

    def visible_hashes(self) -> frozenset[str]:
        return self._record_list().hashes

    def report(self, file_hash: str) -> ReportRecord | None:
        return next((r for r in self.report_records() if r.file_hash == file_hash), None)

    def count(self) -> int:
        """Chunks of visible reports (a complete record's count is its chunks in Chroma)."""
        return sum(r.chunks for r in self.report_records())

    # -- writing -------------------------------------------------------------------------
    def add_document(self, doc: Document, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Lease the file, write pages and chunks, then the report record that commits them."""
        token = self._take_lease(doc.file_hash)
        batch = self.client.get_max_batch_size()
        page_ids = [f"{doc.file_hash}:{p.number}" for p in doc.pages]
        for start in range(0, len(page_ids), batch):
            part = doc.pages[start : start + batch]
            self._write_point()
            self.pages.upsert(
                ids=page_ids[start : start + batch],
                embeddings=[_PLACEHOLDER] * len(part),
                documents=[p.text or " " for p in part],
                metadatas=[
                    {"file_hash": doc.file_hash, "source": doc.source, "page": p.number}
                    for p in part
                ],
            )
        self._upsert_chunks(chunks, vectors, batch)
        scanned = ",".join(str(p.number) for p in doc.pages if not p.has_text_layer)
        self._write_point()
        self.reports.upsert(
            ids=[doc.file_hash],
            embeddings=[_PLACEHOLDER],
            documents=[doc.source],
            metadatas=[
                {
                    "path": doc.path,
                    "source": doc.source,
                    "municipality": doc.municipality or "",
                    "year": doc.year or 0,
                    "pages": len(doc.pages),
                    "chunks": len(chunks),
                    "scanned_pages": scanned,
                    "ocr_pages": ",".join(str(p.number) for p in doc.pages if p.ocr),
                    "ingested_at": time.time(),
                }
            ],
        )
        self._forget_records()
        self._write_point()
        self.leases.delete(ids=[doc.file_hash], where={"token": token})
        # The lexical index is brought in step by the next `lexical()` call, in bulk: the
        # pipeline calls it once after a batch, so compounds split against the vocabulary of
        # the whole batch, and a crash can never leave the index ahead of Chroma.

    def _upsert_chunks(self, chunks: list, vectors, batch: int) -> None:
        """Write chunks with their vectors, `batch` at a time (each a crash-test write point)."""
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            self._write_point()
            self.chunks.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[start : start + batch].tolist(),
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )

    def _take_lease(self, file_hash: str) -> str:
        token = uuid.uuid4().hex
        self._write_point()
        self.leases.upsert(
            ids=[file_hash],
            embeddings=[_PLACEHOLDER],
            metadatas=[
                {
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                    "started_at": time.time(),
                    "token": token,
                }
            ],
        )
        return token

    def delete_report(self, file_hash: str) -> None:
        """Remove a report record first (so it stops counting), then its chunks and pages."""
        self._write_point()
        self.reports.delete(ids=[file_hash])
        self._forget_records()
        self._write_point()
        self.chunks.delete(where={"file_hash": file_hash})
        self._write_point()
        self.pages.delete(where={"file_hash": file_hash})

    def correct_report(self, file_hash: str, municipality: str, year: int) -> ReportRecord:
        """Relabel a committed report as `municipality`, `year` (a caseworker's correction).

        The municipality and year are part of every chunk's metadata (filters) and of the
        text that is embedded and indexed, so the chunks are re-embedded. Crash-safe by roll
        forward: the intent is written first (CORRECTIONS), then the chunks, then the lexical
        index drops the file, then the report record, then the intent is deleted. A crash in
        between leaves the intent, and `finish_corrections` (run by the next correction,
        ingest or `collect_garbage`) redoes the steps, which are all idempotent. Until then
        the record keeps the old labels; some chunks may already carry the new ones.
        """
        record = self.report(file_hash)
        if record is None:
            raise StoreError("Rapporten finns inte (längre) i arkivet; uppdatera listan.")
        self._write_point()
        self.corrections.upsert(
            ids=[file_hash],
            embeddings=[_PLACEHOLDER],
            metadatas=[{"municipality": municipality, "year": int(year), "at": time.time()}],
        )
        self._apply_correction(file_hash, municipality, int(year))
        return self.report(file_hash)

    def finish_corrections(self) -> int:
        """Redo every correction whose writer stopped half-way; returns how many."""
        got = self.corrections.get(include=["metadatas"])
        for file_hash, m in zip(got["ids"], got["metadatas"]):
            self._apply_correction(file_hash, m["municipality"], int(m["year"]))
        return len(got["ids"])

    def _apply_correction(self, file_hash: str, municipality: str, year: int) -> None:
        self._forget_records()
        records = self._record_list().all
        record = next((r for r in records if r.file_hash == file_hash), None)
        if record is not None:
            got = self.chunks.get(
                where={"file_hash": file_hash}, include=["documents", "metadatas"]
            )
            chunks = [
                Chunk.from_metadata(i, d, {**m, "municipality": municipality, "year": year})
                for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
            ]
            vectors = (
                self.embedder.embed_documents([_lexical_text(c) for c in chunks])
                if chunks
                else np.zeros((0, 1))
            )
            batch = self.client.get_max_batch_size()
            self._upsert_chunks(chunks, vectors, batch)
            self._drop_from_lexical(file_hash)
            meta = {k: getattr(record, k) for k in _REPORT_FIELDS}
            meta.update(ocr_pages=record.ocr_pages, municipality=municipality, year=year)
            self._write_point()
            self.reports.upsert(
                ids=[file_hash],
                embeddings=[_PLACEHOLDER],
                documents=[record.source],
                metadatas=[meta],
            )
            self._forget_records()
        self._write_point()
        self.corrections.delete(ids=[file_hash])

    def _drop_from_lexical(self, file_hash: str) -> None:
        """Take a file out of the lexical index on disk; the next `lexical()` adds it again
        from its chunks as they are now."""
        from vectorstore.lexical import LexicalIndex

        if self._lexical is None:
            self._lexical = LexicalIndex.load(self.lexical_dir)
        self._lexical.refresh()
        if file_hash in self._lexical.groups():
            self._lexical.remove(file_hash)
            self._lexical.save()
        self._lexical_synced = None

    def remove_report(self, file_hash: str) -> ReportRecord:
        """A caseworker removes a report: its record (it stops counting at once), then its
        chunks and pages, then its lexical entries. A crash after the record leaves only
        invisible leftovers, which `collect_garbage` removes."""
        record = self.report(file_hash)
        if record is None:
            raise StoreError("Rapporten finns inte (längre) i arkivet; uppdatera listan.")
        self.corrections.delete(ids=[file_hash])
        self.delete_report(file_hash)
        self.lexical()
        return record

    def collect_garbage(self) -> int:
        """Finish what crashed writers left: delete superseded versions, incomplete records,
        and chunks and pages without a record (unless a live writer holds the file's lease).
        Returns the number of files removed."""
        self.finish_corrections()
        listed, chunk_files, page_files, broken = self._inventory()
        superseded = listed.superseded
        # A broken record cannot come from a crash, but if one exists, dropping it makes the
        # next ingest write the file again.
        for record in superseded + broken:
            self.delete_report(record.file_hash)
        orphans = set(chunk_files) | set(page_files)
        orphans -= {r.file_hash for r in listed.all}
        live, dead = self._leases()
        orphans -= live
        if orphans:  # committed since we listed the records? then they are not orphans
            orphans -= set(self.reports.get(ids=sorted(orphans), include=[])["ids"])
        for file_hash in orphans:
            self._write_point()
            self.chunks.delete(where={"file_hash": file_hash})
            self._write_point()
            self.pages.delete(where={"file_hash": file_hash})
        for file_hash, token in dead:
            self.leases.delete(ids=[file_hash], where={"token": token})
        return len(superseded) + len(broken) + len(orphans)

    def _leases(self) -> tuple[set[str], list[tuple[str, str]]]:
        """(file hashes with a live lease, [(file hash, token)] of dead leases)."""
        got = self.leases.get(include=["metadatas"])
        live, dead = set(), []
        now, host = time.time(), socket.gethostname()
        for file_hash, m in zip(got["ids"], got["metadatas"]):
            alive = now - m["started_at"] < LEASE_SECONDS and (
                m["host"] != host or _process_runs(int(m["pid"]))
            )
            if alive:
                live.add(file_hash)
            else:
                dead.append((file_hash, m["token"]))
        return live, dead

    def _inventory(self) -> tuple[_RecordList, Counter, Counter, list[ReportRecord]]:
        """Fresh records, the chunks and pages Chroma holds per file hash, and the visible
        records that do not match them (broken: their chunks or pages are not all there)."""
        self._forget_records()
        listed = self._record_list()
        chunk_files, page_files = _files_of(self.chunks), _files_of(self.pages)
        broken = [
            r
            for r in listed.visible
            if (chunk_files[r.file_hash], page_files[r.file_hash]) != (r.chunks, r.pages)
        ]
        return listed, chunk_files, page_files, broken

    def check(self) -> StoreCheck:
        """Verify the consistency promised in the module docstring (reads the whole store)."""
        result = StoreCheck()
        listed, chunk_files, page_files, broken = self._inventory()
        records, visible, superseded = listed.all, listed.visible, listed.superseded
        redo = (
            "kör `rapportassistent ingest` med filerna igen: trasiga poster tas då bort och "
            "läses in på nytt."
        )
        for r in broken:
            result.problems.append(
                f"{r.source}: rapportposten anger {r.chunks} stycken och {r.pages} sidor, men "
                f"arkivet har {chunk_files[r.file_hash]} stycken och {page_files[r.file_hash]} "
                f"sidor; {redo}"
            )
        counted, handed_out = self.chunks.count(), sum(chunk_files.values())
        if counted != handed_out:
            result.problems.append(
                f"Chroma räknar {counted} stycken men lämnar ut {handed_out}: "
                "Chromas index är skadat; bygg om arkivet (läs in filerna i ett nytt --store)."
            )
        wanted = listed.hashes
        lexical = self.lexical()
        if lexical.groups() != wanted or len(lexical) != sum(r.chunks for r in visible):
            result.problems.append(
                f"Ordindexet har {len(lexical.groups())} rapporter och {len(lexical)} stycken, "
                f"arkivet {len(wanted)} och {sum(r.chunks for r in visible)}; ta bort mappen "
                f"{self.lexical_dir} så byggs det om."
            )
        leftovers = (set(chunk_files) | set(page_files)) - {r.file_hash for r in records}
        if leftovers:
            result.notes.append(
                f"{sum(chunk_files[h] for h in leftovers)} stycken och "
                f"{sum(page_files[h] for h in leftovers)} sidor från {len(leftovers)} ofullbordade "
                "inläsningar syns inte i sökningar och tas bort vid nästa inläsning."
            )
        if superseded:
            result.notes.append(
                f"{len(superseded)} gamla versioner ({', '.join(r.source for r in superseded)}) "
                "är ersatta, syns inte och tas bort vid nästa inläsning."
            )
        live, _ = self._leases()
        if live:
            result.notes.append(f"{len(live)} filer skrivs just nu av en annan inläsning.")
        pending = self.corrections.count()
        if pending:
            result.notes.append(
                f"{pending} rättelser av kommun eller år är inte slutförda och "
                "slutförs vid nästa rättelse eller inläsning."
            )
        return result

    # -- reading -------------------------------------------------------------------------
    def dense_search(
        self,
        vector: np.ndarray,
        k: int,
        where: dict | None = None,
        center: np.ndarray | None = None,
    ) -> list[Hit]:
        """Nearest `k` chunks by cosine. With `center` (the corpus mean embedding), the `k`
        are re-ordered by their cosine after subtracting it from both sides (see
        `centered_cosines`); `Hit.similarity` stays the plain cosine."""
        visible = self.visible_hashes()
        n = self.chunks.count()
        if n == 0 or not visible:
            return []
        if n != self.count():  # invisible chunks exist: keep them out
            only_visible = {"file_hash": {"$in": sorted(visible)}}
            where = {"$and": [where, only_visible]} if where else only_visible
        include = ["documents", "metadatas", "distances"] + (
            ["embeddings"] if center is not None else []
        )
        got = self.chunks.query(
            query_embeddings=[vector.tolist()],
            n_results=min(k, n),
            where=where or None,
            include=include,
        )
        keep = [n for n, m in enumerate(got["metadatas"][0]) if m["file_hash"] in visible]
        cosines = [1.0 - float(got["distances"][0][n]) for n in keep]
        scores = cosines
        if center is not None and keep:
            matrix = np.asarray(got["embeddings"][0], dtype=np.float32)[keep]
            scores = centered_cosines(matrix, vector, center).tolist()
        hits = [
            Hit(
                Chunk.from_metadata(
                    got["ids"][0][n], got["documents"][0][n], got["metadatas"][0][n]
                ),
                score,
                cos,
            )
            for n, score, cos in zip(keep, scores, cosines)
        ]
        return sorted(hits, key=lambda h: -h.score)

    def _get_visible(self, ids: Iterable[str], field: str) -> list[tuple[str, object, dict]]:
        """(id, `field`, metadata) of the chunks among `ids` that are visible."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return []
        got = self.chunks.get(ids=ids, include=[field, "metadatas"])
        visible = self.visible_hashes()
        return [
            (i, x, m)
            for i, x, m in zip(got["ids"], got[field], got["metadatas"])
            if m["file_hash"] in visible
        ]

    def embeddings(self, ids: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of visible chunks."""
        return {
            i: np.asarray(e, dtype=np.float32) for i, e, _ in self._get_visible(ids, "embeddings")
        }

    def get_chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        return {i: Chunk.from_metadata(i, d, m) for i, d, m in self._get_visible(ids, "documents")}

    def similarities(self, ids: list[str], vector: np.ndarray) -> dict[str, float]:
        """Cosine of stored chunk embeddings with `vector` (ours are L2-normalised)."""
        vectors = self.embeddings(ids)
        if not vectors:
            return {}
        return dict(zip(vectors, (np.stack(list(vectors.values())) @ vector).tolist()))

    def all_chunk_metadata(self) -> dict[str, dict]:
        got = _get_all(self.chunks, ["metadatas"])
        visible = self.visible_hashes()
        return {i: m for i, m in zip(got["ids"], got["metadatas"]) if m["file_hash"] in visible}

    def page_text(self, file_hash: str, page: int) -> str | None:
        if file_hash not in self.visible_hashes():
            return None
        got = self.pages.get(ids=[f"{file_hash}:{page}"], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def lexical(self):
        """The lexical index, brought in step with the reports in Chroma."""
        from vectorstore.lexical import LexicalIndex

        if self._lexical is None:
            self._lexical = LexicalIndex.load(self.lexical_dir)
        self._sync_lexical()
        return self._lexical

    def _sync_lexical(self) -> None:
        """Cheap on most questions: the index folder is shared by the processes on this
        machine (`refresh` is one stat), and the visible reports come from the cached record
        list (see `_record_list`); they are compared with the index only when that list was
        read anew or the folder changed. Missing reports are fetched in batches and added in
        bulk (compounds split against the vocabulary of all of them)."""
        batch = 50
        index = self._lexical
        changed_on_disk = index.refresh()
        if changed_on_disk:  # another process wrote the index: its records are newer than ours
            self._records = None
        records = self.report_records()
        version = self._records.fetched if self._records else None
        if not changed_on_disk and version is not None and version == self._lexical_synced:
            return
        wanted = {r.file_hash for r in records}
        have = index.groups()
        for file_hash in have - wanted:
            index.remove(file_hash)
        missing = sorted(wanted - have)
        docs: dict[str, list[tuple[str, str]]] = {h: [] for h in missing}
        for start in range(0, len(missing), batch):
            hashes = missing[start : start + batch]
            got = self.chunks.get(
                where={"file_hash": {"$in": hashes}}, include=["documents", "metadatas"]
            )
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"]):
                chunk = Chunk.from_metadata(i, d, m)
                docs[chunk.file_hash].append((chunk.id, _lexical_text(chunk)))
        if docs:
            index.add_many(docs.items())
        if have != wanted:
            index.save()
        self._lexical_synced = version


def centered_cosines(matrix: np.ndarray, query: np.ndarray, center: np.ndarray) -> np.ndarray:
    """Cosine of each row of `matrix` with `query` after subtracting `center` from both.

    Sentence embeddings are anisotropic: e5's chunk embeddings share one dominant direction
    (any two of our chunks have a cosine near 0.9), so plain cosine rewards chunks that are
    "typical" (title pages, summaries) over chunks about the question. Subtracting the corpus
    mean removes that common part (as in Mu & Viswanath, "All-but-the-top", 2018)."""
    rows = matrix - center
    q = query - center
    norms = np.linalg.norm(rows, axis=1) * (np.linalg.norm(q) or 1.0)
    return (rows @ q) / np.where(norms > 0, norms, 1.0)


def _lexical_text(chunk: Chunk) -> str:
    from ingest.chunking import embedding_text

    return embedding_text(chunk)


def _resolve_embedder(
    client, requested: str | Embedder | None, configured: str | None = None
) -> Embedder:
    """Use the store's recorded embedder; refuse a different one for a store with chunks.
    A new store gets `requested`, else `configured` (the setting), else DEFAULT_EMBEDDER."""
    existing = {getattr(c, "name", c) for c in client.list_collections()}
    recorded = None
    if CHUNKS in existing:
        collection = client.get_collection(CHUNKS, embedding_function=None)
        recorded = (collection.metadata or {}).get("embedder_spec")
        if collection.count() == 0 and requested is not None:
            client.delete_collection(CHUNKS)
            recorded = None
    if isinstance(requested, Embedder):
        spec, model = getattr(requested, "spec", requested.name), requested
    else:
        spec = requested or recorded or configured or DEFAULT_EMBEDDER
        model = None
    if recorded is not None and spec != recorded:
        raise StoreError(
            f"Arkivet är byggt med inbäddningsmodellen '{recorded}', inte '{spec}'. Modeller kan "
            "inte blandas i ett arkiv: använd samma modell, eller ett nytt arkiv (--store)."
        )
    model = model or make_embedder(spec)
    model.spec = spec
    if recorded is None:
        client.get_or_create_collection(
            CHUNKS,
            embedding_function=None,
            metadata={
                "hnsw:space": "cosine",
                "embedder_spec": spec,
                "embedder": model.name,
                "dim": model.dim,
            },
        )
    return model
