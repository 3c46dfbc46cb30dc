"""What the archive holds: its reports, and which of the grant's municipalities lack one.

`rapportassistent status` and the web app's Rapporter tab (through `Service.status`) both
report this. It lives here, not in assistant/cli.py, so that the web app never imports the
CLI (the CLI imports the web app to serve it); it imports nothing heavier than the store's
records and the grant's list, so the CLI's `status` stays quick to start.
"""

from __future__ import annotations

from ingest.metadata import Municipality, load_municipalities


def archive_status(store, grant: list[Municipality] | None = None) -> dict:
    """The archive as a JSON-ready dict: reports (sorted by municipality, year, source), chunk
    count, embedder name, municipalities with reports, the grant's municipalities without one
    and municipalities outside the grant. `grant` defaults to config/kommuner.txt, read at
    each call so that an edited list shows without a restart."""
    records = store.report_records()
    reports = sorted(
        (
            {
                "municipality": r.municipality,
                "year": r.year,
                "source": r.source,
                "pages": r.pages,
                "chunks": r.chunks,
                "scanned_pages": [int(x) for x in r.scanned_pages.split(",") if x],
                "ocr_pages": [int(x) for x in r.ocr_pages.split(",") if x],
            }
            for r in records
        ),
        key=lambda r: (r["municipality"], r["year"], r["source"]),
    )
    present = {r.municipality for r in records}
    configured = [m.name for m in (load_municipalities() if grant is None else grant)]
    return {
        "reports": reports,
        "chunks": store.count(),
        "embedder": store.embedder.name,
        "municipalities_with_reports": sorted(present),
        "missing_municipalities": [m for m in configured if m not in present],
        "outside_grant": sorted(present - set(configured)),
    }
