"""Crash safety: `rapportassistent ingest` killed with SIGKILL at random moments.

After every kill an independent checker (Chroma read directly, not through ReportStore)
verifies the consistency promised in vectorstore/store.py's docstring, and that the store's
readers never hand out uncommitted data; then the ingest is re-run, and the finished store
must equal one ingested without interruption (same report hashes, chunk ids and page ids).

Kill times come from a seeded RNG and are spread over the whole run (start-up, reading,
first writes, the last report records); half of the runs pause briefly before each write
(RAPPORTASSISTENT_TEST_WRITE_DELAY) so that kills also land between every pair of writes.
RAPPORTASSISTENT_CRASH_KILLS sets the number of kills (default 10; a third of that against a
server and while replacing files); benchmarks/crash_bench.py
runs more and prints figures.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from vectorstore.store import CHUNKS, LEASES, PAGES, REPORTS, ReportStore

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "rapportassistent"
KILLS = int(os.environ.get("RAPPORTASSISTENT_CRASH_KILLS") or 10)
WRITE_DELAY = 0.05  # seconds before each write, in half of the runs


# -- the independent checker --------------------------------------------------------------
def raw_client(where: dict):
    import chromadb
    from chromadb.api.client import SharedSystemClient
    from chromadb.config import Settings

    if "chroma_url" in where:
        host, port = where["chroma_url"].split("//")[1].split(":")
        return chromadb.HttpClient(host=host, port=int(port))
    SharedSystemClient.clear_system_cache()  # another process changed the files
    settings = Settings(anonymized_telemetry=False)
    return chromadb.PersistentClient(path=str(where["store_dir"]), settings=settings)


def snapshot(where: dict) -> dict:
    """{collection: {id: metadata}} read straight from Chroma; problems if counts disagree."""
    client = raw_client(where)
    names = {getattr(c, "name", c) for c in client.list_collections()}
    snap, problems = {}, []
    for name in (CHUNKS, PAGES, REPORTS, LEASES):
        if name not in names:
            snap[name] = {}
            continue
        collection = client.get_collection(name)
        got = collection.get(include=["metadatas"])
        snap[name] = dict(zip(got["ids"], got["metadatas"]))
        if collection.count() != len(got["ids"]):
            problems.append(f"{name}: count() {collection.count()} != get() {len(got['ids'])}")
        if name == CHUNKS and got["ids"]:
            vector = collection.get(ids=got["ids"][:1], include=["embeddings"])["embeddings"][0]
            found = collection.query(
                query_embeddings=[vector], n_results=len(got["ids"]), include=[]
            )
            if set(found["ids"][0]) - set(got["ids"]):
                problems.append("query() returns chunks that get() does not have")
            snap["unreachable"] = set(got["ids"]) - set(found["ids"][0])
    snap["problems"] = problems
    return snap


def by_file(snap: dict) -> dict[str, tuple[set, set]]:
    out: dict[str, tuple[set, set]] = {}
    for collection, n in ((CHUNKS, 0), (PAGES, 1)):
        for i, m in snap[collection].items():
            out.setdefault(m["file_hash"], (set(), set()))[n].add(i)
    return out


def inconsistencies(where: dict, reference: dict[str, tuple[set, set]]) -> list[str]:
    """Everything wrong with the store, judged against an uninterrupted ingest."""
    snap = snapshot(where)
    problems = list(snap["problems"])
    files = by_file(snap)
    records = snap[REPORTS]
    newest: dict[str, tuple] = {}
    for h, m in records.items():  # of two versions of one path, the newer one counts
        newest[m["path"]] = max(newest.get(m["path"], (0, "")), (m["ingested_at"], h))
    visible = {h for _, h in newest.values()}
    for h, m in records.items():
        chunks, pages = files.get(h, (set(), set()))
        want_chunks, want_pages = reference.get(h, (None, None))
        if chunks != want_chunks or m["chunks"] != len(chunks):
            problems.append(f"{m['source']}: {len(chunks)} chunks, record says {m['chunks']}")
        if pages != want_pages or m["pages"] != len(pages):
            problems.append(f"{m['source']}: {len(pages)} pages, record says {m['pages']}")
    hidden_chunks = {i for h, (c, _) in files.items() if h not in visible for i in c}
    visible_chunks = {i for h in visible for i in files.get(h, (set(), set()))[0]}
    # Once in about 100 kills (while replacing files), a query for all chunks returned one
    # fewer than get(); whose chunk it was was not recorded, and 50 more kills did not show
    # it again. Chunks that readers never hand out need not be reachable by dense search;
    # visible ones must be.
    if snap.get("unreachable", set()) & visible_chunks:
        problems.append(
            f"query() cannot reach {len(snap['unreachable'] & visible_chunks)} visible chunks"
        )

    # What the product's readers hand out: visible data only.
    store = ReportStore.open(**where, embedder="hash")
    if {r.file_hash for r in store.report_records()} != visible:
        problems.append("report_records() differs from the visible records")
    if store.count() != len(visible_chunks):
        problems.append(f"count() {store.count()} != {len(visible_chunks)} visible chunks")
    if set(store.all_chunk_metadata()) != visible_chunks:
        problems.append("all_chunk_metadata() shows invisible chunks or misses visible ones")
    if set(store.get_chunks(list(snap[CHUNKS]))) != visible_chunks:
        problems.append("get_chunks() hands out invisible chunks or misses visible ones")
    for h in set(files) - visible:
        if store.page_text(h, 1) is not None:
            problems.append(f"page_text() shows a page of uncommitted file {h[:8]}")
    probes = sorted(hidden_chunks)[:2] + sorted(visible_chunks)[:1]
    if probes:
        got = store.chunks.get(ids=probes, include=["embeddings", "documents"])
        for vector, text in zip(got["embeddings"], got["documents"]):
            hits = store.dense_search(np.asarray(vector), 20)
            if {h.chunk.id for h in hits} & hidden_chunks:
                problems.append("dense_search() returned an uncommitted chunk")
            if visible_chunks and len(hits) != min(20, len(visible_chunks)):
                problems.append(f"dense_search() returned {len(hits)} hits")
            if {i for i, _ in store.lexical().search(text, k=20)} - visible_chunks:
                problems.append("lexical search returned an uncommitted chunk")
    lexical = store.lexical()
    if lexical.groups() != visible or len(lexical) != len(visible_chunks):
        problems.append(f"lexical index: {len(lexical.groups())} reports, {len(visible)} visible")
    if not store.check().ok:
        problems.append(f"store.check(): {store.check().problems}")
    return problems


def kill_state(where: dict) -> str:
    """Where in the run the kill landed, as seen in the store it left."""
    snap = snapshot(where)
    files = by_file(snap)
    paths = Counter(m["path"] for m in snap[REPORTS].values())
    if set(files) - set(snap[REPORTS]):
        return "mid-file (uncommitted chunks or pages)"
    if any(n > 1 for n in paths.values()):
        return "mid-replacement (old version not deleted)"
    if snap[LEASES]:
        return "after a record, before its lease was released"
    if not snap[REPORTS]:
        return "before the first record"
    return "between files or after the last"


def differences(where: dict, reference: dict[str, tuple[set, set]]) -> list[str]:
    """How a finished store differs from the uninterrupted one (nothing left over either)."""
    snap = snapshot(where)
    out = list(snap["problems"])
    if set(snap[REPORTS]) != set(reference):
        out.append(f"reports {len(snap[REPORTS])}, expected {len(reference)}")
    if by_file(snap) != reference:
        out.append("chunk or page ids differ from the uninterrupted ingest")
    if snap[LEASES]:
        out.append(f"{len(snap[LEASES])} leases left")
    store = ReportStore.open(**where, embedder="hash")
    if store.lexical().groups() != set(reference):
        out.append("lexical index groups differ")
    return out


# -- running and killing ingests --------------------------------------------------------------
def ingest_command(corpus: Path, where: dict) -> list[str]:
    if "chroma_url" in where:
        target = ["--chroma-url", where["chroma_url"]]
    else:
        target = ["--store", str(where["store_dir"])]
    return [str(CLI), "ingest", str(corpus), *target, "--embedder", "hash", "--json"]


def run_ingest(corpus: Path, where: dict, env: dict, kill_after: float | None) -> bool:
    """Run an ingest; SIGKILL it after `kill_after` seconds. True if it was killed."""
    proc = subprocess.Popen(
        ingest_command(corpus, where), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        proc.wait(kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True
    assert proc.returncode == 0, proc.stderr.read().decode()
    return False


def crash_env(tmp: Path, delay: bool) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", XDG_CACHE_HOME=str(tmp / "cache"))
    env.pop("RAPPORTASSISTENT_TEST_WRITE_DELAY", None)
    if delay:
        env["RAPPORTASSISTENT_TEST_WRITE_DELAY"] = str(WRITE_DELAY)
    return env


def reference_of(where: dict) -> dict[str, tuple[set, set]]:
    return by_file(snapshot(where))


def kill_campaign(
    corpus,
    tmp: Path,
    kills: int,
    seed: int,
    fresh_store,
    reference,
    full_seconds: float,
    log=None,
    versions=None,
) -> dict:
    """Kill ingests at random moments until `kills` kills are done; check after each kill and
    after each finishing run. A chain of runs continues on one store until a run finishes.
    `reference`: the finished store's files; `versions`: all files a store may hold on the way
    (old versions too), by default `reference`."""
    versions = versions or reference
    rng = random.Random(seed)
    stats = {
        "kills": 0,
        "inconsistent": 0,
        "finished": 0,
        "problems": [],
        "recovery_s": [],
        "states": Counter(),
    }
    where, chain_killed = None, False
    while stats["kills"] < kills:
        if where is None:
            where = fresh_store()
        delay = rng.random() < 0.5
        budget = full_seconds + (8 * WRITE_DELAY * len(reference) if delay else 0.0)
        when = rng.uniform(0.0, budget)
        start = time.perf_counter()
        killed = run_ingest(corpus, where, crash_env(tmp, delay), when)
        if killed:
            stats["kills"] += 1
            chain_killed = True
            problems = inconsistencies(where, versions)
            stats["states"][kill_state(where)] += 1
        else:  # the run finished: it must have finished the job of every killed run before
            stats["finished"] += 1
            if chain_killed and not delay:
                stats["recovery_s"].append(time.perf_counter() - start)
            problems = differences(where, reference)
            where, chain_killed = None, False
        if problems:
            stats["inconsistent"] += 1
            stats["problems"].append((stats["kills"], round(when, 2), problems))
        if log:
            log(
                f"{'kill' if killed else 'done'} at {when:5.2f}s delay={delay}: "
                f"{'; '.join(problems) or 'ok'}"
            )
    if where is not None:  # re-running ingest finishes the job
        start = time.perf_counter()
        run_ingest(corpus, where, crash_env(tmp, False), None)
        stats["recovery_s"].append(time.perf_counter() - start)
        stats["finished"] += 1
        problems = differences(where, reference)
        if problems:
            stats["inconsistent"] += 1
            stats["problems"].append(("final", None, problems))
    return stats


def make_corpus(folder: Path, reports: int, pages: int) -> Path:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "make_samples.py"),
            "--bench",
            str(folder),
            "--reports",
            str(reports),
            "--pages",
            str(pages),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder


# -- tests ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Four small generated reports, and the store they give when ingested without a kill."""
    tmp = tmp_path_factory.mktemp("crash")
    folder = make_corpus(tmp / "corpus", 4, 5)
    where = {"store_dir": tmp / "reference"}
    start = time.perf_counter()
    assert not run_ingest(folder, where, crash_env(tmp, False), None)
    return folder, reference_of(where), time.perf_counter() - start


