"""Start-up that talks: the sample ingest prints progress line by line (also into a pipe),
the server's start-up line is Swedish, and its temporary folder is removed when it stops
(Ctrl+C or SIGTERM)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_webapp_api import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.unit
def test_line_progress_reports_each_stage_and_the_last_step():
    from assistant.web.startup import LineProgress

    now = [0.0]
    out = io.StringIO()
    progress = LineProgress(out, every=1.0, clock=lambda: now[0])
    for n in range(1, 4):
        progress("läser", n, 3)  # all within one second: the first and the last are printed
    for n in range(0, 101, 10):
        now[0] += 0.5
        progress("bäddar in", n, 100)
    progress("ordindex", 0, 1)
    progress("ordindex", 1, 1)
    lines = out.getvalue().splitlines()
    assert lines[0].strip().startswith("Läser fil 1 av 3 (0 % klart")
    assert lines[1].strip().startswith("Läser fil 3 av 3 (66 % klart")
    embedding = [line for line in lines if "Bäddar in" in line]
    assert 4 <= len(embedding) <= 7 and "100 av 100 (100 % klart" in embedding[-1]
    assert lines[-1].strip() == "Sökindexet är uppdaterat."


def test_startup_ingest_prints_progress_before_it_is_done(tmp_path):
    from tests.pdfmaker import make_pdf, report_pages

    (tmp_path / "pdfs").mkdir()
    for name in ("Hofors", "Bjuv"):
        make_pdf(tmp_path / "pdfs" / f"{name}_2023.pdf", report_pages(name, 2023, "läxhjälp"))
    env = {
        **os.environ,
        "RAPPORTASSISTENT_STORE": str(tmp_path / "store"),
        "RAPPORTASSISTENT_EMBEDDER": "hash",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.web.startup", str(tmp_path / "pdfs")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=ROOT,
    )
    first = proc.stdout.readline()
    assert first.startswith("Läser in rapporterna i") and proc.poll() is None  # still working
    rest = proc.stdout.read()
    assert proc.wait(timeout=120) == 0
    assert "Läser fil 1 av 2" in rest and "Bäddar in stycke" in rest
    assert "Klart: 2 nya rapporter inlästa" in rest and "Arkivet har 2 rapporter." in rest


def _serve(tmp_path, port: int):
    env = {
        **os.environ,
        "RAPPORTASSISTENT_STORE": str(tmp_path / "store"),
        "RAPPORTASSISTENT_EMBEDDER": "hash",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "TMPDIR": str(tmp_path / "tmp"),
        "HF_HUB_OFFLINE": "1",
    }
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_server_says_where_it_runs_in_swedish_and_cleans_up(tmp_path, stop):
    from ingest.pipeline import ingest_paths
    from tests.pdfmaker import make_pdf, report_pages
    from vectorstore.store import ReportStore

    make_pdf(tmp_path / "Hofors_2023.pdf", report_pages("Hofors", 2023, "läxhjälp"))
    ingest_paths(
        [tmp_path / "Hofors_2023.pdf"], ReportStore.open(tmp_path / "store", embedder="hash")
    )
    port = free_port()
    proc = _serve(tmp_path, port)
    try:
        line = proc.stdout.readline()
        assert (
            line.strip()
            == f"Rapportassistenten körs på http://127.0.0.1:{port}/ (avsluta med Ctrl+C)."
        )
        temporary = list((tmp_path / "tmp").glob("rapportassistent-*"))
        assert len(temporary) == 1 and temporary[0].is_dir()
        proc.send_signal(stop)
        rest = proc.communicate(timeout=60)[0]
        assert proc.returncode in (0, 130, -stop)  # 130: the CLI's exit code after Ctrl+C
        assert not list((tmp_path / "tmp").glob("rapportassistent-*"))
        for english in ("Running on", "share=True", "Keyboard interruption", "Closing server"):
            assert english not in line + rest
    finally:
        if proc.poll() is None:
            proc.kill()
