"""Ingestion and search benchmark: pages/s, total and re-ingest time, embedder throughput,
the share of time outside the embedder, warm search latency and peak memory.

    .venv/bin/python benchmarks/ingest_bench.py [FOLDER ...] [--json]

Without folders it measures the bundled samples and a generated 30-report corpus
(tools/make_samples.py --bench). Each corpus is ingested into a fresh store in a child
process so that peak memory (ru_maxrss) is that of one ingest or one search process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    "Vilka kommuner har en fritidsbank?",
    "Hur mycket lade Hofors på Fritidsbanken 2023?",
    "stöd till föräldrar",
    "aktiviteter under sommarlovet för barn",
    "samverkan med Arbetsförmedlingen om feriejobb",
    "trygghetsvandringar och belysning i centrum",
    "digital kompetens för äldre",
    "Hur gick det för Östra Göinge 2024?",
    "vuxna i skolan och skolvärdar",
    "psykisk hälsa bland unga",
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ingest(folder: str, store: str) -> dict:
    from ingest import pipeline
    from vectorstore.store import ReportStore

    store_obj = ReportStore.open(store)
    embed_time = 0.0
    tokens = 0
    original = store_obj.embedder.embed_documents
    count = getattr(getattr(store_obj.embedder, "_model", None), "token_count", None)

    def timed(texts, progress=None):
        nonlocal embed_time, tokens
        start = time.perf_counter()
        out = original(texts, progress)
        embed_time += time.perf_counter() - start
        tokens += sum(count(t) for t in texts) if count else 0
        return out

    store_obj.embedder.embed_documents = timed
    start = time.perf_counter()
    report = pipeline.ingest_paths([folder], store_obj)
    total = time.perf_counter() - start
    pages = sum(i["pages"] for i in report.ingested)
    chunks = sum(i["chunks"] for i in report.ingested)
    start = time.perf_counter()
    again = pipeline.ingest_paths([folder], store_obj)
    reingest = time.perf_counter() - start
    assert not again.ingested, "re-ingest of an unchanged corpus ingested something"
    return {
        "reports": len(report.ingested),
        "rejected": len(report.rejected),
        "pages": pages,
        "chunks": chunks,
        "seconds": round(total, 2),
        "pages_per_s": round(pages / total, 2),
        "embed_seconds": round(embed_time, 2),
        "non_embed_share": round(1 - embed_time / total, 3),
        "chunks_per_s_embedder": round(chunks / embed_time, 2) if embed_time else None,
        "tokens_per_s_embedder": round(tokens / embed_time) if embed_time and tokens else None,
        "reingest_seconds": round(reingest, 2),
        "peak_mb_ingest": round(_peak_mb()),
    }


def child_search(store: str) -> dict:
    from assistant.qa.retrieve import Retriever, SearchRequest
    from ingest.metadata import load_municipalities
    from vectorstore.store import ReportStore

    start = time.perf_counter()
    retriever = Retriever(ReportStore.open(store), load_municipalities())
    retriever.search(SearchRequest("uppvärmning"))  # warm: model, lexical index, metadata
    cold = time.perf_counter() - start
    out = {"cold_start_s": round(cold, 2)}
    for mode in ("hybrid", "dense", "lexical"):
        times = []
        for _ in range(3):
            for q in QUERIES:
                t = time.perf_counter()
                retriever.search(SearchRequest(q, k=5, mode=mode))
                times.append((time.perf_counter() - t) * 1000)
        out[f"{mode}_median_ms"] = round(statistics.median(times), 1)
        out[f"{mode}_p95_ms"] = round(sorted(times)[int(len(times) * 0.95) - 1], 1)
    out["peak_mb_search"] = round(_peak_mb())
    return out


def _run_child(*args: str) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=env
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(folder: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        result = _run_child("ingest", str(folder), tmp)
        result.update(_run_child("search", tmp))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="*")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        out = child_ingest(*rest) if kind == "ingest" else child_search(*rest)
        print(json.dumps(out))
        return
    folders = [Path(f) for f in args.folders]
    if not folders:
        bench = ROOT / ".cache" / "bench30"
        if not bench.exists():
            subprocess.run(
                [sys.executable, str(ROOT / "tools" / "make_samples.py"), "--bench", str(bench)],
                check=True,
            )
        folders = [ROOT / "samples" / "reports", bench]
    results = {
        str(f.relative_to(ROOT) if f.is_relative_to(ROOT) else f): measure(f) for f in folders
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, r in results.items():
        print(f"== {name}")
        for key, value in r.items():
            print(f"  {key:<24}{value}")


if __name__ == "__main__":
    main()
