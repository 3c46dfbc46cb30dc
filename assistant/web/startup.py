"""What `./run.sh` runs before the server: read the sample reports into the store, saying as
it goes what it does (line by line, also when the output is not a terminal), then a summary.

    python -m assistant.web.startup PATH...
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

STAGES = {"läser": "Läser fil", "bäddar in": "Bäddar in stycke", "ordindex": "Sökindex"}


class LineProgress:
    """The pipeline's progress(stage, done, total) as lines: at most one a second per stage,
    and always the last; reading reports file n of N before it is read."""

    def __init__(self, out=sys.stdout, every: float = 1.0, clock=time.monotonic) -> None:
        self.out, self.every, self.clock = out, every, clock
        self.last: dict[str, float] = {}
        self.started = clock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        final = done >= total
        if stage == "ordindex":
            if final:
                self._line("Sökindexet är uppdaterat.")
            return
        if not final and now - self.last.get(stage, -1e9) < self.every:
            return
        self.last[stage] = now
        percent = 100 * (done - 1 if stage == "läser" else done) // max(total, 1)
        self._line(
            f"{STAGES.get(stage, stage)} {done} av {total} ({percent} % klart, "
            f"{now - self.started:.0f} s)"
        )

    def _line(self, text: str) -> None:
        print(f"  {text}", file=self.out, flush=True)


def main(argv: list[str] | None = None) -> int:
    from ingest.pipeline import ingest_paths
    from vectorstore.store import ReportStore, default_store_dir

    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    print(
        f"Läser in rapporterna i {', '.join(map(str, paths))} till arkivet "
        f"{default_store_dir()} (redan inlästa filer hoppas över) …",
        flush=True,
    )
    print("  Laddar inbäddningsmodellen …", flush=True)
    store = ReportStore.open()
    report = ingest_paths(paths, store, progress=LineProgress())
    for item in report.ingested:
        print(
            f"  inläst   {Path(item['path']).name}: {item['municipality']} {item['year']}",
            flush=True,
        )
    for item in report.rejected:
        print(f"  avvisad  {Path(item['path']).name}: {item['reason']}", flush=True)
    n = len(report.ingested)
    print(
        f"Klart: {n} {'ny rapport' if n == 1 else 'nya rapporter'} inlästa, "
        f"{len(report.skipped)} hoppades över (oförändrade eller kopior), {len(report.rejected)} "
        f"avvisade. "
        f"Arkivet har {len(store.report_records())} rapporter.",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
