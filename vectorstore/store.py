"""The report store: Chroma (embedded or over HTTP) holds every chunk, page and report.

Three collections: chunks (text + metadata + our embeddings), pages (the cleaned text of
every page, which citations are verified against) and reports (one record per ingested file,
written last). A file counts as ingested only once its report record exists, so a crash
mid-file leaves chunks without a report record; `collect_garbage` removes them on the next
ingest. The lexical index is derived from the chunks and can always be rebuilt from them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from ingest.records import Chunk, Document, Hit
from vectorstore.embedders import DEFAULT_EMBEDDER, Embedder, make_embedder

DEFAULT_STORE = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / (
    "rapportassistent"
)
CHUNKS, PAGES, REPORTS = "ra_chunks", "ra_pages", "ra_reports"
_PLACEHOLDER = [1.0]  # pages and reports are fetched by id or filter, never by vector


class StoreError(RuntimeError):
    """The store cannot be used as asked; the message says what to do (Swedish)."""


def default_store_dir() -> Path:
    return Path(os.environ.get("RAPPORTASSISTENT_STORE") or DEFAULT_STORE)


@dataclass(frozen=True)
class ReportRecord:
    file_hash: str
    path: str
    source: str
    municipality: str
    year: int
    pages: int
    chunks: int
    scanned_pages: str  # comma-separated page numbers without a text layer
    ingested_at: float

    @classmethod
    def from_meta(cls, file_hash: str, meta: dict) -> ReportRecord:
        return cls(file_hash=file_hash, **{k: meta[k] for k in _REPORT_FIELDS})


_REPORT_FIELDS = (
    "path source municipality year pages chunks scanned_pages ingested_at".split()
)


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


class ReportStore:
    def __init__(self, client, embedder: Embedder, lexical_dir: Path | None) -> None:
        self.client = client
        self.embedder = embedder
        self.lexical_dir = lexical_dir
        self._lexical = None
        self.chunks = client.get_collection(CHUNKS, embedding_function=None)
        self.pages = client.get_or_create_collection(PAGES, embedding_function=None)
        self.reports = client.get_or_create_collection(REPORTS, embedding_function=None)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        store_dir: str | Path | None = None,
        chroma_url: str | None = None,
        embedder: str | Embedder | None = None,
    ) -> ReportStore:
        """Open (or create) the store; the embedder must match the one recorded in it."""
        client = connect(store_dir, chroma_url)
        model = _resolve_embedder(client, embedder)
        if chroma_url:
            key = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}").netloc
            lexical_dir = _cache_dir() / "lexical" / key.replace(":", "_")
        else:
            lexical_dir = (Path(store_dir) if store_dir else default_store_dir()) / "lexical"
        return cls(client, model, lexical_dir)

    # -- reports -------------------------------------------------------------------------
    def report_records(self) -> list[ReportRecord]:
        got = self.reports.get(include=["metadatas"])
        return [ReportRecord.from_meta(i, m) for i, m in zip(got["ids"], got["metadatas"])]

    def report(self, file_hash: str) -> ReportRecord | None:
        got = self.reports.get(ids=[file_hash], include=["metadatas"])
        return ReportRecord.from_meta(got["ids"][0], got["metadatas"][0]) if got["ids"] else None

    def count(self) -> int:
        return self.chunks.count()

    # -- writing -------------------------------------------------------------------------
    def add_document(self, doc: Document, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Write pages and chunks, then the report record that makes them count."""
        batch = self.client.get_max_batch_size()
        page_ids = [f"{doc.file_hash}:{p.number}" for p in doc.pages]
        for start in range(0, len(page_ids), batch):
            part = doc.pages[start : start + batch]
            self.pages.upsert(
                ids=page_ids[start : start + batch],
                embeddings=[_PLACEHOLDER] * len(part),
                documents=[p.text or " " for p in part],
                metadatas=[
                    {"file_hash": doc.file_hash, "source": doc.source, "page": p.number}
                    for p in part
                ],
            )
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            self.chunks.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[start : start + batch].tolist(),
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )
        scanned = ",".join(str(p.number) for p in doc.pages if not p.has_text_layer)
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
                    "ingested_at": time.time(),
                }
            ],
        )
        lexical = self.lexical()
        lexical.add(doc.file_hash, [(c.id, _lexical_text(c)) for c in chunks])
        lexical.save()

    def delete_report(self, file_hash: str) -> None:
        """Remove a report record first (so it stops counting), then its chunks and pages."""
        self.reports.delete(ids=[file_hash])
        self.chunks.delete(where={"file_hash": file_hash})
        self.pages.delete(where={"file_hash": file_hash})
        lexical = self.lexical()
        if file_hash in lexical.groups():
            lexical.remove(file_hash)
            lexical.save()

    def collect_garbage(self) -> int:
        """Delete chunks and pages of files whose ingest never finished; returns files removed."""
        complete = {r.file_hash for r in self.report_records()}
        orphans = set()
        for collection in (self.chunks, self.pages):
            metas = collection.get(include=["metadatas"])["metadatas"]
            orphans |= {m["file_hash"] for m in metas} - complete
        for file_hash in orphans:
            self.chunks.delete(where={"file_hash": file_hash})
            self.pages.delete(where={"file_hash": file_hash})
        return len(orphans)

    # -- reading -------------------------------------------------------------------------
    def dense_search(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[Hit]:
        n = self.chunks.count()
        if n == 0:
            return []
        got = self.chunks.query(
            query_embeddings=[vector.tolist()],
            n_results=min(k, n),
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            Hit(Chunk.from_metadata(i, d, m), 1.0 - float(dist), 1.0 - float(dist))
            for i, d, m, dist in zip(
                got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0]
            )
        ]

    def get_chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        got = self.chunks.get(ids=ids, include=["documents", "metadatas"])
        return {
            i: Chunk.from_metadata(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
        }

    def similarities(self, ids: list[str], vector: np.ndarray) -> dict[str, float]:
        """Cosine of stored chunk embeddings with `vector` (ours are L2-normalised)."""
        if not ids:
            return {}
        got = self.chunks.get(ids=ids, include=["embeddings"])
        matrix = np.asarray(got["embeddings"], dtype=np.float32)
        return dict(zip(got["ids"], (matrix @ vector).tolist()))

    def all_chunk_metadata(self) -> dict[str, dict]:
        got = self.chunks.get(include=["metadatas"])
        return dict(zip(got["ids"], got["metadatas"]))

    def page_text(self, file_hash: str, page: int) -> str | None:
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
        index = self._lexical
        wanted = {r.file_hash for r in self.report_records()}
        have = index.groups()
        for file_hash in have - wanted:
            index.remove(file_hash)
        for file_hash in wanted - have:
            got = self.chunks.get(where={"file_hash": file_hash}, include=["documents", "metadatas"])
            chunks = [
                Chunk.from_metadata(i, d, m)
                for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
            ]
            index.add(file_hash, [(c.id, _lexical_text(c)) for c in chunks])
        if have != wanted:
            index.save()


def _lexical_text(chunk: Chunk) -> str:
    from ingest.chunking import embedding_text

    return embedding_text(chunk)


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rapportassistent"


def _resolve_embedder(client, requested: str | Embedder | None) -> Embedder:
    """Use the store's recorded embedder; refuse a different one for a store with chunks."""
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
        spec = requested or recorded or os.environ.get("RAPPORTASSISTENT_EMBEDDER") or DEFAULT_EMBEDDER
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
            metadata={"hnsw:space": "cosine", "embedder_spec": spec, "embedder": model.name,
                      "dim": model.dim},
        )
    return model
