"""Fuzz ingestion for a while: hostile files first, then random mutants of real files.

    .venv/bin/python benchmarks/fuzz_ingest.py --minutes 10 [--seed 1] [--save DIR] [--json]

Runs the hostile cases (decompression bombs, a page tree that reuses a huge stream, deep
nesting) once, then mutants made by the mutators of tests/test_fuzz.py (byte flips,
truncations, insertions, chunk duplication, deletions, PDF token rewrites) of every sample
report, every bad sample, every PDF in ../shared/pdf-samples and a generated DOCX, each
through `read_pages_isolated` and the pipeline's `load_document`, until the time is up.

Prints cases, rejections by reason category, crashes (any exception but UnreadableFile, a
reader that died, or an unexpected error in the reader), timeouts, memory rejections and the
peak RSS of a reader child. Crashing mutants are saved to --save DIR to reproduce them.

Reader children re-import the main module (multiprocessing does so for "forkserver" and
"spawn"), so this script imports nothing heavy at module level: the imports are in `main`.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CATEGORIES = [  # (words in the reason, category); the first match wins
    ("avkortad", "PDF avkortad"),
    ("dekomprimeringsbomb?)", "PDF-bomb eller skadad längd (pypdf-gräns)"),
    ("skadad: sidan", "PDF-sida skadad"),
    ("PDF-filen är skadad", "PDF skadad"),
    ("DOCX-filen är skadad", "DOCX skadad"),
    ("lösenord", "lösenordsskyddad"),
    ("zip-bomb", "DOCX zip-bomb"),
    ("textlager", "inget textlager"),
    ("ingen sida har text", "ingen text (inte heller med OCR)"),
    ("stöds inte", "innehållet stöds inte"),
    ("är tom", "tom fil"),
    ("har inga sidor", "PDF utan sidor"),
    ("för stor", "för stor fil"),
]


def category(reason: str) -> str:
    for words, name in CATEGORIES:
        if words in reason:
            return name
    return "annat: " + reason[:60]


def run_case(
    data: bytes, name: str, municipalities, timeout: float, memory_mb: int
) -> tuple[str, str]:
    """(outcome, detail): outcome is ok, rejected, timeout, memory or crash."""
    from ingest import pipeline, sandbox
    from ingest.errors import UnreadableFile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        bad_pages = []

        def read(p):
            pages = sandbox.read_pages_isolated(p, timeout=timeout, memory_mb=memory_mb)
            if not (isinstance(pages, list) and all(isinstance(t, str) for t in pages)):
                bad_pages.append(type(pages).__name__)
            return pages

        try:
            with mock.patch.object(pipeline, "read_pages_isolated", read):
                pipeline.load_document(path, municipalities)
        except sandbox.IsolatedReadError as exc:
            if exc.kind in ("timeout", "memory"):
                return exc.kind, exc.reason
            return "crash", f"{exc.kind}: {exc.reason}"
        except UnreadableFile as exc:
            return "rejected", category(exc.reason)
        except Exception as exc:  # noqa: BLE001 - exactly what the fuzzer is looking for
            return "crash", f"{type(exc).__name__} i load_document: {exc}"[:200]
        if bad_pages:
            return "crash", f"sidorna är inte list[str] ({bad_pages[0]})"
    return "ok", ""


def hostile_cases() -> list[tuple[str, bytes]]:
    from tests import test_fuzz as F

    big_text = b"BT /F1 12 Tf " + b"(Rapportassistenten) Tj " * 2_500_000 + b"ET"  # ~60 MB
    import zlib

    return [
        ("flate-bomb-10GB.pdf", F.pdf_with_content(F.zlib_bomb(10240))),
        ("flate-bomb-2GB-som.docx", F.pdf_with_content(F.zlib_bomb(2048))),
        ("text-60MB-x-2000-sidor.pdf", F.pdf_with_content(zlib.compress(big_text, 1), pages=2000)),
        ("djup-nastling.pdf", F.pdf_with_content(b"[" * 200_000, filters=b"[]")),
        ("docx-bomb-1GB.docx", F.docx_bomb(1024)),
        ("binar-slump.txt", random.Random(0).randbytes(100_000)),
        # No text on a 14400 pt square page: at 200 dpi a 40000 x 40000 px bitmap (4.7 GB and
        # 70 s in the main process before OCR ran isolated and render size was capped).
        (
            "ocr-bomb-14400pt.pdf",
            F.pdf_with_content(b"0 0 1 1 re f", filters=b"[]").replace(
                b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 14400 14400]"
            ),
        ),
    ]


def seeds() -> list[tuple[str, bytes]]:
    from tests import test_fuzz as F

    files = sorted((F.SAMPLES / "reports").iterdir()) + sorted((F.SAMPLES / "bad").iterdir())
    files += sorted(F.SHARED_PDFS.rglob("*.pdf")) if F.SHARED_PDFS.exists() else []
    out = [(p.name, p.read_bytes()) for p in files if p.is_file() and p.stat().st_size]
    return out + [("generated.docx", F.make_docx())]


def random_ops(rng: random.Random) -> list[tuple]:
    from tests import test_fuzz as F

    def pos() -> int:
        return rng.randrange(2**32)

    makers = [
        lambda: ("flip", pos(), rng.randrange(256)),
        lambda: ("truncate", pos(), rng.random() < 0.5),
        lambda: ("insert", pos(), rng.randbytes(rng.randint(1, 64))),
        lambda: ("duplicate", pos(), rng.randint(1, 65536), pos()),
        lambda: ("delete", pos(), rng.randint(1, 4096)),
        lambda: ("token", rng.choice(F.TOKEN_KINDS), pos(), rng.randrange(2**16)),
        lambda: ("token", rng.choice(F.TOKEN_KINDS), pos(), rng.randrange(2**16)),
    ]
    return [rng.choice(makers)() for _ in range(rng.randint(1, 4))]


def main() -> None:
    from ingest import sandbox
    from ingest.metadata import load_municipalities
    from tests import test_fuzz as F

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    # default: the settings ingest.file_timeout / ingest.file_memory_mb
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--memory-mb", type=int, default=None)
    parser.add_argument("--save", type=Path, help="folder for crashing mutants")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from rapport_settings import get_settings

    limits = get_settings().ingest
    args.timeout = limits.file_timeout if args.timeout is None else args.timeout
    args.memory_mb = limits.file_memory_mb if args.memory_mb is None else args.memory_mb
    municipalities = load_municipalities()
    outcomes: Counter = Counter()
    reasons: Counter = Counter()
    crashes: list[dict] = []
    max_rss = 0.0
    slowest = (0.0, "")

    def record(name: str, data: bytes, outcome: str, detail: str, seconds: float) -> None:
        nonlocal max_rss, slowest
        outcomes[outcome] += 1
        if outcome == "rejected":
            reasons[detail] += 1
        max_rss = max(max_rss, sandbox.last_child_max_rss_mb)
        slowest = max(slowest, (seconds, name))
        if outcome == "crash":
            crashes.append({"seed": name, "detail": detail})
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"crash{len(crashes)}-{Path(name).name}").write_bytes(data)

    hostile = []
    for name, data in hostile_cases():
        sandbox.last_child_max_rss_mb = 0.0
        start = time.perf_counter()
        outcome, detail = run_case(data, name, municipalities, args.timeout, args.memory_mb)
        seconds = time.perf_counter() - start
        hostile.append(
            {
                "file": name,
                "bytes": len(data),
                "outcome": outcome,
                "detail": detail,
                "seconds": round(seconds, 2),
                "child_max_rss_mb": round(sandbox.last_child_max_rss_mb),
            }
        )
        record(name, data, outcome, detail, seconds)
        print(
            f"fientlig fil {name} ({len(data) / 2**20:.1f} MB): {outcome} {detail} "
            f"[{seconds:.1f} s, barnprocess max {sandbox.last_child_max_rss_mb:.0f} MB]",
            flush=True,
        )

    rng = random.Random(args.seed)
    pool = seeds()
    end = time.monotonic() + args.minutes * 60
    cases = 0
    while time.monotonic() < end:
        name, data = rng.choice(pool)
        mutant = F.mutate(data, random_ops(rng))
        start = time.perf_counter()
        outcome, detail = run_case(mutant, name, municipalities, args.timeout, args.memory_mb)
        record(name, mutant, outcome, detail, time.perf_counter() - start)
        cases += 1
        if cases % 500 == 0:
            print(f"{cases} fall: {dict(outcomes)}", flush=True)

    summary = {
        "minutes": args.minutes,
        "mutants": cases,
        "hostile": hostile,
        "outcomes": dict(outcomes),
        "rejections_by_reason": dict(reasons.most_common()),
        "crashes": len(crashes),
        "crash_details": crashes[:20],
        "timeouts": outcomes["timeout"],
        "memory": outcomes["memory"],
        "max_child_rss_mb": round(max_rss),
        "parent_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "slowest_case": {"seconds": round(slowest[0], 2), "seed": slowest[1]},
        "timeout_s": args.timeout,
        "memory_mb": args.memory_mb,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    print(f"\n{cases} mutanter på {args.minutes:g} min (+ {len(hostile)} fientliga filer)")
    print(f"utfall: {dict(outcomes)}")
    print("avvisade per orsak:")
    for reason, count in reasons.most_common():
        print(f"  {count:6d}  {reason}")
    print(
        f"krascher: {len(crashes)}  tidsgränser: {outcomes['timeout']}  minnesgränser: "
        f"{outcomes['memory']}"
    )
    for crash in crashes[:20]:
        print(f"  krasch: {crash['seed']}: {crash['detail']}")
    print(
        f"max RSS i en läsprocess: {max_rss:.0f} MB; huvudprocessen: "
        f"{summary['parent_max_rss_mb']} MB"
    )
    print(f"långsammaste fallet: {slowest[0]:.1f} s ({slowest[1]})")


if __name__ == "__main__":
    main()
