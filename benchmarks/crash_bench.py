"""Kill -9 `rapportassistent ingest` at many random moments and count inconsistent stores.

    python benchmarks/crash_bench.py --kills 50 [--reports 8] [--pages 8] [--seed 1]
        [--server] [--verbose]

Uses the checker of tests/test_crash.py (Chroma read directly; the store's readers must hide
everything uncommitted), re-runs the ingest after the kills and compares the finished store
with one ingested without interruption. Prints the kills, the inconsistent stores found and
the recovery times (a finishing re-run plus the comparison). `--server` runs against a fresh
`chroma run` server instead of an embedded store.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from tests.test_crash import (  # noqa: E402
    crash_env,
    kill_campaign,
    make_corpus,
    reference_of,
    run_ingest,
    wipe_server,
)


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    import chromadb

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(folder / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            return proc, f"http://127.0.0.1:{port}"
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("chroma run did not start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--reports", type=int, default=8)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--server", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="crash-bench-"))
    server = None
    try:
        corpus = make_corpus(tmp / "corpus", a.reports, a.pages)
        ref = {"store_dir": tmp / "reference"}
        start = time.perf_counter()
        run_ingest(corpus, ref, crash_env(tmp, False), None)
        full = time.perf_counter() - start
        reference = reference_of(ref)
        chunks = sum(len(c) for c, _ in reference.values())
        print(f"corpus: {a.reports} reports, {chunks} chunks; uninterrupted ingest {full:.1f} s")
        counter = iter(range(100_000))
        if a.server:
            server, url = start_server(tmp)
            os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")

            def fresh():
                return wipe_server(url, tmp / "cache")
        else:

            def fresh():
                return {"store_dir": tmp / f"store{next(counter)}"}

        start = time.perf_counter()
        stats = kill_campaign(
            corpus,
            tmp,
            a.kills,
            a.seed,
            fresh,
            reference,
            full * (1.5 if a.server else 1.0),
            log=print if a.verbose else None,
        )
        wall = time.perf_counter() - start
        rec = stats["recovery_s"]
        print(
            f"kills: {stats['kills']}, runs that finished: {stats['finished']}, "
            f"inconsistent stores: {stats['inconsistent']}"
        )
        if rec:
            print(
                "recovery (a re-run after kills, to a finished store; runs without write "
                f"delay): median {statistics.median(rec):.2f} s, max {max(rec):.2f} s, n={len(rec)}"
            )
        print(f"wall time {wall:.0f} s; load average {os.getloadavg()[0]:.1f}")
        for state, n in stats["states"].most_common():
            print(f"  kills {state}: {n}")
        for problem in stats["problems"]:
            print("PROBLEM", problem)
        return 1 if stats["inconsistent"] else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