def test_random_kills_during_ingest_leave_consistent_stores(corpus, tmp_path):
    folder, reference, seconds = corpus
    stores = iter(range(10_000))

    def fresh():
        return {"store_dir": tmp_path / f"store{next(stores)}"}

    stats = kill_campaign(folder, tmp_path, KILLS, 7, fresh, reference, seconds)
    assert stats["kills"] == KILLS
    assert stats["problems"] == []


def test_random_kills_while_replacing_changed_files(corpus, tmp_path):
    """A changed file is written as a new version, then the old one is deleted: a kill in
    between must leave one visible version per path, and re-ingest must delete the old one."""
    folder, _, seconds = corpus
    changed = tmp_path / "changed"
    shutil.copytree(folder, changed)
    old = {"store_dir": tmp_path / "old"}
    assert not run_ingest(changed, old, crash_env(tmp_path, False), None)
    for pdf in sorted(changed.glob("*.pdf"))[:3]:
        with open(pdf, "ab") as f:
            f.write(b"\n% new version\n")  # new bytes, new file hash, same text
    reference_store = {"store_dir": tmp_path / "new-reference"}
    assert not run_ingest(changed, reference_store, crash_env(tmp_path, False), None)
    reference = reference_of(reference_store)
    copies = iter(range(1000))

    def fresh():
        where = {"store_dir": tmp_path / f"replace{next(copies)}"}
        shutil.copytree(old["store_dir"], where["store_dir"])
        return where

    versions = {**reference_of(old), **reference}
    stats = kill_campaign(
        changed, tmp_path, max(3, KILLS // 3), 11, fresh, reference, seconds, versions=versions
    )
    assert stats["problems"] == []


def wipe_server(url: str, cache: Path) -> dict:
    """Empty a Chroma server and the local lexical cache; the store arguments for it."""
    import chromadb

    host, port = url.split("//")[1].split(":")
    client = chromadb.HttpClient(host=host, port=int(port))
    for collection in client.list_collections():
        client.delete_collection(getattr(collection, "name", collection))
    shutil.rmtree(cache, ignore_errors=True)
    return {"chroma_url": url}


def test_random_kills_against_a_chroma_server(corpus, tmp_path, chroma_server, monkeypatch):
    folder, reference, seconds = corpus

    def fresh():
        return wipe_server(chroma_server, tmp_path / "cache")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the checker's lexical index
    stats = kill_campaign(folder, tmp_path, max(3, KILLS // 3), 3, fresh, reference, seconds * 1.5)
    assert stats["problems"] == []


# -- the rules behind it, in-process --------------------------------------------------------
@pytest.fixture
def half_written(tmp_path, corpus):
    """A store with two committed reports and one whose ingest died before its record."""
    from ingest.pipeline import ingest_paths

    toy_store = ReportStore.open(tmp_path / "store", embedder="hash")
    folder = corpus[0]
    files = sorted(folder.glob("*.pdf"))
    ingest_paths(files[:2], toy_store)
    original = toy_store.reports.upsert

    def die(**kwargs):
        raise KeyboardInterrupt  # as if killed right before the record

    toy_store.reports.upsert = die
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(files[2:3], toy_store)
    toy_store.reports.upsert = original
    return toy_store, files


def test_uncommitted_chunks_are_invisible_and_collected(half_written, monkeypatch):
    import vectorstore.store as module

    store, files = half_written
    committed = {r.file_hash for r in store.report_records()}
    raw = store.chunks.get(include=["metadatas", "embeddings"])
    orphan_ids = [
        i for i, m in zip(raw["ids"], raw["metadatas"]) if m["file_hash"] not in committed
    ]
    assert orphan_ids and len(committed) == 2
    assert store.count() == len(raw["ids"]) - len(orphan_ids)
    assert store.get_chunks(orphan_ids) == {}
    assert not set(store.all_chunk_metadata()) & set(orphan_ids)
    vector = np.asarray(raw["embeddings"][raw["ids"].index(orphan_ids[0])])
    hits = store.dense_search(vector, 10)
    assert len(hits) == 10 and not {h.chunk.id for h in hits} & set(orphan_ids)
    check = store.check()
    assert check.ok and "ofullbordade" in check.notes[0]
    monkeypatch.setattr(module, "LEASE_SECONDS", 0.0)  # the writer's lease has expired
    assert store.collect_garbage() == 1
    assert store.chunks.count() == store.count()


def test_live_lease_protects_a_file_being_written(half_written, monkeypatch):
    import vectorstore.store as module

    store, _ = half_written
    before = store.chunks.count()
    assert store.collect_garbage() == 0  # our own pid runs: the lease is live
    assert store.chunks.count() == before
    monkeypatch.setattr(module, "LEASE_SECONDS", 0.0)  # now it has expired
    assert store.collect_garbage() == 1
    assert store.leases.count() == 0


def test_lease_of_a_dead_process_is_dead_at_once(half_written):
    store, _ = half_written
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lease = store.leases.get(include=["metadatas"])
    meta = dict(lease["metadatas"][0], pid=dead.pid)
    store.leases.upsert(ids=lease["ids"], embeddings=[[1.0]], metadatas=[meta])
    assert store.collect_garbage() == 1


def test_old_version_left_by_a_kill_is_hidden_then_deleted(toy_store, corpus, tmp_path):
    from ingest.pipeline import ingest_paths

    pdf = tmp_path / "Rapport.pdf"
    shutil.copy(sorted(corpus[0].glob("*.pdf"))[0], pdf)
    ingest_paths([pdf], toy_store)
    old = toy_store.report_records()[0].file_hash
    with open(pdf, "ab") as f:
        f.write(b"\n% v2\n")
    toy_store.delete_report = lambda h: (_ for _ in ()).throw(KeyboardInterrupt)  # killed
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([pdf], toy_store)
    del toy_store.delete_report
    assert len(toy_store._record_list().all) == 2
    [visible] = toy_store.report_records()
    assert visible.file_hash != old
    shown = toy_store.get_chunks(list(toy_store.all_chunk_metadata())).values()
    assert {c.file_hash for c in shown} == {visible.file_hash}
    assert toy_store.check().ok and "ersatta" in toy_store.check().notes[0]
    report = ingest_paths([pdf], toy_store)
    assert report.removed_incomplete == 1 and report.ingested == []
    assert [r.file_hash for r in toy_store._record_list().all] == [visible.file_hash]
    assert toy_store.chunks.get(where={"file_hash": old})["ids"] == []


def test_status_check_reports_a_broken_store_in_swedish(half_written, capsys):
    from assistant.cli import main

    store, _ = half_written
    path = str(Path(store.lexical_dir).parent)
    assert main(["status", "--store", path, "--check"]) == 0
    out = capsys.readouterr().out
    assert "Kontroll: arkivet är helt." in out and "ofullbordade inläsningar" in out
    record = store.report_records()[0]
    victim = store.chunks.get(where={"file_hash": record.file_hash})["ids"][0]
    store.chunks.delete(ids=[victim])  # not something a crash can do
    assert main(["status", "--store", path, "--check"]) == 1
    out = capsys.readouterr().out
    assert f"{record.source}: rapportposten anger {record.chunks} stycken" in out
    assert "inte helt (1 fel)" in out and "ingest" in out
    assert store.collect_garbage() == 1  # the broken record; the leased orphan stays
    assert store.check().ok and store.report(record.file_hash) is None
