"""Web app load test on loopback: time to first token (warm, extractive) and N concurrent users.

    .venv/bin/python benchmarks/web_load.py [--store DIR | --reports DIR] [--users 10]
        [--seconds 60] [--max-requests 2000] [--json]

Starts the app on a free loopback port over the store (or over a fresh store built from
--reports, default samples/reports, with the default embedder), then:
1. time to first token in a real headless Chromium (Playwright, /usr/bin/chromium): from the
   click on "Fråga" to the first streamed text in the chat, warm, median of 10;
2. load: `--users` threads, each its own gradio_client session, asking the `ask` API in a loop
   for `--seconds` (at most `--max-requests` in all); reports requests, errors, p50/p95/max.
Loopback only: the server listens on 127.0.0.1 and nothing else is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

QUESTIONS = [
    "Hur arbetar Hofors med fritidsbanken?",
    "Vilka insatser finns för barn och unga under sommarlovet?",
    "Hur har arbetet med feriejobb gått?",
    "Vad gör kommunerna för att fler ska gå från ekonomiskt bistånd till egen försörjning?",
    "Hur används pengarna till läxhjälp?",
    "Vilka trygghetsvandringar har genomförts?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_service(store: str | None, reports: str):
    from assistant.service import Service
    from ingest.pipeline import ingest_paths
    from vectorstore.store import ReportStore

    if store is None:
        store = tempfile.mkdtemp(prefix="web-load-store-")
        ingest_paths([reports], ReportStore.open(store))
    return Service(ReportStore.open(store), llm=None)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
FIRST_TOKEN_JS = """([n]) => {
  const bots = document.querySelectorAll('#ra-chat [data-testid="bot"]');
  if (bots.length <= n) return false;
  const text = bots[bots.length - 1].innerText.trim();
  return text.length > 0 && text !== '…';
}"""
DONE_JS = """([n]) => {
  const bots = document.querySelectorAll('#ra-chat [data-testid="bot"]');
  return bots.length > n && bots[bots.length - 1].innerText.includes('Sökt i:');
}"""


def time_to_first_token(url: str, rounds: int = 10) -> dict:
    """In a real headless Chromium: from the click on "Fråga" to the first streamed text in
    the chat, and to the finished answer; warm (one round first), median over `rounds`."""
    if not Path(CHROMIUM).exists():
        return {"skipped": "chromium saknas (/usr/bin/chromium)"}
    from playwright.sync_api import sync_playwright

    firsts, totals = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        for n in range(rounds + 1):
            page.locator("#ra-question textarea").fill(QUESTIONS[n % len(QUESTIONS)])
            start = time.perf_counter()
            page.locator("#ra-ask").click()
            page.wait_for_function(FIRST_TOKEN_JS, arg=[n], polling="raf", timeout=60_000)
            first = time.perf_counter() - start
            page.wait_for_function(DONE_JS, arg=[n], polling="raf", timeout=60_000)
            if n:  # round 0 warms up
                firsts.append(first)
                totals.append(time.perf_counter() - start)
        browser.close()
    return {"rounds": rounds, "ttft_ms_median": round(1000 * statistics.median(firsts), 1),
            "ttft_ms_max": round(1000 * max(firsts), 1),
            "answer_ms_median": round(1000 * statistics.median(totals), 1)}


def load(url: str, users: int, seconds: float, max_requests: int) -> dict:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    budget = [max_requests]

    def user(n: int) -> None:
        client = Client(url, verbose=False)
        i = n
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            start = time.perf_counter()
            try:
                result = client.predict(question, None, None, api_name="/ask")
                assert "answer" in result
                with lock:
                    latencies.append(time.perf_counter() - start)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    wall = time.perf_counter() - start
    ms = [1000 * x for x in latencies]
    return {
        "users": users, "seconds": round(wall, 1), "requests": len(ms), "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "throughput_per_s": round(len(ms) / wall, 2) if wall else 0.0,
        "p50_ms": round(percentile(ms, 0.5), 1) if ms else None,
        "p95_ms": round(percentile(ms, 0.95), 1) if ms else None,
        "max_ms": round(max(ms), 1) if ms else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", help="an existing store (default: build one from --reports)")
    parser.add_argument("--reports", default=str(ROOT / "samples" / "reports"))
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    args.users = max(1, min(args.users, 50))
    args.seconds = max(1.0, min(args.seconds, 600.0))

    from assistant.webapp import serve

    service = open_service(args.store, args.reports)
    port = free_port()
    app = serve(port=port, service=service, block=False)
    url = f"http://127.0.0.1:{port}/"
    try:
        result = {"ttft": time_to_first_token(url),
                  "load": load(url, args.users, args.seconds, args.max_requests)}
    finally:
        app.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        t, lo = result["ttft"], result["load"]
        if "skipped" in t:
            t = {"ttft_ms_median": t["skipped"], "ttft_ms_max": "–", "answer_ms_median": "–"}
        print(f"Tid till första token (varm, utdrag): median {t['ttft_ms_median']} ms, "
              f"max {t['ttft_ms_max']} ms; helt svar median {t['answer_ms_median']} ms")
        print(f"{lo['users']} samtidiga användare i {lo['seconds']} s: {lo['requests']} frågor, "
              f"{lo['errors']} fel, {lo['throughput_per_s']}/s, p50 {lo['p50_ms']} ms, "
              f"p95 {lo['p95_ms']} ms, max {lo['max_ms']} ms")
        for example in lo["error_examples"]:
            print(f"  fel: {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
