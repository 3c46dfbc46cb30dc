"""`rapportassistent survey`: the survey, the theme matrix, budget rows and year-over-year
changes on the command line. assistant/cli.py adds these with `add_parsers(sub)`."""

from __future__ import annotations

import argparse
import json
import sys


def add_parsers(subparsers) -> None:
    p = subparsers.add_parser(
        "survey", help="vilka kommuner gör X? (med belägg), temamatris och ekonomi"
    )
    p.add_argument("question", nargs="?", help="t.ex. 'Vilka kommuner har en fritidsbank?'")
    p.add_argument("--year", type=int, action="append", default=[], help="bara rapporter för året")
    p.add_argument("--theme", help="fråga ett tema ur config/themes.toml (nyckel eller namn)")
    p.add_argument("--matrix", action="store_true", help="kommun × tema för alla teman")
    p.add_argument("--economy", action="store_true", help="budget och utfall per insats")
    p.add_argument("--changes", metavar="KOMMUN", help="förändringar mellan åren för en kommun")
    p.add_argument("--export", metavar="FIL", help="spara som .csv eller .xlsx")
    p.add_argument("--store", help="arkivmapp (standard: $RAPPORTASSISTENT_STORE)")
    p.add_argument("--chroma-url", help="en delad Chroma-server, t.ex. http://localhost:8000")
    p.add_argument("--embedder", help="inbäddningsmodell (som vid inläsningen)")
    p.add_argument("--json", action="store_true", help="skriv ut JSON i stället för text")
    p.set_defaults(handler=run_survey)


def run_survey(args: argparse.Namespace) -> int:
    from assistant.service import Service

    service = Service.open(args.store, args.chroma_url, args.embedder)
    if service.store.count() == 0:
        raise ValueError("arkivet är tomt: läs in rapporterna först (rapportassistent ingest).")
    if args.economy:
        return run_economy(service, args)
    if args.changes:
        return run_changes(service, args)
    if args.matrix:
        return run_matrix(service, args)
    return run_question(service, args)


def _progress(args: argparse.Namespace, label: str):
    """A tqdm bar on stderr when it is a terminal and output is not JSON; else nothing."""
    if args.json or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=label, unit=" kommuner", file=sys.stderr)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return progress


def _export(path: str | None, sheets) -> None:
    if not path:
        return
    from assistant.survey.exports import export

    for written in export(path, sheets):
        print(f"Sparad: {written}", file=sys.stderr)


def run_question(service, args: argparse.Namespace) -> int:
    from assistant.survey.surveyor import Surveyor, find_theme, survey_sheets

    theme = find_theme(args.theme) if args.theme else None
    question = args.question or (theme.question if theme else None)
    if not question:
        raise ValueError("ange en fråga, --theme NAMN, --matrix, --economy eller --changes KOMMUN.")
    query = theme.query if theme and not args.question else None
    result = Surveyor.of(service).survey(
        question, args.year or None, _progress(args, "kommuner"), query=query
    )
    _export(args.export, survey_sheets(result))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    print_survey(result)
    return 0


def print_survey(result) -> None:
    if result.notice:
        print(f"({result.notice})")
    print(f"Fråga: {result.question}")
    print(f"Belägg i {result.coverage} kommuner.")
    for f in result.found:
        print(f"\n{f.municipality} ({f.year}): {f.finding}")
        for c in f.citations:
            print(f"  [{c.id}] {c.source} s. {c.page}: ”{c.quote}”")
    print(f"\nInget belägg: {', '.join(result.not_found) or '–'}")
    if result.to_check:
        print("Att granska (under beslutsgränsen; läs stycket innan listan används):")
        for f in result.to_check:
            c = f.check
            print(f"  {f.municipality} ({c.year}): {c.source} s. {c.page}: ”{c.quote}”")


def run_matrix(service, args: argparse.Namespace) -> int:
    from assistant.survey.surveyor import load_themes, matrix_sheets, theme_matrix

    themes = load_themes()
    matrix = theme_matrix(service, themes, args.year or None, _progress(args, "kommuner × teman"))
    _export(args.export, matrix_sheets(matrix))
    if args.json:
        print(json.dumps(matrix.to_json(), ensure_ascii=False))
        return 0
    if matrix.notice:
        print(f"({matrix.notice})")
    for t in themes:
        found = [m for m in matrix.municipalities if matrix.cells[(m, t.key)].found]
        print(
            f"{t.name} ({len(found)} av {len(matrix.municipalities)}): "
            + ", ".join(f"{m} {matrix.cell_text(m, t.key)[3:]}" for m in found)
        )
    return 0


def run_economy(service, args: argparse.Namespace) -> int:
    from assistant.survey.economy import economy, economy_sheets, format_kronor

    econ = economy(service, years=args.year or None)
    _export(args.export, economy_sheets(econ))
    if args.json:
        print(json.dumps(econ.to_json(), ensure_ascii=False))
        return 0
    for t in econ.totals:
        print(f"\n{t.municipality} {t.year} ({t.source})")
        for r in econ.rows:
            if (r.source, r.year) == (t.source, t.year):
                print(
                    f"  {r.insats:<40}{format_kronor(r.budget):>14}{format_kronor(r.utfall):>14}  "
                    f"s. {r.page}"
                )
        note = "" if t.matches_stated else "  (rapportens summa stämmer inte)"
        print(f"  {'Summa':<40}{format_kronor(t.budget):>14}{format_kronor(t.utfall):>14}{note}")
    return 0


def run_changes(service, args: argparse.Namespace) -> int:
    from assistant.survey.economy import year_over_year

    changes = year_over_year(service, args.changes)
    if args.export:
        from assistant.survey.exports import Sheet

        _export(
            args.export,
            [
                Sheet(
                    "Förändringar",
                    [
                        "Typ",
                        "Namn",
                        "Förändring",
                        "Från år",
                        "Till år",
                        "Före (kr)",
                        "Efter (kr)",
                        "Belägg",
                    ],
                    [
                        [
                            c.kind,
                            c.name,
                            c.change,
                            c.from_year,
                            c.to_year,
                            c.before,
                            c.after,
                            " / ".join(
                                f"{x.year} s. {x.page}: {x.quote}" for x in c.citations or []
                            ),
                        ]
                        for c in changes
                    ],
                )
            ],
        )
    if args.json:
        print(
            json.dumps(
                {"municipality": args.changes, "changes": [c.to_json() for c in changes]},
                ensure_ascii=False,
            )
        )
        return 0
    if not changes:
        print(f"Inga förändringar mellan åren hittades för {args.changes}.")
    for c in changes:
        print(f"• {c.text}")
        for x in c.citations or []:
            print(f"    {x.year}, {x.source} s. {x.page}: ”{x.quote}”")
    return 0
